r"""Conditioning (条件数) and normalization (归一化): why feature scales decide the step size.

For a quadratic loss with Hessian H (eigenvalues :math:`\lambda_{min} \le \lambda_{max}`,
condition number :math:`\kappa = \lambda_{max}/\lambda_{min}`), gradient descent
:math:`\theta_t = \theta_{t-1} - \eta\,\nabla J` multiplies the error along each eigenvector by
:math:`1 - \eta\lambda_i`. It is stable only if :math:`|1 - \eta\lambda_i| < 1` for all i:

.. math:: \eta < \eta_{max} = \frac{2}{\lambda_{max}},

and then the flat direction shrinks by :math:`1 - 2\lambda_{min}/\lambda_{max} = 1 - 2/\kappa`
per step at best: a large κ means a crawl.

The notes' example (seed 001, 归一化): the loss :math:`J = (3\theta_1 + 600\theta_2 - \hat y)^2`
has a curvature :math:`600^2/3^2 = 40000` times larger along :math:`\theta_2` than along
:math:`\theta_1`; normalized features give :math:`J = (0.5\theta_1 + 0.55\theta_2 - \hat y)^2`.
One sample fits on a whole line of θ, so we add a small L2 term :math:`\lambda\|\theta\|^2`
(权重衰减) to make the minimum unique. Both are quadratics with Hessian
:math:`H = 2(aa^\top + \lambda I)`, eigenvalues :math:`2(\|a\|^2 + \lambda)` and :math:`2\lambda`.

Momentum (动量法) in our convention :math:`v_t = \gamma v_{t-1} + g_t`,
:math:`\theta_t = \theta_{t-1} - \eta v_t` acts on each eigen-direction as the 2×2 matrix

.. math:: \begin{pmatrix}\theta_t\\ v_t\end{pmatrix} =
    \begin{pmatrix} 1 - \eta\lambda & -\eta\gamma \\ \lambda & \gamma \end{pmatrix}
    \begin{pmatrix}\theta_{t-1}\\ v_{t-1}\end{pmatrix},

whose characteristic polynomial :math:`z^2 - (1 + \gamma - \eta\lambda) z + \gamma` is that of
the classic heavy-ball matrix :math:`\begin{pmatrix} 1 + \gamma - \eta\lambda & -\gamma \\ 1 & 0
\end{pmatrix}` on :math:`(\theta_t, \theta_{t-1})`. The convergence rate is the largest spectral
radius over the eigenvalues (Goh, "Why momentum really works", Distill 2017).
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import optviz
from optviz import plots, urlstate
from optviz.engine import Trajectory
from optviz.surfaces import Param, Surface, get_surface

RIDGE = 0.1
"""λ of the small L2 term that makes the normalization example's minimum unique."""

Y_HAT = 2.0
"""The target ŷ of the normalization example."""

RAW_FEATURES = (3.0, 600.0)
"""The notes' unnormalized sample: rooms ≈ 3, area ≈ 600."""

NORMALIZED_FEATURES = (0.5, 0.55)
"""The notes' normalized sample."""

ROTATION_START = (-2.6, -1.2)
"""Start of the rotation panels at angle 0 (norm < 3, so every rotation stays in the window)."""


def rotation_optimizers(kappa: float) -> tuple[tuple[str, str, dict[str, float]], ...]:
    """(label, optimizer, hyperparameters) of the rotation panels.

    SGD takes η = 0.9/λ_max (close to the best constant step for the steep direction, so it
    never diverges whatever κ); RMSProp and Adam take fixed rates.
    """
    lam_max = quadratic_eigenvalues(kappa)[1]
    return (
        ("SGD", "sgd", {"lr": 0.9 / lam_max}),
        ("RMSProp", "rmsprop", {"lr": 0.1, "gamma": 0.9}),
        ("Adam", "adam", {"lr": 0.2}),
    )


# ----------------------------------------------------------------------------- the two surfaces


def _ridge_least_squares(a: tuple[float, float]):
    r"""Returns :math:`J(\theta) = (a_1\theta_1 + a_2\theta_2 - \hat y)^2 + \lambda\|\theta\|^2`."""

    def fn(p, c):
        del c
        residual = a[0] * p[0] + a[1] * p[1] - Y_HAT  # a·θ - ŷ
        return residual**2 + RIDGE * (p[0] ** 2 + p[1] ** 2)  # squared error + λ‖θ‖²

    return fn


def ridge_minimum(a: Sequence[float]) -> tuple[float, float]:
    r"""The minimizer :math:`\theta^* = \hat y\, a / (\|a\|^2 + \lambda)` (Sherman–Morrison)."""
    a = np.asarray(a, np.float64)
    theta = Y_HAT * a / (a @ a + RIDGE)  # (aaᵀ + λI)⁻¹ a ŷ
    return float(theta[0]), float(theta[1])


def ridge_hessian(a: Sequence[float]) -> np.ndarray:
    r"""The constant Hessian :math:`H = 2(aa^\top + \lambda I)`."""
    a = np.asarray(a, np.float64)
    return 2.0 * (np.outer(a, a) + RIDGE * np.eye(2))  # ∇²J


