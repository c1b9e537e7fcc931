"""Engine benchmark: optviz vs optax vs a numpy loop, compile time, and sweep wall time.

Prints µs per 500-step run for each, the first-call (compile) time, and the wall time of
100×100 and 200×200 sweeps of 500-step runs.

Run: ``python bench/engine.py`` (numbers go in README and the issue notes; never a test).
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402

import optviz  # noqa: E402
from optviz.surfaces import SURFACES  # noqa: E402

STEPS = 500


def best_of(fn, repeat=7, number=30):
    """Best mean seconds per call over ``repeat`` rounds of ``number`` calls."""
    fn()
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - t) / number)
    return best


def optax_runner(opt, surface):
    """A jitted lax.scan of an optax optimizer returning the path and losses as numpy."""
    surf = SURFACES[surface]
    coeffs = {k: jnp.float32(v) for k, v in surf.default_params().items()}

    @jax.jit
    def run(x0):
        def step(carry, _):
            x, state = carry
            loss, g = jax.value_and_grad(lambda p: surf.fn(p, coeffs))(x)
            updates, state = opt.update(g, state, x)
            return (optax.apply_updates(x, updates), state), (x, loss)

        return jax.lax.scan(step, (x0, opt.init(x0)), None, length=STEPS)[1]

    x0 = jnp.asarray(surf.start, jnp.float32)
    return lambda: jax.device_get(run(x0))


def numpy_adam_loop():
    """d2l-style: a Python loop with numpy arithmetic and the analytic gradient."""
    x, m, v = np.array([-5.0, -2.0]), np.zeros(2), np.zeros(2)
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    path = [x.copy()]
    for t in range(1, STEPS + 1):
        g = np.array([0.2 * x[0], 4.0 * x[1]])
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        x = x - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        path.append(x.copy())
    return np.array(path)


def main():
    print(f"jax {jax.__version__} on {jax.devices()[0].platform}, {STEPS} steps per run")
    cases = [
        ("adam", "quadratic", optax.adam(0.1)),
        ("momentum", "quadratic", optax.sgd(0.05, momentum=0.9)),
        ("rmsprop", "himmelblau", optax.rmsprop(0.05, decay=0.9, eps=1e-6)),
    ]
    for key, surface, opt in cases:
        t0 = time.perf_counter()
        optviz.run(key, surface, steps=STEPS)
        compile_s = time.perf_counter() - t0
        ours = best_of(lambda k=key, s=surface: optviz.run(k, s, steps=STEPS))
        ref = best_of(optax_runner(opt, surface))
        print(
            f"{key:9s} on {surface:10s}: optviz.run {ours * 1e6:7.0f} µs | optax scan "
            f"{ref * 1e6:6.0f} µs | ratio {ours / ref:4.2f} | first call {compile_s:.2f} s"
        )
    loop = best_of(numpy_adam_loop, repeat=3, number=3)
    ours = best_of(lambda: optviz.run("adam", "quadratic", start=(-5, -2), steps=STEPS))
    print(
        f"numpy loop (adam, d2l style): {loop * 1e6:7.0f} µs | optviz.run {ours * 1e6:.0f} µs | "
        f"speed-up {loop / ours:.0f}x"
    )
    lrs, moms = np.geomspace(1e-3, 1.0, 100), np.linspace(0.0, 0.99, 100)
    grid = {"lr": lrs, "momentum": moms}
    t0 = time.perf_counter()
    optviz.sweep("momentum", "quadratic", start=(-5, -2), steps=STEPS, grid=grid)
    first = time.perf_counter() - t0
    wall = best_of(
        lambda: optviz.sweep("momentum", "quadratic", start=(-5, -2), steps=STEPS, grid=grid),
        repeat=3,
        number=3,
    )
    print(
        f"sweep 100x100 x {STEPS} steps: {wall:.3f} s ({100 * 100 * STEPS / wall / 1e6:.0f} M "
        f"steps/s), first call incl. compile {first:.2f} s"
    )
    big = {"lr": np.geomspace(1e-3, 1.0, 200), "momentum": np.linspace(0.0, 0.99, 200)}
    optviz.sweep("momentum", "quadratic", start=(-5, -2), steps=STEPS, grid=big)
    wall = best_of(
        lambda: optviz.sweep("momentum", "quadratic", start=(-5, -2), steps=STEPS, grid=big),
        repeat=2,
        number=2,
    )
    print(f"sweep 200x200 x {STEPS} steps: {wall:.3f} s")


if __name__ == "__main__":
    main()
