"""Cached wrappers for the "Inside the optimizer" and "EWMA" lesson pages.

Hashable settings in (strings, ints, floats, tuples), numpy results or figures out. Figures are
shared through ``st.cache_resource`` and never mutated. Whatever shows text takes the language
code ``lang`` (``i18n.lang()``): it keys the cache, so an English and a Chinese session never
share a figure.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import streamlit as st

import optviz
from optviz.engine import Trajectory
from optviz.lessons import ewma, inside
from optviz.ui.i18n import translator


class Setup(NamedTuple):
    """One run of the "Inside the optimizer" page, as hashable settings."""

    optimizer: str
    surface: str
    surface_params: tuple[tuple[str, float], ...]
    start: tuple[float, float]
    steps: int
    hparams: tuple[tuple[str, Any], ...]


@st.cache_data(max_entries=256, show_spinner=False)
def trajectory(setup: Setup) -> Trajectory:
    """The run (cached per settings; float settings never recompile)."""
    return optviz.run(**run_kwargs(setup))


def run_kwargs(setup: Setup) -> dict[str, Any]:
    """The arguments of ``optviz.run`` for one setup (also the "copy as code" snippet's)."""
    return dict(
        optimizer=setup.optimizer,
        surface=setup.surface,
        start=setup.start,
        steps=setup.steps,
        hparams=dict(setup.hparams),
        surface_params=dict(setup.surface_params),
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def inside_figure(setup: Setup, lang: str = "en"):
    """The time-synced figure: path with arrows and the state panels (shared, read-only)."""
    return inside.inside_figure(
        setup.surface, trajectory(setup), dict(setup.surface_params), tr=translator(lang)
    )


@st.cache_data(max_entries=1024, show_spinner=False)
def update_latex(setup: Setup, t: int) -> str:
    """The update rule at step t with its numbers."""
    return inside.update_latex(trajectory(setup), t, setup.surface, dict(setup.surface_params))


def bias_pair(setup: Setup) -> tuple[Trajectory, Trajectory]:
    """Adam with bias correction on and off (``setup`` is an Adam setup; its flag is ignored)."""
    hp = dict(setup.hparams)
    on = setup._replace(hparams=tuple(sorted({**hp, "bias_correction": True}.items())))
    off = setup._replace(hparams=tuple(sorted({**hp, "bias_correction": False}.items())))
    return trajectory(on), trajectory(off)


@st.cache_resource(max_entries=64, show_spinner=False)
def bias_figure(setup: Setup, lang: str = "en"):
    """Adam with and without bias correction, side by side (shared, read-only)."""
    on, off = bias_pair(setup)
    return inside.bias_correction_figure(
        setup.surface, on, off, dict(setup.surface_params), tr=translator(lang)
    )


# ----------------------------------------------------------------------------- EWMA page


@st.cache_data(max_entries=256, show_spinner=False)
def temperatures(noise: float, seed: int):
    """The noisy daily temperatures (days, seasonal curve, measurements)."""
    return ewma.temperatures(ewma.DAYS, noise, seed)


@st.cache_resource(max_entries=64, show_spinner=False)
def ewma_figure(
    beta: float,
    noise: float,
    seed: int,
    day: int,
    compare: bool,
    corrected: bool,
    lang: str = "en",
):
    """The animated EWMA figure (shared, read-only)."""
    days, curve, theta = temperatures(noise, seed)
    return ewma.ewma_figure(
        days,
        theta,
        beta,
        day,
        compare=compare,
        corrected=corrected,
        curve=curve,
        tr=translator(lang),
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def weights_figure(beta: float, day: int, lang: str = "en"):
    """The weights of every day in the average at ``day`` (shared, read-only)."""
    return ewma.weights_figure(beta, day, tr=translator(lang))