RAW = Surface(
    key="normalization_raw",
    name="Raw features (3, 600)",
    fn=_ridge_least_squares(RAW_FEATURES),
    bounds=((-1.0, 1.0), (-0.01, 0.01)),
    start=(-0.8, -0.006),
    latex=r"J(\theta) = (3\theta_1 + 600\theta_2 - \hat y)^2 + \lambda\|\theta\|^2",
    description="The notes' unnormalized loss: θ₂'s feature is 200× larger than θ₁'s.",
    minima=(ridge_minimum(RAW_FEATURES),),
)

NORMALIZED = Surface(
    key="normalization_scaled",
    name="Normalized features (0.5, 0.55)",
    fn=_ridge_least_squares(NORMALIZED_FEATURES),
    bounds=((-1.0, 3.0), (-1.0, 3.0)),
    start=(-0.6, -0.2),
    latex=r"J(\theta) = (0.5\theta_1 + 0.55\theta_2 - \hat y)^2 + \lambda\|\theta\|^2",
    description="The same model after normalization: both features on the same scale.",
    minima=(ridge_minimum(NORMALIZED_FEATURES),),
)

NORMALIZATION_SURFACES = {
    "raw": (RAW, RAW_FEATURES),
    "normalized": (NORMALIZED, NORMALIZED_FEATURES),
}


@functools.partial(jax.jit, static_argnames="surface")
def _hessian(point, coeffs, *, surface):
    """∇²f at ``point`` by automatic differentiation (one compile per surface)."""
    return jax.hessian(lambda p: surface.fn(p, coeffs))(point)


def hessian(surface: str | Surface, point: Sequence[float], params=None) -> np.ndarray:
    """The Hessian of a surface at a point (autodiff, float32), as float64 numpy.

    Args:
        surface: Surface key or object.
        point: (x₁, x₂).
        params: Surface parameters (defaults if None).

    Returns:
        The 2×2 Hessian.
    """
    surf = get_surface(surface)
    coeffs = {k: np.float32(v) for k, v in surf.resolve_params(params).items()}
    return np.asarray(
        _hessian(jnp.asarray(point, jnp.float32), coeffs, surface=surf), np.float64
    ).reshape(2, 2)


class Conditioning(NamedTuple):
    """Eigenvalues of a Hessian and what they imply for gradient descent."""

    lam_min: float
    lam_max: float
    kappa: float
    eta_max: float


def conditioning(h: np.ndarray) -> Conditioning:
    r"""λ_min, λ_max, κ = λ_max/λ_min and the stability limit η_max = 2/λ_max of a Hessian."""
    lam = np.linalg.eigvalsh(np.asarray(h, np.float64))  # ascending eigenvalues
    lam_min, lam_max = float(lam[0]), float(lam[-1])
    kappa = lam_max / lam_min if lam_min > 0 else math.inf  # condition number κ
    return Conditioning(lam_min, lam_max, kappa, 2.0 / lam_max)  # η < 2/λ_max


# ----------------------------------------------------------------------------- the quadratic


def quadratic_eigenvalues(kappa: float) -> tuple[float, float]:
    r"""Eigenvalues of ``SURFACES["quadratic"]``: :math:`f = 0.1u^2 + 0.1\kappa v^2` → 0.2, 0.2κ."""
    return 0.2, 0.2 * float(kappa)


def quadratic_hessian(kappa: float, angle: float) -> np.ndarray:
    r"""Closed-form Hessian :math:`R_\theta\,\mathrm{diag}(0.2, 0.2\kappa)\,R_\theta^\top`."""
    t = math.radians(angle)
    r = np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])  # R_θ
    return r @ np.diag(quadratic_eigenvalues(kappa)) @ r.T


def sgd_eta_max(kappa: float) -> float:
    """The SGD stability limit on the quadratic: 2/λ_max = 10/κ."""
    return 2.0 / quadratic_eigenvalues(kappa)[1]


# ----------------------------------------------------------------------------- momentum


def momentum_matrix(lr: float, gamma: float, lam: float) -> np.ndarray:
    r"""One momentum step on an eigen-direction, state :math:`(\theta, v)`, our convention.

    :math:`v_t = \gamma v_{t-1} + \lambda\theta_{t-1}`, :math:`\theta_t = \theta_{t-1} - \eta
    v_t = (1 - \eta\lambda)\theta_{t-1} - \eta\gamma v_{t-1}`.
    """
    return np.array([[1.0 - lr * lam, -lr * gamma], [lam, gamma]])  # (θ, v) -> (θ', v')


def heavy_ball_matrix(lr: float, gamma: float, lam: float) -> np.ndarray:
    r"""The classic heavy-ball matrix on :math:`(\theta_t, \theta_{t-1})` (Distill's form)."""
    return np.array([[1.0 + gamma - lr * lam, -gamma], [1.0, 0.0]])  # same eigenvalues


