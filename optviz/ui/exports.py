"""The export panel under a chart: files for slides and notebooks, made when a button is pressed.

Every chart page shows one. What it offers depends on what the chart is:

* any figure: the interactive HTML file (plotly's writer, plotly.js inlined: plays offline);
  a PNG of the current frame is the camera button of the chart's own toolbar (``CHART_CONFIG``);
* runs on a 2D surface: also an animated GIF, an MP4 video and a PNG drawn by ``optviz.export``
  in the page's language, and the trajectories as CSV and JSON;
* runs of ``optviz.run``: also "copy as code" (optviz, and optax where optax has the rule).

Downloads take callables, so a file is only built when its button is pressed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from optviz import export
from optviz.engine import Trajectory
from optviz.surfaces import Surface
from optviz.ui.i18n import lang, t, translator

CHART_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},  # the camera: a sharp slide picture
}
"""``config`` of every chart: the toolbar's camera saves the current frame as a 2× PNG."""

Snippet = tuple[str, str, str | None]  # (label, optviz code, optax code or None)


def _downloads(
    name: str,
    figure: Any,
    runs: Sequence[Trajectory],
    labels: Sequence[str],
    surface: Surface | None,
    params: dict[str, float] | None,
) -> list[tuple[str, str, str, Callable[[], Any]]]:
    """(button label, file name, MIME type, maker) of every file this chart can give."""
    tr = translator(lang())
    files = []
    if runs and surface is not None:
        picture = (surface, list(runs), list(labels), params)
        files += [
            ("GIF", f"{name}.gif", "image/gif", lambda: export.to_gif(*picture, tr=tr)),
            ("MP4", f"{name}.mp4", "video/mp4", lambda: export.to_mp4(*picture, tr=tr)),
        ]
    files.append(("HTML", f"{name}.html", "text/html", lambda: export.to_html(figure)))
    if runs and surface is not None:
        files.append(("PNG", f"{name}.png", "image/png", lambda: export.to_png(*picture, tr=tr)))
    if runs:
        files += [
            ("CSV", f"{name}.csv", "text/csv", lambda: export.to_csv(runs, labels)),
            ("JSON", f"{name}.json", "application/json", lambda: export.to_json(runs, labels)),
        ]
    return files


def export_panel(
    key: str,
    figure: Any,
    *,
    name: str = "optviz",
    runs: Sequence[Trajectory] = (),
    labels: Sequence[str] = (),
    surface: Surface | None = None,
    params: dict[str, float] | None = None,
    code: Sequence[Snippet] = (),
) -> None:
    """An "Export" expander with a download button per file and the code snippets.

    Args:
        key: Widget-key prefix (unique on the page).
        figure: The Plotly figure shown (exported as interactive HTML).
        name: File name without extension.
        runs: The trajectories drawn, if any (CSV, JSON; with ``surface`` also GIF, MP4, PNG).
        labels: Name of each run, as shown in the legend.
        surface: The surface the runs used (enables the pictures).
        params: Its parameters (defaults if None).
        code: ``(label, optviz snippet, optax snippet or None)`` per run.
    """
    files = _downloads(name, figure, runs, labels, surface, params)
    kinds = ", ".join([label for label, *_ in files] + ([t("code")] if code else []))
    panel = st.expander(
        t("Export: {kinds}").format(kinds=kinds), key=f"{key}_export", on_change="rerun"
    )
    if not panel.open:  # the buttons are drawn only for a reader who opens the panel
        return
    with panel:
        st.caption(
            t(
                "Files are made when you press a button. The camera in the chart's toolbar "
                "saves the frame you see as a PNG."
            )
        )
        cols = st.columns(len(files))
        for col, (label, file_name, mime, make) in zip(cols, files, strict=True):
            col.download_button(label, make, file_name=file_name, mime=mime, key=f"{key}dl.{label}")
        show = code and st.toggle(  # highlighted code is drawn only when asked for
            t("Show the code (optviz and optax)"), key=f"{key}_code"
        )
        for label, snippet, optax_code in code if show else ():
            st.markdown(f"**{label}** — optviz")
            st.code(snippet, language="python")
            if optax_code:
                st.markdown(f"**{label}** — optax")
                st.code(optax_code, language="python")


def snippet(label: str, **run_kwargs: Any) -> Snippet:
    """The "copy as code" entry of one run: ``run_kwargs`` are ``optviz.run``'s arguments."""
    return label, export.code_snippet(**run_kwargs), export.optax_snippet(**run_kwargs)
