r"""Inside one optimizer: its path, its arrows, its internal state and one update with numbers.

Step :math:`t` (counted from 1) of a run, in the notes' notation and in ``Trajectory`` rows:

.. math::
    g_t = \nabla f(x_{t-1}) \;(\texttt{grad\_used[t-1]}),\qquad
    \Delta x_t = x_t - x_{t-1} \;(\texttt{update[t-1]}),\qquad
    \text{state after step } t \;(\texttt{state[name][t]}).

The figure of :func:`inside_figure` is ONE Plotly figure with subplots and shared frames, so a
single ▶ (play) button and a single scrubber drive every panel: (a) the path on the surface with
arrows at :math:`x_{t-1}` for :math:`-g_t`, the momentum direction (if the optimizer keeps one)
and the actual update :math:`\Delta x_t`; (b) the internal state per coordinate; (c) the
per-coordinate effective learning rate; (d) for the Adam family the bias-correction factors
:math:`1-\beta_1^t`, :math:`1-\beta_2^t`. Each frame moves only small scatter traces (the
head, the arrows, one vertical marker and a few dots per panel); arrowheads are scatter markers
(``symbol="arrow"``, ``angleref="previous"``), never layout annotations, so frames can move them.

:func:`update_latex` renders the update rule of the chosen optimizer with the numbers of one
step filled in, one pure function per optimizer family. This module never imports streamlit.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jax
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from optviz import plots
from optviz.engine import Trajectory
from optviz.optimizers import get_optimizer
from optviz.surfaces import Surface, get_surface

ADAM_FAMILY = ("adam", "adamw", "amsgrad", "nadam", "radam")
"""Optimizers with two bias-corrected moments (the notes' v_t, s_t)."""

MOMENTUM_STATE = {
    "momentum": ("velocity", "vₜ"),
    "nesterov": ("velocity", "vₜ"),
    "lion": ("m", "mₜ"),
    **{key: ("m_hat", "v̂ₜ") for key in ADAM_FAMILY},
}
"""Optimizer -> (state entry, label) of the direction its momentum points along."""

UNICODE = {
    "v_t": "vₜ",
    "s_t": "sₜ",
    r"\hat v_t": "v̂ₜ",
    r"\hat s_t": "ŝₜ",
    r"\Delta x_t": "Δxₜ",
    "m_t": "mₜ",
}
"""LaTeX state symbols of the specs -> plain text for Plotly labels (no MathJax in the app)."""

PATH_COLOR = plots.PALETTE[1]  # blue
GRAD_COLOR = plots.PALETTE[4]  # orange
MOMENTUM_COLOR = plots.PALETTE[2]  # green
UPDATE_COLOR = plots.PALETTE[0]  # vermillion
COORD_DASH = ("solid", "dash")  # x₁ solid, x₂ dashed, in every time panel
PANEL_COLORS = (plots.PALETTE[1], plots.PALETTE[3], plots.PALETTE[2], plots.PALETTE[4])


# ----------------------------------------------------------------------------- time panels


@dataclasses.dataclass(frozen=True)
class Panel:
    """One time panel of the figure: state entries drawn against the step t.

    Attributes:
        title: Panel title.
        lines: ``(state name, label, faint)`` per entry; each entry gets a line per coordinate
            (x₁ solid, x₂ dashed) unless ``factors``; ``faint`` draws it thin and transparent.
        factors: The entry holds ``(1-β₁ᵗ, 1-β₂ᵗ)``, not two coordinates.
    """

    title: str
    lines: tuple[tuple[str, str, bool], ...]
    factors: bool = False


def time_panels(
    optimizer: str, hparams: Mapping[str, Any] | None = None, tr: Callable[[str], str] = str
) -> list[Panel]:
    """The time panels shown for ``optimizer``: internal state, effective rate, [bias factors].

    Args:
        optimizer: An optimizer key.
        hparams: Its hyperparameters (only ``bias_correction`` matters: the title says when the
            factors are not used).
        tr: Translates the titles and line names (the UI's ``t``); identity by default.

    Returns:
        The panels, top to bottom.
    """
    opt = get_optimizer(optimizer)
    if opt.key in ADAM_FAMILY:
        panels = [
            Panel(
                "(b) " + tr("first moment v̂ₜ (faint: vₜ)"),
                (("m_hat", "v̂ₜ", False), ("m", "vₜ", True)),
            ),
            Panel(tr("second moment ŝₜ (faint: sₜ)"), (("v_hat", "ŝₜ", False), ("v", "sₜ", True))),
        ]
    else:
        panels = [
            Panel(
                "(b) " + tr("state {sym}").format(sym=UNICODE[sym]), ((name, UNICODE[sym], False),)
            )
            for name, sym in opt.state_symbols.items()
        ]
        if len(panels) > 1:
            panels[1:] = [dataclasses.replace(p, title=p.title[4:]) for p in panels[1:]]
    panels.append(
        Panel("(c) " + tr("effective learning rate"), (("effective_lr", tr("rate"), False),))
    )
    if opt.key in ADAM_FAMILY:
        used = bool((hparams or {}).get("bias_correction", True)) or opt.key != "adam"
        title = (
            "bias-correction factors 1−β₁ᵗ, 1−β₂ᵗ"
            if used
            else "bias-correction factors 1−β₁ᵗ, 1−β₂ᵗ (switched off)"
        )
        panels.append(Panel("(d) " + tr(title), (("bias_factor", "1−βᵗ", False),), factors=True))
    return panels


# ----------------------------------------------------------------------------- arrows


def _nice(x: float) -> float:
    """Rounds a positive number to 1, 2 or 5 times a power of ten."""
    exponent = math.floor(math.log10(x))
    mantissa = x / 10.0**exponent
    step = 1.0 if mantissa < 1.5 else 2.0 if mantissa < 3.5 else 5.0 if mantissa < 7.5 else 10.0
    return step * 10.0**exponent


def _typical(vectors: np.ndarray) -> float:
    """90th percentile of the finite, nonzero vector lengths (0 if none)."""
    lengths = np.hypot(vectors[:, 0], vectors[:, 1])
    lengths = lengths[np.isfinite(lengths) & (lengths > 0)]
    return float(np.percentile(lengths, 90)) if lengths.size else 0.0


def arrow_scale(vectors: np.ndarray, target: float) -> float:
    """A round factor that draws the typical arrow about ``target`` long.

    Args:
        vectors: Arrow vectors ``(n, 2)`` (NaN allowed).
        target: Wanted length of the 90th-percentile arrow, in data units.

    Returns:
        1, 2 or 5 times a power of ten; 1 when there is no nonzero arrow.
    """
    typical = _typical(np.asarray(vectors, np.float64))
    if typical <= 0 or target <= 0:
        return 1.0
    return _nice(target / typical)


@dataclasses.dataclass(frozen=True)
class Arrow:
    """One kind of arrow drawn at x_{t-1} for every step t.

    Attributes:
        label: Legend text (scale included).
        color: Line colour.
        vectors: ``(steps, 2)`` vector of step t in row t-1, already scaled.
    """

    label: str
    color: str
    vectors: np.ndarray


def _scale_text(scale: float) -> str:
    """``""`` for 1, else ``" (×0.02)"``."""
    return "" if scale == 1.0 else f" (×{scale:g})"


def arrows(traj: Trajectory, bounds, tr: Callable[[str], str] = str) -> list[Arrow]:
    r"""The arrows of every step: :math:`-g_t`, [momentum direction], :math:`\Delta x_t`.

    :math:`\Delta x_t` is drawn true to scale (its tip is :math:`x_t`) unless its steps are
    too small or too big to see; then it, like :math:`-g_t` and the momentum direction, gets a
    round factor that makes the typical arrow about a tenth of the window long.

    Args:
        traj: A run.
        bounds: The surface's window ``((x0, x1), (y0, y1))``.
        tr: Translates the legend texts (the UI's ``t``); identity by default.

    Returns:
        The arrows, drawn in this order.
    """
    (x0, x1), (y0, y1) = bounds
    diagonal = math.hypot(x1 - x0, y1 - y0)
    target = 0.1 * diagonal
    steps = traj.steps
    delta = np.asarray(traj.update, np.float64)  # Δx_t = x_t - x_{t-1}
    typical = _typical(delta)
    true_scale = 0.02 * diagonal <= typical <= 0.3 * diagonal
    d_scale = 1.0 if true_scale or typical == 0 else arrow_scale(delta, target)
    if true_scale:
        target = min(max(typical, 0.06 * diagonal), 0.15 * diagonal)  # others match Δx
    grad = -np.asarray(traj.grad_used, np.float64)  # -g_t points downhill
    g_scale = arrow_scale(grad, target)
    out = [Arrow(tr("−gₜ (downhill)") + _scale_text(g_scale), GRAD_COLOR, g_scale * grad)]
    if traj.optimizer in MOMENTUM_STATE:
        name, label = MOMENTUM_STATE[traj.optimizer]
        momentum = -np.asarray(traj.state[name][1 : steps + 1], np.float64)  # state after step t
        m_scale = arrow_scale(momentum, target)
        out.append(Arrow(f"−{label}{_scale_text(m_scale)}", MOMENTUM_COLOR, m_scale * momentum))
    out.append(Arrow(tr("Δxₜ (the step)") + _scale_text(d_scale), UPDATE_COLOR, d_scale * delta))
    return out


def _arrow_xy(tail: np.ndarray, vector: np.ndarray) -> tuple[list, list]:
    """The x and y lists ``[tail, tip]`` of one arrow (None where not finite)."""
    if not np.isfinite(vector).all():
        return [None, None], [None, None]  # no arrow once the run has stopped
    tip = tail + vector
    return plots._as_list(np.array([tail[0], tip[0]])), plots._as_list(np.array([tail[1], tip[1]]))


def _arrow_trace(arrow: Arrow, tail: np.ndarray, vector: np.ndarray) -> dict:
    """A line from the tail to the tip with an arrowhead marker at the tip."""
    x, y = _arrow_xy(tail, vector)
    return dict(
        type="scatter",
        x=x,
        y=y,
        mode="lines+markers",
        name=arrow.label,
        line=dict(color=arrow.color, width=3),
        marker=dict(
            symbol=["circle", "arrow"],
            size=[5, 15],
            angleref="previous",  # the head points along the segment, in screen space
            color=arrow.color,
            line=dict(width=0),
        ),
        hoverinfo="skip",
        xaxis="x",
        yaxis="y",
    )


# ----------------------------------------------------------------------------- the figure


def _range(values: np.ndarray, log: bool) -> list[float]:
    """A fixed axis range for ``values`` (log10 units when ``log``), padded a little."""
    finite = values[np.isfinite(values)]
    if log:
        finite = finite[finite > 0]
    if not finite.size:
        return [-1.0, 1.0]
    lo, hi = float(finite.min()), float(finite.max())
    if log:
        lo, hi = math.log10(lo), math.log10(hi)
        pad = max(0.05 * (hi - lo), 0.1)
    else:
        pad = max(0.06 * (hi - lo), 1e-9 + 0.05 * max(abs(lo), abs(hi)))
    return [lo - pad, hi + pad]


def _use_log(values: np.ndarray) -> bool:
    """A log axis when every finite value is positive and they span more than 50×."""
    finite = values[np.isfinite(values)]
    return bool(finite.size and (finite > 0).all() and finite.max() / finite.min() > 50)


def _panel_values(traj: Trajectory, panel: Panel) -> np.ndarray:
    """All values a panel draws for t = 1..T, flattened (for its axis range)."""
    rows = slice(1, traj.steps + 1)
    return np.concatenate(
        [np.asarray(traj.state[n][rows], np.float64).ravel() for n, *_ in panel.lines]
    )


def _panel_traces(traj: Trajectory, panel: Panel, color: str, refs: dict) -> list[dict]:
    """The static lines of one time panel, for t = 1..T."""
    t = np.arange(1, traj.steps + 1, dtype=np.int32)
    traces = []
    for name, label, faint in panel.lines:
        values = np.asarray(traj.state[name][1 : traj.steps + 1], np.float32)
        for c in range(2):
            if panel.factors:
                text, dash = ("1−β₁ᵗ", "solid") if c == 0 else ("1−β₂ᵗ", "dash")
            else:
                text, dash = f"{label} x{'₁₂'[c]}", COORD_DASH[c]
            traces.append(
                dict(
                    type="scatter",
                    x=t,
                    y=values[:, c],
                    mode="lines",
                    name=text,
                    line=dict(color=color, dash=dash, width=1 if faint else 2),
                    opacity=0.45 if faint else 1.0,
                    hovertemplate=f"{text}<br>t = %{{x}}<br>%{{y:.4g}}<extra></extra>",
                    showlegend=False,
                    **refs,
                )
            )
    return traces


def _significant(values) -> list:
    """Floats with 5 significant digits for JSON (NaN as None): state values can be tiny."""
    return [float(f"{v:.5g}") if math.isfinite(v) else None for v in np.ravel(values).tolist()]


def _dots(traj: Trajectory, panel: Panel, t: int) -> list:
    """Values of a panel's solid lines at step t (the dots that ride on the marker)."""
    values = []
    for name, _, faint in panel.lines:
        if not faint:
            values += _significant(np.asarray(traj.state[name][t], np.float64))
    return values


def inside_figure(
    surface: str | Surface,
    traj: Trajectory,
    params: Mapping[str, float] | None = None,
    *,
    max_frames: int = 200,
    height: int | None = None,
    tr: Callable[[str], str] = str,
) -> go.Figure:
    """Path with arrows and the time panels of one run, all driven by one Play / scrubber.

    Trace order: iso-lines, path, [diverged ✕], [known minima], head, one trace per arrow,
    then per time panel its static lines, its vertical marker and its dots, and the counter
    ("step t = 7", in the surface's corner). Frames are named by the step t (1..T) and update
    only the head, the arrows, the markers, the dots and the counter;
    ``fig.layout.meta["animated"]`` lists those trace indices.

    Args:
        surface: The surface the run used.
        traj: The run (at least one step).
        params: Surface parameters the run used.
        max_frames: Most frames (steps are sampled evenly beyond that).
        height: Figure height in pixels (default grows with the number of panels).
        tr: Translates titles, legend names and axis titles (the UI's ``t``); identity by
            default.

    Returns:
        A ``go.Figure`` (treat as read-only when cached).
    """
    surf = get_surface(surface)
    if traj.surface != surf.key:
        raise ValueError(f"the run used {traj.surface!r}, not {surf.key!r}")
    steps = traj.steps
    if steps < 1:
        raise ValueError("inside_figure needs a run of at least one step")
    panels = time_panels(traj.optimizer, traj.hparams, tr)
    step_t = tr("step t")
    rows = len(panels)
    height = height or max(620, 175 * rows + 230)
    fig = make_subplots(
        rows=rows,
        cols=2,
        specs=[[{"rowspan": rows}, {}], *[[None, {}] for _ in range(rows - 1)]],
        column_widths=[0.55, 0.45],
        horizontal_spacing=0.09,
        vertical_spacing=0.22 / rows,
        subplot_titles=[
            "(a) " + tr("path, −gₜ, momentum and Δxₜ at x₍ₜ₋₁₎"),
            *(p.title for p in panels),
        ],
    )
    key = plots._params_key(surf, params)
    image, iso = plots._background(surf, key, 160, 14)
    name = tr(get_optimizer(traj.optimizer).name)  # the run's name, as the reader knows it
    data: list[dict] = [iso, plots._path_trace(traj, name, 1, tr, showlegend=False)]
    data[-1]["line"]["color"] = data[-1]["marker"]["color"] = PATH_COLOR
    for extra in (
        plots._diverged_trace(surf, [traj], [name], [PATH_COLOR], tr),
        plots._known_points_trace(surf, tr),
    ):
        if extra is not None:
            data.append(extra)

    last = traj.last_valid  # last finite point
    frame_t = plots.frame_steps(steps - 1, max_frames) + 1  # steps t = 1..T
    xy = np.asarray(traj.xy, np.float64)

    def tail_of(t: int) -> np.ndarray:
        """x_{t-1}; a run that has stopped waits at its last finite point."""
        return xy[min(t - 1, max(last, 0))]

    arrow_list = arrows(traj, surf.bounds, tr)

    animated = [len(data)]
    data.append(
        dict(
            type="scatter",
            x=plots._as_list(tail_of(1)[:1]),
            y=plots._as_list(tail_of(1)[1:]),
            mode="markers",
            name="x₍ₜ₋₁₎",
            marker=dict(color=PATH_COLOR, size=13, line=dict(color="white", width=2)),
            hovertemplate="x₍ₜ₋₁₎ = (%{x:.4g}, %{y:.4g})<extra></extra>",
            showlegend=False,
            xaxis="x",
            yaxis="y",
        )
    )

    def arrow_vector(arrow: Arrow, t: int) -> np.ndarray:
        """The arrow of step t, or NaN once the run has stopped."""
        return arrow.vectors[t - 1] if t <= last else np.full(2, np.nan)

    for arrow in arrow_list:
        animated.append(len(data))
        data.append(_arrow_trace(arrow, tail_of(1), arrow_vector(arrow, 1)))

    layout_axes: dict[str, dict] = {}
    ax, ay = plots._axes(surf.bounds)
    layout_axes["xaxis"] = {**fig.layout["xaxis"].to_plotly_json(), **ax}
    layout_axes["yaxis"] = {**fig.layout["yaxis"].to_plotly_json(), **ay}
    marker_ranges = []
    for r, panel in enumerate(panels):
        sub = fig.get_subplot(r + 1, 2)
        xname, yname = sub.xaxis.plotly_name, sub.yaxis.plotly_name
        refs = dict(xaxis=xname.replace("axis", ""), yaxis=yname.replace("axis", ""))
        color = PANEL_COLORS[r % len(PANEL_COLORS)]
        data += _panel_traces(traj, panel, color, refs)
        values = _panel_values(traj, panel)
        log = _use_log(values)
        yrange = _range(values, log)
        lo, hi = _significant([10.0**v if log else v for v in yrange])
        marker_ranges.append((lo, hi))
        animated.append(len(data))
        data.append(
            dict(
                type="scatter",
                x=[1, 1],
                y=[lo, hi],
                mode="lines",
                name=step_t,
                line=dict(color="rgba(0,0,0,0.55)", width=1.5),
                hoverinfo="skip",
                showlegend=False,
                **refs,
            )
        )
        animated.append(len(data))
        dots = _dots(traj, panel, 1)
        data.append(
            dict(
                type="scatter",
                x=[1] * len(dots),
                y=dots,
                mode="markers",
                name=tr("value at t"),
                marker=dict(color=color, size=8, line=dict(color="white", width=1)),
                hovertemplate="t = %{x}<br>%{y:.4g}<extra></extra>",
                showlegend=False,
                **refs,
            )
        )
        bottom = r == rows - 1
        layout_axes[xname] = {
            **fig.layout[xname].to_plotly_json(),
            "range": [0.5, steps + 0.5],
            "autorange": False,
            "showticklabels": bottom,
            "title": dict(text=step_t if bottom else ""),
            "matches": None if r == 0 else "x2",
        }
        layout_axes[yname] = {
            **fig.layout[yname].to_plotly_json(),
            "type": "log" if log else "linear",
            "dtick": 1 if log and yrange[1] - yrange[0] > 1.5 else None,  # powers of ten only
            "range": yrange,
            "autorange": False,
            "exponentformat": "power",
        }
    layout = fig.layout.to_plotly_json()
    layout.update(layout_axes)
    plot_px = height - 100 - plots.CONTROLS_MARGIN  # height minus the top and bottom margins
    layout.update(
        height=height,
        images=[image],
        uirevision=plots.UIREVISION,
        hovermode="closest",
        plot_bgcolor="white",
        legend=dict(orientation="h", x=0.0, y=1.0 + 34 / plot_px, yanchor="bottom"),
        margin=dict(l=55, r=15, t=100, b=plots.CONTROLS_MARGIN),
        meta={"animated": animated, "panels": [p.title for p in panels]},
    )
    for annotation in layout.get("annotations", []):
        annotation["font"] = dict(size=13)
    menus, sliders = plots._animation_controls(frame_t, plot_px)
    layout["updatemenus"], layout["sliders"] = menus, sliders
    (_, x1), (_, y1) = surf.bounds  # the counter in the surface's corner
    counter, counts = plots.frame_counter(frame_t, (x1, y1), word=step_t, joiner=" = ")
    data.append(counter)
    animated.append(len(data) - 1)
    frames = []
    for t, count in zip(frame_t, counts, strict=True):
        t = int(t)
        tail = tail_of(t)
        update = [{"x": plots._as_list(tail[:1]), "y": plots._as_list(tail[1:])}]
        for arrow in arrow_list:
            x, y = _arrow_xy(tail, arrow_vector(arrow, t))
            update.append({"x": x, "y": y})
        for panel, (lo, hi) in zip(panels, marker_ranges, strict=True):
            dots = _dots(traj, panel, t)
            update += [{"x": [t, t], "y": [lo, hi]}, {"x": [t] * len(dots), "y": dots}]
        update.append(count)
        frames.append({"name": str(t), "data": update, "traces": animated})
    return plots.figure(data, layout, frames)


# ----------------------------------------------------------------------------- one step in numbers


@dataclasses.dataclass(frozen=True)
class StepNumbers:
    r"""The numbers of step t of a run (t counted from 1).

    Attributes:
        t: The step.
        eta: Learning rate :math:`\eta_t` used at this step.
        g: Gradient :math:`g_t` the optimizer received.
        x_prev: :math:`x_{t-1}`.
        x: :math:`x_t`.
        delta: :math:`\Delta x_t = x_t - x_{t-1}` as the engine took it.
        prev: Observed state after step t-1 (name -> (2,)).
        cur: Observed state after step t.
        hp: The run's hyperparameters.
        optimizer: The optimizer key.
    """

    t: int
    eta: float
    g: np.ndarray
    x_prev: np.ndarray
    x: np.ndarray
    delta: np.ndarray
    prev: dict[str, np.ndarray]
    cur: dict[str, np.ndarray]
    hp: dict[str, Any]
    optimizer: str = "sgd"


def step_numbers(traj: Trajectory, t: int) -> StepNumbers:
    """Collects the numbers of step ``t`` (1 ≤ t ≤ steps) as float64.

    Raises:
        ValueError: If ``t`` is not a step of the run.
    """
    if not 1 <= int(t) <= traj.steps:
        raise ValueError(f"step t must be between 1 and {traj.steps}, got {t}")
    t = int(t)

    def f64(a):
        """A float64 copy."""
        return np.asarray(a, np.float64)

    return StepNumbers(
        t=t,
        eta=float(traj.lr[t - 1]),
        g=f64(traj.grad_used[t - 1]),
        x_prev=f64(traj.xy[t - 1]),
        x=f64(traj.xy[t]),
        delta=f64(traj.update[t - 1]),
        prev={k: f64(v[t - 1]) for k, v in traj.state.items()},
        cur={k: f64(v[t]) for k, v in traj.state.items()},
        hp=dict(traj.hparams),
        optimizer=traj.optimizer,
    )


def num(value: float, digits: int = 4) -> str:
    r"""A number for KaTeX: 4 significant digits, :math:`a\times10^{b}` when tiny or huge."""
    value = float(value)
    if not math.isfinite(value):
        return r"\text{NaN}" if math.isnan(value) else (r"\infty" if value > 0 else r"-\infty")
    if value == 0:
        return "0"
    if abs(value) < 1e-3 or abs(value) >= 1e4:
        mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        power = rf"10^{{{int(exponent)}}}"
        return power if mantissa == "1" else rf"{mantissa}\times {power}"
    return f"{value:.{digits}g}"


def vec(v: Sequence[float]) -> str:
    """A column vector of two numbers for KaTeX."""
    return rf"\begin{{pmatrix}}{num(v[0])}\\ {num(v[1])}\end{{pmatrix}}"


def _mat(h: np.ndarray) -> str:
    """A 2×2 matrix for KaTeX."""
    return (
        rf"\begin{{pmatrix}}{num(h[0, 0])} & {num(h[0, 1])}\\ "
        rf"{num(h[1, 0])} & {num(h[1, 1])}\end{{pmatrix}}"
    )


@dataclasses.dataclass(frozen=True)
class Equation:
    """One step's update rule with numbers.

    Attributes:
        lines: ``lhs &= rhs`` rows of an ``aligned`` block.
        terms: What the shown numbers give when you do the arithmetic (numpy, float64): ``"x"``
            is :math:`x_t` from the right-hand sides, state names (``"velocity"``, ``"s"``,
            ``"m"``, ...) their new values. They match the engine's to float32 precision.
    """

    lines: list[str]
    terms: dict[str, np.ndarray]


def _gradient_line(n: StepNumbers) -> str:
    """The first row: which gradient the step used."""
    return rf"g_t &= \nabla f(x_{{t-1}}) = \nabla f{vec(n.x_prev)} = {vec(n.g)}"


def _x_line(rule: str, middle: str, x: np.ndarray) -> str:
    """``x_t &= rule = middle = x`` (``x``: the engine's x_t, to the digits shown)."""
    return rf"x_t &= {rule} = {middle} = {vec(x)}"


def _sgd(n: StepNumbers, hess) -> Equation:
    r"""SGD: :math:`x_t = x_{t-1} - \eta g_t`."""
    del hess
    x = n.x_prev - n.eta * n.g  # x_t = x_{t-1} - η g_t
    line = _x_line(r"x_{t-1} - \eta\, g_t", rf"{vec(n.x_prev)} - {num(n.eta)}\,{vec(n.g)}", n.x)
    return Equation([_gradient_line(n), line], {"x": x})


def _momentum(n: StepNumbers, hess) -> Equation:
    r"""Heavy ball: :math:`v_t = \gamma v_{t-1} + (1-\tau) g_t,\ x_t = x_{t-1} - \eta v_t`."""
    del hess
    gamma, keep = n.hp["momentum"], 1.0 - n.hp["dampening"]
    v_prev, v_cur = n.prev["velocity"], n.cur["velocity"]
    v = gamma * v_prev + keep * n.g  # v_t = γ v_{t-1} + (1-τ) g_t
    x = n.x_prev - n.eta * v_cur  # x_t = x_{t-1} - η v_t
    return Equation(
        [
            _gradient_line(n),
            rf"v_t &= \gamma\, v_{{t-1}} + (1-\tau)\, g_t = {num(gamma)}\,{vec(v_prev)}"
            rf" + {num(keep)}\,{vec(n.g)} = {vec(v_cur)}",
            _x_line(r"x_{t-1} - \eta\, v_t", rf"{vec(n.x_prev)} - {num(n.eta)}\,{vec(v_cur)}", n.x),
        ],
        {"velocity": v, "x": x},
    )


def _nesterov(n: StepNumbers, hess) -> Equation:
    r"""Nesterov: :math:`v_t = \gamma v_{t-1} + g_t,\ x_t = x_{t-1} - \eta(g_t + \gamma v_t)`."""
    del hess
    gamma = n.hp["momentum"]
    v_prev, v_cur = n.prev["velocity"], n.cur["velocity"]
    v = gamma * v_prev + n.g  # v_t = γ v_{t-1} + g_t
    x = n.x_prev - n.eta * (n.g + gamma * v_cur)  # x_t = x_{t-1} - η (g_t + γ v_t)
    middle = rf"{vec(n.x_prev)} - {num(n.eta)}\left({vec(n.g)} + {num(gamma)}\,{vec(v_cur)}\right)"
    return Equation(
        [
            _gradient_line(n),
            rf"v_t &= \gamma\, v_{{t-1}} + g_t = {num(gamma)}\,{vec(v_prev)} + {vec(n.g)}"
            rf" = {vec(v_cur)}",
            _x_line(r"x_{t-1} - \eta\,(g_t + \gamma\, v_t)", middle, n.x),
        ],
        {"velocity": v, "x": x},
    )


def _adaptive_x_line(n: StepNumbers, s_cur: np.ndarray) -> tuple[str, np.ndarray]:
    r"""The AdaGrad / RMSProp step :math:`x_t = x_{t-1} - \eta/\sqrt{s_t+\epsilon} \odot g_t`."""
    rate = n.eta / np.sqrt(s_cur + n.hp["eps"])  # η / √(s_t + ε), per coordinate
    x = n.x_prev - rate * n.g  # x_t = x_{t-1} - rate ⊙ g_t
    line = _x_line(
        r"x_{t-1} - \frac{\eta}{\sqrt{s_t + \epsilon}} \odot g_t",
        rf"{vec(n.x_prev)} - {vec(rate)} \odot {vec(n.g)}",
        n.x,
    )
    return line, x


def _adagrad(n: StepNumbers, hess) -> Equation:
    r"""AdaGrad: :math:`s_t = s_{t-1} + g_t \odot g_t`."""
    del hess
    s_prev, s_cur = n.prev["s"], n.cur["s"]
    s = s_prev + n.g * n.g  # s_t = s_{t-1} + g_t ⊙ g_t
    x_line, x = _adaptive_x_line(n, s_cur)
    s_line = rf"s_t &= s_{{t-1}} + g_t \odot g_t = {vec(s_prev)} + {vec(n.g * n.g)} = {vec(s_cur)}"
    return Equation([_gradient_line(n), s_line, x_line], {"s": s, "x": x})


def _rmsprop(n: StepNumbers, hess) -> Equation:
    r"""RMSProp: :math:`s_t = \gamma s_{t-1} + (1-\gamma) g_t \odot g_t`."""
    del hess
    gamma = n.hp["gamma"]
    s_prev, s_cur = n.prev["s"], n.cur["s"]
    s = gamma * s_prev + (1.0 - gamma) * n.g * n.g  # s_t = γ s_{t-1} + (1-γ) g_t²
    x_line, x = _adaptive_x_line(n, s_cur)
    s_line = (
        rf"s_t &= \gamma\, s_{{t-1}} + (1-\gamma)\, g_t \odot g_t = {num(gamma)}\,{vec(s_prev)}"
        rf" + {num(1.0 - gamma)}\,{vec(n.g * n.g)} = {vec(s_cur)}"
    )
    return Equation([_gradient_line(n), s_line, x_line], {"s": s, "x": x})


def _adadelta(n: StepNumbers, hess) -> Equation:
    r"""AdaDelta (d2l): :math:`\sqrt{\Delta x_{t-1}+\epsilon}` takes the place of η."""
    del hess
    rho, eps = n.hp["rho"], n.hp["eps"]
    s_prev, s_cur = n.prev["s"], n.cur["s"]
    d_prev, d_cur = n.prev["delta"], n.cur["delta"]
    s = rho * s_prev + (1.0 - rho) * n.g * n.g  # s_t = ρ s_{t-1} + (1-ρ) g_t²
    rate = np.sqrt((d_prev + eps) / (s_cur + eps))  # √((Δx_{t-1}+ε)/(s_t+ε))
    g_prime = rate * n.g  # g'_t = rate ⊙ g_t
    x = n.x_prev - n.eta * g_prime  # x_t = x_{t-1} - η g'_t (η = 1 in d2l)
    delta = rho * d_prev + (1.0 - rho) * g_prime * g_prime  # Δx_t = ρ Δx_{t-1} + (1-ρ) g'_t²
    if n.eta == 1.0:
        x_line = _x_line("x_{t-1} - g'_t", rf"{vec(n.x_prev)} - {vec(g_prime)}", n.x)
    else:
        middle = rf"{vec(n.x_prev)} - {num(n.eta)}\,{vec(g_prime)}"
        x_line = _x_line(r"x_{t-1} - \eta\, g'_t", middle, n.x)
    return Equation(
        [
            _gradient_line(n),
            rf"s_t &= \rho\, s_{{t-1}} + (1-\rho)\, g_t \odot g_t = {num(rho)}\,{vec(s_prev)}"
            rf" + {num(1.0 - rho)}\,{vec(n.g * n.g)} = {vec(s_cur)}",
            rf"g'_t &= \sqrt{{\frac{{\Delta x_{{t-1}} + \epsilon}}{{s_t + \epsilon}}}} \odot g_t"
            rf" = {vec(rate)} \odot {vec(n.g)} = {vec(g_prime)}",
            x_line,
            rf"\Delta x_t &= \rho\, \Delta x_{{t-1}} + (1-\rho)\, g'_t \odot g'_t"
            rf" = {num(rho)}\,{vec(d_prev)} + {num(1.0 - rho)}\,{vec(g_prime * g_prime)}"
            rf" = {vec(d_cur)}",
        ],
        {"s": s, "delta": delta, "x": x},
    )


def _hat_line(symbol: str, raw: str, moment, beta, t, corrected, on: bool) -> str:
    r"""``\hat v_t = v_t / (1-β₁ᵗ) = ...`` or ``\hat v_t = v_t`` when correction is off."""
    if not on:
        return (
            rf"\hat {symbol}_t &= {symbol}_t = {vec(corrected)} \quad(\text{{no bias correction}})"
        )
    factor = 1.0 - beta**t  # 1 - βᵗ
    return (
        rf"\hat {symbol}_t &= \frac{{{symbol}_t}}{{1-{raw}^{{t}}}}"
        rf" = \frac{{{vec(moment)}}}{{1-{num(beta)}^{{{t}}}}}"
        rf" = \frac{{{vec(moment)}}}{{{num(factor)}}} = {vec(corrected)}"
    )


def _adam(n: StepNumbers, hess) -> Equation:
    r"""The Adam family: two EWMAs, their bias correction, then the step (per variant)."""
    del hess
    key = n.optimizer
    b1, b2, eps, t = n.hp["beta1"], n.hp["beta2"], n.hp["eps"], n.t
    on = bool(n.hp.get("bias_correction", True))
    m_prev, m_cur, v_prev, v_cur = n.prev["m"], n.cur["m"], n.prev["v"], n.cur["v"]
    m_hat, v_hat = n.cur["m_hat"], n.cur["v_hat"]
    m = b1 * m_prev + (1.0 - b1) * n.g  # v_t = β₁ v_{t-1} + (1-β₁) g_t
    v = b2 * v_prev + (1.0 - b2) * n.g * n.g  # s_t = β₂ s_{t-1} + (1-β₂) g_t²
    terms = {
        "m": m,
        "v": v,
        "m_hat": m_cur / (1.0 - b1**t) if on else m_cur,  # v̂_t = v_t / (1-β₁ᵗ)
        "v_hat": v_cur / (1.0 - b2**t) if on else v_cur,  # ŝ_t = s_t / (1-β₂ᵗ)
    }
    lines = [
        _gradient_line(n),
        rf"v_t &= \beta_1 v_{{t-1}} + (1-\beta_1)\, g_t = {num(b1)}\,{vec(m_prev)}"
        rf" + {num(1.0 - b1)}\,{vec(n.g)} = {vec(m_cur)}",
        rf"s_t &= \beta_2 s_{{t-1}} + (1-\beta_2)\, g_t \odot g_t = {num(b2)}\,{vec(v_prev)}"
        rf" + {num(1.0 - b2)}\,{vec(n.g * n.g)} = {vec(v_cur)}",
    ]
    if key == "nadam":
        look = b1 * m_cur / (1.0 - b1 ** (t + 1))  # β₁ v_t / (1-β₁^{t+1})
        fresh = (1.0 - b1) * n.g / (1.0 - b1**t)  # (1-β₁) g_t / (1-β₁ᵗ)
        m_hat = look + fresh  # NAdam's look-ahead v̂_t
        lines.append(
            rf"\hat v_t &= \frac{{\beta_1 v_t}}{{1-\beta_1^{{t+1}}}}"
            rf" + \frac{{(1-\beta_1)\, g_t}}{{1-\beta_1^{{t}}}} = {vec(look)} + {vec(fresh)}"
            rf" = {vec(m_hat)}"
        )
    else:
        lines.append(_hat_line("v", r"\beta_1", m_cur, b1, t, m_hat, on))
    lines.append(_hat_line("s", r"\beta_2", v_cur, b2, t, v_hat, on))
    rule = r"x_{t-1} - \frac{\eta\, \hat v_t}{\sqrt{\hat s_t} + \epsilon}"
    if key == "amsgrad":
        root = n.eta / n.prev["effective_lr"] - eps  # √ŝᵐᵃˣ_{t-1} from η/(√ŝᵐᵃˣ+ε)
        s_max_prev = np.square(root) if t > 1 else np.zeros(2)
        s_max = np.maximum(s_max_prev, v_hat)  # ŝᵐᵃˣ_t = max(ŝᵐᵃˣ_{t-1}, ŝ_t)
        lines.append(
            rf"\hat s^{{\max}}_t &= \max(\hat s^{{\max}}_{{t-1}}, \hat s_t)"
            rf" = \max\left({vec(s_max_prev)}, {vec(v_hat)}\right) = {vec(s_max)}"
        )
        rule = r"x_{t-1} - \frac{\eta\, \hat v_t}{\sqrt{\hat s^{\max}_t} + \epsilon}"
        direction = m_hat / (np.sqrt(s_max) + eps)  # v̂_t / (√ŝᵐᵃˣ_t + ε)
    else:
        direction = m_hat / (np.sqrt(v_hat) + eps)  # v̂_t / (√ŝ_t + ε)
    if key == "adamw":
        lam = n.hp["weight_decay"]
        x = n.x_prev - n.eta * (direction + lam * n.x_prev)  # decoupled weight decay λ x_{t-1}
        rule = (
            r"x_{t-1} - \eta\left(\frac{\hat v_t}{\sqrt{\hat s_t} + \epsilon}"
            r" + \lambda\, x_{t-1}\right)"
        )
        middle = (
            rf"{vec(n.x_prev)} - {num(n.eta)}\left({vec(direction)}"
            rf" + {num(lam)}\,{vec(n.x_prev)}\right)"
        )
    elif key == "radam":
        rho_inf = 2.0 / (1.0 - b2) - 1.0  # ρ_∞ = 2/(1-β₂) - 1
        rho = rho_inf - 2.0 * t * b2**t / (1.0 - b2**t)  # ρ_t = ρ_∞ - 2tβ₂ᵗ/(1-β₂ᵗ)
        lines.append(
            rf"\rho_t &= \rho_\infty - \frac{{2t\beta_2^t}}{{1-\beta_2^t}} = {num(rho_inf)}"
            rf" - \frac{{2\cdot {t}\cdot {num(b2)}^{{{t}}}}}{{1-{num(b2)}^{{{t}}}}} = {num(rho)}"
        )
        if rho >= 5.0:
            ratio = (rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho)
            r = math.sqrt(max(ratio, 0.0))  # variance rectification r_t
            lines.append(
                r"r_t &= \sqrt{\tfrac{(\rho_t-4)(\rho_t-2)\rho_\infty}"
                rf"{{(\rho_\infty-4)(\rho_\infty-2)\rho_t}}}} = {num(r)}"
            )
            rule = r"x_{t-1} - \eta\, r_t\, \frac{\hat v_t}{\sqrt{\hat s_t} + \epsilon}"
            direction = r * direction  # r_t v̂_t / (√ŝ_t + ε)
        else:
            rule = r"x_{t-1} - \eta\, \hat v_t \quad (\rho_t < 5)"
            direction = m_hat  # plain momentum step while ŝ is unreliable
        x = n.x_prev - n.eta * direction  # x_t = x_{t-1} - η × direction
        middle = rf"{vec(n.x_prev)} - {num(n.eta)}\,{vec(direction)}"
    else:
        x = n.x_prev - n.eta * direction  # x_t = x_{t-1} - η v̂_t / (√ŝ_t + ε)
        middle = rf"{vec(n.x_prev)} - {num(n.eta)}\,{vec(direction)}"
    lines.append(_x_line(rule, middle, n.x))
    return Equation(lines, {**terms, "x": x})


def _lion(n: StepNumbers, hess) -> Equation:
    r"""Lion: the sign of an interpolated momentum."""
    del hess
    b1, b2, lam = n.hp["beta1"], n.hp["beta2"], n.hp["weight_decay"]
    m_prev, m_cur = n.prev["m"], n.cur["m"]
    inner = b1 * m_prev + (1.0 - b1) * n.g  # β₁ m_{t-1} + (1-β₁) g_t
    c = np.sign(inner)  # c_t
    x = n.x_prev - n.eta * (c + lam * n.x_prev)  # x_t = x_{t-1} - η (c_t + λ x_{t-1})
    m = b2 * m_prev + (1.0 - b2) * n.g  # m_t = β₂ m_{t-1} + (1-β₂) g_t
    middle = rf"{vec(n.x_prev)} - {num(n.eta)}\left({vec(c)} + {num(lam)}\,{vec(n.x_prev)}\right)"
    return Equation(
        [
            _gradient_line(n),
            rf"c_t &= \operatorname{{sign}}(\beta_1 m_{{t-1}} + (1-\beta_1)\, g_t)"
            rf" = \operatorname{{sign}}{vec(inner)} = {vec(c)}",
            _x_line(r"x_{t-1} - \eta\,(c_t + \lambda\, x_{t-1})", middle, n.x),
            rf"m_t &= \beta_2 m_{{t-1}} + (1-\beta_2)\, g_t = {num(b2)}\,{vec(m_prev)}"
            rf" + {num(1.0 - b2)}\,{vec(n.g)} = {vec(m_cur)}",
        ],
        {"m": m, "x": x},
    )


def _newton(n: StepNumbers, hess) -> Equation:
    r"""Damped Newton: :math:`x_t = x_{t-1} - \eta (H_t + \delta I)^{-1} g_t`."""
    damping = n.hp["damping"]
    lines = [_gradient_line(n)]
    if hess is None:  # no surface given: read the Newton direction off the step
        direction = -n.delta / n.eta if n.eta else np.full(2, np.nan)
    else:
        hess = np.asarray(hess, np.float64)
        lines.append(rf"H_t &= \nabla^2 f(x_{{t-1}}) = {_mat(hess)}")
        system = hess + damping * np.eye(2)  # H_t + δI
        with np.errstate(all="ignore"):
            direction = (
                np.linalg.solve(system, n.g)  # (H_t + δI)⁻¹ g_t
                if abs(np.linalg.det(system)) > 1e-12
                else np.full(2, np.nan)
            )
    x = n.x_prev - n.eta * direction  # x_t = x_{t-1} - η (H_t + δI)⁻¹ g_t
    lines.append(rf"(H_t + \delta I)^{{-1}} g_t &= {vec(direction)}")
    lines.append(
        _x_line(
            r"x_{t-1} - \eta\,(H_t + \delta I)^{-1} g_t",
            rf"{vec(n.x_prev)} - {num(n.eta)}\,{vec(direction)}",
            n.x,
        )
    )
    return Equation(lines, {"x": x})


FAMILIES: dict[str, Callable[[StepNumbers, Any], Equation]] = {
    "sgd": _sgd,
    "momentum": _momentum,
    "nesterov": _nesterov,
    "adagrad": _adagrad,
    "rmsprop": _rmsprop,
    "adadelta": _adadelta,
    **{key: _adam for key in ADAM_FAMILY},
    "lion": _lion,
    "newton": _newton,
}
"""Optimizer key -> the function that writes its update with numbers."""


@functools.partial(jax.jit, static_argnames="surface")
def _hessian(point, coeffs, *, surface):
    """The 2×2 Hessian ∇²f at ``point`` (one compile per surface)."""
    return jax.hessian(lambda p: surface.fn(p, coeffs))(point)


def hessian_at(
    surface: str | Surface, point: Sequence[float], params: Mapping[str, float] | None = None
) -> np.ndarray:
    """The Hessian ∇²f of a surface at ``point`` (float64 copy of a float32 result)."""
    surf = get_surface(surface)
    coeffs = {k: np.float32(v) for k, v in surf.resolve_params(params).items()}
    h = _hessian(np.asarray(point, np.float32), coeffs, surface=surf)
    return np.asarray(h, np.float64)


def step_equation(
    traj: Trajectory,
    t: int,
    surface: str | Surface | None = None,
    params: Mapping[str, float] | None = None,
) -> Equation:
    """The update rule of ``traj``'s optimizer at step ``t`` with its numbers.

    Args:
        traj: A run.
        t: The step, 1 ≤ t ≤ steps.
        surface: The run's surface; Newton's method needs it for the Hessian (without it the
            Newton direction is read off the step).
        params: Surface parameters of the run.

    Returns:
        The ``Equation`` (rows and recomputed terms).
    """
    numbers = step_numbers(traj, t)
    hess = None
    if traj.optimizer == "newton" and surface is not None:
        hess = hessian_at(surface, numbers.x_prev, params)
    return FAMILIES[traj.optimizer](numbers, hess)


def update_latex(
    traj: Trajectory,
    t: int,
    surface: str | Surface | None = None,
    params: Mapping[str, float] | None = None,
) -> str:
    r"""The update at step ``t`` in the notes' notation with the numbers filled in (KaTeX).

    Every row reads ``symbol = rule = rule with numbers = result``; the last row (except for
    AdaDelta, whose :math:`\Delta x_t` is its own state) is the step
    :math:`\Delta x_t = x_t - x_{t-1}` the engine took.

    Args:
        traj: A run.
        t: The step, 1 ≤ t ≤ steps.
        surface: The run's surface (needed for Newton's Hessian).
        params: Surface parameters of the run.

    Returns:
        An ``aligned`` block for ``st.latex``.
    """
    eq = step_equation(traj, t, surface, params)
    numbers = step_numbers(traj, t)
    lines = [rf"&\text{{step }} t = {numbers.t}:" r"\quad \eta = " + num(numbers.eta), *eq.lines]
    if traj.optimizer != "adadelta":
        lines.append(rf"\Delta x_t &= x_t - x_{{t-1}} = {vec(numbers.delta)}")
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


# ----------------------------------------------------------------------------- bias correction

BIAS_STEPS = 30
"""Steps of the "with and without bias correction" comparison: the early steps matter."""


def bias_factor_ratio(beta1: float, beta2: float, steps: int) -> np.ndarray:
    r"""How much skipping bias correction scales Adam's step at t = 1..steps.

    Without correction :math:`v_t = (1-\beta_1^t)\hat v_t` and
    :math:`\sqrt{s_t} = \sqrt{1-\beta_2^t}\sqrt{\hat s_t}`, so (ε aside) the step is
    multiplied by :math:`(1-\beta_1^t)/\sqrt{1-\beta_2^t}`: 3.16 at t = 1 for the defaults.
    """
    t = np.arange(1, steps + 1, dtype=np.float64)
    return (1.0 - beta1**t) / np.sqrt(1.0 - beta2**t)  # (1-β₁ᵗ)/√(1-β₂ᵗ)


def step_sizes(traj: Trajectory) -> np.ndarray:
    r"""|Δx_t| for t = 1..steps (NaN after divergence)."""
    delta = np.asarray(traj.update, np.float64)
    sizes = np.hypot(delta[:, 0], delta[:, 1])
    if traj.diverged_at is not None:
        sizes[traj.diverged_at :] = np.nan  # Δx_k onwards leads to a bad point
    return sizes


def bias_correction_figure(
    surface: str | Surface,
    on: Trajectory,
    off: Trajectory,
    params: Mapping[str, float] | None = None,
    height: int = 480,
    tr: Callable[[str], str] = str,
) -> go.Figure:
    r"""Adam with and without bias correction, side by side: paths, |Δx_t| and the factor.

    Args:
        surface: The surface both runs used.
        on: Adam with ``bias_correction`` on.
        off: The same run with it off.
        params: Surface parameters.
        height: Figure height in pixels.
        tr: Translates titles, legend names and axis titles (the UI's ``t``); identity by
            default.

    Returns:
        A static ``go.Figure``: the two paths on the surface (left); |Δx_t| of both (top
        right); the factor :math:`(1-\beta_1^t)/\sqrt{1-\beta_2^t}` with the measured ratio
        :math:`|\Delta x_t^{\text{off}}| / |\Delta x_t^{\text{on}}|` (bottom right).
    """
    surf = get_surface(surface)
    fig = make_subplots(
        rows=2,
        cols=2,
        specs=[[{"rowspan": 2}, {}], [None, {}]],
        column_widths=[0.5, 0.5],
        horizontal_spacing=0.09,
        vertical_spacing=0.16,
        subplot_titles=[
            tr("paths, first {steps} steps").format(steps=on.steps),
            tr("step size |Δxₜ|"),
            tr("off ÷ on: (1−β₁ᵗ)/√(1−β₂ᵗ) and measured"),
        ],
    )
    key = plots._params_key(surf, params)
    image, iso = plots._background(surf, key, 160, 14)
    data: list[dict] = [iso]
    runs = (
        (tr("bias correction on"), on, PATH_COLOR),
        (tr("bias correction off"), off, UPDATE_COLOR),
    )
    step_word = tr("step")
    for label, run, col in runs:
        xy = np.asarray(run.xy, np.float32)
        data.append(
            dict(
                type="scatter",
                x=xy[:, 0],
                y=xy[:, 1],
                mode="lines+markers",
                name=label,
                line=dict(color=col, width=2),
                marker=dict(color=col, size=5),
                hovertemplate=f"{label}<br>{step_word} %{{pointNumber}}<br>(%{{x:.4g}}, %{{y:.4g}})"
                "<extra></extra>",
                xaxis="x",
                yaxis="y",
            )
        )
    known = plots._known_points_trace(surf, tr)
    if known is not None:
        data.append(known)
    t = np.arange(1, on.steps + 1, dtype=np.int32)
    sizes = [step_sizes(run) for _, run, _ in runs]
    for (label, _, col), size in zip(runs, sizes, strict=True):
        data.append(
            dict(
                type="scatter",
                x=t,
                y=size.astype(np.float32),
                mode="lines+markers",
                name=label,
                line=dict(color=col, width=2),
                marker=dict(size=4),
                hovertemplate=f"{label}<br>t = %{{x}}<br>|Δxₜ| = %{{y:.4g}}<extra></extra>",
                showlegend=False,
                xaxis="x2",
                yaxis="y2",
            )
        )
    hp = on.hparams
    with np.errstate(all="ignore"):
        measured = sizes[1] / sizes[0]  # off ÷ on
    data += [
        dict(
            type="scatter",
            x=t,
            y=bias_factor_ratio(hp["beta1"], hp["beta2"], on.steps).astype(np.float32),
            mode="lines",
            name="(1−β₁ᵗ)/√(1−β₂ᵗ)",
            line=dict(color="black", width=2, dash="dot"),
            hovertemplate="t = %{x}<br>(1−β₁ᵗ)/√(1−β₂ᵗ) = %{y:.4g}<extra></extra>",
            xaxis="x3",
            yaxis="y3",
        ),
        dict(
            type="scatter",
            x=t,
            y=measured.astype(np.float32),
            mode="markers",
            name=tr("measured |Δxₜ| off ÷ on"),
            marker=dict(color=UPDATE_COLOR, size=6, symbol="circle-open"),
            hovertemplate=f"t = %{{x}}<br>{tr('off ÷ on')} = %{{y:.4g}}<extra></extra>",
            xaxis="x3",
            yaxis="y3",
        ),
    ]
    layout = fig.layout.to_plotly_json()
    ax, ay = plots._axes(surf.bounds)
    layout["xaxis"] = {**layout["xaxis"], **ax}
    layout["yaxis"] = {**layout["yaxis"], **ay}
    layout["xaxis2"] = {**layout["xaxis2"], "matches": "x3", "showticklabels": False}
    layout["xaxis3"] = {**layout["xaxis3"], "title": dict(text=tr("step t"))}
    layout["yaxis3"] = {**layout["yaxis3"], "rangemode": "tozero"}
    layout.update(
        height=height,
        images=[image],
        uirevision=plots.UIREVISION,
        hovermode="closest",
        plot_bgcolor="white",
        legend=dict(orientation="h", x=0.0, y=1.06, yanchor="bottom"),
        margin=dict(l=55, r=15, t=80, b=50),
    )
    return go.Figure(data=data, layout=layout)