def momentum_rate(lr, gamma, eigenvalues: Sequence[float]) -> np.ndarray:
    r"""Convergence rate :math:`\max_i \rho(M_i)` of momentum on a quadratic (vectorised).

    The roots of :math:`z^2 - b z + \gamma` with :math:`b = 1 + \gamma - \eta\lambda`: complex
    (|z| = √γ) when :math:`b^2 < 4\gamma`, else :math:`|b \pm \sqrt{b^2 - 4\gamma}|/2`.

    Args:
        lr: η, any shape (broadcast with ``gamma``).
        gamma: γ, any shape.
        eigenvalues: The Hessian's eigenvalues λ_i.

    Returns:
        ρ with the broadcast shape of ``lr`` and ``gamma``; ρ < 1 converges, ρ ≥ 1 diverges.
    """
    lr, gamma = np.broadcast_arrays(np.asarray(lr, np.float64), np.asarray(gamma, np.float64))
    rate = np.zeros(lr.shape)
    for lam in eigenvalues:
        b = 1.0 + gamma - lr * lam  # trace of the step matrix
        disc = b * b - 4.0 * gamma  # discriminant of z² - b z + γ
        root = np.sqrt(np.maximum(disc, 0.0))
        real = np.maximum(np.abs(b + root), np.abs(b - root)) / 2.0  # two real roots
        radius = np.where(disc < 0.0, np.sqrt(np.maximum(gamma, 0.0)), real)  # |z| = √γ
        rate = np.maximum(rate, radius)  # the slowest direction decides
    return rate


def optimal_momentum(lam_min: float, lam_max: float) -> tuple[float, float, float]:
    r"""The best heavy ball for eigenvalues in [λ_min, λ_max] (Polyak).

    :math:`\eta^* = \big(\frac{2}{\sqrt{\lambda_{min}} + \sqrt{\lambda_{max}}}\big)^2`,
    :math:`\gamma^* = \big(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\big)^2`, rate
    :math:`\rho^* = \frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}`.

    Returns:
        (η*, γ*, ρ*).
    """
    lr = (2.0 / (math.sqrt(lam_min) + math.sqrt(lam_max))) ** 2  # η*
    root = math.sqrt(lam_max / lam_min)  # √κ
    rate = (root - 1.0) / (root + 1.0)  # ρ*
    return lr, rate**2, rate  # γ* = ρ*²


def best_gd_rate(kappa: float) -> float:
    r"""Gradient descent's best rate :math:`(\kappa - 1)/(\kappa + 1)` (at η = 2/(λ_min+λ_max))."""
    return (float(kappa) - 1.0) / (float(kappa) + 1.0)


def measured_rate(xy: np.ndarray, minimum: Sequence[float] = (0.0, 0.0), window: int = 10):
    r"""The per-step rate at which a run's error :math:`\|\theta_t - \theta^*\|` shrinks.

    Oscillating errors (complex eigenvalues) are smoothed by taking the maximum over a window
    at both ends of the usable stretch (errors still above 1e-24 of the start, so float32 is
    exact enough): :math:`\hat\rho = (E_{end}/E_{begin})^{1/\Delta t}`.

    Args:
        xy: Path ``(T+1, 2)`` (NaN after divergence).
        minimum: θ*.
        window: Envelope window in steps.

    Returns:
        The measured rate (> 1 for a growing error), or NaN if the path is too short.
    """
    err = np.linalg.norm(np.asarray(xy, np.float64) - np.asarray(minimum, np.float64), axis=1)
    usable = np.isfinite(err) & (err > 1e-24 * max(err[0], 1e-30))
    stop = int(np.argmin(usable)) if not usable.all() else len(err)  # first unusable point
    if stop < 3 * window:
        window = max(stop // 3, 1)
    if stop < 3:
        return math.nan
    start = min(window, stop // 4)  # skip the transient of the very first steps
    begin = err[start : start + window]
    end = err[stop - window : stop]
    span = (stop - window) - start  # steps between the two windows
    if span <= 0 or begin.max() <= 0:
        return math.nan
    return float((end.max() / begin.max()) ** (1.0 / span))  # (E_end / E_begin)^(1/Δt)


def steps_to_shrink(rate: float, factor: float = 1e-3) -> float:
    """Steps for the error to shrink by ``factor`` at ``rate`` per step (inf if rate ≥ 1)."""
    if not 0.0 < rate < 1.0:
        return math.inf if rate >= 1.0 else 0.0
    return math.log(factor) / math.log(rate)  # ρ^t = factor


# ----------------------------------------------------------------------------- rotation


def rotate(points, angle: float) -> np.ndarray:
    r"""Rotates points ``(..., 2)`` by ``angle`` degrees: :math:`p \mapsto R_\theta p`."""
    t = math.radians(angle)
    r = np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])  # R_θ
    return np.asarray(points, np.float64) @ r.T


def rotation_error(path0: np.ndarray, path: np.ndarray, angle: float) -> float:
    r"""How far a path at angle θ is from the rotated path at angle 0.

    :math:`\max_t \|p_t - R_\theta p^{(0)}_t\|` over the points both runs still have (inf if
    only one of them diverged).
    """
    a = rotate(path0, angle)
    b = np.asarray(path, np.float64)
    fa, fb = np.isfinite(a).all(axis=1), np.isfinite(b).all(axis=1)
    if not np.array_equal(fa, fb):
        return math.inf
    if not fa.any():
        return 0.0
    return float(np.max(np.linalg.norm(a[fa] - b[fa], axis=1)))


