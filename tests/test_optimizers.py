"""Every optimizer against an independent reference: optax where it has the same rule, numpy
written from the notes' formulas where it does not."""

import zlib

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import optviz
from optviz.surfaces import SURFACES

STEPS = 200

# optviz key -> (builder of the optax optimizer from our hyperparameters)
OPTAX = {
    "sgd": lambda h: optax.sgd(h["lr"]),
    "momentum": lambda h: optax.sgd(h["lr"], momentum=h["momentum"]),
    "nesterov": lambda h: optax.sgd(h["lr"], momentum=h["momentum"], nesterov=True),
    "adagrad": lambda h: optax.adagrad(h["lr"], initial_accumulator_value=0.0, eps=h["eps"]),
    "rmsprop": lambda h: optax.rmsprop(h["lr"], decay=h["gamma"], eps=h["eps"]),
    "adadelta": lambda h: optax.adadelta(h["lr"], rho=h["rho"], eps=h["eps"]),
    "adam": lambda h: optax.adam(h["lr"], b1=h["beta1"], b2=h["beta2"], eps=h["eps"]),
    "adamw": lambda h: optax.adamw(
        h["lr"], b1=h["beta1"], b2=h["beta2"], eps=h["eps"], weight_decay=h["weight_decay"]
    ),
    "amsgrad": lambda h: optax.amsgrad(h["lr"], b1=h["beta1"], b2=h["beta2"], eps=h["eps"]),
    "nadam": lambda h: optax.nadam(h["lr"], b1=h["beta1"], b2=h["beta2"], eps=h["eps"]),
    "radam": lambda h: optax.radam(h["lr"], b1=h["beta1"], b2=h["beta2"], eps=h["eps"]),
    "lion": lambda h: optax.lion(
        h["lr"], b1=h["beta1"], b2=h["beta2"], weight_decay=h["weight_decay"]
    ),
}

# (surface, start, learning-rate range) where every optimizer stays on the surface
CASES = [
    ("quadratic", (-4.0, -2.0), (0.005, 0.08)),
    ("himmelblau", (0.5, 0.5), (0.001, 0.01)),
    ("flat_sharp", (0.3, 1.0), (0.002, 0.03)),
    ("rosenbrock", (-1.2, 1.0), (1e-4, 1e-3)),
]


def optax_path(opt, surface, start, steps):
    """Trajectory of an optax optimizer in its own jitted lax.scan."""
    surf = SURFACES[surface]
    coeffs = {k: jnp.float32(v) for k, v in surf.default_params().items()}
    grad = jax.grad(lambda x: surf.fn(x, coeffs))

    def step(carry, _):
        x, state = carry
        updates, state = opt.update(grad(x), state, x)
        x = optax.apply_updates(x, updates)
        return (x, state), x

    x0 = jnp.asarray(start, jnp.float32)
    _, xs = jax.jit(lambda x: jax.lax.scan(step, (x, opt.init(x)), None, length=steps))(x0)
    return np.concatenate([np.asarray(x0)[None], np.asarray(xs)])


def random_hparams(key, rng, lr_range):
    """Random hyperparameters inside sensible ranges for optimizer ``key``."""
    spec = optviz.OPTIMIZERS[key]
    h = {p.name: p.default for p in spec.params}
    lo, hi = lr_range
    h["lr"] = float(np.exp(rng.uniform(np.log(lo), np.log(hi))))
    if key == "adadelta":
        h["lr"] = float(rng.uniform(0.5, 1.0) * min(1.0, 100 * hi))  # gentler in steep valleys
    for name, low, high in [
        ("momentum", 0.0, 0.95),
        ("gamma", 0.5, 0.99),
        ("rho", 0.5, 0.99),
        ("beta1", 0.5, 0.95),
        ("beta2", 0.9, 0.9999),
        ("weight_decay", 0.0, 0.1),
    ]:
        if name in h:
            h[name] = float(rng.uniform(low, high))
    if key == "lion":
        h["lr"] = float(rng.uniform(0.001, 0.02))
    return h


