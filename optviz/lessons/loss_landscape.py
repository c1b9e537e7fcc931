r"""A real network's loss landscape: small vs large batches, flat vs sharp (平坦/尖锐最小值).

The notes (003) say that small mini-batches tend to end in flat minima and large ones in
sharp minima, and that flat minima generalize better (Keskar et al. 2017). Here the claim is
put to a real test: the same 64 → 16 → 10 network (``optviz.landscape``) trained on the
digits twice, with K = 16 and with the full batch, each sliced through its trained weights
θ* along two random filter-normalized directions (Li et al. 2018),

.. math:: f(\alpha, \beta) = L(\theta^* + \alpha\,\delta + \beta\,\eta).

"Sharp" gets two numbers: the mean rise of the loss within a radius r of θ*,
:math:`\overline{f(\alpha, \beta) - f(0, 0)}` over :math:`\alpha^2 + \beta^2 \le r^2`, and the
curvature :math:`\partial^2 f/\partial\alpha^2` at θ*. On this small network they can
disagree — which one is "sharper" depends on how far from θ* one looks, and the page lets a
student find the radius where the order flips.

Pure: never imports streamlit.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from optviz import plots, urlstate
from optviz.landscape import NETWORKS, Slice, get_network, landscape_slice, mean_rise
from optviz.plots import Translate

KEYS = ("small", "large")
"""The two networks compared: mini-batches of 16 and the full batch."""
SPANS = (0.25, 0.5, 1.0, 2.0)
"""Half-widths of the window α, β ∈ [−span, span] offered."""
GRID = 41
"""Grid points per axis of each slice."""
RADIUS_MAX = 2.0


class Setting(NamedTuple):
    """Everything that determines the page's pictures (hashable)."""

    seed: int = 0
    span: float = 1.0
    split: str = "train"
    radius: float = 0.5


def page_fields() -> list[urlstate.Field]:
    """Every setting of the landscape page, named as in ``Setting``."""
    d = Setting()
    return [
        urlstate.IntField("seed", d.seed, 0, 9999),
        urlstate.FloatField("span", d.span, min(SPANS), max(SPANS)),
        urlstate.ChoiceField("split", d.split, ("train", "validation")),
        urlstate.FloatField("radius", d.radius, 0.05, RADIUS_MAX),
    ]


def slices(setting: Setting) -> tuple[Slice, ...]:
    """The slice of each network of ``KEYS`` (same directions' seed, window and split)."""
    return _slices(int(setting.seed), float(setting.span), setting.split)


@functools.lru_cache(maxsize=32)
def _slices(seed: int, span: float, split: str) -> tuple[Slice, ...]:
    """``slices`` without the radius (it changes no grid), cached: a grid costs ~0.2 s."""
    return tuple(landscape_slice(key, seed=seed, span=span, n=GRID, split=split) for key in KEYS)


def rise_within(grid: Slice, radius: float) -> float:
    r"""Mean rise :math:`\overline{f(\alpha,\beta) - f(0,0)}` over the grid points within r."""
    return mean_rise(grid.alpha, grid.beta, grid.loss, grid.center_loss, radius)


class Row(NamedTuple):
    """One network's numbers for the table."""

    key: str
    batch: int
    train_loss: float
    train_accuracy: float
    val_loss: float
    val_accuracy: float
    rise: float
    curvature: tuple[float, float]


def rows(setting: Setting) -> list[Row]:
    """Loss, accuracy, mean rise within r and curvature of each network."""
    out = []
    for key, grid in zip(KEYS, slices(setting), strict=True):
        net = get_network(key)
        out.append(
            Row(
                key=key,
                batch=net.batch_size,
                train_loss=net.train_loss,
                train_accuracy=net.train_accuracy,
                val_loss=net.validation_loss,
                val_accuracy=net.validation_accuracy,
                rise=rise_within(grid, float(setting.radius)),
                curvature=grid.curvature,
            )
        )
    return out


def flip_radius(setting: Setting, radii: Sequence[float] | None = None) -> float | None:
    """The smallest radius at which the other network becomes the one that rises more."""
    grids = slices(setting)
    step = float(grids[0].alpha[1] - grids[0].alpha[0])
    radii = np.arange(step, float(setting.span) + 1e-9, step) if radii is None else radii
    signs = [np.sign(rise_within(grids[1], r) - rise_within(grids[0], r)) for r in radii]
    for r, before, after in zip(radii[1:], signs, signs[1:], strict=False):
        if before != 0 and after != 0 and before != after:
            return float(r)
    return None


# ----------------------------------------------------------------------------- figures


def _label(key: str, tr: Translate) -> str:
    """A network's name in the reader's language."""
    return tr(NETWORKS[key].name)


