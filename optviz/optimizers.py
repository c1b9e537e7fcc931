r"""The optimizers of the notes, each a pair of pure functions ``init`` / ``update``.

Every rule is written in the notes' notation (d2l: η 学习率, γ 动量超参数, s_t, Δx_t; Ng: β₁, β₂)
and carries that LaTeX in its spec, so the app shows exactly the equation the code implements.

Contract of every optimizer:

- ``init(x) -> state``: a ``NamedTuple`` of arrays shaped like the parameters ``x`` (2,).
- ``update(g, state, hp, x, hess) -> (delta, state)``: ``g`` is the (possibly noisy, clipped)
  gradient, ``hp`` a dict of *traced* float32 scalars (so moving a slider never recompiles),
  ``x`` the current point, ``hess`` the 2×2 Hessian (only computed for optimizers that ask for
  it). The new point is ``x + delta``.
- ``observe(state, hp) -> dict``: the internal state a student wants to see (velocity, moments
  and their bias-corrected values, per-coordinate effective learning rate), each of shape (2,).

Boolean switches such as Adam's ``bias_correction`` are passed as 0.0 / 1.0 floats and used
through ``jnp.where``, so flipping them never recompiles either.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import jax.numpy as jnp

from optviz.surfaces import Param

# ----------------------------------------------------------------------------- spec types


@dataclasses.dataclass(frozen=True)
class Optimizer:
    """An optimizer: its pure functions plus everything a page needs to explain it.

    Attributes:
        key: Registry key (``"adam"``).
        name: Display name.
        name_zh: The Chinese name used in the notes.
        params: Float hyperparameters with slider ranges (traced under jit).
        flags: Boolean switches (name, default, help); passed as traced 0/1 floats.
        init: ``init(x) -> state``.
        update: ``update(g, state, hp, x, hess) -> (delta, state)``.
        observe: ``observe(state, hp) -> dict[str, Array(2,)]`` of state worth plotting.
        latex: The update rule in the notes' notation (KaTeX, ``aligned`` environment).
        description: What to notice, in one or two sentences.
        state_symbols: LaTeX symbol of each observed state entry.
        needs_hessian: Whether ``update`` needs the Hessian (Newton's method).
        optax: Name of the matching ``optax`` alias, or ``None`` if optax has none.
    """

    key: str
    name: str
    name_zh: str
    params: tuple[Param, ...]
    init: Callable[[Any], NamedTuple]
    update: Callable[..., tuple[Any, NamedTuple]]
    observe: Callable[[NamedTuple, Mapping[str, Any]], dict[str, Any]]
    latex: str
    description: str
    flags: tuple[tuple[str, bool, str], ...] = ()
    state_symbols: Mapping[str, str] = dataclasses.field(default_factory=dict)
    needs_hessian: bool = False
    optax: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """All hyperparameter names, floats first, then flags."""
        return tuple(p.name for p in self.params) + tuple(f[0] for f in self.flags)

    @functools.cached_property
    def _default_values(self) -> tuple[tuple[str, float | bool], ...]:
        """(name, default) of every hyperparameter, then of every flag."""
        flags = tuple((name, default) for name, default, _ in self.flags)
        return tuple((p.name, p.default) for p in self.params) + flags

    def defaults(self) -> dict[str, float | bool]:
        """Default value of every hyperparameter and flag (a new dict each call)."""
        return dict(self._default_values)

    def resolve(self, hparams: Mapping[str, Any] | None = None) -> dict[str, float | bool]:
        """Merges ``hparams`` over the defaults; unknown names raise ``KeyError``."""
        merged = self.defaults()
        for name, value in (hparams or {}).items():
            if name not in merged:
                known = ", ".join(self.names)
                raise KeyError(f"{self.key} has no hyperparameter {name!r}; it has: {known}")
            merged[name] = bool(value) if isinstance(merged[name], bool) else float(value)
        return merged


def _lr(default: float = 0.1, high: float = 10.0) -> Param:
    """The learning rate η, on a log slider."""
    return Param("lr", r"\eta", default, 1e-4, high, True, "Learning rate η (学习率).")


def _eps(default: float) -> Param:
    """The small constant ε that keeps a division finite."""
    return Param("eps", r"\epsilon", default, 1e-10, 1.0, True, "Numerical-stability constant ε.")


BETA1 = Param("beta1", r"\beta_1", 0.9, 0.0, 0.999, False, "Decay of the first moment β₁.")
BETA2 = Param("beta2", r"\beta_2", 0.999, 0.0, 0.9999, False, "Decay of the second moment β₂.")
WEIGHT_DECAY = Param(
    "weight_decay", r"\lambda", 0.01, 0.0, 1.0, False, "Decoupled weight decay λ (权重衰减)."
)
BIAS_CORRECTION = ("bias_correction", True, "Divide the moments by 1−βᵗ (偏差修正).")


def _sqrt_ratio(num, den):
    """Returns ``num / sqrt(den)`` elementwise."""
    return num / jnp.sqrt(den)


# ----------------------------------------------------------------------------- SGD


class CountState(NamedTuple):
    """State of a stateless rule: just the step counter."""

    count: Any


def _count_init(x):
    """A fresh step counter."""
    del x
    return CountState(count=jnp.zeros([], jnp.int32))


def sgd_update(g, state, hp, x, hess):
    r"""Gradient descent: :math:`x_t = x_{t-1} - \eta g_t`."""
    del x, hess
    return -hp["lr"] * g, CountState(state.count + 1)  # step against the gradient


def sgd_observe(state, hp):
    """Plain SGD has no internal state beyond the learning rate."""
    del state
    return {"effective_lr": jnp.full((2,), hp["lr"])}


# ----------------------------------------------------------------------------- momentum family


class MomentumState(NamedTuple):
    """Velocity of the heavy ball (动量法的速度变量)."""

    count: Any
    velocity: Any


def _momentum_init(x):
    """Velocity v₀ = 0."""
    return MomentumState(jnp.zeros([], jnp.int32), jnp.zeros_like(x))


def momentum_update(g, state, hp, x, hess):
    """Heavy ball; ``dampening`` = γ turns it into Ng's EWMA form."""
    del x, hess
    v = hp["momentum"] * state.velocity + (1.0 - hp["dampening"]) * g  # v_t = γ v_{t-1} + (1-τ) g_t
    return -hp["lr"] * v, MomentumState(state.count + 1, v)  # x_t = x_{t-1} - η v_t


def nesterov_update(g, state, hp, x, hess):
    """Nesterov momentum in PyTorch's (and optax's) form: look ahead along the new velocity."""
    del x, hess
    v = hp["momentum"] * state.velocity + g  # v_t = γ v_{t-1} + g_t
    step = g + hp["momentum"] * v  # look-ahead direction g_t + γ v_t
    return -hp["lr"] * step, MomentumState(state.count + 1, v)


def momentum_observe(state, hp):
    """The velocity v_t."""
    return {"velocity": state.velocity, "effective_lr": jnp.full((2,), hp["lr"])}


# ----------------------------------------------------------------------------- adaptive rates


class SquaredState(NamedTuple):
    """Accumulated or averaged squared gradients s_t."""

    count: Any
    s: Any


def _squared_init(x):
    """s₀ = 0."""
    return SquaredState(jnp.zeros([], jnp.int32), jnp.zeros_like(x))


def adagrad_update(g, state, hp, x, hess):
    """AdaGrad: every coordinate's rate shrinks with its accumulated squared gradient."""
    del x, hess
    s = state.s + g * g  # s_t = s_{t-1} + g_t ⊙ g_t
    return -hp["lr"] * _sqrt_ratio(g, s + hp["eps"]), SquaredState(state.count + 1, s)


def rmsprop_update(g, state, hp, x, hess):
    """RMSProp: an exponentially weighted average of squared gradients instead of a sum."""
    del x, hess
    s = hp["gamma"] * state.s + (1.0 - hp["gamma"]) * g * g  # s_t = γ s_{t-1} + (1-γ) g_t²
    return -hp["lr"] * _sqrt_ratio(g, s + hp["eps"]), SquaredState(state.count + 1, s)


def squared_observe(state, hp):
    """s_t and the per-coordinate effective learning rate η/√(s_t+ε)."""
    return {"s": state.s, "effective_lr": _sqrt_ratio(hp["lr"], state.s + hp["eps"])}


class AdaDeltaState(NamedTuple):
    """AdaDelta's two averages: s_t of g², Δx_t of the squared updates."""

    count: Any
    s: Any
    delta: Any


def _adadelta_init(x):
    """s₀ = Δx₀ = 0."""
    return AdaDeltaState(jnp.zeros([], jnp.int32), jnp.zeros_like(x), jnp.zeros_like(x))


def adadelta_update(g, state, hp, x, hess):
    """AdaDelta (d2l): no learning rate; √(Δx_{t-1}+ε) plays the role of η."""
    del x, hess
    rho, eps = hp["rho"], hp["eps"]
    s = rho * state.s + (1.0 - rho) * g * g  # s_t = ρ s_{t-1} + (1-ρ) g_t²
    g_prime = jnp.sqrt((state.delta + eps) / (s + eps)) * g  # g'_t = √((Δx_{t-1}+ε)/(s_t+ε)) g_t
    delta = rho * state.delta + (1.0 - rho) * g_prime * g_prime  # Δx_t = ρ Δx_{t-1} + (1-ρ) g'²
    return -hp["lr"] * g_prime, AdaDeltaState(state.count + 1, s, delta)


def adadelta_observe(state, hp):
    """s_t, Δx_t and the effective rate √(Δx+ε)/√(s+ε)."""
    rate = jnp.sqrt((state.delta + hp["eps"]) / (state.s + hp["eps"]))  # AdaDelta's own η
    return {"s": state.s, "delta": state.delta, "effective_lr": hp["lr"] * rate}


# ----------------------------------------------------------------------------- Adam family


class AdamState(NamedTuple):
    """Adam's moments: m (the notes' v_t, 一阶矩) and v (the notes' s_t, 二阶矩).

    ``bias`` keeps the last step's correction factors (1-β₁ᵗ, 1-β₂ᵗ), zeros before the first
    step, so the plots read them instead of raising β to every t again after the run.
    """

    count: Any
    m: Any
    v: Any
    bias: Any


class AmsgradState(NamedTuple):
    """Adam's moments plus the running maximum of v̂ (``bias`` as in ``AdamState``)."""

    count: Any
    m: Any
    v: Any
    v_max: Any
    bias: Any


def _adam_init(x):
    """m₀ = v₀ = 0."""
    zeros = jnp.zeros_like(x)
    return AdamState(jnp.zeros([], jnp.int32), zeros, zeros, jnp.zeros(2, jnp.float32))


def _amsgrad_init(x):
    """m₀ = v₀ = v̂_max = 0."""
    zeros = jnp.zeros_like(x)
    return AmsgradState(jnp.zeros([], jnp.int32), zeros, zeros, zeros, jnp.zeros(2, jnp.float32))


def _moments(g, state, hp):
    """Updates both exponentially weighted moments and returns (t, m, v)."""
    t = state.count + 1  # time step t
    m = hp["beta1"] * state.m + (1.0 - hp["beta1"]) * g  # m_t = β₁ m_{t-1} + (1-β₁) g_t
    v = hp["beta2"] * state.v + (1.0 - hp["beta2"]) * g * g  # v_t = β₂ v_{t-1} + (1-β₂) g_t²
    return t, m, v


def _factor(beta, t):
    """The bias-correction factor 1-βᵗ of step t."""
    return 1.0 - beta ** t.astype(jnp.float32)  # a float power: an integer one is a loop


def _factors(hp, t):
    """Both factors (1-β₁ᵗ, 1-β₂ᵗ) of step t, as one vector."""
    return jnp.stack([_factor(hp["beta1"], t), _factor(hp["beta2"], t)])


def _correct(moment, factor, on=1.0):
    """Bias correction m/(1-βᵗ) when ``on`` is true (and the factor > 0), else the moment."""
    safe = jnp.where(factor > 0, factor, 1.0)  # t = 0 or β = 1 edge cases
    return jnp.where(on > 0.5, moment / safe, moment)


def _adam_step(m_hat, v_hat, hp):
    """The Adam direction m̂/(√v̂+ε)."""
    return m_hat / (jnp.sqrt(v_hat) + hp["eps"])


def adam_update(g, state, hp, x, hess):
    """Adam: momentum on g plus RMSProp on g², both bias-corrected."""
    del x, hess
    t, m, v = _moments(g, state, hp)
    bias = _factors(hp, t)  # (1-β₁ᵗ, 1-β₂ᵗ)
    m_hat = _correct(m, bias[0], hp["bias_correction"])  # m̂_t = m_t / (1-β₁ᵗ)
    v_hat = _correct(v, bias[1], hp["bias_correction"])  # v̂_t = v_t / (1-β₂ᵗ)
    return -hp["lr"] * _adam_step(m_hat, v_hat, hp), AdamState(t, m, v, bias)


def adamw_update(g, state, hp, x, hess):
    """AdamW: Adam plus weight decay applied to x directly (decoupled from the gradient)."""
    del hess
    t, m, v = _moments(g, state, hp)
    bias = _factors(hp, t)  # (1-β₁ᵗ, 1-β₂ᵗ)
    m_hat = _correct(m, bias[0])  # bias-corrected first moment
    v_hat = _correct(v, bias[1])  # bias-corrected second moment
    step = _adam_step(m_hat, v_hat, hp) + hp["weight_decay"] * x  # m̂/(√v̂+ε) + λ x
    return -hp["lr"] * step, AdamState(t, m, v, bias)


def amsgrad_update(g, state, hp, x, hess):
    """AMSGrad: divide by the running maximum of v̂, so the step size never grows back."""
    del x, hess
    t, m, v = _moments(g, state, hp)
    bias = _factors(hp, t)  # (1-β₁ᵗ, 1-β₂ᵗ)
    m_hat = _correct(m, bias[0])  # bias-corrected first moment
    v_max = jnp.maximum(state.v_max, _correct(v, bias[1]))  # v̂ₘₐₓ = max(v̂ₘₐₓ, v̂_t)
    return -hp["lr"] * _adam_step(m_hat, v_max, hp), AmsgradState(t, m, v, v_max, bias)


def nadam_update(g, state, hp, x, hess):
    """NAdam: Adam with a Nesterov look-ahead on the first moment (optax's convention)."""
    del x, hess
    t, m, v = _moments(g, state, hp)
    b1 = hp["beta1"]
    bias = _factors(hp, t)  # (1-β₁ᵗ, 1-β₂ᵗ)
    look_ahead = b1 * _correct(m, _factor(b1, t + 1))  # β₁ m_t / (1-β₁^{t+1})
    m_hat = look_ahead + (1.0 - b1) * _correct(g, bias[0])  # + (1-β₁) g_t / (1-β₁ᵗ)
    v_hat = _correct(v, bias[1])  # bias-corrected second moment
    return -hp["lr"] * _adam_step(m_hat, v_hat, hp), AdamState(t, m, v, bias)


def _radam_rho(t, b2):
    """Length ρ_t of the approximated simple moving average, and its limit ρ_∞."""
    rho_inf = 2.0 / (1.0 - b2) - 1.0  # ρ_∞ = 2/(1-β₂) - 1
    b2t = b2 ** t.astype(jnp.float32)  # β₂ᵗ
    return rho_inf - 2.0 * t * b2t / (1.0 - b2t), rho_inf  # ρ_t = ρ_∞ - 2tβ₂ᵗ/(1-β₂ᵗ)


def radam_update(g, state, hp, x, hess):
    """RAdam: plain momentum SGD until the variance estimate is trustworthy (ρ_t ≥ 5)."""
    del x, hess
    t, m, v = _moments(g, state, hp)
    bias = _factors(hp, t)  # (1-β₁ᵗ, 1-β₂ᵗ)
    m_hat = _correct(m, bias[0])  # bias-corrected first moment
    v_hat = _correct(v, bias[1])  # bias-corrected second moment
    rho, rho_inf = _radam_rho(t, hp["beta2"])
    ratio = (rho - 4.0) * (rho - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho)
    r = jnp.sqrt(jnp.maximum(ratio, 0.0))  # variance rectification term r_t
    step = jnp.where(rho >= 5.0, r * _adam_step(m_hat, v_hat, hp), m_hat)
    return -hp["lr"] * step, AdamState(t, m, v, bias)


def adam_observe(state, hp):
    """Moments, bias-corrected moments, correction factors and the effective rate."""
    first = jnp.stack([1.0 - hp["beta1"], 1.0 - hp["beta2"]])  # 1-β¹: shown before step 1
    bias = jnp.where(state.count > 0, state.bias, first)  # (1-β₁ᵗ, 1-β₂ᵗ) of the last step
    on = hp.get("bias_correction", 1.0)
    m_hat = _correct(state.m, bias[0], on)
    v_hat = _correct(state.v, bias[1], on)
    v_used = getattr(state, "v_max", v_hat)  # AMSGrad divides by the running maximum
    return {
        "m": state.m,
        "v": state.v,
        "m_hat": m_hat,
        "v_hat": v_hat,
        "bias_factor": bias,
        "effective_lr": hp["lr"] / (jnp.sqrt(v_used) + hp["eps"]),
    }


# ----------------------------------------------------------------------------- Lion, Newton


class LionState(NamedTuple):
    """Lion keeps only a momentum m."""

    count: Any
    m: Any


def _lion_init(x):
    """m₀ = 0."""
    return LionState(jnp.zeros([], jnp.int32), jnp.zeros_like(x))


def lion_update(g, state, hp, x, hess):
    """Lion: the sign of an interpolated momentum, so every coordinate moves by exactly η."""
    del hess
    c = jnp.sign(hp["beta1"] * state.m + (1.0 - hp["beta1"]) * g)  # c_t = sign(β₁m + (1-β₁)g)
    m = hp["beta2"] * state.m + (1.0 - hp["beta2"]) * g  # m_t = β₂ m_{t-1} + (1-β₂) g_t
    return -hp["lr"] * (c + hp["weight_decay"] * x), LionState(state.count + 1, m)


def lion_observe(state, hp):
    """Lion's momentum."""
    return {"m": state.m, "effective_lr": jnp.full((2,), hp["lr"])}


def newton_update(g, state, hp, x, hess):
    """Damped Newton: solve (H + δI) Δ = g with the exact 2×2 Hessian."""
    del x
    a = hess + hp["damping"] * jnp.eye(2, dtype=g.dtype)  # H + δI
    det = a[0, 0] * a[1, 1] - a[0, 1] * a[1, 0]  # determinant of the 2×2 system
    inv = jnp.array([[a[1, 1], -a[0, 1]], [-a[1, 0], a[0, 0]]]) / det  # (H + δI)⁻¹
    return -hp["lr"] * inv @ g, CountState(state.count + 1)  # x_t = x_{t-1} - η (H+δI)⁻¹ g_t


# ----------------------------------------------------------------------------- the registry

MOMENTUM = Param("momentum", r"\gamma", 0.9, 0.0, 0.999, False, "Momentum γ (动量超参数).")

OPTIMIZERS: dict[str, Optimizer] = {
    o.key: o
    for o in (
        Optimizer(
            key="sgd",
            name="SGD",
            name_zh="梯度下降",
            params=(_lr(0.1),),
            init=_count_init,
            update=sgd_update,
            observe=sgd_observe,
            latex=r"x_t \leftarrow x_{t-1} - \eta\, g_t",
            description="Steps straight down the current slope; one rate for every direction.",
            optax="sgd",
        ),
        Optimizer(
            key="momentum",
            name="Momentum",
            name_zh="动量法",
            params=(
                _lr(0.05),
                MOMENTUM,
                Param(
                    "dampening",
                    r"\tau",
                    0.0,
                    0.0,
                    0.999,
                    False,
                    "0: heavy ball v=γv+g (d2l); τ=γ: Ng's average v=βv+(1-β)g.",
                ),
            ),
            init=_momentum_init,
            update=momentum_update,
            observe=momentum_observe,
            latex=(
                r"\begin{aligned} v_t &\leftarrow \gamma\, v_{t-1} + (1-\tau)\, g_t \\"
                r" x_t &\leftarrow x_{t-1} - \eta\, v_t \end{aligned}"
            ),
            description=(
                "The velocity v averages past gradients: components that keep their sign add up, "
                "components that flip cancel, so zig-zags are damped."
            ),
            state_symbols={"velocity": "v_t"},
            optax="sgd",
        ),
        Optimizer(
            key="nesterov",
            name="Nesterov",
            name_zh="Nesterov 加速梯度",
            params=(_lr(0.05), MOMENTUM),
            init=_momentum_init,
            update=nesterov_update,
            observe=momentum_observe,
            latex=(
                r"\begin{aligned} v_t &\leftarrow \gamma\, v_{t-1} + g_t \\"
                r" x_t &\leftarrow x_{t-1} - \eta\,(g_t + \gamma\, v_t) \end{aligned}"
            ),
            description="Momentum that looks one step ahead, so it brakes before overshooting.",
            state_symbols={"velocity": "v_t"},
            optax="sgd",
        ),
        Optimizer(
            key="adagrad",
            name="AdaGrad",
            name_zh="AdaGrad 算法",
            params=(_lr(0.5), _eps(1e-6)),
            init=_squared_init,
            update=adagrad_update,
            observe=squared_observe,
            latex=(
                r"\begin{aligned} s_t &\leftarrow s_{t-1} + g_t \odot g_t \\"
                r" x_t &\leftarrow x_{t-1} - \frac{\eta}{\sqrt{s_t + \epsilon}} \odot g_t"
                r" \end{aligned}"
            ),
            description=(
                "Each coordinate gets its own rate η/√s; s only grows, so the rates only shrink "
                "and a run can stall before the minimum."
            ),
            state_symbols={"s": "s_t"},
            optax="adagrad",
        ),
        Optimizer(
            key="rmsprop",
            name="RMSProp",
            name_zh="RMSProp 算法",
            params=(
                _lr(0.05),
                Param("gamma", r"\gamma", 0.9, 0.0, 0.999, False, "Decay γ of the average of g²."),
                _eps(1e-6),
            ),
            init=_squared_init,
            update=rmsprop_update,
            observe=squared_observe,
            latex=(
                r"\begin{aligned} s_t &\leftarrow \gamma\, s_{t-1} + (1-\gamma)\, g_t \odot g_t"
                r" \\ x_t &\leftarrow x_{t-1} - \frac{\eta}{\sqrt{s_t + \epsilon}} \odot g_t"
                r" \end{aligned}"
            ),
            description=(
                "Like AdaGrad, but s forgets: it averages roughly the last 1/(1-γ) squared "
                "gradients, so the rates can grow again."
            ),
            state_symbols={"s": "s_t"},
            optax="rmsprop",
        ),
        Optimizer(
            key="adadelta",
            name="AdaDelta",
            name_zh="AdaDelta 算法",
            params=(
                Param("rho", r"\rho", 0.9, 0.0, 0.999, False, "Decay ρ of both averages."),
                _eps(1e-5),
                Param("lr", r"\eta", 1.0, 1e-3, 100.0, True, "Multiplier of the step (d2l: 1)."),
            ),
            init=_adadelta_init,
            update=adadelta_update,
            observe=adadelta_observe,
            latex=(
                r"\begin{aligned} s_t &\leftarrow \rho\, s_{t-1} + (1-\rho)\, g_t \odot g_t \\"
                r" g'_t &\leftarrow \sqrt{\frac{\Delta x_{t-1} + \epsilon}{s_t + \epsilon}}"
                r" \odot g_t \\ x_t &\leftarrow x_{t-1} - g'_t \\"
                r" \Delta x_t &\leftarrow \rho\, \Delta x_{t-1} + (1-\rho)\, g'_t \odot g'_t"
                r" \end{aligned}"
            ),
            description=(
                "No learning rate: √(Δx+ε) — the size of recent steps — replaces η. It starts "
                "tiny and grows as the steps do."
            ),
            state_symbols={"s": "s_t", "delta": r"\Delta x_t"},
            optax="adadelta",
        ),
        Optimizer(
            key="adam",
            name="Adam",
            name_zh="Adam 算法",
            params=(_lr(0.1), BETA1, BETA2, _eps(1e-8)),
            flags=(BIAS_CORRECTION,),
            init=_adam_init,
            update=adam_update,
            observe=adam_observe,
            latex=(
                r"\begin{aligned} v_t &\leftarrow \beta_1 v_{t-1} + (1-\beta_1)\, g_t \\"
                r" s_t &\leftarrow \beta_2 s_{t-1} + (1-\beta_2)\, g_t \odot g_t \\"
                r" \hat v_t &\leftarrow \frac{v_t}{1-\beta_1^t},\quad"
                r" \hat s_t \leftarrow \frac{s_t}{1-\beta_2^t} \\"
                r" x_t &\leftarrow x_{t-1} - \frac{\eta\, \hat v_t}{\sqrt{\hat s_t} + \epsilon}"
                r" \end{aligned}"
            ),
            description=(
                "Momentum on the gradient (v) and RMSProp on its square (s), both divided by "
                "1-βᵗ so the first steps are not too small (偏差修正)."
            ),
            state_symbols={"m": "v_t", "v": "s_t", "m_hat": r"\hat v_t", "v_hat": r"\hat s_t"},
            optax="adam",
        ),
        Optimizer(
            key="adamw",
            name="AdamW",
            name_zh="AdamW（解耦权重衰减）",
            params=(_lr(0.1), BETA1, BETA2, _eps(1e-8), WEIGHT_DECAY),
            init=_adam_init,
            update=adamw_update,
            observe=adam_observe,
            latex=(
                r"\begin{aligned} \hat v_t, \hat s_t &\ \text{as in Adam} \\"
                r" x_t &\leftarrow x_{t-1} - \eta\left(\frac{\hat v_t}{\sqrt{\hat s_t} + \epsilon}"
                r" + \lambda\, x_{t-1}\right) \end{aligned}"
            ),
            description=(
                "Weight decay shrinks x directly instead of being added to the gradient; with "
                "Adam the two are not the same (权重衰减 ≠ L2 正则化)."
            ),
            state_symbols={"m": "v_t", "v": "s_t", "m_hat": r"\hat v_t", "v_hat": r"\hat s_t"},
            optax="adamw",
        ),
        Optimizer(
            key="amsgrad",
            name="AMSGrad",
            name_zh="AMSGrad",
            params=(_lr(0.1), BETA1, BETA2, _eps(1e-8)),
            init=_amsgrad_init,
            update=amsgrad_update,
            observe=adam_observe,
            latex=(
                r"\begin{aligned} \hat s^{\max}_t &\leftarrow \max(\hat s^{\max}_{t-1}, \hat s_t)"
                r" \\ x_t &\leftarrow x_{t-1} - \frac{\eta\, \hat v_t}{\sqrt{\hat s^{\max}_t}"
                r" + \epsilon} \end{aligned}"
            ),
            description="Adam whose denominator never shrinks, so its step sizes never grow back.",
            state_symbols={"m": "v_t", "v": "s_t", "m_hat": r"\hat v_t", "v_hat": r"\hat s_t"},
            optax="amsgrad",
        ),
        Optimizer(
            key="nadam",
            name="NAdam",
            name_zh="NAdam",
            params=(_lr(0.1), BETA1, BETA2, _eps(1e-8)),
            init=_adam_init,
            update=nadam_update,
            observe=adam_observe,
            latex=(
                r"\begin{aligned} \hat v_t &\leftarrow \frac{\beta_1 v_t}{1-\beta_1^{t+1}}"
                r" + \frac{(1-\beta_1)\, g_t}{1-\beta_1^t} \\"
                r" x_t &\leftarrow x_{t-1} - \frac{\eta\, \hat v_t}{\sqrt{\hat s_t} + \epsilon}"
                r" \end{aligned}"
            ),
            description="Adam with Nesterov's look-ahead applied to the first moment.",
            state_symbols={"m": "v_t", "v": "s_t", "m_hat": r"\hat v_t", "v_hat": r"\hat s_t"},
            optax="nadam",
        ),
        Optimizer(
            key="radam",
            name="RAdam",
            name_zh="RAdam",
            params=(_lr(0.1), BETA1, BETA2, _eps(1e-8)),
            init=_adam_init,
            update=radam_update,
            observe=adam_observe,
            latex=(
                r"\begin{aligned} \rho_t &= \rho_\infty - \frac{2t\beta_2^t}{1-\beta_2^t},\quad"
                r" r_t = \sqrt{\tfrac{(\rho_t-4)(\rho_t-2)\rho_\infty}"
                r"{(\rho_\infty-4)(\rho_\infty-2)\rho_t}} \\"
                r" x_t &\leftarrow x_{t-1} - \eta \begin{cases} r_t\, \hat v_t / (\sqrt{\hat s_t}"
                r" + \epsilon) & \rho_t \ge 5 \\ \hat v_t & \text{otherwise} \end{cases}"
                r" \end{aligned}"
            ),
            description=(
                "Rectified Adam: a built-in warm-up. Early on, when s is estimated from a handful "
                "of gradients, it takes plain momentum steps."
            ),
            state_symbols={"m": "v_t", "v": "s_t", "m_hat": r"\hat v_t", "v_hat": r"\hat s_t"},
            optax="radam",
        ),
        Optimizer(
            key="lion",
            name="Lion",
            name_zh="Lion",
            params=(
                _lr(0.02, high=1.0),
                BETA1,
                dataclasses.replace(BETA2, default=0.99),
                dataclasses.replace(WEIGHT_DECAY, default=0.0),
            ),
            init=_lion_init,
            update=lion_update,
            observe=lion_observe,
            latex=(
                r"\begin{aligned} c_t &\leftarrow \operatorname{sign}(\beta_1 m_{t-1}"
                r" + (1-\beta_1)\, g_t) \\ x_t &\leftarrow x_{t-1} - \eta\,(c_t + \lambda x_{t-1})"
                r" \\ m_t &\leftarrow \beta_2 m_{t-1} + (1-\beta_2)\, g_t \end{aligned}"
            ),
            description="Only the sign of the momentum counts: each coordinate moves by exactly η.",
            state_symbols={"m": "m_t"},
            optax="lion",
        ),
        Optimizer(
            key="newton",
            name="Newton",
            name_zh="牛顿法",
            params=(
                _lr(1.0, high=2.0),
                Param("damping", r"\delta", 0.0, 0.0, 10.0, False, "Damping δ added to H."),
            ),
            init=_count_init,
            update=newton_update,
            observe=sgd_observe,
            latex=r"x_t \leftarrow x_{t-1} - \eta\,(H_t + \delta I)^{-1} g_t",
            description=(
                "Uses the curvature (Hessian H): one step to the minimum of a quadratic, but "
                "attracted to saddle points as well."
            ),
            needs_hessian=True,
        ),
    )
}


def get_optimizer(optimizer: str | Optimizer) -> Optimizer:
    """Returns the registered optimizer named ``optimizer`` (or ``optimizer`` itself)."""
    if isinstance(optimizer, Optimizer):
        return optimizer
    try:
        return OPTIMIZERS[optimizer]
    except KeyError:
        known = ", ".join(OPTIMIZERS)
        raise KeyError(f"unknown optimizer {optimizer!r}; choose one of: {known}") from None
