"""Mini-batch noise page: the noise model, escaping the saddle, flat vs sharp shares (checked
against single optviz.run calls), the notes' claim about batch size, the linear scaling rule,
and the page itself under AppTest (defaults, extremes, every menu option, URL round trip,
tampered links)."""

import logging
import math
from pathlib import Path

import jax
import numpy as np
import pytest
from pagetest import chart_spec as spec
from streamlit.testing.v1 import AppTest

import optviz
from optviz import SURFACES
from optviz.lessons import noise

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages/noise.py")
P = "nm:"
DEFAULT_K, DEFAULT_LR, DEFAULT_SIGMA1, DEFAULT_STEPS = 8, 0.04, 8.0, 1000


@pytest.fixture(scope="module")
def share_map():
    """The page's default (K, η) map: 64 seeds × 9 × 6 runs of 1000 steps."""
    return noise.share_map(DEFAULT_SIGMA1, DEFAULT_STEPS)


# ----------------------------------------------------------------------------- the noise model


@pytest.mark.parametrize("k", [1, 4, 64, 256])
def test_noise_std_follows_sigma1_over_sqrt_k(k):
    sigma = noise.batch_noise(6.0, k)
    assert sigma == pytest.approx(6.0 / math.sqrt(k))
    # what the engine really adds: grad_used - grad of one long run on a flat-ish surface
    traj = optviz.run("sgd", "flat_sharp", (0.0, 0.0), 2000, {"lr": 1e-4}, noise=sigma, seed=3)
    added = traj.grad_used - traj.grad[:-1]
    assert np.std(added) == pytest.approx(sigma, rel=0.04)
    assert abs(np.mean(added)) < 0.1 * sigma
    # and what the page recovers from the steps of a 64-run cloud
    cloud = noise.cloud("flat_sharp", noise.FLAT_SHARP_START, k, 0.01, 6.0, 200)
    assert noise.measured_noise(cloud, 0.01) == pytest.approx(sigma, rel=0.03)


def test_measured_noise_is_zero_for_full_batch():
    cloud = noise.cloud("flat_sharp", noise.FLAT_SHARP_START, 8, 0.04, 0.0, 100)
    assert noise.measured_noise(cloud, 0.04) < 1e-4
    assert np.allclose(cloud.xy, cloud.xy[:1])  # every copy is the same GD run


# ----------------------------------------------------------------------------- (a) the saddle


def test_escaped_share_matches_a_loop():
    cloud = noise.cloud("saddle", noise.SADDLE_START, 16, 0.04, 8.0, 100)
    share = noise.escaped_share(cloud)
    expected = np.zeros(cloud.xy.shape[1])
    for path in cloud.xy:
        for t in range(len(path)):
            y = path[t, 1]
            if not np.isfinite(y) or abs(y) >= noise.ESCAPE:
                expected[t:] += 1
                break
    np.testing.assert_allclose(share, expected / len(cloud))
    assert np.all(np.diff(share) >= 0)


def test_full_batch_stalls_at_the_saddle_and_noise_escapes():
    view = noise.saddle_view(DEFAULT_K, DEFAULT_LR, DEFAULT_SIGMA1, 100)
    assert view.median_step[noise.FULL_BATCH] is None  # σ = 0 never leaves the ridge
    assert np.hypot(*view.gd_end) < 1e-2  # ... and ends at the saddle point (0, 0)
    assert view.escaped_share >= 0.95
    steps = [view.median_step[noise.batch_label(k)] for k in (1, DEFAULT_K, 256)]
    assert None not in steps and steps[0] < steps[1] < steps[2]  # smaller batch: sooner
    gd = optviz.run("sgd", "saddle", noise.SADDLE_START, 100, {"lr": DEFAULT_LR})
    assert gd.diverged_at is None and abs(gd.xy[-1, 1]) == 0.0


def test_an_offset_start_escapes_without_noise_but_late():
    view = noise.saddle_view(DEFAULT_K, DEFAULT_LR, DEFAULT_SIGMA1, 300, y0=1e-4)
    # |y| grows like (1 + 2η)^t from 1e-4: |y| ≥ 1 after log(1e4)/log(1.08) ≈ 120 steps
    expected = math.ceil(math.log(1e4) / math.log(1 + 2 * DEFAULT_LR))
    assert view.median_step[noise.FULL_BATCH] == pytest.approx(expected, abs=1)
    assert view.median_step[noise.batch_label(DEFAULT_K)] < expected / 3


