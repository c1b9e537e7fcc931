r"""Gradient checking (梯度检验): autodiff against finite differences, and the gradient field.

Ng's notes (004) check a gradient :math:`d\theta` coordinate by coordinate against the two-sided
difference

.. math:: d\theta_{\text{approx}}[i] =
    \frac{J(\theta + \varepsilon e_i) - J(\theta - \varepsilon e_i)}{2\varepsilon}

and compute the relative error

.. math:: \frac{\|d\theta_{\text{approx}} - d\theta\|_2}
    {\|d\theta_{\text{approx}}\|_2 + \|d\theta\|_2}

(≈1e-7 great, ≈1e-5 check again, ≈1e-3 probably a bug). The one-sided difference
:math:`(J(\theta + \varepsilon e_i) - J(\theta))/\varepsilon` has a truncation error of order
ε, the two-sided one of order ε²; for small ε both drown in round-off, of order u/ε with u the
unit round-off of the arithmetic (about 6e-8 in float32, 1e-16 in float64). So the error
against ε is a V on a log-log plot, and its bottom depends on the precision.

JAX runs in float32 here (x64 is never switched on globally). The float64 curves are computed
inside ``jax.enable_x64(True)``, a context manager that changes the setting for the current
thread only, and compile separately from the float32 ones.

The module also draws a surface's gradient field (梯度场) as small arrows pointing downhill,
for this page and the "your own surface" page. It never imports streamlit: the figure builders
take ``tr`` (the UI's ``t``, identity by default) to translate their English labels.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np
import plotly.graph_objects as go

from optviz import plots
from optviz.surfaces import Param, Surface, get_surface

EPS_CURVE = np.logspace(-10.0, 0.0, 61)  # ε of the error curve, 1e-10 ... 1
EPS = Param("eps", r"\varepsilon", 1e-7, 1e-10, 1.0, True, "Step ε of the finite difference.")
PRECISIONS = ("float64", "float32")
GREAT, CHECK = 1e-6, 1e-4  # band edges between Ng's 1e-7 (great), 1e-5 (check), 1e-3 (wrong)
BUG_FACTOR = (0.5, 1.0)  # the bug: dθ₁ is missing the factor 2 of d(θ²)/dθ = 2θ
FIELD_ARROWS = 17  # arrows per axis of the gradient field


# ----------------------------------------------------------------------------- the check


@functools.partial(jax.jit, static_argnames="surface")
def _differences(theta, eps, coeffs, *, surface):
    """Autodiff gradient and both finite differences at every ε (dtype of ``theta``).

    Args:
        theta: The point θ, shape (2,).
        eps: Steps ε, shape (n,).
        coeffs: Surface parameters (same dtype as θ).
        surface: The surface (static).

    Returns:
        ``(grad (2,), one_sided (n, 2), two_sided (n, 2))``.
    """

    def f(p):
        return surface.fn(p, coeffs)  # J(θ)

    grad = jax.grad(f)(theta)  # dθ by reverse-mode autodiff
    f0 = f(theta)  # J(θ)
    basis = jnp.eye(2, dtype=theta.dtype)  # e₁, e₂

    def at(h):
        plus = jax.vmap(lambda e: f(theta + h * e))(basis)  # J(θ + ε eᵢ)
        minus = jax.vmap(lambda e: f(theta - h * e))(basis)  # J(θ − ε eᵢ)
        return (plus - f0) / h, (plus - minus) / (2.0 * h)  # one-sided, two-sided

    one, two = jax.vmap(at)(eps)
    return grad, one, two


def differences(
    surface: str | Surface, theta, eps, precision: str = "float32", params=None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Autodiff gradient and the one- and two-sided differences, in float32 or float64.

    Args:
        surface: A key of ``optviz.SURFACES`` or a ``Surface`` (a user formula always computes
            in float32, whatever ``precision`` says).
        theta: The point θ.
        eps: Steps ε, shape (n,).
        precision: ``"float32"`` or ``"float64"`` (the latter inside ``jax.enable_x64``).
        params: Surface parameters (defaults if None).

    Returns:
        ``(grad (2,), one_sided (n, 2), two_sided (n, 2))`` as float64 numpy arrays.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    surf = get_surface(surface)
    dtype = np.float64 if precision == "float64" else np.float32
    theta = np.asarray(theta, dtype)
    eps = np.asarray(eps, dtype).ravel()
    coeffs = {k: dtype(v) for k, v in surf.resolve_params(params).items()}
    with jax.enable_x64(precision == "float64"):  # this thread only; never global
        out = _differences(theta, eps, coeffs, surface=surf)
        return tuple(np.asarray(a, np.float64) for a in out)


def relative_error(approx, grad) -> np.ndarray:
    r"""Ng's relative error :math:`\|a - g\|_2 / (\|a\|_2 + \|g\|_2)` over the last axis.

    Args:
        approx: Approximate gradients, shape (..., 2).
        grad: The gradient being checked, shape (2,) or (..., 2).

    Returns:
        The errors, shape (...); 0 where both vectors are 0.
    """
    approx, grad = np.asarray(approx, np.float64), np.asarray(grad, np.float64)
    num = np.linalg.norm(approx - grad, axis=-1)  # ‖dθ_approx − dθ‖₂
    den = np.linalg.norm(approx, axis=-1) + np.linalg.norm(grad, axis=-1)  # ‖dθ_approx‖ + ‖dθ‖
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)


def buggy(grad) -> np.ndarray:
    """The deliberately wrong gradient: dθ₁ without its factor 2."""
    return np.asarray(grad, np.float64) * np.asarray(BUG_FACTOR)


def verdict(error: float) -> str:
    """Ng's reading of a relative error: ``"great"``, ``"check"`` or ``"wrong"``."""
    if not math.isfinite(error):
        return "wrong"
    if error < GREAT:
        return "great"
    return "check" if error < CHECK else "wrong"


