"""The engine: d2l's printed results, divergence, noise, clipping, schedules, the vectorised
runners against single runs, and the promise that slider moves never recompile."""

import dataclasses
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import optviz
from optviz import engine

# ----------------------------------------------------------------------------- d2l's table


def test_d2l_gd_eta_04():
    tr = optviz.run("sgd", "quadratic", start=(-5, -2), steps=20, hparams={"lr": 0.4})
    np.testing.assert_allclose(tr.xy[-1], [-0.943467, -0.000073], atol=1e-6)
    assert tr.diverged_at is None


def test_d2l_gd_eta_06_diverges_along_x2():
    tr = optviz.run("sgd", "quadratic", start=(-5, -2), steps=20, hparams={"lr": 0.6})
    assert tr.diverged_at is not None
    good = tr.xy[: tr.diverged_at]
    # x2 flips sign and grows by |1 - 0.6·4| = 1.4 each step; x1 shrinks quietly
    np.testing.assert_allclose(np.abs(good[1:, 1] / good[:-1, 1]), 1.4, rtol=1e-5)
    assert np.all(np.abs(np.diff(np.abs(good[:, 0]))) < 5)
    assert np.isnan(tr.xy[tr.diverged_at :]).all()


def test_d2l_momentum_converges():
    for gamma in (0.5, 0.25):
        tr = optviz.run(
            "momentum",
            "quadratic",
            start=(-5, -2),
            steps=20,
            hparams={"lr": 0.6, "momentum": gamma},
        )
        assert tr.diverged_at is None
        assert tr.loss[-1] < 0.2 * tr.loss[0]


def test_d2l_rmsprop():
    tr = optviz.run(
        "rmsprop", "quadratic", start=(-5, -2), steps=20, hparams={"lr": 0.4, "gamma": 0.9}
    )
    assert tr.xy[-1, 0] == pytest.approx(-0.0106, abs=5e-5)


# ----------------------------------------------------------------------------- the result


def test_trajectory_shapes_and_alignment():
    tr = optviz.run("adam", "rosenbrock", start=(-1.5, 2.0), steps=137, hparams={"lr": 0.01})
    assert tr.xy.shape == (138, 2) and tr.loss.shape == (138,) and tr.grad.shape == (138, 2)
    assert tr.lr.shape == (137,) and tr.update.shape == (137, 2)
    np.testing.assert_allclose(tr.xy[0], [-1.5, 2.0])
    np.testing.assert_allclose(tr.xy[1:], tr.xy[:-1] + tr.update, atol=1e-6)
    s = optviz.SURFACES["rosenbrock"]
    np.testing.assert_allclose(tr.loss[40], float(s(tr.xy[40])), rtol=1e-5)
    np.testing.assert_allclose(tr.grad_used, tr.grad[:-1], atol=1e-6)  # no noise, no clipping
    assert all(v.shape == (138, 2) for v in tr.state.values())


def test_default_start_and_defaults():
    tr = optviz.run("sgd", "saddle", steps=10)
    np.testing.assert_allclose(tr.xy[0], optviz.SURFACES["saddle"].start, atol=1e-7)
    assert tr.hparams == {"lr": 0.1}


def test_divergence_is_a_result():
    tr = optviz.run("sgd", "rosenbrock", start=(-1.5, 2.0), steps=50, hparams={"lr": 0.1})
    assert tr.diverged_at is not None and tr.diverged_at >= 1
    assert np.isfinite(tr.xy[: tr.diverged_at]).all()
    assert tr.diverged_reason in ("non-finite", "left the window")


def test_overflow_on_cliff_is_divergence_not_an_exception():
    tr = optviz.run("sgd", "cliff", start=(0.0, 0.95), steps=100, hparams={"lr": 10.0})
    assert tr.diverged_at is not None


def test_trajectory_arrays_are_read_only_views():
    tr = optviz.run("adam", "quadratic", steps=30)
    arrays = [tr.xy, tr.loss, tr.grad, tr.grad_used, tr.update, tr.lr, *tr.state.values()]
    assert not any(a.flags.writeable for a in arrays)
    with pytest.raises(ValueError):
        tr.xy[0] = 0.0
    np.testing.assert_array_equal(tr.xy.copy()[3], tr.xy[3])  # a copy is the way to change one


