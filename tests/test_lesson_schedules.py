"""The learning-rate schedules lesson: its curves, its two scenarios' promises, and the page."""

import math
import string
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from pagetest import chart_spec as spec
from pagetest import open_page, texts
from pagetest import typed_array as array
from streamlit.testing.v1 import AppTest

import optviz
from optviz import urlstate
from optviz.lessons import schedules_lesson as lesson
from optviz.schedules import SCHEDULES, schedule_array
from optviz.ui.i18n_zh import ZH

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages/schedules.py")
P = "ls:"
STEPS = 100


# ----------------------------------------------------------------------------- helpers


def app(query=None):
    return open_page(PAGE, query, 180)


# ----------------------------------------------------------------------------- curves


def test_every_curve_is_schedule_array():
    values = {"step": {"gamma": 0.3, "step_size": 7.0}, "cyclic": {"lr_min": 0.1}}
    curves = lesson.all_curves(0.7, 60, values, warmup=5.0)
    assert list(curves) == list(SCHEDULES)
    for kind, curve in curves.items():
        expected = schedule_array(kind, 0.7, 60, {**values.get(kind, {}), "warmup": 5.0})
        np.testing.assert_array_equal(curve, expected)
        assert curve.shape == (60,)


def test_curves_match_the_notes_formulas():
    t = np.arange(STEPS)
    a0 = 0.5
    curves = lesson.all_curves(
        a0, STEPS, {"step": {"gamma": 0.5, "step_size": 25.0}, "cyclic": {"lr_min": 0.02}}
    )
    np.testing.assert_allclose(curves["step"], a0 * 0.5 ** (t // 25), rtol=1e-6)
    np.testing.assert_allclose(curves["exponential"], a0 * 0.99**t, rtol=1e-5)
    np.testing.assert_allclose(curves["inverse_time"], a0 / (1 + 0.1 * t), rtol=1e-6)
    cosine = 0.5 * a0 * (1 + np.cos(np.pi * t / STEPS))  # α_min = 0
    np.testing.assert_allclose(curves["cosine"], cosine, atol=1e-6)
    dt = 10.0  # the default half cycle ΔT
    m = np.floor(1 + t / (2 * dt))
    b = np.abs(t / dt - 2 * m + 1)
    cyclic = 0.02 + (a0 - 0.02) * np.maximum(0, 1 - b)
    np.testing.assert_allclose(curves["cyclic"], cyclic, atol=1e-6)


def test_warm_up_ramps_linearly_to_alpha0():
    curve = lesson.schedule_curve("constant", 0.4, 50, None, warmup=10.0)
    np.testing.assert_allclose(curve[:10], 0.4 * np.arange(1, 11) / 10, rtol=1e-6)
    np.testing.assert_allclose(curve[10:], 0.4, rtol=1e-6)


def test_overview_draws_every_curve_and_highlights_the_chosen_one():
    curves = lesson.all_curves(0.5, STEPS, {})
    fig = lesson.overview_figure(curves, "cosine", warmup=20.0)
    assert len(fig.data) == len(SCHEDULES)
    for trace, (kind, curve) in zip(fig.data, curves.items(), strict=True):
        np.testing.assert_array_equal(np.asarray(trace.y), curve.astype(np.float32))
        assert (trace.line.width > 2) == (kind == "cosine")
    titles = [a.text for a in fig.layout.annotations]
    assert "<b>Cosine (余弦)</b>" in titles
    assert any(s.x0 == 20.0 for s in fig.layout.shapes)  # the end of the warm-up


def test_baseline_rate_is_where_the_schedule_starts():
    assert lesson.baseline_rate("step", 0.5, {}) == pytest.approx(0.5)
    assert lesson.baseline_rate("sgdr", 0.5, {}) == pytest.approx(0.5)
    assert lesson.baseline_rate("cyclic", 0.5, {"lr_min": 0.02}) == pytest.approx(0.02)


def test_compare_uses_the_same_problem_and_the_schedule():
    const, sched = lesson.compare("sgd", "quadratic", None, STEPS, 0.5, "cosine", {}, 10.0)
    np.testing.assert_allclose(const.lr, 0.5)
    np.testing.assert_allclose(sched.lr, lesson.schedule_curve("cosine", 0.5, STEPS, {}, 10.0))
    np.testing.assert_array_equal(const.xy[0], sched.xy[0])
    assert const.optimizer == sched.optimizer == "sgd"


# ----------------------------------------------------------------------------- scenario 1


def test_constant_rate_zig_zags_between_plus_and_minus_two():
    const, _ = lesson.compare("sgd", "quadratic", None, STEPS, 0.5, "step", {})
    t = np.arange(STEPS + 1)
    np.testing.assert_allclose(const.xy[:, 1], -2.0 * (-1.0) ** t)  # 1 − ηλ = −1 on x₂
    assert lesson.oscillation_amplitude(const) == pytest.approx(2.0)


@pytest.mark.parametrize("kind", ["step", "exponential", "cosine"])
def test_decay_damps_the_oscillation(kind):
    const, sched = lesson.compare("sgd", "quadratic", None, STEPS, 0.5, kind, {})
    assert lesson.oscillation_amplitude(const) > 1.9
    assert lesson.oscillation_amplitude(sched) < 0.05
    assert abs(sched.xy[-1, 1]) < 1e-3  # the steep coordinate has settled
    assert sched.loss[-1] < 1e-2 * const.loss[-1]
    assert "has settled" in lesson.verdict("quadratic", sched, kind)
    assert "still zig-zags" in lesson.verdict("quadratic", const, "constant")


def test_oscillation_amplitude_by_hand():
    const, _ = lesson.compare("sgd", "quadratic", (-3.0, 1.0), 50, 0.45, "constant", {})
    tail = const.xy[-lesson.WINDOW :]
    expected = 0.5 * max(np.ptp(tail[:, 0]), np.ptp(tail[:, 1]))
    assert lesson.oscillation_amplitude(const) == pytest.approx(expected)


def test_a_diverged_run_is_said_so():
    const, _ = lesson.compare("sgd", "quadratic", None, STEPS, 0.6, "step", {})
    assert const.diverged_at == 6  # d2l: η = 0.6 diverges along x₂
    assert lesson.oscillation_amplitude(const) == math.inf
    assert lesson.final_minimum("quadratic", const) is None
    assert "diverged at step 6" in lesson.verdict("quadratic", const, "constant")


# ----------------------------------------------------------------------------- scenario 2

ESCAPE = lesson.SCENARIOS["escape"].state
CYCLIC = {"lr_min": ESCAPE["cyclic.lr_min"], "step_size": ESCAPE["cyclic.step_size"]}


def test_escape_scenario_constant_stays_sharp_cyclic_ends_flat():
    const, cyc = lesson.compare("sgd", "flat_sharp", ESCAPE["start"], STEPS, 0.5, "cyclic", CYCLIC)
    assert lesson.final_minimum("flat_sharp", const) == 1  # the sharp minimum
    assert lesson.final_minimum("flat_sharp", cyc) == 0  # the flat minimum
    assert np.hypot(*(const.xy[-1] - (1.496852, 0.0))) < 0.05
    assert np.hypot(*(cyc.xy[-1] - (-1.409227, 0.0))) < 0.05
    assert "sharp minimum" in lesson.verdict("flat_sharp", const, "c")
    assert "flat minimum" in lesson.verdict("flat_sharp", cyc, "c")


def test_escape_is_robust_to_the_start():
    """Nine starts around the scenario's: the cycle always escapes, the floor rate never."""
    x0, y0 = ESCAPE["start"]
    starts = [(x0 + dx, y0 + dy) for dx in (-0.1, 0.0, 0.1) for dy in (-0.1, 0.0, 0.1)]
    schedule = {"kind": "cyclic", **CYCLIC, "total_steps": STEPS}
    cyc = optviz.run_many("sgd", "flat_sharp", starts, STEPS, {"lr": 0.5}, schedule)
    const = optviz.run_many("sgd", "flat_sharp", starts, STEPS, {"lr": CYCLIC["lr_min"]})
    assert (cyc.final[:, 0] < -1.3).all()  # all in the flat basin
    assert (const.final[:, 0] > 1.3).all()  # all still in the sharp one


def test_the_sharp_minimum_is_unstable_at_the_cycles_peak():
    """Why the cycle works: the peak α_max = 0.5 is far above 2/λ ≈ 0.04 of the sharp minimum,
    but below 2/λ of the flat one, while the floor 0.02 is stable in both."""
    surf = optviz.get_surface("flat_sharp")

    def curvature(point):
        hess = jax.hessian(lambda p: surf.fn(p, {}))(jnp.asarray(point, jnp.float32))
        return float(np.linalg.eigvalsh(np.asarray(hess, np.float64)).max())

    sharp, flat = curvature(surf.minima[1]), curvature(surf.minima[0])
    assert 40 < sharp < 60 and 1 < flat < 2
    assert CYCLIC["lr_min"] < 2 / sharp < 0.5 < 2 / flat


# ----------------------------------------------------------------------------- URL fields


def test_scenario_fields_round_trip():
    for name, scenario in lesson.SCENARIOS.items():
        fields = lesson.page_fields(name)
        state, problems = urlstate.decode({"scenario": name}, fields)
        assert not problems
        for key, value in scenario.state.items():
            assert state[key] == value
        assert urlstate.encode(state, fields) == (
            {} if name == "oscillation" else {"scenario": name}
        )
    assert lesson.scenario_of({"scenario": "escape"}) == "escape"
    assert lesson.scenario_of({"scenario": "<b>"}) == "oscillation"
    assert lesson.scenario_of({}) == "oscillation"


# ----------------------------------------------------------------------------- the page


def test_page_defaults():
    at = app()
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("Learning-rate schedules")
    assert not at.warning
    assert len(at.get("plotly_chart")) == 4
    info = texts(at.info)
    assert "still zig-zags: amplitude 2" in info
    assert "has settled" in info
    assert any("\\alpha_t = \\alpha_0\\,\\beta^{" in m.value for m in at.latex)
    assert not at.query_params  # a default page has an empty link
    overview = spec(at, P + "overview")
    for trace, kind in zip(overview["data"], SCHEDULES, strict=True):
        expected = schedule_array(kind, 0.5, STEPS)
        np.testing.assert_allclose(array(trace["y"]), expected, rtol=1e-6)
    runs = spec(at, P + "runs")
    assert runs["frames"] and len(runs["layout"]["images"]) == 2


def test_page_escape_scenario():
    at = app()
    at.selectbox(key=P + "scenario").select("escape").run()
    assert not at.exception, at.exception
    info = texts(at.info)
    assert "Constant α = 0.02" in info and "sharp minimum" in info
    assert "flat minimum" in info
    assert at.session_state[P + "schedule"] == "cyclic"
    assert dict(at.query_params) == {"scenario": "escape"}
    at.selectbox(key=P + "scenario").select("oscillation").run()  # and back
    assert at.session_state[P + "surface"] == "quadratic"
    assert not at.query_params


def test_a_link_to_the_escape_scenario_is_the_whole_scenario():
    at = app({"scenario": "escape"})
    assert not at.exception and not at.warning
    assert at.session_state[P + "start.x"] == 1.3
    assert "flat minimum" in texts(at.info)


def test_every_schedule_kind():
    at = app()
    for kind in SCHEDULES:
        at.selectbox(key=P + "schedule").select(kind).run()
        assert not at.exception, (kind, at.exception)
        assert SCHEDULES[kind].latex in at.latex[0].value
        assert (at.query_params.get("schedule") or "step") == kind
        assert len(at.info) + len(at.error) == 2


def test_every_surface_and_optimizer():
    at = app()
    for surface in lesson.SURFACE_CHOICES:
        at.selectbox(key=P + "surface").select(surface).run()
        assert not at.exception, (surface, at.exception)
        start = optviz.SURFACES[surface].start
        assert (at.session_state[P + "start.x"], at.session_state[P + "start.y"]) == start
    for opt in lesson.OPTIMIZER_CHOICES:
        at.selectbox(key=P + "optimizer").select(opt).run()
        assert not at.exception, (opt, at.exception)


def test_extreme_sliders():
    at = app()
    at.select_slider(key=P + "lr").set_value(2.0).run()
    assert not at.exception
    assert "diverged at step" in texts(at.error)
    at.select_slider(key=P + "lr").set_value(0.001).run()
    at.slider(key=P + "step.gamma").set_value(0.05).run()
    at.select_slider(key=P + "step.step_size").set_value(500.0).run()
    at.select_slider(key=P + "steps").set_value(500).run()
    at.slider(key=P + "warmup").set_value(200.0).run()
    assert not at.exception, at.exception
    assert at.query_params["warmup"] == "200"
    assert at.query_params["steps"] == "500"
    assert len(at.latex) == 2  # the warm-up formula joins the schedule's
    at.select_slider(key=P + "step.step_size").set_value(1.0).run()
    at.slider(key=P + "step.gamma").set_value(1.0).run()
    assert not at.exception


def test_url_round_trip():
    query = {
        "schedule": "sgdr",
        "sgdr.period": "20",
        "sgdr.t_mult": "2",
        "lr": "0.3",
        "steps": "200",
        "warmup": "10",
        "optimizer": "momentum",
        "start": "-4,1",
    }
    at = app(query)
    assert not at.exception and not at.warning
    assert at.session_state[P + "sgdr.t_mult"] == 2.0
    assert at.session_state[P + "start.x"] == -4.0
    for k, v in query.items():
        assert at.query_params[k] == v, k


@pytest.mark.parametrize(
    "query",
    [
        {"schedule": "nope"},
        {"lr": "nan"},
        {"start": "inf,1"},
        {"scenario": "<script>alert(1)</script>"},
        {"steps": "1e9"},
        {"cyclic.step_size": "-3", "schedule": "cyclic"},
        {"surface": "x" * 5000},
    ],
)
def test_tampered_url(query):
    at = app(query)
    assert not at.exception, at.exception
    assert at.warning
    assert len(at.get("plotly_chart")) == 4


# ----------------------------------------------------------------------------- 简体中文


def zh(text):
    """The Chinese of ``text``: fails when the table lacks it or drops a placeholder."""
    assert text in ZH, f"no Chinese for {text!r}"
    names = [sorted(f for _, f, _, _ in string.Formatter().parse(s) if f) for s in (text, ZH[text])]
    assert names[0] == names[1], (text, ZH[text])
    return ZH[text]


def test_every_lesson_text_has_chinese():
    for scenario in lesson.SCENARIOS.values():
        zh(scenario.title), zh(scenario.story)
    for name in (*lesson.SHORT_NAMES.values(), *lesson.FLAT_SHARP_NAMES, lesson.LR0.help):
        zh(name)
    const, sched = lesson.compare("sgd", "quadratic", None, STEPS, 0.5, "step", {})
    assert "仍在来回振荡" in lesson.verdict("quadratic", const, "c", zh)
    assert "已经稳定下来" in lesson.verdict("quadratic", sched, "s", zh)
    gone, _ = lesson.compare("sgd", "quadratic", None, STEPS, 0.6, "step", {})
    assert "在第 6 步发散" in lesson.verdict("quadratic", gone, "c", zh)
    const, cyc = lesson.compare("sgd", "flat_sharp", ESCAPE["start"], STEPS, 0.5, "cyclic", CYCLIC)
    assert "尖锐最小值" in lesson.verdict("flat_sharp", const, "c", zh)
    assert "平坦最小值" in lesson.verdict("flat_sharp", cyc, "c", zh)
    assert lesson.minimum_name("himmelblau", 0, zh).endswith("处的最小值")
    assert lesson.minimum_name("himmelblau", None, zh) == zh("no minimum (diverged)")
    fig = lesson.overview_figure(lesson.all_curves(0.5, STEPS, {}), "cosine", tr=zh)
    assert "<b>余弦衰减</b>" in [a.text for a in fig.layout.annotations]
    rates = lesson.rate_figure([const, cyc], ["a", "b"], tr=zh)
    assert rates.layout.xaxis.title.text == zh("step t")


def test_page_in_chinese():
    app()  # the English page first: its cached figures must not leak into the Chinese one
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == zh("Learning-rate schedules (学习率衰减, 预热, 周期性调整)")
    info = texts(at.info)
    assert "仍在来回振荡" in info and "已经稳定下来" in info
    assert "常数学习率 α = 0.5" in info
    titles = [a["text"] for a in spec(at, P + "overview")["layout"]["annotations"]]
    assert "<b>阶梯衰减</b>" in titles
    assert spec(at, P + "rates")["layout"]["xaxis"]["title"]["text"] == zh("step t")
    assert at.query_params["lang"] == "zh"
    at.selectbox(key=P + "scenario").select("escape").run()
    assert not at.exception, at.exception
    assert "平坦最小值" in texts(at.info) and "尖锐最小值" in texts(at.info)
    assert dict(at.query_params) == {"scenario": "escape", "lang": "zh"}
