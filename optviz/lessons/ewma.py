r"""Exponentially weighted moving averages (指数加权移动平均) and bias correction (偏差修正).

Ng's notes (seed 004), for a series :math:`\theta_1, \theta_2, \dots` (daily temperatures):

.. math::
    v_0 = 0,\qquad v_t = \beta v_{t-1} + (1-\beta)\,\theta_t
    = \sum_{i=1}^{t} (1-\beta)\,\beta^{t-i}\,\theta_i .

The weights :math:`w_{t,i} = (1-\beta)\beta^{t-i}` sum to :math:`1-\beta^t < 1`, so early
averages are too small (:math:`v_1 = (1-\beta)\theta_1`); dividing by that sum,
:math:`\hat v_t = v_t / (1-\beta^t)`, fixes it, and the fix fades as :math:`\beta^t \to 0`.
A weight falls below :math:`1/e` of the newest one after about :math:`1/(1-\beta)` days
(:math:`\beta^{1/(1-\beta)} \approx 1/e`), so :math:`v_t` averages roughly the last
:math:`1/(1-\beta)` days.

The averages are computed from the unrolled sum as one matrix product (float64); a test
checks them against the recursion. This module never imports streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go

from optviz import plots

DAYS = 100
"""Length of the temperature series."""

NG_BETAS = ((0.5, "#E69F00"), (0.9, "#D55E00"), (0.98, "#009E73"))
"""Ng's figure: β = 0.5 (yellow, noisy), 0.9 (red, ~10 days), 0.98 (green, smooth but late)."""

RAW_COLOR = "#CC79A7"  # purple, as Ng's uncorrected β = 0.98 curve
CORRECTED_COLOR = "#0072B2"  # blue
DATA_COLOR = "rgba(90, 90, 90, 0.55)"
WINDOW_COLOR = "rgba(0, 114, 178, 0.12)"


def seasonal(days: np.ndarray) -> np.ndarray:
    """A smooth spring-to-summer temperature curve in °C (about 6 °C rising to 23 °C)."""
    days = np.asarray(days, np.float64)
    return 14.5 - 9.0 * np.cos(2.0 * np.pi * (days + 8.0) / 150.0)  # one slow seasonal swing


