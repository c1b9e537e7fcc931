"""AppTest of the sweeps page: defaults, every section and its options, extreme resolutions,
presets, the zoom buttons, URL round trips and tampered links."""

import json
from pathlib import Path

import numpy as np
import pytest
from pagetest import open_page
from streamlit.testing.v1 import AppTest

from optviz import OPTIMIZERS, SURFACES, search

P = "sw:"
PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "sweeps.py")
SECTIONS = ["map", "fair", "basins", "search", "halving"]
SMALL = {"res": "25"}  # small maps keep the tests fast


def app(query=None):
    return open_page(PAGE, query, 300)


def specs(at):
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def ok(at):
    assert not at.exception, at.exception
    return at


def test_defaults_render():
    at = ok(app())
    assert at.title[0].value.startswith("Sweeps and search")
    assert not at.warning  # a clean link gives no notice
    heat, replay = specs(at)
    types = [t["type"] for t in heat["data"]]
    assert types[:2] == ["heatmap", "heatmap"]  # runs, then the diverged overlay
    assert heat["data"][heat["layout"]["meta"]["click_trace"]]["name"] == "click-grid"
    assert replay["frames"], "the clicked cell's run is animated"
    assert any("What to notice" in m.value for m in at.markdown)
    assert any("η alone explains" in m.value for m in at.markdown)
    assert dict(at.query_params) == {}  # the default page has an empty URL


@pytest.mark.parametrize("section", SECTIONS)
def test_every_section(section):
    at = ok(app({"section": section, **SMALL}))
    assert at.radio(key=P + "section").value == section
    assert len(at.get("plotly_chart")) >= 1
    assert any("What to notice" in m.value for m in at.markdown)
    assert dict(at.query_params).get("section", "map") == section


def test_switching_sections_keeps_their_settings():
    at = ok(app(SMALL))
    at.radio(key=P + "section").set_value("basins").run()
    at.selectbox(key=P + "b_surface").select("rastrigin").run()
    at.radio(key=P + "section").set_value("map").run()
    at.radio(key=P + "section").set_value("basins").run()
    ok(at)
    assert at.selectbox(key=P + "b_surface").value == "rastrigin"
    assert at.query_params["b_surface"] == "rastrigin" and at.query_params["res"] == "25"


@pytest.mark.parametrize("color", ["loss", "steps", "diverged"])
def test_colour_options(color):
    at = ok(app({**SMALL, "color": color}))
    heat = specs(at)[0]
    names = [t.get("name") for t in heat["data"]]
    assert "diverged" in names and "click-grid" in names
    if color == "steps":
        assert "never reached" in names


@pytest.mark.parametrize("res,steps", [("25", "100"), ("200", "100"), ("50", "500")])
def test_extreme_resolutions_and_steps(res, steps):
    at = ok(app({"res": res, "steps": steps}))
    assert any(f"{int(res) ** 2:,} runs of {steps}" in c.value for c in at.caption)


def test_every_optimizer_and_its_axes():
    """Every optimizer in the select box, and each of its second axes."""
    at = ok(app({**SMALL, "lr_max": "0.1"}))
    for key in OPTIMIZERS:
        at.selectbox(key=P + "opt").select(key).run()
        ok(at)
        axes = at.selectbox(key=P + "axis").options
        assert axes == [search.axis_title(a) for a in search.axis_names(key)]
    for axis in search.axis_names("adam"):
        at.selectbox(key=P + "opt").select("adam").run()
        at.selectbox(key=P + "axis").select(axis).run()
        ok(at)
        p = search.axis_param("adam", axis)
        assert at.slider(key=P + "y_range").value == (p.low, p.high)
        assert specs(at)[0]["layout"]["yaxis"]["title"]["text"] == search.axis_title(axis)


def test_every_surface_on_the_map():
    at = ok(app({**SMALL, "lr_max": "0.05"}))
    for key in SURFACES:
        at.selectbox(key=P + "surface").select(key).run()
        ok(at)
        assert at.session_state[P + "start.x"] == SURFACES[key].start[0]


def test_every_preset():
    at = ok(app())
    titles = at.selectbox(key=P + "preset").options
    assert len(titles) >= 7
    for i in range(1, len(titles)):
        at.selectbox(key=P + "preset").select_index(i).run()
        ok(at)
        slug = at.session_state[P + "preset"]
        assert at.query_params["preset"] == slug and slug
        assert at.selectbox(key=P + "preset").index == i
        assert not at.warning
    assert at.query_params["section"] == "halving"  # the last preset's section


def test_zoom_in_and_reset():
    at = ok(app(SMALL))
    at.button(key=P + "_zoom").click().run()
    ok(at)
    lo, hi = float(at.query_params["lr_min"]), float(at.query_params["lr_max"])
    assert np.log10(hi / lo) == pytest.approx(0.75, abs=0.01)  # 3 decades / 4
    y = at.slider(key=P + "y_range").value
    assert y[1] - y[0] == pytest.approx(0.999 / 4, abs=0.01)
    at.button(key=P + "_reset").click().run()
    ok(at)
    assert "lr_min" not in at.query_params and "y_max" not in at.query_params


