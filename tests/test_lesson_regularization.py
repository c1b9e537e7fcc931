"""Regularization lesson: L1/L2 minimizers against brute force, weight decay vs L2, the page."""

import json
import string
from pathlib import Path

import numpy as np
import pytest
from pagetest import open_page
from streamlit.testing.v1 import AppTest

from optviz.lessons import regularization as rg
from optviz.ui.i18n_zh import ZH

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages/regularization.py")
P = "rg:"
TIMEOUT = 180


# ----------------------------------------------------------------------------- numpy reference


def objective(theta, lam, angle, kind):
    """J + λ‖θ‖₁ or J + λ/2‖θ‖² at points (..., 2), independent numpy."""
    t = np.deg2rad(angle)
    rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    a = rot @ np.diag([1.0, 4.0]) @ rot.T
    d = theta - np.array([2.0, 1.0])
    j = 0.5 * np.einsum("...i,ij,...j->...", d, a, d)
    if kind == "L1":
        return j + lam * np.abs(theta).sum(-1)
    return j + 0.5 * lam * (theta**2).sum(-1)


def brute_force(lam, angle, kind):
    """Grid search, then a finer grid around the best point (resolution ~1e-4)."""
    centre, half = np.zeros(2) + 0.75, 2.5
    for _ in range(4):
        g = np.linspace(-half, half, 201)
        pts = np.stack(np.meshgrid(centre[0] + g, centre[1] + g), -1)
        values = objective(pts, lam, angle, kind)
        i = np.unravel_index(np.argmin(values), values.shape)
        centre, half = pts[i], half / 20
    return centre


CASES = [(0.0, 30.0), (0.5, 30.0), (1.5, 30.0), (3.0, 30.0), (1.0, 0.0), (1.2, 45.0), (2.0, 90.0)]


@pytest.mark.parametrize("lam,angle", CASES)
def test_l2_minimizer_matches_brute_force(lam, angle):
    assert np.allclose(rg.l2_minimizer(lam, angle), brute_force(lam, angle, "L2"), atol=1e-3)


@pytest.mark.parametrize("lam,angle", CASES)
def test_l1_minimizer_matches_brute_force_and_exact(lam, angle):
    ista = rg.l1_minimizer(lam, angle)
    assert np.allclose(ista, brute_force(lam, angle, "L1"), atol=1e-3)
    assert np.allclose(ista, rg.l1_minimizer_exact(lam, angle), atol=1e-5)


def test_l1_minimizer_is_exactly_sparse_at_finite_lambda_but_l2_is_not():
    res = rg.paths(30.0, 1.5)
    assert res["l1_at"][1] == 0.0 and res["l1_at"][0] > 0  # θ₂ exactly 0 (sparse)
    assert np.all(res["l2_at"] > 0.1)  # L2 only shrinks
    hit = res["l1_zero"]
    assert np.all(np.isfinite(hit)) and np.all(hit < rg.LAM_MAX)
    assert np.all(res["l1"][res["lams"] >= hit.max()] == 0.0)  # stays 0 from there on
    assert np.all(np.abs(res["l2"][1:]) > 1e-2)  # the L2 path never reaches an axis
    a_c = rg.hessian(30.0) @ np.array(rg.CENTER)
    assert hit.max() == pytest.approx(np.abs(a_c).max(), abs=rg.LAM_MAX / (rg.PATH_POINTS - 1))


def test_l2_path_is_closed_form():
    lams = np.array([0.0, 1.0, 5.0])
    a = rg.hessian(20.0)
    for lam, theta in zip(lams, rg.l2_minimizer(lams, 20.0), strict=True):
        assert np.allclose(a @ (theta - np.array(rg.CENTER)) + lam * theta, 0.0, atol=1e-12)


def test_moving_lambda_and_angle_never_recompiles_ista():
    rg.paths(30.0, 1.0)
    size = rg._ista._cache_size()
    for lam, angle in [(0.0, 0.0), (2.5, 77.0), (6.0, 90.0)]:
        rg.paths(angle, lam)
    assert rg._ista._cache_size() == size