@pytest.mark.parametrize("key", sorted(OPTAX))
@pytest.mark.parametrize("surface,start,lr_range", CASES)
def test_matches_optax(key, surface, start, lr_range):
    rng = np.random.default_rng(zlib.crc32(f"{key}/{surface}".encode()))  # same every run
    for _ in range(2):
        h = random_hparams(key, rng, lr_range)
        ours = optviz.run(key, surface, start=start, steps=STEPS, hparams=h)
        assert ours.diverged_at is None, h
        ref = optax_path(OPTAX[key](h), surface, start, STEPS)
        scale = max(1.0, float(np.abs(ref).max()))
        np.testing.assert_allclose(ours.xy, ref, atol=2e-4 * scale, rtol=1e-4, err_msg=str(h))


def numpy_run(update, state, x, grad_fn, steps):
    """Applies a hand-written numpy update rule ``steps`` times."""
    xs = [x.copy()]
    for t in range(1, steps + 1):
        x, state = update(x, grad_fn(x), state, t)
        xs.append(x.copy())
    return np.array(xs)


def quad_grad(x):
    """Gradient of d2l's 0.1 x1² + 2 x2²."""
    return np.array([0.2 * x[0], 4.0 * x[1]])


def test_momentum_ewma_form_matches_ng():
    """dampening = β gives Ng's v = βv + (1-β)g, x -= αv."""
    alpha, beta = 0.3, 0.9

    def ng(x, g, v, t):
        v = beta * v + (1 - beta) * g  # V_dw = β V_dw + (1-β) dW
        return x - alpha * v, v

    ref = numpy_run(ng, np.zeros(2), np.array([-5.0, -2.0]), quad_grad, 100)
    ours = optviz.run(
        "momentum",
        "quadratic",
        start=(-5, -2),
        steps=100,
        hparams={"lr": alpha, "momentum": beta, "dampening": beta},
    )
    np.testing.assert_allclose(ours.xy, ref, atol=1e-5)


def test_momentum_d2l_form():
    """d2l: v = γv + ηg, x -= v equals our heavy ball with a constant η."""
    eta, gamma = 0.4, 0.5

    def d2l(x, g, v, t):
        v = gamma * v + eta * g
        return x - v, v

    ref = numpy_run(d2l, np.zeros(2), np.array([-5.0, -2.0]), quad_grad, 20)
    ours = optviz.run(
        "momentum", "quadratic", start=(-5, -2), steps=20, hparams={"lr": eta, "momentum": gamma}
    )
    np.testing.assert_allclose(ours.xy, ref, atol=1e-5)


def test_adam_without_bias_correction():
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8

    def adam(x, g, st, t):
        m, v = st
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        return x - lr * m / (np.sqrt(v) + eps), (m, v)

    ref = numpy_run(adam, (np.zeros(2), np.zeros(2)), np.array([-5.0, -2.0]), quad_grad, 60)
    ours = optviz.run(
        "adam", "quadratic", start=(-5, -2), steps=60, hparams={"lr": lr, "bias_correction": False}
    )
    np.testing.assert_allclose(ours.xy, ref, atol=1e-4)
    with_bc = optviz.run("adam", "quadratic", start=(-5, -2), steps=60, hparams={"lr": lr})
    # Without the correction the first step is (1-β₁)/√(1-β₂) ≈ 3.2 times larger.
    assert abs(ours.update[0, 0]) > 3 * abs(with_bc.update[0, 0])


