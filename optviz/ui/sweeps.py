"""Cached wrappers for the sweeps page: hashable settings in, results or figures out.

``st.cache_data`` copies its results (numpy arrays, small dataclasses); ``st.cache_resource``
shares figures between reruns and sessions — they are never mutated. Every argument is a
float, int, str or tuple (``search.MapSettings`` is a NamedTuple). Figure wrappers take the
language code ``lang`` (it keys the cache, so English and Chinese never share a figure).
"""

from __future__ import annotations

import streamlit as st

import optviz
from optviz import plots, search
from optviz.engine import Trajectory
from optviz.ui.i18n import translator

MapSettings = search.MapSettings


@st.cache_data(max_entries=32, show_spinner=False)
def hyper_map(settings: MapSettings) -> search.HyperMap:
    """The hyperparameter map: one ``optviz.sweep`` of res × res full runs."""
    return search.hyper_map(settings)


@st.cache_resource(max_entries=32, show_spinner=False)
def map_figure(settings: MapSettings, color: str, pick: tuple[int, int] | None, lang: str = "en"):
    """The clickable heatmap of the map (shared; never mutate it)."""
    return search.map_figure(hyper_map(settings), color, pick, tr=translator(lang))


@st.cache_data(max_entries=256, show_spinner=False)
def replay(settings: MapSettings, cell: tuple[int, int]) -> Trajectory:
    """The full run of one cell of the map (the same hyperparameters, start and noise)."""
    return optviz.run(**replay_kwargs(settings, cell))


def replay_kwargs(settings: MapSettings, cell: tuple[int, int]) -> dict:
    """The arguments of ``optviz.run`` that replay one cell of the map."""
    hmap = hyper_map(settings)
    hp, noise = search.hparams_for(settings, float(hmap.lrs[cell[0]]), float(hmap.ys[cell[1]]))
    return dict(
        optimizer=settings.optimizer,
        surface=settings.surface,
        start=settings.start,
        steps=settings.steps,
        hparams=hp,
        noise=noise,
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def replay_figure(settings: MapSettings, cell: tuple[int, int], label: str, lang: str = "en"):
    """The animated replay of one cell on the surface."""
    traj = replay(settings, cell)
    return plots.trajectory_figure(
        settings.surface,
        [traj],
        [label],
        clickable=False,
        height=520,
        max_frames=120,
        stacked_controls=True,  # a half-width column: ~190 px of plot on a 1024-pixel screen
        tr=translator(lang),
    )


@st.cache_data(max_entries=32, show_spinner=False)
def fair(
    optimizers: tuple[str, ...],
    surface: str,
    start: tuple[float, float] | None,
    steps: int,
    lr_range: tuple[float, float],
) -> list[search.Curve]:
    """Final loss against η for every optimizer (one sweep each)."""
    return search.fair_comparison(optimizers, surface, start, steps, lr_range)


@st.cache_resource(max_entries=32, show_spinner=False)
def fair_figure(optimizers, surface, start, steps, lr_range, lang: str = "en"):
    """The fair-comparison curves."""
    curves = fair(optimizers, surface, start, steps, lr_range)
    return search.fair_figure(curves, tr=translator(lang))


@st.cache_data(max_entries=32, show_spinner=False)
def basins(
    surface: str, optimizer: str, lr: float, steps: int, res: int, noise: float, seed: int
) -> search.BasinMap:
    """A basin map (one ``optviz.final_points`` call)."""
    return search.basin_map(surface, optimizer, lr, steps, res, noise=noise, seed=seed)


@st.cache_resource(max_entries=32, show_spinner=False)
def basin_figure(surface, optimizer, lr, steps, res, noise, seed, lang: str = "en"):
    """The basin picture."""
    bmap = basins(surface, optimizer, lr, steps, res, noise, seed)
    return search.basin_figure(bmap, surface, tr=translator(lang))


@st.cache_resource(max_entries=32, show_spinner=False)
def share_figure(surface, optimizer, lr, steps, res, noise, seed, lang: str = "en"):
    """Share of starts per basin, without noise and (if σ > 0) with it."""
    clean = basins(surface, optimizer, lr, steps, res, 0.0, seed)
    noisy = basins(surface, optimizer, lr, steps, res, noise, seed) if noise > 0 else None
    return search.share_figure(clean, noisy, noise, tr=translator(lang))


@st.cache_data(max_entries=64, show_spinner=False)
def search_curves(settings: MapSettings, n_max: int, seed: int) -> search.SearchCurves:
    """Grid vs random search on the map, 200 draws each."""
    return search.search_curves(hyper_map(settings).objective, n_max, draws=200, seed=seed)


@st.cache_resource(max_entries=64, show_spinner=False)
def search_figures(settings: MapSettings, n: int, seed: int, lang: str = "en"):
    """(points over the map, best-so-far curves)."""
    hmap = hyper_map(settings)
    tr = translator(lang)
    return (
        search.search_points_figure(hmap, n, seed, tr=tr),
        search.search_curve_figure(search_curves(settings, n, seed), tr=tr),
    )


@st.cache_data(max_entries=64, show_spinner=False)
def halving(settings: MapSettings, n: int, seed: int) -> search.Halving:
    """Successive halving of n random configurations in the map's ranges."""
    return search.halving_on_map(hyper_map(settings), n, seed)


@st.cache_resource(max_entries=32, show_spinner=False)
def halving_figure(settings: MapSettings, n: int, seed: int, lang: str = "en"):
    """The animated rounds of successive halving over the map."""
    result = halving(settings, n, seed)
    return search.halving_figure(hyper_map(settings), result, tr=translator(lang))
