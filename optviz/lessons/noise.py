r"""Mini-batch noise (小批量梯度下降): saddle points (鞍点), flat vs sharp minima (平坦/尖锐最小值).

The notes' mini-batch gradient averages K per-sample gradients,

.. math:: g_t(\theta) = \frac{1}{K} \sum_{(x, y) \in S_t} \frac{\partial \mathcal L(y, f(x;\theta))}
    {\partial \theta},

so its error is an average of K independent errors and its standard deviation shrinks like
:math:`1/\sqrt K`. On a 2D surface we model that directly:

.. math:: g_t = \nabla f(\theta_{t-1}) + \sigma_K\,\xi_t,\qquad
    \sigma_K = \frac{\sigma_1}{\sqrt K},\qquad \xi_t \sim \mathcal N(0, I)

with :math:`\sigma_1` the noise of a single sample (K = 1). Everything here runs through
``optviz.run_seeds`` (a cloud of noisy runs in one vmapped call) and ``optviz.sweep`` (a grid of
learning rate × noise, one call per seed), so the numbers a page shows are the numbers
``optviz.run(..., noise=σ_K, seed=s)`` gives run by run.

Two scenarios:

* (a) the saddle :math:`f = x^2 - y^2`, started on the ridge :math:`y_0 = 0`: full-batch gradient
  descent (σ = 0) converges *to the saddle* and stays; any noise pushes y off the ridge, where
  :math:`y_t \approx (1 + 2\eta)^t y` grows, and the run escapes.
* (b) ``flat_sharp``: a start inside the sharp minimum's basin. Noise-free runs stay in the
  narrow well; noisy runs (small K) are kicked out of it and settle in the wide one. The shares
  depend on the noise temperature :math:`\eta\,\sigma_1^2 / K`, which is why the linear scaling
  rule (线性缩放规则: K ×m and η ×m, the same number of epochs = T/m steps) keeps them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go

import optviz
from optviz import plots, urlstate
from optviz.engine import Batch
from optviz.lessons import conditioning
from optviz.surfaces import SURFACES, Param, Surface, get_surface

BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256)
"""The batch sizes K a page offers (powers of two, so ×m stays on a grid)."""

SEEDS = 64
"""Runs per cloud (seeds 0 … 63)."""

SADDLE_START = (-1.5, 0.0)
"""On the ridge y = 0: noise-free gradient descent walks straight into the saddle."""

FLAT_SHARP_START = (1.2, 0.3)
"""Inside the sharp minimum's basin: noise-free gradient descent ends in the sharp well."""

ESCAPE = 1.0
"""A saddle run has escaped once |y| ≥ ESCAPE (half the window)."""

BASIN_RADIUS = (1.6, 0.3)
"""Two well widths around each minimum of ``flat_sharp`` (flat: 2·0.8, sharp: 2·0.15)."""

OUTCOMES = ("flat minimum", "sharp minimum", "not converged", "diverged")
"""Outcome codes 0…3 of :func:`classify`."""

OUTCOME_COLORS = ("#0072B2", "#D55E00", "#999999", plots.DIVERGED_COLOR)

MAP_LRS = (0.005, 0.01, 0.02, 0.04, 0.08, 0.16)
"""Learning rates of the (K, η) map (powers of two apart, like the batch sizes)."""

MAX_PATH_POINTS = 160  # points per faint path in a cloud figure
MAX_FRAMES = 100  # animation frames of a cloud figure


# ----------------------------------------------------------------------------- the noise model


def batch_noise(sigma1: float, batch_size: float) -> float:
    r"""Gradient-noise std of a mini-batch of K samples: :math:`\sigma_K = \sigma_1/\sqrt K`.

    Args:
        sigma1: Noise std of a single sample (K = 1).
        batch_size: K ≥ 1 (may be larger than the page's menu, e.g. after ×m).

    Returns:
        σ_K.
    """
    return float(sigma1) / math.sqrt(float(batch_size))  # averaging K errors: std / √K