def test_surface_adds_the_l2_term():
    p = np.array([[0.5, -1.0], [1.0, 2.0]], np.float32)
    got = np.asarray(rg.REG_SURFACE(p, {"lam": 0.3, "angle": 30.0}))
    want = objective(p.T, 0.3, 30.0, "L2")
    assert np.allclose(got, want, rtol=1e-5)


def test_sgd_weight_decay_equals_sgd_on_l2_loss():
    runs = rg.weight_decay_runs(0.05, 0.5, 30.0, 300)
    assert rg.sgd_gap(runs) < 1e-5  # identical up to float32 round-off
    # independent float64 numpy SGD on J + λ/2‖θ‖²
    a, c = rg.hessian(30.0), np.array(rg.CENTER)
    theta = np.array(rg.REG_SURFACE.start, np.float64)
    for _ in range(300):
        theta = theta - 0.05 * (a @ (theta - c) + 0.5 * theta)
    assert np.allclose(runs[3].xy[-1], theta, atol=1e-4)
    assert np.allclose(runs[2].xy[-1], theta, atol=1e-4)


def test_adam_with_l2_and_adamw_end_in_different_places():
    lam = 0.5
    runs = rg.weight_decay_runs(0.05, lam, 30.0, 300)
    star = rg.l2_minimizer(lam, 30.0)
    adam_l2, adamw = runs[0].xy[-1], runs[1].xy[-1]
    assert np.linalg.norm(adam_l2 - star) < 1e-2  # a fixed point of Adam: total gradient 0
    assert np.linalg.norm(adamw - adam_l2) > 0.1  # weight decay ≠ L2 for Adam
    # AdamW's fixed point: ∇J + λ√ŝ θ = 0 (an L2 term with per-coordinate strength λ√ŝ)
    eff = rg.adamw_effective_l2(runs, lam)
    residual = rg.hessian(30.0) @ (adamw - np.array(rg.CENTER)) + eff * adamw
    assert np.abs(residual).max() < 0.05


def test_with_zero_lambda_all_four_runs_minimize_j():
    runs = rg.weight_decay_runs(0.05, 0.0, 30.0, 500)
    for tr in runs:
        assert np.allclose(tr.xy[-1], rg.CENTER, atol=2e-2)


def test_large_learning_rate_diverges_and_is_reported():
    runs = rg.weight_decay_runs(1.0, 0.5, 30.0, 100)
    assert runs[2].diverged_at is not None and runs[3].diverged_at is not None
    assert np.isnan(rg.sgd_gap(runs))
    rows = rg.end_points(runs, 0.5, 30.0)
    assert rows[3]["diverged at"] == runs[3].diverged_at and rows[3]["θ₁"] is None


def test_constraint_figure_touches_the_region():
    fig = rg.constraint_figure(30.0, 1.5)
    names = [t.name for t in fig.data]
    assert sum("≤ t" in (n or "") for n in names) == 2  # the diamond and the circle
    diamond = next(t for t in fig.data if (t.name or "").startswith("‖θ‖₁"))
    t = float(np.abs(np.asarray(diamond.x)).max())  # size of the diamond
    assert t == pytest.approx(np.abs(rg.l1_minimizer(1.5, 30.0)).sum(), rel=1e-6)
    assert fig.layout.yaxis.scaleanchor == "x"  # a circle looks round


# ----------------------------------------------------------------------------- the page


def app(query=None):
    return open_page(PAGE, query, TIMEOUT)


def table(at):
    return at.dataframe[0].value.to_dict("records")


def test_page_defaults():
    at = app()
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("Regularization")
    assert len(at.get("plotly_chart")) == 3
    race = json.loads(at.get("plotly_chart")[2].proto.spec)
    assert race.get("frames"), "the weight-decay race is animated"
    assert len(table(at)) == 4
    assert any("SGD" in s.value and "≡ L2" in s.value for s in at.success)
    assert any("θ₂ exactly 0" in m.value for m in at.markdown)
    assert not at.warning and not at.error


