"""AppTest of the playground: defaults, presets, every surface and optimizer, widget changes,
URL round trips and tampered links."""

import json
from pathlib import Path

import pagetest
import pytest
from pagetest import charts, markdown_tables, open_exports, open_page, open_tab

from optviz import OPTIMIZERS, SURFACES
from optviz.presets import PRESETS
from optviz.ui.nav import PAGES

P = "pg:"
TIMEOUT = 180
APP = str(Path(__file__).resolve().parents[1] / "app.py")


def app(query=None):
    return open_page(APP, query, TIMEOUT)


def table(at):
    """The race table rows as a list of dicts (a Markdown table: "—" reads None)."""
    (rows,) = markdown_tables(at)
    return rows


def chart_spec(at, key=P + "chart"):
    return pagetest.chart_spec(at, key)


def test_defaults_render():
    at = app()
    assert not at.exception, at.exception
    assert at.title[0].value == "Playground"
    rows = table(at)
    assert [r["optimizer"] for r in rows] == ["SGD", "Momentum", "RMSProp", "Adam"]
    assert len(charts(at)) >= 2
    spec = chart_spec(at)
    assert spec.get("frames"), "the race chart is animated"
    assert not at.warning  # a clean link gives no notice
    assert not any("None" in m.value for m in at.markdown)  # "not reached" reads —, not None
    assert any(row["steps to tolerance"] is None for row in table(at))  # SGD never gets there
    assert not at.dataframe  # no data grid on the landing page: its scripts delay the chart


def test_slider_change_updates_the_race_table():
    at = app()
    before = table(at)[0]["final loss"]
    at.select_slider(key=P + "sgd.lr").set_value(0.01).run()
    assert not at.exception
    after = table(at)[0]["final loss"]
    assert after != before
    assert at.query_params["sgd.lr"] == "0.01"


def test_moving_one_optimizer_reruns_only_that_optimizer(monkeypatch):
    """Each run is cached on its own settings: a new SGD η runs SGD, not the other three."""
    import optviz

    at = app()
    calls = []
    real_run = optviz.run
    monkeypatch.setattr(
        optviz, "run", lambda *a, **k: calls.append(k["optimizer"]) or real_run(*a, **k)
    )
    at.select_slider(key=P + "sgd.lr").set_value(0.0012).run()
    assert not at.exception
    assert calls == ["sgd"]


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset(name):
    at = app()
    at.selectbox(key=P + "preset").select(name).run()
    assert not at.exception, at.exception
    preset = PRESETS[name].state
    assert at.session_state[P + "surface"] == preset["surface"]
    assert tuple(at.session_state[P + "opts"]) == preset["opts"]
    rows = table(at)
    assert len(rows) == len(preset["opts"])


def test_d2l_divergence_preset_says_diverged():
    at = app()
    at.selectbox(key=P + "preset").select("d2l-gd-0.6").run()
    assert any("diverged at step 6" in e.value for e in at.error)
    assert table(at)[0]["diverged at"] == 6


@pytest.mark.parametrize("surface", list(SURFACES))
def test_every_surface(surface):
    at = app({"surface": surface})
    assert not at.exception, at.exception
    assert at.session_state[P + "surface"] == surface
    assert len(table(at)) == 4


def test_every_optimizer():
    keys = list(OPTIMIZERS)
    for chunk in (keys[:6], keys[6:12], keys[12:]):
        at = app({"opts": ",".join(chunk)})
        assert not at.exception, at.exception
        assert [r["optimizer"] for r in table(at)] == [OPTIMIZERS[k].name for k in chunk]


def test_url_round_trip():
    query = {
        "surface": "rosenbrock",
        "opts": "sgd,adam",
        "adam.lr": "0.02",
        "sgd.lr": "0.001",
        "start": "-1.2,1.5",
        "steps": "200",
    }
    at = app(query)
    assert not at.exception and not at.warning
    assert at.session_state[P + "adam.lr"] == 0.02
    assert at.session_state[P + "start.x"] == -1.2
    for k, v in query.items():
        assert at.query_params[k] == v, k


def test_side_by_side_view():
    at = app({"view": "side"})
    assert not at.exception
    spec = chart_spec(at)
    assert len(spec["layout"]["images"]) == 4  # one background per panel


@pytest.mark.parametrize(
    "query",
    [
        {"surface": "nonsense"},
        {"opts": "sgd,<script>alert(1)</script>"},
        {"adam.lr": "nan"},
        {"sgd.lr": "1e999"},
        {"steps": "-5"},
        {"start": "inf,3"},
        {"unknown": "1"},
        {"opts": "x" * 5000},
    ],
)
def test_tampered_url_falls_back_with_a_notice(query):
    at = app(query)
    assert not at.exception, at.exception
    assert at.warning, "a notice explains what was ignored"
    assert len(table(at)) >= 1


def test_settings_do_not_leak_between_optimizers():
    at = app()
    assert [s.key for s in at.select_slider if ".lr" in s.key] == [P + "sgd.lr"]  # one tab open
    open_tab(at, "Momentum").select_slider(key=P + "momentum.lr").set_value(0.2).run()
    open_tab(at, "Adam").select_slider(key=P + "adam.lr").set_value(0.01).run()
    open_tab(at, "SGD")  # Momentum's and Adam's sliders are not drawn now: values are kept
    assert [r["optimizer"] for r in table(at)] == ["SGD", "Momentum", "RMSProp", "Adam"]
    assert at.session_state[P + "momentum.lr"] == 0.2
    assert at.session_state[P + "adam.lr"] == 0.01
    assert at.session_state[P + "sgd.lr"] == 0.1 and at.session_state[P + "rmsprop.lr"] == 0.05
    assert at.query_params["momentum.lr"] == "0.2" and "sgd.lr" not in at.query_params