def measured_noise(batch: Batch, lr: float) -> float:
    r"""The noise std a cloud of SGD runs actually received, recovered from its steps.

    For SGD with a constant η every step is :math:`\theta_t - \theta_{t-1} = -\eta\,(\nabla
    f(\theta_{t-1}) + \sigma\xi_t)`, so :math:`\sigma\xi_t = -\Delta\theta_t/\eta - \nabla f`;
    the std of those numbers over all runs, steps and both coordinates estimates σ_K.

    Args:
        batch: A cloud from ``optviz.run_seeds("sgd", ...)`` with a constant learning rate.
        lr: Its learning rate η.

    Returns:
        The measured std (NaN if no finite step).
    """
    step = np.diff(batch.xy, axis=1)  # Δθ_t, (n, T, 2)
    xi = -step / float(lr) - batch.grad[:, :-1]  # σ ξ_t = -Δθ_t/η - ∇f(θ_{t-1})
    xi = xi[np.isfinite(xi)]
    return float(np.sqrt(np.mean(xi**2))) if xi.size else math.nan  # zero-mean noise: RMS


def cloud(
    surface: str | Surface,
    start: Sequence[float],
    batch_size: float,
    lr: float,
    sigma1: float,
    steps: int,
    seeds: int = SEEDS,
) -> Batch:
    """``seeds`` noisy SGD runs (seeds 0 … seeds−1) with the noise of a batch of K samples.

    Args:
        surface: Surface key or object.
        start: Start point of every run.
        batch_size: K.
        lr: Learning rate η.
        sigma1: Single-sample noise σ₁ (0 gives full-batch gradient descent).
        steps: Number of steps T.
        seeds: Number of runs.

    Returns:
        The ``Batch`` of ``optviz.run_seeds`` (one vmapped call).
    """
    return optviz.run_seeds(
        "sgd",
        surface,
        start=tuple(map(float, start)),
        steps=int(steps),
        hparams={"lr": float(lr)},
        noise=batch_noise(sigma1, batch_size),
        seed=0,
        seeds=int(seeds),
    )


# ----------------------------------------------------------------------------- (a) the saddle


def escaped_share(batch: Batch, threshold: float = ESCAPE) -> np.ndarray:
    r"""Share of runs that have escaped the saddle by each step.

    A run has escaped at step t once :math:`|y_s| \ge` ``threshold`` for some s ≤ t; a run that
    ran off the window (``diverged_at``) escaped along y at the latest then.

    Args:
        batch: A cloud on the ``saddle`` surface.
        threshold: The escape distance from the ridge.

    Returns:
        Shares in [0, 1], shape ``(steps+1,)``, non-decreasing.
    """
    y = np.abs(batch.xy[..., 1])
    n_points = y.shape[1]
    out = (y >= threshold) | ~np.isfinite(y)  # beyond the threshold, or gone
    first = np.where(out.any(axis=1), out.argmax(axis=1), n_points)  # first escaped step
    t = np.arange(n_points)
    return (first[:, None] <= t[None, :]).mean(axis=0)


def median_escape_step(share: np.ndarray) -> int | None:
    """First step at which at least half of the runs have escaped, or None."""
    hit = np.flatnonzero(np.asarray(share) >= 0.5)
    return int(hit[0]) if hit.size else None


# ----------------------------------------------------------------------------- (b) flat vs sharp


def classify(points: np.ndarray, diverged: np.ndarray) -> np.ndarray:
    """Outcome code of each run of ``flat_sharp`` from where it ends.

    The last point goes to the nearer of ``SURFACES["flat_sharp"].minima`` (the flat one first);
    if it lies farther than ``BASIN_RADIUS`` (two well widths) from that minimum the run has
    "not converged"; diverged runs are counted apart.

    Args:
        points: Final points ``(..., 2)`` (may be NaN where diverged).
        diverged: Boolean mask of the same leading shape.

    Returns:
        Int codes ``(...)``: 0 flat, 1 sharp, 2 not converged, 3 diverged (see ``OUTCOMES``).
    """
    minima = np.asarray(SURFACES["flat_sharp"].minima, np.float64)  # (flat, sharp)
    points = np.asarray(points, np.float64)
    d = np.linalg.norm(points[..., None, :] - minima, axis=-1)  # distance to each minimum
    d = np.where(np.isfinite(d), d, np.inf)
    nearest = np.argmin(d, axis=-1)  # 0 flat, 1 sharp
    close = np.take_along_axis(d, nearest[..., None], axis=-1)[..., 0] <= np.take(
        BASIN_RADIUS, nearest
    )
    codes = np.where(close, nearest, 2)  # far from both: not converged
    return np.where(np.asarray(diverged, bool), 3, codes)


