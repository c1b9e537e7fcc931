"""Real-data benchmark: runs on a data surface (full batch vs real mini-batches), clouds, page.

Prints µs per 500-step ``optviz.run`` on the breast-cancer training surface (398 rows) with
the full batch and with mini-batches of K = 1, 16, 64 and 256 rows, the first call of each
(compile), a 64-seed ``run_seeds`` cloud of K = 16, the quadratic for scale, and the time to
build the real-data page's pictures cold and warm.

Run: ``python bench/data.py`` (numbers go in README and the issue notes; never a test).
"""

import functools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import engine  # noqa: E402
import jax  # noqa: E402

import optviz  # noqa: E402
from optviz.lessons import realdata  # noqa: E402

STEPS = 500


best_of = functools.partial(engine.best_of, repeat=5, number=20)
"""Best mean seconds per call (``bench/engine.py``'s), over 5 rounds of 20 calls."""


def timed(fn):
    """Seconds of one call."""
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main():
    print(f"jax {jax.__version__} on {jax.devices()[0].platform}, {STEPS} steps per run")
    load = timed(lambda: optviz.data_surface("breast_cancer"))
    surface = optviz.data_surface("breast_cancer")
    print(f"data_surface('breast_cancer') first call (sklearn import, solve): {load:.2f} s")
    print(f"m = {surface.n_rows} training rows")
    quad = best_of(lambda: optviz.run("sgd", "quadratic", steps=STEPS))
    print(f"quadratic (analytic), sgd          : {quad * 1e6:8.0f} µs")
    for k in (None, 1, 16, 64, 256):

        def one(k=k):
            return optviz.run("sgd", surface, steps=STEPS, hparams={"lr": 2.0}, batch_size=k)

        first = timed(one)
        per = best_of(one)
        name = "full batch" if k is None else f"K = {k}"
        print(f"data surface, sgd, {name:10s}: {per * 1e6:8.0f} µs  (first call {first:.2f} s)")

    def cloud():
        return optviz.run_seeds(
            "sgd", surface, steps=STEPS, hparams={"lr": 2.0}, noise=0.0, seeds=64, batch_size=16
        )

    first = timed(cloud)
    per = best_of(cloud, repeat=3, number=3)
    print(f"run_seeds 64 × K = 16              : {per * 1e3:8.1f} ms  "
          f"(first call {first:.2f} s)")  # fmt: skip
    setting = realdata.Setting()

    def page():
        traj = realdata.trajectory(setting)
        realdata.paths_figure(setting, traj)
        realdata.errors_figure(setting, traj)
        realdata.spread_figure(setting)
        realdata.conditioning(setting)

    cold = timed(page)
    warm = best_of(page, repeat=3, number=3)
    print(f"real-data page pictures (default)  : cold {cold:.2f} s, warm {warm * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