def test_a_path_that_leaves_the_window_is_cut_there():
    tr = optviz.run("sgd", "quadratic", start=(-5.0, -2.0), steps=40, hparams={"lr": 1.1})
    k = tr.diverged_at
    assert k is not None and tr.diverged_reason == "left the window"  # |1 - 4.4| > 1 along x₂
    assert np.isfinite(tr.xy[:k]).all() and np.isfinite(tr.loss[:k]).all()
    for a in (tr.xy, tr.loss, tr.grad, *tr.state.values()):  # per point: NaN from k on
        assert np.isnan(a[k:]).all()
    assert tr.lr.shape == (40,) and np.isfinite(tr.lr).all()  # per step: kept as run
    assert not tr.xy.flags.writeable


def test_start_must_be_one_point():
    with pytest.raises(ValueError, match="one point"):
        optviz.run("sgd", "quadratic", start=(1.0, 2.0, 3.0), steps=5)
    row = optviz.run("sgd", "quadratic", start=[[1.0, 2.0]], steps=5)  # a (1, 2) row is a point
    np.testing.assert_array_equal(row.xy, optviz.run("sgd", "quadratic", start=(1, 2), steps=5).xy)
    with pytest.raises(ValueError):  # two characters are not two numbers
        optviz.run("sgd", "quadratic", start="12", steps=5)
    with pytest.raises(ValueError, match="one point"):  # nor two bytes
        optviz.run("sgd", "quadratic", start=b"12", steps=5)
    with pytest.raises(TypeError):  # a mapping's keys are not a point
        optviz.run("sgd", "quadratic", start={0: 3.0, 1: 4.0}, steps=5)
    with pytest.raises(ValueError, match="one point"):
        optviz.run("sgd", "quadratic", start=[[1.0, 2.0], [3.0, 4.0]], steps=5)


def test_a_run_that_goes_bad_only_after_its_last_step_is_whole():
    """Runs are compiled for a bucket of steps (25 here); going bad in the steps past the
    asked-for 20 must not cut the 20 (the compiled run flags any bad point in the bucket)."""
    kw = dict(start=(-5, -2), hparams={"lr": 0.524})  # x₂ grows ×1.096 a step
    assert optviz.run("sgd", "quadratic", steps=25, **kw).diverged_at == 22
    short = optviz.run("sgd", "quadratic", steps=20, **kw)
    assert short.diverged_at is None and short.diverged_reason is None
    assert np.isfinite(short.xy).all() and short.xy.shape == (21, 2)


@pytest.mark.parametrize(
    "given",
    [
        (0.1, -2.5),
        [0.1, -2.5],
        np.array([0.1, -2.5]),
        np.array([0.1, -2.5], np.float32),
        np.array([[0.1, -2.5]]),
        np.array([[0.1], [-2.5]]),
        (np.float32(0.1), np.int64(-2) - 0.5),
        pd.DataFrame([[0.1, -2.5]], columns=["x", "y"]),  # its values, not its column labels
    ],
)
def test_every_form_of_one_point_starts_the_same_run(given):
    """A pair of numbers takes a fast path, anything else goes through numpy: same run."""
    expected = optviz.run("adam", "quadratic", start=np.float32([0.1, -2.5]), steps=30)
    tr = optviz.run("adam", "quadratic", start=given, steps=30)
    np.testing.assert_array_equal(tr.xy, expected.xy)
    assert tr.xy[0].tolist() == np.float32([0.1, -2.5]).tolist()


def test_a_run_fills_every_field_of_its_trajectory():
    """``run`` fills the instance without the dataclass's __init__: the fields must match."""
    tr = optviz.run("adam", "quadratic", steps=10)
    assert set(vars(tr)) == {f.name for f in dataclasses.fields(optviz.Trajectory)}
    again = dataclasses.replace(tr, diverged_at=None)  # goes through __init__
    assert all(getattr(again, name) is value for name, value in vars(tr).items())


@pytest.mark.parametrize("schedule", optviz.SCHEDULES)
def test_knob_values_line_up_with_their_names(schedule):
    """The single-run program reads knob i from position i: names and values must agree."""
    sched = {"kind": schedule, "warmup": 3.0, "total_steps": 80}  # extras in unusual order
    for key, opt in optviz.OPTIMIZERS.items():
        given = reversed(list(opt.defaults().items()))  # in reverse order, each value distinct
        hparams = {n: v if isinstance(v, bool) else 100.0 + i for i, (n, v) in enumerate(given)}
        plan, numbers, _, _, hp = engine._resolve_numbers(
            key,
            "quadratic",
            None,
            50,
            hparams,
            sched,
            0.1,
            3,
            {"kind": "norm", "max": 2.0},
            {"angle": 10.0},
            0.01,
        )
        knobs = dict(zip(plan.names, numbers, strict=True))
        assert [knobs[name] for name in hp] == list(hp.values())
        assert knobs["schedule.warmup"] == 3.0 and knobs["schedule.total_steps"] == 80.0
        assert knobs["surface.angle"] == 10.0 and knobs["surface.kappa"] == 20.0
        assert (knobs["noise"], knobs["seed"], knobs["clip_max"]) == (0.1, 3.0, 2.0)
        assert (knobs["tol"], knobs["steps"]) == (0.01, 50.0)


