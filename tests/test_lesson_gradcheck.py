"""Gradient-checking lesson: finite differences, error slopes, the planted bug, the page."""

import json
import string
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from pagetest import open_page
from streamlit.testing.v1 import AppTest

from optviz import SURFACES
from optviz.lessons import gradcheck as gc
from optviz.ui.i18n_zh import ZH

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages/gradient-check.py")
P = "gk:"
TIMEOUT = 180
POINT = (-1.5, 2.0)  # Rosenbrock's start: a steep, curved spot


def rosenbrock64(p, a=1.0, b=100.0):
    """Rosenbrock in float64 numpy."""
    return (a - p[0]) ** 2 + b * (p[1] - p[0] ** 2) ** 2


def rosenbrock_grad(p, a=1.0, b=100.0):
    """Its gradient by hand."""
    return np.array(
        [-2 * (a - p[0]) - 4 * b * p[0] * (p[1] - p[0] ** 2), 2 * b * (p[1] - p[0] ** 2)]
    )


# ----------------------------------------------------------------------------- numbers


def test_autodiff_gradient_matches_the_hand_derivation():
    grad, _, _ = gc.differences("rosenbrock", POINT, [1e-3], "float64")
    assert np.allclose(grad, rosenbrock_grad(np.array(POINT)), rtol=1e-12)


def test_two_sided_difference_matches_numpy_float64():
    eps = np.array([1e-2, 1e-4, 1e-6])
    _, one, two = gc.differences("rosenbrock", POINT, eps, "float64")
    p = np.array(POINT)
    for k, h in enumerate(eps):
        e = np.eye(2) * h
        want_two = [(rosenbrock64(p + e[i]) - rosenbrock64(p - e[i])) / (2 * h) for i in range(2)]
        want_one = [(rosenbrock64(p + e[i]) - rosenbrock64(p)) / h for i in range(2)]
        assert np.allclose(two[k], want_two, rtol=1e-9)
        assert np.allclose(one[k], want_one, rtol=1e-9)


@pytest.mark.parametrize("key", [k for k in SURFACES if k != "plateau"])
def test_two_sided_difference_matches_jax_grad_at_moderate_eps(key):
    start = SURFACES[key].start
    grad, _, two = gc.differences(key, start, [1e-5], "float64")
    assert gc.relative_error(two[0], grad) < 1e-7
    grad32, _, two32 = gc.differences(key, start, [1e-2], "float32")
    assert gc.relative_error(two32[0], grad32) < 1e-2  # float32: coarser, still close


def test_truncation_slopes_are_one_and_two():
    res = gc.check("rosenbrock", POINT, 1e-7, "float64")
    e = res["eps_curve"]
    one, two = res["curves"]["float64", "one"], res["curves"]["float64", "two"]
    assert gc.slope(e, one, 1e-4, 1e-2) == pytest.approx(1.0, abs=0.1)
    assert gc.slope(e, two, 1e-3, 1e-1) == pytest.approx(2.0, abs=0.1)
    # float32 shows the same slope 1 where truncation dominates round-off
    assert gc.slope(e, res["curves"]["float32", "one"], 1e-2, 2e-1) == pytest.approx(1.0, abs=0.2)


def test_round_off_makes_a_v_and_float32_bottoms_out_near_1e_3():
    res = gc.check("rosenbrock", POINT, 1e-7, "float64")
    e = res["eps_curve"]
    two64, two32 = res["curves"]["float64", "two"], res["curves"]["float32", "two"]
    best64 = np.nanmin(np.where(two64 > 0, two64, np.nan))
    assert best64 < 1e-9 and two64[0] > 100 * best64  # small ε: round-off climbs again
    k = int(np.argmin(two32))
    assert 1e-5 <= e[k] <= 1e-1 and two32[k] > 1e-7  # float32 cannot reach Ng's 1e-7
    assert two32[0] > 0.5  # ε = 1e-10 vanishes next to θ in float32


