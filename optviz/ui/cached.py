"""Cached wrappers around optviz: hashable settings in, numpy results or figures out.

``st.cache_data`` copies its results (trajectories are small numpy arrays);
``st.cache_resource`` shares figures between reruns and sessions — they are never mutated.

A race is keyed by its ``repr`` (``KEYS``): Streamlit's own hasher walks the ~60 numbers of a
``Race`` one by one (0.4 ms a lookup, ~20 lookups a rerun); ``repr`` is exact for floats and
takes 20 µs. Each run is cached on its own settings (the surface, start, schedule … and that one
optimizer), so moving Adam's η reruns Adam only.
"""

from __future__ import annotations

from typing import Any, NamedTuple

# pandas is imported here, once, before any session's script runs: plotly peeks at
# sys.modules["pandas"] without the import lock and, while another session's thread was still
# importing it (st.dataframe imports it lazily), failed with "partially initialized module
# 'pandas'" (bench/load.py).
import numpy as np
import pandas  # noqa: F401
import streamlit as st

import optviz
from optviz import plots
from optviz.engine import Trajectory
from optviz.surfaces import Surface
from optviz.ui.i18n import translator


class Run(NamedTuple):
    """One optimizer run of a race, as hashable settings."""

    label: str
    optimizer: str
    hparams: tuple[tuple[str, Any], ...]


class Race(NamedTuple):
    """Everything that determines a race picture (hashable, so it keys the caches)."""

    surface: str
    formula: str
    surface_params: tuple[tuple[str, float], ...]
    start: tuple[float, float]
    steps: int
    runs: tuple[Run, ...]
    schedule: tuple[tuple[str, Any], ...] = (("kind", "constant"),)
    noise: float = 0.0
    seed: int = 0
    clip: tuple[tuple[str, Any], ...] = ()


def surface_of(key: str, formula: str = "") -> Surface:
    """The registry surface ``key``, or the compiled user formula when ``key == "formula"``."""
    if key == "formula":
        return optviz.compile_formula(formula)
    return optviz.get_surface(key)


KEYS = {Race: repr, Run: repr}
"""``hash_funcs`` of every cache below: a race or run is keyed by its exact ``repr``."""


def trajectory(race: Race, run: Run) -> Trajectory:
    """One run of a race (cached on the race's settings without its other runs)."""
    return _trajectory(race._replace(runs=()), run)


@st.cache_data(max_entries=2048, show_spinner=False, hash_funcs=KEYS)
def _trajectory(setting: Race, run: Run) -> Trajectory:
    """One run on the settings of a race whose ``runs`` are left out."""
    return optviz.run(**run_kwargs(setting, run))


def run_kwargs(race: Race, run: Run) -> dict[str, Any]:
    """The keyword arguments of ``optviz.run`` for one run of a race."""
    return dict(
        optimizer=run.optimizer,
        surface=surface_of(race.surface, race.formula),
        start=race.start,
        steps=race.steps,
        hparams=dict(run.hparams),
        schedule=dict(race.schedule),
        noise=race.noise,
        seed=race.seed,
        clip=dict(race.clip) or None,
        surface_params=dict(race.surface_params),
    )


@st.cache_resource(max_entries=256, show_spinner=False, hash_funcs=KEYS)
def trajectories(race: Race) -> tuple[Trajectory, ...]:
    """Every run of a race (one lookup per rerun; shared, never mutate them)."""
    return tuple(trajectory(race, run) for run in race.runs)


@st.cache_resource(max_entries=128, show_spinner=False, hash_funcs=KEYS)
def race_figure(race: Race, view: str, presenter: bool = False, lang: str = "en"):
    """The animated race figure (overlay or side by side); shared, never mutate it."""
    surface = surface_of(race.surface, race.formula)
    tr = translator(lang)
    labels = [tr(run.label) for run in race.runs]
    params = dict(race.surface_params)
    runs = trajectories(race)
    if view == "side":
        fig = plots.small_multiples(surface, runs, labels, params, tr=tr)
    else:
        height = 800 if presenter else 600  # the plot, the legend above, the controls below
        fig = plots.trajectory_figure(surface, runs, labels, params, height=height, tr=tr)
    return plots.presenter_style(fig) if presenter else fig


@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs=KEYS)
def quiz_figure(race: Race, lang: str = "en"):
    """The surface and the start point only (the quiz's question)."""
    surface = surface_of(race.surface, race.formula)
    params = dict(race.surface_params)
    return plots.surface_figure(surface, params, start=race.start, tr=translator(lang))


@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs=KEYS)
def race_3d(race: Race, lang: str = "en"):
    """The 3D surface with the paths (static)."""
    surface = surface_of(race.surface, race.formula)
    tr = translator(lang)
    labels = [tr(run.label) for run in race.runs]
    params = dict(race.surface_params)
    return plots.surface_3d(surface, trajectories(race), labels, params, tr=tr)


@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs=KEYS)
def race_loss(race: Race, lang: str = "en", presenter: bool = False):
    """Loss against step for every run (presenter: margins for the page's larger type)."""
    tr = translator(lang)
    fig = plots.loss_figure(trajectories(race), [tr(run.label) for run in race.runs], tr)
    if presenter:  # room for the larger labels (plots.MARGINS_NOTE)
        fig.update_layout(margin=dict(l=110, r=25, t=55, b=90))
    return fig