# ----------------------------------------------------------------------------- figures


class Panel(NamedTuple):
    """One panel of :func:`panels_figure`: a surface and a few paths on it."""

    surface: Surface
    params: tuple[tuple[str, float], ...]
    paths: tuple[np.ndarray, ...]
    labels: tuple[str, ...]
    colors: tuple[str, ...]
    title: str


def panels_figure(
    panels: Sequence[Panel],
    height: int = 490,
    max_frames: int = 100,
    tr: Callable[[str], str] = str,
):
    """Side-by-side surfaces (each with its own axes), paths faint, heads animated together.

    Each panel: background image, iso-lines, faint paths, known minima, ONE heads trace (all
    its runs); when animated, the step counter last, in the last panel's corner. Frames update
    the heads traces and the counter (``redraw: False``).

    Args:
        panels: The panels, left to right.
        height: Pixels.
        max_frames: Most animation frames.
        tr: Translates the hover texts (the UI's ``t``); titles and labels come translated.

    Returns:
        A ``go.Figure``; ``layout.meta["heads_traces"]`` lists the heads traces.
    """
    count = len(panels)
    fig = make_subplots(
        rows=1, cols=count, subplot_titles=[p.title for p in panels], horizontal_spacing=0.08
    )
    total = max((len(path) - 1 for p in panels for path in p.paths), default=0)
    steps = plots.frame_steps(total, max_frames)
    data, images, heads_traces, heads = [], [], [], []
    axes = {}
    for i, panel in enumerate(panels):
        sub = fig.get_subplot(1, i + 1)
        xname, yname = sub.xaxis.plotly_name, sub.yaxis.plotly_name
        refs = dict(xaxis=xname.replace("axis", ""), yaxis=yname.replace("axis", ""))
        key = plots._params_key(panel.surface, dict(panel.params))
        image, iso = plots._background(panel.surface, key, 140, 12, refs["xaxis"], refs["yaxis"])
        images.append(image)
        data.append(iso)
        positions = []
        for path, label, col in zip(panel.paths, panel.labels, panel.colors, strict=True):
            xy = np.asarray(path, np.float32)
            data.append(
                dict(
                    type="scatter",
                    x=xy[:, 0],
                    y=xy[:, 1],
                    mode="lines+markers",
                    name=label,
                    legendgroup=label,
                    showlegend=i == 0,
                    line=dict(color=col, width=2),
                    marker=dict(color=col, size=3),
                    opacity=0.6,
                    hovertemplate=f"{label}<br>{tr('step')} %{{pointNumber}}<br>"
                    "(%{x:.4g}, %{y:.4g})<extra></extra>",
                    **refs,
                )
            )
            positions.append(_heads(np.asarray(path, np.float64), steps))
        known = plots._known_points_trace(panel.surface, tr, **refs)
        if known is not None:
            data.append(known)
        heads_traces.append(len(data))
        pos = np.stack(positions, axis=1) if positions else np.zeros((len(steps), 0, 2))
        heads.append(pos)
        data.append(
            dict(
                type="scatter",
                x=plots._as_list(pos[0, :, 0]),
                y=plots._as_list(pos[0, :, 1]),
                mode="markers",
                name="heads",
                text=list(panel.labels),
                marker=dict(color=list(panel.colors), size=12, line=dict(color="white", width=2)),
                hovertemplate="%{text}<br>(%{x:.4g}, %{y:.4g})<extra></extra>",
                showlegend=False,
                **refs,
            )
        )
        ax, ay = plots._axes(panel.surface.bounds)
        ay["title"] = dict(text="x₂" if i == 0 else "")
        axes[xname] = {**fig.layout[xname].to_plotly_json(), **ax}
        axes[yname] = {**fig.layout[yname].to_plotly_json(), **ay}
    layout = fig.layout.to_plotly_json()
    layout.update(axes)
    layout.update(
        height=height,
        images=images,
        uirevision=plots.UIREVISION,
        hovermode="closest",
        plot_bgcolor="white",
        margin=dict(l=60, r=15, t=50, b=plots.CONTROLS_MARGIN if total > 0 else 50),
        legend=dict(orientation="h", x=0.0, y=1.12, yanchor="bottom"),
        meta={"heads_traces": heads_traces},
    )
    frames = None
    if total > 0:
        layout["updatemenus"], layout["sliders"] = plots._animation_controls(
            steps, max(height - 50 - plots.CONTROLS_MARGIN, 100)
        )
        last = fig.get_subplot(1, count)  # the counter in the last panel's corner
        (_, x1), (_, y1) = panels[-1].surface.bounds
        refs = dict(
            xaxis=last.xaxis.plotly_name.replace("axis", ""),
            yaxis=last.yaxis.plotly_name.replace("axis", ""),
        )
        counter, counts = plots.frame_counter(steps, (x1, y1), tr, **refs)
        data.append(counter)
        frames = [
            {
                "name": str(int(k)),
                "data": [
                    *(
                        {"x": plots._as_list(h[f, :, 0]), "y": plots._as_list(h[f, :, 1])}
                        for h in heads
                    ),
                    counts[f],
                ],
                "traces": [*heads_traces, len(data) - 1],
            }
            for f, k in enumerate(steps)
        ]
    return plots.figure(data, layout, frames)