@pytest.mark.parametrize("key", ["rosenbrock", "beale", "himmelblau", "rastrigin", "quadratic"])
def test_planted_bug_is_caught(key):
    start = SURFACES[key].start
    good = gc.check(key, start, 1e-6, "float64", bug=False)
    bad = gc.check(key, start, 1e-6, "float64", bug=True)
    assert good["error"] < 1e-6 and good["verdict"] == "great"
    assert bad["error"] > 1e-2 and bad["verdict"] == "wrong"
    assert np.all(bad["curves"]["float64", "two"][20:50] > 1e-2)  # flat whatever ε


def test_relative_error_and_verdicts():
    assert gc.relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert gc.relative_error([1.0, 0.0], [-1.0, 0.0]) == pytest.approx(1.0)
    assert gc.relative_error([1.0, 1.0], [1.0, 1.0 + 1e-8]) < 1e-8
    assert gc.verdict(1e-7) == "great" and gc.verdict(1e-5) == "check"
    assert gc.verdict(1e-3) == "wrong" and gc.verdict(float("nan")) == "wrong"
    assert np.allclose(gc.buggy([4.0, 6.0]), [2.0, 6.0])


def test_float64_stays_local():
    gc.differences("beale", (1.0, 1.5), [1e-4], "float64")
    assert not jax.config.jax_enable_x64
    assert jnp.zeros(1).dtype == jnp.float32


def test_new_points_and_eps_never_recompile():
    gc.check("rosenbrock", POINT, 1e-7, "float64")
    size = gc._differences._cache_size()
    gc.check("rosenbrock", (0.3, -0.4), 1e-3, "float32", bug=True)
    gc.check("rosenbrock", (1.1, 2.2), 1.0, "float64")
    assert gc._differences._cache_size() == size


def test_gradient_field_arrows_point_downhill():
    pts, grads = gc.gradient_field("quadratic")
    assert np.allclose(grads, np.stack([0.2 * pts[:, 0], 4.0 * pts[:, 1]], 1), rtol=1e-4, atol=1e-5)
    x, y = gc.arrows(pts, grads, SURFACES["quadratic"].bounds)
    seg = np.stack([x, y], 1).reshape(-1, 7, 2)  # tail, tip, head, gap, tip, head, gap
    assert np.isnan(seg[:, 3]).all() and np.isnan(seg[:, 6]).all()
    shaft = seg[:, 1] - seg[:, 0]
    g = gc.gradient_field("quadratic")[1][np.linalg.norm(grads, axis=1) > 0]
    assert np.all(np.einsum("ij,ij->i", shaft, g) < 0)  # along −∇f


def test_error_figure_has_four_curves_and_bands():
    res = gc.check("rosenbrock", POINT, 1e-7, "float64")
    fig = gc.error_figure(res, 1e-7)
    curves = [t for t in fig.data if t.name and ("float64" in t.name or "float32" in t.name)]
    assert len(curves) == 4
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"


# ----------------------------------------------------------------------------- the page


def app(query=None):
    return open_page(PAGE, query, TIMEOUT)


def test_page_defaults():
    at = app()
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("Gradient checking")
    assert len(at.get("plotly_chart")) == 2
    assert any("great" in s.value for s in at.success)
    rows = at.dataframe[0].value.to_dict("records")
    assert [r["i"] for r in rows] == ["θ₁", "θ₂"]
    assert float(rows[0]["dθ (jax.grad)"]) == pytest.approx(-155.0)
    assert not at.warning


def test_bug_toggle_turns_the_verdict_red():
    at = app()
    at.toggle(key=P + "bug").set_value(True).run()
    assert not at.exception
    assert any("probably a bug" in e.value for e in at.error)
    assert at.query_params["bug"] == "1"


@pytest.mark.parametrize("key", list(SURFACES))
def test_every_surface(key):
    at = app()
    at.selectbox(key=P + "surface").select(key).run()
    assert not at.exception, at.exception
    assert at.session_state[P + "point.x"] == SURFACES[key].start[0]
    assert len(at.get("plotly_chart")) == 2


