"""Cached wrappers of the real-data and loss-landscape lessons (hashable settings in, views out).

``st.cache_resource`` shares figures between reruns and sessions (never mutated); every
wrapper that shows text takes the language code, so English and Chinese never share one.
"""

from __future__ import annotations

import streamlit as st

from optviz.engine import Trajectory
from optviz.lessons import loss_landscape, realdata
from optviz.ui.i18n import translator


@st.cache_resource(max_entries=128, show_spinner=False)
def trajectory(setting: realdata.Setting) -> Trajectory:
    """The training run (shared: never mutate it)."""
    return realdata.trajectory(setting)


@st.cache_resource(max_entries=64, show_spinner=False)
def paths_figure(setting: realdata.Setting, lang: str = "en"):
    """The run on the training and the validation loss, side by side."""
    return realdata.paths_figure(setting, trajectory(setting), translator(lang))


@st.cache_resource(max_entries=64, show_spinner=False)
def errors_figure(setting: realdata.Setting, lang: str = "en"):
    """Training and validation error against step, with early stopping."""
    return realdata.errors_figure(setting, trajectory(setting), translator(lang))


@st.cache_data(max_entries=128, show_spinner=False)
def story(setting: realdata.Setting, lang: str = "en") -> list[tuple[str, str]]:
    """What the pictures show, computed from the run."""
    return realdata.story(setting, trajectory(setting), translator(lang))


@st.cache_data(max_entries=128, show_spinner=False)
def conditioning(setting: realdata.Setting) -> realdata.Conditioning:
    """κ raw and normalized, and η_max of this setting."""
    return realdata.conditioning(setting)


@st.cache_resource(max_entries=64, show_spinner=False)
def spread_figure(setting: realdata.Setting, lang: str = "en"):
    """σ_K against K: sampled, exact and the Gaussian model."""
    return realdata.spread_figure(setting, translator(lang))


@st.cache_resource(max_entries=64, show_spinner=False)
def clouds_figure(setting: realdata.Setting, lang: str = "en"):
    """Real mini-batch runs vs Gaussian-noise runs."""
    return realdata.clouds_figure(setting, translator(lang))


# ----------------------------------------------------------------------------- the landscape


@st.cache_resource(max_entries=64, show_spinner=False)
def landscape_figures(setting: loss_landscape.Setting, lang: str = "en"):
    """The two slices side by side and their cross-sections through θ*."""
    tr = translator(lang)
    return loss_landscape.slices_figure(setting, tr), loss_landscape.sections_figure(setting, tr)


@st.cache_data(max_entries=128, show_spinner=False)
def landscape_text(setting: loss_landscape.Setting, lang: str = "en") -> tuple[str, list[str]]:
    """The table of numbers and what they say."""
    tr = translator(lang)
    return loss_landscape.table_markdown(setting, tr), loss_landscape.story(setting, tr)
