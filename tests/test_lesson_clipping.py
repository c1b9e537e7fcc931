"""The clipping lesson: clipping rules, the cliff and plateau stories, and the page."""

import string
from pathlib import Path

import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst
from pagetest import chart_spec as spec
from pagetest import open_page, texts
from streamlit.testing.v1 import AppTest

from optviz import engine, urlstate
from optviz.lessons import clipping
from optviz.surfaces import get_surface
from optviz.ui.i18n_zh import ZH

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages/clipping.py")
P = "gc:"
STEPS = 100
ETA, B = clipping.LR.default, clipping.THRESHOLD.default


def app(query=None):
    return open_page(PAGE, query, 180)


def inside(traj, surface):
    (x0, x1), (y0, y1) = get_surface(surface).bounds
    xy = traj.xy
    return bool(((xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)).all())


@pytest.fixture(scope="module")
def cliff():
    return clipping.clipping_runs("cliff", "sgd", ETA, B, None, STEPS)


@pytest.fixture(scope="module")
def plateau():
    return clipping.clipping_runs("plateau", "sgd", ETA, B, None, STEPS)


# ----------------------------------------------------------------------------- the rules

vectors = hst.lists(hst.floats(-1e4, 1e4, allow_nan=False, width=32), min_size=2, max_size=2).map(
    lambda v: np.asarray(v, np.float32)
)
thresholds = hst.floats(0.01, 100.0).map(lambda v: float(np.float32(v)))


@settings(max_examples=60, deadline=None)
@given(vectors, thresholds)
def test_norm_clipping_keeps_the_direction_and_caps_the_norm(g, b):
    out = clipping.clip_by_norm(g, b)
    norm = np.linalg.norm(g.astype(np.float64))
    assert np.linalg.norm(out) <= b * (1 + 1e-9) + 1e-12
    if norm <= b:
        np.testing.assert_array_equal(out, g)
    else:
        assert np.linalg.norm(out) == pytest.approx(b, rel=1e-9)
        assert out @ g == pytest.approx(np.linalg.norm(out) * norm, rel=1e-9)  # cos = 1
    engine_out = np.asarray(engine.clip_gradient(jnp.asarray(g), "norm", jnp.float32(b)))
    np.testing.assert_allclose(engine_out, out, rtol=1e-5, atol=1e-6)  # float32 engine


@settings(max_examples=60, deadline=None)
@given(vectors, thresholds)
def test_value_clipping_caps_every_component(g, b):
    out = clipping.clip_by_value(g, b)
    assert (np.abs(out) <= b).all()
    keep = np.abs(g) <= b
    np.testing.assert_array_equal(out[keep], g[keep])
    np.testing.assert_array_equal(out[~keep], np.sign(g[~keep]) * np.float32(b))
    engine_out = np.asarray(engine.clip_gradient(jnp.asarray(g), "value", jnp.float32(b)))
    np.testing.assert_allclose(engine_out, out, rtol=1e-6, atol=1e-30)  # XLA flushes subnormals


def test_the_runs_used_the_clipped_gradients(cliff):
    none, value, norm = cliff
    for traj in (value, norm):
        assert traj.diverged_at is None
    g_value = value.grad[:-1].astype(np.float64)
    np.testing.assert_allclose(value.grad_used, clipping.clip_by_value(g_value, B), rtol=1e-5)
    g_norm = norm.grad[:-1].astype(np.float64)
    used = norm.grad_used.astype(np.float64)
    np.testing.assert_allclose(used, clipping.clip_by_norm(g_norm, B), rtol=1e-4, atol=1e-7)
    assert (np.linalg.norm(used, axis=1) <= B * (1 + 1e-5)).all()  # ‖g̃‖ ≤ b
    assert (np.abs(value.grad_used) <= B).all()  # |g̃_i| ≤ b
    k = none.last_valid
    np.testing.assert_array_equal(none.grad_used[:k], none.grad[:k])


