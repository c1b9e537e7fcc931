"""The real-data lesson: early stopping, the two losses, σ_K, normalization, L2, and the page."""

from pathlib import Path

import numpy as np
import pytest
from pagetest import chart_spec, open_page, texts, typed_array
from streamlit.testing.v1 import AppTest

import optviz
from optviz.lessons import realdata
from optviz.ui.i18n_zh import ZH

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages/real-data.py")
P = "rd:"
DEFAULT = realdata.Setting()


def app(query=None):
    return open_page(PAGE, query, 180)


@pytest.fixture(scope="module")
def default_run():
    return realdata.trajectory(DEFAULT)


# ----------------------------------------------------------------------------- the lesson


def test_few_training_rows_overfit_and_early_stopping_finds_the_turn(default_run):
    found = realdata.curves(DEFAULT, default_run)
    end = default_run.last_valid
    assert 0 < found.stop < end // 2  # the validation error turned early
    assert found.val[end] > found.val_best + 0.05  # and rose clearly afterwards
    assert found.train[end] < found.train[found.stop]  # while training kept improving
    assert found.gap > 0.1 and found.val_best >= found.val_min - 1e-6
    assert found.stop == int(np.nanargmin(found.val))


def test_with_every_row_the_gap_is_small():
    setting = DEFAULT._replace(train_size=0)
    found = realdata.curves(setting, realdata.trajectory(setting))
    few = realdata.curves(DEFAULT, realdata.trajectory(DEFAULT))
    assert found.gap < few.gap / 3


def test_errors_are_data_losses_without_the_penalty():
    setting = DEFAULT._replace(l2=0.5)
    traj = realdata.trajectory(setting)
    found = realdata.curves(setting, traj)
    train, _ = realdata.surfaces(setting)
    assert found.train[7] == pytest.approx(float(train(traj.xy[7], {"l2": 0.0})), rel=1e-5)
    assert traj.loss[7] > found.train[7]  # the objective adds λ/2 ‖w‖²


def test_the_paths_figure_marks_both_minima_the_l2_path_and_early_stopping(default_run):
    fig = realdata.paths_figure(DEFAULT, default_run)
    train, val = realdata.surfaces(DEFAULT)
    named = {d.name: d for d in fig.data}
    assert named["validation minimum"].xaxis == "x"
    np.testing.assert_allclose(
        [named["validation minimum"].x[0], named["validation minimum"].y[0]], val.minima[0]
    )
    reg = named["L2 path"]
    np.testing.assert_allclose([reg.x[0], reg.y[0]], train.minima[0], rtol=1e-9)
    assert np.hypot(reg.x[-1], reg.y[-1]) < np.hypot(reg.x[0], reg.y[0])  # λ pulls to 0
    stops = [d for d in fig.data if d.name == "early stopping"]
    assert {d.xaxis for d in stops} == {"x", "x2"}
    stop = realdata.curves(DEFAULT, default_run).stop
    np.testing.assert_allclose([stops[0].x[0], stops[0].y[0]], default_run.xy[stop], rtol=1e-6)
    stars = [d for d in fig.data if d.name == "known minima / saddles"]
    assert [s.xaxis for s in stars] == ["x", "x2"]
    np.testing.assert_allclose([stars[1].x[0], stars[1].y[0]], val.minima[0])
    assert fig.layout.xaxis.title.text == "w₁" and fig.layout.yaxis.title.text == "w₂"
    assert len(fig.frames) > 10  # animated


def test_the_training_star_follows_lambda():
    setting = DEFAULT._replace(l2=0.4)
    fig = realdata.paths_figure(setting, realdata.trajectory(setting))
    train, _ = realdata.surfaces(setting)
    star = next(d for d in fig.data if d.name == "known minima / saddles")
    np.testing.assert_allclose([star.x[0], star.y[0]], train.minima_at({"l2": 0.4})[0])


def test_sigma_k_sampled_from_real_batches_matches_the_exact_formula():
    found = realdata.spread(DEFAULT._replace(train_size=0))
    np.testing.assert_allclose(found.sampled, found.exact, rtol=0.15)
    assert found.exact[0] == pytest.approx(found.gaussian[0])  # K = 1: the same
    assert found.exact[-1] < 0.9 * found.gaussian[-1]  # K near m: fewer rows left to vary


def test_normalization_lowers_kappa_and_raw_inputs_diverge_at_the_same_eta():
    numbers = realdata.conditioning(DEFAULT._replace(dataset="wine", train_size=0))
    assert numbers.kappa_raw > 1e4 and numbers.kappa_normalized < 10
    raw = DEFAULT._replace(dataset="diabetes", normalize=False, lr=0.3, train_size=0)
    traj = realdata.trajectory(raw)
    assert traj.diverged_at is not None
    level, text = realdata.story(raw, traj)[0]
    assert level == "error" and f"step {traj.diverged_at}" in text
    limit = realdata.conditioning(raw).eta_max
    assert limit < 0.3 and f"{limit:.3g}" in text