def test_zoom_button_in_the_search_section():
    at = ok(app({**SMALL, "section": "search"}))
    at.button(key=P + "_zoom2").click().run()
    ok(at)
    assert "lr_min" in at.query_params


def test_picked_cell_is_replayed():
    at = ok(app({**SMALL, "pick": "0.2,0.5"}))
    replay = specs(at)[1]
    label = replay["data"][1]["name"]  # the path trace of the replayed run
    lr = float(label.split("η = ")[1].split(",")[0])
    assert lr == pytest.approx(0.2, rel=0.15)
    assert at.query_params["pick"] == "0.2,0.5"


def test_a_map_that_only_diverges_says_so():
    at = ok(app({**SMALL, "opt": "sgd", "axis": "noise", "lr_min": "20", "lr_max": "100"}))
    assert any("Every run on this map diverged" in w.value for w in at.warning)
    assert any("diverged at step" in e.value for e in at.error)


def test_basins_options():
    at = ok(app({"section": "basins", "b_res": "25"}))
    for surface in ("flat_sharp", "himmelblau", "rastrigin"):
        at.selectbox(key=P + "b_surface").select(surface).run()
        ok(at)
        assert at.session_state[P + "b_lr"] == {"flat_sharp": 0.1, "himmelblau": 0.01}.get(
            surface, 0.002
        )
    at.select_slider(key=P + "b_noise").set_value(1.0).run()
    ok(at)
    bars = specs(at)[1]
    assert [t["name"] for t in bars["data"]] == ["σ = 0", "σ = 1"]
    at.select_slider(key=P + "b_res").set_value("200").run()
    ok(at)
    assert at.query_params["b_res"] == "200"


def test_search_budget_extremes():
    for n in (4, 100):
        at = ok(app({**SMALL, "section": "search", "n": str(n)}))
        k = int(np.sqrt(n))
        assert any(f"{k}×{k} grid tries only" in m.value for m in at.markdown)


@pytest.mark.parametrize("n", ["8", "128"])
def test_halving_sizes(n):
    at = ok(app({**SMALL, "section": "halving", "sh_n": n}))
    rows = at.dataframe[0].value.to_dict("records")
    assert [r["configurations"] for r in rows][0] == int(n)
    assert rows[-1]["configurations"] == 1
    figure = specs(at)[0]
    assert len(figure["frames"]) == len(rows)


def test_fair_comparison_options():
    at = ok(app({"section": "fair", "fair": "sgd,adam"}))
    rows = at.dataframe[0].value.to_dict("records")
    assert [r["optimizer"] for r in rows] == ["SGD", "Adam"]
    at.multiselect(key=P + "fair").set_value([]).run()
    ok(at)
    assert at.info


def test_url_round_trip():
    query = {
        "section": "search",
        "surface": "rosenbrock",
        "opt": "adam",
        "axis": "beta2",
        "steps": "200",
        "lr_min": "0.0001",
        "lr_max": "0.5",
        "y_min": "0.5",
        "y_max": "0.99",
        "res": "25",
        "n": "36",
        "seed": "7",
        "start": "-1.2,1.5",
    }
    at = ok(app(query))
    assert not at.warning
    assert at.session_state[P + "y_range"] == (0.5, 0.99)
    assert at.session_state[P + "start.x"] == -1.2
    for k, v in query.items():
        assert at.query_params[k] == v, k


@pytest.mark.parametrize(
    "query",
    [
        {"section": "nonsense"},
        {"opt": "sgd", "axis": "momentum"},  # SGD has no momentum
        {"lr_min": "nan"},
        {"lr_max": "1e999"},
        {"res": "5000"},
        {"steps": "-5"},
        {"pick": "inf,3"},
        {"fair": "sgd,<script>alert(1)</script>"},
        {"b_noise": "abc"},
        {"n": "100000"},
        {"unknown": "1"},
        {"opt": "adam", "axis": "beta1", "y_max": "5"},  # β₁ < 1
        {"axis": "x" * 5000},
    ],
)
def test_tampered_url_falls_back_with_a_notice(query):
    at = ok(app({**query, "res": query.get("res", "25")}))
    assert at.warning, "a notice explains what was ignored"
    assert len(at.get("plotly_chart")) >= 1


@pytest.mark.parametrize("section", SECTIONS)
def test_chinese_page(section):
    at = AppTest.from_file(PAGE, default_timeout=300)
    at.session_state["lang"] = "zh"
    for k, v in {"section": section, **SMALL}.items():
        at.query_params[k] = v
    ok(at.run())
    assert at.title[0].value == "超参数扫描与搜索（超参数优化）"
    assert any("注意观察" in m.value for m in at.markdown)