def temperatures(
    days: int = DAYS, noise: float = 3.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Daily temperatures :math:`\theta_t` = seasonal curve + Gaussian noise.

    Args:
        days: Number of days.
        noise: Standard deviation of the day-to-day noise in °C.
        seed: Seed of the noise.

    Returns:
        ``(t, curve, theta)``: days 1..days (int), the noise-free curve and the measurements.
    """
    t = np.arange(1, int(days) + 1)
    curve = seasonal(t)
    rng = np.random.default_rng(int(seed))
    return t, curve, curve + float(noise) * rng.standard_normal(len(t))  # θ_t


def weight_matrix(n: int, beta: float) -> np.ndarray:
    r"""Weights :math:`W_{t,i} = (1-\beta)\beta^{t-i}` for :math:`i \le t` (0 above), n × n."""
    t = np.arange(1, n + 1)
    lag = t[:, None] - t[None, :]  # t - i
    powers = np.where(lag >= 0, float(beta) ** np.maximum(lag, 0), 0.0)  # β^{t-i}, i ≤ t
    return (1.0 - float(beta)) * powers  # (1-β) β^{t-i}


def ewma(theta: np.ndarray, beta: float) -> np.ndarray:
    r"""The EWMA :math:`v_t` of a series for t = 1..n (with :math:`v_0 = 0`).

    Computed as the unrolled sum :math:`v_t = \sum_i (1-\beta)\beta^{t-i}\theta_i`, which equals
    the recursion :math:`v_t = \beta v_{t-1} + (1-\beta)\theta_t`.
    """
    theta = np.asarray(theta, np.float64)
    return weight_matrix(len(theta), beta) @ theta  # v_t = Σ_i (1-β) β^{t-i} θ_i


def bias_corrected(v: np.ndarray, beta: float) -> np.ndarray:
    r"""Bias-corrected averages :math:`\hat v_t = v_t / (1-\beta^t)` for t = 1..n."""
    v = np.asarray(v, np.float64)
    t = np.arange(1, len(v) + 1)
    return v / (1.0 - float(beta) ** t)  # divide by the sum of the weights, 1 - βᵗ


def weights(day: int, beta: float) -> np.ndarray:
    r"""Weight of each day i = 1..day in :math:`v_{day}`: :math:`(1-\beta)\beta^{day-i}`."""
    i = np.arange(1, int(day) + 1)
    return (1.0 - float(beta)) * float(beta) ** (int(day) - i)  # (1-β) β^{t-i}


def window(beta: float) -> float:
    r"""How many recent days :math:`v_t` roughly averages: :math:`1/(1-\beta)`."""
    return 1.0 / (1.0 - float(beta))


def _rounded(a: np.ndarray) -> np.ndarray:
    """float32 copy (Plotly sends it as a compact typed array)."""
    return np.asarray(a, np.float32)


def _shade(day: int, beta: float, lo: float, hi: float) -> tuple[list, list]:
    """Rectangle over the last 1/(1-β) days up to ``day`` (x and y of a closed polygon)."""
    left = max(0.5, day + 0.5 - window(beta))
    right = day + 0.5
    return [left, right, right, left, left], [lo, lo, hi, hi, lo]


def ewma_figure(
    days: np.ndarray,
    theta: np.ndarray,
    beta: float,
    day: int,
    *,
    compare: bool = False,
    corrected: bool = True,
    curve: np.ndarray | None = None,
    height: int = 530,
    tr: Callable[[str], str] = str,
) -> go.Figure:
    """The measurements, the EWMA with and without bias correction, built day by day.

    Trace order: window shade, measurements, [seasonal curve], faint full averages,
    [Ng's three β curves], growing uncorrected average, [growing corrected average], heads,
    the day counter ("day t = 30", top right). Frames are named by the day (1..n) and update
    only the shade, the growing averages, the heads and the counter (``layout.meta["animated"]``);
    the figure first shows day ``day``, and the scrubber stands there.

    Args:
        days: Days 1..n.
        theta: Measurements θ_t.
        beta: The decay β.
        day: The day whose window is shaded before Play.
        compare: Also draw β = 0.5, 0.9, 0.98 (Ng's figure).
        corrected: Draw the bias-corrected average (and correct the comparison curves).
        curve: The noise-free curve to draw faintly, or None.
        height: Figure height in pixels.
        tr: Translates legend names, hover texts and axis titles (the UI's ``t``); identity
            by default.

    Returns:
        A ``go.Figure`` with frames, Play/Pause, speeds and a scrubber over the days.
    """
    days = np.asarray(days)
    n = len(days)
    day = min(max(int(day), 1), n)
    raw = ewma(theta, beta)  # v_t
    fixed = bias_corrected(raw, beta)  # v_t / (1 - βᵗ)
    finite = np.concatenate([np.asarray(theta, np.float64), raw, fixed])
    lo = min(0.0, float(finite.min())) - 1.0
    hi = float(finite.max()) + 1.0
    sx, sy = _shade(day, beta, lo, hi)
    day_word = tr("day")
    data = [
        dict(
            type="scatter",
            x=sx,
            y=sy,
            mode="lines",
            fill="toself",
            fillcolor=WINDOW_COLOR,
            line=dict(width=0),
            name=tr("last 1/(1−β) ≈ {n} days").format(n=f"{window(beta):.3g}"),
            hoverinfo="skip",
        ),
        dict(
            type="scatter",
            x=days,
            y=_rounded(theta),
            mode="markers",
            name=tr("θₜ (measured)"),
            marker=dict(color=DATA_COLOR, size=5),
            hovertemplate=f"{day_word} %{{x}}<br>θ = %{{y:.2f}} °C<extra></extra>",
        ),
    ]
    if curve is not None:
        data.append(
            dict(
                type="scatter",
                x=days,
                y=_rounded(curve),
                mode="lines",
                name=tr("seasonal curve"),
                line=dict(color="rgba(0,0,0,0.35)", width=1, dash="dot"),
                hoverinfo="skip",
            )
        )
    faint = [(raw, RAW_COLOR)] + ([(fixed, CORRECTED_COLOR)] if corrected else [])
    for values, col in faint:
        data.append(
            dict(
                type="scatter",
                x=days,
                y=_rounded(values),
                mode="lines",
                line=dict(color=col, width=1.5),
                opacity=0.25,
                hoverinfo="skip",
                showlegend=False,
            )
        )
    if compare:
        for b, col in NG_BETAS:
            values = ewma(theta, b)
            values = bias_corrected(values, b) if corrected else values
            data.append(
                dict(
                    type="scatter",
                    x=days,
                    y=_rounded(values),
                    mode="lines",
                    name=tr("β = {b} (corrected)").format(b=f"{b:g}")
                    if corrected
                    else f"β = {b:g}",
                    line=dict(color=col, width=1.5),
                    hovertemplate=f"β = {b:g}<br>{day_word} %{{x}}<br>%{{y:.2f}} °C<extra></extra>",
                )
            )
    animated = [0]
    grow = [(tr("vₜ (no correction)"), raw, RAW_COLOR, "dash")]
    if corrected:
        grow.append((tr("vₜ/(1−βᵗ) (bias-corrected)"), fixed, CORRECTED_COLOR, "solid"))
    for label, values, col, dash in grow:
        animated.append(len(data))
        data.append(
            dict(
                type="scatter",
                x=days[:day],
                y=_rounded(values[:day]),
                mode="lines",
                name=f"{label}, β = {beta:g}",
                line=dict(color=col, width=3, dash=dash),
                hovertemplate=f"{label}<br>{day_word} %{{x}}<br>%{{y:.2f}} °C<extra></extra>",
            )
        )
    animated.append(len(data))
    head_values = [np.asarray(theta, np.float64)] + [values for _, values, _, _ in grow]
    head_colors = [DATA_COLOR.replace("0.55", "1")] + [col for _, _, col, _ in grow]
    data.append(
        dict(
            type="scatter",
            x=[int(day)] * len(head_values),
            y=[round(float(v[day - 1]), 3) for v in head_values],
            mode="markers",
            name=tr("today"),
            marker=dict(color=head_colors, size=11, line=dict(color="white", width=1.5)),
            hovertemplate=f"{day_word} %{{x}}<br>%{{y:.2f}} °C<extra></extra>",
            showlegend=False,
        )
    )
    frame_days = list(range(1, n + 1))
    plot_px = height - 60 - plots.CONTROLS_MARGIN  # the plotting area
    menus, sliders = plots._animation_controls(np.asarray(frame_days), plot_px, opening=day)
    menus[0]["buttons"][0]["args"][1]["frame"]["duration"] = 80  # a day is worth a look
    counter, counts = plots.frame_counter(
        frame_days, (n + 1, hi), tr, "day t", joiner=" = ", start=day - 1
    )
    data.append(counter)
    animated.append(len(data) - 1)
    frames = []
    for k in frame_days:
        fx, fy = _shade(k, beta, lo, hi)
        update = [{"x": fx, "y": fy}]
        for _, values, _, _ in grow:
            update.append({"x": days[:k], "y": _rounded(values[:k])})
        update.append(
            {"x": [k] * len(head_values), "y": [round(float(v[k - 1]), 3) for v in head_values]}
        )
        update.append(counts[k - 1])
        frames.append({"name": str(k), "data": update, "traces": animated})
    layout = dict(
        height=height,
        uirevision=plots.UIREVISION,
        hovermode="closest",
        plot_bgcolor="white",
        xaxis=dict(
            range=[0, n + 1], autorange=False, title=dict(text=tr("day t")), gridcolor="#eee"
        ),
        yaxis=dict(range=[lo, hi], autorange=False, title=dict(text="°C"), gridcolor="#eee"),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
        margin=dict(l=55, r=15, t=60, b=plots.CONTROLS_MARGIN),
        updatemenus=menus,
        sliders=sliders,
        meta={"animated": animated},
    )
    return plots.figure(data, layout, frames)


def weights_figure(
    beta: float, day: int, height: int = 300, tr: Callable[[str], str] = str
) -> go.Figure:
    r"""The weight :math:`(1-\beta)\beta^{t-i}` of every day i in :math:`v_t`, t = ``day``.

    Bars inside the last :math:`1/(1-\beta)` days are dark, older ones light; open circles are
    the weights after bias correction (divided by :math:`1-\beta^t`, they sum to 1); the dotted
    line is :math:`(1-\beta)/e`, the newest weight times :math:`1/e`.

    Args:
        beta: The decay β.
        day: The day t whose average is shown.
        height: Figure height in pixels.
        tr: Translates the title, legend names, hover texts and axis titles (the UI's ``t``);
            identity by default.

    Returns:
        A static ``go.Figure``; ``layout.meta`` holds ``{"sum": 1 - βᵗ}``.
    """
    day = max(int(day), 1)
    w = weights(day, beta)
    i = np.arange(1, day + 1)
    recent = (day - i) < window(beta)  # inside the ≈ 1/(1-β) window
    total = float(w.sum())  # = 1 - βᵗ
    day_word, weight_word = tr("day"), tr("weight")
    data = [
        dict(
            type="bar",
            x=i,
            y=_rounded(w),
            name="(1−β)β^(t−i)",
            marker=dict(color=np.where(recent, CORRECTED_COLOR, "rgba(0,114,178,0.3)").tolist()),
            hovertemplate=f"{day_word} %{{x}}<br>{weight_word} %{{y:.4g}}<extra></extra>",
        ),
        dict(
            type="scatter",
            x=i,
            y=_rounded(w / total),
            mode="markers",
            name=tr("÷ (1−βᵗ): bias-corrected"),
            marker=dict(symbol="circle-open", color=RAW_COLOR, size=6),
            hovertemplate=f"{day_word} %{{x}}<br>{tr('corrected weight')} %{{y:.4g}}"
            "<extra></extra>",
        ),
        dict(
            type="scatter",
            x=[0.5, day + 0.5],
            y=[(1.0 - beta) / math.e] * 2,
            mode="lines",
            name="(1−β)/e",
            line=dict(color="black", dash="dot", width=1),
            hoverinfo="skip",
        ),
    ]
    layout = dict(
        height=height,
        title=dict(
            text=tr("weights of v at day t = {day}: they sum to 1−βᵗ = {total}").format(
                day=day, total=f"{total:.4g}"
            ),
            x=0.0,
            xanchor="left",
        ),
        xaxis=dict(title=dict(text=tr("day i")), range=[0.5, day + 0.5]),
        yaxis=dict(title=dict(text=weight_word), rangemode="tozero"),
        legend=dict(orientation="h", x=0.0, y=-0.3, yanchor="top"),
        margin=dict(l=55, r=15, t=50, b=80),
        bargap=0.1,
        plot_bgcolor="white",
        meta={"sum": total},
    )
    return go.Figure(data=data, layout=layout)