def _heads(xy: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """Head of one path at each frame step ``(len(steps), 2)``; it waits at its last good point."""
    finite = np.isfinite(xy).all(axis=1)
    last = len(xy) - 1 if finite.all() else max(int(np.argmin(finite)) - 1, 0)
    return xy[np.minimum(steps, min(last, len(xy) - 1))]


def gap_figure(
    curves: dict[str, np.ndarray],
    colors: Sequence[str],
    floor: float = 1e-6,
    tr: Callable[[str], str] = str,
) -> go.Figure:
    r"""The suboptimality :math:`J(\theta_t) - J^*` against the step, log axis.

    Args:
        curves: Label -> gap per step.
        colors: One colour per curve.
        floor: A curve stops where it first drops to ``floor`` (float32 round-off below).
        tr: Translates the hover texts and axis titles (the UI's ``t``); identity by default.

    Returns:
        A ``go.Figure``.
    """
    data = []
    for (label, gap), col in zip(curves.items(), colors, strict=True):
        y = np.asarray(gap, np.float64)
        below = np.flatnonzero(~(y > floor))  # float32 round-off from here on (or NaN)
        if below.size:
            y = y[: below[0]]
        data.append(
            dict(
                type="scatter",
                x=np.arange(len(y), dtype=np.int32),
                y=y.astype(np.float32),
                mode="lines",
                name=label,
                line=dict(color=col, width=3),
                hovertemplate=f"{label}<br>{tr('step')} %{{x}}<br>%{{y:.3g}}<extra></extra>",
            )
        )
    layout = dict(
        height=300,
        uirevision=plots.UIREVISION,
        xaxis=dict(title=dict(text=tr("step t")), rangemode="tozero"),
        yaxis=dict(type="log", title=dict(text="J(θ_t) − J*"), exponentformat="power"),
        margin=dict(l=70, r=15, t=30, b=50),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
        hovermode="x unified",
    )
    return go.Figure(data=data, layout=layout)


def eta_axis_figure(
    lr: float, eta_max: float, low: float, high: float, tr: Callable[[str], str] = str
) -> go.Figure:
    """A one-line "η axis": stable (green) below 2/λ_max, unstable (red) above, η marked.

    Args:
        lr: The chosen η.
        eta_max: 2/λ_max.
        low: Left end of the axis (> 0, log scale).
        high: Right end.
        tr: Translates the axis title (the UI's ``t``); identity by default.

    Returns:
        A short ``go.Figure``.
    """
    lo, hi = math.log10(low), math.log10(high)
    stable = lr < eta_max
    shapes = [
        dict(
            type="rect",
            xref="x",
            yref="y",
            x0=low,
            x1=min(eta_max, high),
            y0=0,
            y1=1,
            fillcolor="rgba(0, 158, 115, 0.18)",
            line=dict(width=0),
            layer="below",
        ),
        dict(
            type="rect",
            xref="x",
            yref="y",
            x0=max(eta_max, low),
            x1=high,
            y0=0,
            y1=1,
            fillcolor="rgba(213, 94, 0, 0.18)",
            line=dict(width=0),
            layer="below",
        ),
        dict(
            type="line",
            xref="x",
            yref="y",
            x0=eta_max,
            x1=eta_max,
            y0=0,
            y1=1,
            line=dict(color="black", width=2, dash="dash"),
        ),
    ]
    data = [
        dict(
            type="scatter",
            x=[lr],
            y=[0.5],
            mode="markers+text",
            text=[f"η = {lr:.3g}"],
            textposition="top center",
            marker=dict(size=16, color="#009E73" if stable else "#D55E00", symbol="diamond"),
            hovertemplate="η = %{x:.4g}<extra></extra>",
            showlegend=False,
        )
    ]
    annotations = [
        dict(
            x=math.log10(eta_max),
            y=1.0,
            xref="x",
            yref="y",
            yanchor="bottom",
            text=f"2/λ_max = {eta_max:.3g}",
            showarrow=False,
        ),
    ]
    layout = dict(
        height=150,
        xaxis=dict(
            type="log", range=[lo, hi], title=dict(text=tr("learning rate η")), showgrid=False
        ),
        yaxis=dict(range=[0, 1.35], visible=False),
        shapes=shapes,
        annotations=annotations,
        margin=dict(l=20, r=20, t=10, b=45),
        plot_bgcolor="white",
    )
    return go.Figure(data=data, layout=layout)


def rate_map_figure(
    lrs: np.ndarray,
    gammas: np.ndarray,
    rates: np.ndarray,
    current: tuple[float, float],
    optimum: tuple[float, float],
    lam_max: float,
    tr: Callable[[str], str] = str,
) -> go.Figure:
    """The momentum convergence-rate map ρ(η, γ) (Distill's picture), static.

    Args:
        lrs: η grid (x).
        gammas: γ grid (y).
        rates: ``(len(gammas), len(lrs))``; cells with ρ ≥ 1 are left blank (they diverge).
        current: (η, γ) chosen on the page.
        optimum: (η*, γ*).
        lam_max: λ_max, for the stability edge η = 2(1+γ)/λ_max.
        tr: Translates the legend names and axis titles (the UI's ``t``); identity by default.

    Returns:
        A ``go.Figure``: heatmap, stability edge, optimum ★ and the current ○.
    """
    z = np.where(np.asarray(rates) < 1.0, rates, np.nan)
    finite = z[np.isfinite(z)]
    zmin = float(finite.min()) if finite.size else 0.0
    edge_g = np.asarray(gammas, np.float64)
    edge_lr = 2.0 * (1.0 + edge_g) / lam_max  # ηλ_max = 2(1+γ): the edge of stability
    data = [
        dict(
            type="heatmap",
            x=np.asarray(lrs, np.float32),
            y=np.asarray(gammas, np.float32),
            z=z.astype(np.float32),
            zmin=zmin,
            zmax=1.0,
            colorscale="Viridis",
            colorbar=dict(title=dict(text="ρ"), len=0.9),
            hovertemplate="η = %{x:.3g}, γ = %{y:.3g}<br>ρ = %{z:.4f}<extra></extra>",
        ),
        dict(
            type="scatter",
            x=edge_lr.astype(np.float32),
            y=edge_g.astype(np.float32),
            mode="lines",
            name="ρ = 1: η = 2(1+γ)/λ_max",
            line=dict(color="#D55E00", width=2, dash="dash"),
            hoverinfo="skip",
        ),
        dict(
            type="scatter",
            x=[optimum[0]],
            y=[optimum[1]],
            mode="markers",
            name=tr("best: η* = {lr}, γ* = {gamma}").format(
                lr=f"{optimum[0]:.3g}", gamma=f"{optimum[1]:.3g}"
            ),
            marker=dict(symbol="star", size=18, color="white", line=dict(color="black", width=2)),
        ),
        dict(
            type="scatter",
            x=[current[0]],
            y=[current[1]],
            mode="markers",
            name=tr("yours: η = {lr}, γ = {gamma}").format(
                lr=f"{current[0]:.3g}", gamma=f"{current[1]:.3g}"
            ),
            marker=dict(symbol="circle-open", size=20, color="#D55E00", line=dict(width=4)),
        ),
    ]
    layout = dict(
        height=500,
        uirevision=plots.UIREVISION,
        xaxis=dict(
            title=dict(text=tr("learning rate η")),
            range=[float(lrs[0]), float(lrs[-1])],
            showgrid=False,
            zeroline=False,
        ),
        yaxis=dict(
            title=dict(text=tr("momentum γ")),
            range=[float(gammas[0]), float(gammas[-1])],
            showgrid=False,
            zeroline=False,
        ),
        plot_bgcolor="rgba(213, 94, 0, 0.25)",  # blank cells (ρ ≥ 1) show this: diverges
        margin=dict(l=65, r=15, t=100, b=50),
        legend=dict(orientation="v", x=0.0, y=1.02, yanchor="bottom"),
    )
    return go.Figure(data=data, layout=layout)


def rate_grid(kappa: float, lr_high: float, n_lr: int = 121, n_gamma: int = 100):
    """The η and γ grids of the map and the rates on them.

    Args:
        kappa: Condition number of the quadratic.
        lr_high: Right end of the η axis.
        n_lr: Grid points along η.
        n_gamma: Grid points along γ.

    Returns:
        ``(lrs, gammas, rates)`` with ``rates[j, i]`` at ``(lrs[i], gammas[j])``.
    """
    lrs = np.linspace(lr_high / n_lr, lr_high, n_lr)
    gammas = np.linspace(0.0, 0.99, n_gamma)
    rates = momentum_rate(lrs[None, :], gammas[:, None], quadratic_eigenvalues(kappa))
    return lrs, gammas, rates


# ----------------------------------------------------------------------------- page views

QUADRATIC_START = (-5.0, -2.0)
"""d2l's start on the quadratic."""

SGD_STEPS = 100
MOMENTUM_STEPS = 300  # long enough to measure the rate
ROTATION_STEPS = 100
ETA_AXIS = (1e-3, 2.0)  # ends of the η axis (the η sliders' range)
NORMALIZATION_COLORS = ("#D55E00", "#0072B2")


def _gap(traj: Trajectory, surface: Surface) -> np.ndarray:
    """J(θ_t) − J* along a run (NaN after divergence)."""
    fstar = float(surface(np.asarray(surface.minima[0], np.float32)))
    return np.asarray(traj.loss, np.float64) - fstar  # suboptimality


def _first_below(gap: np.ndarray, tol: float) -> int | None:
    """First step with J − J* ≤ tol, or None."""
    hit = np.flatnonzero(np.asarray(gap) <= tol)
    return int(hit[0]) if hit.size else None


class NormalizationView(NamedTuple):
    """Everything the normalization panel shows."""

    figure: go.Figure
    gap: go.Figure
    rows: list[dict]


def normalization_view(
    fraction: float, steps: int, tol: float = 1e-3, tr: Callable[[str], str] = str
) -> NormalizationView:
    """GD on the raw and the normalized loss, each at ``fraction`` × its own η_max.

    Args:
        fraction: η / η_max (the same fraction for both; 1 is the edge of stability).
        steps: Steps T.
        tol: The "reached" threshold on J − J*.
        tr: Translates the figures' texts and the table's cells (the UI's ``t``); the table's
            keys stay English (the page translates the headers).

    Returns:
        A ``NormalizationView``: the two panels, the gap curves and a table row per loss.
    """
    panels, gaps, rows = [], {}, []
    for (name, (surface, features)), col in zip(
        NORMALIZATION_SURFACES.items(), NORMALIZATION_COLORS, strict=True
    ):
        cond = conditioning(ridge_hessian(features))
        lr = float(fraction) * cond.eta_max  # η = fraction · 2/λ_max
        traj = optviz.run("sgd", surface, steps=int(steps), hparams={"lr": lr})
        gap = _gap(traj, surface)
        label = tr("{name} (η = {lr})").format(name=tr(name), lr=f"{lr:.3g}")
        title = tr(surface.name)
        if name != "normalized":
            title = tr("{name} — x₂ axis stretched ×100").format(name=title)
        panels.append(Panel(surface, (), (traj.xy,), (label,), (col,), title))
        gaps[label] = gap
        hit = _first_below(gap, tol)
        rows.append(
            {
                "loss": tr(name),
                "λ_max": cond.lam_max,
                "λ_min": cond.lam_min,
                "κ = λ_max/λ_min": cond.kappa,
                "η_max = 2/λ_max": cond.eta_max,
                "η used": lr,
                "1 − ηλ_min": 1.0 - lr * cond.lam_min,
                f"steps to J − J* ≤ {tol:g}": (
                    tr("diverged at step {step}").format(step=traj.diverged_at)
                    if traj.diverged_at is not None
                    else (
                        str(hit)
                        if hit is not None
                        else tr("not within {steps}").format(steps=steps)
                    )
                ),
            }
        )
    return NormalizationView(
        panels_figure(panels, tr=tr), gap_figure(gaps, NORMALIZATION_COLORS, tr=tr), rows
    )


class SgdView(NamedTuple):
    """Everything the κ / rotation / stability panel shows."""

    figure: go.Figure
    eta_axis: go.Figure
    eta_max: float
    hessian_eta_max: float
    diverged_at: int | None


def sgd_view(kappa: float, angle: float, lr: float, tr: Callable[[str], str] = str) -> SgdView:
    """SGD on the rotated quadratic, with the stability limit from the Hessian.

    Args:
        kappa: κ.
        angle: Rotation in degrees.
        lr: η.
        tr: Translates the figures' texts (the UI's ``t``); identity by default.

    Returns:
        An ``SgdView``: ``eta_max`` from the closed form 10/κ, ``hessian_eta_max`` from the
        autodiff Hessian's largest eigenvalue.
    """
    params = {"kappa": float(kappa), "angle": float(angle)}
    traj = optviz.run(
        "sgd", "quadratic", QUADRATIC_START, SGD_STEPS, {"lr": float(lr)}, surface_params=params
    )
    eta_max = sgd_eta_max(kappa)
    from_hessian = conditioning(hessian("quadratic", QUADRATIC_START, params)).eta_max
    figure = plots.trajectory_figure(
        "quadratic", [traj], [f"SGD η = {lr:g}"], params, clickable=False, height=460, tr=tr
    )
    return SgdView(
        figure,
        eta_axis_figure(lr, eta_max, *ETA_AXIS, tr=tr),
        eta_max,
        from_hessian,
        traj.diverged_at,
    )


class MomentumView(NamedTuple):
    """Everything the momentum-rate panel shows."""

    map: go.Figure
    path: go.Figure
    predicted: float
    measured: float
    optimum: tuple[float, float, float]
    gd_rate: float
    diverged_at: int | None


def momentum_view(
    kappa: float, angle: float, lr: float, gamma: float, tr: Callable[[str], str] = str
) -> MomentumView:
    """The (η, γ) rate map for the quadratic, and one momentum run with its measured rate.

    Args:
        kappa: κ.
        angle: Rotation (the rates do not depend on it; the run does not either, up to a
            rotation).
        lr: η.
        gamma: γ.
        tr: Translates the figures' texts (the UI's ``t``); identity by default.

    Returns:
        A ``MomentumView``.
    """
    lam_min, lam_max = quadratic_eigenvalues(kappa)
    optimum = optimal_momentum(lam_min, lam_max)
    high = max(1.1 * 4.0 / lam_max, 1.05 * float(lr))  # the whole stable region, and η
    lrs, gammas, rates = rate_grid(kappa, high)
    params = {"kappa": float(kappa), "angle": float(angle)}
    traj = optviz.run(
        "momentum",
        "quadratic",
        QUADRATIC_START,
        MOMENTUM_STEPS,
        {"lr": float(lr), "momentum": float(gamma)},
        surface_params=params,
    )
    shown = traj.xy[: SGD_STEPS + 1]
    path = plots.trajectory_figure(
        "quadratic",
        [dataclasses.replace(traj, xy=shown, loss=traj.loss[: SGD_STEPS + 1])],
        [tr("momentum η = {lr}, γ = {gamma}").format(lr=f"{lr:g}", gamma=f"{gamma:g}")],
        params,
        clickable=False,
        height=430,
        stacked_controls=True,  # beside the rate map: half the page wide
        tr=tr,
    )
    return MomentumView(
        map=rate_map_figure(lrs, gammas, rates, (lr, gamma), optimum[:2], lam_max, tr=tr),
        path=path,
        predicted=float(momentum_rate(lr, gamma, (lam_min, lam_max))),
        measured=measured_rate(traj.xy),
        optimum=optimum,
        gd_rate=best_gd_rate(kappa),
        diverged_at=traj.diverged_at,
    )


class RotationView(NamedTuple):
    """Everything the rotation panel shows."""

    figure: go.Figure
    rows: list[dict]


def rotation_view(kappa: float, angle: float, tr: Callable[[str], str] = str) -> RotationView:
    """SGD, RMSProp and Adam at angle 0 and at ``angle``, the start rotated with the valley.

    Args:
        kappa: κ.
        angle: The rotation θ in degrees.
        tr: Translates the panel titles (the UI's ``t``); the table's keys stay English.

    Returns:
        A ``RotationView``: two panels and, per optimizer, the rotation error
        max_t ‖p_t − R_θ p⁽⁰⁾_t‖ and the final distances to the minimum.
    """
    runs = rotation_optimizers(kappa)
    start = rotate(ROTATION_START, angle)
    paths = {0: [], 1: []}
    rows = []
    for label, key, hp in runs:
        flat = optviz.run(
            key,
            "quadratic",
            ROTATION_START,
            ROTATION_STEPS,
            hp,
            surface_params={"kappa": float(kappa), "angle": 0.0},
        )
        turned = optviz.run(
            key,
            "quadratic",
            tuple(start),
            ROTATION_STEPS,
            hp,
            surface_params={"kappa": float(kappa), "angle": float(angle)},
        )
        paths[0].append(flat.xy)
        paths[1].append(turned.xy)
        rows.append(
            {
                "optimizer": label,
                "η": hp["lr"],
                "max_t ‖p_t − R_θ p⁽⁰⁾_t‖": rotation_error(flat.xy, turned.xy, angle),
                "final ‖θ_T‖ at 0°": float(np.linalg.norm(flat.xy[flat.last_valid])),
                f"final ‖θ_T‖ at {angle:g}°": float(np.linalg.norm(turned.xy[turned.last_valid])),
            }
        )
    labels = tuple(label for label, _, _ in runs)
    colors = tuple(plots.color(i) for i in range(len(runs)))
    panels = [
        Panel(
            get_surface("quadratic"),
            (("angle", 0.0), ("kappa", float(kappa))),
            tuple(paths[0]),
            labels,
            colors,
            tr("valley at 0°"),
        ),
        Panel(
            get_surface("quadratic"),
            (("angle", float(angle)), ("kappa", float(kappa))),
            tuple(paths[1]),
            labels,
            colors,
            tr("valley rotated by θ = {angle}°").format(angle=f"{angle:g}"),
        ),
    ]
    return RotationView(panels_figure(panels, height=460, tr=tr), rows)


# ----------------------------------------------------------------------------- page settings

FRACTION = Param("frac", r"\eta/\eta_{max}", 0.9, 0.05, 1.2, False, "η as a share of 2/λ_max.")
NORMALIZATION_STEPS = (25, 50, 100, 200, 500)
SGD_LR = Param("lr", r"\eta", 0.4, 1e-3, 2.0, True, "SGD's learning rate η (学习率).")
MOMENTUM_LR = Param("mlr", r"\eta", 0.4, 1e-3, 2.0, True, "Momentum's learning rate η.")
GAMMA = Param("gamma", r"\gamma", 0.5, 0.0, 0.99, False, "Momentum γ (动量超参数).")
ROTATION = Param("rot", r"\theta", 45.0, 0.0, 90.0, False, "Rotation of the valley (degrees).")


def page_fields() -> list[urlstate.Field]:
    """The URL settings of the conditioning page."""
    quadratic = {p.name: p for p in get_surface("quadratic").params}
    return [
        urlstate.param_field("frac", FRACTION),
        urlstate.IntField("norm_steps", 100, NORMALIZATION_STEPS[0], NORMALIZATION_STEPS[-1]),
        urlstate.param_field("kappa", quadratic["kappa"]),
        urlstate.param_field("angle", quadratic["angle"]),
        urlstate.param_field("lr", SGD_LR),
        urlstate.param_field("mlr", MOMENTUM_LR),
        urlstate.param_field("gamma", GAMMA),
        urlstate.param_field("rot", ROTATION),
    ]