def check(
    surface: str | Surface,
    theta,
    eps: float,
    precision: str = "float64",
    bug: bool = False,
    params=None,
) -> dict:
    """Everything the page shows: the table at one ε and the error curves over ε.

    Args:
        surface: A key of ``optviz.SURFACES`` or a ``Surface``.
        theta: The point θ.
        eps: ε of the table.
        precision: Precision of the table (``"float64"`` or ``"float32"``).
        bug: Check the deliberately wrong gradient (``buggy``) instead of the true one.
        params: Surface parameters (defaults if None).

    Returns:
        A dict with ``grad`` (the gradient checked, (2,)), ``approx`` and ``one_sided`` at
        ``eps`` ((2,) each), ``error`` (Ng's relative error of the two-sided difference),
        ``verdict``, ``eps_curve`` (n,) and ``curves``: ``{(precision, "one"|"two"): (n,)}``
        relative errors over ``eps_curve``, each against the gradient checked, computed in
        that precision.
    """
    steps = np.append(EPS_CURVE, eps)  # one fixed shape: one compile per surface and dtype
    curves, at_eps = {}, {}
    for prec in PRECISIONS:
        grad, one, two = differences(surface, theta, steps, prec, params)
        checked = buggy(grad) if bug else grad
        curves[prec, "one"] = relative_error(one[:-1], checked)
        curves[prec, "two"] = relative_error(two[:-1], checked)
        at_eps[prec] = (checked, one[-1], two[-1])
    grad, one, two = at_eps[precision]
    error = float(relative_error(two, grad))
    return {
        "grad": grad,
        "approx": two,
        "one_sided": one,
        "error": error,
        "verdict": verdict(error),
        "eps_curve": EPS_CURVE.copy(),
        "curves": curves,
    }


def slope(eps: np.ndarray, error: np.ndarray, low: float, high: float) -> float:
    """Least-squares slope of log10(error) against log10(ε) for ε in [low, high]."""
    mask = (eps >= low) & (eps <= high) & (error > 0)
    return float(np.polyfit(np.log10(eps[mask]), np.log10(error[mask]), 1)[0])


# ----------------------------------------------------------------------------- figures

ONE_COLOR, TWO_COLOR = plots.PALETTE[0], plots.PALETTE[1]  # vermillion, blue
BANDS = (  # (low, high, fill, label): Ng's three readings
    (1e-18, GREAT, "rgba(0, 158, 115, 0.12)", "great (≈1e-7)"),
    (GREAT, CHECK, "rgba(230, 159, 0, 0.15)", "check again (≈1e-5)"),
    (CHECK, 10.0, "rgba(213, 94, 0, 0.10)", "probably a bug (≈1e-3)"),
)