@st.cache_data(max_entries=256, show_spinner=False, hash_funcs=KEYS)
def race_rows(race: Race, tol: float = 1e-3) -> list[dict]:
    """The race table's rows."""
    surface = surface_of(race.surface, race.formula)
    labels = [run.label for run in race.runs]
    return plots.race_table(surface, trajectories(race), labels, dict(race.surface_params), tol)


@st.cache_data(max_entries=256, show_spinner=False, hash_funcs=KEYS)
def race_table(race: Race, lang: str = "en") -> str:
    """The race table as Markdown in the reader's language (``plots.race_table_markdown``)."""
    return plots.race_table_markdown(race_rows(race), translator(lang))


@st.cache_resource(show_spinner=False)
def serve_plotly_js() -> bool:
    """Puts plotly.js where the in-place chart loads it from, once per server process."""
    from optviz.ui import live_chart

    return live_chart.ensure_plotly_js()


@st.cache_resource(show_spinner="Compiling the optimizers once for this server…")
def warm_up() -> bool:
    """Compiles the landing page's runs once per server process."""
    for key in ("sgd", "momentum", "rmsprop", "adam"):
        optviz.run(key, "quadratic", steps=100)
    return True


def race_from_state(state: dict[str, Any], hparams: dict[str, dict[str, Any]]) -> Race:
    """Builds the hashable race settings from a playground state and the live hyperparameters.

    Args:
        state: Playground state (``optviz.urlstate.playground_fields`` names).
        hparams: Optimizer key -> hyperparameters read from the widgets.

    Returns:
        The ``Race``; the start falls back to the surface's own start.
    """
    from optviz import urlstate

    surface = surface_of(state["surface"], state.get("formula", ""))
    start = state.get("start") or surface.start
    clip = ()
    if state.get("clip", "none") != "none":
        clip = (("kind", state["clip"]), ("max", float(state["clip_max"])))
    kind = state.get("schedule", "constant")
    schedule = (("kind", kind), *sorted(urlstate.schedule_params(state, kind).items()))
    surface_params = (
        tuple(sorted(urlstate.surface_params(state, state["surface"]).items()))
        if state["surface"] in optviz.SURFACES
        else ()  # a formula or a real-data surface: no parameters in the playground
    )
    runs = tuple(
        Run(optviz.OPTIMIZERS[key].name, key, tuple(sorted(hparams[key].items())))
        for key in state["opts"]
    )
    return Race(
        surface=state["surface"],
        formula=state.get("formula", ""),
        surface_params=surface_params,
        start=(float(start[0]), float(start[1])),
        steps=int(state["steps"]),
        runs=runs,
        schedule=schedule,
        noise=float(state.get("noise", 0.0)),
        seed=int(state.get("seed", 0)),
        clip=clip,
    )


def enable_compile_cache(path: str = ".jax_cache") -> None:
    """Turns on JAX's persistent compilation cache so a restarted server skips compiles."""
    import os

    import jax

    directory = os.environ.get("JAX_COMPILATION_CACHE_DIR", path)
    jax.config.update("jax_compilation_cache_dir", directory)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.5)


@st.cache_data(max_entries=64, show_spinner=False, hash_funcs=KEYS)
def export_code(race: Race) -> list[tuple[str, str, str | None]]:
    """Per run: its label, the optviz snippet and the optax snippet (None without optax)."""
    from optviz import export

    out = []
    for run in race.runs:
        kwargs = run_kwargs(race, run)
        if race.surface != "formula":
            kwargs["surface"] = race.surface  # registry key: the snippet names the surface
        out.append((run.label, export.code_snippet(**kwargs), export.optax_snippet(**kwargs)))
    return out


LIVE_POINTS = 301
"""Most points per path in a live-drag family (longer runs are thinned, the last point kept)."""


@st.cache_data(max_entries=256, show_spinner=False, hash_funcs=KEYS)
def lr_family(race: Race, index: int, slider_key: str, heads_trace: int) -> dict:
    """Run ``index`` of a race at every stop of its learning-rate slider, for live drag.

    Args:
        race: The race.
        index: Which run (its path is trace ``1 + index`` of the overlay figure).
        slider_key: The run's learning-rate slider (``pg:adam.lr``).
        heads_trace: Index of the overlay figure's heads trace.

    Returns:
        ``live_chart.family`` of the run's paths over the slider's stops (one vmapped call).
    """
    from optviz.ui import controls, live_chart

    run = race.runs[index]
    opt = optviz.OPTIMIZERS[run.optimizer]
    lr = next(p for p in opt.params if p.name == "lr")
    current = float(opt.resolve(dict(run.hparams))["lr"])
    stops = controls.log_options(lr.low, lr.high, current)  # the slider's own stops
    kwargs = run_kwargs(race, run)
    batch = optviz.run_family(**kwargs, name="lr", values=stops)
    every = max(1, -(-race.steps // (LIVE_POINTS - 1)))  # thin long runs
    keep = np.unique(np.r_[np.arange(0, race.steps + 1, every), race.steps])
    return live_chart.family(
        slider_key,
        batch.xy[:, keep],
        path_trace=1 + index,
        heads_trace=heads_trace,
        head_index=index,
        current=stops.index(current),
        steps=race.steps,
        every=every,
    )
