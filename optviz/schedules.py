r"""Learning-rate schedules (学习率调整): decay, warm-up and cyclic schedules.

Every schedule is a pure ``jax.numpy`` function ``fn(t, lr0, c)`` of the step index:

* ``t`` is the **0-based** step index (a float32 scalar or a vector of all steps) and the
  function returns :math:`\alpha_t`, the learning rate *used* at step ``t``; so
  :math:`\alpha_0` is the initial learning rate ``lr0``, as in the notes.
* ``c`` is a dict of float32 scalars: the schedule's own parameters plus ``total_steps``
  (:math:`T`) and ``warmup`` (:math:`T'`). All of them, and ``lr0``, are *traced*, so
  moving a slider never recompiles; only the schedule kind is static under ``jax.jit``.

Linear warm-up (学习率预热) combines with every schedule and is applied in one place,
:func:`learning_rate`. Convention (the same as optax's ``join_schedules`` /
``warmup_cosine_decay_schedule``): the base schedule's clock starts at 0 **after** the
warm-up and its horizon shrinks to :math:`T - T'`, so decay only begins once the warm-up is
over and cosine decay still reaches :math:`\alpha_{min}` at step :math:`T`:

.. math::

    \alpha'_t = \min\!\Big(1, \frac{t+1}{T'}\Big)\,
                \alpha^{\text{base}}_{\max(t-T',\,0)}\Big|_{T \to T-T'}

During the warm-up the base clock is frozen at 0, so the ramp climbs linearly to the value
the base schedule starts from: :math:`\alpha_0` for every decay (the notes'
:math:`\alpha'_t = \frac{t}{T'}\alpha_0` with the notes' 1-based ``t``, hence ``t + 1``
here: step 0 already has a non-zero learning rate), and :math:`\alpha_{min}` for the
triangular cycle, which starts at its bottom.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping

import jax
import jax.numpy as jnp
import numpy as np

from optviz.surfaces import Param

ScheduleFn = Callable[[jnp.ndarray, jnp.ndarray, Mapping[str, jnp.ndarray]], jnp.ndarray]

#: Warm-up length :math:`T'` in steps; shared by every schedule (0 switches warm-up off).
WARMUP = Param(
    "warmup",
    "T'",
    0.0,
    0.0,
    200.0,
    False,
    "Warm-up steps T': the learning rate ramps up linearly before the schedule starts.",
)


@dataclasses.dataclass(frozen=True, eq=False)
class Schedule:
    """A learning-rate schedule and everything a page needs to draw and explain it.

    Attributes:
        key: Registry key (``"cosine"``).
        name: English display name.
        name_zh: The Chinese term used in the notes (``"余弦衰减"``).
        fn: ``fn(t, lr0, c) -> lr`` with ``t`` the 0-based step index (scalar or vector),
            ``lr0`` the initial learning rate and ``c`` a dict of float32 scalars.
        params: The schedule's own float parameters (traced), with slider ranges.
            ``total_steps`` and ``warmup`` are common to all schedules and not listed.
        latex: The formula in the notes' notation.
        description: One sentence of what to notice.
    """

    key: str
    name: str
    name_zh: str
    fn: ScheduleFn
    params: tuple[Param, ...]
    latex: str
    description: str

    @functools.cached_property
    def _default_values(self) -> tuple[tuple[str, float], ...]:
        """(name, default) of every parameter, computed once."""
        return tuple((p.name, p.default) for p in self.params)

    def default_params(self) -> dict[str, float]:
        """Returns the default value of every schedule parameter (a new dict each call)."""
        return dict(self._default_values)


# ----------------------------------------------------------------------------- the schedules


def constant(t, lr0, c):
    r"""Constant learning rate :math:`\alpha_t = \alpha_0`."""
    del c
    return lr0 * jnp.ones_like(t)  # same value at every step, shaped like t


def step(t, lr0, c):
    r"""Step decay (阶梯衰减): :math:`\alpha_t = \alpha_0\,\beta^{\lfloor t / \Delta T\rfloor}`."""
    beta = jnp.maximum(c["gamma"], 0.0)  # factor applied at each drop, kept ≥ 0
    size = jnp.maximum(c["step_size"], 1.0)  # steps between drops, at least 1
    k = jnp.floor(t / size)  # number of drops so far
    return lr0 * jnp.power(beta, k)  # α0 · β^k (0^0 = 1 keeps step 0 at α0)


def inverse_time(t, lr0, c):
    r"""Inverse-time decay (逆时衰减): :math:`\alpha_t = \alpha_0 / (1 + \beta t)`."""
    beta = jnp.maximum(c["beta"], 0.0)  # decay rate, kept ≥ 0 so the denominator is ≥ 1
    return lr0 / (1.0 + beta * t)  # α0 / (1 + β t)


def exponential(t, lr0, c):
    r"""Exponential decay (指数衰减): :math:`\alpha_t = \alpha_0\,\beta^t`, β close to 1."""
    beta = jnp.maximum(c["beta"], 0.0)  # base of the power, kept ≥ 0 (no NaN from β < 0)
    return lr0 * jnp.power(beta, t)  # α0 · β^t


def natural_exp(t, lr0, c):
    r"""Natural exponential decay (自然指数衰减): :math:`\alpha_t = \alpha_0 e^{-\beta t}`."""
    return lr0 * jnp.exp(-c["beta"] * t)  # α0 · exp(−β t)


def inv_sqrt(t, lr0, c):
    r"""Inverse square-root decay: :math:`\alpha_t = \alpha_0 / \sqrt{t + 1}`."""
    del c
    return lr0 / jnp.sqrt(t + 1.0)  # Ng's k/√epoch · α0 with k = 1 and epoch = t + 1


def cosine(t, lr0, c):
    r"""Cosine decay (余弦衰减) to a floor :math:`\alpha_{min}`, flat after :math:`T`.

    .. math:: \alpha_t = \alpha_{min} + \tfrac12(\alpha_0 - \alpha_{min})
              \big(1 + \cos(\pi \min(t, T) / T)\big)
    """
    total = jnp.maximum(c["total_steps"], 1.0)  # horizon T, at least one step
    frac = jnp.clip(t, 0.0, total) / total  # progress t/T, clipped to [0, 1]
    half = 0.5 * (1.0 + jnp.cos(jnp.pi * frac))  # goes 1 → 0 along half a cosine
    return c["lr_min"] + (lr0 - c["lr_min"]) * half  # α_min + (α0 − α_min) · half


def cyclic(t, lr0, c):
    r"""Triangular cyclic learning rate (三角循环学习率) between α_min and α_max = α0.

    .. math:: m = \lfloor 1 + \tfrac{t}{2\Delta T} \rfloor,\quad
              b = \big|\tfrac{t}{\Delta T} - 2m + 1\big|,\quad
              \alpha_t = \alpha_{min} + (\alpha_{max} - \alpha_{min})\max(0, 1 - b)
    """
    half = jnp.maximum(c["step_size"], 1.0)  # ΔT, the half-cycle length, at least 1
    m = jnp.floor(1.0 + t / (2.0 * half))  # index m of the current cycle (1-based)
    b = jnp.abs(t / half - 2.0 * m + 1.0)  # distance from the cycle's peak, in [0, 1]
    return c["lr_min"] + (lr0 - c["lr_min"]) * jnp.maximum(0.0, 1.0 - b)  # linear up, down


def _sgdr_cycle(t, period, mult):
    """Returns ``(t_cur, T_i)``: position in the current SGDR cycle and that cycle's length.

    Cycle ``i`` (0-based) has length ``period * mult**i``; ``mult == 1`` uses ``mod``,
    ``mult > 1`` the closed form of the geometric series, both traced and selected with
    ``jnp.where``. The estimated cycle index is corrected by ±1 against float rounding, so
    ``t`` at a restart (up to a relative 1e-5) always lands at ``t_cur = 0``.
    """
    # --- mult == 1: equal cycles of length T0
    t_cur_equal = jnp.mod(t, period)  # position within the cycle
    # --- mult > 1: cycle i starts at T0 (mult^i − 1)/(mult − 1) and lasts T0 mult^i
    geometric = mult > 1.0  # which branch applies (traced)
    dm = jnp.where(geometric, mult - 1.0, 1.0)  # mult − 1, exact in float32; 1 avoids 0/0
    log_mult = jnp.log1p(dm)  # log(mult), accurate for mult near 1

    def start(i):
        return period * jnp.expm1(i * log_mult) / dm  # T0 (mult^i − 1)/(mult − 1)

    def near(a, b):
        return jnp.abs(a - b) <= 1e-5 * jnp.maximum(jnp.abs(b), 1.0)  # equal up to rounding

    i = jnp.floor(jnp.log1p(t * dm / period) / log_mult)  # cycle index m
    nxt = start(i + 1.0)  # start of the next cycle
    i = jnp.where((t >= nxt) | near(t, nxt), i + 1.0, i)  # rounding put us one cycle early
    cur = start(i)  # start of the current cycle
    i = jnp.where((t < cur) & ~near(t, cur), i - 1.0, i)  # rounding put us one cycle late
    i = jnp.maximum(i, 0.0)  # t ≥ 0 is always in cycle 0 or later
    cur = start(i)  # start of the cycle we settled on
    t_cur_geom = jnp.where(near(t, cur), 0.0, jnp.maximum(t - cur, 0.0))  # position in cycle i
    length_geom = period * jnp.exp(i * log_mult)  # T_i = T0 mult^i
    t_cur = jnp.where(geometric, t_cur_geom, t_cur_equal)  # pick the branch for mult
    length = jnp.where(geometric, length_geom, period)  # T_i
    return t_cur, length


def sgdr(t, lr0, c):
    r"""SGDR (带热重启的随机梯度下降): cosine decay that restarts at α0 every cycle.

    .. math:: \alpha_t = \alpha_{min} + \tfrac12(\alpha_{max} - \alpha_{min})
              \big(1 + \cos(\pi T_{cur} / T_i)\big),\quad T_i = T_0\, T_{mult}^{\,i}
    """
    period = jnp.maximum(c["period"], 1.0)  # T0, the first cycle's length, at least 1
    mult = jnp.maximum(c["t_mult"], 1.0)  # growth factor of the cycle length, at least 1
    t_cur, length = _sgdr_cycle(jnp.maximum(t, 0.0), period, mult)  # where we are in a cycle
    half = 0.5 * (1.0 + jnp.cos(jnp.pi * t_cur / length))  # 1 at a restart, → 0 at its end
    return c["lr_min"] + (lr0 - c["lr_min"]) * half  # α_min + (α_max − α_min) · half


# ----------------------------------------------------------------------------- the registry

_LR_MIN_HELP = "Floor α_min the learning rate decays to (absolute value)."

SCHEDULES: dict[str, Schedule] = {
    s.key: s
    for s in (
        Schedule(
            key="constant",
            name="Constant",
            name_zh="固定学习率",
            fn=constant,
            params=(),
            latex=r"\alpha_t = \alpha_0",
            description="The baseline: the same step size from the first step to the last.",
        ),
        Schedule(
            key="step",
            name="Step decay",
            name_zh="分段常数衰减（阶梯衰减）",
            fn=step,
            params=(
                Param("gamma", r"\beta", 0.5, 0.05, 1.0, False, "Factor applied at each drop."),
                Param("step_size", r"\Delta T", 25.0, 1.0, 500.0, True, "Steps between drops."),
            ),
            latex=r"\alpha_t = \alpha_0\,\beta^{\lfloor t / \Delta T \rfloor}",
            description=(
                "The learning rate stays flat and then drops by the factor β: the loss curve "
                "shows a kink each time the steps suddenly get smaller."
            ),
        ),
        Schedule(
            key="inverse_time",
            name="Inverse-time decay",
            name_zh="逆时衰减",
            fn=inverse_time,
            params=(Param("beta", r"\beta", 0.1, 0.001, 10.0, True, "Decay rate β (decay_rate)."),),
            latex=r"\alpha_t = \alpha_0\,\frac{1}{1 + \beta \times t}",
            description=(
                "Falls fast at first and then ever more slowly, like 1/t: the steps never "
                "quite stop, they just keep shrinking."
            ),
        ),
        Schedule(
            key="exponential",
            name="Exponential decay",
            name_zh="指数衰减",
            fn=exponential,
            params=(
                Param("beta", r"\beta", 0.99, 0.8, 1.0, False, "Factor per step β (close to 1)."),
            ),
            latex=r"\alpha_t = \alpha_0\,\beta^t",
            description=(
                "Every step multiplies the learning rate by β: with β = 0.99 it halves about "
                "every 69 steps, so late steps become tiny."
            ),
        ),
        Schedule(
            key="natural_exp",
            name="Natural exponential decay",
            name_zh="自然指数衰减",
            fn=natural_exp,
            params=(Param("beta", r"\beta", 0.05, 0.001, 1.0, True, "Decay rate β."),),
            latex=r"\alpha_t = \alpha_0 \exp(-\beta \times t)",
            description=(
                "The same curve as exponential decay with factor e^{-β} per step: β is now a "
                "rate, and the learning rate halves every ln 2 / β steps."
            ),
        ),
        Schedule(
            key="inv_sqrt",
            name="Inverse square-root decay",
            name_zh="平方根倒数衰减",
            fn=inv_sqrt,
            params=(),
            latex=r"\alpha_t = \frac{1}{\sqrt{t + 1}}\,\alpha_0",
            description=(
                "Andrew Ng's k/√epoch rule with k = 1: slower than 1/t decay, so late steps "
                "stay larger."
            ),
        ),
        Schedule(
            key="cosine",
            name="Cosine decay",
            name_zh="余弦衰减",
            fn=cosine,
            params=(Param("lr_min", r"\alpha_{min}", 0.0, 0.0, 1.0, False, _LR_MIN_HELP),),
            latex=(
                r"\alpha_t = \alpha_{min} + \frac{1}{2}(\alpha_0 - \alpha_{min})"
                r"\left(1 + \cos\left(\frac{t\pi}{T}\right)\right)"
            ),
            description=(
                "Flat at the start, steepest in the middle and flat again at the end: it "
                "reaches α_min exactly at the last step T."
            ),
        ),
        Schedule(
            key="cyclic",
            name="Triangular cyclic learning rate",
            name_zh="三角循环学习率",
            fn=cyclic,
            params=(
                Param("lr_min", r"\alpha_{min}", 0.001, 0.0, 1.0, False, _LR_MIN_HELP),
                Param("step_size", r"\Delta T", 10.0, 1.0, 500.0, True, "Half-cycle length ΔT."),
            ),
            latex=(
                r"m = \left\lfloor 1 + \frac{t}{2\Delta T} \right\rfloor,\quad "
                r"b = \left| \frac{t}{\Delta T} - 2m + 1 \right|,\quad "
                r"\alpha_t = \alpha_{min} + (\alpha_{max} - \alpha_{min})\max(0, 1 - b)"
            ),
            description=(
                "The learning rate climbs from α_min to α_max = α0 in ΔT steps and falls back "
                "in ΔT more: the periodic big steps can shake the iterate out of saddles and "
                "sharp minima."
            ),
        ),
        Schedule(
            key="sgdr",
            name="SGDR (cosine with warm restarts)",
            name_zh="带热重启的随机梯度下降",
            fn=sgdr,
            params=(
                Param("lr_min", r"\alpha_{min}", 0.0, 0.0, 1.0, False, _LR_MIN_HELP),
                Param("period", r"T_0", 25.0, 1.0, 500.0, True, "Length T_0 of the first cycle."),
                Param(
                    "t_mult",
                    r"T_{mult}",
                    1.0,
                    1.0,
                    4.0,
                    False,
                    "Each cycle is T_mult times longer than the one before.",
                ),
            ),
            latex=(
                r"\alpha_t = \alpha_{min} + \frac{1}{2}(\alpha_{max} - \alpha_{min})"
                r"\left(1 + \cos\left(\frac{T_{cur}}{T_i}\pi\right)\right),\quad "
                r"T_i = T_0\,T_{mult}^{\,i}"
            ),
            description=(
                "Cosine decay that jumps back to α_max = α0 at every restart: the optimizer "
                "keeps its parameters, only the step size is reset."
            ),
        ),
    )
}


def get_schedule(kind: str | Schedule) -> Schedule:
    """Returns the registered schedule named ``kind`` (or ``kind`` itself).

    Raises:
        KeyError: If no schedule has that name.
    """
    if isinstance(kind, Schedule):
        return kind
    try:
        return SCHEDULES[kind]
    except KeyError:
        known = ", ".join(SCHEDULES)
        raise KeyError(f"unknown schedule {kind!r}; choose one of: {known}") from None


def resolve(
    kind: str | Schedule, values: Mapping[str, float] | None, total_steps: float
) -> dict[str, float]:
    """Merges ``values`` over the schedule's defaults and adds the common parameters.

    Args:
        kind: Schedule key (``"cosine"``) or a :class:`Schedule`.
        values: Parameter values to override, or ``None``. ``warmup`` may be given for
            every schedule; ``total_steps`` is accepted so a resolved dict round-trips, but
            the ``total_steps`` argument always wins.
        total_steps: Number of steps :math:`T` of the run.

    Returns:
        Every parameter of the schedule plus ``total_steps`` and ``warmup``, as floats.

    Raises:
        KeyError: If ``kind`` or a name in ``values`` is unknown.
    """
    sched = get_schedule(kind)
    merged = {**sched.default_params(), WARMUP.name: WARMUP.default}
    for name, value in (values or {}).items():
        if name != "total_steps" and name not in merged:
            raise KeyError(f"schedule {sched.key!r} has no parameter {name!r}")
        merged[name] = float(value)
    merged["total_steps"] = float(total_steps)
    return merged


def learning_rate(kind: str | Schedule, t, lr0, c: Mapping[str, jnp.ndarray]) -> jnp.ndarray:
    r"""Learning rate :math:`\alpha'_t` of ``kind`` at 0-based step(s) ``t``, warm-up included.

    With ``c["warmup"]`` :math:`= T' > 0` the first steps ramp up linearly,
    :math:`\alpha'_t = \frac{t+1}{T'}\alpha^{\text{base}}_0` for :math:`t < T'`, and the base
    schedule then runs on the shifted clock :math:`t - T'` over the horizon :math:`T - T'`
    (see the module docstring). :math:`T' = 0` gives the base schedule unchanged. Pure and
    traceable: only ``kind`` must be static under ``jax.jit``.

    Args:
        kind: Schedule key or :class:`Schedule` (static).
        t: 0-based step index, a scalar or an array of steps.
        lr0: Initial (peak) learning rate :math:`\alpha_0`.
        c: Float parameters as returned by :func:`resolve` (converted to arrays).

    Returns:
        The learning rate, shaped like ``t``, float32.
    """
    sched = get_schedule(kind)
    t = jnp.asarray(t, jnp.float32)  # step index as float
    lr0 = jnp.asarray(lr0, jnp.float32)  # α0
    c = {k: jnp.asarray(v, jnp.float32) for k, v in c.items()}  # traced float parameters
    warm = jnp.maximum(c["warmup"], 0.0)  # T', 0 = no warm-up
    total = jnp.maximum(c["total_steps"], 1.0)  # T, at least one step
    clock = jnp.maximum(t - warm, 0.0)  # base clock: frozen at 0 during warm-up, then t − T'
    base_c = {**c, "total_steps": jnp.maximum(total - warm, 1.0)}  # base horizon T − T'
    base = sched.fn(clock, lr0, base_c)  # α^base at the shifted clock
    ramp = jnp.minimum((t + 1.0) / jnp.where(warm > 0.0, warm, 1.0), 1.0)  # (t+1)/T', capped
    return jnp.where(warm > 0.0, ramp, 1.0) * base  # α'_t


_learning_rate_jit = jax.jit(learning_rate, static_argnums=0)


def _padded_length(steps: int) -> int:
    """Returns the evaluation length for ``steps``: a power of two ≥ 64, to share compiles."""
    return max(64, 1 << max(steps - 1, 0).bit_length())


def schedule_array(
    kind: str | Schedule, lr0: float, steps: int, values: Mapping[str, float] | None = None
) -> np.ndarray:
    r"""Evaluates the schedule at every step ``t = 0, …, steps − 1`` at once.

    Runs through one module-level ``jax.jit`` with the kind static; floats are traced and
    the step axis is padded to a power of two, so neither sliders nor most changes of
    ``steps`` recompile.

    Args:
        kind: Schedule key or :class:`Schedule`.
        lr0: Initial (peak) learning rate :math:`\alpha_0`.
        steps: Number of steps; also the schedule's ``total_steps`` :math:`T`.
        values: Parameter values over the defaults (see :func:`resolve`).

    Returns:
        A float32 numpy array of shape ``(steps,)`` with :math:`\alpha_t`.
    """
    steps = int(steps)
    c = {k: np.float32(v) for k, v in resolve(kind, values, steps).items()}
    t = np.arange(_padded_length(steps), dtype=np.float32)
    lr = _learning_rate_jit(get_schedule(kind), t, np.float32(lr0), c)
    return np.asarray(lr)[:steps]