def test_typed_start_point_moves_the_race():
    """Typing a start point moves every run and lands in the URL (clicks: browser test)."""
    at = app()
    assert at.session_state[P + "start.x"] == -5.0
    at.number_input(key=P + "start.x").set_value(1.5).run()
    at.number_input(key=P + "start.y").set_value(-1.0).run()
    assert at.query_params["start"] == "1.5,-1"
    rows = table(at)
    assert rows[0]["final loss"] < 0.1 * (0.1 * 1.5**2 + 2 * 1.0)


def test_presenter_mode_hides_what_the_teacher_chose():
    at = app({"present": "1", "hide": "surface,optimizers,sliders"})
    assert not at.exception
    keys = {w.key for w in at.selectbox} | {w.key for w in at.multiselect}
    assert P + "surface" not in keys and P + "opts" not in keys
    assert not [s for s in at.select_slider if s.key and s.key.endswith(".lr")]
    assert len(table(at)) == 4  # the race still runs with the link's settings
    spec = chart_spec(at)
    assert spec["layout"]["font"]["size"] >= 20 and spec["layout"]["height"] >= 700
    assert spec.get("frames")
    assert at.query_params["present"] == "1"


def test_presenter_mode_off_shows_everything():
    at = app({"hide": "surface"})  # hiding only applies in presenter mode
    keys = {w.key for w in at.selectbox}
    assert P + "surface" in keys


def test_predict_then_reveal():
    at = app({"quiz": "1", "opts": "sgd,adam"})
    assert not at.exception
    spec = chart_spec(at, P + "quiz.chart")
    assert not spec.get("frames") and "SGD" not in [t.get("name") for t in spec["data"]]
    at.radio(key=P + "quiz.guess").set_value("Adam").run()
    at.button(key=P + "quiz.reveal").click().run()
    assert not at.exception
    verdicts = [e.value for e in (*at.success, *at.warning)]
    assert any("got there first" in v or "No optimizer" in v for v in verdicts), verdicts
    assert any("frames" in spec for _, spec in charts(at))


def test_chinese_interface_from_the_link():
    at = app({"lang": "zh", "opts": "sgd,adam"})
    assert not at.exception and not at.warning
    assert at.title[0].value == "优化器赛场"
    columns = list(table(at)[0])
    assert "最终损失" in columns and "发散于第几步" in columns
    assert at.query_params["lang"] == "zh"
    english = app({"lang": "en"})
    assert english.title[0].value == "Playground" and "lang" not in english.query_params


def test_export_panel_offers_every_format_and_code():
    at = app({"opts": "sgd,momentum"})
    assert not at.exception
    assert not at.get("download_button")  # a closed panel draws no buttons
    open_exports(at)
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels == ["GIF", "MP4", "HTML", "PNG", "CSV", "JSON"]
    assert not [c for c in at.code if c.language == "python"]  # highlighted on demand only
    at.toggle(key=P + "_code").set_value(True).run()
    code = [c.value for c in at.code]
    assert any("optviz.run(" in c for c in code) and any("optax.sgd" in c for c in code)


def test_share_button_gives_the_link_of_this_picture():
    from urllib.parse import parse_qsl

    at = app({"opts": "sgd,adam", "adam.lr": "0.02"})
    assert not [c for c in at.code if "?" in c.value]  # drawn only when the popover opens
    at.session_state[P + "_share"] = True
    at.run()
    links = [c.value for c in at.code if "?" in c.value]
    assert len(links) == 1
    query = dict(parse_qsl(links[0].partition("?")[2]))
    assert query["opts"] == "sgd,adam" and query["adam.lr"] == "0.02"
    assert query == {k: at.query_params[k] for k in at.query_params}  # the address bar's


def test_every_page_file_is_named_after_its_url():
    """Before app.py has run, Streamlit looks a first URL up among pages/ by file name, so a
    page's URL is its file's name (``PageEntry.url_path``); renaming a file would break every
    link a teacher has shared, so the URLs are pinned here."""
    assert [entry.url_path for entry in PAGES] == [
        *("playground", "inside", "schedules", "noise", "clipping", "regularization"),
        *("conditioning", "ewma", "gradient-check", "own-surface", "sweeps", "real-data"),
        "landscape",
    ]
    for entry in PAGES:
        assert Path(entry.path).stem == entry.url_path, entry
        assert (Path(APP).parent / entry.path).is_file(), entry


def test_leaving_and_coming_back_keeps_the_settings():
    at = app({"opts": "sgd,adam", "adam.lr": "0.02"})
    at.switch_page("pages/inside.py").run()
    assert not at.exception
    at.switch_page("pages/playground.py").run()
    assert not at.exception, at.exception
    assert [r["optimizer"] for r in table(at)] == ["SGD", "Adam"]
    assert at.session_state[P + "adam.lr"] == 0.02


def test_latency_floor_page_moves_its_chart_with_the_slider():
    """bench/floor_app.py, the floor beside bench/app_latency.py's numbers, does what it claims."""
    from streamlit.testing.v1 import AppTest

    floor = Path(APP).parent / "bench" / "floor_app.py"
    at = AppTest.from_file(str(floor), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    (slider,) = at.select_slider
    assert slider.label == "lr $\\eta$"  # the label bench/app_latency.py looks for

    def second_x():
        (chart,) = at.get("plotly_chart")
        return json.loads(chart.proto.spec)["data"][1]["x"]

    before = second_x()
    slider.set_value(0.1).run()
    assert second_x() != before and second_x()[0] == 0.1