# ----------------------------------------------------------------------------- (b) flat vs sharp


def test_classify_against_a_loop():
    rng = np.random.default_rng(0)
    points = rng.uniform([-3, -2], [3, 2], size=(500, 2))
    points[:5] = [[-1.4, 0.0], [1.5, 0.1], [0.0, 0.0], [1.5, 0.29], [1.5, 0.31]]
    diverged = rng.random(500) < 0.1
    codes = noise.classify(points, diverged)
    flat, sharp = SURFACES["flat_sharp"].minima
    for p, bad, code in zip(points, diverged, codes, strict=True):
        d_flat, d_sharp = math.dist(p, flat), math.dist(p, sharp)
        if bad:
            want = 3
        elif d_flat <= d_sharp:
            want = 0 if d_flat <= 1.6 else 2
        else:
            want = 1 if d_sharp <= 0.3 else 2
        assert code == want, (p, bad)


def test_page_shares_equal_counts_from_single_runs():
    view = noise.flat_sharp_view(DEFAULT_K, DEFAULT_LR, DEFAULT_SIGMA1, DEFAULT_STEPS)
    cloud = noise.cloud(
        "flat_sharp", noise.FLAT_SHARP_START, DEFAULT_K, DEFAULT_LR, DEFAULT_SIGMA1, DEFAULT_STEPS
    )
    codes = noise.batch_outcomes(cloud)
    np.testing.assert_allclose(view.shares, np.bincount(codes, minlength=4) / noise.SEEDS)
    sigma = DEFAULT_SIGMA1 / math.sqrt(DEFAULT_K)
    for seed in (0, 1, 2, 5, 17, 40, 63):
        run = optviz.run(
            "sgd", "flat_sharp", noise.FLAT_SHARP_START, DEFAULT_STEPS, {"lr": DEFAULT_LR},
            noise=sigma, seed=seed,
        )  # fmt: skip
        np.testing.assert_allclose(run.xy, cloud.xy[seed], atol=1e-4)
        single = noise.classify(run.xy[-1], run.diverged_at is not None)
        assert single == codes[seed], seed


def test_map_cell_equals_the_cloud_and_single_runs(share_map):
    i, j = noise.BATCH_SIZES.index(DEFAULT_K), noise.MAP_LRS.index(DEFAULT_LR)
    view = noise.flat_sharp_view(DEFAULT_K, DEFAULT_LR, DEFAULT_SIGMA1, DEFAULT_STEPS)
    np.testing.assert_allclose(share_map[i, j], view.shares, atol=1.5 / noise.SEEDS)
    # one more cell, counted run by run with optviz.run (seed s is sweep number s). At a
    # stable η the two compiled loops agree bit for bit; beyond the sharp well's limit
    # (η > 0.041) the bouncing in the well is chaotic and round-off decides single runs.
    i, j = noise.BATCH_SIZES.index(16), noise.MAP_LRS.index(0.02)
    codes = []
    for seed in range(noise.SEEDS):
        run = optviz.run(
            "sgd", "flat_sharp", noise.FLAT_SHARP_START, DEFAULT_STEPS, {"lr": 0.02},
            noise=DEFAULT_SIGMA1 / 4.0, seed=seed,
        )  # fmt: skip
        codes.append(noise.classify(run.xy[-1], run.diverged_at is not None))
    counted = np.bincount(np.array(codes, int), minlength=4) / noise.SEEDS
    np.testing.assert_array_equal(share_map[i, j], counted)
    assert 0 < counted[0] < 1  # a cell where both outcomes occur
    assert np.allclose(share_map.sum(axis=-1), 1.0)


def test_noise_free_gd_ends_in_the_sharp_minimum():
    gd = optviz.run("sgd", "flat_sharp", noise.FLAT_SHARP_START, DEFAULT_STEPS, {"lr": DEFAULT_LR})
    assert noise.classify(gd.xy[-1], False) == 1