def slices_figure(setting: Setting, tr: Translate = str) -> go.Figure:
    """The two slices side by side on one colour scale (log₁₀ of the loss), r's circle drawn."""
    grids = slices(setting)
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=[_label(k, tr) for k in KEYS],
        horizontal_spacing=0.08,
        shared_yaxes=True,
    )
    logs = [np.log10(np.maximum(g.loss, 1e-12)) for g in grids]
    low = min(float(np.nanmin(z)) for z in logs)
    high = max(float(np.nanmax(z)) for z in logs)
    theta = np.linspace(0, 2 * np.pi, 73)
    r = float(setting.radius)
    for col, (grid, z) in enumerate(zip(grids, logs, strict=True), start=1):
        fig.add_trace(
            go.Contour(
                x=np.asarray(grid.alpha, np.float64),
                y=np.asarray(grid.beta, np.float64),
                z=z,
                coloraxis="coloraxis",
                contours=dict(start=low, end=high, size=(high - low) / 16),
                line=dict(width=0.5, color="rgba(40, 40, 40, 0.35)"),
                hovertemplate="α %{x:.3f}<br>β %{y:.3f}<br>log₁₀ L %{z:.3f}<extra></extra>",
                name=_label(KEYS[col - 1], tr),
            ),
            row=1,
            col=col,
        )
        fig.add_trace(
            go.Scatter(
                x=r * np.cos(theta),
                y=r * np.sin(theta),
                mode="lines",
                line=dict(color="white", width=2, dash="dash"),
                hoverinfo="skip",
                showlegend=False,
                name="radius",
            ),
            row=1,
            col=col,
        )
        fig.add_trace(
            go.Scatter(
                x=[0.0],
                y=[0.0],
                mode="markers",
                marker=dict(symbol="star", size=15, color="white", line=dict(width=2)),
                hovertext=[tr("θ*, the trained weights")],
                hoverinfo="text",
                showlegend=False,
                name="theta*",
            ),
            row=1,
            col=col,
        )
    span = float(setting.span)
    fig.update_xaxes(range=[-span, span], title_text="α (δ)", constrain="domain")
    fig.update_yaxes(range=[-span, span], scaleanchor="x", constrain="domain")
    fig.update_yaxes(title_text="β (η)", row=1, col=1)
    fig.update_layout(
        height=470,
        uirevision=plots.UIREVISION,
        coloraxis=dict(
            colorscale=plots.COLORSCALE,
            cmin=low,
            cmax=high,
            colorbar=dict(title=dict(text="log₁₀ L")),
        ),
        margin=dict(l=70, r=20, t=50, b=60),
        plot_bgcolor="white",
    )
    return fig


def sections_figure(setting: Setting, tr: Translate = str) -> go.Figure:
    """The loss along α through θ* (β = 0) for both networks: Keskar's one-line picture."""
    grids = slices(setting)
    middle = GRID // 2  # the row β = 0
    data = []
    for i, (key, grid) in enumerate(zip(KEYS, grids, strict=True)):
        data.append(
            dict(
                type="scatter",
                x=np.asarray(grid.alpha, np.float64),
                y=np.asarray(grid.loss[middle], np.float64),
                mode="lines",
                name=_label(key, tr),
                line=dict(color=plots.color(i), width=3),
                hovertemplate="α %{x:.3f}<br>L %{y:.4g}<extra></extra>",
            )
        )
    r = float(setting.radius)
    data.append(
        dict(
            type="scatter",
            x=[-r, -r, None, r, r],
            y=[0, 1, None, 0, 1],
            yaxis="y",
            mode="lines",
            name=tr("radius r"),
            line=dict(color="#888", width=1, dash="dash"),
            hoverinfo="skip",
        )
    )
    layout = dict(
        height=340,
        uirevision=plots.UIREVISION,
        xaxis=dict(title=dict(text="α (δ)")),
        yaxis=dict(type="log", title=dict(text=tr("loss L")), exponentformat="power"),
        margin=dict(l=85, r=25, t=45, b=70),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
        shapes=[],
        hovermode="x unified",
    )
    low = min(float(np.min(g.loss[middle])) for g in grids)
    high = max(float(np.max(g.loss[middle])) for g in grids)
    data[-1]["y"] = [low, high, None, low, high]  # the radius marks span the curves
    return plots.figure(data, layout)


# ----------------------------------------------------------------------------- the story


def table_markdown(setting: Setting, tr: Translate = str) -> str:
    """The numbers of both networks as a Markdown table."""
    head = [
        tr("network"),
        "K",
        tr("training loss"),
        tr("training accuracy"),
        tr("validation loss"),
        tr("validation accuracy"),
        tr("mean rise within r"),
        "∂²f/∂α², ∂²f/∂β²",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows(setting):
        cells = [
            _label(row.key, tr),
            str(row.batch),
            f"{row.train_loss:.4f}",
            f"{row.train_accuracy:.1%}",
            f"{row.val_loss:.4f}",
            f"{row.val_accuracy:.1%}",
            f"{row.rise:.4f}",
            f"{row.curvature[0]:.3f}, {row.curvature[1]:.3f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def story(setting: Setting, tr: Translate = str) -> list[str]:
    """What the numbers say, computed: which network is sharper by each measure."""
    small, large = rows(setting)
    r = float(setting.radius)
    by_rise = large if large.rise > small.rise else small
    by_curvature = large if sum(large.curvature) > sum(small.curvature) else small
    out = [
        tr(
            "Within r = {r:.2g} of θ* the loss of **{name}** rises more on average "
            "({a:.4f} vs {b:.4f}): by this measure its minimum is the sharper one."
        ).format(
            r=r,
            name=_label(by_rise.key, tr),
            a=by_rise.rise,
            b=(small if by_rise is large else large).rise,
        )
    ]
    if by_curvature is not by_rise:
        out.append(
            tr(
                "Right at θ* it is the other way round: **{name}** curves more "
                "(∂²f/∂α² + ∂²f/∂β² = {a:.3f} vs {b:.3f}). Sharpness depends on how far "
                "from the minimum you look."
            ).format(
                name=_label(by_curvature.key, tr),
                a=sum(by_curvature.curvature),
                b=sum((small if by_curvature is large else large).curvature),
            )
        )
    flip = flip_radius(setting)
    if flip is not None:
        out.append(
            tr("The order of the mean rise flips at r ≈ {r:.2g}: move r across it.").format(r=flip)
        )
    return out
