"""A real network's loss landscape: training, filter-normalized directions, the slice, the
surface the engine runs on, and the small- vs large-batch sharpness numbers."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import optviz
from optviz import landscape

# ----------------------------------------------------------------------------- training


@pytest.fixture(scope="module")
def small():
    return landscape.get_network("small")


@pytest.fixture(scope="module")
def large():
    return landscape.get_network("large")


def test_registry():
    assert {"small", "large"} <= set(landscape.NETWORKS)
    assert landscape.NETWORKS["small"].batch_size == 16
    assert landscape.NETWORKS["large"].batch_size is None
    for spec in landscape.NETWORKS.values():
        assert spec.dataset == "digits" and spec.name and spec.name_zh and spec.description
    with pytest.raises(KeyError, match="unknown network"):
        landscape.get_network("nope")


def test_get_network_trains_once(small):
    assert landscape.get_network("small") is small


@pytest.mark.parametrize("key", ["small", "large"])
def test_training_learns_digits(key, small, large):
    net = {"small": small, "large": large}[key]
    assert net.train_loss < 0.1 * math.log(10)  # far below the loss of guessing, log 10
    assert net.train_accuracy > 0.95
    assert net.validation_accuracy > 0.85
    assert np.isfinite(net.validation_loss)
    assert net.history.shape == (net.steps,)
    assert net.history[0] > 1.5  # starts near log 10 ≈ 2.3
    assert np.mean(net.history[-50:]) < 0.2 * net.history[0]


def test_batch_sizes(small, large):
    n_train = len(landscape.standardized("digits")["train"][1])
    assert small.batch_size == 16 and not small.full_batch
    assert large.batch_size == n_train == 1258 and large.full_batch


def test_training_is_deterministic_and_seeded():
    a = landscape.train_network(batch_size=32, steps=60, seed=3)
    b = landscape.train_network(batch_size=32, steps=60, seed=3)
    c = landscape.train_network(batch_size=32, steps=60, seed=4)
    for (wa, ba), (wb, bb) in zip(a.params, b.params, strict=True):
        np.testing.assert_array_equal(wa, wb)
        np.testing.assert_array_equal(ba, bb)
    assert not np.allclose(a.params[0][0], c.params[0][0])


def test_minibatch_rows_are_epochs_of_shuffles():
    rows = landscape.minibatch_rows(100, 16, 20, seed=0)
    assert rows.shape == (20, 16)
    per_epoch = 100 // 16  # 6 batches, 4 rows dropped each epoch
    first = rows[:per_epoch].ravel()
    assert len(np.unique(first)) == len(first)  # no row twice within an epoch
    np.testing.assert_array_equal(rows, landscape.minibatch_rows(100, 16, 20, seed=0))
    assert not np.array_equal(rows, landscape.minibatch_rows(100, 16, 20, seed=1))


def test_standardized_inputs():
    data = landscape.standardized("digits")
    x, y = data["train"]
    assert x.shape == (1258, 64) and x.dtype == np.float32 and y.dtype == np.int32
    moving = x.std(axis=0) > 0
    np.testing.assert_allclose(x.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(x.std(axis=0)[moving], 1.0, atol=1e-4)
    assert np.isfinite(data["validation"][0]).all()
    assert set(np.unique(y)) == set(range(10))


def test_bad_arguments():
    with pytest.raises(ValueError, match="multiclass"):
        landscape.train_network("diabetes", steps=5)
    with pytest.raises(ValueError, match="needs an MLP"):
        landscape.train_network(steps=5, mlp=landscape.MLP(sizes=(64, 8, 3)))
    with pytest.raises(ValueError, match="activation"):
        landscape.MLP(activation="sigmoid")


def test_relu_network_trains():
    net = landscape.train_network(
        batch_size=64, steps=300, mlp=landscape.MLP(activation="relu"), seed=1
    )
    assert net.train_loss < 0.2 and net.validation_accuracy > 0.85


# ----------------------------------------------------------------------------- directions


def test_filter_normalized_directions(small):
    d1, d2 = landscape.filter_normalized_directions(small.params, seed=0)
    for direction in (d1, d2):
        assert len(direction) == len(small.params)
        for (w, b), (dw, db) in zip(small.params, direction, strict=True):
            assert dw.shape == w.shape and db.shape == b.shape
            # every filter (the column of W feeding one unit) has the trained filter's norm
            np.testing.assert_allclose(
                np.linalg.norm(dw, axis=0), np.linalg.norm(w, axis=0), rtol=1e-5
            )
            np.testing.assert_array_equal(db, 0.0)
    assert not np.allclose(d1[0][0], d2[0][0])  # two different directions


def test_directions_are_seeded(small):
    a = landscape.filter_normalized_directions(small.params, seed=5)
    b = landscape.filter_normalized_directions(small.params, seed=5)
    c = landscape.filter_normalized_directions(small.params, seed=6)
    for k in range(2):
        for (wa, _), (wb, _), (wc, _) in zip(a[k], b[k], c[k], strict=True):
            np.testing.assert_array_equal(wa, wb)
            assert not np.allclose(wa, wc)


# ----------------------------------------------------------------------------- the slice


@pytest.fixture(scope="module")
def small_slice(small):
    return landscape.landscape_slice(small, seed=0, span=1.0, n=21)


def _direct_loss(net, directions, alpha, beta, split="train"):
    """L(θ* + α δ + β η) through the plain forward pass (no precomputed first layer)."""
    d1, d2 = directions
    moved = [
        (w + alpha * dw + beta * ew, b + alpha * db + beta * eb)
        for (w, b), (dw, db), (ew, eb) in zip(net.params, d1, d2, strict=True)
    ]
    x, y = landscape.standardized(net.dataset)[split]
    return float(landscape.loss(moved, x, y, net.mlp.activation))


def test_slice_shape_and_center(small, small_slice):
    s = small_slice
    assert s.alpha.shape == s.beta.shape == (21,)
    assert s.loss.shape == (21, 21)
    assert s.alpha[10] == 0.0 and s.alpha[0] == -1.0 and s.alpha[-1] == 1.0
    assert s.center_loss == pytest.approx(small.train_loss, rel=1e-5)
    assert s.loss[10, 10] == pytest.approx(small.train_loss, rel=1e-5)
    assert np.isfinite(s.loss).all()
    assert s.loss.min() >= s.center_loss - 1e-4  # θ* sits at the bottom of its slice


def test_slice_matches_direct_evaluation(small, small_slice):
    directions = landscape.filter_normalized_directions(small.params, seed=0)
    rng = np.random.default_rng(0)
    for i, j in rng.integers(0, 21, size=(5, 2)):
        want = _direct_loss(small, directions, small_slice.alpha[j], small_slice.beta[i])
        assert small_slice.loss[i, j] == pytest.approx(want, rel=2e-5, abs=1e-6)


def test_slice_on_validation_and_given_directions(small):
    directions = landscape.filter_normalized_directions(small.params, seed=2)
    s = landscape.landscape_slice(small, directions=directions, n=5, split="validation")
    assert s.split == "validation"
    assert s.center_loss == pytest.approx(small.validation_loss, rel=1e-5)
    want = _direct_loss(small, directions, s.alpha[4], s.beta[1], split="validation")
    assert s.loss[1, 4] == pytest.approx(want, rel=2e-5)
    with pytest.raises(ValueError, match="split"):
        landscape.landscape_slice(small, split="test", n=5)


def test_curvature_matches_finite_differences(small, small_slice):
    directions = landscape.filter_normalized_directions(small.params, seed=0)
    h = 0.05
    center = _direct_loss(small, directions, 0.0, 0.0)
    plus, minus = (_direct_loss(small, directions, s * h, 0.0) for s in (1, -1))
    fd = (plus - 2 * center + minus) / h**2  # central second difference along δ
    assert small_slice.curvature[0] == pytest.approx(fd, rel=0.05)


def test_sharpness_small_vs_large(small, large):
    rows = {}
    for key, net in (("small", small), ("large", large)):
        s = landscape.landscape_slice(net, seed=0, n=41)
        assert np.isfinite(s.sharpness) and s.sharpness > 0
        assert all(np.isfinite(c) and c > 0 for c in s.curvature)
        assert s.radius == 0.5
        rows[key] = (net.train_loss, net.validation_accuracy, s.sharpness, s.curvature)
    print("\nsharpness (train loss, val acc, mean rise r=0.5, curvature):", rows)


# ----------------------------------------------------------------------------- the surface


@pytest.fixture(scope="module")
def surface():
    return landscape.landscape_surface("small")


def test_surface_is_cached_and_real(surface, small):
    assert landscape.landscape_surface("small") is surface
    other = landscape.landscape_surface("small", seed=1)
    assert other is not surface and other.key == "landscape:digits:small:seed1"
    assert isinstance(surface, optviz.Surface)
    assert surface.key == "landscape:digits:small"
    assert surface.bounds == ((-1.0, 1.0), (-1.0, 1.0))
    assert surface.start == pytest.approx((0.8, 0.6))
    assert r"\theta^*" in surface.latex
    assert surface.network is small
    assert len(surface.minima) == 1
    # the listed minimum is no higher than θ* and lies near it
    (a, b), center = surface.minima[0], surface.center_loss
    assert float(surface((a, b))) <= center + 1e-6
    assert math.hypot(a, b) < 0.1
    assert float(surface((0.0, 0.0))) == pytest.approx(small.train_loss, rel=1e-5)


def test_surface_on_grid_equals_points(surface):
    rng = np.random.default_rng(1)
    grid = rng.uniform(-1.0, 1.0, size=(2, 3, 4)).astype(np.float32)
    values = np.asarray(surface.fn(jnp.asarray(grid), {}))
    assert values.shape == (3, 4)
    for i in range(3):
        for j in range(4):
            point = float(surface.fn(jnp.asarray(grid[:, i, j]), {}))
            assert values[i, j] == pytest.approx(point, rel=1e-5)
    # a grid larger than one chunk goes through lax.map: same numbers
    big = rng.uniform(-1.0, 1.0, size=(2, 20, 30)).astype(np.float32)
    values = np.asarray(surface.fn(jnp.asarray(big), {}))
    pick = np.asarray(surface.fn(jnp.asarray(big[:, 17, 5:9]), {}))
    np.testing.assert_allclose(values[17, 5:9], pick, rtol=1e-5)


def test_surface_matches_slice(small, surface):
    s = landscape.landscape_slice(small, seed=0, n=5)
    a, b = np.meshgrid(s.alpha, s.beta)
    values = np.asarray(surface.fn(jnp.asarray(np.stack([a, b])), {}))
    np.testing.assert_allclose(values, s.loss, rtol=1e-5)


@pytest.mark.parametrize("opt", ["adam", "sgd", "newton"])
def test_optimizers_run_on_the_surface(surface, opt):
    hparams = {"sgd": {"lr": 0.05}, "adam": {"lr": 0.01}, "newton": {"lr": 0.5}}[opt]
    tr = optviz.run(opt, surface, steps=100, hparams=hparams)
    assert tr.diverged_at is None
    assert np.isfinite(tr.xy).all() and np.isfinite(tr.loss).all()
    assert tr.loss[-1] < 0.5 * tr.loss[0]
    assert tr.loss[-1] < tr.loss[0]


def test_surface_of_a_hand_trained_network():
    net = landscape.train_network(batch_size=64, steps=200, seed=2)
    surf = landscape.landscape_surface(net, span=0.5)
    assert landscape.landscape_surface(net, span=0.5) is surf
    assert surf.key == "landscape:digits:k64-200steps-lr0.01-seed2:span0.5"
    assert surf.bounds == ((-0.5, 0.5), (-0.5, 0.5))
    assert surf.start == pytest.approx((0.4, 0.3))
    tr = optviz.run("adam", surf, steps=50, hparams={"lr": 0.01})
    assert np.isfinite(tr.loss).all() and tr.loss[-1] < tr.loss[0]


def test_validation_surface(small):
    surf = landscape.landscape_surface("small", split="validation")
    assert surf.key == "landscape:digits:small:validation"
    assert surf.center_loss == pytest.approx(small.validation_loss, rel=1e-5)
    (a, b) = surf.minima[0]
    assert float(surf((a, b))) <= surf.center_loss + 1e-6


def test_adam_matches_optax():
    optax = pytest.importorskip("optax")
    rng = np.random.default_rng(0)
    params = [(jnp.asarray(rng.normal(size=(3, 2)), jnp.float32), jnp.zeros(2, jnp.float32))]
    grads = [
        [(jnp.asarray(rng.normal(size=(3, 2)), jnp.float32), jnp.ones(2, jnp.float32) * k)]
        for k in range(5)
    ]
    opt = optax.adam(0.01)
    ref, state = params, opt.init(params)
    ours = params
    m = v = jax.tree_util.tree_map(jnp.zeros_like, params)
    for t, g in enumerate(grads, start=1):
        updates, state = opt.update(g, state, ref)
        ref = optax.apply_updates(ref, updates)
        ours, m, v = landscape._adam_update(ours, g, m, v, float(t), 0.01)
    for a, b in zip(jax.tree_util.tree_leaves(ours), jax.tree_util.tree_leaves(ref), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)  # float32