def shares(codes: np.ndarray, axis: int | None = None) -> np.ndarray:
    """Share of each outcome (last axis of length 4: flat, sharp, not converged, diverged)."""
    codes = np.asarray(codes)
    counts = np.stack([(codes == k) for k in range(len(OUTCOMES))], axis=-1)
    if axis is None:
        return counts.reshape(-1, len(OUTCOMES)).mean(axis=0)
    return counts.mean(axis=axis)


def batch_outcomes(batch: Batch, at_step: int | None = None) -> np.ndarray:
    """Outcome code of every run of a ``flat_sharp`` cloud after ``at_step`` steps (default: all).

    Args:
        batch: A cloud on ``flat_sharp``.
        at_step: Step whose point counts (e.g. T/m for the same number of epochs).

    Returns:
        Int codes ``(n,)``.
    """
    last = batch.xy.shape[1] - 1
    t = last if at_step is None else min(max(int(at_step), 0), last)
    diverged = (batch.diverged_at >= 0) & (batch.diverged_at <= t)
    return classify(batch.xy[:, t], diverged)


def share_map(
    sigma1: float,
    steps: int,
    start: Sequence[float] = FLAT_SHARP_START,
    batch_sizes: Sequence[int] = BATCH_SIZES,
    lrs: Sequence[float] = MAP_LRS,
    seeds: int = SEEDS,
) -> np.ndarray:
    r"""Outcome shares on a grid of batch size K × learning rate η (``optviz.sweep``, per seed).

    One sweep over ``{"noise": σ₁/√K, "lr": η}`` per seed s = 0 … seeds−1; cell (i, j) of seed s
    is exactly ``optviz.run("sgd", "flat_sharp", noise=σ₁/√K_i, seed=s, lr=η_j)``.

    Args:
        sigma1: Single-sample noise σ₁.
        steps: Steps T of every run.
        start: Start point.
        batch_sizes: Rows (K).
        lrs: Columns (η).
        seeds: Runs per cell.

    Returns:
        Shares ``(len(batch_sizes), len(lrs), 4)``.
    """
    noise = [batch_noise(sigma1, k) for k in batch_sizes]
    counts = np.zeros((len(batch_sizes), len(lrs), len(OUTCOMES)))
    for s in range(int(seeds)):
        result = optviz.sweep(
            "sgd",
            "flat_sharp",
            start=tuple(map(float, start)),
            steps=int(steps),
            grid={"noise": noise, "lr": list(map(float, lrs))},
            seed=s,
        )
        codes = classify(result.final_xy, result.diverged)
        counts += np.stack([codes == k for k in range(len(OUTCOMES))], axis=-1)
    return counts / int(seeds)


