"""Tests for optviz.schedules: formulas, warm-up, restarts, tracing and optax agreement."""

from __future__ import annotations

import collections
import math

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optviz import schedules
from optviz.schedules import SCHEDULES, learning_rate, resolve, schedule_array

LR0 = 0.8
STEPS = 120

_jit_lr = jax.jit(learning_rate, static_argnums=0)


def _jitted(kind, lr0, steps, values=None, t=None):
    """Evaluates ``kind`` under ``jax.jit`` at steps ``t`` (default ``0 … steps − 1``)."""
    c = {k: jnp.float32(v) for k, v in resolve(kind, values, steps).items()}
    t = np.arange(steps, dtype=np.float32) if t is None else np.asarray(t, np.float32)
    return np.asarray(_jit_lr(kind, t, jnp.float32(lr0), c))


# ----------------------------------------------------------------------------- numpy references
# Written from the formulas independently of the module: loops and explicit cycles.


def ref_constant(lr0, steps, p):
    """Constant reference."""
    return np.full(steps, lr0)


def ref_step(lr0, steps, p):
    """Step decay: multiply by gamma whenever another step_size steps have passed."""
    out, lr = [], lr0
    for t in range(steps):
        if t > 0 and t % int(p["step_size"]) == 0:
            lr *= p["gamma"]
        out.append(lr)
    return np.array(out)


def ref_inverse_time(lr0, steps, p):
    """Inverse-time decay α0 / (1 + β t)."""
    return np.array([lr0 / (1.0 + p["beta"] * t) for t in range(steps)])


def ref_exponential(lr0, steps, p):
    """Exponential decay: multiply by β once per step."""
    out, lr = [], lr0
    for _ in range(steps):
        out.append(lr)
        lr *= p["beta"]
    return np.array(out)


def ref_natural_exp(lr0, steps, p):
    """Natural exponential decay α0 exp(−β t)."""
    return np.array([lr0 * math.exp(-p["beta"] * t) for t in range(steps)])


def ref_inv_sqrt(lr0, steps, p):
    """Inverse square root α0 / sqrt(t + 1)."""
    return np.array([lr0 / math.sqrt(t + 1) for t in range(steps)])


def ref_cosine(lr0, steps, p, total=None):
    """Cosine decay to lr_min over ``total`` steps, flat afterwards."""
    total = steps if total is None else total
    lo = p["lr_min"]
    return np.array(
        [
            lo + 0.5 * (lr0 - lo) * (1 + math.cos(math.pi * min(t, total) / total))
            for t in range(steps)
        ]
    )


def ref_cyclic(lr0, steps, p):
    """Triangle wave: up from lr_min to lr0 in ΔT steps, then down in ΔT steps."""
    half, lo = int(p["step_size"]), p["lr_min"]
    out = []
    for t in range(steps):
        pos = t % (2 * half)  # position in the current cycle
        frac = pos / half if pos <= half else (2 * half - pos) / half
        out.append(lo + (lr0 - lo) * frac)
    return np.array(out)


def ref_sgdr(lr0, steps, p):
    """Cosine restarts built by walking the cycles one by one."""
    lo, length, start = p["lr_min"], float(p["period"]), 0.0
    out = []
    for t in range(steps):
        while t >= start + length:  # move on to the next cycle
            start += length
            length *= p["t_mult"]
        out.append(lo + 0.5 * (lr0 - lo) * (1 + math.cos(math.pi * (t - start) / length)))
    return np.array(out)


REFERENCES = {
    "constant": ref_constant,
    "step": ref_step,
    "inverse_time": ref_inverse_time,
    "exponential": ref_exponential,
    "natural_exp": ref_natural_exp,
    "inv_sqrt": ref_inv_sqrt,
    "cosine": ref_cosine,
    "cyclic": ref_cyclic,
    "sgdr": ref_sgdr,
}

