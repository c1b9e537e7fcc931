"""Cached wrappers for three lesson pages: regularization, gradient checking, your own surface.

Hashable settings in (floats, ints, strings, tuples), numpy results or figures out.
``st.cache_data`` copies what it returns; ``st.cache_resource`` shares figures between reruns
and sessions, so callers never mutate them. Figures with text take the language code ``lang``
(``i18n.lang()``), which keys the cache: English and Chinese sessions never share a figure.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

import optviz
from optviz import plots
from optviz.engine import Trajectory
from optviz.lessons import gradcheck, regularization
from optviz.surfaces import Surface
from optviz.ui.i18n import translator

# ----------------------------------------------------------------------------- regularization


@st.cache_resource(max_entries=64, show_spinner=False)
def reg_constraint_figure(angle: float, lam: float, lang: str = "en"):
    """The diamond-vs-circle picture for (φ, λ); shared, never mutate it."""
    return regularization.constraint_figure(angle, lam, tr=translator(lang))


@st.cache_resource(max_entries=64, show_spinner=False)
def reg_path_figure(angle: float, lam: float, lang: str = "en"):
    """The regularization paths against λ; shared, never mutate it."""
    return regularization.path_figure(angle, lam, tr=translator(lang))


@st.cache_data(max_entries=256, show_spinner=False)
def reg_minimizers(angle: float, lam: float) -> dict[str, Any]:
    """Both minimizers at λ and the λ at which each L1 coordinate becomes 0."""
    res = regularization.paths(angle, lam)
    return {k: res[k] for k in ("l1_at", "l2_at", "l1_zero")}


@st.cache_resource(max_entries=32, show_spinner=False)
def weight_decay(
    lr: float, lam: float, angle: float, steps: int, lang: str = "en"
) -> dict[str, Any]:
    """The four weight-decay runs: figure, end-point rows (English), SGD gap, AdamW's L2."""
    runs = regularization.weight_decay_runs(lr, lam, angle, steps)
    return {
        "figure": regularization.weight_decay_figure(runs, lam, angle, tr=translator(lang)),
        "rows": regularization.end_points(runs, lam, angle),
        "sgd_gap": regularization.sgd_gap(runs),
        "adamw_l2": regularization.adamw_effective_l2(runs, lam),
        "l2_star": regularization.l2_minimizer(lam, angle),
        "runs": runs,
    }


# ----------------------------------------------------------------------------- gradient check


@st.cache_data(max_entries=256, show_spinner=False)
def gc_result(
    surface: str, point: tuple[float, float], eps: float, precision: str, bug: bool
) -> dict[str, Any]:
    """Gradient check at a point: the table's numbers and the error curves."""
    return gradcheck.check(surface, point, eps, precision, bug)


@st.cache_resource(max_entries=64, show_spinner=False)
def gc_error_figure(
    surface: str,
    point: tuple[float, float],
    eps: float,
    precision: str,
    bug: bool,
    lang: str = "en",
):
    """The log-log error-vs-ε figure; shared, never mutate it."""
    result = gc_result(surface, point, eps, precision, bug)
    return gradcheck.error_figure(result, eps, tr=translator(lang))


@st.cache_resource(max_entries=64, show_spinner=False)
def gc_field_figure(
    surface: str, point: tuple[float, float], grad: tuple[float, float], lang: str = "en"
):
    """The surface, its gradient field and the checked point (clickable)."""
    return gradcheck.field_figure(
        surface,
        point=point,
        grad=grad,
        clickable=True,
        height=420,
        names=("θ₁", "θ₂"),
        tr=translator(lang),
    )


# ----------------------------------------------------------------------------- own surface

RUN_BOUNDS = ((-20.0, 20.0), (-20.0, 20.0))
"""Runs use the formula compiled over this fixed box, so moving the window never recompiles."""

Window = tuple[tuple[float, float], tuple[float, float]]


def own_surfaces(formula: str, window: Window) -> tuple[Surface, Surface]:
    """The formula drawn over ``window`` and the one the optimizers run on.

    Both come from ``optviz.compile_formula`` (cached there, so the same text gives the same
    objects). The run surface is compiled over ``RUN_BOUNDS`` (fixed), so the engine compiles
    once per formula and optimizer, whatever the window.

    Raises:
        optviz.FormulaError: If the formula is not valid, or not finite in the window.
    """
    view = optviz.compile_formula(formula, window)
    try:
        run = optviz.compile_formula(formula, RUN_BOUNDS)
    except optviz.FormulaError:  # finite in the window but nowhere on the big box's probe grid
        run = view
    return view, run


@st.cache_data(max_entries=1024, show_spinner=False)
def own_trajectory(
    formula: str,
    window: Window,
    start: tuple[float, float],
    steps: int,
    optimizer: str,
    hparams: tuple[tuple[str, Any], ...],
) -> Trajectory:
    """One optimizer run on the user's surface."""
    _, run = own_surfaces(formula, window)
    return optviz.run(optimizer, run, start=start, steps=steps, hparams=dict(hparams))


def own_trajectories(formula, window, start, steps, runs) -> list[Trajectory]:
    """Every run of the race (``runs``: ``((optimizer, hparams), ...)``)."""
    return [own_trajectory(formula, window, start, steps, k, hp) for k, hp in runs]


def _labels(runs, tr=str) -> list[str]:
    """Legend names of the runs."""
    return [tr(optviz.OPTIMIZERS[k].name) for k, _ in runs]


@st.cache_resource(max_entries=64, show_spinner=False)
def own_race_figure(formula: str, window: Window, start, steps: int, runs, lang: str = "en"):
    """The animated race on the user's surface; shared, never mutate it."""
    view, _ = own_surfaces(formula, window)
    trajs = own_trajectories(formula, window, start, steps, runs)
    tr = translator(lang)
    return plots.trajectory_figure(view, trajs, _labels(runs, tr), height=540, tr=tr)


@st.cache_resource(max_entries=64, show_spinner=False)
def own_3d_figure(formula: str, window: Window, start, steps: int, runs, lang: str = "en"):
    """The user's surface in 3D with the paths; shared, never mutate it."""
    view, _ = own_surfaces(formula, window)
    trajs = own_trajectories(formula, window, start, steps, runs)
    tr = translator(lang)
    fig = plots.surface_3d(view, trajs, _labels(runs, tr), tr=tr)
    fig.update_layout(height=460)
    return fig


@st.cache_resource(max_entries=64, show_spinner=False)
def own_field_figure(formula: str, window: Window, lang: str = "en"):
    """The user's surface as a contour picture with its gradient field."""
    _, run = own_surfaces(formula, window)
    return gradcheck.field_figure(
        run, bounds=window, height=460, names=("x", "y"), tr=translator(lang)
    )


@st.cache_data(max_entries=256, show_spinner=False)
def own_latex(formula: str, window: Window) -> str:
    """The formula in LaTeX."""
    return own_surfaces(formula, window)[0].latex