@pytest.mark.parametrize(
    "key,value",
    [("lam", 0.0), ("lam", 6.0), ("angle", 0.0), ("angle", 90.0), ("wd.lam", 0.0), ("wd.lam", 1.0)],
)
def test_extreme_sliders(key, value):
    at = app()
    at.slider(key=P + key).set_value(value).run()
    assert not at.exception, at.exception
    assert at.session_state[P + key] == value
    if key == "lam" and value == 6.0:
        assert any("θ₁ and θ₂ exactly 0" in m.value for m in at.markdown)


def test_huge_learning_rate_says_diverged():
    at = app()
    at.select_slider(key=P + "wd.lr").set_value(1.0).run()
    assert not at.exception, at.exception
    assert any("diverged at step" in e.value for e in at.error)
    assert at.query_params["wd.lr"] == "1"


def test_every_step_count():
    at = app()
    for steps in rg.WD_STEPS:
        at.select_slider(key=P + "wd.steps").set_value(steps).run()
        assert not at.exception, at.exception
        assert len(json.loads(at.get("plotly_chart")[2].proto.spec)["frames"]) > 10


def test_url_round_trip():
    query = {"lam": "0.75", "angle": "45", "wd.lr": "0.02", "wd.lam": "0.3", "wd.steps": "200"}
    at = app(query)
    assert not at.exception and not at.warning
    assert at.session_state[P + "lam"] == 0.75
    assert at.session_state[P + "wd.lr"] == 0.02
    for k, v in query.items():
        assert at.query_params[k] == v, k


@pytest.mark.parametrize(
    "query",
    [{"lam": "nan"}, {"angle": "1e999"}, {"wd.steps": "abc"}, {"wd.lr": "-3"}, {"bogus": "1"}],
)
def test_tampered_url(query):
    at = app(query)
    assert not at.exception, at.exception
    assert at.warning
    assert len(at.get("plotly_chart")) == 3


# ----------------------------------------------------------------------------- 简体中文


def zh(text):
    """The Chinese of ``text``: fails when the table lacks it or drops a placeholder."""
    assert text in ZH, f"no Chinese for {text!r}"
    names = [sorted(f for _, f, _, _ in string.Formatter().parse(s) if f) for s in (text, ZH[text])]
    assert names[0] == names[1], (text, ZH[text])
    return ZH[text]


def test_every_figure_label_has_chinese():
    for text in (*rg.RUN_LABELS, rg.LAM.help, rg.ANGLE.help, rg.WD_LR.help, rg.WD_LAM.help):
        zh(text)
    fig = rg.constraint_figure(30.0, 1.5, tr=zh)
    assert [a.text for a in fig.layout.annotations][0].startswith("L1：")
    assert "J 的等值线" in [t.name for t in fig.data]
    path = rg.path_figure(30.0, 6.0, tr=zh)
    assert any("变为 0" in (t.name or "") for t in path.data)
    runs = rg.weight_decay_runs(0.05, 0.5, 30.0, 300)
    race = rg.weight_decay_figure(runs, 0.5, 30.0, tr=zh)
    assert zh(rg.RUN_LABELS[1]) in [a.text for a in race.layout.annotations]


def test_page_in_chinese():
    app()  # the English page first: its cached figures must not leak into the Chinese one
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == zh("Regularization: L1 vs L2 (正则化)")
    assert at.header[0].value == zh("Weight decay vs L2 in Adam (权重衰减 vs L2 正则化)")
    assert any("θ₂ 恰好为 0" in m.value for m in at.markdown)
    assert any("权重衰减 ≡ L2 正则化" in s.value for s in at.success)
    rows = table(at)
    assert rows[0][zh("run")] == zh(rg.RUN_LABELS[0]) and zh("diverged at") in rows[0]
    constraint = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert constraint["layout"]["annotations"][0]["text"].startswith("L1：")
    at.select_slider(key=P + "wd.lr").set_value(1.0).run()
    assert not at.exception, at.exception
    assert any("发散" in e.value for e in at.error)