def error_figure(result: dict, eps: float, tr: Callable[[str], str] = str) -> go.Figure:
    """Relative error against ε on log-log axes: one- and two-sided, float64 and float32.

    Args:
        result: The output of ``check``.
        eps: The table's ε (a vertical line).
        tr: Translates labels and axis titles (the UI's ``t``); identity by default.

    Returns:
        A static ``go.Figure`` with Ng's three bands, four error curves and slope guides.
    """
    e = result["eps_curve"]
    fig = go.Figure()
    for low, high, fill, english in BANDS:
        label = tr(english)
        fig.add_scatter(
            x=[e[0], e[-1], e[-1], e[0], e[0]], y=[low, low, high, high, low], fill="toself",
            fillcolor=fill, mode="lines", line=dict(width=0), name=label, hoverinfo="name",
            showlegend=False,
        )  # fmt: skip
        fig.add_annotation(
            x=math.log10(e[0]), y=math.log10(math.sqrt(max(low, 1e-16) * min(high, 1.0))),
            text=label, showarrow=False, xanchor="left", font=dict(size=11, color="#444"),
        )  # fmt: skip
    for prec, dash in (("float64", "solid"), ("float32", "dot")):
        for kind, colour, name in (
            ("one", ONE_COLOR, tr("one-sided")),
            ("two", TWO_COLOR, tr("two-sided")),
        ):
            err = np.asarray(result["curves"][prec, kind], np.float64)
            error = tr("error")
            fig.add_scatter(
                x=e, y=np.where(err > 0, err, np.nan), mode="lines+markers",
                name=f"{name}, {prec}", line=dict(color=colour, dash=dash, width=2.5),
                marker=dict(size=4), connectgaps=False,
                hovertemplate=f"{name}, {prec}<br>ε = %{{x:.1e}}<br>{error} = %{{y:.2e}}"
                "<extra></extra>",
            )  # fmt: skip
    for kind, power, colour in (("one", 1, ONE_COLOR), ("two", 2, TWO_COLOR)):
        err = result["curves"]["float64", kind]
        k = int(np.argmin(np.abs(np.log10(e) + 1.5)))  # anchor the guide at ε ≈ 0.03
        if err[k] > 0 and np.isfinite(err[k]):
            guide_x = np.array([1e-4, 1.0])
            guide_y = err[k] * (guide_x / e[k]) ** power  # error ∝ ε^power
            name = tr("slope {power} (∝ ε^{power})").format(power=power)
            fig.add_scatter(
                x=guide_x, y=guide_y * 3.0, mode="lines", name=name,
                line=dict(color=colour, width=1, dash="dash"), opacity=0.6, hoverinfo="name",
            )  # fmt: skip
    fig.add_vline(x=eps, line=dict(color="black", width=1, dash="dot"))
    fig.update_layout(
        height=430,
        xaxis=dict(type="log", title=dict(text="ε"), exponentformat="power", range=[-10.2, 0.2]),
        yaxis=dict(
            type="log",
            title=dict(text=tr("relative error")),
            exponentformat="power",
            range=[-16.5, 0.5],
        ),
        margin=dict(l=65, r=10, t=30, b=50),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
        plot_bgcolor="white",
        uirevision=plots.UIREVISION,
        hovermode="closest",
    )
    return fig


# ----------------------------------------------------------------------------- gradient field


@functools.partial(jax.jit, static_argnames="surface")
def _grid_values(xs, ys, coeffs, *, surface):
    """Values of f on the grid ``xs × ys`` (rows follow y); the window is traced (one compile)."""
    x, y = jnp.meshgrid(xs, ys)  # each (len(ys), len(xs))
    return surface.fn(jnp.stack([x, y]), coeffs)