CASES = [
    ("constant", {}),
    ("step", {}),
    ("step", {"gamma": 0.3, "step_size": 7.0}),
    ("inverse_time", {}),
    ("inverse_time", {"beta": 2.5}),
    ("exponential", {}),
    ("exponential", {"beta": 0.9}),
    ("natural_exp", {}),
    ("natural_exp", {"beta": 0.2}),
    ("inv_sqrt", {}),
    ("cosine", {}),
    ("cosine", {"lr_min": 0.1}),
    ("cyclic", {}),
    ("cyclic", {"lr_min": 0.2, "step_size": 7.0}),
    ("sgdr", {}),
    ("sgdr", {"period": 10.0, "t_mult": 2.0, "lr_min": 0.05}),
    ("sgdr", {"period": 8.0, "t_mult": 1.5}),
    ("sgdr", {"period": 3.0, "t_mult": 3.0}),
]


def test_every_schedule_has_a_reference_and_a_case():
    """The registry, the references and the cases cover the same kinds."""
    assert set(SCHEDULES) == set(REFERENCES) == {kind for kind, _ in CASES}


@pytest.mark.parametrize(("kind", "values"), CASES)
def test_matches_numpy_reference_under_jit(kind, values):
    """Every schedule matches its hand-written numpy reference, jitted and via schedule_array."""
    p = resolve(kind, values, STEPS)
    want = REFERENCES[kind](LR0, STEPS, p)
    np.testing.assert_allclose(_jitted(kind, LR0, STEPS, values), want, rtol=2e-5, atol=1e-6)
    np.testing.assert_allclose(schedule_array(kind, LR0, STEPS, values), want, rtol=2e-5, atol=1e-6)


@pytest.mark.parametrize("kind", list(SCHEDULES))
def test_scalar_t_equals_vector_t(kind):
    """A scalar step gives the same value as the same step inside a vector of steps."""
    vector = _jitted(kind, LR0, STEPS)
    for t in (0, 1, 17, 59, STEPS - 1):
        scalar = _jitted(kind, LR0, STEPS, t=float(t))
        assert scalar.shape == ()
        np.testing.assert_allclose(scalar, vector[t], rtol=1e-6)


# ----------------------------------------------------------------------------- warm-up


