"""Cached wrappers of the schedules and clipping lesson pages: hashable settings in, results out.

``st.cache_data`` copies what it returns (small numpy trajectories, curves, facts);
``st.cache_resource`` shares figures between reruns and sessions (never mutated).
Whatever shows text takes the language code ``lang`` (``i18n.lang()``): it keys the cache, so
an English and a Chinese session never share a figure or a story.
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from optviz import plots
from optviz.engine import Trajectory
from optviz.lessons import clipping
from optviz.lessons import schedules_lesson as lesson
from optviz.ui.i18n import translator

# ----------------------------------------------------------------------------- schedules


class Comparison(NamedTuple):
    """Everything that determines the schedules page's runs (hashable: keys the caches)."""

    optimizer: str
    surface: str
    start: tuple[float, float] | None
    steps: int
    lr0: float
    kind: str
    values: tuple[tuple[str, float], ...]
    warmup: float


@st.cache_data(max_entries=256, show_spinner=False)
def curves(
    lr0: float,
    steps: int,
    values_by_kind: tuple[tuple[str, tuple[tuple[str, float], ...]], ...],
    warmup: float,
) -> dict:
    """Every schedule's α_t curve with the same α₀, T and T'."""
    return lesson.all_curves(lr0, steps, {k: dict(v) for k, v in values_by_kind}, warmup)


@st.cache_resource(max_entries=64, show_spinner=False)
def overview(
    lr0: float,
    steps: int,
    values_by_kind: tuple[tuple[str, tuple[tuple[str, float], ...]], ...],
    warmup: float,
    chosen: str,
    lang: str = "en",
):
    """The small multiples of all α_t curves with ``chosen`` highlighted (shared figure)."""
    return lesson.overview_figure(
        curves(lr0, steps, values_by_kind, warmup), chosen, warmup, tr=translator(lang)
    )


@st.cache_data(max_entries=256, show_spinner=False)
def comparison(setting: Comparison) -> tuple[Trajectory, Trajectory]:
    """The constant-rate run and the scheduled run."""
    return lesson.compare(
        setting.optimizer,
        setting.surface,
        setting.start,
        setting.steps,
        setting.lr0,
        setting.kind,
        dict(setting.values),
        setting.warmup,
    )


CONSTANT = "Constant α = {eta:.3g}"


def labels(setting: Comparison, lang: str = "en") -> list[str]:
    """The two runs' names: the constant rate with its value, the schedule with its name."""
    tr = translator(lang)
    eta = lesson.baseline_rate(setting.kind, setting.lr0, dict(setting.values))
    return [tr(CONSTANT).format(eta=eta), tr(lesson.SHORT_NAMES[setting.kind])]


@st.cache_resource(max_entries=64, show_spinner=False)
def comparison_figure(setting: Comparison, lang: str = "en"):
    """The two runs animated side by side."""
    runs = list(comparison(setting))
    return plots.small_multiples(setting.surface, runs, labels(setting, lang), tr=translator(lang))


@st.cache_resource(max_entries=64, show_spinner=False)
def comparison_loss(setting: Comparison, lang: str = "en"):
    """Loss against step for both runs."""
    runs = list(comparison(setting))
    return plots.loss_figure(runs, labels(setting, lang), translator(lang))


@st.cache_resource(max_entries=64, show_spinner=False)
def comparison_rates(setting: Comparison, lang: str = "en"):
    """α_t against step for both runs."""
    runs = list(comparison(setting))
    return lesson.rate_figure(runs, labels(setting, lang), tr=translator(lang))


# ----------------------------------------------------------------------------- clipping


class Clipping(NamedTuple):
    """Everything that determines the clipping page's runs."""

    surface: str
    optimizer: str
    lr: float
    b: float
    start: tuple[float, float] | None
    steps: int


def clipping_labels(setting: Clipping, lang: str = "en") -> list[str]:
    """Names of the runs shown (the Adam extra on the plateau when the optimizer is not Adam)."""
    tr = translator(lang)
    names = [tr(label) for _, label in clipping.VARIANTS]
    if with_adam(setting):
        names.append(tr(clipping.ADAM_EXTRA[2]))
    return names


def with_adam(setting: Clipping) -> bool:
    """Whether the page adds the Adam run (on the plateau, for SGD and momentum)."""
    return setting.surface == "plateau" and setting.optimizer != "adam"


@st.cache_data(max_entries=256, show_spinner=False)
def clipping_runs(setting: Clipping) -> list[Trajectory]:
    """The three clipping runs, then the Adam extra if shown."""
    runs = clipping.clipping_runs(
        setting.surface, setting.optimizer, setting.lr, setting.b, setting.start, setting.steps
    )
    if with_adam(setting):
        runs.append(clipping.adam_run(setting.surface, setting.start, setting.steps))
    return runs


@st.cache_resource(max_entries=64, show_spinner=False)
def clipping_figure(setting: Clipping, lang: str = "en"):
    """The runs animated side by side."""
    runs = clipping_runs(setting)
    cols = 2 if len(runs) == 4 else 3
    return plots.small_multiples(
        setting.surface,
        runs,
        clipping_labels(setting, lang),
        cols=cols,
        height_per_row=300,
        tr=translator(lang),
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def clipping_norms(setting: Clipping, lang: str = "en"):
    """Gradient norms before and after clipping, with the threshold b."""
    names = clipping_labels(setting, lang)
    return clipping.norm_figure(clipping_runs(setting), names, setting.b, tr=translator(lang))


@st.cache_data(max_entries=256, show_spinner=False)
def clipping_story(setting: Clipping, lang: str = "en") -> list[tuple[str, str]]:
    """The computed explanation of the runs."""
    runs = clipping_runs(setting)
    names = clipping_labels(setting, lang)
    measured = [clipping.facts(run, lab) for run, lab in zip(runs, names, strict=True)]
    extra = measured[3] if len(measured) > 3 else None
    return clipping.story(setting.surface, measured[:3], setting.b, extra, tr=translator(lang))
