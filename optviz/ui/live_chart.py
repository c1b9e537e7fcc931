"""In-place Plotly charts: plotly.js mounted once, every new figure applied with Plotly.react.

``st.plotly_chart`` (Streamlit 1.67) gives a chart a new element id whenever its figure
changes, so the browser mounts a fresh chart and plotly.js draws it from scratch
(``Plotly.newPlot``) on every slider move. ``chart`` draws a figure with a components-v2
component (``live_chart.js``, no iframe) that keeps one plotly.js chart per key and applies
each new figure with ``Plotly.react``: zoom and legend clicks survive (``uirevision``), the
player stays on its frame, and only what changed is redrawn.

Live drag: ``family`` adds one run's paths at every position of one of the page's sliders
(``run_family``); the browser watches that slider while it is dragged and draws the path of
the position under the thumb at once, before the server hears anything. The server learns
the value when the slider is released, as before.

plotly.js is the installed plotly package's own bundle, served by Streamlit's static file
serving (``server.enableStaticServing``) from ``static/plotly.min.js``, which
``ensure_plotly_js`` copies there (nothing is downloaded). Where it cannot be served, charts
fall back to ``st.plotly_chart``.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import plotly
import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
STATIC_JS = ROOT / "static" / "plotly.min.js"
"""Where Streamlit's static file serving finds plotly.js (``/app/static/plotly.min.js``)."""
BUNDLED_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
"""The plotly package's own plotly.js bundle."""

COMPONENT = "optviz.live_chart"
"""The component's name (its elements carry it)."""
_COMPONENT = st.components.v2.component(
    COMPONENT,
    js=(Path(__file__).with_name("live_chart.js")).read_text(encoding="utf-8"),
    isolate_styles=False,  # plotly.js styles its modebar and hover labels in document.head
)


def ensure_plotly_js() -> bool:
    """Copies the plotly package's plotly.min.js to ``static/`` unless it is there already.

    Returns:
        Whether ``static/plotly.min.js`` is there, the same size as the bundled one.
    """
    try:
        if not STATIC_JS.exists() or STATIC_JS.stat().st_size != BUNDLED_JS.stat().st_size:
            STATIC_JS.parent.mkdir(exist_ok=True)
            shutil.copyfile(BUNDLED_JS, STATIC_JS)
    except OSError:
        return False  # a read-only install: the copy must have been made when it was built
    return STATIC_JS.exists() and STATIC_JS.stat().st_size == BUNDLED_JS.stat().st_size


def available() -> bool:
    """Whether the in-place chart can run: plotly.js is served and static serving is on."""
    return bool(st.get_option("server.enableStaticServing")) and ensure_plotly_js()


def figure_json(figure: Any) -> str:
    """The figure as plotly JSON (data, layout, frames), compact, without its template.

    The browser draws it with Streamlit's own plotly template instead, as ``st.plotly_chart``
    does (plotly's default template is ~10 KB of every figure's JSON).
    """
    spec = dict(figure) if isinstance(figure, Mapping) else figure.to_dict()
    spec["layout"] = {k: v for k, v in spec.get("layout", {}).items() if k != "template"}
    return json.dumps(spec, separators=(",", ":"), default=_number)


def _number(value):
    """Numpy scalars as Python numbers (``json.dumps`` fallback)."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def family(
    slider_key: str,
    paths: np.ndarray,
    *,
    path_trace: int,
    heads_trace: int,
    head_index: int,
    current: int,
    steps: int,
    every: int = 1,
) -> dict[str, Any]:
    """One run's paths at every position of a slider, for live drag.

    Args:
        slider_key: The slider's widget key (its element carries ``st-key-<key>``).
        paths: ``(positions, points, 2)``: the run's path at each of the slider's options, in
            the slider's order; NaN after a divergence.
        path_trace: Index of the run's path trace in the figure.
        heads_trace: Index of the trace holding every run's head.
        head_index: The run's point in that trace.
        current: The position the figure's own run is at (the slider's value when the server
            made it); a thumb elsewhere by the time it arrives gets its own path drawn.
        steps: The run's number of steps (a thinned path's last point is that step).
        every: Steps between two points of a path (long runs are thinned).

    Returns:
        The family as the chart's JavaScript reads it (float32, base64).
    """
    paths = np.ascontiguousarray(paths, dtype="<f4")
    positions, points, _ = paths.shape
    return {
        "slider": slider_key,
        "slider_class": widget_class(slider_key),
        "positions": int(positions),
        "points": int(points),
        "paths": base64.b64encode(paths.tobytes()).decode("ascii"),
        "path_trace": int(path_trace),
        "heads_trace": int(heads_trace),
        "head_index": int(head_index),
        "current": int(current),
        "steps": int(steps),
        "every": int(every),
    }


def widget_class(key: str) -> str:
    """The CSS class of a keyed widget's element (``pg:sgd.lr`` → ``st-key-pg-sgd-lr``)."""
    return "st-key-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)


def _ignore() -> None:
    """A callback that does nothing (the result's ``click`` is read instead)."""


def chart(
    figure: Any,
    *,
    key: str,
    config: Mapping[str, Any] | None = None,
    on_click: Callable[[], None] | None = None,
    live: dict[str, Any] | None = None,
):
    """Draws ``figure`` in place (``Plotly.react``) under ``key``.

    Args:
        figure: A plotly figure (or its dict).
        key: The chart's key: the same key is the same chart from rerun to rerun.
        config: plotly.js config (toolbar buttons, image export).
        on_click: Called when a point is clicked; ``clicked_point(key)`` reads it.
        live: A ``family`` for live drag, or None.

    Returns:
        The component's result (``.click`` holds ``{"x", "y"}`` of the last click).
    """
    data = {"spec": figure_json(figure), "config": dict(config or {}), "family": live}
    return _COMPONENT(key=key, data=data, on_click_change=on_click or _ignore)


def show(
    figure: Any,
    *,
    key: str,
    config: Mapping[str, Any] | None = None,
    on_click: Callable[[], None] | None = None,
    live: dict[str, Any] | None = None,
) -> None:
    """``chart`` where plotly.js is served, else ``st.plotly_chart`` (no live drag there)."""
    if available():
        chart(figure, key=key, config=config, on_click=on_click, live=live)
    elif on_click is not None:
        st.plotly_chart(figure, key=key, config=config, on_select=on_click, selection_mode="points")
    else:
        st.plotly_chart(figure, key=key, config=config)


def clicked_point(key: str) -> tuple[float, float] | None:
    """The point of the last click on the chart ``key`` (inside its ``on_click`` callback).

    Either chart's: the in-place one's ``click``, or ``st.plotly_chart``'s first selected
    point.
    """
    state = st.session_state.get(key)
    if state is None:
        return None
    click = state.get("click") if isinstance(state, Mapping) else getattr(state, "click", None)
    if click is None and hasattr(state, "selection"):
        points = state.selection.get("points", [])
        click = points[0] if points else None
    if isinstance(click, Mapping) and "x" in click and "y" in click:
        return float(click["x"]), float(click["y"])
    return None


def spec_of(data_json: str) -> dict:
    """The figure dict a chart's component data carries (for tests and exports)."""
    return json.loads(json.loads(data_json)["spec"])


if __name__ == "__main__":  # ``python -m optviz.ui.live_chart``: the Docker build's copy step
    raise SystemExit(0 if ensure_plotly_js() else 1)
