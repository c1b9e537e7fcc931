"""Sweeps benchmark: hyperparameter maps, basins, the fair comparison, search and halving.

Prints the wall time (best of a few warm calls; the first call, which compiles, separately) of

* a 100×100 and a 200×200 map of 500-step runs (one ``optviz.sweep`` each; targets on the
  2-core machine: ≤ 0.3 s and ≤ 1.2 s),
* a 200×200 basin map of 500-step runs (one ``optviz.final_points`` call),
* the fair comparison: 4 optimizers × 60 learning rates × 500 steps (one sweep each),
* grid vs random search (200 draws, N ≤ 100, numpy) and successive halving (64 configs).

Run: ``python bench/sweeps.py`` (numbers go in README and the issue notes; never a test).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jax  # noqa: E402
import numpy as np  # noqa: E402

import optviz  # noqa: E402
from optviz import search  # noqa: E402

STEPS = 500


def timed(fn, repeat=3):
    """(first call incl. compile, best warm call) in seconds."""
    t = time.perf_counter()
    fn()
    first = time.perf_counter() - t
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return first, best


def row(label, first, warm, target=None):
    """One printed line."""
    goal = f"  (target ≤ {target:.1f} s: {'ok' if warm <= target else 'MISSED'})" if target else ""
    print(f"{label:58s} warm {warm:6.3f} s | first call {first:5.2f} s{goal}")


def main():
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"jax {jax.__version__} on {jax.devices()[0].platform}, {os.cpu_count()} cores, "
        f"load average {load:.1f}; {STEPS} steps per run"
    )
    cases = [
        ("momentum", "quadratic", "momentum", (1e-3, 1.0)),
        ("adam", "rosenbrock", "beta1", (1e-4, 1.0)),
        ("rmsprop", "himmelblau", "gamma", (1e-3, 10.0)),
    ]
    for opt, surface, axis, lr_range in cases:
        for n, target in ((100, 0.3), (200, 1.2)):
            grid = {
                "lr": search.cell_centres(*lr_range, n, log=True),
                axis: np.linspace(0, 0.99, n),
            }
            first, warm = timed(
                lambda o=opt, s=surface, g=grid: optviz.sweep(o, s, steps=STEPS, grid=g),
                repeat=3 if n == 100 else 2,
            )
            row(f"map {n}×{n} {opt} on {surface} (η × {axis})", first, warm, target)
    for surface, lr in (("himmelblau", 0.01), ("rastrigin", 0.002), ("flat_sharp", 0.1)):
        first, warm = timed(lambda s=surface, r=lr: search.basin_map(s, "sgd", r, STEPS, 200), 2)
        row(f"basins 200×200 sgd on {surface} (final_points + labels)", first, warm)
    first, warm = timed(
        lambda: optviz.final_points(
            "sgd", "himmelblau", np.random.default_rng(0).uniform(-5, 5, (40000, 2)), STEPS,
            {"lr": 0.01}, noise=1.0,
        ),
        2,
    )  # fmt: skip
    row("final_points 40 000 noisy starts (seed + i each)", first, warm)
    opts = ["sgd", "momentum", "rmsprop", "adam"]
    first, warm = timed(
        lambda: search.fair_comparison(opts, "rosenbrock", None, STEPS, (1e-4, 1.0)), 2
    )
    row("fair comparison 4 optimizers × 60 η on rosenbrock", first, warm)
    settings = search.MapSettings(
        "adam", "rosenbrock", None, STEPS, "beta1", (1e-4, 1.0), (0, 1), 100
    )
    hmap = search.hyper_map(settings)
    first, warm = timed(lambda: search.search_curves(hmap.objective, 100, draws=200))
    row("grid vs random search: 200 draws, N ≤ 100 (numpy)", first, warm)
    first, warm = timed(lambda: search.halving_on_map(hmap, 64, seed=1), 2)
    row("successive halving: 64 configurations, 7 rounds", first, warm)
    first, warm = timed(lambda: search.map_figure(hmap).to_json(), 2)
    row("map figure 100×100 to JSON", first, warm)


if __name__ == "__main__":
    main()