@pytest.mark.parametrize("kind", list(SCHEDULES))
def test_warmup_ramps_linearly_then_joins_the_shifted_base(kind):
    """Warm-up climbs (t+1)/T' · α_base(0), then runs the base on clock t − T', horizon T − T'."""
    warm, total = 15, STEPS
    with_warm = _jitted(kind, LR0, total, {"warmup": float(warm)})
    base = _jitted(kind, LR0, total - warm)  # base schedule over the shortened horizon
    ramp = (np.arange(warm) + 1.0) / warm * base[0]
    np.testing.assert_allclose(with_warm[:warm], ramp, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(with_warm[warm:], base, rtol=1e-5, atol=1e-7)


def test_warmup_ramp_values_for_cosine():
    """Concrete numbers: T' = 4, α0 = 1 ramps 0.25, 0.5, 0.75, 1, then cosine starts at 1."""
    lr = _jitted("cosine", 1.0, 24, {"warmup": 4.0})
    np.testing.assert_allclose(lr[:5], [0.25, 0.5, 0.75, 1.0, 1.0], rtol=1e-6)
    want_tail = ref_cosine(1.0, 20, {"lr_min": 0.0}, total=20)
    np.testing.assert_allclose(lr[4:], want_tail, rtol=1e-5, atol=1e-7)
    assert lr[5] < 1.0  # decay starts right after the warm-up


@pytest.mark.parametrize("kind", list(SCHEDULES))
def test_zero_warmup_is_the_base_schedule(kind):
    """A warm-up of 0 leaves every schedule exactly unchanged."""
    p = resolve(kind, None, STEPS)
    c = {k: jnp.float32(v) for k, v in p.items()}
    t = jnp.arange(STEPS, dtype=jnp.float32)
    base = SCHEDULES[kind].fn(t, jnp.float32(LR0), c)
    got = _jitted(kind, LR0, STEPS, {"warmup": 0.0})
    np.testing.assert_allclose(got, np.asarray(base), rtol=1e-5, atol=1e-7)  # jit vs eager: ulps


# ----------------------------------------------------------------------------- shapes of the curves


def test_cosine_hits_lr_min_at_T_and_stays():
    """Cosine decay reaches lr_min exactly at t = T and stays there."""
    total, lo = 50, 0.05
    lr = _jitted("cosine", LR0, total, {"lr_min": lo}, t=[0, total // 2, total, total + 7])
    np.testing.assert_allclose(lr, [LR0, 0.5 * (LR0 + lo), lo, lo], rtol=1e-6)
    curve = _jitted("cosine", LR0, total, {"lr_min": lo})
    assert np.all(np.diff(curve) < 0)  # strictly decreasing before T


def test_cyclic_is_periodic_and_peaks_at_lr0():
    """The triangle has period 2ΔT, peaks at α0 at odd multiples of ΔT, bottoms at lr_min."""
    half, lo = 9, 0.1
    lr = _jitted("cyclic", LR0, 200, {"step_size": float(half), "lr_min": lo})
    np.testing.assert_allclose(lr[2 * half :], lr[: -2 * half], rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(lr[half :: 2 * half], LR0, rtol=1e-6)
    np.testing.assert_allclose(lr[:: 2 * half], lo, rtol=1e-6)
    assert lr.max() == pytest.approx(LR0) and lr.min() == pytest.approx(lo)
    assert not np.allclose(lr[half:], lr[:-half])  # half a period is not a period


def test_sgdr_restarts_every_period_with_t_mult_1():
    """With t_mult = 1 the learning rate jumps back to α0 at every multiple of T0."""
    period = 12
    lr = _jitted("sgdr", LR0, 100, {"period": float(period), "t_mult": 1.0})
    np.testing.assert_allclose(lr[::period], LR0, rtol=1e-6)
    assert np.all(lr[period - 1 :: period] < 0.05 * LR0)  # just before each restart: near 0
    np.testing.assert_allclose(lr[period:], lr[:-period], rtol=1e-5, atol=1e-7)


def test_sgdr_restarts_at_T0_and_3T0_with_t_mult_2():
    """With t_mult = 2 the cycles last T0, 2T0, 4T0: restarts at 0, T0, 3T0, 7T0."""
    period = 10
    lr = _jitted("sgdr", LR0, 80, {"period": float(period), "t_mult": 2.0})
    restarts = [0, period, 3 * period, 7 * period]
    np.testing.assert_allclose(lr[restarts], LR0, rtol=1e-6)
    others = np.setdiff1d(np.arange(80), restarts)
    assert np.all(lr[others] < LR0 * (1 - 1e-4))
    # Half-way through the second cycle (length 2T0) the cosine is at its middle.
    assert lr[period + period] == pytest.approx(0.5 * LR0, rel=1e-5)


@settings(max_examples=60, deadline=None)
@given(
    period=st.integers(1, 20),
    t_mult=st.sampled_from([1.0, 1.1, 1.25, 1.5, 2.0, 3.0]),
)
def test_sgdr_lands_exactly_on_every_restart(period, t_mult):
    """The closed-form cycle index never misses a restart, whatever T0 and t_mult."""
    starts, length, start = [], float(period), 0.0
    while start < 400:
        starts.append(start)
        start += length
        length *= t_mult
    integral = [s for s in starts if s == int(s)]
    lr = _jitted("sgdr", LR0, 400, {"period": float(period), "t_mult": t_mult}, t=integral)
    np.testing.assert_allclose(lr, LR0, rtol=1e-6)


@pytest.mark.parametrize(
    ("period", "t_mult", "restart"),
    [(10.0, 1.1, 21.0), (3.0, 3.0, 39.0), (40.0, 1.1, 84.0)],
)
def test_sgdr_cycle_index_survives_float_rounding(period, t_mult, restart):
    """Restarts where log(…)/log(t_mult) rounds down (10, 1.1) or start() rounds up (3, 3)."""
    lr = _jitted("sgdr", LR0, 200, {"period": period, "t_mult": t_mult}, t=[restart - 1, restart])
    assert lr[1] == pytest.approx(LR0, rel=1e-6)
    assert lr[0] < 0.05 * LR0  # the step before: near the bottom of the old cycle


# ----------------------------------------------------------------------------- tracing


def _every_float_variant(kind):
    """Yields (lr0, values) pairs that change each float parameter, one at a time."""
    yield LR0, {}
    yield 0.3, {}
    for param in SCHEDULES[kind].params:
        new = param.low + 0.37 * (param.high - param.low)
        if new == param.default:
            new = param.high
        yield LR0, {param.name: new}
    yield LR0, {"warmup": 7.0}
    yield LR0, {"total_steps": 70.0}  # same 128-step bucket as 100


def test_changing_any_float_never_retraces():
    """One trace per kind while lr0, total_steps, warmup and every parameter change."""
    traces = collections.Counter()

    def counted(kind, t, lr0, c):
        traces[kind] += 1  # runs only while jax traces
        return learning_rate(kind, t, lr0, c)

    f = jax.jit(counted, static_argnums=0)
    t = jnp.arange(STEPS, dtype=jnp.float32)
    for kind in SCHEDULES:
        outputs = []
        for lr0, values in _every_float_variant(kind):
            total = values.pop("total_steps", STEPS)
            c = {k: jnp.float32(v) for k, v in resolve(kind, values, total).items()}
            outputs.append(np.asarray(f(kind, t, jnp.float32(lr0), c)))
        assert traces[kind] == 1, kind
        # Every own parameter, lr0 and warmup really reach the output (none is ignored).
        for i, out in enumerate(outputs[1:-1], start=1):
            assert not np.allclose(out, outputs[0]), (kind, i)


def test_schedule_array_does_not_recompile_on_floats_or_nearby_steps():
    """The module-level jit's cache does not grow when floats or steps (same bucket) change."""
    jitted = schedules._learning_rate_jit
    for kind in SCHEDULES:
        schedule_array(kind, LR0, 100)
    size = jitted._cache_size()
    for kind in SCHEDULES:
        for lr0, values in _every_float_variant(kind):
            steps = int(values.pop("total_steps", 100))
            out = schedule_array(kind, lr0, steps, values)
            assert out.shape == (steps,) and out.dtype == np.float32
        schedule_array(kind, LR0, 90)
        schedule_array(kind, LR0, 128)
    assert jitted._cache_size() == size


# ----------------------------------------------------------------------------- optax agreement


def _optax_curve(schedule, steps):
    """Evaluates an optax schedule at t = 0 … steps − 1."""
    return np.array([float(schedule(t)) for t in range(steps)])


@pytest.mark.parametrize("lo", [0.0, 0.2])
def test_cosine_matches_optax(lo):
    """Schedule cosine ≡ optax.cosine_decay_schedule with alpha = lr_min / α0, including past T."""
    total = 60
    want = _optax_curve(optax.cosine_decay_schedule(LR0, total, alpha=lo / LR0), total + 10)
    got = _jitted("cosine", LR0, total, {"lr_min": lo}, t=np.arange(total + 10))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("beta", [0.99, 0.9])
def test_exponential_matches_optax(beta):
    """Schedule exponential ≡ optax.exponential_decay with one transition per step."""
    want = _optax_curve(optax.exponential_decay(LR0, 1, beta), STEPS)
    np.testing.assert_allclose(_jitted("exponential", LR0, STEPS, {"beta": beta}), want, rtol=2e-5)


def test_natural_exp_matches_optax():
    """natural_exp ≡ optax.exponential_decay with decay_rate = e^{−β}."""
    beta = 0.07
    want = _optax_curve(optax.exponential_decay(LR0, 1, math.exp(-beta)), STEPS)
    np.testing.assert_allclose(_jitted("natural_exp", LR0, STEPS, {"beta": beta}), want, rtol=2e-5)


def test_step_matches_optax_staircase():
    """Schedule step ≡ optax.exponential_decay(staircase=True) with transition_steps = step_size."""
    want = _optax_curve(optax.exponential_decay(LR0, 13, 0.4, staircase=True), STEPS)
    got = _jitted("step", LR0, STEPS, {"gamma": 0.4, "step_size": 13.0})
    np.testing.assert_allclose(got, want, rtol=1e-6)


@pytest.mark.parametrize("t_mult", [1.0, 2.0])
def test_sgdr_matches_optax(t_mult):
    """Schedule sgdr ≡ optax.sgdr_schedule with cycles of T0 · t_mult^i and no per-cycle warm-up."""
    period, lo = 10, 0.1
    cycles = [
        dict(
            init_value=LR0,
            peak_value=LR0,
            warmup_steps=0,
            decay_steps=int(period * t_mult**i),
            end_value=lo,
        )
        for i in range(4)
    ]
    n = sum(c["decay_steps"] for c in cycles)
    want = _optax_curve(optax.sgdr_schedule(cycles), n)
    got = _jitted("sgdr", LR0, n, {"period": float(period), "t_mult": t_mult, "lr_min": lo})
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)


def test_warmup_cosine_matches_optax_with_our_one_step_ramp_offset():
    """Warm-up cosine ≡ optax.warmup_cosine_decay_schedule(0, α0, T', T, lr_min).

    After the warm-up the two agree step for step. During it optax uses t/T' (step 0 is
    wasted at learning rate 0) and we use (t+1)/T', i.e. optax one step later.
    """
    warm, total, lo = 12, 80, 0.05
    opt = optax.warmup_cosine_decay_schedule(0.0, LR0, warm, total, end_value=lo)
    want = _optax_curve(opt, total + 6)
    got = _jitted(
        "cosine", LR0, total, {"warmup": float(warm), "lr_min": lo}, t=np.arange(total + 6)
    )
    np.testing.assert_allclose(got[warm:], want[warm:], rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(got[:warm], want[1 : warm + 1], rtol=1e-5, atol=1e-7)
    assert got[total] == pytest.approx(lo)


def test_warmup_exponential_matches_optax():
    """Warm-up exponential ≡ optax.warmup_exponential_decay_schedule after the warm-up."""
    warm, beta = 10, 0.97
    opt = optax.warmup_exponential_decay_schedule(0.0, LR0, warm, 1, beta)
    want = _optax_curve(opt, STEPS)
    got = _jitted("exponential", LR0, STEPS, {"warmup": float(warm), "beta": beta})
    np.testing.assert_allclose(got[warm:], want[warm:], rtol=2e-5)
    np.testing.assert_allclose(got[:warm], want[1 : warm + 1], rtol=2e-5)


# ----------------------------------------------------------------------------- numerics


@st.composite
def _slider_values(draw, kind):
    """Draws every parameter of ``kind`` from its slider range, plus warmup and T."""
    values = {
        p.name: draw(st.floats(p.low, p.high, allow_nan=False)) for p in SCHEDULES[kind].params
    }
    values["warmup"] = draw(st.floats(0.0, 200.0))
    return values


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from(sorted(SCHEDULES)),
    data=st.data(),
    lr0=st.floats(1e-4, 10.0),
    total=st.integers(1, 300),
)
def test_slider_ranges_give_finite_bounded_rates(kind, data, lr0, total):
    """Anywhere on the sliders the rate is finite, ≥ 0 and never above max(α0, α_min)."""
    values = data.draw(_slider_values(kind))
    lr = schedule_array(kind, lr0, total, values)
    assert np.all(np.isfinite(lr))
    top = max(lr0, values.get("lr_min", 0.0))
    assert np.all(lr >= 0.0) and np.all(lr <= top * (1 + 1e-5) + 1e-7)


@pytest.mark.parametrize(
    ("kind", "values"),
    [
        ("step", {"step_size": 0.0, "gamma": 0.0}),
        ("step", {"step_size": -3.0, "gamma": -0.5}),
        ("exponential", {"beta": 0.0}),
        ("exponential", {"beta": -0.5}),
        ("exponential", {"beta": 1.5}),
        ("inverse_time", {"beta": -1.0}),
        ("cosine", {"lr_min": 2.0}),
        ("cyclic", {"step_size": 0.0}),
        ("cyclic", {"step_size": 0.4}),
        ("sgdr", {"period": 0.0, "t_mult": 0.5}),
        ("sgdr", {"period": 0.3, "t_mult": 1.0000001}),
        ("sgdr", {"period": 1.0, "t_mult": 10.0}),
        ("cosine", {"warmup": 500.0}),
        ("sgdr", {"warmup": 0.5}),
    ],
)
def test_degenerate_parameters_never_give_nan(kind, values):
    """Out-of-range parameters are clamped: no NaN at any t ≥ 0, even with T = 0."""
    for total in (0, 1, 300):
        lr = _jitted(kind, LR0, total, values, t=np.arange(300))
        assert not np.any(np.isnan(lr)), (kind, values, total)


def test_exponential_beta_zero_keeps_step_zero():
    """0^0 = 1: with β = 0 step 0 still uses α0 and every later step 0."""
    lr = _jitted("exponential", LR0, 5, {"beta": 0.0})
    np.testing.assert_allclose(lr, [LR0, 0, 0, 0, 0], rtol=1e-7, atol=0)


# ----------------------------------------------------------------------------- registry and API


def test_resolve_merges_defaults_and_common_parameters():
    """Defaults are merged, warmup and total_steps always present, the argument T wins."""
    got = resolve("cosine", {"lr_min": 0.1}, 40)
    assert got == {"lr_min": 0.1, "warmup": 0.0, "total_steps": 40.0}
    assert resolve("constant", None, 7) == {"warmup": 0.0, "total_steps": 7.0}
    assert resolve("sgdr", resolve("sgdr", {"t_mult": 2}, 40), 90)["total_steps"] == 90.0
    assert resolve("sgdr", resolve("sgdr", {"t_mult": 2}, 40), 90)["t_mult"] == 2.0


def test_resolve_rejects_unknown_names():
    """Unknown parameters and unknown kinds raise KeyError."""
    with pytest.raises(KeyError, match="no parameter 'beta'"):
        resolve("cosine", {"beta": 0.5}, 10)
    with pytest.raises(KeyError, match="unknown schedule"):
        resolve("linear", None, 10)
    with pytest.raises(KeyError):
        schedule_array("nope", 0.1, 10)


@pytest.mark.parametrize("kind", list(SCHEDULES))
def test_registry_entries_are_complete(kind):
    """Each schedule carries a Chinese name, LaTeX with α, a sentence and sane sliders."""
    s = SCHEDULES[kind]
    assert s.key == kind and s.name and s.description.endswith(".")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in s.name_zh)
    assert r"\alpha" in s.latex and "_t" in s.latex
    for p in s.params:
        assert p.low <= p.default <= p.high and p.help
        assert not p.log or p.low > 0
        assert p.name not in ("warmup", "total_steps")


@pytest.mark.parametrize("steps", [1, 63, 64, 65, 200])
def test_schedule_array_shape_and_padding(steps):
    """Any step count gives shape (steps,) and the same values as an unpadded evaluation."""
    got = schedule_array("cosine", LR0, steps, {"lr_min": 0.01})
    assert got.shape == (steps,) and got.dtype == np.float32
    np.testing.assert_allclose(got, _jitted("cosine", LR0, steps, {"lr_min": 0.01}), rtol=1e-6)
