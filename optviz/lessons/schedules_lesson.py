r"""Learning-rate schedules lesson (学习率衰减, 学习率预热, 学习率周期性调整): math and figures.

The notes (003) write the learning rate of step :math:`t` as :math:`\alpha_t`, start from
:math:`\alpha_0`, decay it over :math:`T` steps, optionally warm it up linearly over the first
:math:`T'` steps (:math:`\alpha'_t = \frac{t}{T'}\alpha_0`) and, to escape saddles and sharp
minima, periodically *raise* it again (三角循环学习率, 带热重启的随机梯度下降). This module
evaluates every schedule of :data:`optviz.SCHEDULES` through
:func:`optviz.schedules.schedule_array`, runs a schedule next to a constant rate with
:func:`optviz.run`, and measures what the page claims about the two runs: how much the last
steps still oscillate, and which minimum each run ends in.

Pure: never imports streamlit. Every run goes through ``optviz.run`` (floats traced, one
compile per optimizer / surface / schedule kind / step bucket). Texts and figure labels are
English constants; the functions that write them take ``tr`` (the UI's ``t``, identity by
default), and the page translates the constants (scenario titles and stories) itself.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import optviz
from optviz import plots, urlstate
from optviz.engine import Trajectory
from optviz.schedules import SCHEDULES, WARMUP, schedule_array
from optviz.surfaces import Param, get_surface, nearest_minimum

#: The notes' linear warm-up (学习率预热), written with their 1-based step t.
WARMUP_LATEX = r"\alpha'_t = \frac{t}{T'}\,\alpha_0 \quad (t \le T')"

#: Short panel titles of the overview (the full names are too long for a 3 × 3 grid).
SHORT_NAMES = {
    "constant": "Constant",
    "step": "Step (阶梯)",
    "inverse_time": "Inverse-time (逆时)",
    "exponential": "Exponential (指数)",
    "natural_exp": "Natural exp. (自然指数)",
    "inv_sqrt": "1/√(t+1)",
    "cosine": "Cosine (余弦)",
    "cyclic": "Triangular cyclic (三角循环)",
    "sgdr": "SGDR (热重启)",
}

#: Points at the end of a run whose spread measures the leftover oscillation.
WINDOW = 20

#: Names of the two minima of ``flat_sharp`` (its ``minima`` list: flat first, sharp second).
FLAT_SHARP_NAMES = ("flat minimum (平坦最小值)", "sharp minimum (尖锐最小值)")

#: The sentences of :func:`verdict` and :func:`minimum_name` (translated through ``tr``).
DIVERGED = "**{label}** diverged at step {k} ({reason})."
ENDS = (
    "**{label}** ends at ({x:.3g}, {y:.3g}), f = {f:.3g}, and {moving}: amplitude {size} "
    "over the last {window} steps."
)
ENDS_IN = (
    "**{label}** ends at ({x:.3g}, {y:.3g}) in the {minimum}, f = {f:.3g}, and {moving}: "
    "amplitude {size} over the last {window} steps."
)
ZIG_ZAGS, SETTLED = "still zig-zags", "has settled"
NO_MINIMUM = "no minimum (diverged)"
MINIMUM_AT = "the minimum at ({x:.3g}, {y:.3g})"


@dataclasses.dataclass(frozen=True)
class Scenario:
    """A built-in picture of the lesson: one setting whose outcome the page explains.

    Attributes:
        key: Registry key (``"oscillation"``).
        title: Selectbox label.
        state: Page settings (URL field names) that differ from the page defaults.
        story: What the two runs show, in one or two sentences.
    """

    key: str
    title: str
    state: Mapping[str, Any]
    story: str


SCENARIOS: dict[str, Scenario] = {
    s.key: s
    for s in (
        Scenario(
            key="oscillation",
            title="1 · Oscillation damped by decay (学习率衰减)",
            state={},  # the page defaults are this scenario
            story=(
                "SGD with α₀ = 0.5 on the ill-conditioned quadratic 0.1x₁² + 2x₂²: the steep "
                "curvature is λ = 4, so 1 − α₀λ = −1 and at a constant rate x₂ flips between "
                "±2 for ever. Any decay pushes α_t below 2/λ and the zig-zag dies out."
            ),
        ),
        Scenario(
            key="escape",
            title="2 · Escaping a sharp minimum with a cyclic rate (周期性调整)",
            state={
                "surface": "flat_sharp",
                "start": (1.3, 0.2),
                "schedule": "cyclic",
                "cyclic.lr_min": 0.02,
                "cyclic.step_size": 25.0,
            },
            story=(
                "SGD started next to the sharp minimum of the flat-vs-sharp surface. The "
                "triangular cycle starts at its floor α_min = 0.02, the constant run keeps that "
                "rate and settles in the sharp basin; the cycle's climb towards α_max = α₀ makes "
                "the sharp minimum unstable (its curvature ≈ 49 needs α < 0.04), kicks the "
                "iterate out, and the flat minimum (curvature ≈ 1.7) keeps it. The sharp "
                "minimum is slightly deeper, so the cyclic run ends at a higher loss: the "
                "point is where it ends — a flat minimum is the one that generalizes."
            ),
        ),
    )
}


# ----------------------------------------------------------------------------- the curves


def schedule_values(kind: str, values: Mapping[str, float] | None, warmup: float) -> dict:
    """The schedule parameters of ``kind`` from ``values`` (unknown names dropped) plus T'.

    Args:
        kind: A key of :data:`optviz.SCHEDULES`.
        values: Parameter values by name (the schedule's own names, e.g. ``"gamma"``).
        warmup: Warm-up length :math:`T'` in steps.

    Returns:
        ``{name: value}`` for every parameter of ``kind`` (defaults where absent) and
        ``"warmup"``.
    """
    sched = SCHEDULES[kind]
    values = values or {}
    out = {p.name: float(values.get(p.name, p.default)) for p in sched.params}
    out["warmup"] = float(warmup)
    return out


def schedule_curve(
    kind: str, lr0: float, steps: int, values: Mapping[str, float] | None, warmup: float = 0.0
) -> np.ndarray:
    r"""The learning rate :math:`\alpha_t` of one schedule at every step ``t = 0 … T − 1``.

    Args:
        kind: A key of :data:`optviz.SCHEDULES`.
        lr0: :math:`\alpha_0`.
        steps: :math:`T` (also the schedule's horizon).
        values: Its parameters (defaults where absent).
        warmup: :math:`T'`.

    Returns:
        Float array ``(steps,)``, exactly :func:`optviz.schedules.schedule_array`.
    """
    return schedule_array(kind, lr0, steps, schedule_values(kind, values, warmup))


def all_curves(
    lr0: float,
    steps: int,
    values_by_kind: Mapping[str, Mapping[str, float]],
    warmup: float = 0.0,
) -> dict[str, np.ndarray]:
    r"""Every schedule's :math:`\alpha_t` curve with the same :math:`\alpha_0`, T and T'.

    Args:
        lr0: :math:`\alpha_0`.
        steps: :math:`T`.
        values_by_kind: Kind -> its parameter values (missing kinds take their defaults).
        warmup: :math:`T'`, shared by every schedule.

    Returns:
        Kind -> curve ``(steps,)``, in :data:`optviz.SCHEDULES` order.
    """
    return {
        kind: schedule_curve(kind, lr0, steps, values_by_kind.get(kind), warmup)
        for kind in SCHEDULES
    }


def baseline_rate(kind: str, lr0: float, values: Mapping[str, float] | None) -> float:
    r"""The constant rate the scheduled run is compared with: where the schedule starts.

    That is :math:`\alpha^{\text{base}}_0`, the schedule's rate at the first step after the
    warm-up: :math:`\alpha_0` for every decay and for SGDR, and :math:`\alpha_{min}` for the
    triangular cycle, which starts at its bottom and periodically *raises* the rate
    (the notes: 周期性地增大学习率).

    Args:
        kind: A key of :data:`optviz.SCHEDULES`.
        lr0: :math:`\alpha_0`.
        values: The schedule's parameters.

    Returns:
        The rate as a float.
    """
    first = schedule_curve(kind, lr0, 1, values, warmup=0.0)  # α^base at t = 0, no warm-up
    return float(first[0])


# ----------------------------------------------------------------------------- the runs


def compare(
    optimizer: str,
    surface: str,
    start: Sequence[float] | None,
    steps: int,
    lr0: float,
    kind: str,
    values: Mapping[str, float] | None,
    warmup: float = 0.0,
    surface_params: Mapping[str, float] | None = None,
) -> tuple[Trajectory, Trajectory]:
    r"""The constant-rate run and the scheduled run, same optimizer, surface and start.

    Args:
        optimizer: A key of :data:`optviz.OPTIMIZERS`.
        surface: A key of :data:`optviz.SURFACES`.
        start: Start point, or None for the surface's own.
        steps: :math:`T`.
        lr0: :math:`\alpha_0`.
        kind: Schedule key.
        values: Schedule parameters.
        warmup: :math:`T'`.
        surface_params: Surface parameters (defaults if None).

    Returns:
        ``(constant, scheduled)``; the constant run uses :func:`baseline_rate`.
    """
    common = dict(
        optimizer=optimizer,
        surface=surface,
        start=start,
        steps=int(steps),
        surface_params=surface_params,
    )
    eta = baseline_rate(kind, lr0, values)
    constant = optviz.run(**common, hparams={"lr": eta})
    schedule = {"kind": kind, **schedule_values(kind, values, warmup), "total_steps": steps}
    scheduled = optviz.run(**common, hparams={"lr": float(lr0)}, schedule=schedule)
    return constant, scheduled


def oscillation_amplitude(traj: Trajectory, window: int = WINDOW) -> float:
    r"""Half the peak-to-peak spread of the last ``window`` points, along the worst axis.

    .. math:: A = \tfrac12 \max_{i \in \{1, 2\}}
              \big(\max_{t > T - w} x_{t,i} - \min_{t > T - w} x_{t,i}\big)

    A zig-zag between :math:`x_2 = \pm 2` gives :math:`A = 2`; a settled run gives
    :math:`A \approx 0`.

    Args:
        traj: A run.
        window: How many final points to look at.

    Returns:
        The amplitude, or ``inf`` for a run that diverged.
    """
    if traj.diverged_at is not None:
        return math.inf
    tail = np.asarray(traj.xy[-window:], np.float64)  # the last w points
    spread = tail.max(axis=0) - tail.min(axis=0)  # peak-to-peak per coordinate
    return 0.5 * float(spread.max())  # half of it, along the worst axis


def final_minimum(surface: str, traj: Trajectory) -> int | None:
    """Index (in ``surface.minima``) of the known minimum nearest to the run's last point.

    Args:
        surface: A key of :data:`optviz.SURFACES`.
        traj: A run.

    Returns:
        The index, or None when the run diverged or the surface lists no minimum.
    """
    surf = get_surface(surface)
    if traj.diverged_at is not None or not surf.minima:
        return None
    best, _ = nearest_minimum(surf, traj.xy[-1])
    return surf.minima.index(best)


def minimum_name(surface: str, index: int | None, tr: Callable[[str], str] = str) -> str:
    """How the page names the minimum ``index`` of ``surface`` (``tr`` translates it)."""
    if index is None:
        return tr(NO_MINIMUM)
    surf = get_surface(surface)
    if surface == "flat_sharp":
        return tr(FLAT_SHARP_NAMES[index])
    x, y = surf.minima[index]
    return tr(MINIMUM_AT).format(x=x, y=y)


def verdict(surface: str, traj: Trajectory, label: str, tr: Callable[[str], str] = str) -> str:
    """One sentence of what a run did: diverged, where it ended, how much it still moves.

    Args:
        surface: The run's surface key.
        traj: The run.
        label: Its name on the page.
        tr: Translates the sentence templates (the UI's ``t``); identity by default.

    Returns:
        Markdown text.
    """
    if traj.diverged_at is not None:
        reason = tr(traj.diverged_reason or "")
        return tr(DIVERGED).format(label=label, k=traj.diverged_at, reason=reason)
    amp = oscillation_amplitude(traj)
    moving = tr(ZIG_ZAGS if amp > 0.05 else SETTLED)
    x, y = traj.xy[-1]
    size = f"{amp:.3g}" if amp >= 1e-4 else "≈ 0"
    common = dict(label=label, x=x, y=y, f=traj.loss[-1], moving=moving, size=size, window=WINDOW)
    if len(get_surface(surface).minima) > 1:
        minimum = minimum_name(surface, final_minimum(surface, traj), tr)
        return tr(ENDS_IN).format(minimum=minimum, **common)
    return tr(ENDS).format(**common)


# ----------------------------------------------------------------------------- the figures


def overview_figure(
    curves: Mapping[str, np.ndarray],
    chosen: str,
    warmup: float = 0.0,
    cols: int = 3,
    tr: Callable[[str], str] = str,
) -> go.Figure:
    r"""Small multiples of every schedule's :math:`\alpha_t`, the chosen one highlighted.

    Args:
        curves: Kind -> curve (as :func:`all_curves` returns).
        chosen: The highlighted kind (drawn thick in colour; the others grey).
        warmup: :math:`T'`; a dotted line marks the end of the warm-up when > 0.
        cols: Panels per row.
        tr: Translates the panel titles and hover names (the UI's ``t``); identity by default.

    Returns:
        A ``go.Figure`` with one line trace per schedule, in ``curves`` order; the chosen
        panel's title is bold.
    """
    kinds = list(curves)
    rows = math.ceil(len(kinds) / cols)
    names = [tr(SHORT_NAMES.get(k, SCHEDULES[k].name)) for k in kinds]
    titles = [f"<b>{n}</b>" if k == chosen else n for k, n in zip(kinds, names, strict=True)]
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=titles,
        shared_xaxes=True,
        horizontal_spacing=0.07,
        vertical_spacing=0.13,
    )
    peak = max((float(np.nanmax(c)) for c in curves.values() if len(c)), default=1.0)
    for i, kind in enumerate(kinds):
        curve = np.asarray(curves[kind], np.float32)
        hot = kind == chosen
        fig.add_trace(
            go.Scatter(
                x=np.arange(len(curve), dtype=np.int32),
                y=curve,
                mode="lines",
                name=f"{SCHEDULES[kind].name} · {SCHEDULES[kind].name_zh}",
                line=dict(color=plots.color(1) if hot else "#9a9a9a", width=3.5 if hot else 1.5),
                hovertemplate=f"{tr(SCHEDULES[kind].name)}<br>t = %{{x}}<br>α_t = %{{y:.4g}}"
                "<extra></extra>",
                showlegend=False,
            ),
            row=i // cols + 1,
            col=i % cols + 1,
        )
    fig.update_yaxes(range=[0.0, 1.08 * max(peak, 1e-12)], rangemode="tozero")
    fig.update_xaxes(showticklabels=True)
    if warmup > 0:
        fig.add_vline(x=warmup, line=dict(color="#555", dash="dot", width=1))
    fig.update_layout(
        height=170 * rows + 60,
        margin=dict(l=40, r=10, t=40, b=30),
        uirevision=plots.UIREVISION,
        plot_bgcolor="white",
    )
    for ann in fig.layout.annotations:  # subplot titles a little smaller
        ann.font = dict(size=12)
    return fig


def rate_figure(
    trajectories: Sequence[Trajectory],
    labels: Sequence[str],
    tr: Callable[[str], str] = str,
) -> go.Figure:
    r"""The learning rate :math:`\alpha_t` each run used, against the step.

    Args:
        trajectories: The runs (their ``lr`` arrays).
        labels: Legend names.
        tr: Translates the axis title (the UI's ``t``); identity by default.

    Returns:
        A ``go.Figure`` with one line per run, colours as in the trajectory figures.
    """
    data = [
        go.Scatter(
            x=np.arange(len(tr.lr), dtype=np.int32),
            y=np.asarray(tr.lr, np.float32),
            mode="lines",
            name=lab,
            line=dict(color=plots.color(i), width=2),
            hovertemplate=f"{lab}<br>t = %{{x}}<br>α_t = %{{y:.4g}}<extra></extra>",
        )
        for i, (tr, lab) in enumerate(zip(trajectories, labels, strict=True))
    ]
    layout = dict(
        height=300,
        uirevision=plots.UIREVISION,
        xaxis=dict(title=dict(text=tr("step t")), rangemode="tozero"),
        yaxis=dict(title=dict(text="α_t"), rangemode="tozero"),
        margin=dict(l=70, r=15, t=30, b=50),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
        hovermode="x unified",
    )
    return go.Figure(data=data, layout=layout)


# ----------------------------------------------------------------------------- page settings

#: Surfaces and optimizers the page offers (few: each one is a compile).
SURFACE_CHOICES = ("quadratic", "flat_sharp", "saddle", "rosenbrock")
OPTIMIZER_CHOICES = ("sgd", "momentum", "adam")

#: The initial learning rate α₀ of the page (the peak of the cyclic schedules).
LR0 = Param("lr", r"\alpha_0", 0.5, 0.001, 2.0, True, "Initial learning rate α₀ (初始学习率).")


def param_key(kind: str, name: str) -> str:
    """URL field name of a schedule parameter on this page (``"step.gamma"``)."""
    return f"{kind}.{name}"


def page_fields(scenario: str = "oscillation") -> list[urlstate.Field]:
    """Every setting of the schedules page, with the defaults of one scenario.

    A link stores only what differs from its scenario, so ``?scenario=escape`` alone is the
    whole second scenario, and every state round-trips through the fields of its scenario.

    Args:
        scenario: A key of :data:`SCENARIOS` (an unknown one counts as the first).

    Returns:
        ``scenario``, ``schedule``, ``lr`` (α₀), ``steps`` (T), ``warmup`` (T'), ``surface``,
        ``optimizer``, ``start`` (None = the surface's own), then one field per parameter of
        every schedule, named ``KIND.NAME``.
    """
    fields: list[urlstate.Field] = [
        urlstate.ChoiceField("scenario", "oscillation", tuple(SCENARIOS)),
        urlstate.ChoiceField("schedule", "step", tuple(SCHEDULES)),
        urlstate.param_field("lr", LR0),
        urlstate.IntField("steps", 100, 10, 1000),
        urlstate.param_field("warmup", WARMUP),
        urlstate.ChoiceField("surface", "quadratic", SURFACE_CHOICES),
        urlstate.ChoiceField("optimizer", "sgd", OPTIMIZER_CHOICES),
        urlstate.PointField("start", None, urlstate.START_BOX),
    ]
    for kind, sched in SCHEDULES.items():
        fields += [urlstate.param_field(param_key(kind, p.name), p) for p in sched.params]
    chosen = SCENARIOS.get(scenario, SCENARIOS["oscillation"])
    overrides = dict(chosen.state)  # ``scenario`` keeps its own default: links name it
    return [
        dataclasses.replace(f, default=overrides[f.name]) if f.name in overrides else f
        for f in fields
    ]


def scenario_of(params: Mapping[str, Any]) -> str:
    """The scenario a link names (the first one when it names none or an unknown one).

    Args:
        params: Query parameters (name -> text or list of texts).

    Returns:
        A key of :data:`SCENARIOS`.
    """
    field = urlstate.ChoiceField("scenario", "oscillation", tuple(SCENARIOS))
    return urlstate.decode({k: v for k, v in params.items() if k == "scenario"}, [field])[0][
        "scenario"
    ]


def kind_values(state: Mapping[str, Any], kind: str) -> dict[str, float]:
    """The parameters of schedule ``kind`` from a page state (defaults where absent)."""
    return {
        p.name: float(state.get(param_key(kind, p.name), p.default)) for p in SCHEDULES[kind].params
    }
