r"""Sweeps and search (超参数优化): maps of real runs, basins, grid vs random search, halving.

Everything here is pure (numpy, jax through ``optviz``, plotly; never streamlit):

* **The hyperparameter map**: one ``optviz.sweep`` over the learning rate η (log axis) × a
  second hyperparameter (γ, β₁, β₂, ρ, ... or the gradient noise σ), every cell a full run.
  Cells are *centred*: the map of ``n`` cells over ``[a, b]`` puts cell ``i`` at

  .. math:: \log\eta_i = \log a + \frac{i + \tfrac12}{n}(\log b - \log a)

  so the cells tile the range exactly and "the cell containing a point" is ``floor(u n)`` for
  the point's position ``u ∈ [0, 1)`` along the axis.
* **Grid vs random search (网格搜索 / 随机搜索)** with the same budget N on that map: the map is
  the objective, a sampled point scores the value of the cell it falls in. For random search
  the expected best of N uniform draws over M cells with sorted values
  :math:`v_{(1)} \le \dots \le v_{(M)}` is exact:

  .. math:: \mathbb E\big[\min_{n \le N} v\big] = \sum_{k=1}^{M} v_{(k)}
            \Big[\Big(\tfrac{M-k+1}{M}\Big)^N - \Big(\tfrac{M-k}{M}\Big)^N\Big]

  A k×k grid (N = k²) with a random offset tries only k distinct values of each
  hyperparameter; random search tries N. When only η matters (the notes: η first), that is
  the whole story.
* **Successive halving (逐次减半)**: n configurations, a small step budget, keep the best half,
  double the budget: rounds :math:`r = 0..R-1` with :math:`n_r = n / 2^r` configurations and
  budgets :math:`b_r = T / 2^{R-1-r}`, :math:`R = \log_2 n + 1`. A run of ``b`` steps is
  computed as a run of T steps whose learning rate drops to 0 after step ``b`` (the step
  schedule with :math:`\beta = 0,\ \Delta T = b`): every update is η times something, so the
  point stays put, and every budget reuses one compiled program.
* **Basins of attraction (吸引域)**: a grid of start points, each run's end point labelled by
  the known minimum within a radius of it, or "not converged" / "diverged".
* **Fair comparison**: final loss against η for each optimizer, each marked at its best η.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go
from PIL import Image

import optviz
from optviz import plots
from optviz.engine import lowest_minimum
from optviz.optimizers import OPTIMIZERS
from optviz.surfaces import Param, Surface, get_surface

NOISE = Param("noise", r"\sigma", 0.0, 0.0, 2.0, False, "Std σ of the gradient noise (小批量噪声).")
"""The gradient noise σ as a map axis (every optimizer has it)."""

GAP_FLOOR = 1e-10
"""Smallest f − f* shown: float32 losses carry no more digits than that near a minimum."""

TOL = 1e-3
"""A run "reaches" the minimum at the first step with f − f* ≤ TOL (the sweep's default)."""

DIVERGED = -2
NOT_CONVERGED = -1

DIVERGED_GREY = "#3a3a3a"
NEVER_GREY = "#cfcfcf"
BASIN_COLORS = (
    "#E69F00",  # orange: the global minimum on Rastrigin, else minimum 1
    "#0072B2",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#8C6D31",
    "#9467BD",
    "#17BECF",
)
ROUND_COLORS = ("#440154", "#3b528b", "#21918c", "#5ec962", "#b5a100", "#e07b00", "#d62728")


# ----------------------------------------------------------------------------- map settings


def axis_names(optimizer: str) -> tuple[str, ...]:
    """Hyperparameters that can be the map's second axis: linear floats other than η, and σ."""
    opt = OPTIMIZERS[optimizer]
    return (*(p.name for p in opt.params if p.name != "lr" and not p.log), "noise")


def axis_param(optimizer: str, name: str) -> Param:
    """The ``Param`` (symbol, range) of a second-axis name of ``optimizer``."""
    if name == "noise":
        return NOISE
    for p in OPTIMIZERS[optimizer].params:
        if p.name == name:
            return p
    raise KeyError(f"{optimizer} has no axis {name!r}; it has: {', '.join(axis_names(optimizer))}")


class MapSettings(NamedTuple):
    """Everything that determines a hyperparameter map (hashable: it keys the caches).

    Attributes:
        optimizer: Optimizer key.
        surface: Surface key.
        start: Start point, or None for the surface's own.
        steps: Steps per run (compiled per exact count: offer a fixed menu).
        axis: Second hyperparameter (see ``axis_names``).
        lr_range: ``(η_min, η_max)`` of the log axis.
        y_range: ``(min, max)`` of the second axis.
        res: Cells per axis.
    """

    optimizer: str = "momentum"
    surface: str = "quadratic"
    start: tuple[float, float] | None = None
    steps: int = 100
    axis: str = "momentum"
    lr_range: tuple[float, float] = (1e-3, 1.0)
    y_range: tuple[float, float] = (0.0, 0.99)
    res: int = 50


def valid_range(
    low: float, high: float, limits: tuple[float, float], log: bool = False
) -> tuple[float, float]:
    """``(low, high)`` clamped to ``limits`` and widened if empty (×10 on a log axis, else 1%)."""
    low = min(max(float(low), limits[0]), limits[1])
    high = min(max(float(high), limits[0]), limits[1])
    low, high = min(low, high), max(low, high)
    if high > low:
        return low, high
    if log:
        return (low, min(low * 10, limits[1])) if low < limits[1] else (high / 10, high)
    width = 0.01 * (limits[1] - limits[0])
    return (low, min(low + width, limits[1])) if low < limits[1] else (high - width, high)


def slider_step(param: Param) -> float:
    """A round slider step that cuts the parameter's range into about 200 increments."""
    raw = (param.high - param.low) / 200
    return float(f"{10 ** math.floor(math.log10(raw)):.0e}") if raw > 0 else 0.01


def cell_centres(low: float, high: float, n: int, log: bool = False) -> np.ndarray:
    """``n`` cell centres tiling ``[low, high]`` (geometric when ``log``)."""
    u = (np.arange(n) + 0.5) / n  # centre of cell i as a fraction of the range
    if log:
        return np.exp(math.log(low) + u * (math.log(high) - math.log(low)))  # log-uniform
    return low + u * (high - low)


def to_unit(values, low: float, high: float, log: bool = False) -> np.ndarray:
    """Position of ``values`` in ``[low, high]`` as a fraction 0..1 (log scale when ``log``)."""
    v = np.asarray(values, np.float64)
    if log:
        return (np.log(v) - math.log(low)) / (math.log(high) - math.log(low))
    return (v - low) / (high - low)


def from_unit(u, low: float, high: float, log: bool = False) -> np.ndarray:
    """Inverse of ``to_unit``."""
    u = np.asarray(u, np.float64)
    if log:
        return np.exp(math.log(low) + u * (math.log(high) - math.log(low)))
    return low + u * (high - low)


def cell_of(u, n: int) -> np.ndarray:
    """Index of the cell that contains the unit position ``u`` (of ``n`` cells)."""
    return np.clip(np.floor(np.asarray(u) * n).astype(int), 0, n - 1)


@dataclasses.dataclass(frozen=True)
class HyperMap:
    """A computed hyperparameter map; arrays are ``(len(lrs), len(ys))``.

    Attributes:
        settings: What was computed.
        lrs: Learning-rate cell centres (log-spaced).
        ys: Second-axis cell centres.
        gap: Final ``f − f*`` (floored at ``GAP_FLOOR``), NaN where diverged.
        diverged: Boolean mask.
        steps_to_tol: First step with ``f − f* ≤ TOL``, -1 if never.
        f_star: The reference f*: the lowest known minimum, else the lowest final loss.
    """

    settings: MapSettings
    lrs: np.ndarray
    ys: np.ndarray
    gap: np.ndarray
    diverged: np.ndarray
    steps_to_tol: np.ndarray
    f_star: float

    @property
    def objective(self) -> np.ndarray:
        """``log10(f − f*)`` per cell, diverged cells at the worst finite value (NaN if none).

        This is what a search sees: a diverged trial is as bad as the worst one that did not.
        """
        return penalised(np.log10(self.gap))

    @property
    def diverged_share(self) -> float:
        """Share of the map's runs that diverged."""
        return float(self.diverged.mean())

    def best(self) -> tuple[int, int] | None:
        """Cell ``(i, j)`` with the lowest final loss, or None if every run diverged."""
        if not np.isfinite(self.gap).any():
            return None
        i, j = np.unravel_index(np.nanargmin(self.gap), self.gap.shape)
        return int(i), int(j)

    def nearest(self, lr: float, y: float) -> tuple[int, int]:
        """The cell whose centre is nearest to ``(η, y)`` (η on the log scale)."""
        i = int(np.argmin(np.abs(np.log(self.lrs) - math.log(max(lr, 1e-30)))))
        j = int(np.argmin(np.abs(self.ys - y)))
        return i, j


def penalised(objective: np.ndarray) -> np.ndarray:
    """Non-finite entries replaced by the worst finite one (all NaN stays all NaN)."""
    obj = np.asarray(objective, np.float64)
    finite = np.isfinite(obj)
    if not finite.any():
        return np.full(obj.shape, np.nan)
    return np.where(finite, obj, obj[finite].max())


def hparams_for(settings: MapSettings, lr, y) -> tuple[dict, object]:
    """``(hparams, noise)`` for ``optviz`` at η = ``lr`` and second axis = ``y``."""
    if settings.axis == "noise":
        return {"lr": lr}, y
    return {"lr": lr, settings.axis: y}, 0.0


def _f_star(surface: Surface) -> float:
    """f*: the lowest known minimum of the surface at its default parameters (-inf if none)."""
    return lowest_minimum(surface, tuple(sorted(surface.default_params().items())))


def hyper_map(settings: MapSettings) -> HyperMap:
    """Runs the map: ONE ``optviz.sweep`` of ``res × res`` full runs.

    Args:
        settings: The map's settings.

    Returns:
        The ``HyperMap``.
    """
    s = settings
    p = axis_param(s.optimizer, s.axis)
    lrs = cell_centres(*s.lr_range, s.res, log=True)
    ys = cell_centres(*s.y_range, s.res, log=p.log)
    result = optviz.sweep(
        s.optimizer,
        s.surface,
        start=s.start,
        steps=s.steps,
        grid={"lr": lrs, s.axis: ys},
        tol=TOL,
    )
    surf = get_surface(s.surface)
    f_star = _f_star(surf)
    loss = np.where(result.diverged, np.nan, result.final_loss)
    if not math.isfinite(f_star):  # no known minimum (a saddle): the best run is the reference
        f_star = float(np.nanmin(loss)) if np.isfinite(loss).any() else 0.0
    gap = np.maximum(loss - f_star, GAP_FLOOR)  # f − f*, NaN stays NaN
    return HyperMap(
        settings=s,
        lrs=lrs,
        ys=ys,
        gap=gap,
        diverged=result.diverged.copy(),
        steps_to_tol=result.steps_to_tol.copy(),
        f_star=f_star,
    )


def importance(objective: np.ndarray) -> dict[str, float]:
    r"""Share of the map's variance explained by each axis alone (functional ANOVA, 2D).

    .. math:: V = \operatorname{Var} z,\quad V_\eta = \operatorname{Var}_i \bar z_{i\cdot},
              \quad V_y = \operatorname{Var}_j \bar z_{\cdot j},\quad
              V_{\eta y} = V - V_\eta - V_y

    Args:
        objective: ``(n_lr, n_y)`` values (e.g. ``HyperMap.objective``); NaN are penalised.

    Returns:
        ``{"lr": V_η/V, "y": V_y/V, "interaction": V_ηy/V}`` (all 0 for a flat map).
    """
    z = penalised(objective)
    if not np.isfinite(z).all():
        return {"lr": 0.0, "y": 0.0, "interaction": 0.0}
    total = float(z.var())  # V
    if total <= 0:
        return {"lr": 0.0, "y": 0.0, "interaction": 0.0}
    v_lr = float(z.mean(axis=1).var())  # variance of the row means: η alone
    v_y = float(z.mean(axis=0).var())  # variance of the column means: y alone
    return {"lr": v_lr / total, "y": v_y / total, "interaction": 1.0 - (v_lr + v_y) / total}


def zoom_ranges(
    lr_range: tuple[float, float],
    y_range: tuple[float, float],
    best: tuple[float, float],
    y_limits: tuple[float, float],
    factor: float = 4.0,
    lr_limits: tuple[float, float] = (1e-5, 100.0),
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Coarse-to-fine (从粗略到精细): ranges ``factor`` times narrower, centred on ``best``.

    η zooms on the log scale; each new range is shifted (not cut) to stay inside its limits.

    Args:
        lr_range: Current ``(η_min, η_max)``.
        y_range: Current range of the second axis.
        best: ``(η, y)`` of the best cell found.
        y_limits: Allowed range of the second axis.
        factor: How many times narrower.
        lr_limits: Allowed range of η.

    Returns:
        ``(lr_range, y_range)``.
    """

    def shrink(lo, hi, centre, limits):
        half = 0.5 * (hi - lo) / factor  # half the new width
        lo, hi = centre - half, centre + half
        shift = max(limits[0] - lo, 0.0) - max(hi - limits[1], 0.0)  # back inside the limits
        return max(lo + shift, limits[0]), min(hi + shift, limits[1])

    log_lr = shrink(
        math.log10(lr_range[0]),
        math.log10(lr_range[1]),
        math.log10(best[0]),
        (math.log10(lr_limits[0]), math.log10(lr_limits[1])),
    )
    new_lr = (float(10 ** log_lr[0]), float(10 ** log_lr[1]))
    new_y = tuple(float(v) for v in shrink(*y_range, best[1], y_limits))
    return new_lr, new_y


# ----------------------------------------------------------------------------- grid vs random


def grid_points(k: int, offset: Sequence[float] = (0.5, 0.5)) -> np.ndarray:
    """A k×k grid in the unit square: point ``(a, b)`` at ``((a + u)/k, (b + v)/k)``.

    Args:
        k: Points per axis (budget N = k²).
        offset: ``(u, v)`` in [0, 1): 0.5 centres the grid; random offsets average over
            where the grid happens to fall.

    Returns:
        ``(k*k, 2)`` unit positions (η fraction, y fraction).
    """
    a, b = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
    u = (a.ravel() + offset[0]) / k
    v = (b.ravel() + offset[1]) / k
    return np.stack([u, v], axis=1)


def lookup(values: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Map values at unit positions ``points`` (..., 2): the value of the containing cell."""
    n_lr, n_y = values.shape
    return values[cell_of(points[..., 0], n_lr), cell_of(points[..., 1], n_y)]


def expected_best_random(values: np.ndarray, budgets: Sequence[int]) -> np.ndarray:
    r"""Exact expected best (lowest) value of N uniform random trials on the map's cells.

    .. math:: \mathbb E[\min] = \sum_k v_{(k)}
              \big[(\tfrac{M-k+1}{M})^N - (\tfrac{M-k}{M})^N\big]

    Args:
        values: The map's objective (any shape, finite).
        budgets: Budgets N.

    Returns:
        One expectation per budget.
    """
    v = np.sort(np.asarray(values, np.float64).ravel())  # v_(1) ≤ … ≤ v_(M)
    m = v.size
    k = np.arange(1, m + 1)
    out = []
    for n in budgets:
        p = ((m - k + 1) / m) ** n - ((m - k) / m) ** n  # P(min of N draws = v_(k))
        out.append(float(np.dot(p, v)))
    return np.array(out)


class SearchCurves(NamedTuple):
    """Best-found-so-far curves of grid and random search on one map.

    Attributes:
        budgets: ``1..n_max`` (random search).
        random_draws: ``(draws, n_max)`` best-so-far of each random sequence.
        random_expected: Exact expectation per budget.
        grid_k: Grid sizes k (budget k²).
        grid_draws: ``(draws, len(grid_k))`` best of a k×k grid with a random offset.
    """

    budgets: np.ndarray
    random_draws: np.ndarray
    random_expected: np.ndarray
    grid_k: np.ndarray
    grid_draws: np.ndarray


def search_curves(objective: np.ndarray, n_max: int, draws: int = 200, seed: int = 0):
    """Grid vs random search with the same budget, ``draws`` times (vectorised with numpy).

    Args:
        objective: ``(n_lr, n_y)`` finite map values (lower is better).
        n_max: Largest budget N.
        draws: Independent repetitions (random points; random grid offsets).
        seed: Seed of the draws.

    Returns:
        ``SearchCurves``.
    """
    rng = np.random.default_rng(seed)
    pts = rng.random((draws, n_max, 2))  # random search: N uniform points per draw
    random_draws = np.minimum.accumulate(lookup(objective, pts), axis=1)  # best so far
    budgets = np.arange(1, n_max + 1)
    grid_k = np.arange(1, math.isqrt(n_max) + 1)
    offsets = rng.random((draws, 2))  # where each draw's grid falls inside a grid cell
    grid_draws = np.empty((draws, len(grid_k)))
    for c, k in enumerate(grid_k):
        a = np.arange(k)[None, :, None]  # grid index along each axis
        u = (np.repeat(a, k, axis=1) + offsets[:, None, None, 0:1]) / k  # (draws, k, k, 1)
        v = (np.tile(a, (1, k, 1)) + offsets[:, None, None, 1:2]) / k
        grid = np.concatenate([u, v], axis=-1).reshape(draws, k * k, 2)
        grid_draws[:, c] = lookup(objective, grid).min(axis=1)  # best of the k×k grid
    expected = expected_best_random(objective, budgets)
    return SearchCurves(budgets, random_draws, expected, grid_k, grid_draws)


def search_summary(curves: SearchCurves) -> dict[str, float]:
    """The largest square budget N = k² of ``curves`` and each search's mean best there.

    Returns:
        ``{"k": k, "n": k², "grid": mean best of the k×k grid, "random": E[best of k² draws]}``.
    """
    k = int(curves.grid_k[-1])
    return {
        "k": k,
        "n": k * k,
        "grid": float(curves.grid_draws[:, -1].mean()),
        "random": float(curves.random_expected[k * k - 1]),
    }


# ----------------------------------------------------------------------------- successive halving


def halving_budgets(n: int, max_budget: int) -> list[tuple[int, int]]:
    """``(configurations, steps)`` of every round: n, n/2, …, 1 with budgets doubling to T.

    Args:
        n: Configurations at the start (a power of two).
        max_budget: Steps T of the last round.

    Returns:
        ``[(n_r, b_r)]`` with ``n_r = n / 2^r`` and ``b_r = round(T / 2^(R-1-r)) ≥ 1``.
    """
    if n < 1 or n & (n - 1):
        raise ValueError(f"n must be a power of two, got {n}")
    rounds = n.bit_length()  # R = log2(n) + 1
    return [
        (n >> r, max(1, round(max_budget / 2 ** (rounds - 1 - r))))  # n_r, b_r
        for r in range(rounds)
    ]


class Round(NamedTuple):
    """One round of successive halving.

    Attributes:
        budget: Steps per configuration this round.
        alive: Indices of the configurations evaluated.
        scores: Their scores (lower is better; inf for diverged).
        survivors: Indices kept for the next round (the best half).
    """

    budget: int
    alive: np.ndarray
    scores: np.ndarray
    survivors: np.ndarray


def successive_halving(
    evaluate: Callable[[np.ndarray, int], np.ndarray], n: int, max_budget: int
) -> list[Round]:
    """Successive halving: evaluate all, keep the best half, double the budget, repeat.

    Args:
        evaluate: ``evaluate(indices, budget) -> scores`` for configurations ``indices``
            after ``budget`` steps (lower is better; NaN counts as worst).
        n: Number of configurations (a power of two), indices ``0..n-1``.
        max_budget: Steps of the final round.

    Returns:
        One ``Round`` per round; the last has one survivor, the winner.
    """
    alive = np.arange(n)
    rounds = []
    for count, budget in halving_budgets(n, max_budget):
        assert len(alive) == count
        scores = np.asarray(evaluate(alive, budget), np.float64)
        ranked = np.argsort(np.where(np.isfinite(scores), scores, np.inf), kind="stable")
        survivors = alive[np.sort(ranked[: max(count // 2, 1)])]  # the best half
        rounds.append(Round(budget, alive, scores, survivors))
        alive = survivors
    return rounds


def halving_cost(rounds: Sequence[Round]) -> int:
    """Total steps spent: Σ n_r b_r."""
    return int(sum(len(r.alive) * r.budget for r in rounds))


class Halving(NamedTuple):
    """Successive halving on a map's ranges.

    Attributes:
        unit: ``(n, 2)`` unit positions of the configurations.
        lrs: Their η.
        ys: Their second-axis values.
        rounds: The rounds (scores are ``log10(f − f*)``).
    """

    unit: np.ndarray
    lrs: np.ndarray
    ys: np.ndarray
    rounds: list[Round]


def halving_on_map(hmap: HyperMap, n: int, seed: int = 0) -> Halving:
    """Successive halving of ``n`` random configurations in the map's ranges, with real runs.

    Round r runs every survivor for ``b_r`` steps: one ``optviz.engine.final_points`` call of
    T steps whose learning rate drops to 0 after ``b_r`` steps (the same compiled program for
    every round).

    Args:
        hmap: The map (its settings give optimizer, surface, start, T and the ranges).
        n: Configurations (a power of two).
        seed: Seed of the random configurations.

    Returns:
        ``Halving``.
    """
    s = hmap.settings
    p = axis_param(s.optimizer, s.axis)
    unit = np.random.default_rng(seed).random((n, 2))  # random configurations (随机搜索)
    lrs = from_unit(unit[:, 0], *s.lr_range, log=True)
    ys = from_unit(unit[:, 1], *s.y_range, log=p.log)
    surf = get_surface(s.surface)
    start = s.start if s.start is not None else surf.start

    def evaluate(idx, budget):
        hp, noise = hparams_for(s, np.resize(lrs[idx], n), np.resize(ys[idx], n))  # pad to n
        xy, bad = optviz.final_points(
            s.optimizer,
            s.surface,
            np.tile(np.asarray(start, np.float64), (n, 1)),
            steps=s.steps,
            hparams=hp,
            noise=noise,
            schedule={"kind": "step", "gamma": 0.0, "step_size": float(budget)},
        )
        xy, bad = xy[: len(idx)], bad[: len(idx)]
        loss = np.asarray(surf(xy.T.astype(np.float32)), np.float64)  # f at the end point
        gap = np.maximum(loss - hmap.f_star, GAP_FLOOR)
        return np.where(bad | ~np.isfinite(gap), np.inf, np.log10(gap))

    return Halving(unit, lrs, ys, successive_halving(evaluate, n, s.steps))


def halving_table(halving: Halving) -> list[dict]:
    """One row per round: configurations, steps each, best f − f*, how many were kept."""
    last = len(halving.rounds) - 1
    rows = []
    for r, rnd in enumerate(halving.rounds):
        best = float(np.min(rnd.scores))
        rows.append(
            {
                "round": r + 1,
                "configurations": len(rnd.alive),
                "steps each": rnd.budget,
                "best f − f*": 10.0**best if math.isfinite(best) else None,
                "kept": len(rnd.survivors) if r < last else 0,
            }
        )
    return rows


def halving_summary(hmap: HyperMap, halving: Halving) -> dict:
    """The winner, the total cost, and what random search would expect for the same cost.

    Returns:
        ``{"lr", "y", "gap"}`` of the winner, ``"cost"`` (steps), ``"full_runs"`` (cost in
        runs of T steps, at least 1) and ``"random_gap"``: the expected best f − f* of that
        many random full runs on the map.
    """
    last = halving.rounds[-1]
    winner = int(last.alive[0])
    cost = halving_cost(halving.rounds)
    full = max(cost // hmap.settings.steps, 1)
    score = float(last.scores[0])
    return {
        "lr": float(halving.lrs[winner]),
        "y": float(halving.ys[winner]),
        "gap": 10.0**score if math.isfinite(score) else math.inf,
        "cost": cost,
        "full_runs": full,
        "random_gap": 10.0 ** float(expected_best_random(hmap.objective, [full])[0]),
    }


# ----------------------------------------------------------------------------- basins


def _rastrigin_minima_1d(a: float, low: float, high: float) -> np.ndarray:
    """Local minima of ``x² − A cos 2πx`` in ``[low, high]`` (derivative sign − → +)."""
    xs = np.linspace(low, high, 4001)

    def d(x):
        return 2 * x + 2 * np.pi * a * np.sin(2 * np.pi * x)  # h'(x)

    dv = d(xs)
    roots = []
    for i in np.flatnonzero((dv[:-1] < 0) & (dv[1:] >= 0)):
        lo, hi = xs[i], xs[i + 1]
        for _ in range(60):  # bisection on h'
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if d(mid) < 0 else (lo, mid)
        roots.append(0.5 * (lo + hi))
    return np.array(roots)


class Basins(NamedTuple):
    """The minima a basin picture can name.

    Attributes:
        points: ``(K, 2)`` minima.
        colors: Colour index (into ``BASIN_COLORS``) of each; neighbours differ.
        names: A short name of each (``"(3, 2)"``).
        groups: Bar-chart group of each: its own name, or on Rastrigin the global minimum and
            rings of local minima (``"ring 1"``: the 8 around it, ...).
        radius: A run "ends in" a minimum when it stops within this distance.
    """

    points: np.ndarray
    colors: np.ndarray
    names: list[str]
    groups: list[str]
    radius: float


def basin_minima(surface: str | Surface) -> Basins:
    """The known minima of a surface (Rastrigin: its whole lattice of local minima).

    Args:
        surface: Surface key or ``Surface`` (default parameters).

    Returns:
        ``Basins``; the radius is a quarter of the closest two minima's distance, at most
        5% of the window's diagonal.
    """
    surf = get_surface(surface)
    (x0, x1), (y0, y1) = surf.bounds
    diag = math.hypot(x1 - x0, y1 - y0)
    if surf.key == "rastrigin":
        a = surf.default_params()["A"]
        wx, wy = 0.5 * (x1 - x0), 0.5 * (y1 - y0)  # half a window beyond the edges
        mx = _rastrigin_minima_1d(a, x0 - wx, x1 + wx)
        my = _rastrigin_minima_1d(a, y0 - wy, y1 + wy)
        gx, gy = np.meshgrid(mx, my, indexing="ij")
        points = np.stack([gx.ravel(), gy.ravel()], axis=1)
        ix, iy = np.round(points[:, 0]).astype(int), np.round(points[:, 1]).astype(int)
        colors = np.where((ix == 0) & (iy == 0), 0, 1 + (ix % 3) * 3 + (iy % 3))
        order = np.argsort(np.hypot(points[:, 0], points[:, 1]), kind="stable")  # global first
        points, colors = points[order], colors[order]
        ring = np.maximum(np.abs(np.round(points[:, 0])), np.abs(np.round(points[:, 1])))
        groups = [
            "global minimum (0, 0)" if r == 0 else f"local minima, ring {int(r)}" for r in ring
        ]
    else:
        points = np.asarray(surf.minima, np.float64).reshape(-1, 2)
        colors = np.arange(len(points)) % len(BASIN_COLORS)
        groups = None
    shown = np.round(points, 3) + 0.0  # + 0.0: no "-0"
    names = [f"({p[0]:.3g}, {p[1]:.3g})" for p in shown]
    groups = groups or [f"minimum {name}" for name in names]
    if len(points) > 1:
        d = np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1))
        closest = float(d[~np.eye(len(points), dtype=bool)].min())
        radius = min(0.25 * closest, 0.05 * diag)
    else:
        radius = 0.05 * diag
    return Basins(points, colors.astype(int), names, groups, radius)


def classify(final_xy: np.ndarray, diverged: np.ndarray, basins: Basins) -> np.ndarray:
    """Labels each run: the index of the minimum it ended near, ``NOT_CONVERGED`` or ``DIVERGED``.

    Args:
        final_xy: ``(..., 2)`` end points.
        diverged: Boolean, shaped like ``final_xy[..., 0]``.
        basins: The minima and the radius.

    Returns:
        Int labels shaped like ``diverged``.
    """
    xy = np.asarray(final_xy, np.float64)
    flat = xy.reshape(-1, 2)
    finite = np.isfinite(flat).all(axis=1)
    flat = np.where(finite[:, None], flat, 0.0)
    if len(basins.points):
        flat, m = flat.astype(np.float32), basins.points.astype(np.float32)  # 4× faster
        d2 = (
            (flat**2).sum(axis=1)[:, None] - 2.0 * flat @ m.T + (m**2).sum(axis=1)[None, :]
        )  # ‖p − m‖² for every end point p and minimum m, as one matrix product
        nearest = d2.argmin(axis=1)
        close = np.take_along_axis(d2, nearest[:, None], axis=1)[:, 0] <= basins.radius**2
        labels = np.where(close & finite, nearest, NOT_CONVERGED)
    else:
        labels = np.full(len(flat), NOT_CONVERGED)
    labels = labels.reshape(np.shape(diverged))
    return np.where(np.asarray(diverged, bool), DIVERGED, labels)


def shares(labels: np.ndarray, k: int) -> np.ndarray:
    """Share of runs per class: minima ``0..k-1``, then not converged, then diverged."""
    flat = np.asarray(labels).ravel()
    counts = np.bincount(np.where(flat >= 0, flat, k - flat - 1), minlength=k + 2)
    return counts / max(flat.size, 1)


class BasinMap(NamedTuple):
    """A basin picture: the start grid and what became of every run.

    Attributes:
        xs: Start x₁ of the columns.
        ys: Start x₂ of the rows.
        labels: ``(len(ys), len(xs))`` class labels (see ``classify``).
        final_xy: ``(len(ys), len(xs), 2)`` end points.
        basins: The minima.
    """

    xs: np.ndarray
    ys: np.ndarray
    labels: np.ndarray
    final_xy: np.ndarray
    basins: Basins


def basin_map(
    surface: str,
    optimizer: str,
    lr: float,
    steps: int,
    res: int,
    noise: float = 0.0,
    seed: int = 0,
    hparams: dict | None = None,
) -> BasinMap:
    """Runs ``res × res`` starts over the surface's window (one ``final_points`` call).

    Args:
        surface: Surface key.
        optimizer: Optimizer key.
        lr: Learning rate η.
        steps: Steps per run.
        res: Start points per axis.
        noise: Gradient noise σ (each start draws its own noise: seed + i).
        seed: First seed.
        hparams: Other hyperparameters (defaults if None).

    Returns:
        ``BasinMap``.
    """
    surf = get_surface(surface)
    (x0, x1), (y0, y1) = surf.bounds
    xs, ys = cell_centres(x0, x1, res), cell_centres(y0, y1, res)
    gx, gy = np.meshgrid(xs, ys)  # rows follow x₂, as in a heatmap
    starts = np.stack([gx.ravel(), gy.ravel()], axis=1)
    xy, bad = optviz.final_points(
        optimizer,
        surface,
        starts,
        steps=steps,
        hparams={**(hparams or {}), "lr": lr},
        noise=noise,
        seed=seed,
    )
    basins = basin_minima(surf)
    labels = classify(xy, bad, basins).reshape(res, res)
    final = np.where(bad[:, None], np.nan, xy).reshape(res, res, 2)
    return BasinMap(xs, ys, labels, final, basins)


# ----------------------------------------------------------------------------- fair comparison


class Curve(NamedTuple):
    """Final loss against η for one optimizer.

    Attributes:
        optimizer: Optimizer key.
        lrs: Learning rates.
        gap: Final ``f − f*`` (NaN where diverged).
        steps_to_tol: First step with ``f − f* ≤ TOL`` (-1 if never).
        best: Index of the best η, or None if all diverged.
        diverges_from: Smallest η that diverged, or None.
        good_decades: How forgiving the optimizer is: decades of η (log10 units) whose run
            ends with ``f − f* ≤ TOL``.
    """

    optimizer: str
    lrs: np.ndarray
    gap: np.ndarray
    steps_to_tol: np.ndarray
    best: int | None
    diverges_from: float | None
    good_decades: float


def summarize_curve(optimizer: str, lrs, gap, steps_to_tol) -> Curve:
    r"""Best η, where divergence begins, and how many decades of η end within tolerance.

    .. math:: \text{good decades} = \#\{i : f_i - f^* \le \text{TOL}\}\;
              \Delta\log_{10}\eta

    Args:
        optimizer: Optimizer key.
        lrs: Ascending, log-evenly spaced learning rates.
        gap: Final ``f − f*`` per η (NaN where diverged).
        steps_to_tol: Per η.

    Returns:
        ``Curve``.
    """
    lrs, gap = np.asarray(lrs, np.float64), np.asarray(gap, np.float64)
    hit = np.asarray(steps_to_tol)
    finite = np.isfinite(gap)
    bad = np.flatnonzero(~finite)
    diverges_from = float(lrs[bad[0]]) if bad.size else None
    if not finite.any():
        return Curve(optimizer, lrs, gap, hit, None, diverges_from, 0.0)
    spacing = math.log10(lrs[-1] / lrs[0]) / (len(lrs) - 1) if len(lrs) > 1 else 0.0  # Δlog10 η
    good = float(np.sum(finite & (gap <= TOL)) * spacing)  # decades of η that end within TOL
    return Curve(optimizer, lrs, gap, hit, int(np.nanargmin(gap)), diverges_from, good)


def fair_comparison(
    optimizers: Sequence[str],
    surface: str,
    start: tuple[float, float] | None,
    steps: int,
    lr_range: tuple[float, float],
    n: int = 60,
) -> list[Curve]:
    """Each optimizer's final loss over a log range of η: one sweep per optimizer.

    Args:
        optimizers: Optimizer keys (other hyperparameters at their defaults).
        surface: Surface key.
        start: Start point or None.
        steps: Steps per run.
        lr_range: ``(η_min, η_max)``.
        n: Learning rates.

    Returns:
        One ``Curve`` per optimizer.
    """
    lrs = cell_centres(*lr_range, n, log=True)
    surf = get_surface(surface)
    curves, finals = [], []
    for key in optimizers:
        res = optviz.sweep(
            key, surface, start=start, steps=steps, grid={"lr": lrs, "noise": [0.0]}, tol=TOL
        )
        finals.append(
            (np.where(res.diverged, np.nan, res.final_loss)[:, 0], res.steps_to_tol[:, 0])
        )
    f_star = _f_star(surf)
    if not math.isfinite(f_star):
        every = np.concatenate([f for f, _ in finals])
        f_star = float(np.nanmin(every)) if np.isfinite(every).any() else 0.0
    for key, (loss, hit) in zip(optimizers, finals, strict=True):
        gap = np.maximum(loss - f_star, GAP_FLOOR)
        curves.append(summarize_curve(key, lrs, gap, hit))
    return curves


def fair_rows(curves: Sequence[Curve]) -> list[dict]:
    """The fair-comparison table: each optimizer at its best η."""
    rows = []
    for c in curves:
        b = c.best
        hit = None if b is None or c.steps_to_tol[b] < 0 else int(c.steps_to_tol[b])
        rows.append(
            {
                "optimizer": OPTIMIZERS[c.optimizer].name,
                "best η": None if b is None else float(c.lrs[b]),
                "f − f* at best η": None if b is None else float(c.gap[b]),
                "steps to tolerance": hit,
                "diverges from η": c.diverges_from,
                f"decades of η ending within {TOL:g}": round(c.good_decades, 2),
            }
        )
    return rows


# ----------------------------------------------------------------------------- figures


def _log_ticks(low: float, high: float) -> tuple[list[float], list[str]]:
    """Tick positions (log10 η) and labels for a log-η axis drawn on a linear axis."""
    lo, hi = math.floor(math.log10(low)), math.ceil(math.log10(high))
    vals, texts = [], []
    for e in range(lo, hi + 1):
        for m in (1, 2, 5) if hi - lo <= 3 else (1,):
            v = math.log10(m) + e
            if math.log10(low) - 1e-9 <= v <= math.log10(high) + 1e-9:
                vals.append(v)
                texts.append(f"{m * 10.0**e:g}")
    return vals, texts


def axis_title(name: str, tr: plots.Translate = str) -> str:
    """Axis title of a second-axis hyperparameter, e.g. ``momentum γ`` (``动量 γ``).

    Args:
        name: The hyperparameter's key (``"momentum"``, ``"beta1"``, ``"noise"``, ...).
        tr: Translates the hyperparameter's word (the symbol stays).
    """
    sym = {"gamma": "γ", "momentum": "γ", "beta1": "β₁", "beta2": "β₂", "rho": "ρ"}
    sym |= {"noise": "σ", "dampening": "τ", "weight_decay": "λ", "damping": "δ"}
    return f"{tr(name)} {sym.get(name, '')}".strip()


def _click_subsample(n: int, most: int) -> np.ndarray:
    """Cell indices of the click targets along one axis (every cell up to ``most``)."""
    return np.unique(np.round(np.linspace(0, n - 1, min(n, most))).astype(int))


def map_figure(
    hmap: HyperMap,
    color: str = "loss",
    pick: tuple[int, int] | None = None,
    height: int = 520,
    click_cells: int = 64,
    tr: plots.Translate = str,
) -> go.Figure:
    """The hyperparameter map: a heatmap of real runs, divergence in dark grey, clickable.

    Trace order: the value heatmap, the diverged overlay, [the never-reached overlay], legend
    keys, the best cell (★), [the picked cell], the click grid (last). ``layout.meta`` holds
    ``{"click_trace": index}``. The click grid is an invisible scatter over cell centres
    (every cell up to ``click_cells`` per axis, else evenly spaced cells) because a heatmap
    gives Streamlit no click (streamlit #8760); each point carries its cell ``(i, j)``.

    Args:
        hmap: The computed map.
        color: ``"loss"`` (log10(f − f*)), ``"steps"`` (steps to tolerance) or
            ``"diverged"``.
        pick: The cell being replayed, or None.
        height: Pixels.
        click_cells: Most click targets per axis.
        tr: Translates the figure's words (legend, hover, axis titles); trace names that code
            looks up (``"runs"``, ``"diverged"``, ``"never reached"``, ``"click-grid"``) stay.

    Returns:
        A ``go.Figure``; x is log10 η (ticks labelled with η), y the second hyperparameter.
    """
    s = hmap.settings
    lx = np.log10(hmap.lrs).astype(np.float32)
    ys = hmap.ys.astype(np.float32)
    gap, div, hit = hmap.gap, hmap.diverged, hmap.steps_to_tol
    ytitle = axis_title(s.axis, tr)
    custom = np.stack(
        [
            hmap.lrs[:, None] * np.ones_like(gap),
            np.where(div, np.nan, gap),
            np.where(hit >= 0, hit, np.nan),
        ],
        axis=-1,
    ).transpose(1, 0, 2)  # (n_y, n_lr, 3): heatmap rows follow y
    hover = (
        "η = %{customdata[0]:.4g}<br>" + ytitle + " = %{y:.4g}<br>"
        "f − f* = %{customdata[1]:.3g}<br>"
        + tr("steps to tol")
        + " = %{customdata[2]:.0f}<extra></extra>"
    )
    diverged = tr("diverged")
    if color == "steps":
        z = np.where(hit >= 0, hit, np.nan).T.astype(np.float32)
        scale, bar = "Viridis", tr("steps to<br>f − f* ≤ {tol}").format(tol=f"{TOL:g}")
    elif color == "diverged":
        z = np.where(div, np.nan, 0.0).T.astype(np.float32)
        scale, bar = [[0, "#bfe3c9"], [1, "#bfe3c9"]], None
    else:
        z = np.log10(gap).T.astype(np.float32)
        scale, bar = "Viridis", "log₁₀(f − f*)"
    data = [
        dict(
            type="heatmap",
            x=lx,
            y=ys,
            z=z,
            customdata=custom.astype(np.float32),
            colorscale=scale,
            showscale=bar is not None,
            colorbar=dict(title=dict(text=bar or ""), len=0.8),
            hovertemplate=hover,
            name="runs",
        ),
        _mask_heatmap(hmap, div, DIVERGED_GREY, f"<b>{diverged}</b>", "diverged", ytitle),
    ]
    keys = [(tr("diverged (发散)"), DIVERGED_GREY)]
    if color == "steps":
        never = (hit < 0) & ~div
        never_text = tr("never reached f − f* ≤ {tol}").format(tol=f"{TOL:g}")
        data.append(_mask_heatmap(hmap, never, NEVER_GREY, never_text, "never reached", ytitle))
        keys.append((never_text, NEVER_GREY))
    if color == "diverged":
        keys.append((tr("converged or still going"), "#bfe3c9"))
    data += [_legend_key(label, col) for label, col in keys]
    best = hmap.best()
    if best is not None:
        i, j = best
        data.append(
            dict(
                type="scatter",
                x=[float(lx[i])],
                y=[float(ys[j])],
                mode="markers",
                name=tr("best cell"),
                marker=dict(symbol="star", size=16, color="white", line=dict(width=1.5)),
                hovertemplate=f"{tr('best:')} η = {hmap.lrs[i]:.4g}, {ytitle} = "
                f"{hmap.ys[j]:.4g}<br>f − f* = {hmap.gap[i, j]:.3g}<extra></extra>",
            )
        )
    if pick is not None:
        i, j = pick
        data.append(
            dict(
                type="scatter",
                x=[float(lx[i])],
                y=[float(ys[j])],
                mode="markers",
                name=tr("replayed"),
                marker=dict(symbol="circle-open", size=18, color="#D55E00", line=dict(width=3)),
                hoverinfo="skip",
            )
        )
    ci, cj = _click_subsample(len(lx), click_cells), _click_subsample(len(ys), click_cells)
    gi, gj = np.meshgrid(ci, cj, indexing="ij")
    gi, gj = gi.ravel(), gj.ravel()
    cells = zip(gi, gj, strict=True)
    click_index = len(data)
    data.append(
        dict(
            type="scatter",
            x=lx[gi],
            y=ys[gj],
            customdata=np.stack([gi, gj], axis=1).astype(np.int32),
            mode="text",  # no text given: nothing drawn (plots._click_grid), still clickable
            name="click-grid",
            hovertemplate=tr("click: replay") + " η = %{hovertext}<extra></extra>",
            hovertext=[f"{hmap.lrs[a]:.3g}, {ytitle} = {hmap.ys[b]:.3g}" for a, b in cells],
            showlegend=False,
        )
    )
    tv, tt = _log_ticks(*s.lr_range)
    (y0, y1) = s.y_range
    layout = dict(
        height=height,
        margin=dict(l=60, r=20, t=30, b=50),
        xaxis=dict(
            title=dict(text=tr("learning rate η (log scale)")),
            tickvals=tv,
            ticktext=tt,
            range=[math.log10(s.lr_range[0]), math.log10(s.lr_range[1])],
            showgrid=False,
            zeroline=False,
        ),
        yaxis=dict(title=dict(text=ytitle), range=[y0, y1], showgrid=False, zeroline=False),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
        hovermode="closest",
        plot_bgcolor="white",
        uirevision=f"map-{s.optimizer}-{s.surface}-{s.axis}",
        meta={"click_trace": click_index},
    )
    return go.Figure(data=data, layout=layout)


def fair_figure(curves: Sequence[Curve], height: int = 440, tr: plots.Translate = str) -> go.Figure:
    """Final ``f − f*`` against η, one line per optimizer, its best η starred.

    Diverged learning rates leave a gap and get a ✕ at the first one, at the top.

    Args:
        curves: From ``fair_comparison``.
        height: Pixels.
        tr: Translates the figure's words (optimizer names included).

    Returns:
        A ``go.Figure`` with log axes.
    """
    data = []
    finite = np.concatenate([c.gap[np.isfinite(c.gap)] for c in curves] or [np.empty(0)])
    top = float(finite.max()) * 3 if finite.size else 1.0
    for i, c in enumerate(curves):
        name = tr(OPTIMIZERS[c.optimizer].name)
        col = plots.color(i)
        data.append(
            dict(
                type="scatter",
                x=c.lrs,
                y=c.gap,
                mode="lines",
                name=name,
                legendgroup=name,
                line=dict(color=col, width=2.5),
                hovertemplate=f"{name}<br>η = %{{x:.3g}}<br>f − f* = %{{y:.3g}}<extra></extra>",
            )
        )
        if c.best is not None:
            b = c.best
            data.append(
                dict(
                    type="scatter",
                    x=[c.lrs[b]],
                    y=[c.gap[b]],
                    mode="markers+text",
                    text=[f"η* = {c.lrs[b]:.3g}"],
                    textposition="bottom center",
                    textfont=dict(color=col),
                    name=f"{name} best",
                    legendgroup=name,
                    showlegend=False,
                    marker=dict(symbol="star", size=16, color=col, line=dict(width=1)),
                    hovertemplate=tr("{name} at its best").format(name=name)
                    + "<br>η* = %{x:.3g}<br>f − f* = %{y:.3g}<extra></extra>",
                )
            )
        if c.diverges_from is not None:
            data.append(
                dict(
                    type="scatter",
                    x=[c.diverges_from],
                    y=[top],
                    mode="markers",
                    name=f"{name} diverges",
                    legendgroup=name,
                    showlegend=False,
                    marker=dict(symbol="x", size=12, color=col, line=dict(width=1)),
                    hovertemplate=tr("{name} diverges from η").format(name=name)
                    + " = %{x:.3g}<extra></extra>",
                )
            )
    layout = dict(
        height=height,
        margin=dict(l=70, r=20, t=30, b=50),
        xaxis=dict(type="log", title=dict(text=tr("learning rate η")), exponentformat="power"),
        yaxis=dict(type="log", title=dict(text=tr("final f − f*")), exponentformat="power"),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
        hovermode="closest",
    )
    return go.Figure(data=data, layout=layout)


def basin_colors(bmap: BasinMap) -> list[str]:
    """Colour of every class code: diverged, not converged, then each minimum."""
    return [
        DIVERGED_GREY,
        "#f2f2f2",
        *(BASIN_COLORS[c % len(BASIN_COLORS)] for c in bmap.basins.colors),
    ]


def basin_figure(
    bmap: BasinMap, surface: str, height: int = 520, tr: plots.Translate = str
) -> go.Figure:
    """Start points coloured by the minimum their run ends in (a discrete heatmap).

    The class code is ``label + 2``: 0 diverged, 1 not converged, 2.. the minima. Minima are
    starred (the global one larger), with iso-lines of the surface on top.

    Args:
        bmap: From ``basin_map``.
        surface: Surface key (iso-lines, window).
        height: Pixels.
        tr: Translates the figure's words.

    Returns:
        A ``go.Figure``.
    """
    surf = get_surface(surface)
    colors = basin_colors(bmap)
    k = len(colors)
    scale = []
    for c, col in enumerate(colors):  # one flat band per class code
        scale += [[c / k, col], [(c + 1) / k, col]]
    codes = (bmap.labels + 2).astype(np.float32)
    custom = np.concatenate([bmap.final_xy, bmap.labels[..., None] + 1.0], axis=-1)
    xs, ys, zz = plots.surface_grid(surf, None, 120)
    ix, iy = plots.iso_lines(xs, ys, zz, 12)
    many = len(bmap.basins.points) > 8
    data = [
        dict(
            type="heatmap",
            x=bmap.xs.astype(np.float32),
            y=bmap.ys.astype(np.float32),
            z=codes,
            zmin=-0.5,
            zmax=k - 0.5,
            colorscale=scale,
            showscale=not many,
            colorbar=dict(
                tickvals=list(range(k)),
                ticktext=[tr("diverged"), tr("not converged"), *bmap.basins.names],
                title=dict(text=tr("ends in")),
                len=0.9,
            ),
            customdata=custom.astype(np.float32),
            hovertemplate=tr("start")
            + " (%{x:.2f}, %{y:.2f})<br>"
            + tr("ends at")
            + " (%{customdata[0]:.3f}, %{customdata[1]:.3f})<br>"
            + tr("minimum")
            + " #%{customdata[2]:.0f} ("
            + tr("0: none, -1: diverged")
            + ")<extra></extra>",
            name="basins",
        ),
        dict(
            type="scatter",
            x=ix.astype(np.float32),
            y=iy.astype(np.float32),
            mode="lines",
            line=dict(color="rgba(40,40,40,0.35)", width=1),
            hoverinfo="skip",
            showlegend=False,
            name="iso-lines",
        ),
    ]
    pts = bmap.basins.points
    data.append(
        dict(
            type="scatter",
            x=pts[:, 0],
            y=pts[:, 1],
            mode="markers",
            name="minima",
            marker=dict(
                symbol="star",
                size=[16 if i == 0 and surf.key == "rastrigin" else 11 for i in range(len(pts))],
                color="white",
                line=dict(width=1.5, color="black"),
            ),
            text=bmap.basins.names,
            hovertemplate=tr("minimum") + " %{text}<extra></extra>",
            showlegend=False,
        )
    )
    (x0, x1), (y0, y1) = surf.bounds
    layout = dict(
        height=height,
        margin=dict(l=55, r=20, t=30, b=50),
        xaxis=dict(
            range=[x0, x1],
            title=dict(text=tr("start x₁")),
            showgrid=False,
            zeroline=False,
            constrain="domain",
        ),
        yaxis=dict(
            range=[y0, y1],
            title=dict(text=tr("start x₂")),
            showgrid=False,
            zeroline=False,
            scaleanchor="x",
            constrain="domain",
        ),
        plot_bgcolor="white",
        hovermode="closest",
    )
    return go.Figure(data=data, layout=layout)


def group_label(group: str, tr: plots.Translate = str) -> str:
    """A basin group's name (``Basins.groups``, made by ``basin_minima``) through ``tr``.

    ``"global minimum (0, 0)"``, ``"local minima, ring {r}"`` and ``"minimum {name}"`` are
    translated as templates; anything else as a whole.
    """
    ring = "local minima, ring "
    if group.startswith(ring):
        return tr("local minima, ring {r}").format(r=group[len(ring) :])
    if group.startswith("minimum ("):
        return tr("minimum {name}").format(name=group[len("minimum ") :])
    return tr(group)


def share_rows(
    bmap: BasinMap, tr: plots.Translate = str
) -> tuple[list[str], np.ndarray, list[str]]:
    """Names, shares and colours of the bars: one per basin group, then the failures.

    Groups are the minima themselves, or on Rastrigin the global minimum and the rings of
    local minima around it; "not converged" and "diverged" come last. ``tr`` translates the
    names (see ``group_label``).
    """
    k = len(bmap.basins.points)
    share = shares(bmap.labels, k)
    names, values, colors = [], [], []
    for i, group in enumerate(bmap.basins.groups):
        if group not in names:
            names.append(group)
            values.append(0.0)
            colors.append(BASIN_COLORS[bmap.basins.colors[i] % len(BASIN_COLORS)])
        values[names.index(group)] += share[i]
    if len(names) > 1 and len(names) < k:  # rings: one neutral colour beyond the global one
        colors = [colors[0], *["#999999"] * (len(names) - 1)]
    names = [group_label(g, tr) for g in names] + [tr("not converged"), tr("diverged")]
    values += [share[k], share[k + 1]]
    colors += ["#f2f2f2", DIVERGED_GREY]
    return names, np.array(values), colors


def share_figure(
    clean: BasinMap,
    noisy: BasinMap | None,
    noise: float,
    height: int = 360,
    tr: plots.Translate = str,
) -> go.Figure:
    """Bar chart of the share of starts ending in each basin, without and with noise.

    Args:
        clean: The basin map without noise.
        noisy: The same with gradient noise σ, or None.
        noise: σ (for the legend).
        height: Pixels.
        tr: Translates the figure's words (bar names, axis title).

    Returns:
        A ``go.Figure`` of grouped horizontal bars.
    """
    names, values, colors = share_rows(clean, tr)
    data = [
        dict(
            type="bar",
            y=names,
            x=values,
            orientation="h",
            name="σ = 0",
            marker=dict(color=colors, line=dict(color="#555", width=1)),
            hovertemplate="%{y}: %{x:.1%}<extra>σ = 0</extra>",
        )
    ]
    if noisy is not None:
        data.append(
            dict(
                type="bar",
                y=names,
                x=share_rows(noisy)[1],
                orientation="h",
                name=f"σ = {noise:g}",
                marker=dict(
                    color=colors, pattern=dict(shape="/"), line=dict(color="#555", width=1)
                ),
                hovertemplate=f"%{{y}}: %{{x:.1%}}<extra>σ = {noise:g}</extra>",
            )
        )
    layout = dict(
        height=height,
        barmode="group",
        margin=dict(l=170, r=20, t=30, b=40),
        xaxis=dict(title=dict(text=tr("share of start points")), tickformat=".0%"),
        yaxis=dict(autorange="reversed"),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
    )
    return go.Figure(data=data, layout=layout)


def _pale_heatmap(hmap: HyperMap) -> dict:
    """The map's objective as a pale heatmap (a background for points)."""
    return dict(
        type="heatmap",
        x=np.log10(hmap.lrs).astype(np.float32),
        y=hmap.ys.astype(np.float32),
        z=np.log10(hmap.gap).T.astype(np.float32),
        colorscale=plots.COLORSCALE,
        showscale=True,
        colorbar=dict(title=dict(text="log₁₀(f − f*)"), len=0.8),
        hovertemplate="η = %{x:.3f} (log₁₀)<br>%{y:.4g}<br>log₁₀(f − f*) = %{z:.2f}<extra></extra>",
        name="map",
    )


def _legend_key(label: str, col: str) -> dict:
    """A legend entry (a square of colour): a heatmap has no legend entry of its own."""
    return dict(
        type="scatter",
        x=[None],
        y=[None],
        mode="markers",
        name=label,
        marker=dict(symbol="square", size=14, color=col, line=dict(width=1, color="#888")),
        showlegend=True,
    )


def _mask_heatmap(
    hmap: HyperMap, mask: np.ndarray, colour: str, text: str, name: str, ytitle: str = ""
) -> dict:
    """The cells of ``mask`` in one flat colour (NaN elsewhere), over a map heatmap.

    Args:
        hmap: The map (its η and second-axis values place the cells).
        mask: Boolean ``(n_lr, n_y)``.
        colour: The cells' colour.
        text: What the hover says about such a cell (already translated).
        name: Trace name (code looks it up: "diverged", "never reached").
        ytitle: Second-axis title shown in the hover, or "" for the bare value.
    """
    y_hover = f"{ytitle} = %{{y:.4g}}" if ytitle else "%{y:.4g}"
    return dict(
        type="heatmap",
        x=np.log10(hmap.lrs).astype(np.float32),
        y=hmap.ys.astype(np.float32),
        z=np.where(mask, 1.0, np.nan).T.astype(np.float32),
        colorscale=[[0, colour], [1, colour]],
        showscale=False,
        hovertemplate=f"η = %{{x:.3f}} (log₁₀)<br>{y_hover}<br>{text}<extra></extra>",
        name=name,
    )


def _diverged_heatmap(hmap: HyperMap, tr: plots.Translate = str) -> dict:
    """Diverged cells in dark grey (NaN elsewhere), over a map heatmap (named ``"diverged"``)."""
    return _mask_heatmap(hmap, hmap.diverged, DIVERGED_GREY, f"<b>{tr('diverged')}</b>", "diverged")


def _map_layout(hmap: HyperMap, height: int, tr: plots.Translate = str, **extra) -> dict:
    """Fixed axes over the map's ranges, η ticks labelled (titles through ``tr``)."""
    s = hmap.settings
    tv, tt = _log_ticks(*s.lr_range)
    return dict(
        height=height,
        margin=dict(l=60, r=20, t=30, b=50),
        xaxis=dict(
            title=dict(text=tr("learning rate η (log scale)")),
            tickvals=tv,
            ticktext=tt,
            range=[math.log10(s.lr_range[0]), math.log10(s.lr_range[1])],
            autorange=False,
            showgrid=False,
            zeroline=False,
        ),
        yaxis=dict(
            title=dict(text=axis_title(s.axis, tr)),
            range=list(s.y_range),
            autorange=False,
            showgrid=False,
            zeroline=False,
        ),
        plot_bgcolor="white",
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
        hovermode="closest",
        **extra,
    )


def search_points_figure(
    hmap: HyperMap, n: int, seed: int = 0, height: int = 460, tr: plots.Translate = str
) -> go.Figure:
    """One draw of each search with budget N over the map, and their η values as a rug.

    Args:
        hmap: The map.
        n: Budget N (the grid uses k = ⌊√N⌋ per axis).
        seed: Which draw.
        height: Pixels.
        tr: Translates the figure's words.

    Returns:
        A ``go.Figure``: pale map (diverged cells dark), grid ■, random ●, the best of each
        ringed, and ticks below the map at the distinct η each search tried.
    """
    s = hmap.settings
    p = axis_param(s.optimizer, s.axis)
    rng = np.random.default_rng(seed)
    k = math.isqrt(n)
    rand = rng.random((n, 2))
    grid = grid_points(k, rng.random(2))
    obj = hmap.objective
    data = [_pale_heatmap(hmap), _diverged_heatmap(hmap, tr)]
    lx0, lx1 = math.log10(s.lr_range[0]), math.log10(s.lr_range[1])
    (y0, y1) = s.y_range
    grid_label = tr("grid {k}×{k} = {n}").format(k=k, n=k * k)
    for kind, label, pts, symbol, col, rug_y in (
        ("grid", grid_label, grid, "square", "#0072B2", y0 + 0.03 * (y1 - y0)),
        ("random", tr("random {n}").format(n=n), rand, "circle", "#D55E00", y0 + 0.09 * (y1 - y0)),
    ):
        x = lx0 + pts[:, 0] * (lx1 - lx0)
        y = from_unit(pts[:, 1], y0, y1, log=p.log)
        vals = lookup(obj, pts)
        data.append(
            dict(
                type="scatter",
                x=x,
                y=y,
                mode="markers",
                name=label,
                marker=dict(symbol=symbol, size=9, color=col, line=dict(width=1, color="white")),
                customdata=10**vals,
                hovertemplate=label + "<br>η = %{x:.3f} (log₁₀)<br>%{y:.4g}<br>"
                "f − f* = %{customdata:.3g}<extra></extra>",
            )
        )
        b = int(np.argmin(vals))
        data.append(
            dict(
                type="scatter",
                x=[x[b]],
                y=[y[b]],
                mode="markers",
                name=f"best of {kind}",
                marker=dict(symbol="circle-open", size=20, color=col, line=dict(width=3)),
                hoverinfo="skip",
                showlegend=False,
            )
        )
        data.append(
            dict(
                type="scatter",
                x=x,
                y=np.full(len(x), rug_y),
                mode="markers",
                name=f"η tried by {kind}",
                marker=dict(symbol="line-ns", size=10, line=dict(width=2, color=col)),
                hoverinfo="skip",
                showlegend=False,
            )
        )
    data.append(_legend_key(tr("diverged (发散)"), DIVERGED_GREY))
    return go.Figure(data=data, layout=_map_layout(hmap, height, tr))


def search_curve_figure(
    curves: SearchCurves, height: int = 460, tr: plots.Translate = str
) -> go.Figure:
    """Best found so far against the budget N: random (exact mean and 10–90% band) vs grid.

    Args:
        curves: From ``search_curves``.
        height: Pixels.
        tr: Translates the figure's words.

    Returns:
        A ``go.Figure``; y is log10(f − f*) of the best trial.
    """
    n = curves.budgets
    lo, hi = np.percentile(curves.random_draws, [10, 90], axis=0)
    kk = curves.grid_k**2
    glo, ghi = np.percentile(curves.grid_draws, [10, 90], axis=0)
    data = [
        dict(
            type="scatter",
            x=np.concatenate([n, n[::-1]]),
            y=np.concatenate([hi, lo[::-1]]),
            fill="toself",
            fillcolor="rgba(213,94,0,0.15)",
            line=dict(width=0),
            hoverinfo="skip",
            name=tr("random: 10–90% of draws"),
        ),
        dict(
            type="scatter",
            x=n,
            y=curves.random_expected,
            mode="lines",
            line=dict(color="#D55E00", width=3),
            name=tr("random search (mean, exact)"),
            hovertemplate=tr("random")
            + ", N = %{x}<br>"
            + tr("E[best]")
            + " = %{y:.2f}<extra></extra>",
        ),
        dict(
            type="scatter",
            x=kk,
            y=curves.grid_draws.mean(axis=0),
            mode="lines+markers",
            line=dict(color="#0072B2", width=3, dash="dot"),
            marker=dict(symbol="square", size=9),
            error_y=dict(
                type="data",
                symmetric=False,
                array=ghi - curves.grid_draws.mean(axis=0),
                arrayminus=curves.grid_draws.mean(axis=0) - glo,
                color="rgba(0,114,178,0.5)",
            ),
            name=tr("grid search k×k (mean over offsets)"),
            hovertemplate=tr("grid")
            + ", N = %{x}<br>"
            + tr("mean best")
            + " = %{y:.2f}<extra></extra>",
        ),
    ]
    layout = dict(
        height=height,
        margin=dict(l=70, r=20, t=30, b=50),
        xaxis=dict(title=dict(text=tr("budget N (runs tried)")), rangemode="tozero"),
        yaxis=dict(title=dict(text=tr("best found so far: log₁₀(f − f*)"))),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
        hovermode="closest",
    )
    return go.Figure(data=data, layout=layout)


def map_image(hmap: HyperMap) -> dict:
    """The map as a layout image (PNG): survives animations that a heatmap trace does not.

    Colours are the pale viridis of ``plots.LUT`` over log10(f − f*); diverged cells are dark
    grey, as on the heatmap.
    """
    s = hmap.settings
    t = np.log10(hmap.gap).T[::-1]  # rows follow y, image row 0 at the top
    finite = np.isfinite(t)
    lo = float(t[finite].min()) if finite.any() else 0.0
    hi = float(t[finite].max()) if finite.any() else 1.0
    scaled = (t - lo) / (hi - lo) if hi > lo else np.zeros_like(t)  # 0..1
    index = np.round(np.nan_to_num(scaled) * 255).astype(np.uint8)
    rgb = plots.LUT[index]  # (H, W, 3)
    grey = np.array([int(DIVERGED_GREY[i : i + 2], 16) for i in (1, 3, 5)], np.uint8)
    rgb[~finite] = grey  # diverged cells
    buf = io.BytesIO()
    Image.fromarray(rgb, "RGB").save(buf, format="PNG", optimize=True)
    lx0, lx1 = math.log10(s.lr_range[0]), math.log10(s.lr_range[1])
    y0, y1 = s.y_range
    return dict(
        source="data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii"),
        xref="x",
        yref="y",
        x=lx0,
        y=y1,
        sizex=lx1 - lx0,
        sizey=y1 - y0,
        xanchor="left",
        yanchor="top",
        sizing="stretch",
        layer="below",
    )


HALVING_FRAME_MS = 1200  # one round of successive halving at 1×


def halving_figure(
    hmap: HyperMap, halving: Halving, height: int = 630, tr: plots.Translate = str
) -> go.Figure:
    """Successive halving over the map, one animation frame per round.

    Static: the map as a background image and every configuration as a faint dot. Animated
    (``redraw: False``, traces 1 and 2 and the round counter): the configurations alive in the
    round, coloured by round, and the survivors ringed. The controls are the other animations'
    (Play/Pause, speeds, a scrubber over the rounds; stacked, for its narrow column), 1.2 s a
    round at 1×; "round k" in the map's top-right corner.

    Args:
        hmap: The map (background and ranges).
        halving: From ``halving_on_map``.
        height: Pixels.
        tr: Translates the figure's words (legend, buttons, slider, axis titles).

    Returns:
        A ``go.Figure`` with one frame per round, Play/Pause and a round slider.
    """
    lx = np.log10(halving.lrs)
    y = halving.ys

    def alive_trace(r: int) -> dict:
        rnd = halving.rounds[r]
        col = ROUND_COLORS[r % len(ROUND_COLORS)]
        return dict(
            x=lx[rnd.alive].tolist(),
            y=y[rnd.alive].tolist(),
            customdata=np.where(np.isfinite(rnd.scores), 10.0**rnd.scores, None).tolist(),
            marker=dict(color=col, size=10, line=dict(width=1, color="white")),
            name=tr("this round (colour: round)"),
        )

    def survivor_trace(r: int) -> dict:
        rnd = halving.rounds[r]
        return dict(x=lx[rnd.survivors].tolist(), y=y[rnd.survivors].tolist())

    last = len(halving.rounds) - 1
    data = [
        dict(
            type="scatter",
            x=lx,
            y=y,
            mode="markers",
            name=tr("all configurations"),
            marker=dict(color="rgba(255,255,255,0.7)", size=6, line=dict(width=1, color="#555")),
            hoverinfo="skip",
        ),
        dict(
            type="scatter",
            mode="markers",
            hovertemplate="η = %{x:.3f} (log₁₀)<br>%{y:.4g}<br>f − f* = %{customdata:.3g}"
            "<extra></extra>",
            **alive_trace(0),
        ),
        dict(
            type="scatter",
            mode="markers",
            name=tr("kept (best half)"),
            marker=dict(symbol="circle-open", size=17, color="black", line=dict(width=2.5)),
            hoverinfo="skip",
            **survivor_trace(0),
        ),
    ]
    frames = [
        {"name": str(r + 1), "data": [alive_trace(r), survivor_trace(r)], "traces": [1, 2]}
        for r in range(last + 1)
    ]

    rounds = np.arange(1, last + 2)  # the frames are named 1 … R
    plot_px = height - 30 - plots.STACKED_CONTROLS_MARGIN  # the plotting area
    menus, sliders = plots._animation_controls(
        rounds, plot_px, stacked=True, frame_ms=HALVING_FRAME_MS
    )
    layout = _map_layout(
        hmap, height, tr, images=[map_image(hmap)], updatemenus=menus, sliders=sliders
    )
    layout["margin"] = dict(l=60, r=20, t=30, b=plots.STACKED_CONTROLS_MARGIN)
    corner = (layout["xaxis"]["range"][1], layout["yaxis"]["range"][1])
    counter, counts = plots.frame_counter(rounds, corner, tr, "round")
    data.append(counter)
    for frame, count in zip(frames, counts, strict=True):
        frame["data"].append(count)
        frame["traces"].append(len(data) - 1)
    return plots.figure(data, layout, frames)