def test_turn_angles_by_hand(cliff):
    value = cliff[1]
    g, u = value.grad[:-1].astype(np.float64), value.grad_used.astype(np.float64)
    expected = []
    for a, c in zip(g, u, strict=True):
        na, nc = np.hypot(*a), np.hypot(*c)
        expected.append(np.degrees(np.arccos(min(1.0, a @ c / (na * nc)))) if na * nc else np.nan)
    np.testing.assert_allclose(clipping.turn_angles(value), expected, atol=1e-3)
    assert clipping.turn_angles(value)[0] == pytest.approx(  # g_0 = (−2.5, 3) → (−1, 1)
        np.degrees(np.arctan2(3, 2.5) - np.pi / 4), abs=1e-3
    )


# ----------------------------------------------------------------------------- the stories


def test_cliff_unclipped_is_thrown_off_clipped_stay(cliff):
    none, value, norm = cliff
    assert none.diverged_at is not None  # "diverged at step k"
    assert np.linalg.norm(none.grad[none.last_valid]) > 50  # at the cliff's edge
    for traj in (value, norm):
        assert traj.diverged_at is None
        assert inside(traj, "cliff")
        assert np.hypot(*(traj.xy[-1] - (0.0, -0.018807))) < 0.01
    f_value, f_norm = clipping.facts(value, "v"), clipping.facts(norm, "n")
    assert f_norm.max_jump <= ETA * B * (1 + 1e-5)  # ‖Δx‖ = η‖g̃‖ ≤ η b
    assert f_value.max_jump <= ETA * B * np.sqrt(2) * (1 + 1e-5)
    assert f_norm.max_turn < 0.01  # direction kept
    assert f_value.max_turn > 20  # direction turned


@pytest.mark.parametrize("dx", [-0.1, 0.0, 0.1])
@pytest.mark.parametrize("dy", [-0.15, 0.0, 0.15])
def test_cliff_story_is_robust_to_the_start(dx, dy):
    x0, y0 = clipping.STARTS["cliff"]
    none, value, norm = clipping.clipping_runs("cliff", "sgd", ETA, B, (x0 + dx, y0 + dy), STEPS)
    assert clipping.thrown_off(clipping.facts(none, "none"), "cliff")
    assert inside(value, "cliff") and inside(norm, "cliff")


def test_cliff_story_text(cliff):
    labels = [label for _, label in clipping.VARIANTS]
    lines = clipping.story(
        "cliff", [clipping.facts(t, n) for t, n in zip(cliff, labels, strict=True)], B
    )
    assert lines[0] == ("error", lines[0][1])
    assert f"diverged at step {cliff[0].diverged_at}" in lines[0][1]
    assert "kept the direction" in lines[1][1] and "0°" in lines[1][1]
    assert "turned the gradient" in lines[2][1]


def test_plateau_gradient_vanishes_clipping_cannot_help_adam_can(plateau):
    start = np.asarray(clipping.STARTS["plateau"], np.float32)
    for traj in plateau:
        assert np.abs(traj.grad).max() < 1e-8  # vanished
        assert np.abs(traj.xy[-1] - start).max() < 1e-6  # did not move
        np.testing.assert_array_equal(traj.grad_used, traj.grad[:-1])  # nothing to clip
    adam = clipping.adam_run("plateau", None, STEPS)
    assert np.hypot(*adam.xy[-1]) < 0.1 and adam.loss[-1] < 1e-3
    labels = [label for _, label in clipping.VARIANTS]
    measured = [clipping.facts(t, n) for t, n in zip(plateau, labels, strict=True)]
    lines = clipping.story("plateau", measured, B, clipping.facts(adam, "Adam"))
    text = " ".join(t for _, t in lines)
    assert "梯度消失" in text and "cannot help" in text and "never clipped" in text
    assert all(level == "info" for level, _ in lines)