def surface_grid(
    surface: str | Surface, bounds=None, params=None, n: int = 140
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values of f on an n × n grid over any window, without recompiling when the window moves.

    Args:
        surface: A key of ``optviz.SURFACES`` or a ``Surface``.
        bounds: ``((x0, x1), (y0, y1))`` (default: the surface's own).
        params: Surface parameters (defaults if None).
        n: Grid points per axis.

    Returns:
        ``(xs (n,), ys (n,), Z (n, n))`` float64 with ``Z[i, j] = f(xs[j], ys[i])``.
    """
    surf = get_surface(surface)
    (x0, x1), (y0, y1) = bounds or surf.bounds
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    coeffs = {k: np.float32(v) for k, v in surf.resolve_params(params).items()}
    z = _grid_values(xs.astype(np.float32), ys.astype(np.float32), coeffs, surface=surf)
    return xs, ys, np.asarray(z, np.float64)


@functools.partial(jax.jit, static_argnames="surface")
def _gradients(points, coeffs, *, surface):
    """∇f at each row of ``points`` (n, 2); the points are traced (any window, one compile)."""
    return jax.vmap(jax.grad(lambda p: surface.fn(p, coeffs)))(points)


def gradient_field(
    surface: str | Surface, bounds=None, params=None, n: int = FIELD_ARROWS
) -> tuple[np.ndarray, np.ndarray]:
    """The gradient ∇f on an n × n grid inside ``bounds`` (default: the surface's).

    Args:
        surface: A key of ``optviz.SURFACES`` or a ``Surface``.
        bounds: ``((x0, x1), (y0, y1))``; the grid sits half a cell inside it.
        params: Surface parameters (defaults if None).
        n: Arrows per axis.

    Returns:
        ``(points (n², 2), gradients (n², 2))`` as float64 numpy arrays.
    """
    surf = get_surface(surface)
    (x0, x1), (y0, y1) = bounds or surf.bounds
    gx = x0 + (np.arange(n) + 0.5) * (x1 - x0) / n  # cell centres
    gy = y0 + (np.arange(n) + 0.5) * (y1 - y0) / n
    px, py = np.meshgrid(gx, gy)
    points = np.stack([px.ravel(), py.ravel()], axis=1).astype(np.float32)
    coeffs = {k: np.float32(v) for k, v in surf.resolve_params(params).items()}
    grads = np.asarray(_gradients(points, coeffs, surface=surf), np.float64)
    return points.astype(np.float64), grads


def arrows(points, grads, bounds, n: int = FIELD_ARROWS) -> tuple[np.ndarray, np.ndarray]:
    """Small downhill arrows (along −∇f) as ONE polyline with NaN separators.

    Length grows with ‖∇f‖ relative to the largest in view (square root, so small slopes stay
    visible) and is at most 0.85 of a grid cell; each arrow is a shaft and a two-stroke head.

    Args:
        points: Arrow tails, (m, 2).
        grads: ∇f at the tails, (m, 2); non-finite ones are skipped.
        bounds: The window ``((x0, x1), (y0, y1))`` (sets the cell size).
        n: Arrows per axis (sets the cell size).

    Returns:
        ``(x, y)`` float64 arrays for one scatter trace.
    """
    (x0, x1), (y0, y1) = bounds
    cell = np.array([(x1 - x0) / n, (y1 - y0) / n])
    g = np.asarray(grads, np.float64)
    norm = np.linalg.norm(g, axis=1)
    ok = np.isfinite(norm) & (norm > 0)
    if not ok.any():
        return np.empty(0), np.empty(0)
    top = norm[ok].max()
    with np.errstate(invalid="ignore", divide="ignore"):
        unit = -g / norm[:, None]  # downhill direction −∇f/‖∇f‖
        scale = 0.85 * (0.25 + 0.75 * np.sqrt(norm / top))  # fraction of a cell
    tail = np.asarray(points, np.float64)
    tip = tail + unit * scale[:, None] * cell  # in data units (cells may not be square)
    shaft = tip - tail
    c, s = math.cos(math.radians(28)), math.sin(math.radians(28))
    back = -shaft * 0.35  # head strokes: the shaft reversed, shortened, turned ±28°
    head1 = tip + np.stack([c * back[:, 0] - s * back[:, 1], s * back[:, 0] + c * back[:, 1]], 1)
    head2 = tip + np.stack([c * back[:, 0] + s * back[:, 1], -s * back[:, 0] + c * back[:, 1]], 1)
    gap = np.full_like(tail, np.nan)
    seq = np.stack([tail, tip, head1, gap, tip, head2, gap], axis=1)[ok]  # (m, 7, 2)
    line = seq.reshape(-1, 2)
    return line[:, 0], line[:, 1]


def field_figure(
    surface: str | Surface,
    bounds=None,
    params=None,
    point=None,
    grad=None,
    clickable: bool = False,
    height: int = 430,
    names: tuple[str, str] = ("x₁", "x₂"),
    tr: Callable[[str], str] = str,
) -> go.Figure:
    """The surface (background image + iso-lines) with its gradient field as small arrows.

    Args:
        surface: A key of ``optviz.SURFACES`` or a ``Surface``; ``bounds`` default to its own.
        bounds: The window ``((x0, x1), (y0, y1))``.
        params: Surface parameters (defaults if None).
        point: A point to mark (θ), or None.
        grad: The gradient at ``point`` to draw as an arrow (−∇f, downhill), or None.
        clickable: Add an invisible click grid (for ``on_select``).
        height: Figure height in pixels.
        names: Axis titles.
        tr: Translates the trace names and hover texts (the UI's ``t``); identity by default.

    Returns:
        A static ``go.Figure`` (no contour or heatmap traces).
    """
    surf = get_surface(surface)
    bounds = bounds or surf.bounds
    xs, ys, z = surface_grid(surf, bounds, params)
    (x0, x1), (y0, y1) = bounds
    ix, iy = plots.iso_lines(xs, ys, z, 12)
    pts, grads = gradient_field(surf, bounds, params)
    ax, ay = arrows(pts, grads, bounds)
    data = [
        go.Scatter(
            x=ix.astype(np.float32), y=iy.astype(np.float32), mode="lines",
            line=dict(color=plots.ISO_LINE_COLOR, width=1), hoverinfo="skip", showlegend=False,
            name=tr("iso-lines"),
        ),
        go.Scatter(
            x=ax.astype(np.float32), y=ay.astype(np.float32), mode="lines",
            line=dict(color="rgba(20, 20, 60, 0.75)", width=1.2), hoverinfo="skip",
            name=tr("−∇f (downhill)"), showlegend=True,
        ),
    ]  # fmt: skip
    if clickable:
        gx, gy = np.meshgrid(np.linspace(x0, x1, 41), np.linspace(y0, y1, 41))
        data.append(
            go.Scatter(
                x=gx.ravel().astype(np.float32), y=gy.ravel().astype(np.float32),
                mode="text",  # no text: nothing drawn, still clickable (plots._click_grid)
                hovertemplate=tr("check here") + " (%{x:.2f}, %{y:.2f})<extra></extra>",
                showlegend=False, name="click-grid",
            )
        )  # fmt: skip
    if point is not None:
        px, py = float(point[0]), float(point[1])
        data.append(
            go.Scatter(
                x=[px], y=[py], mode="markers", name="θ",
                marker=dict(size=14, color=plots.PALETTE[0], line=dict(color="white", width=2)),
                hovertemplate="θ = (%{x:.4g}, %{y:.4g})<extra></extra>",
            )
        )  # fmt: skip
        if grad is not None and np.all(np.isfinite(grad)) and np.linalg.norm(grad) > 0:
            gx_, gy_ = arrows(np.array([[px, py]]), np.asarray(grad)[None], bounds, n=5)
            data.append(
                go.Scatter(
                    x=gx_, y=gy_, mode="lines", name=tr("−∇f at θ"),
                    line=dict(color=plots.PALETTE[0], width=3), hoverinfo="name",
                )
            )  # fmt: skip
    layout = dict(
        height=height,
        images=[
            dict(
                source=plots.surface_image(xs, ys, z), xref="x", yref="y", x=x0, y=y1,
                sizex=x1 - x0, sizey=y1 - y0, xanchor="left", yanchor="top",
                sizing="stretch", layer="below",
            )
        ],
        xaxis=dict(range=[x0, x1], title=dict(text=names[0]), showgrid=False, zeroline=False),
        yaxis=dict(range=[y0, y1], title=dict(text=names[1]), showgrid=False, zeroline=False),
        plot_bgcolor="white",
        margin=dict(l=55, r=10, t=30, b=45),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
        uirevision=plots.UIREVISION,
        hovermode="closest",
    )  # fmt: skip
    return go.Figure(data=data, layout=layout)
