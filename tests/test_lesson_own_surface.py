"""Your-own-surface page: examples, bad formulas, URL state, and that windows never recompile."""

import ast
import json
from pathlib import Path

import numpy as np
import pytest
from pagetest import open_page
from streamlit.testing.v1 import AppTest

import optviz
from optviz import engine
from optviz.lessons import gradcheck as gc
from optviz.ui.i18n_zh import ZH

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages/own-surface.py")
P = "os:"
TIMEOUT = 180


def examples() -> dict:
    """The page's EXAMPLES table, read (as a literal) from the page without running it."""
    tree = ast.parse((ROOT / "pages/own-surface.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "EXAMPLES":
            return ast.literal_eval(node.value)
    raise AssertionError("the page defines EXAMPLES")


EXAMPLES = examples()


def app(query=None):
    return open_page(PAGE, query, TIMEOUT)


def charts(at):
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


# ----------------------------------------------------------------------------- numbers


def test_every_example_compiles_and_is_finite_in_its_window():
    assert len(EXAMPLES) == 6
    for _, formula, xr, yr in EXAMPLES.values():
        surface = optviz.compile_formula(formula, (xr, yr))
        _, _, z = gc.surface_grid(surface)
        assert np.isfinite(z).all()


def test_himmelblau_written_out_matches_the_registry():
    _, formula, xr, yr = EXAMPLES["himmelblau"]
    mine = optviz.compile_formula(formula, (xr, yr))
    p = np.random.default_rng(0).uniform(-5, 5, (2, 50)).astype(np.float32)
    assert np.allclose(mine(p), optviz.SURFACES["himmelblau"](p), rtol=1e-5)


def test_moving_the_window_never_recompiles_the_runs():
    formula = "x**2 + 10*y**2"
    from optviz.ui import lessons_misc

    windows = [((-3.0, 3.0), (-3.0, 3.0)), ((-1.0, 4.0), (-2.0, 2.5)), ((-8.0, 8.0), (-1.0, 1.0))]
    _, run = lessons_misc.own_surfaces(formula, windows[0])
    optviz.run("sgd", run, start=(-0.5, 0.5), steps=100)
    size = engine._scan_run._cache_size()
    for w in windows[1:]:
        view, run2 = lessons_misc.own_surfaces(formula, w)
        assert run2 is run and view.bounds == w  # one run surface per formula
        optviz.run("sgd", run2, start=(0.5, 0.25), steps=100, hparams={"lr": 0.02})
    assert engine._scan_run._cache_size() == size


def test_runs_on_the_big_box_equal_runs_on_the_window_surface():
    formula = "(1-x)^2 + 100*(y-x^2)^2"
    small = optviz.compile_formula(formula, ((-2.0, 2.0), (-1.0, 3.0)))
    big = optviz.compile_formula(formula, ((-20.0, 20.0), (-20.0, 20.0)))
    a = optviz.run("sgd", small, start=(-1.5, 2.0), steps=100, hparams={"lr": 1e-3})
    b = optviz.run("sgd", big, start=(-1.5, 2.0), steps=100, hparams={"lr": 1e-3})
    assert a.diverged_at is None and np.allclose(a.xy, b.xy)


def test_field_arrows_point_downhill_on_a_formula():
    surface = optviz.compile_formula("x**2 + 10*y**2")
    pts, grads = gc.gradient_field(surface, ((-1.0, 1.0), (-1.0, 1.0)))
    assert np.allclose(grads, np.stack([2 * pts[:, 0], 20 * pts[:, 1]], 1), rtol=1e-4, atol=1e-5)


# ----------------------------------------------------------------------------- the page


def test_page_defaults():
    at = app()
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("Your own surface")
    specs = charts(at)
    assert len(specs) == 3
    assert specs[0].get("frames"), "the race is animated"
    assert any(t.get("type") == "surface" for t in specs[2]["data"])  # 3D
    field = specs[1]["data"]
    assert any(t.get("name") == "−∇f (downhill)" for t in field)
    assert not any(t.get("type") in ("contour", "heatmap") for s in specs[:2] for t in s["data"])
    assert not at.error and not at.warning


@pytest.mark.parametrize("key", list(EXAMPLES))
def test_each_example(key):
    at = app({"opts": "sgd"})  # one optimizer: one engine compile per formula
    at.selectbox(key=P + "_example").select(key).run()
    assert not at.exception, at.exception
    _, formula, xr, yr = EXAMPLES[key]
    assert at.session_state[P + "formula"] == formula
    assert at.session_state[P + "_example"] == ""  # the picker resets
    assert len(charts(at)) == 3
    if formula != EXAMPLES["egg"][1]:
        assert at.query_params["formula"] == formula
    race = charts(at)[0]
    assert race["layout"]["xaxis"]["range"] == list(xr)


@pytest.mark.parametrize("bad", ["2y", "__import__('os')", "x**y", "", "x +* y", "sin(x"])
def test_bad_formula_from_a_link_shows_an_error_and_nothing_else(bad):
    at = app({"formula": bad})
    assert not at.exception, at.exception
    assert at.error and "cannot be used" in at.error[0].value
    assert not at.get("plotly_chart")


def test_bad_formula_typed_keeps_the_last_picture():
    at = app({"opts": "sgd"})
    at.text_input(key=P + "formula").set_value("__import__('os')").run()
    assert not at.exception, at.exception
    assert at.error and "quotes" in at.error[0].value
    assert len(charts(at)) == 3
    assert any("last formula that worked" in c.value for c in at.caption)
    at.text_input(key=P + "formula").set_value("x**2 + 10*y**2").run()
    assert not at.error and len(charts(at)) == 3


def test_url_round_trip_with_spaces_carets_and_parentheses():
    query = {
        "formula": "(1 - x)^2 + 100*(y - x^2)^2",
        "xr": "-2,2",
        "yr": "-1,3",
        "opts": "adam,rmsprop",
        "adam.lr": "0.05",
        "start": "-1.5,2",
        "steps": "200",
    }
    at = app(query)
    assert not at.exception and not at.warning and not at.error
    assert at.session_state[P + "formula"] == query["formula"]
    assert at.session_state[P + "start.x"] == -1.5
    for k, v in query.items():
        assert at.query_params[k] == v, k
    assert len(charts(at)[0]["frames"]) > 50


def test_extreme_settings():
    at = app({"opts": "sgd"})
    at.slider(key=P + "xr").set_value((-20.0, 20.0)).run()
    at.slider(key=P + "yr").set_value((-0.5, 0.5)).run()
    at.select_slider(key=P + "steps").set_value(1000).run()
    at.select_slider(key=P + "sgd.lr").set_value(10.0).run()
    assert not at.exception, at.exception
    assert at.query_params["xr"] == "-20,20" and at.query_params["steps"] == "1000"
    at.select_slider(key=P + "sgd.lr").set_value(1e-4).run()
    assert not at.exception, at.exception


def test_huge_step_diverges_with_a_message():
    at = app({"formula": "x**4 + y**4", "opts": "sgd", "sgd.lr": "10"})
    assert not at.exception, at.exception
    assert any("diverged at step" in e.value for e in at.error)


@pytest.mark.parametrize(
    "query",
    [
        {"formula": "x" * 300},
        {"xr": "5,-5"},
        {"yr": "1,1"},
        {"start": "inf,1"},
        {"opts": "bogus"},
        {"steps": "many"},
        {"xr": "a,b"},
    ],
)
def test_tampered_url(query):
    at = app(query)
    assert not at.exception, at.exception
    assert at.warning
    assert len(charts(at)) == 3


# ----------------------------------------------------------------------------- 简体中文


def test_every_example_name_has_chinese():
    missing = [name for name, *_ in EXAMPLES.values() if name not in ZH]
    assert not missing, missing


def test_page_in_chinese():
    app({"opts": "sgd"})  # the English page first: its cached figures must not leak
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state["lang"] = "zh"
    at.query_params["opts"] = "sgd"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == ZH["Your own surface (自定义曲面)"]
    field = charts(at)[1]["data"]
    assert any(t.get("name") == ZH["−∇f (downhill)"] for t in field)
    assert at.tabs[0].label == ZH["SGD"]
    at.text_input(key=P + "formula").set_value("__import__('os')").run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("无法使用这个公式")
    assert any("上一个可用的公式" in c.value for c in at.caption)