def test_norm_figure_shows_the_norms_and_the_threshold(cliff):
    labels = [label for _, label in clipping.VARIANTS]
    fig = clipping.norm_figure(cliff, labels, 2.5)
    assert fig.layout.yaxis.type == "log"
    assert [s.y0 for s in fig.layout.shapes] == [2.5]
    for i, traj in enumerate(cliff):
        solid, dashed = fig.data[2 * i], fig.data[2 * i + 1]
        raw = np.linalg.norm(traj.grad, axis=1)
        np.testing.assert_allclose(np.asarray(solid.y), np.where(raw > 0, raw, np.nan), rtol=1e-5)
        assert dashed.line.dash == "dash" and len(dashed.y) == STEPS
    assert fig.data[-1].name == "diverged"


def test_page_fields_round_trip():
    fields = clipping.page_fields()
    state = {
        "surface": "plateau",
        "optimizer": "adam",
        "lr": 0.05,
        "clip_max": 2.0,
        "start": (1.0, -1.0),
        "steps": 200,
    }
    assert urlstate.decode(urlstate.encode(state, fields), fields) == (state, [])


# ----------------------------------------------------------------------------- the page


def test_page_defaults():
    at = app()
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("Exploding and vanishing gradients")
    assert not at.warning and not at.query_params
    assert "diverged at step 3" in texts(at.error)
    assert "kept the direction" in texts(at.info)
    assert any("\\max(\\min(g_t" in m.value for m in at.latex)
    assert any("\\frac{b}{\\|g_t\\|}" in m.value for m in at.latex)
    runs = spec(at, P + "runs")
    assert runs["frames"] and len(runs["layout"]["images"]) == 3
    norms = spec(at, P + "norms")
    assert norms["layout"]["yaxis"]["type"] == "log"
    assert norms["layout"]["shapes"][0]["y0"] == B


def test_page_plateau_adds_adam():
    at = app()
    at.selectbox(key=P + "surface").select("plateau").run()
    assert not at.exception, at.exception
    assert (at.session_state[P + "start.x"], at.session_state[P + "start.y"]) == (2.2, 1.5)
    assert len(spec(at, P + "runs")["layout"]["images"]) == 4
    info = texts(at.info)
    assert "cannot help" in info and "Adam, no clipping" in info
    assert dict(at.query_params) == {"surface": "plateau"}
    at.selectbox(key=P + "optimizer").select("adam").run()
    assert not at.exception
    assert len(spec(at, P + "runs")["layout"]["images"]) == 3  # Adam is already the optimizer


def test_every_optimizer_gets_its_learning_rate():
    at = app()
    for opt in clipping.OPTIMIZERS:
        at.selectbox(key=P + "optimizer").select(opt).run()
        assert not at.exception, (opt, at.exception)
        assert at.session_state[P + "lr"] == clipping.LEARNING_RATES[opt]


def test_extreme_sliders_and_starts():
    at = app()
    at.select_slider(key=P + "clip_max").set_value(100.0).run()
    assert not at.exception
    assert "still diverged" in texts(at.error)  # b = 100 is too large for this cliff
    assert len(at.error) == 3
    at.select_slider(key=P + "clip_max").set_value(0.01).run()
    at.select_slider(key=P + "lr").set_value(2.0).run()
    at.select_slider(key=P + "steps").set_value(300).run()
    assert not at.exception, at.exception
    at.select_slider(key=P + "lr").set_value(0.001).run()
    at.number_input(key=P + "start.x").set_value(3.0).run()
    at.number_input(key=P + "start.y").set_value(4.0).run()
    assert not at.exception
    assert at.query_params["start"] == "3,4"
    at.number_input(key=P + "start.x").set_value(-3.0).run()
    at.number_input(key=P + "start.y").set_value(-2.0).run()
    assert not at.exception


def test_url_round_trip():
    query = {
        "optimizer": "momentum",
        "lr": "0.05",
        "clip_max": "2",
        "start": "-2,2.5",
        "steps": "200",
    }
    at = app(query)
    assert not at.exception and not at.warning
    assert at.session_state[P + "clip_max"] == 2.0
    assert at.session_state[P + "start.y"] == 2.5
    for k, v in query.items():
        assert at.query_params[k] == v, k