def linear_scaling(
    batch_size: int,
    lr: float,
    sigma1: float,
    steps: int,
    m: int,
    start: Sequence[float] = FLAT_SHARP_START,
    seeds: int = SEEDS,
) -> dict[str, np.ndarray]:
    r"""The linear scaling rule tried: before, batch ×m alone, and batch ×m with η ×m.

    Both "after" settings train the same number of epochs, so they take T/m steps (an epoch
    of N samples is N/K steps). With η ×m the noise temperature :math:`\eta\sigma_1^2/K` and the
    distance travelled :math:`\eta T` stay the same, so the shares should too — until η is too
    large for the curvature (the notes: 当批量大小非常大时会使得训练不稳定).

    Args:
        batch_size: K before.
        lr: η before.
        sigma1: Single-sample noise σ₁.
        steps: Steps T before.
        m: The factor.
        start: Start point.
        seeds: Runs per setting.

    Returns:
        ``{"before": shares, "batch": shares, "scaled": shares}``, each of length 4.
    """
    m = int(m)
    after = max(int(steps) // m, 1)  # same epochs: T/m steps
    settings = {"before": (batch_size, lr), "batch": (batch_size * m, lr)}
    settings["scaled"] = (batch_size * m, lr * m)
    out = {}
    for name, (k, eta) in settings.items():
        batch = cloud("flat_sharp", start, k, eta, sigma1, steps, seeds)
        at = int(steps) if name == "before" else after
        out[name] = shares(batch_outcomes(batch, at))
    return out


# ----------------------------------------------------------------------------- figures


def _subsample(n_points: int, most: int) -> np.ndarray:
    """Evenly spaced indices 0 … n_points−1 (at most ``most``, both ends kept)."""
    return np.unique(np.round(np.linspace(0, n_points - 1, min(n_points, most))).astype(int))


def _last_valid_points(xy: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """Positions ``(len(steps), n, 2)``; a run that is gone waits at its last finite point."""
    finite = np.isfinite(xy).all(axis=-1)  # (n, T+1)
    n_points = xy.shape[1]
    last = np.where(finite.all(axis=1), n_points - 1, finite.argmin(axis=1) - 1)  # last good
    idx = np.minimum(steps[:, None], np.maximum(last, 0)[None, :])  # (frames, n)
    return xy[np.arange(xy.shape[0])[None, :], idx]


def cloud_figure(
    surface: str | Surface,
    xy: np.ndarray,
    codes: np.ndarray,
    names: Sequence[str],
    colors: Sequence[str],
    *,
    title: str | None = None,
    height: int = 580,
    max_frames: int = MAX_FRAMES,
    tr: Callable[[str], str] = str,
) -> go.Figure:
    """A cloud of runs on a surface: faint paths, and ONE animated trace of all the heads.

    Trace order: iso-lines, one faint path trace per group (NaN-separated runs), known
    minima/saddles, the end points (static ✕), heads, [the step counter, when animated]. Frames
    update only the heads and the counter (``redraw: False``); the surface is the background
    image (no contour/heatmap traces in the animated figure).

    Args:
        surface: The surface of the runs.
        xy: Paths ``(n, T+1, 2)``, NaN after a run is gone.
        codes: Group of each run (index into ``names``/``colors``).
        names: Group names (legend).
        colors: Group colours.
        title: Figure title.
        height: Pixels.
        max_frames: Most animation frames.
        tr: Translates the legend names and hover texts (the UI's ``t``); identity by default.

    Returns:
        A ``go.Figure``; ``layout.meta["heads_trace"]`` is the heads trace's index.
    """
    surf = get_surface(surface)
    xy = np.asarray(xy, np.float64)
    codes = np.asarray(codes, int)
    image, iso = plots._background(surf, plots._params_key(surf, None), 160, 14)
    data = [iso]
    keep = _subsample(xy.shape[1], MAX_PATH_POINTS)
    for g, (name, col) in enumerate(zip(names, colors, strict=True)):
        runs = xy[codes == g][:, keep]  # (runs of this group, points, 2)
        if not len(runs):
            continue
        gap = np.full((len(runs), 1, 2), np.nan)
        line = np.concatenate([runs, gap], axis=1).reshape(-1, 2)  # runs separated by NaN
        data.append(
            dict(
                type="scatter",
                x=line[:, 0].astype(np.float32),
                y=line[:, 1].astype(np.float32),
                mode="lines",
                name=f"{tr(name)} ({len(runs)})",
                line=dict(color=col, width=1),
                opacity=0.22,
                hoverinfo="skip",
            )
        )
    known = plots._known_points_trace(surf, tr)
    if known is not None:
        data.append(known)
    total = xy.shape[1] - 1
    steps = plots.frame_steps(total, max_frames)
    heads = _last_valid_points(xy, steps)  # (frames, n, 2)
    head_colors = [colors[c] for c in codes]
    data.append(
        dict(
            type="scatter",
            x=heads[-1, :, 0].astype(np.float32),
            y=heads[-1, :, 1].astype(np.float32),
            mode="markers",
            name=tr("where the runs end"),
            marker=dict(
                symbol="x-thin", size=9, color=head_colors, line=dict(width=2.5, color=head_colors)
            ),
            hovertemplate=tr("end") + " (%{x:.3g}, %{y:.3g})<extra></extra>",
        )
    )
    heads_index = len(data)
    data.append(
        dict(
            type="scatter",
            x=plots._as_list(heads[0, :, 0]),
            y=plots._as_list(heads[0, :, 1]),
            mode="markers",
            name="runs",
            marker=dict(color=head_colors, size=7, line=dict(color="white", width=1)),
            hovertemplate="(%{x:.3g}, %{y:.3g})<extra></extra>",
            showlegend=False,
        )
    )
    xaxis, yaxis = plots._axes(surf.bounds)
    top = 60 if title else 30
    layout = dict(
        height=height,
        images=[image],
        xaxis=xaxis,
        yaxis=yaxis,
        uirevision=plots.UIREVISION,
        hovermode="closest",
        plot_bgcolor="white",
        margin=dict(l=55, r=15, t=top, b=plots.CONTROLS_MARGIN if total > 0 else 50),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
        meta={"heads_trace": heads_index},
    )
    if title:
        layout["title"] = dict(text=title, x=0.0, xanchor="left")
    frames = None
    if total > 0:
        plot_px = max(height - top - plots.CONTROLS_MARGIN, 100)  # the plotting area
        layout["updatemenus"], layout["sliders"] = plots._animation_controls(steps, plot_px)
        (_, x1), (_, y1) = surf.bounds
        counter, counts = plots.frame_counter(steps, (x1, y1), tr)
        data.append(counter)
        frames = [
            {
                "name": str(int(k)),
                "data": [
                    {"x": plots._as_list(heads[f, :, 0]), "y": plots._as_list(heads[f, :, 1])},
                    counts[f],
                ],
                "traces": [heads_index, len(data) - 1],
            }
            for f, k in enumerate(steps)
        ]
    return plots.figure(data, layout, frames)


def escape_figure(
    curves: Mapping[str, np.ndarray],
    bold: str | None = None,
    tr: Callable[[str], str] = str,
) -> go.Figure:
    """Share of runs that escaped the saddle, against the step.

    Args:
        curves: Label -> share per step (``escaped_share``).
        bold: The label drawn thick (the page's current batch size).
        tr: Translates the legend names, hover texts and axis titles (the UI's ``t``); identity
            by default.

    Returns:
        A ``go.Figure`` with one line per curve.
    """
    data = []
    for i, (label, share) in enumerate(curves.items()):
        share = np.asarray(share, np.float64)
        main = label == bold
        shown = tr(label)
        data.append(
            dict(
                type="scatter",
                x=np.arange(len(share), dtype=np.int32),
                y=share.astype(np.float32),
                mode="lines",
                name=shown,
                line=dict(
                    color=plots.color(i),
                    width=4 if main else 2,
                    dash="solid" if main or "σ = 0" not in label else "dash",
                ),
                opacity=1.0 if main else 0.75,
                hovertemplate=f"{shown}<br>{tr('step')} %{{x}}: %{{y:.0%}}<extra></extra>",
            )
        )
    layout = dict(
        height=330,
        uirevision=plots.UIREVISION,
        xaxis=dict(title=dict(text=tr("step t")), rangemode="tozero"),
        yaxis=dict(
            title=dict(text=tr("escaped (|y| ≥ {limit})").format(limit=f"{ESCAPE:g}")),
            range=[-0.03, 1.03],
        ),
        yaxis_tickformat=".0%",
        margin=dict(l=70, r=15, t=30, b=50),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
        hovermode="x unified",
    )
    return go.Figure(data=data, layout=layout)


def shares_figure(groups: Mapping[str, np.ndarray], tr: Callable[[str], str] = str) -> go.Figure:
    """One 100 % stacked bar per setting: flat, sharp, not converged, diverged.

    Args:
        groups: Label -> shares (length 4), top bar first.
        tr: Translates the outcome names and the axis title (the UI's ``t``); identity by
            default.

    Returns:
        A horizontal stacked bar ``go.Figure``.
    """
    labels = list(groups)[::-1]  # plotly draws the first category at the bottom
    values = np.array([groups[k] for k in labels], np.float64).reshape(len(labels), -1)
    data = [
        dict(
            type="bar",
            orientation="h",
            y=labels,
            x=values[:, k],
            name=tr(OUTCOMES[k]),
            marker=dict(color=OUTCOME_COLORS[k]),
            text=[f"{v:.0%}" if v >= 0.06 else "" for v in values[:, k]],
            textposition="inside",
            insidetextanchor="middle",
            hovertemplate=f"{tr(OUTCOMES[k])}: %{{x:.1%}}<extra>%{{y}}</extra>",
        )
        for k in range(len(OUTCOMES))
    ]
    layout = dict(
        barmode="stack",
        height=110 + 55 * len(labels),
        uirevision=plots.UIREVISION,
        xaxis=dict(range=[0, 1], tickformat=".0%", title=dict(text=tr("share of the runs"))),
        yaxis=dict(automargin=True),
        margin=dict(l=10, r=15, t=30, b=45),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom", traceorder="normal"),
    )
    return go.Figure(data=data, layout=layout)


def map_figure(
    flat_share: np.ndarray,
    batch_sizes: Sequence[int],
    lrs: Sequence[float],
    current: tuple[float, float],
    scaled: tuple[float, float] | None = None,
    tr: Callable[[str], str] = str,
) -> go.Figure:
    """Heatmap of the flat-minimum share over batch size K × learning rate η (static).

    Both axes are log₂ (cells one factor of two apart), so the linear scaling rule moves along
    a diagonal. The current setting is a ring, the scaled one (if any) a diamond with an arrow.

    Args:
        flat_share: ``(len(batch_sizes), len(lrs))``.
        batch_sizes: K of each row.
        lrs: η of each column.
        current: (K, η) of the page.
        scaled: (K·m, η·m), or None.
        tr: Translates the legend names, hover texts and axis titles (the UI's ``t``); identity
            by default.

    Returns:
        A ``go.Figure`` (heatmap + markers).
    """
    kx = np.log2(np.asarray(batch_sizes, np.float64))  # x: log₂ K
    ly = np.log2(np.asarray(lrs, np.float64))  # y: log₂ η
    z = np.asarray(flat_share, np.float64).T  # rows: η, columns: K
    data = [
        dict(
            type="heatmap",
            x=kx,
            y=ly,
            z=z,
            zmin=0.0,
            zmax=1.0,
            colorscale="Blues",
            colorbar=dict(title=dict(text=tr("flat")), tickformat=".0%", len=0.9),
            text=[[f"{v:.0%}" for v in row] for row in z],
            texttemplate="%{text}",
            hovertemplate="K = %{customdata[0]}, η = %{customdata[1]}<br>"
            + tr("flat")
            + ": %{z:.0%}<extra></extra>",
            customdata=[[[int(k), float(e)] for k in batch_sizes] for e in lrs],
        )
    ]

    def point(k, eta):
        return float(np.log2(k)), float(np.log2(eta))

    cx, cy = point(*current)
    yours = tr("your setting")
    data.append(
        dict(
            type="scatter",
            x=[cx],
            y=[cy],
            mode="markers",
            name=yours,
            marker=dict(symbol="circle-open", size=26, color="#D55E00", line=dict(width=4)),
            hovertemplate=f"{yours}: K = {current[0]:g}, η = {current[1]:g}<extra></extra>",
        )
    )
    annotations = []
    if scaled is not None:
        sx, sy = point(*scaled)
        data.append(
            dict(
                type="scatter",
                x=[sx],
                y=[sy],
                mode="markers",
                name=tr("after ×m"),
                marker=dict(symbol="diamond-open", size=22, color="#009E73", line=dict(width=4)),
                hovertemplate=f"×m: K = {scaled[0]:g}, η = {scaled[1]:g}<extra></extra>",
            )
        )
        annotations.append(
            dict(
                x=sx,
                y=sy,
                ax=cx,
                ay=cy,
                xref="x",
                yref="y",
                axref="x",
                ayref="y",
                showarrow=True,
                arrowhead=3,
                arrowwidth=2,
                arrowcolor="#009E73",
                text="",
            )
        )
    pad = 0.6
    xs = [kx.min() - pad, max(kx.max(), cx, *([sx] if scaled else [])) + pad]
    ys = [min(ly.min(), cy, *([sy] if scaled else [])) - pad]
    ys.append(max(ly.max(), cy, *([sy] if scaled else [])) + pad)
    layout = dict(
        height=430,
        uirevision=plots.UIREVISION,
        xaxis=dict(
            title=dict(text=tr("batch size K")),
            tickvals=kx,
            ticktext=[str(int(k)) for k in batch_sizes],
            range=xs,
            showgrid=False,
            zeroline=False,
        ),
        yaxis=dict(
            title=dict(text=tr("learning rate η")),
            tickvals=ly,
            ticktext=[f"{e:g}" for e in lrs],
            range=ys,
            showgrid=False,
            zeroline=False,
        ),
        plot_bgcolor="white",
        annotations=annotations,
        margin=dict(l=70, r=15, t=30, b=50),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
    )
    return go.Figure(data=data, layout=layout)


# ----------------------------------------------------------------------------- page views

FULL_BATCH = "full batch (σ = 0)"
REFERENCE_BATCHES = (1, 256)


def batch_label(batch_size: float) -> str:
    """Curve label of a batch size in ``SaddleView.median_step``."""
    return f"K = {float(batch_size):g}"


def stability_limits() -> dict[str, float]:
    r"""η_max = 2/λ_max of gradient descent at each minimum of ``flat_sharp`` (autodiff Hessian).

    Returns:
        ``{"flat": …, "sharp": …}``; the sharp well's limit is about 40× smaller.
    """
    surface = SURFACES["flat_sharp"]
    out = {}
    for name, point in zip(("flat", "sharp"), surface.minima, strict=True):
        h = conditioning.hessian(surface, point)  # ∇²f at the minimum
        out[name] = 2.0 / float(np.linalg.eigvalsh(h)[-1])  # η < 2/λ_max
    return out


def _cloud_title(n: int, batch_size: float, sigma1: float, tr: Callable[[str], str] = str) -> str:
    """A figure title such as ``64 runs with K = 8 (σ_K = 2.83)``."""
    return tr("{n} runs with K = {k} (σ_K = {sigma})").format(
        n=n, k=f"{batch_size:g}", sigma=f"{batch_noise(sigma1, batch_size):.3g}"
    )


def _escape_colors(escaped: np.ndarray) -> np.ndarray:
    """Group 0 "escaped", group 1 "still on the ridge"."""
    return np.where(escaped, 0, 1)


class SaddleView(NamedTuple):
    """Everything the saddle panel shows."""

    cloud: go.Figure
    escape: go.Figure
    median_step: dict[str, int | None]
    escaped_share: float
    gd_end: tuple[float, float]
    noise: float
    measured: float


def saddle_view(
    batch_size: int,
    lr: float,
    sigma1: float,
    steps: int,
    y0: float = 0.0,
    tr: Callable[[str], str] = str,
) -> SaddleView:
    """The saddle scenario: the cloud for K, and escape curves for K, K = 1, 256 and σ = 0.

    Args:
        batch_size: K.
        lr: η.
        sigma1: σ₁.
        steps: Steps T.
        y0: Start height above the ridge (0: exactly on it).
        tr: Translates the figures' texts (the UI's ``t``); ``median_step`` stays keyed by the
            English labels (``batch_label``, ``FULL_BATCH``).

    Returns:
        A ``SaddleView``.
    """
    start = (SADDLE_START[0], float(y0))
    main = cloud("saddle", start, batch_size, lr, sigma1, steps)
    current = batch_label(batch_size)
    curves = {current: escaped_share(main)}
    for k in REFERENCE_BATCHES:
        if k != batch_size:
            curves[batch_label(k)] = escaped_share(cloud("saddle", start, k, lr, sigma1, steps))
    gd = cloud("saddle", start, batch_size, lr, 0.0, steps)  # σ = 0: every copy is plain GD
    curves[FULL_BATCH] = escaped_share(gd)
    gd_xy = _last_valid_points(gd.xy[:1], np.array([gd.xy.shape[1] - 1]))[0, 0]
    escaped = escaped_share(main)[-1]
    codes = _escape_colors(
        (np.abs(np.nan_to_num(main.xy[:, :, 1], nan=np.inf)) >= ESCAPE).any(axis=1)
    )
    figure = cloud_figure(
        "saddle",
        main.xy,
        codes,
        ("escaped", "still near the ridge"),
        ("#0072B2", "#D55E00"),
        title=_cloud_title(len(main), batch_size, sigma1, tr),
        tr=tr,
    )
    return SaddleView(
        cloud=figure,
        escape=escape_figure(curves, bold=current, tr=tr),
        median_step={k: median_escape_step(v) for k, v in curves.items()},
        escaped_share=float(escaped),
        gd_end=(float(gd_xy[0]), float(gd_xy[1])),
        noise=batch_noise(sigma1, batch_size),
        measured=measured_noise(main, lr),
    )


class FlatSharpView(NamedTuple):
    """Everything the flat-vs-sharp panel shows."""

    cloud: go.Figure
    shares: np.ndarray
    noise: float
    measured: float


def flat_sharp_view(
    batch_size: int, lr: float, sigma1: float, steps: int, tr: Callable[[str], str] = str
) -> FlatSharpView:
    """The flat-vs-sharp scenario: the cloud coloured by outcome, and the outcome shares.

    Args:
        batch_size: K.
        lr: η.
        sigma1: σ₁.
        steps: Steps T.
        tr: Translates the figure's texts (the UI's ``t``); identity by default.

    Returns:
        A ``FlatSharpView``.
    """
    main = cloud("flat_sharp", FLAT_SHARP_START, batch_size, lr, sigma1, steps)
    codes = batch_outcomes(main)
    figure = cloud_figure(
        "flat_sharp",
        main.xy,
        codes,
        OUTCOMES,
        OUTCOME_COLORS,
        title=_cloud_title(len(main), batch_size, sigma1, tr),
        tr=tr,
    )
    return FlatSharpView(
        cloud=figure,
        shares=shares(codes),
        noise=batch_noise(sigma1, batch_size),
        measured=measured_noise(main, lr),
    )


def scaling_groups(
    batch_size: int,
    lr: float,
    sigma1: float,
    steps: int,
    m: int | None,
    tr: Callable[[str], str] = str,
) -> dict[str, np.ndarray]:
    """Labelled shares for the bar chart: the current setting, and with ``m`` the two ×m ones.

    Args:
        batch_size: K.
        lr: η.
        sigma1: σ₁.
        steps: T.
        m: The linear-scaling factor, or None for the current setting only.
        tr: Translates the labels (the UI's ``t``); identity by default.

    Returns:
        Label -> shares, in display order.
    """
    if m is None:
        main = cloud("flat_sharp", FLAT_SHARP_START, batch_size, lr, sigma1, steps)
        return {f"K = {batch_size:g}, η = {lr:g}": shares(batch_outcomes(main))}
    result = linear_scaling(batch_size, lr, sigma1, steps, m)
    after = max(int(steps) // int(m), 1)
    k, eta = batch_size * m, lr * m
    before = tr("before: K = {k}, η = {lr}, T = {steps}")
    batch = tr("batch ×{m} only: K = {k}, η = {lr}, T = {steps}")
    scaled = tr("linear scaling: K = {k}, η = {lr}, T = {steps}")
    return {
        before.format(k=f"{batch_size:g}", lr=f"{lr:g}", steps=steps): result["before"],
        batch.format(m=m, k=f"{k:g}", lr=f"{lr:g}", steps=after): result["batch"],
        scaled.format(k=f"{k:g}", lr=f"{eta:g}", steps=after): result["scaled"],
    }


# ----------------------------------------------------------------------------- page settings

LR = Param("lr", r"\eta", 0.04, 0.001, 0.5, True, "Learning rate η (学习率).")
SIGMA1 = Param(
    "sigma1", r"\sigma_1", 8.0, 0.0, 20.0, False, "Gradient-noise std of ONE sample (K = 1)."
)
SADDLE_STEPS = (50, 100, 200, 300)
STEPS = (250, 500, 1000, 2000)
Y0_MENU = (0.0, 1e-6, 1e-4, 1e-2)
SCALE_FACTORS = (2, 4, 8, 16, 32)


def page_fields() -> list[urlstate.Field]:
    """The URL settings of the noise page (batch size, η, σ₁, both scenarios, ×m)."""
    return [
        urlstate.IntField("K", 8, BATCH_SIZES[0], BATCH_SIZES[-1]),
        urlstate.param_field("lr", LR),
        urlstate.param_field("sigma1", SIGMA1),
        urlstate.FloatField("y0", 0.0, 0.0, 0.01),
        urlstate.IntField("saddle_steps", 100, 25, 300),
        urlstate.IntField("steps", 1000, 100, 2000),
        urlstate.BoolField("scaling", False),
        urlstate.IntField("m", 2, SCALE_FACTORS[0], SCALE_FACTORS[-1]),
    ]
