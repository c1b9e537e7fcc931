r"""Exploding and vanishing gradients (梯度爆炸, 梯度消失) and gradient clipping (梯度截断).

The notes (003) clip the gradient :math:`g_t` of step :math:`t` in one of two ways:

* by value (按值截断), every component into :math:`[a, b]` (here :math:`a = -b`):
  :math:`g_t = \max(\min(g_t, b), a)`;
* by norm (按模截断), when :math:`\|g_t\| > b`: :math:`g_t = \frac{b}{\|g_t\|}\,g_t`.

The engine applies them (``optviz.run(clip=...)``); this module runs the three variants
side by side with the same optimizer, :math:`\eta` and start, and measures what the page
says about them: where the unclipped run blows up, that norm clipping keeps the gradient's
direction and caps its length, that value clipping caps each component but turns the
direction, and that on a plateau no clipping helps while Adam does.

Pure: never imports streamlit; every run goes through ``optviz.run``. Texts and figure labels
are English constants; :func:`story` and :func:`norm_figure` take ``tr`` (the UI's ``t``,
identity by default) to translate them, and the page translates the run labels itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import numpy as np
import plotly.graph_objects as go

import optviz
from optviz import plots, urlstate
from optviz.engine import Trajectory
from optviz.surfaces import Param, get_surface

#: The two clipping rules of the notes, in their notation (a = −b for value clipping).
VALUE_LATEX = r"g_t = \max(\min(g_t,\, b),\, a),\qquad a = -b"
NORM_LATEX = r"g_t = \frac{b}{\|g_t\|}\,g_t \quad \text{if } \|g_t\| > b"

#: The three runs of the page: (clip kind for ``optviz.run`` or None, label).
VARIANTS: tuple[tuple[str | None, str], ...] = (
    (None, "No clipping"),
    ("value", "By value (按值截断)"),
    ("norm", "By norm (按模截断)"),
)

SURFACES = ("cliff", "plateau")
OPTIMIZERS = ("sgd", "momentum", "adam")

#: A start per surface that tells its story (the cliff's is further left than the surface's
#: own, so that value clipping visibly turns the path).
STARTS = {"cliff": (-2.5, 3.0), "plateau": (2.2, 1.5)}

#: Learning rate η a freshly chosen optimizer starts with on this page.
LEARNING_RATES = {"sgd": 0.4, "momentum": 0.1, "adam": 0.1}

#: The adaptive run added on the plateau, where clipping cannot help.
ADAM_EXTRA = ("adam", 0.1, "Adam, no clipping")

#: The sentences of :func:`story` (English templates, translated through ``tr``).
CLIPPED_DIVERGED = (
    "**{label}** clipped {n} steps but still diverged at step {k}: b = {b:.3g} is too large "
    "to tame this gradient."
)
NEVER_CLIPPED = (
    "**{label}** never clipped: {bound} stayed below b = {b:.3g}, so it is the same run as "
    "without clipping."
)
EVERY_COMPONENT = "every |g_i|"
KEPT_DIRECTION = "kept the direction of every gradient (largest turn {angle})"
TURNED = "capped each component at ±b and so turned the gradient by up to {angle}"
CLIPPED = "**{label}** clipped {n} steps and {what}; its longest step was {jump:.3g}."
DIVERGED = (
    "**{label}** diverged at step {k}: ‖g‖ reached {g:.3g} and one step η·g threw the point "
    "off the surface."
)
THROWN = (
    "**{label}** was thrown {jump:.3g} in one step (step {k}) by a gradient of up to ‖g‖ = {g:.3g}."
)
NOT_MOVED = (
    "**{label}** did not move at all: the gradient vanishes here (梯度消失), its largest ‖g‖ "
    "was {g:.2g}."
)
MOVED_ONLY = (
    "**{label}** moved only {moved:.2g}: the gradient vanishes here (梯度消失), its largest "
    "‖g‖ was {g:.2g}."
)
NEVER_LONGER = "**{label}** never made a step longer than {jump:.3g} (largest ‖g‖ = {g:.3g})."
CANNOT_HELP = (
    "Clipping only shrinks gradients longer than b = {b:.3g}; it never makes a vanished "
    "gradient longer, so it cannot help here."
)
RESCALES = (
    "This optimizer rescales the small gradient itself: the unclipped run moved {moved:.3g} "
    "and ended at f = {f:.3g}."
)
ADAM_MOVED = (
    "**{label}** divides by √v̂ₜ, which is as tiny as the gradient, so its steps keep a usable "
    "length: it moved {moved:.3g} and ended at f = {f:.3g}."
)
ADAM_ALSO_STALLED = (
    "**{label}** divides by √v̂ₜ, which is as tiny as the gradient, so its steps keep a usable "
    "length: it also only moved {moved:.3g} and ended at f = {f:.3g}."
)


@dataclasses.dataclass(frozen=True)
class Facts:
    """What one run did, as numbers the page's text is written from.

    Attributes:
        label: The run's name.
        diverged_at: First bad step, or None.
        max_jump: Longest single step ``‖x_{t+1} − x_t‖`` before any divergence.
        jump_step: The step index t of that longest step.
        max_grad: Largest ``‖∇f(x_t)‖`` seen.
        max_turn: Largest angle (degrees) between ``∇f(x_t)`` and the gradient used.
        clipped: Number of steps at which clipping changed the gradient.
        moved: Distance from the start to the last valid point.
        final_loss: Loss at the last valid point.
        final_xy: The last valid point.
    """

    label: str
    diverged_at: int | None
    max_jump: float
    jump_step: int
    max_grad: float
    max_turn: float
    clipped: int
    moved: float
    final_loss: float
    final_xy: tuple[float, float]


# ----------------------------------------------------------------------------- clipping


def clip_by_value(g: np.ndarray, b: float) -> np.ndarray:
    r"""Clips every component into :math:`[a, b]` with :math:`a = -b` (numpy reference).

    Args:
        g: Gradients, shape ``(..., 2)``.
        b: Threshold :math:`b > 0`.

    Returns:
        :math:`\max(\min(g, b), -b)`, same shape.
    """
    return np.maximum(np.minimum(g, b), -b)  # g = max(min(g, b), a) with a = −b


def clip_by_norm(g: np.ndarray, b: float) -> np.ndarray:
    r"""Rescales every gradient longer than :math:`b` to length :math:`b` (numpy reference).

    Args:
        g: Gradients, shape ``(..., 2)``.
        b: Threshold :math:`b > 0`.

    Returns:
        :math:`\frac{b}{\|g\|} g` where :math:`\|g\| > b`, else :math:`g`.
    """
    g = np.asarray(g, np.float64)
    norm = np.linalg.norm(g, axis=-1, keepdims=True)  # ‖g‖
    scale = np.where(norm > b, b / np.maximum(norm, 1e-300), 1.0)  # b/‖g‖ when ‖g‖ > b
    return g * scale  # g = b g / ‖g‖


# ----------------------------------------------------------------------------- runs


def clipping_runs(
    surface: str,
    optimizer: str,
    lr: float,
    b: float,
    start: Sequence[float] | None = None,
    steps: int = 100,
) -> list[Trajectory]:
    """The three runs of the page: no clipping, by value, by norm (same optimizer, η, start).

    Args:
        surface: ``"cliff"`` or ``"plateau"`` (any registry key works).
        optimizer: A key of :data:`optviz.OPTIMIZERS`.
        lr: Learning rate η.
        b: Clipping threshold b.
        start: Start point, or None for :data:`STARTS` (else the surface's own).
        steps: Number of steps.

    Returns:
        Three trajectories in :data:`VARIANTS` order.
    """
    start = STARTS.get(surface) if start is None else start
    return [
        optviz.run(
            optimizer,
            surface,
            start=start,
            steps=int(steps),
            hparams={"lr": float(lr)},
            clip=None if kind is None else {"kind": kind, "max": float(b)},
        )
        for kind, _ in VARIANTS
    ]


def adam_run(surface: str, start: Sequence[float] | None = None, steps: int = 100) -> Trajectory:
    """Adam (default β₁, β₂, ε; η from :data:`ADAM_EXTRA`) without clipping, the plateau's fix.

    Args:
        surface: Surface key.
        start: Start point, or None for :data:`STARTS`.
        steps: Number of steps.

    Returns:
        The trajectory.
    """
    start = STARTS.get(surface) if start is None else start
    key, lr, _ = ADAM_EXTRA
    return optviz.run(key, surface, start=start, steps=int(steps), hparams={"lr": lr})


def used_norms(traj: Trajectory) -> np.ndarray:
    r"""``‖g̃_t‖`` of the gradient the optimizer used at each step (NaN after divergence).

    Args:
        traj: A run.

    Returns:
        Float array ``(steps,)``; row t is the gradient used to leave point t.
    """
    norms = np.linalg.norm(np.asarray(traj.grad_used, np.float64), axis=1)  # ‖g̃_t‖
    if traj.diverged_at is not None:
        norms[traj.diverged_at :] = np.nan  # no valid point there to leave
    return norms


def grad_norms(traj: Trajectory) -> np.ndarray:
    r"""``‖∇f(x_t)‖`` at every point (NaN after divergence), shape ``(steps + 1,)``."""
    return np.linalg.norm(np.asarray(traj.grad, np.float64), axis=1)  # ‖∇f(x_t)‖


def turn_angles(traj: Trajectory) -> np.ndarray:
    r"""Angle in degrees between :math:`\nabla f(x_t)` and the gradient used at step t.

    .. math:: \theta_t = \arccos \frac{\nabla f(x_t)\cdot \tilde g_t}
              {\|\nabla f(x_t)\|\,\|\tilde g_t\|}

    Args:
        traj: A run without gradient noise.

    Returns:
        Float array ``(steps,)``, NaN where a gradient is zero or after divergence.
    """
    g = np.asarray(traj.grad[:-1], np.float64)  # ∇f(x_t), t = 0 … T−1
    u = np.asarray(traj.grad_used, np.float64)  # g̃_t after clipping
    denom = np.linalg.norm(g, axis=1) * np.linalg.norm(u, axis=1)  # ‖∇f‖ ‖g̃‖
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.sum(g * u, axis=1) / denom  # cos θ_t
    cos = np.where(denom > 0, np.clip(cos, -1.0, 1.0), np.nan)
    angles = np.degrees(np.arccos(cos))  # θ_t in degrees
    if traj.diverged_at is not None:
        angles[traj.diverged_at :] = np.nan
    return angles


def _nanmax(a: np.ndarray) -> tuple[float, int]:
    """Largest finite value and its index (0.0, 0 when there is none)."""
    a = np.where(np.isfinite(a), a, -np.inf)
    if a.size == 0 or not np.isfinite(a.max()):
        return 0.0, 0
    k = int(np.argmax(a))
    return float(a[k]), k


def facts(traj: Trajectory, label: str) -> Facts:
    """Measures one run (see :class:`Facts`).

    Args:
        traj: A run.
        label: Its name.

    Returns:
        The facts.
    """
    j = traj.last_valid
    jumps = np.linalg.norm(np.asarray(traj.update[:j], np.float64), axis=1)  # ‖Δx_t‖, valid
    max_jump, jump_step = _nanmax(jumps)
    max_grad, _ = _nanmax(grad_norms(traj)[: j + 1])
    max_turn, _ = _nanmax(turn_angles(traj)[:j])
    changed = ~np.isclose(traj.grad_used[:j], traj.grad[:j], rtol=1e-6, atol=0.0).all(axis=1)
    xy = np.asarray(traj.xy, np.float64)
    return Facts(
        label=label,
        diverged_at=traj.diverged_at,
        max_jump=max_jump,
        jump_step=jump_step,
        max_grad=max_grad,
        max_turn=max_turn,
        clipped=int(changed.sum()),
        moved=float(np.linalg.norm(xy[j] - xy[0])),
        final_loss=float(traj.loss[j]),
        final_xy=(float(xy[j, 0]), float(xy[j, 1])),
    )


def thrown_off(fact: Facts, surface: str) -> bool:
    """Whether a run was thrown off: it diverged or one step was longer than half the window."""
    (x0, x1), (y0, y1) = get_surface(surface).bounds
    return fact.diverged_at is not None or fact.max_jump > 0.5 * min(x1 - x0, y1 - y0)


def stalled(fact: Facts, surface: str) -> bool:
    """Whether a run hardly moved: less than 0.1% of the window (a vanished gradient)."""
    (x0, x1), (y0, y1) = get_surface(surface).bounds
    return fact.diverged_at is None and fact.moved < 1e-3 * min(x1 - x0, y1 - y0)


def _angle(degrees: float) -> str:
    """An angle for the text: float rounding (< 0.01°) shows as 0°."""
    return "0°" if degrees < 0.01 else f"{degrees:.2g}°"


def _clipped_line(
    fact: Facts, by: str, b: float, tr: Callable[[str], str] = str
) -> tuple[str, str]:
    """What one clipped run did (``by`` is ``"value"`` or ``"norm"``)."""
    if fact.diverged_at is not None:
        text = tr(CLIPPED_DIVERGED).format(
            label=fact.label, n=fact.clipped, k=fact.diverged_at, b=b
        )
        return "error", text
    if fact.clipped == 0:
        bound = "‖g‖" if by == "norm" else tr(EVERY_COMPONENT)
        return "info", tr(NEVER_CLIPPED).format(label=fact.label, bound=bound, b=b)
    what = tr(KEPT_DIRECTION if by == "norm" else TURNED).format(angle=_angle(fact.max_turn))
    text = tr(CLIPPED).format(label=fact.label, n=fact.clipped, what=what, jump=fact.max_jump)
    return "info", text


def story(
    surface: str,
    facts_list: Sequence[Facts],
    b: float,
    extra: Facts | None = None,
    tr: Callable[[str], str] = str,
) -> list[tuple[str, str]]:
    """The page's explanation of the runs, written from the measured facts.

    Args:
        surface: ``"cliff"`` or ``"plateau"``.
        facts_list: Facts of the three runs in :data:`VARIANTS` order.
        b: The threshold.
        extra: Facts of the Adam run on the plateau, if shown.
        tr: Translates the sentence templates (the UI's ``t``); identity by default.

    Returns:
        ``(level, markdown)`` pairs; level is ``"error"`` for a run that blew up, ``"info"``
        otherwise.
    """
    none, value, norm = facts_list
    label = none.label
    if none.diverged_at is not None:
        text = tr(DIVERGED).format(label=label, k=none.diverged_at, g=none.max_grad)
        first = ("error", text)
    elif thrown_off(none, surface):
        text = tr(THROWN).format(label=label, jump=none.max_jump, k=none.jump_step, g=none.max_grad)
        first = ("error", text)
    elif stalled(none, surface):
        template = NOT_MOVED if none.moved == 0 else MOVED_ONLY
        first = ("info", tr(template).format(label=label, moved=none.moved, g=none.max_grad))
    else:
        text = tr(NEVER_LONGER).format(label=label, jump=none.max_jump, g=none.max_grad)
        first = ("info", text)
    lines = [first, _clipped_line(norm, "norm", b, tr), _clipped_line(value, "value", b, tr)]
    if stalled(none, surface):
        lines.append(("info", tr(CANNOT_HELP).format(b=b)))
    elif surface == "plateau":
        lines.append(("info", tr(RESCALES).format(moved=none.moved, f=none.final_loss)))
    if extra is not None:
        template = ADAM_ALSO_STALLED if stalled(extra, surface) else ADAM_MOVED
        text = tr(template).format(label=extra.label, moved=extra.moved, f=extra.final_loss)
        lines.append(("info", text))
    return lines


# ----------------------------------------------------------------------------- figure


def norm_figure(
    trajectories: Sequence[Trajectory],
    labels: Sequence[str],
    b: float | None,
    tr: Callable[[str], str] = str,
) -> go.Figure:
    r"""Gradient norms over the steps on a log axis, with the threshold b.

    Solid: :math:`\|\nabla f(x_t)\|` (``Trajectory.grad``, before clipping); dashed: the norm
    of the gradient actually used (``Trajectory.grad_used``, after clipping). A dotted
    horizontal line marks b; a red ✕ marks where a run diverged.

    Args:
        trajectories: The runs.
        labels: Their names.
        b: Threshold to draw, or None.
        tr: Translates the trace names and axis title (the UI's ``t``); identity by default.

    Returns:
        A ``go.Figure``: per run a solid trace then a dashed one, then the ✕ marks if any.
    """
    data = []
    marks_x, marks_y, marks_text = [], [], []
    for i, (run, lab) in enumerate(zip(trajectories, labels, strict=True)):
        raw = grad_norms(run)
        used = used_norms(run)
        used_name = tr("{label}: used").format(label=lab)
        for values, dash, name in ((raw, "solid", f"{lab}: ‖∇f‖"), (used, "dash", used_name)):
            shown = np.where(values > 0, values, np.nan).astype(np.float32)  # log axis: > 0 only
            data.append(
                go.Scatter(
                    x=np.arange(len(shown), dtype=np.int32),
                    y=shown,
                    mode="lines",
                    name=name,
                    legendgroup=f"run{i}",
                    line=dict(color=plots.color(i), dash=dash, width=2 if dash == "solid" else 3),
                    hovertemplate=f"{name}<br>t = %{{x}}<br>%{{y:.3g}}<extra></extra>",
                )
            )
        if run.diverged_at is not None and run.last_valid >= 0:
            marks_x.append(run.last_valid)
            marks_y.append(float(raw[run.last_valid]) if raw[run.last_valid] > 0 else 1.0)
            marks_text.append(
                tr("{label}: diverged at step {k}").format(label=lab, k=run.diverged_at)
            )
    if marks_x:
        data.append(
            go.Scatter(
                x=marks_x,
                y=marks_y,
                mode="markers",
                name=tr("diverged"),
                hovertext=marks_text,
                hoverinfo="text",
                marker=dict(symbol="x", size=14, color=plots.DIVERGED_COLOR),
                showlegend=False,
            )
        )
    fig = go.Figure(data=data)
    if b is not None:
        fig.add_hline(
            y=float(b),
            line=dict(color="#333", dash="dot", width=1.5),
            annotation_text=f"b = {b:.3g}",
            annotation_position="top right",
        )
    fig.update_layout(
        height=380,
        uirevision=plots.UIREVISION,
        xaxis=dict(title=dict(text=tr("step t")), rangemode="tozero"),
        yaxis=dict(type="log", title=dict(text="‖g_t‖"), exponentformat="power"),
        margin=dict(l=80, r=15, t=30, b=50),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
        hovermode="x unified",
    )
    return fig


# ----------------------------------------------------------------------------- page settings

#: Learning rate η of the three runs.
LR = Param("lr", r"\eta", 0.4, 0.001, 2.0, True, "Learning rate η (学习率) of all three runs.")

#: The clipping threshold b: the interval [a, b] = [−b, b] by value, ‖g‖ ≤ b by norm.
THRESHOLD = Param("clip_max", "b", 1.0, 0.01, 100.0, True, "Clipping threshold b (截断阈值).")


def page_fields() -> list[urlstate.Field]:
    """Every setting of the clipping page.

    Returns:
        ``surface``, ``optimizer``, ``lr`` (η), ``clip_max`` (b), ``start`` (None = the
        surface's lesson start, :data:`STARTS`) and ``steps``.
    """
    return [
        urlstate.ChoiceField("surface", "cliff", SURFACES),
        urlstate.ChoiceField("optimizer", "sgd", OPTIMIZERS),
        urlstate.param_field("lr", LR),
        urlstate.param_field("clip_max", THRESHOLD),
        urlstate.PointField("start", None, urlstate.START_BOX),
        urlstate.IntField("steps", 100, 10, 1000),
    ]
