"""Widgets built from the specs (optimizer hyperparameters, surface and schedule parameters).

Every widget's session-state key equals a URL field name with a page prefix (``"pg:adam.lr"``),
so reading the page state back for the URL is a dictionary comprehension. Widgets never take
``value=``: their values live in ``st.session_state`` (seeded from the URL by ``ui.state``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import streamlit as st

from optviz import urlstate
from optviz.optimizers import Optimizer
from optviz.surfaces import Param
from optviz.ui import state as ui_state
from optviz.ui.i18n import t

MANTISSAS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0)


def log_options(low: float, high: float, current: float | None = None) -> list[float]:
    """Rounded, log-spaced slider stops from ``low`` to ``high`` (plus ``current`` if off-grid).

    Args:
        low: Smallest stop (> 0).
        high: Largest stop.
        current: A value that must be selectable (e.g. 0.0173 from a shared link).

    Returns:
        Sorted stops such as 0.0001, 0.00012, 0.00015, ..., 10.
    """
    stops = {low, high}
    for exponent in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for m in MANTISSAS:
            v = float(f"{m * 10.0**exponent:.6g}")
            if low <= v <= high:
                stops.add(v)
    if current is not None and low <= current <= high:
        stops.add(float(current))
    return sorted(stops)


def fmt(value: float) -> str:
    """Short label for a number on a slider (3 significant digits)."""
    if value == 0:
        return "0"
    if abs(value) < 1e-3 or abs(value) >= 1e4:
        return f"{value:.2g}"
    return f"{value:.4g}"


def param_widget(param: Param, key: str, label: str | None = None) -> float:
    """One slider for a float parameter: log scale as rounded stops, linear otherwise.

    Args:
        param: The spec (range, default, log flag, help).
        key: Session-state key (already seeded).
        label: Label to show; default is the parameter's name (in the reader's language) and
            its symbol.

    Returns:
        The current value.
    """
    label = label or f"{t(param.name)} ${param.symbol}$"
    if key not in st.session_state:
        st.session_state[key] = param.default
    if param.log:
        current = float(st.session_state[key])
        options = log_options(param.low, param.high, current)
        if current not in options:  # snap a stale value onto the grid
            st.session_state[key] = min(options, key=lambda v: abs(math.log(v / current)))
        return st.select_slider(
            label, options=options, format_func=fmt, key=key, help=t(param.help)
        )
    step = _linear_step(param)
    st.session_state[key] = float(np.clip(st.session_state[key], param.low, param.high))
    return st.slider(
        label,
        min_value=float(param.low),
        max_value=float(param.high),
        step=step,
        key=key,
        help=t(param.help),
        format="%.4g",
    )


def _linear_step(param: Param) -> float:
    """A slider step that divides the range into about 200 round increments."""
    raw = (param.high - param.low) / 200
    return float(f"{10 ** math.floor(math.log10(raw)):.0e}") if raw > 0 else 0.01


def optimizer_widgets(opt: Optimizer, prefix: str) -> dict[str, float | bool]:
    """All hyperparameter widgets of one optimizer; returns its hyperparameters.

    Momentum gets an "EWMA form" switch before its dampening slider: on, the dampening τ is
    tied to γ (Ng's v = βv + (1−β)g) and the slider is hidden.

    Args:
        opt: The optimizer spec.
        prefix: Key prefix, e.g. ``"pg:"`` gives keys ``"pg:adam.lr"``.

    Returns:
        Name -> value, ready for ``optviz.run(hparams=...)``.
    """
    values: dict[str, float | bool] = {}
    for p in opt.params:
        if opt.key == "momentum" and p.name == "dampening":
            ewma_key = f"{prefix}momentum.ewma"
            damp = float(st.session_state.get(f"{prefix}momentum.dampening", 0.0))
            tied = values["momentum"] > 0 and math.isclose(damp, values["momentum"])
            st.session_state.setdefault(ewma_key, tied)  # a shared link with τ = γ
            if st.toggle(
                t("EWMA form v = βv + (1−β)g (Ng)"),
                key=ewma_key,
                help=t("Ties the dampening τ to γ: the velocity becomes a weighted average."),
            ):
                values["dampening"] = values["momentum"]
                continue
        values[p.name] = float(param_widget(p, f"{prefix}{opt.key}.{p.name}"))
    for name, default, help_text in opt.flags:
        key = f"{prefix}{opt.key}.{name}"
        st.session_state.setdefault(key, default)
        toggle = st.toggle(t(name.replace("_", " ")), key=key, help=t(help_text))
        values[name] = bool(toggle)
    return values


def field_by_name(fields: Sequence[urlstate.Field]) -> dict[str, urlstate.Field]:
    """Index of fields by name."""
    return {f.name: f for f in fields}


NOISE = Param("noise", r"\sigma", 0.0, 0.0, 2.0, False, "Std σ of the gradient noise (小批量噪声).")
CLIP_MAX = Param("clip_max", "b", 1.0, 0.01, 100.0, True, "Clipping threshold b (截断阈值).")
WARMUP = urlstate.WARMUP


def surface_field(surface_key: str, name: str) -> str:
    """URL field name of a surface parameter (``surface.kappa``)."""
    return urlstate._surface_registry()[surface_key, name].name


def schedule_field(schedule_key: str, name: str) -> str:
    """URL field name of a schedule parameter (``schedule.warmup``, ``schedule.step.gamma``)."""
    return urlstate._schedule_registry()[schedule_key, name].name


def menu_slider(label: str, menu: Sequence[int], key: str) -> int:
    """A slider over a fixed menu (e.g. step counts), keeping an off-menu value from a link."""
    current = int(st.session_state.get(key, menu[0]))
    options = sorted({*menu, current})
    return st.select_slider(label, options=options, key=key)


def start_point(prefix: str, surface) -> tuple[float, float] | None:
    """The start point from its two inputs, or ``None`` when it is the surface's own start."""
    x = float(st.session_state[prefix + "start.x"])
    y = float(st.session_state[prefix + "start.y"])
    if math.isclose(x, surface.start[0], abs_tol=1e-9) and math.isclose(
        y, surface.start[1], abs_tol=1e-9
    ):
        return None
    return (x, y)


def view_label(view: str) -> str:
    """Label of a view choice."""
    return t({"overlay": "Overlay", "side": "Side by side"}.get(view, view))


def share_link(state: dict, fields: Sequence[urlstate.Field]) -> str:
    """The full address that reproduces this page state."""
    from urllib.parse import urlencode

    base = (st.context.url or "").split("?")[0]
    query = urlencode(urlstate.encode(state, fields))
    return f"{base}?{query}" if query else base


def presenter_css() -> None:
    """Large type for a projector: readable from the back of a classroom."""
    st.markdown(
        """<style>
        html, body, [data-testid="stMarkdownContainer"] p { font-size: 1.35rem; }
        h1 { font-size: 3.2rem !important; }
        [data-testid="stWidgetLabel"] p { font-size: 1.2rem; }
        .block-container { padding-top: 1.5rem; max-width: 100%; }
        </style>""",
        unsafe_allow_html=True,
    )


def share_box(state: dict, fields: Sequence[urlstate.Field], prefix: str) -> None:
    """Writes the page state into the address bar; a "Share" button opens the link to copy.

    The link is drawn only while the popover is open (``on_change="rerun"``): ``st.code``
    brings the browser's syntax highlighter, 0.3 s of a first page load in Chromium.

    Args:
        state: The page state (what the link encodes).
        fields: The page's URL fields.
        prefix: The page's widget-key prefix, e.g. ``"pg:"``.
    """
    ui_state.write_url(state, fields)
    key = f"{prefix}_share"  # not a URL field
    panel = st.popover(t("Share this picture"), icon=":material/link:", key=key, on_change="rerun")
    if panel.open:
        with panel:
            st.caption(t("Share this exact picture — copy the link:"))
            st.code(share_link(state, fields), language=None)