SEQUENTIAL = "--xla_cpu_scheduler_type=CPU_SCHEDULER_TYPE_MEMORY_OPTIMIZED"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, [SEQUENTIAL]),
        ("--xla_cpu_enable_fast_math=false", ["--xla_cpu_enable_fast_math=false", SEQUENTIAL]),
        (  # a user's own choice of a scheduler wins
            "--xla_cpu_scheduler_type=CPU_SCHEDULER_TYPE_CONCURRENCY_OPTIMIZED",
            ["--xla_cpu_scheduler_type=CPU_SCHEDULER_TYPE_CONCURRENCY_OPTIMIZED"],
        ),
        (  # also by the deprecated flag
            "--xla_cpu_enable_concurrency_optimized_scheduler=true",
            ["--xla_cpu_enable_concurrency_optimized_scheduler=true"],
        ),
    ],
)
def test_importing_optviz_asks_xla_for_sequential_order(given, expected):
    env = {k: v for k, v in os.environ.items() if k != "XLA_FLAGS"}
    if given is not None:
        env["XLA_FLAGS"] = given
    code = (
        "import os, optviz; optviz.run('sgd', 'quadratic', steps=5); print(os.environ['XLA_FLAGS'])"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr  # XLA stops the process on a flag it does not know
    assert out.stdout.split() == expected


def test_eps_zero_adagrad_at_minimum_is_handled():
    tr = optviz.run("adagrad", "quadratic", start=(0.0, 0.0), steps=5, hparams={"eps": 0.0})
    assert tr.diverged_at == 1 and tr.diverged_reason == "non-finite"  # 0/0 on the first step


# ----------------------------------------------------------------------------- noise, clipping


def test_noise_is_reproducible_and_seeded():
    a = optviz.run("sgd", "saddle", steps=50, noise=0.1, seed=3)
    b = optviz.run("sgd", "saddle", steps=50, noise=0.1, seed=3)
    c = optviz.run("sgd", "saddle", steps=50, noise=0.1, seed=4)
    np.testing.assert_array_equal(a.xy, b.xy)
    assert not np.allclose(a.xy, c.xy)
    noise = (a.grad_used - a.grad[:-1])[:10]
    assert 0.05 < noise.std() < 0.2


def test_noise_prefix_does_not_depend_on_run_length():
    short = optviz.run("sgd", "quadratic", steps=60, noise=0.3, seed=1)
    long = optviz.run("sgd", "quadratic", steps=400, noise=0.3, seed=1)
    np.testing.assert_allclose(short.xy, long.xy[:61], atol=1e-6)


def test_noise_escapes_the_saddle_and_gd_does_not():
    start = (-1.5, 0.0)
    gd = optviz.run("sgd", "saddle", start=start, steps=100, hparams={"lr": 0.05})
    assert abs(gd.xy[-1, 1]) < 1e-6  # stuck on the ridge forever
    noisy = optviz.run("sgd", "saddle", start=start, steps=100, hparams={"lr": 0.05}, noise=0.1)
    assert noisy.diverged_at is not None or abs(noisy.xy[-1, 1]) > 1.0


def test_clipping_by_value_and_norm():
    kw = dict(start=(0.0, 0.9), steps=3, hparams={"lr": 0.01})
    free = optviz.run("sgd", "cliff", **kw)
    by_value = optviz.run("sgd", "cliff", clip={"kind": "value", "max": 0.5}, **kw)
    by_norm = optviz.run("sgd", "cliff", clip={"kind": "norm", "max": 1.0}, **kw)
    assert np.abs(free.grad_used).max() > 50
    assert np.abs(by_value.grad_used).max() <= 0.5 + 1e-6
    np.testing.assert_allclose(np.linalg.norm(by_norm.grad_used, axis=1), 1.0, rtol=1e-5)
    g = free.grad[0]
    np.testing.assert_allclose(by_norm.grad_used[0], g / np.linalg.norm(g), rtol=1e-5)


def test_clip_kind_is_validated():
    with pytest.raises(KeyError, match="unknown clipping"):
        optviz.run("sgd", "cliff", clip={"kind": "sideways", "max": 1})


# ----------------------------------------------------------------------------- schedules


def test_schedule_is_applied():
    tr = optviz.run(
        "sgd",
        "quadratic",
        steps=100,
        hparams={"lr": 0.2},
        schedule={"kind": "cosine", "total_steps": 100},
    )
    expected = 0.5 * 0.2 * (1 + np.cos(np.arange(100) * np.pi / 100))
    np.testing.assert_allclose(tr.lr, expected, rtol=1e-4, atol=1e-7)
    np.testing.assert_allclose(tr.update, -tr.lr[:, None] * tr.grad[:-1], rtol=1e-4, atol=1e-7)


def test_warmup_schedule():
    tr = optviz.run(
        "sgd",
        "quadratic",
        steps=30,
        hparams={"lr": 0.1},
        schedule={"kind": "constant", "warmup": 10},
    )
    np.testing.assert_allclose(tr.lr[:10], 0.1 * np.arange(1, 11) / 10, rtol=1e-5)
    np.testing.assert_allclose(tr.lr[10:], 0.1, rtol=1e-6)


def test_unknown_schedule():
    with pytest.raises(KeyError, match="unknown schedule"):
        optviz.run("sgd", "quadratic", schedule={"kind": "sometimes"})


# ----------------------------------------------------------------------------- vectorised forms


def test_run_many_equals_single_runs():
    starts = np.array([[3.0, 2.0], [-3.0, 3.0], [-3.5, -3.0], [3.5, -2.0], [0.1, 0.2]])
    batch = optviz.run_many("adam", "himmelblau", starts=starts, steps=150, hparams={"lr": 0.05})
    assert batch.xy.shape == (5, 151, 2) and len(batch) == 5
    for i, s in enumerate(starts):
        single = optviz.run("adam", "himmelblau", start=s, steps=150, hparams={"lr": 0.05})
        np.testing.assert_allclose(batch.xy[i], single.xy, atol=1e-4)
        np.testing.assert_allclose(batch.state["m_hat"][i], single.state["m_hat"], atol=1e-4)


def test_run_many_marks_divergence_per_run():
    starts = np.array([[-1.5, 2.0], [1.0, 1.0]])
    batch = optviz.run_many("sgd", "rosenbrock", starts=starts, steps=50, hparams={"lr": 0.01})
    single = optviz.run("sgd", "rosenbrock", start=starts[0], steps=50, hparams={"lr": 0.01})
    assert batch.diverged_at[0] == single.diverged_at
    assert batch.diverged_at[1] == -1


def test_run_seeds_equals_single_noisy_runs():
    cloud = optviz.run_seeds("sgd", "saddle", steps=80, noise=0.2, seed=10, seeds=64)
    assert cloud.xy.shape == (64, 81, 2)
    for i in (0, 17, 63):
        single = optviz.run("sgd", "saddle", steps=80, noise=0.2, seed=10 + i)
        np.testing.assert_allclose(cloud.xy[i], single.xy, atol=1e-5, equal_nan=True)
    assert len({round(float(v), 6) for v in cloud.xy[:, 20, 1]}) > 60  # really different runs


def test_sweep_agrees_with_single_runs():
    lrs = np.geomspace(0.01, 1.0, 9)
    moms = np.linspace(0.0, 0.95, 7)
    res = optviz.sweep(
        "momentum",
        "quadratic",
        start=(-5, -2),
        steps=120,
        grid={"lr": lrs, "momentum": moms},
        tol=1e-3,
    )
    assert res.final_loss.shape == res.steps_to_tol.shape == res.diverged.shape == (9, 7)
    assert res.diverged.any() and (~res.diverged).any()
    for i, j in [(0, 0), (4, 3), (8, 6), (6, 1), (2, 5), (7, 4)]:
        tr = optviz.run(
            "momentum",
            "quadratic",
            start=(-5, -2),
            steps=120,
            hparams={"lr": lrs[i], "momentum": moms[j]},
        )
        assert res.diverged[i, j] == (tr.diverged_at is not None), (i, j)
        if tr.diverged_at is None:
            assert res.final_loss[i, j] == pytest.approx(tr.loss[-1], rel=1e-4, abs=1e-7)
            hits = np.flatnonzero(tr.loss <= 1e-3)
            assert res.steps_to_tol[i, j] == (hits[0] if hits.size else -1), (i, j)
        else:
            assert np.isnan(res.final_loss[i, j])


def test_sweep_over_noise_and_validation():
    res = optviz.sweep(
        "sgd", "saddle", steps=50, grid={"lr": [0.01, 0.1], "noise": [0.0, 0.5]}, seed=0
    )
    assert res.names == ("lr", "noise") and res.final_xy.shape == (2, 2, 2)
    assert (res.steps_to_tol == -1).all()  # the saddle has no minimum to reach
    with pytest.raises(KeyError, match="cannot sweep"):
        optviz.sweep("sgd", "saddle", grid={"lr": [0.1], "beta1": [0.9]})
    with pytest.raises(ValueError, match="exactly two"):
        optviz.sweep("sgd", "saddle", grid={"lr": [0.1]})


# ----------------------------------------------------------------------------- user formulas


def test_formula_surface_runs():
    s = optviz.compile_formula("x**2 + 3*y**2")
    tr = optviz.run("adam", s, start=(2.0, 1.0), steps=300, hparams={"lr": 0.05})
    assert tr.diverged_at is None and np.linalg.norm(tr.xy[-1]) < 0.05
    assert tr.surface == "formula"


# ----------------------------------------------------------------------------- compilation


def test_moving_any_float_never_recompiles(compiles):
    base = dict(
        optimizer="adam",
        surface="quadratic",
        start=(-4.0, -2.0),
        steps=180,
        hparams={"lr": 0.1},
        schedule={"kind": "cosine", "total_steps": 180},
        noise=0.0,
        seed=0,
        clip={"kind": "norm", "max": 1.0},
        surface_params={"kappa": 20.0, "angle": 0.0},
    )
    optviz.run(**base)  # compiles once
    sweep_base = {k: v for k, v in base.items() if k not in ("optimizer", "surface")}
    optviz.sweep("adam", "quadratic", grid={"lr": [0.1, 0.2], "beta1": [0.5, 0.9]}, **sweep_base)
    compiled_before = compiles.count
    cache_before = engine._scan_run._cache_size()
    variations = [
        {"start": (1.0, 2.5)},
        {"steps": 150},  # same bucket (200)
        {"hparams": {"lr": 0.01, "beta1": 0.5, "beta2": 0.9, "eps": 1e-3}},
        {"hparams": {"bias_correction": False}},
        {"hparams": {"lr": 1}},  # an int from a slider
        {"schedule": {"kind": "cosine", "total_steps": 90, "lr_min": 0.01, "warmup": 20}},
        {"noise": 0.3, "seed": 7},
        {"clip": {"kind": "norm", "max": 0.1}},
        {"surface_params": {"kappa": 80.0, "angle": 45.0}},
    ]
    for change in variations:
        optviz.run(**{**base, **change})
        optviz.sweep(
            "adam",
            "quadratic",
            grid={"lr": [0.3, 0.4], "beta1": [0.1, 0.2]},
            # sweeps compile per exact step count (pages offer a fixed menu), runs per bucket
            **{**sweep_base, **{k: v for k, v in change.items() if k not in ("hparams", "steps")}},
        )
    assert engine._scan_run._cache_size() == cache_before
    assert compiles.count == compiled_before, "a float change recompiled the engine"


def test_structural_change_compiles_once_each(compiles):
    optviz.run("nesterov", "beale", steps=60)
    after_first = compiles.count
    assert after_first >= 1
    optviz.run("nesterov", "beale", steps=60, hparams={"lr": 0.001})
    optviz.run("nesterov", "beale", steps=70)  # same bucket
    assert compiles.count == after_first


def test_formula_text_reuses_the_compiled_engine(compiles):
    optviz.run("sgd", optviz.compile_formula("x**2 + y**4"), steps=40)
    count = compiles.count
    optviz.run("sgd", optviz.compile_formula("x^2 + y^4"), steps=40, hparams={"lr": 0.01})
    assert compiles.count == count


def test_buckets():
    assert engine.bucket(1) == 25 and engine.bucket(200) == 200 and engine.bucket(201) == 300
    assert engine.bucket(25) == 25 and engine.bucket(26) == 50
    assert engine.bucket(engine.MAX_STEPS) == engine.MAX_STEPS
    with pytest.raises(ValueError):
        engine.bucket(0)
    with pytest.raises(ValueError):
        engine.bucket(engine.MAX_STEPS + 1)


def test_core_never_imports_streamlit():
    code = "import optviz, sys; assert not any(m.startswith('streamlit') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)