def test_adadelta_d2l():
    rho, eps = 0.9, 1e-5

    def adadelta(x, g, st, t):
        s, d = st
        s = rho * s + (1 - rho) * g * g
        gp = np.sqrt((d + eps) / (s + eps)) * g
        d = rho * d + (1 - rho) * gp * gp
        return x - gp, (s, d)

    ref = numpy_run(adadelta, (np.zeros(2), np.zeros(2)), np.array([-5.0, -2.0]), quad_grad, 100)
    ours = optviz.run("adadelta", "quadratic", start=(-5, -2), steps=100, hparams={"rho": rho})
    np.testing.assert_allclose(ours.xy, ref, atol=1e-5)
    np.testing.assert_allclose(ours.state["delta"][-1], [0, 0], atol=1)  # Δx_t is recorded


def test_newton_one_step_on_quadratic():
    ours = optviz.run("newton", "quadratic", start=(-5, -2), steps=3, hparams={"lr": 1.0})
    np.testing.assert_allclose(ours.xy[1], [0, 0], atol=1e-5)


def test_newton_damping_numpy():
    lr, delta = 0.5, 2.0
    h = np.diag([0.2, 4.0])

    def newton(x, g, st, t):
        return x - lr * np.linalg.solve(h + delta * np.eye(2), g), st

    ref = numpy_run(newton, None, np.array([-5.0, -2.0]), quad_grad, 30)
    ours = optviz.run(
        "newton", "quadratic", start=(-5, -2), steps=30, hparams={"lr": lr, "damping": delta}
    )
    np.testing.assert_allclose(ours.xy, ref, atol=1e-5)


def test_newton_is_attracted_by_the_saddle():
    ours = optviz.run("newton", "saddle", start=(1.0, 0.5), steps=5)
    np.testing.assert_allclose(ours.xy[-1], [0, 0], atol=1e-6)


def test_state_history_exposes_what_a_student_wants():
    adam = optviz.run("adam", "quadratic", start=(-5, -2), steps=50)
    for name in ("m", "v", "m_hat", "v_hat", "bias_factor", "effective_lr"):
        assert adam.state[name].shape == (51, 2)
    # bias correction factors 1 - β^t at step t
    np.testing.assert_allclose(adam.state["bias_factor"][10], [1 - 0.9**10, 1 - 0.999**10], 1e-4)
    np.testing.assert_allclose(adam.state["m_hat"][5], adam.state["m"][5] / (1 - 0.9**5), 1e-5)
    rms = optviz.run("rmsprop", "quadratic", start=(-5, -2), steps=50)
    lr, eps = 0.05, 1e-6
    np.testing.assert_allclose(rms.state["effective_lr"], lr / np.sqrt(rms.state["s"] + eps), 1e-5)
    mom = optviz.run("momentum", "quadratic", start=(-5, -2), steps=10)
    np.testing.assert_allclose(mom.state["velocity"][0], [0, 0])
    np.testing.assert_allclose(mom.update, -0.05 * mom.state["velocity"][1:], atol=1e-6)


def test_every_optimizer_has_a_complete_spec():
    assert set(optviz.OPTIMIZERS) == {
        "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "adamw",
        "amsgrad", "nadam", "radam", "lion", "newton",
    }  # fmt: skip
    for key, spec in optviz.OPTIMIZERS.items():
        assert spec.key == key and spec.name and spec.name_zh and spec.description
        assert "x_t" in spec.latex and r"\leftarrow" in spec.latex
        assert "lr" in spec.names
        for p in spec.params:
            assert p.low <= p.default <= p.high, (key, p)
            assert not p.log or p.low > 0
        with pytest.raises(KeyError, match="no hyperparameter"):
            spec.resolve({"nonsense": 1.0})


def test_every_optimizer_reaches_the_quadratic_minimum():
    for key in optviz.OPTIMIZERS:
        lr = {"adadelta": 1.0, "lion": 0.01, "newton": 1.0, "adagrad": 1.0, "radam": 0.2}.get(
            key, 0.05
        )
        steps = 2000 if key == "adadelta" else 500
        tr = optviz.run(key, "quadratic", start=(-5, -2), steps=steps, hparams={"lr": lr})
        assert tr.diverged_at is None, key
        assert np.linalg.norm(tr.xy[-1]) < 0.1, (key, tr.xy[-1])
