"""Real data: the data sets, their split, the data surfaces' exact minima, real mini-batches."""

import jax
import numpy as np
import pytest

import optviz
from optviz import datasets, datasurface, engine

TWO_PARAMETER = [k for k, d in optviz.DATASETS.items() if d.task != "multiclass"]


# ----------------------------------------------------------------------------- data sets


def test_every_data_set_loads_offline_with_its_columns():
    for key, entry in optviz.DATASETS.items():
        x, y = datasets.load(key)
        assert len(x) == len(y) == entry.n_rows > 100
        assert x.shape[1] == (len(entry.columns) or 64)
        assert np.isfinite(x).all() and np.isfinite(y).all()
        assert entry.source and entry.description and entry.name_zh
        if entry.task == "classification":
            assert set(np.unique(y)) == {0.0, 1.0}


def test_the_split_is_fixed_disjoint_and_whole():
    train, val = datasets.split_rows(442)
    assert len(train) == 309 and len(val) == 133
    assert sorted({*train, *val}) == list(range(442))
    again = datasets.split_rows.__wrapped__(442)
    np.testing.assert_array_equal(again[0], train)


def test_train_size_keeps_the_first_training_rows_and_the_same_validation_set():
    x_all, _ = datasets.split("diabetes", "train")
    x_few, _ = datasets.split("diabetes", "train", train_size=20)
    np.testing.assert_array_equal(x_few, x_all[:20])
    v1, _ = datasets.split("diabetes", "validation")
    v2, _ = datasets.split("diabetes", "validation", train_size=20)
    np.testing.assert_array_equal(v1, v2)
    with pytest.raises(ValueError):
        datasets.split("diabetes", "train", train_size=1)
    with pytest.raises(ValueError):
        datasets.split("diabetes", "test")
    with pytest.raises(KeyError, match="unknown data set"):
        datasets.get_dataset("mnist")


# ----------------------------------------------------------------------------- surfaces


@pytest.mark.parametrize("key", TWO_PARAMETER)
@pytest.mark.parametrize("normalize", [True, False])
def test_listed_minimum_has_zero_gradient_and_matches_an_independent_solve(key, normalize):
    s = optviz.data_surface(key, normalize=normalize)
    m = np.asarray(s.minima[0])
    g = np.asarray(jax.grad(lambda p: s(p))(m.astype(np.float32)))
    scale = np.abs(np.asarray(jax.grad(lambda p: s(p))(np.zeros(2, np.float32)))).max()
    assert np.abs(g).max() < 1e-4 * max(scale, 1.0)
    rows = np.asarray(s.rows, np.float64)
    a, y = rows[:, :2], rows[:, 2]
    if s.task == "regression":
        independent = np.linalg.lstsq(a, y, rcond=None)[0]  # numpy's least squares
        np.testing.assert_allclose(m, independent, rtol=1e-6, atol=1e-9)
    else:
        long_run = optviz.run("newton", s, start=(0.0, 0.0), steps=50, hparams={"lr": 1.0})
        np.testing.assert_allclose(long_run.xy[-1], m, rtol=1e-4, atol=1e-5)
    (x0, x1), (y0, y1) = s.bounds
    assert x0 < m[0] < x1 and y0 < m[1] < y1  # the window frames the minimum
    assert x0 <= s.start[0] <= x1 and y0 <= s.start[1] <= y1


@pytest.mark.parametrize("key", TWO_PARAMETER)
def test_train_and_validation_minima_differ(key):
    train = optviz.data_surface(key)
    val = datasurface.sibling(train, "validation")
    assert val.split == "validation" and val.bounds == train.bounds
    assert np.linalg.norm(np.subtract(train.minima[0], val.minima[0])) > 1e-3
    assert val(np.asarray(val.minima[0])) < val(np.asarray(train.minima[0]))


def test_the_surface_evaluates_a_grid_elementwise():
    s = optviz.data_surface("breast_cancer")
    grid = np.random.default_rng(1).normal(size=(2, 3, 4)).astype(np.float32)
    whole = np.asarray(s(grid))
    one = [float(s(grid[:, i, j])) for i in range(3) for j in range(4)]
    np.testing.assert_allclose(whole.ravel(), one, rtol=1e-6)


def test_the_loss_is_the_mean_of_the_row_losses_plus_the_penalty():
    s = optviz.data_surface("diabetes", normalize=False)
    p = np.array([0.2, -3.0])
    rows = np.asarray(s.rows, np.float64)
    direct = 0.5 * np.mean((rows[:, 0] * p[0] + p[1] - rows[:, 2]) ** 2) + 0.5 * 0.3 * p[0] ** 2
    assert float(s(p, {"l2": 0.3})) == pytest.approx(direct, rel=1e-5)