def test_small_batch_ends_flat_large_batch_ends_sharp(share_map):
    """The notes: 批量越大，越有可能收敛到尖锐最小值；批量越小，越有可能收敛到平坦最小值."""
    j = noise.MAP_LRS.index(DEFAULT_LR)
    flat, sharp = share_map[:, j, 0], share_map[:, j, 1]
    at = {k: i for i, k in enumerate(noise.BATCH_SIZES)}
    assert flat[at[DEFAULT_K]] >= 0.7  # the default shows it
    assert sharp[at[256]] >= 0.9
    for small, large in [(4, 64), (8, 16), (8, 256), (16, 256)]:
        assert flat[at[small]] > flat[at[large]] + 0.1, (small, large)
    assert np.all(np.diff(sharp) >= -0.05)  # sharp share grows with K
    # the same holds at other learning rates of the map, with the band moving along η/K
    for lr in (0.02, 0.08):
        col = share_map[:, noise.MAP_LRS.index(lr)]
        assert col[:, 0].max() >= 0.4 and col[at[256], 1] >= 0.9


def test_linear_scaling_rule_keeps_the_shares():
    result = noise.linear_scaling(DEFAULT_K, DEFAULT_LR, DEFAULT_SIGMA1, DEFAULT_STEPS, 2)
    before, batch, scaled = result["before"], result["batch"], result["scaled"]
    assert abs(scaled[0] - before[0]) <= 0.1  # K ×2 and η ×2: about the same flat share
    assert batch[0] < before[0] - 0.4  # K ×2 alone: mostly sharp now
    assert batch[1] > 0.6
    # the rule breaks when the batch and η become very large: η × 32 = 1.28 > 2/λ_max even
    # of the flat well, so many runs keep bouncing instead of settling
    huge = noise.linear_scaling(DEFAULT_K, DEFAULT_LR, DEFAULT_SIGMA1, DEFAULT_STEPS, 32)
    assert DEFAULT_LR * 32 > noise.stability_limits()["flat"]
    assert huge["scaled"][2] > before[2] + 0.15
    assert huge["scaled"][0] < before[0] - 0.1


def test_stability_limits_against_finite_differences():
    def f(x, y):
        wide = np.exp(-((x + 1.5) ** 2 + y**2) / (2 * 0.8**2))
        sharp = np.exp(-((x - 1.5) ** 2 + y**2) / (2 * 0.15**2))
        return 1.0 + 0.05 * (x**2 + y**2) - wide - 1.1 * sharp

    limits = noise.stability_limits()
    for name, (x, y) in zip(("flat", "sharp"), SURFACES["flat_sharp"].minima, strict=True):
        h = 1e-3
        fxx = (f(x + h, y) - 2 * f(x, y) + f(x - h, y)) / h**2
        fyy = (f(x, y + h) - 2 * f(x, y) + f(x, y - h)) / h**2
        assert limits[name] == pytest.approx(2.0 / max(fxx, fyy), rel=2e-3)
    assert limits["sharp"] < DEFAULT_LR * 2 < limits["flat"]


# ----------------------------------------------------------------------------- figures


def test_cloud_figure_animates_one_trace_with_64_heads():
    view = noise.flat_sharp_view(DEFAULT_K, DEFAULT_LR, DEFAULT_SIGMA1, DEFAULT_STEPS)
    fig = view.cloud
    heads = fig.layout.meta["heads_trace"]
    assert heads == len(fig.data) - 2 and fig.data[-1].name == "frame-counter"
    assert 2 <= len(fig.frames) <= noise.MAX_FRAMES
    for frame in fig.frames:
        assert list(frame.traces) == [heads, heads + 1]  # the 64 heads and "step k"
        assert len(frame.data[0].x) == noise.SEEDS
        assert frame.data[1].text == (f"step {frame.name}",)
    assert {t.type for t in fig.data} == {"scatter"}  # no contour/heatmap when animated
    assert fig.layout.images and fig.layout.xaxis.autorange is False


def test_map_figure_marks_the_current_and_the_scaled_setting(share_map):
    fig = noise.map_figure(
        share_map[..., 0], noise.BATCH_SIZES, noise.MAP_LRS, (8, 0.04), (16, 0.08)
    )
    heat, current, scaled = fig.data
    np.testing.assert_allclose(np.asarray(heat.z), share_map[..., 0].T)
    assert (current.x[0], current.y[0]) == (3.0, pytest.approx(math.log2(0.04)))
    assert (scaled.x[0], scaled.y[0]) == (4.0, pytest.approx(math.log2(0.08)))
    assert fig.layout.annotations[0].showarrow


