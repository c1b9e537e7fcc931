"""The in-place chart's Python side: its data, the live-drag family, and the playground's use."""

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from pagetest import chart_spec, live_data, open_page

import optviz
from optviz import plots
from optviz.ui import controls, live_chart

APP = str(Path(__file__).resolve().parents[1] / "app.py")
P = "pg:"


def decode(family):
    flat = np.frombuffer(base64.b64decode(family["paths"]), "<f4")
    return flat.reshape(family["positions"], family["points"], 2)


def test_figure_json_drops_plotlys_template_and_keeps_the_figure():
    run = optviz.run("sgd", "quadratic", steps=10)
    fig = plots.loss_figure([run], ["SGD"])
    assert "template" in fig.to_dict()["layout"]
    spec = json.loads(live_chart.figure_json(fig))
    assert "template" not in spec["layout"] and spec["data"][0]["name"] == "SGD"
    assert json.loads(live_chart.figure_json({"data": [], "layout": {"x": np.float32(2)}}))[
        "layout"
    ] == {"x": 2.0}


def test_widget_class_is_streamlits():
    assert live_chart.widget_class("pg:sgd.lr") == "st-key-pg-sgd-lr"
    assert live_chart.widget_class("rd:l2") == "st-key-rd-l2"


def test_a_family_round_trips_float32_paths():
    paths = np.random.default_rng(0).normal(size=(5, 7, 2))
    paths[2, 4:] = np.nan  # a diverged run
    family = live_chart.family(
        "pg:sgd.lr", paths, path_trace=1, heads_trace=5, head_index=0, current=2, steps=6
    )
    np.testing.assert_array_equal(decode(family), paths.astype(np.float32))
    assert (family["positions"], family["points"], family["slider_class"]) == (
        5,
        7,
        "st-key-pg-sgd-lr",
    )


def test_plotly_js_is_the_plotly_packages_own_and_is_served():
    assert live_chart.ensure_plotly_js()
    assert live_chart.STATIC_JS.read_bytes()[:4096] == live_chart.BUNDLED_JS.read_bytes()[:4096]
    config = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"
    assert "enableStaticServing = true" in config.read_text()


def test_the_playground_draws_in_place_with_the_open_tabs_learning_rate_family():
    at = open_page(APP, {"opts": "sgd,adam", "steps": "50"}, 300)
    assert not at.exception
    data = live_data(at, P + "chart")
    family = data["family"]
    assert family["slider"] == P + "sgd.lr" and family["path_trace"] == 1
    spec = chart_spec(at, P + "chart")
    assert spec["data"][family["heads_trace"]]["name"] == "heads"
    lr = next(p for p in optviz.OPTIMIZERS["sgd"].params if p.name == "lr")
    stops = controls.log_options(lr.low, lr.high, optviz.OPTIMIZERS["sgd"].defaults()["lr"])
    assert family["positions"] == len(stops)  # one path per stop of the slider, in its order
    assert stops[family["current"]] == optviz.OPTIMIZERS["sgd"].defaults()["lr"]
    paths = decode(family)
    for k in (0, len(stops) // 2, len(stops) - 1):
        run = optviz.run("sgd", "quadratic", steps=50, hparams={"lr": stops[k]})
        np.testing.assert_allclose(paths[k], run.xy, atol=1e-5, equal_nan=True)


def test_the_family_follows_the_open_tab_and_skips_pictures_without_one_path_per_run():
    at = open_page(APP, {"opts": "sgd,adam", "steps": "50"}, 300)
    at.session_state[P + "_tab"] = "Adam"
    at.run()
    family = live_data(at, P + "chart")["family"]
    assert family["slider"] == P + "adam.lr" and family["path_trace"] == 2
    assert family["head_index"] == 1
    side = open_page(APP, {"opts": "sgd,adam", "view": "side"}, 300)
    assert live_data(side, P + "chart")["family"] is None  # panels, not one overlay
    quiz = open_page(APP, {"opts": "sgd,adam", "quiz": "1"}, 300)
    assert live_data(quiz, P + "quiz.chart")["family"] is None


def test_long_runs_are_thinned_for_the_family():
    at = open_page(APP, {"opts": "sgd", "steps": "1000"}, 300)
    family = live_data(at, P + "chart")["family"]
    assert family["points"] <= 302 and family["every"] == 4


@pytest.mark.parametrize("name", ["lr", "momentum"])
def test_run_family_is_the_runs_one_by_one(name):
    values = [0.05, 0.1, 0.3, 0.9]
    batch = optviz.run_family("momentum", "rosenbrock", steps=40, name=name, values=values)
    for i, v in enumerate(values):
        run = optviz.run("momentum", "rosenbrock", steps=40, hparams={name: v})
        np.testing.assert_allclose(batch.xy[i], run.xy, atol=1e-5, equal_nan=True)
    with pytest.raises(KeyError, match="no hyperparameter"):
        optviz.run_family("sgd", "quadratic", name="beta1", values=[0.9])


def test_moving_other_sliders_never_recompiles_the_family(compiles):
    stops = controls.log_options(1e-4, 10.0, 0.1)
    optviz.run_family("adam", "quadratic", steps=100, values=stops)
    before = compiles.count
    for hp in ({"beta1": 0.5}, {"beta2": 0.9, "eps": 1e-3}, {"bias_correction": False}):
        optviz.run_family("adam", "quadratic", steps=100, hparams=hp, values=stops)
    optviz.run_family("adam", "quadratic", steps=100, start=(1.0, 1.0), values=stops)
    assert compiles.count == before