def test_normalization_lowers_kappa():
    for key in TWO_PARAMETER:
        raw = optviz.data_surface(key, normalize=False).condition_number()
        normalized = optviz.data_surface(key).condition_number()
        assert normalized < raw / 5, key
    assert optviz.data_surface("diabetes").condition_number() == pytest.approx(1.0)
    assert optviz.data_surface("diabetes", normalize=False).condition_number() > 1e4


def test_l2_moves_the_minimum_toward_zero_and_minima_at_solves_it():
    base = optviz.data_surface("wine")
    penalized = optviz.data_surface("wine", l2=0.5)
    assert penalized.params[0].default == 0.5
    m0, m1 = np.asarray(base.minima[0]), np.asarray(penalized.minima[0])
    assert np.linalg.norm(m1) < np.linalg.norm(m0)
    np.testing.assert_allclose(base.minima_at({"l2": 0.5})[0], m1, rtol=1e-9)
    g = jax.grad(lambda p: base(p, {"l2": 0.5}))(m1.astype(np.float32))
    assert np.abs(np.asarray(g)).max() < 1e-5
    # the engine's f* follows λ, so a run at λ = 0.5 can reach "the minimum"
    f_star = engine.lowest_minimum(base, (("l2", 0.5),))
    assert f_star == pytest.approx(float(base(m1, {"l2": 0.5})), rel=1e-6)


def test_same_settings_give_the_same_object():
    a = optviz.data_surface("diabetes", split="train", normalize=True)
    assert a is optviz.data_surface("diabetes")
    assert a is not optviz.data_surface("diabetes", train_size=50)


def test_bad_arguments_say_what_is_wrong():
    with pytest.raises(ValueError, match="split"):
        optviz.data_surface("diabetes", split="test")
    with pytest.raises(ValueError, match="networks"):
        optviz.data_surface("digits")
    with pytest.raises(KeyError, match="unknown data set"):
        optviz.data_surface("iris2")


def test_loss_along_gives_the_validation_curve_and_keeps_nan():
    train = optviz.data_surface("diabetes")
    val = datasurface.sibling(train, "validation")
    traj = optviz.run("sgd", train, steps=60, hparams={"lr": 0.3})
    curve = optviz.loss_along(val, traj.xy)
    assert curve.shape == (61,)
    assert curve[5] == pytest.approx(float(val(traj.xy[5])), rel=1e-6)
    np.testing.assert_allclose(optviz.loss_along(train, traj.xy), traj.loss, rtol=1e-5)
    xy = traj.xy.copy()
    xy[10:] = np.nan
    assert np.isnan(optviz.loss_along(val, xy)[10:]).all()


# ----------------------------------------------------------------------------- mini-batches


def test_same_seed_same_minibatch_path_other_seed_other_path():
    s = optviz.data_surface("diabetes")
    kw = dict(optimizer="sgd", surface=s, steps=80, hparams={"lr": 0.2}, batch_size=8)
    a, b, c = optviz.run(**kw, seed=3), optviz.run(**kw, seed=3), optviz.run(**kw, seed=4)
    np.testing.assert_array_equal(a.xy, b.xy)
    assert not np.allclose(a.xy, c.xy)
    full = optviz.run("sgd", s, steps=80, hparams={"lr": 0.2})
    assert not np.allclose(a.xy, full.xy)
    np.testing.assert_allclose(a.grad[1:], np.asarray(jax.vmap(jax.grad(s))(a.xy[1:])), atol=1e-5)


def test_a_batch_of_every_row_is_the_full_batch():
    s = optviz.data_surface("wine")
    full = optviz.run("momentum", s, steps=60)
    whole = optviz.run("momentum", s, steps=60, batch_size=s.n_rows, seed=5)
    np.testing.assert_allclose(whole.xy, full.xy, atol=1e-5)


def test_minibatch_gradient_mean_equals_the_full_gradient():
    """Steps of lr = 0 stay at one point, so ``grad_used`` samples that point's batch gradient."""
    s = optviz.data_surface("breast_cancer")
    point = (1.0, -0.5)
    runs = optviz.run("sgd", s, start=point, steps=1000, hparams={"lr": 0.0}, batch_size=10)
    full = np.asarray(jax.grad(s)(np.asarray(point, np.float32)))
    used = runs.grad_used
    spread = used.std(axis=0) / np.sqrt(len(used))
    assert np.all(np.abs(used.mean(axis=0) - full) < 4 * spread + 1e-6)
    # and its spread is the predicted σ_K (without replacement, finite-population correction)
    sigma_k = float(optviz.batch_gradient_std(s, point, [10])[0])
    assert np.sqrt(used.var(axis=0).sum()) == pytest.approx(sigma_k, rel=0.1)


