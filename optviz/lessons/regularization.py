r"""Regularization (正则化): why L1 is sparse and L2 is not, and weight decay vs L2 in Adam.

The data loss is a tilted elliptic bowl whose unconstrained minimum :math:`c = (2, 1)` lies off
both axes:

.. math:: J(\theta) = \tfrac12 (\theta - c)^\top A\, (\theta - c),\qquad
    A = R_\varphi \operatorname{diag}(1, 4) R_\varphi^\top .

The two regularized objectives of the notes (001, 004) are

.. math:: \tilde J_1(\theta) = J(\theta) + \lambda \|\theta\|_1 \qquad
    \tilde J_2(\theta) = J(\theta) + \tfrac{\lambda}{2} \|\theta\|_2^2 .

:math:`\tilde J_2` has the closed-form minimizer :math:`(A + \lambda I)^{-1} A c`, which shrinks
towards 0 but reaches it only as :math:`\lambda \to \infty`. :math:`\tilde J_1` is minimized by
proximal gradient descent (ISTA), whose soft-thresholding step sets coordinates *exactly* to 0:
at a finite λ the minimizer lands on an axis (a corner of the diamond ‖θ‖₁ ≤ t).

The second half compares weight decay (权重衰减) with an L2 term in the loss: for SGD they are
the same update, :math:`\theta_t = (1 - \eta\lambda)\theta_{t-1} - \eta \nabla J`, for Adam they
are not (AdamW decays θ directly; Adam + L2 divides the decay by :math:`\sqrt{\hat s_t}` too).

This module never imports streamlit. Figure labels are English constants; the figure builders
take ``tr`` (the UI's ``t``, identity by default) to translate them, and the page translates
the table's run labels and headers itself.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import optviz
from optviz import plots
from optviz.engine import FAR, Trajectory, bucket
from optviz.surfaces import Param, Surface

CENTER = (2.0, 1.0)  # c: the unconstrained minimum of J
EIGENVALUES = (1.0, 4.0)  # eigenvalues of A (curvatures along the ellipse's axes)
WINDOW = ((-1.5, 3.0), (-1.75, 2.75))  # plotting window, a 4.5 × 4.5 square
LAM_MAX = 6.0  # largest λ on the slider and the regularization path
PATH_POINTS = 241  # λ values on the regularization path (0 ... LAM_MAX)
ISTA_STEPS = 400  # ISTA iterations; the error shrinks by 1 - 1/4 per step
GRID = 160  # grid points per axis of the background

ANGLE = Param(
    "angle", r"\varphi", 30.0, 0.0, 90.0, False, "Tilt φ of the data loss's ellipses (degrees)."
)
LAM = Param("lam", r"\lambda", 1.5, 0.0, LAM_MAX, False, "Regularization strength λ (正则化系数).")
WD_LR = Param("lr", r"\eta", 0.05, 1e-3, 1.0, True, "Learning rate η of all four runs (学习率).")
WD_LAM = Param(
    "wd", r"\lambda", 0.5, 0.0, 1.0, False, "λ: the L2 coefficient, or the weight decay (权重衰减)."
)
WD_STEPS = (100, 200, 300, 500)  # step counts offered (each compiles once)
L2_IN_LOSS = Param(
    "lam", r"\lambda", 0.0, 0.0, 1.0, False, "Coefficient λ of the L2 term added to the loss."
)

L1_LATEX = r"\tilde J_1(\theta) = J(\theta) + \lambda \|\theta\|_1"
L2_LATEX = r"\tilde J_2(\theta) = J(\theta) + \tfrac{\lambda}{2} \|\theta\|_2^2"
J_LATEX = (
    r"J(\theta) = \tfrac12 (\theta - c)^\top A\, (\theta - c),\quad c = (2, 1),\quad"
    r" A = R_\varphi \begin{pmatrix}1 & 0\\ 0 & 4\end{pmatrix} R_\varphi^\top"
)


# ----------------------------------------------------------------------------- the data loss


def hessian(angle: float) -> np.ndarray:
    r"""The Hessian :math:`A = R_\varphi \operatorname{diag}(1, 4) R_\varphi^\top` (float64).

    Args:
        angle: Tilt φ in degrees.

    Returns:
        The symmetric positive definite 2 × 2 matrix A.
    """
    t = math.radians(angle)  # φ in radians
    rot = np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])  # R_φ
    return rot @ np.diag(EIGENVALUES) @ rot.T  # A = R diag(1, 4) Rᵀ


def data_loss(p, angle):
    r"""The data loss :math:`J(\theta) = \tfrac12 (\theta - c)^\top A (\theta - c)`, elementwise.

    Args:
        p: Points, first axis ``(θ₁, θ₂)`` (shape ``(2, ...)``).
        angle: Tilt φ in degrees (a traced scalar).

    Returns:
        J at every point.
    """
    t = jnp.deg2rad(angle)  # φ in radians
    dx, dy = p[0] - CENTER[0], p[1] - CENTER[1]  # θ - c
    u = jnp.cos(t) * dx + jnp.sin(t) * dy  # component along the flat eigenvector
    v = -jnp.sin(t) * dx + jnp.cos(t) * dy  # component along the steep eigenvector
    return 0.5 * (EIGENVALUES[0] * u**2 + EIGENVALUES[1] * v**2)  # ½ (a₁u² + a₂v²)


def regularized_bowl(p, c):
    r"""The surface :math:`J(\theta) + \tfrac{\lambda}{2}\|\theta\|_2^2` (λ = ``c["lam"]``)."""
    penalty = 0.5 * c["lam"] * (p[0] ** 2 + p[1] ** 2)  # λ/2 ‖θ‖²
    return data_loss(p, c["angle"]) + penalty


REG_SURFACE = Surface(
    key="regularized_bowl",
    name="Tilted bowl + L2 penalty",
    fn=regularized_bowl,
    bounds=WINDOW,
    start=(-1.0, 2.4),
    latex=r"J(\theta) + \tfrac{\lambda}{2}\|\theta\|_2^2",
    description="A tilted bowl centred at (2, 1), plus an optional L2 term λ/2‖θ‖².",
    params=(L2_IN_LOSS, ANGLE),
)
"""The one module-level surface of the page (λ and φ are traced: sliders never recompile)."""


def data_loss_np(theta, angle: float) -> np.ndarray:
    """J at points ``theta`` of shape ``(..., 2)``, in float64 numpy."""
    d = np.asarray(theta, np.float64) - np.asarray(CENTER)  # θ - c
    return 0.5 * np.einsum("...i,ij,...j->...", d, hessian(angle), d)  # ½ dᵀ A d


# ----------------------------------------------------------------------------- minimizers


def l2_minimizer(lam, angle: float) -> np.ndarray:
    r"""Minimizer of :math:`J + \tfrac{\lambda}{2}\|\theta\|^2`: :math:`(A + \lambda I)^{-1} A c`.

    Args:
        lam: λ ≥ 0, a scalar or an array of shape ``(n,)``.
        angle: Tilt φ in degrees.

    Returns:
        ``(2,)`` for a scalar λ, else ``(n, 2)`` (float64).
    """
    a = hessian(angle)
    lams = np.atleast_1d(np.asarray(lam, np.float64))
    rhs = a @ np.asarray(CENTER)  # A c
    out = np.stack([np.linalg.solve(a + v * np.eye(2), rhs) for v in lams])  # (A + λI)⁻¹ A c
    return out[0] if np.ndim(lam) == 0 else out


@jax.jit
def _ista(lams, angle):
    r"""ISTA for :math:`J + \lambda\|\theta\|_1`, one run per λ (vmapped; λ and φ traced).

    .. math:: \theta \leftarrow S_{\eta\lambda}\big(\theta - \eta A(\theta - c)\big),\quad
        S_\tau(z) = \operatorname{sign}(z)\max(|z| - \tau, 0),\quad \eta = 1/\lambda_{\max}(A)
    """
    t = jnp.deg2rad(angle)  # φ in radians
    rot = jnp.array([[jnp.cos(t), -jnp.sin(t)], [jnp.sin(t), jnp.cos(t)]])  # R_φ
    a = rot @ jnp.diag(jnp.asarray(EIGENVALUES)) @ rot.T  # A = R diag(1, 4) Rᵀ
    c = jnp.asarray(CENTER)
    eta = 1.0 / max(EIGENVALUES)  # step 1/L, L = λ_max(A)

    def solve(lam):
        def body(_, theta):
            z = theta - eta * (a @ (theta - c))  # gradient step on J
            return jnp.sign(z) * jnp.maximum(jnp.abs(z) - eta * lam, 0.0)  # soft-threshold

        return jax.lax.fori_loop(0, ISTA_STEPS, body, jnp.zeros(2))

    return jax.vmap(solve)(lams)


def l1_minimizer(lam, angle: float) -> np.ndarray:
    r"""Minimizer of :math:`J + \lambda\|\theta\|_1` by ISTA (float32, exact zeros).

    Args:
        lam: λ ≥ 0, a scalar or an array of shape ``(n,)``.
        angle: Tilt φ in degrees.

    Returns:
        ``(2,)`` for a scalar λ, else ``(n, 2)`` (float64 copy of the float32 result).
    """
    lams = np.atleast_1d(np.asarray(lam, np.float32))
    out = np.asarray(_ista(lams, np.float32(angle)), np.float64)
    return out[0] if np.ndim(lam) == 0 else out


def l1_minimizer_exact(lam: float, angle: float) -> np.ndarray:
    r"""The exact minimizer of :math:`J + \lambda\|\theta\|_1` in 2D (float64).

    The minimizer has some support and sign pattern; for each candidate pattern the KKT
    conditions give one point (θ = 0; one coordinate 0 and the other soft-thresholded; or
    :math:`\theta = c - \lambda A^{-1} s` with signs s). The true minimizer is among these
    candidates, so the candidate with the smallest objective is it.

    Args:
        lam: λ ≥ 0.
        angle: Tilt φ in degrees.

    Returns:
        ``(2,)`` float64.
    """
    a, c = hessian(angle), np.asarray(CENTER)

    def soft(z, tau):
        return math.copysign(max(abs(z) - tau, 0.0), z)  # S_τ(z)

    candidates = [np.zeros(2)]
    t1 = soft(c[0] + a[0, 1] * c[1] / a[0, 0], lam / a[0, 0])  # θ₂ = 0, θ₁ free
    t2 = soft(c[1] + a[0, 1] * c[0] / a[1, 1], lam / a[1, 1])  # θ₁ = 0, θ₂ free
    candidates += [np.array([t1, 0.0]), np.array([0.0, t2])]
    for s in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
        theta = c - lam * np.linalg.solve(a, np.asarray(s, np.float64))  # ∇J + λ s = 0
        if np.all(np.sign(theta) == s):
            candidates.append(theta)
    values = [data_loss_np(t, angle) + lam * np.abs(t).sum() for t in candidates]
    return candidates[int(np.argmin(values))]


def path_lambdas() -> np.ndarray:
    """The λ values of the regularization path, 0 ... ``LAM_MAX``."""
    return np.linspace(0.0, LAM_MAX, PATH_POINTS)


def paths(angle: float, lam: float) -> dict[str, np.ndarray]:
    """Both regularization paths and the minimizers at the chosen λ (one ISTA call).

    Args:
        angle: Tilt φ in degrees.
        lam: The chosen λ.

    Returns:
        ``lams`` (n,), ``l1`` and ``l2`` (n, 2) along the path, ``l1_at`` and ``l2_at`` (2,)
        at ``lam``, and ``l1_zero`` (2,): for each coordinate the first λ of the path from which
        the L1 solution's coordinate is exactly 0 (NaN if never).
    """
    lams = path_lambdas()
    l1 = l1_minimizer(np.append(lams, lam), angle)  # one fixed shape: compiled once
    l2 = l2_minimizer(np.append(lams, lam), angle)
    zero = l1[:-1] == 0.0
    stays = np.flip(np.logical_and.accumulate(np.flip(zero, 0), 0), 0)  # 0 from here on
    first = [lams[np.argmax(stays[:, i])] if stays[:, i].any() else np.nan for i in range(2)]
    return {
        "lams": lams,
        "l1": l1[:-1],
        "l2": l2[:-1],
        "l1_at": l1[-1],
        "l2_at": l2[-1],
        "l1_zero": np.asarray(first),
    }


# ----------------------------------------------------------------------------- figures

L1_COLOR, L2_COLOR = plots.PALETTE[0], plots.PALETTE[1]  # vermillion, blue
REGION_FILL = {"L1": "rgba(213, 94, 0, 0.18)", "L2": "rgba(0, 114, 178, 0.18)"}


@functools.lru_cache(maxsize=32)
def _background(angle: float):
    """(PNG data URI, iso-line x, iso-line y) of J over the window."""
    xs, ys, z = plots.surface_grid(REG_SURFACE, {"lam": 0.0, "angle": angle}, GRID)
    ix, iy = plots.iso_lines(xs, ys, z, 12)
    return plots.surface_image(xs, ys, z), ix.astype(np.float32), iy.astype(np.float32)


def _level_ellipse(level: float, angle: float, n: int = 160) -> np.ndarray:
    r"""Points of the level set :math:`J(\theta) = \text{level}` (an ellipse around c)."""
    s = np.linspace(0.0, 2 * np.pi, n)
    t = math.radians(angle)
    rot = np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])  # R_φ
    radii = np.sqrt(2.0 * max(level, 0.0) / np.asarray(EIGENVALUES))  # √(2J*/aᵢ)
    unit = np.stack([np.cos(s), np.sin(s)], axis=1) * radii  # axis-aligned ellipse
    return unit @ rot.T + np.asarray(CENTER)  # θ = c + R diag(r) (cos s, sin s)


def _region(kind: str, t: float, n: int = 160) -> np.ndarray:
    """The boundary of ‖θ‖₁ ≤ t (diamond) or ‖θ‖₂ ≤ t (circle), closed."""
    if kind == "L1":
        return np.array([[t, 0.0], [0.0, t], [-t, 0.0], [0.0, -t], [t, 0.0]])
    s = np.linspace(0.0, 2 * np.pi, n)
    return t * np.stack([np.cos(s), np.sin(s)], axis=1)


def _fmt(v: float) -> str:
    """A coordinate for a label: exact 0 shows as 0."""
    return "0" if v == 0.0 else f"{v:.3f}"


def constraint_figure(angle: float, lam: float, tr: Callable[[str], str] = str) -> go.Figure:
    """The notes' diamond-vs-circle picture, side by side, for one λ.

    Each panel shows J (background and iso-lines), its unconstrained minimum c, the constraint
    region ‖θ‖ ≤ t whose size t is that of the regularized minimizer θ*(λ), the level set of J
    through θ* (it touches the region there), the whole path of θ* over λ, and θ* itself.

    Args:
        angle: Tilt φ in degrees.
        lam: λ.
        tr: Translates titles and trace names (the UI's ``t``); identity by default.

    Returns:
        A static ``go.Figure`` with two panels (L1 left, L2 right) on equal axes.
    """
    res = paths(angle, lam)
    source, ix, iy = _background(angle)
    (x0, x1), (y0, y1) = WINDOW
    fig = make_subplots(
        rows=1,
        cols=2,
        horizontal_spacing=0.06,
        subplot_titles=(
            tr("L1: J(θ) + λ‖θ‖₁ — the diamond ‖θ‖₁ ≤ t"),
            tr("L2: J(θ) + λ/2‖θ‖₂² — the circle ‖θ‖₂ ≤ t"),
        ),
    )
    images = []
    for col, kind in ((1, "L1"), (2, "L2")):
        theta = res["l1_at"] if kind == "L1" else res["l2_at"]
        path = res["l1"] if kind == "L1" else res["l2"]
        colour = L1_COLOR if kind == "L1" else L2_COLOR
        t = float(np.abs(theta).sum()) if kind == "L1" else float(np.hypot(*theta))
        xref = "x" if col == 1 else "x2"
        images.append(
            dict(
                source=source,
                xref=xref,
                yref="y" if col == 1 else "y2",
                x=x0,
                y=y1,
                sizex=x1 - x0,
                sizey=y1 - y0,
                xanchor="left",
                yanchor="top",
                sizing="stretch",
                layer="below",
            )
        )
        region = _region(kind, t)
        level = _level_ellipse(float(data_loss_np(theta, angle)), angle)
        traces = [
            go.Scatter(
                x=ix, y=iy, mode="lines", line=dict(color=plots.ISO_LINE_COLOR, width=1),
                hoverinfo="skip", showlegend=False, name=tr("iso-lines of J"),
            ),
            go.Scatter(
                x=[x0, x1, None, 0.0, 0.0], y=[0.0, 0.0, None, y0, y1], mode="lines",
                line=dict(color="rgba(0,0,0,0.55)", width=1.2), hoverinfo="skip",
                showlegend=False, name=tr("axes"),
            ),
            go.Scatter(
                x=region[:, 0], y=region[:, 1], mode="lines", fill="toself",
                fillcolor=REGION_FILL[kind], line=dict(color=colour, width=2),
                name=f"‖θ‖{'₁' if kind == 'L1' else '₂'} ≤ t = {t:.3f}",
                hoverinfo="name", showlegend=False,
            ),
            go.Scatter(
                x=level[:, 0], y=level[:, 1], mode="lines",
                line=dict(color="black", width=1.5, dash="dash"),
                name=tr("level set of J through θ*"),
                hoverinfo="name", showlegend=False,
            ),
            go.Scatter(
                x=path[:, 0], y=path[:, 1], mode="lines", line=dict(color=colour, width=3),
                name=tr("path of θ*(λ)"), hoverinfo="name", showlegend=False,
            ),
            go.Scatter(
                x=[CENTER[0]], y=[CENTER[1]], mode="markers",
                marker=dict(symbol="star", size=15, color="white", line=dict(width=2)),
                name=tr("minimum of J (λ = 0)"), hovertext=tr("c = (2, 1): minimum of J"),
                hoverinfo="text", showlegend=False,
            ),
            go.Scatter(
                x=[theta[0]], y=[theta[1]], mode="markers+text",
                marker=dict(size=14, color=colour, line=dict(color="white", width=2)),
                text=[f"θ* = ({_fmt(theta[0])}, {_fmt(theta[1])})"],
                textposition="top right" if theta[0] < 1.5 else "top left",
                textfont=dict(size=13, color="black"),
                name="θ*", hoverinfo="text", showlegend=False,
            ),
        ]  # fmt: skip
        for trace in traces:
            fig.add_trace(trace, row=1, col=col)
        axis = dict(showgrid=False, zeroline=False, autorange=False, constrain="domain")
        fig.update_xaxes(range=[x0, x1], title_text="θ₁", row=1, col=col, **axis)
        fig.update_yaxes(
            range=[y0, y1],
            title_text="θ₂" if col == 1 else "",
            scaleanchor=xref,
            scaleratio=1,
            row=1,
            col=col,
            **axis,
        )
    fig.update_layout(
        height=470,
        images=images,
        plot_bgcolor="white",
        margin=dict(l=50, r=10, t=40, b=40),
        uirevision=plots.UIREVISION,
        hovermode="closest",
    )
    return fig


def path_figure(angle: float, lam: float, tr: Callable[[str], str] = str) -> go.Figure:
    """The regularization paths: θ₁ and θ₂ of both minimizers against λ.

    Args:
        angle: Tilt φ in degrees.
        lam: The chosen λ (a vertical line).
        tr: Translates the marker texts (the UI's ``t``); identity by default.

    Returns:
        A static ``go.Figure``: L1 solid, L2 dashed; a marker where an L1 coordinate becomes 0.
    """
    res = paths(angle, lam)
    lams = res["lams"]
    fig = go.Figure()
    for i, name in enumerate(("θ₁", "θ₂")):
        colour = plots.PALETTE[2 + i]
        fig.add_scatter(
            x=lams, y=res["l1"][:, i], mode="lines", name=f"L1: {name}",
            line=dict(color=colour, width=3),
        )  # fmt: skip
        fig.add_scatter(
            x=lams, y=res["l2"][:, i], mode="lines", name=f"L2: {name}",
            line=dict(color=colour, width=2, dash="dash"),
        )  # fmt: skip
        hit = res["l1_zero"][i]
        if np.isfinite(hit):
            fig.add_scatter(
                x=[hit], y=[0.0], mode="markers+text", showlegend=False,
                marker=dict(color=colour, size=11, symbol="diamond", line=dict(width=1)),
                text=[tr("L1 {name} = 0 from λ ≈ {hit:.2f}").format(name=name, hit=hit)],
                textposition="top right" if i == 1 else "bottom right",
                name=tr("L1 {name} hits 0").format(name=name),
            )  # fmt: skip
    fig.add_vline(x=lam, line=dict(color="black", width=1, dash="dot"))
    fig.add_hline(y=0.0, line=dict(color="rgba(0,0,0,0.4)", width=1))
    fig.update_layout(
        height=340,
        xaxis=dict(title=dict(text="λ"), range=[0.0, LAM_MAX]),
        yaxis=dict(title=dict(text="θ*ᵢ(λ)")),
        margin=dict(l=55, r=10, t=30, b=45),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
        uirevision=plots.UIREVISION,
        hovermode="x unified",
        plot_bgcolor="white",
    )
    return fig


# ----------------------------------------------------------------------------- weight decay


@functools.partial(jax.jit, static_argnames="length")
def _sgd_weight_decay(start, lr, lam, angle, *, length):
    r"""SGD with decoupled weight decay on J.

    .. math:: \theta_t = (1 - \eta\lambda)\,\theta_{t-1} - \eta\nabla J(\theta_{t-1})

    λ, η, φ and the start are traced; only the (bucketed) run length is static.
    """
    grad = jax.grad(data_loss)  # ∇J (the data loss only: no L2 term)

    def step(theta, _):
        new = (1.0 - lr * lam) * theta - lr * grad(theta, angle)  # decay θ, then step on J
        return new, theta

    last, xs = jax.lax.scan(step, start, None, length=length)
    return jnp.concatenate([xs, last[None]])  # θ₀ ... θ_T


def _diverged(xy: np.ndarray) -> int | None:
    """First index of a non-finite point or one far outside the window (as the engine)."""
    (x0, x1), (y0, y1) = WINDOW
    wx, wy = FAR * (x1 - x0), FAR * (y1 - y0)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(xy).all(axis=1)
        bad |= (xy[:, 0] < x0 - wx) | (xy[:, 0] > x1 + wx)
        bad |= (xy[:, 1] < y0 - wy) | (xy[:, 1] > y1 + wy)
    idx = np.flatnonzero(bad)
    return int(idx[0]) if idx.size else None


def sgd_weight_decay(start, lr: float, lam: float, angle: float, steps: int) -> Trajectory:
    r"""SGD with weight decay on J, as a ``Trajectory`` (for the figures).

    Args:
        start: Start point θ₀.
        lr: Learning rate η.
        lam: Weight decay λ.
        angle: Tilt φ of J in degrees.
        steps: Number of steps.

    Returns:
        A ``Trajectory`` on ``REG_SURFACE``; ``loss`` is :math:`J + \tfrac{\lambda}{2}\|\theta\|^2`
        (the objective both SGD variants minimize), cut at divergence like the engine's.
    """
    xy = np.array(
        _sgd_weight_decay(
            np.asarray(start, np.float32),
            np.float32(lr),
            np.float32(lam),
            np.float32(angle),
            length=bucket(steps),
        )[: steps + 1],
        np.float32,
    )
    with np.errstate(over="ignore", invalid="ignore"):
        loss = (data_loss_np(xy, angle) + 0.5 * lam * (xy.astype(np.float64) ** 2).sum(1)).astype(
            np.float32
        )
    k = _diverged(xy)
    reason = None
    if k is not None:
        reason = "non-finite" if not np.isfinite(xy[k]).all() else "left the window"
        xy[k:], loss[k:] = np.nan, np.nan
    update = np.diff(xy, axis=0)
    return Trajectory(
        xy=xy,
        loss=loss,
        grad=np.full_like(xy, np.nan),
        grad_used=np.full_like(update, np.nan),
        update=update,
        lr=np.full(steps, lr, np.float32),
        state={},
        diverged_at=k,
        diverged_reason=reason,
        optimizer="sgd+weight decay",
        surface=REG_SURFACE.key,
        hparams={"lr": lr, "weight_decay": lam},
    )


RUN_LABELS = (
    "Adam on J + λ/2‖θ‖² (L2 in the loss)",
    "AdamW (decoupled weight decay λ)",
    "SGD on J + λ/2‖θ‖² (L2 in the loss)",
    "SGD with weight decay (1−ηλ)θ",
)


def weight_decay_runs(lr: float, lam: float, angle: float, steps: int) -> list[Trajectory]:
    """The four runs of the weight-decay comparison, from the same start with the same η.

    Args:
        lr: Learning rate η (all four runs).
        lam: λ: the L2 coefficient in the loss, or the weight decay.
        angle: Tilt φ of J in degrees.
        steps: Number of steps.

    Returns:
        Adam on J + λ/2‖θ‖², AdamW with weight decay λ on J, SGD on J + λ/2‖θ‖², SGD with
        weight decay λ on J (in the order of ``RUN_LABELS``).
    """
    start = REG_SURFACE.start
    with_l2 = {"lam": lam, "angle": angle}  # the L2 term lives in the loss
    plain = {"lam": 0.0, "angle": angle}  # the loss is J alone: the optimizer decays θ
    common = dict(surface=REG_SURFACE, start=start, steps=steps)
    return [
        optviz.run("adam", hparams={"lr": lr}, surface_params=with_l2, **common),
        optviz.run(
            "adamw", hparams={"lr": lr, "weight_decay": lam}, surface_params=plain, **common
        ),
        optviz.run("sgd", hparams={"lr": lr}, surface_params=with_l2, **common),
        sgd_weight_decay(start, lr, lam, angle, steps),
    ]


def weight_decay_figure(
    runs: list[Trajectory], lam: float, angle: float, tr: Callable[[str], str] = str
) -> go.Figure:
    """The four runs side by side (animated), each panel marking c and the L2 minimizer.

    Args:
        runs: The output of ``weight_decay_runs``.
        lam: λ (for the L2 minimizer's mark).
        angle: Tilt φ in degrees.
        tr: Translates panel titles and hover texts (the UI's ``t``); identity by default.

    Returns:
        A 2 × 2 ``go.Figure`` built by ``optviz.plots.small_multiples`` plus two marker traces
        per panel appended after the animated ones (frame trace indices are unchanged).
    """
    fig = plots.small_multiples(
        REG_SURFACE,
        runs,
        [tr(label) for label in RUN_LABELS],
        {"lam": 0.0, "angle": angle},
        cols=2,
        tr=tr,
    )
    star = l2_minimizer(lam, angle)
    for i in range(len(runs)):
        suffix = "" if i == 0 else str(i + 1)
        refs = dict(xaxis=f"x{suffix}", yaxis=f"y{suffix}")
        fig.add_scatter(
            x=[CENTER[0], star[0]], y=[CENTER[1], star[1]], mode="markers",
            marker=dict(
                symbol=["circle-open", "star"], size=[14, 16], color=["black", "white"],
                line=dict(width=2, color="black"),
            ),
            hovertext=[
                tr("minimum of J: c = (2, 1)"),
                tr("minimum of J + λ/2‖θ‖²: ({x:.3f}, {y:.3f})").format(x=star[0], y=star[1]),
            ],
            hoverinfo="text", showlegend=False, name="minima", **refs,
        )  # fmt: skip
    return fig


def end_points(runs: list[Trajectory], lam: float, angle: float) -> list[dict]:
    """One row per run: where it ended and how far from the L2 minimizer.

    Args:
        runs: The output of ``weight_decay_runs``.
        lam: λ.
        angle: Tilt φ in degrees.

    Returns:
        Dicts with "run", "θ₁", "θ₂", "distance to argmin J + λ/2‖θ‖²" and "diverged at".
    """
    star = l2_minimizer(lam, angle)
    rows = []
    for tr, label in zip(runs, RUN_LABELS, strict=True):
        end = tr.xy[-1].astype(np.float64)
        ok = tr.diverged_at is None
        rows.append(
            {
                "run": label,
                "θ₁": float(end[0]) if ok else None,
                "θ₂": float(end[1]) if ok else None,
                "distance to argmin J + λ/2‖θ‖²": float(np.hypot(*(end - star))) if ok else None,
                "diverged at": tr.diverged_at,
            }
        )
    return rows


def sgd_gap(runs: list[Trajectory]) -> float:
    """Largest coordinate difference between the two SGD paths (NaN if either diverged)."""
    a, b = runs[2].xy.astype(np.float64), runs[3].xy.astype(np.float64)
    if runs[2].diverged_at is not None or runs[3].diverged_at is not None:
        return math.nan
    return float(np.max(np.abs(a - b)))


def adamw_effective_l2(runs: list[Trajectory], lam: float) -> np.ndarray | None:
    r"""AdamW's implied per-coordinate L2 strength :math:`\lambda\sqrt{\hat s_{T,i}}` at the end.

    At a fixed point of AdamW, :math:`\hat v \approx \nabla J` and
    :math:`\nabla_i J/\sqrt{\hat s_i} + \lambda\theta_i = 0`, i.e.
    :math:`\nabla_i J + \lambda\sqrt{\hat s_i}\,\theta_i = 0`: the end point minimizes J plus an
    L2 term whose coefficient per coordinate is set by the gradient history.

    Args:
        runs: The output of ``weight_decay_runs``.
        lam: The weight decay λ.

    Returns:
        ``(2,)`` float64, or None if AdamW diverged.
    """
    adamw = runs[1]
    if adamw.diverged_at is not None:
        return None
    return lam * np.sqrt(np.asarray(adamw.state["v_hat"][-1], np.float64))  # λ √ŝ_T