def test_slider_moves_do_not_recompile():
    noise.cloud("flat_sharp", noise.FLAT_SHARP_START, 8, 0.04, 8.0, 300)
    count = []

    class Counter(logging.Handler):
        def emit(self, record):
            if "Finished XLA compilation" in record.getMessage():
                count.append(record)

    handler = Counter(logging.DEBUG)
    logger = logging.getLogger("jax")
    logger.addHandler(handler)
    try:
        with jax.log_compiles():
            for k, lr, s1 in [(1, 0.5, 0.0), (256, 0.001, 20.0), (3, 0.013, 7.3)]:
                noise.cloud("flat_sharp", noise.FLAT_SHARP_START, k, lr, s1, 300)
    finally:
        logger.removeHandler(handler)
    assert not count


# ----------------------------------------------------------------------------- the page


def page(query=None):
    at = AppTest.from_file(PAGE, default_timeout=180)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def text(at):
    return " ".join(m.value for m in at.markdown)


def test_defaults_render():
    at = page()
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("Mini-batch noise")
    assert not at.warning
    assert len(at.get("plotly_chart")) == 5
    assert "81% end in the flat minimum" in text(at)
    assert "stuck at the saddle point" in text(at)
    cloud = spec(at, "flat_cloud")
    assert cloud["frames"] and len(cloud["frames"][0]["data"][0]["x"]) == noise.SEEDS
    assert dict(at.query_params) == {}


def test_larger_batch_moves_the_runs_to_the_sharp_minimum():
    at = page()
    at.select_slider(key=P + "K").set_value(256).run()
    assert not at.exception
    flat = noise.flat_sharp_view(256, DEFAULT_LR, DEFAULT_SIGMA1, DEFAULT_STEPS).shares[0]
    assert flat < 0.1
    assert f"{flat:.0%} end in the flat minimum" in text(at)
    assert at.query_params["K"] == "256"


@pytest.mark.parametrize(
    "key, value",
    [
        ("K", 1), ("lr", 0.001), ("lr", 0.5), ("sigma1", 0.0), ("sigma1", 20.0),
        ("steps", 2000), ("steps", 250), ("y0", 0.01), ("saddle_steps", 300),
    ],
)  # fmt: skip
def test_extreme_values(key, value):
    at = page()
    widget = at.slider(key=P + key) if key == "sigma1" else at.select_slider(key=P + key)
    widget.set_value(value).run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 5


@pytest.mark.parametrize("m", noise.SCALE_FACTORS)
def test_every_scaling_factor(m):
    at = page({"scaling": "1"})
    at.select_slider(key=P + "m").set_value(m).run()
    assert not at.exception, at.exception
    assert f"Linear scaling rule, ×{m}" in text(at)
    bars = spec(at, "shares")
    assert len(bars["data"][0]["y"]) == 3  # before, batch only, linear scaling
    if m == 32:
        assert at.warning  # η × m beyond the flat well's limit


@pytest.mark.parametrize("y0", noise.Y0_MENU)
def test_every_start_offset(y0):
    at = page()
    at.select_slider(key=P + "y0").set_value(y0).run()
    assert not at.exception


def test_scaling_toggle():
    at = page()
    assert "Linear scaling rule" not in text(at)
    at.toggle(key=P + "scaling").set_value(True).run()
    assert not at.exception
    assert "Linear scaling rule, ×2" in text(at)
    assert at.query_params["scaling"] == "1"


def test_url_round_trip():
    query = {
        "K": "64", "lr": "0.02", "sigma1": "12", "y0": "0.0001", "saddle_steps": "200",
        "steps": "500", "scaling": "1", "m": "4",
    }  # fmt: skip
    at = page(query)
    assert not at.exception and not at.warning
    assert at.session_state[P + "K"] == 64
    assert at.session_state[P + "lr"] == 0.02
    assert at.session_state[P + "scaling"] is True
    for key, value in query.items():
        assert at.query_params[key] == value, key


@pytest.mark.parametrize(
    "query",
    [{"K": "abc"}, {"lr": "nan"}, {"sigma1": "1e999"}, {"steps": "-5"}, {"m": "<b>x</b>"},
     {"scaling": "maybe"}, {"y0": "inf"}, {"unknown": "1"}],
)  # fmt: skip
def test_tampered_url(query):
    at = page(query)
    assert not at.exception, at.exception
    assert at.warning
    assert len(at.get("plotly_chart")) == 5


def test_page_in_chinese():
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "小批量噪声、鞍点、平坦最小值与尖锐最小值"
    assert "收敛到平坦最小值" in text(at)
    cloud = spec(at, "flat_cloud")
    assert cloud["layout"]["title"]["text"].startswith("64 次运行")