def test_every_row_is_used_once_an_epoch():
    s = optviz.data_surface("diabetes")
    m, k = s.n_rows, 16
    key = jax.random.fold_in(jax.random.PRNGKey(0), engine.BATCH_STREAM)
    rows = np.asarray(engine._batch_rows(key, np.float32(k), m, 16, 60))
    per_epoch = m // k
    first_epoch = rows[:per_epoch].ravel()
    assert len(set(first_epoch.tolist())) == per_epoch * k  # no row twice in an epoch
    assert not np.array_equal(rows[:per_epoch], rows[per_epoch : 2 * per_epoch])  # reshuffled


def test_sigma_k_falls_as_one_over_root_k_and_vanishes_at_the_full_batch():
    s = optviz.data_surface("diabetes")
    sizes = np.array([1, 4, 16])
    sigma = optviz.batch_gradient_std(s, s.start, sizes)
    ratio = sigma[:-1] / sigma[1:]
    np.testing.assert_allclose(ratio, 2.0, rtol=0.05)  # ×4 rows: ÷2 spread
    assert optviz.batch_gradient_std(s, s.start, [s.n_rows])[0] == pytest.approx(0.0, abs=1e-9)


def test_run_seeds_gives_a_cloud_of_real_minibatch_runs():
    s = optviz.data_surface("diabetes", normalize=False)
    cloud = optviz.run_seeds("sgd", s, steps=50, hparams={"lr": 0.001}, noise=0.0, seeds=8,
                             batch_size=4)  # fmt: skip
    assert cloud.xy.shape == (8, 51, 2)
    assert len({tuple(np.round(p, 6)) for p in cloud.final}) == 8
    single = optviz.run("sgd", s, steps=50, hparams={"lr": 0.001}, seed=2, batch_size=4)
    np.testing.assert_allclose(cloud.xy[2], single.xy, atol=1e-6)


def test_batch_size_is_checked():
    s = optviz.data_surface("diabetes")
    with pytest.raises(ValueError, match="data surface"):
        optviz.run("sgd", "quadratic", batch_size=4)
    with pytest.raises(ValueError, match="from 1 to 309"):
        optviz.run("sgd", s, batch_size=0)
    with pytest.raises(ValueError, match="from 1 to 309"):
        optviz.run("sgd", s, batch_size=310)
    assert engine.batch_bucket(s, 5) == 8 and engine.batch_bucket(s, 300) == 309


def test_moving_k_lr_lambda_or_seed_inside_a_bucket_never_recompiles(compiles):
    s = optviz.data_surface("breast_cancer")
    base = dict(optimizer="adam", surface=s, steps=90, hparams={"lr": 0.1}, batch_size=9)
    optviz.run(**base)
    optviz.run_seeds(**base, seeds=4)
    before = compiles.count
    for change in (
        {"batch_size": 16},  # same bucket (16)
        {"batch_size": 12, "seed": 7},
        {"hparams": {"lr": 0.01, "beta1": 0.5}},
        {"surface_params": {"l2": 0.3}},
        {"noise": 0.2},
        {"start": (1.0, 2.0)},
    ):
        optviz.run(**{**base, **change})
        optviz.run_seeds(**{**base, **change}, seeds=4)
    assert compiles.count == before, "a float move recompiled a mini-batch run"


def test_a_loss_without_a_finite_minimum_says_so():
    for key, rows in (("breast_cancer", 15), ("breast_cancer", 10), ("wine", 10), ("wine", 2)):
        with pytest.raises(ValueError, match="finite minimum"):
            optviz.data_surface(key, train_size=rows)
    assert optviz.data_surface("breast_cancer", train_size=15, l2=0.1).minima  # λ > 0: one


def test_keys_name_their_surfaces_and_get_surface_builds_them():
    s = optviz.data_surface("diabetes", split="validation", normalize=False, train_size=40)
    assert s.key == "data:diabetes:validation:raw:m40"
    assert optviz.get_surface(s.key) is s
    assert optviz.get_surface("data:wine:train:l20.5") is optviz.data_surface("wine", l2=0.5)
    for bad in ("data:iris:train", "data:wine:test", "data:wine:train:zzz", "data:wine"):
        with pytest.raises(KeyError):
            optviz.get_surface(bad)
    for key in optviz.surfaces.REAL_SURFACES:
        if key.startswith("data:"):
            assert optviz.get_surface(key).key == key
