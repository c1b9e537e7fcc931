"""Loss-landscape benchmark: training the two networks, slicing them, running on the slice.

Prints the training time of each registered network (first call incl. compile, then a
retrain), the seconds for an N×N slice (N = 21, 41, 61) of network evaluations over the 1258
training rows, the µs per 500-step ``optviz.run`` on the slice surface, the 160×160 grid the
playground draws, and the small- vs large-batch numbers (loss, accuracy, sharpness).

Run: ``python bench/landscape.py`` (numbers go in the issue notes; never a test).
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
from optviz import landscape, plots  # noqa: E402

STEPS = 500


best_of = functools.partial(engine.best_of, repeat=5, number=3)
"""Best mean seconds per call (``bench/engine.py``'s), over 5 rounds of 3 calls."""


def timed(fn):
    """``(result, seconds)`` of one call."""
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main():
    print(f"jax {jax.__version__} on {jax.devices()[0].platform}")
    _, load_s = timed(lambda: landscape.standardized("digits"))
    print(f"load + standardize digits (sklearn import): {load_s:.2f} s")
    nets = {}
    for key, spec in landscape.NETWORKS.items():
        kwargs = {"batch_size": spec.batch_size, "steps": spec.steps, "lr": spec.lr}
        kwargs["dataset"] = spec.dataset
        nets[key], first = timed(lambda kw=kwargs: landscape.train_network(**kw))
        again = best_of(lambda kw=kwargs: landscape.train_network(**kw), repeat=3, number=1)
        net = nets[key]
        print(
            f"train {key:5s} (K = {net.batch_size:4d}, {net.steps} Adam steps): {again:.3f} s "
            f"(first call incl. compile {first:.2f} s) | train loss {net.train_loss:.5f}, "
            f"acc {net.train_accuracy:.3f} | validation loss {net.validation_loss:.4f}, "
            f"acc {net.validation_accuracy:.3f}"
        )
    net = nets["small"]
    for n in (21, 41, 61):
        _, first = timed(lambda n=n: landscape.landscape_slice(net, n=n))
        wall = best_of(lambda n=n: landscape.landscape_slice(net, n=n), repeat=3, number=2)
        rate = n * n / wall
        print(
            f"slice {n}x{n} over 1258 rows: {wall:.3f} s ({rate:,.0f} networks/s), "
            f"first call incl. compile {first:.2f} s"
        )
    for key in nets:
        (surf, build) = timed(lambda k=key: landscape.landscape_surface(k))
        print(f"landscape_surface({key!r}) build (network cached): {build:.2f} s")
        for opt in ("adam", "sgd", "newton"):
            _, first = timed(lambda o=opt, s=surf: optviz.run(o, s, steps=STEPS))
            wall = best_of(lambda o=opt, s=surf: optviz.run(o, s, steps=STEPS))
            print(
                f"  optviz.run {opt:6s} {STEPS} steps: {wall * 1e6:9.0f} µs "
                f"(first call {first:.2f} s)"
            )
        _, first = timed(lambda s=surf: plots.surface_grid(s, n=161))
        wall = best_of(
            lambda s=surf: plots._surface_grid_cached.__wrapped__(s, (), 161), repeat=2, number=1
        )
        print(f"  surface_grid 161x161 (uncached): {wall:.3f} s (first call {first:.2f} s)")
    print("sharpness: mean rise of the loss within r = 0.5 of θ*, curvature f_αα, f_ββ at θ*")
    for key, net in nets.items():
        for seed in (0, 1, 2):
            s = landscape.landscape_slice(net, seed=seed, n=41)
            ca, cb = s.curvature
            print(
                f"  {key:5s} seed {seed}: L(θ*) {s.center_loss:.5f} | sharpness {s.sharpness:.4f} "
                f"| curvature {ca:.4f}, {cb:.4f} | max on grid {s.loss.max():.3f}"
            )


if __name__ == "__main__":
    main()