@pytest.mark.parametrize(
    "query",
    [
        {"surface": "mountain"},
        {"lr": "abc"},
        {"clip_max": "-1"},
        {"start": "1,2,3"},
        {"optimizer": "x" * 400},
        {"start": "99,-99"},
    ],
)
def test_tampered_url(query):
    at = app(query)
    assert not at.exception, at.exception
    assert at.warning
    assert len(at.get("plotly_chart")) == 2


# ----------------------------------------------------------------------------- 简体中文


def zh(text):
    """The Chinese of ``text``: fails when the table lacks it or drops a placeholder."""
    assert text in ZH, f"no Chinese for {text!r}"
    names = [sorted(f for _, f, _, _ in string.Formatter().parse(s) if f) for s in (text, ZH[text])]
    assert names[0] == names[1], (text, ZH[text])
    return ZH[text]


def made_up(label, diverged_at=None, clipped=3, moved=1.0, max_jump=0.3):
    """Facts for a run that never happened: every branch of the story without running one."""
    return clipping.Facts(
        label=label,
        diverged_at=diverged_at,
        max_jump=max_jump,
        jump_step=2,
        max_grad=5.0,
        max_turn=30.0,
        clipped=clipped,
        moved=moved,
        final_loss=0.1,
        final_xy=(0.0, 0.0),
    )


@pytest.mark.parametrize(
    "surface,none,clipped,extra",
    [
        ("cliff", made_up("n", diverged_at=3), made_up("c"), None),  # diverged; clipped, turned
        ("cliff", made_up("n", max_jump=5.0), made_up("c", diverged_at=4), None),  # thrown off
        ("cliff", made_up("n"), made_up("c", clipped=0), None),  # never longer; never clipped
        ("plateau", made_up("n", moved=0.0), made_up("c"), made_up("a", moved=0.0)),  # stalled
        ("plateau", made_up("n", moved=1e-6), made_up("c"), made_up("a")),  # moved only
        ("plateau", made_up("n"), made_up("c"), None),  # the optimizer rescales it itself
    ],
)
def test_every_story_sentence_has_chinese(surface, none, clipped, extra):
    english = clipping.story(surface, [none, clipped, clipped], B, extra)
    chinese = clipping.story(surface, [none, clipped, clipped], B, extra, tr=zh)
    assert [level for level, _ in chinese] == [level for level, _ in english]
    for _, text in chinese:
        assert any("\u4e00" <= c <= "\u9fff" for c in text), text


def test_every_label_has_chinese(cliff):
    for text in (*(label for _, label in clipping.VARIANTS), clipping.ADAM_EXTRA[2]):
        zh(text)
    zh(clipping.LR.help), zh(clipping.THRESHOLD.help)
    fig = clipping.norm_figure(cliff, ["a", "b", "c"], B, tr=zh)
    assert fig.data[1].name == "a：实际使用" and fig.data[-1].name == zh("diverged")
    assert "在第" in fig.data[-1].hovertext[0]
    assert fig.layout.xaxis.title.text == zh("step t")


def chinese_app(query=None):
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state["lang"] = "zh"
    for k, v in (query or {}).items():  # not select(): AppTest formats options outside the run
        at.query_params[k] = v
    return at.run()


def test_page_in_chinese():
    app()  # the English page first: its cached figures must not leak into the Chinese one
    at = chinese_app()
    assert not at.exception, at.exception
    assert at.title[0].value == zh(
        "Exploding and vanishing gradients, clipping (梯度爆炸/消失, 梯度截断)"
    )
    assert "发散" in texts(at.error) and "保持了每个梯度的方向" in texts(at.info)
    titles = [a["text"] for a in spec(at, P + "runs")["layout"]["annotations"]]
    assert "按模截断" in titles and "不截断" in titles
    assert spec(at, P + "norms")["data"][1]["name"] == "不截断：实际使用"
    at = chinese_app({"surface": "plateau"})
    assert not at.exception, at.exception
    assert "帮不上忙" in texts(at.info) and "Adam，不截断" in texts(at.info)