def test_a_mini_batch_run_is_noisy_and_reproducible():
    setting = DEFAULT._replace(batch=4)
    a, b = realdata.trajectory(setting), realdata.trajectory(setting)
    np.testing.assert_array_equal(a.xy, b.xy)
    full = realdata.trajectory(DEFAULT)
    assert not np.allclose(a.xy, full.xy)
    assert realdata.batch_size(DEFAULT._replace(batch=500)) is None  # K ≥ m: the full batch


def test_the_clouds_are_real_batches_and_gaussian_noise_of_the_same_spread():
    setting = DEFAULT._replace(batch=8, steps=50)
    real, gaussian, sigma = realdata.clouds(setting)
    train, _ = realdata.surfaces(setting)
    expect = optviz.batch_gradient_std(train, train.start, [8])[0] / np.sqrt(2)
    assert sigma == pytest.approx(expect)
    assert len(real) == len(gaussian) == realdata.CLOUD
    assert np.std(real.final, axis=0).min() > 0 and np.std(gaussian.final, axis=0).min() > 0
    fig = realdata.clouds_figure(setting)
    assert sum(d.mode == "markers" and d.showlegend is not False for d in fig.data) >= 2


def test_moving_floats_never_recompiles(compiles):
    realdata.trajectory(DEFAULT._replace(batch=5))
    before = compiles.count
    for change in ({"lr": 0.7}, {"l2": 0.3}, {"seed": 3}, {"batch": 7}, {"steps": 180}):
        realdata.trajectory(DEFAULT._replace(**{"batch": 5, **change}))
    assert compiles.count == before


# ----------------------------------------------------------------------------- the page


def test_page_draws_its_pictures_and_tells_the_story():
    at = app()
    assert not at.exception, at.exception
    keys = [c.proto.id for c in at.get("plotly_chart")]
    assert any(k.endswith("rd:paths") for k in keys) and any(k.endswith("rd:errors") for k in keys)
    assert any(k.endswith("rd:spread") for k in keys)
    assert "early" in texts(at.info)
    assert [m.label for m in at.metric][:2] == ["κ, raw inputs", "κ, normalized inputs"]


def test_a_link_sets_every_control_and_round_trips():
    query = {"dataset": "wine", "normalize": "0", "batch": "8", "l2": "0.3", "steps": "100"}
    at = app(query)
    assert not at.exception
    assert at.selectbox(key=P + "dataset").value == "wine"
    assert at.toggle(key=P + "normalize").value is False
    assert at.select_slider(key=P + "batch").value == 8
    for name, value in query.items():
        assert at.query_params[name] == value, name
    spec = chart_spec(at, "rd:paths")
    assert spec["layout"]["annotations"][0]["text"].startswith("training loss J_train (λ = 0.3)")


def test_a_tampered_link_falls_back_with_a_notice():
    at = app({"dataset": "<script>", "batch": "-5", "lr": "nan", "train_size": "1e999"})
    assert not at.exception
    assert at.selectbox(key=P + "dataset").value == DEFAULT.dataset
    assert "could not be used" in texts(at.warning) + texts(at.info) + texts(at.markdown)


def test_moving_k_redraws_the_path():
    at = app()
    before = typed_array(chart_spec(at, "rd:paths")["data"][1]["x"])
    at.select_slider(key=P + "batch").set_value(4).run()
    assert not at.exception
    after = typed_array(chart_spec(at, "rd:paths")["data"][1]["x"])
    assert not np.allclose(before, after[: len(before)])
    assert at.query_params["batch"] == "4"


def test_the_clouds_appear_when_asked():
    at = app({"batch": "8"})
    assert not any(c.proto.id.endswith("rd:clouds") for c in at.get("plotly_chart"))
    at.toggle(key=P + "_clouds").set_value(True).run()
    assert not at.exception
    assert any(c.proto.id.endswith("rd:clouds") for c in at.get("plotly_chart"))


def test_a_new_data_set_takes_its_learning_rate():
    at = app()
    at.selectbox(key=P + "dataset").set_value("diabetes").run()
    assert at.select_slider(key=P + "lr").value == realdata.LEARNING_RATES["diabetes"]
    assert (
        realdata.LEARNING_RATES["diabetes"]
        < realdata.conditioning(DEFAULT._replace(dataset="diabetes")).eta_max
    )


def test_page_in_chinese():
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception
    assert at.title[0].value == ZH["Real data: training vs validation (真实数据)"]
    assert "早停" in texts(at.info) and "step" not in texts(at.info)