def test_every_precision_and_extreme_eps():
    at = app()
    for precision in ("float32", "float64"):
        at.radio(key=P + "precision").set_value(precision).run()
        for eps in (1e-10, 1.0):
            at.select_slider(key=P + "eps").set_value(eps).run()
            assert not at.exception, at.exception
    at.radio(key=P + "precision").set_value("float32").run()
    at.select_slider(key=P + "eps").set_value(1e-10).run()
    assert any("probably a bug" in e.value for e in at.error)  # θ + ε == θ in float32
    assert any("float32" in i.value for i in at.info)


def test_flat_point_warns_that_the_error_means_little():
    at = app({"surface": "plateau"})
    assert not at.exception
    assert any("almost 0" in w.value for w in at.warning)


def test_url_round_trip():
    query = {
        "surface": "beale",
        "point": "0.5,-1",
        "eps": "0.001",
        "precision": "float32",
        "bug": "1",
    }
    at = app(query)
    assert not at.exception and not at.warning
    assert at.session_state[P + "point.x"] == 0.5
    assert at.session_state[P + "precision"] == "float32"
    for k, v in query.items():
        assert at.query_params[k] == v, k
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    marks = [t for t in spec["data"] if t.get("name") == "θ"]
    assert marks and marks[0]["x"] == [0.5]


@pytest.mark.parametrize(
    "query",
    [
        {"surface": "nope"},
        {"eps": "-1"},
        {"point": "a,b"},
        {"precision": "float16"},
        {"bug": "maybe"},
        {"point": "inf,2"},
    ],
)
def test_tampered_url(query):
    at = app(query)
    assert not at.exception, at.exception
    assert at.warning
    assert len(at.get("plotly_chart")) == 2


def test_point_outside_the_surface_is_clamped():
    at = app({"point": "9,9"})
    assert not at.exception, at.exception
    assert at.session_state[P + "point.x"] == 2.0  # Rosenbrock's window ends at 2


# ----------------------------------------------------------------------------- 简体中文


def zh(text):
    """The Chinese of ``text``: fails when the table lacks it or drops a placeholder."""
    assert text in ZH, f"no Chinese for {text!r}"
    names = [sorted(f for _, f, _, _ in string.Formatter().parse(s) if f) for s in (text, ZH[text])]
    assert names[0] == names[1], (text, ZH[text])
    return ZH[text]


def test_every_figure_label_has_chinese():
    zh(gc.EPS.help)
    fig = gc.error_figure(gc.check("rosenbrock", POINT, 1e-7, "float64"), 1e-7, tr=zh)
    names = [t.name for t in fig.data]
    assert "单边, float64" in names and "双边, float32" in names
    assert any(n.startswith("斜率 2") for n in names)
    assert zh("great (≈1e-7)") in names and fig.layout.yaxis.title.text == zh("relative error")
    field = gc.field_figure("quadratic", point=(1.0, 1.0), grad=(1.0, 1.0), clickable=True, tr=zh)
    assert {zh("iso-lines"), zh("−∇f (downhill)"), zh("−∇f at θ")} <= {t.name for t in field.data}
    assert any(zh("check here") in (t.hovertemplate or "") for t in field.data)


def test_page_in_chinese():
    app()  # the English page first: its cached figures must not leak into the Chinese one
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == zh("Gradient checking (梯度检验)")
    assert any(zh("great — the gradient is right (Ng: ≈1e-7)") in s.value for s in at.success)
    rows = at.dataframe[0].value.to_dict("records")
    assert float(rows[0][zh("dθ (jax.grad)")]) == pytest.approx(-155.0)
    assert zh("one-sided") in rows[0]
    errors = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert errors["layout"]["yaxis"]["title"]["text"] == zh("relative error")
    at.toggle(key=P + "bug").set_value(True).run()
    assert not at.exception, at.exception
    assert any(zh("probably a bug (Ng: ≈1e-3 or worse)") in e.value for e in at.error)
    assert zh("buggy dθ") in at.dataframe[0].value.columns
