"""Inside the optimizer: the per-step equations against the engine and closed forms, the
time-synced figure, the bias-correction comparison, and the page under AppTest."""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from pagetest import open_page
from streamlit.testing.v1 import AppTest

import optviz
from optviz import OPTIMIZERS, SURFACES, plots
from optviz.lessons import inside

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages/inside.py")
P = "io:"
STEPS = 50  # the page's default: one compile per optimizer serves tests and AppTest


@pytest.fixture(scope="module")
def runs():
    """One 50-step run per optimizer on the default quadratic."""
    return {key: optviz.run(key, "quadratic", steps=STEPS) for key in OPTIMIZERS}


# ----------------------------------------------------------------------------- numbers


def close(a, b, rtol=2e-4):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return np.allclose(a, b, rtol=rtol, atol=rtol * (1.0 + np.max(np.abs(b))))


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_the_numbers_shown_reproduce_the_engine(runs, key):
    """Doing the arithmetic on the displayed right-hand sides gives the engine's x_t and state."""
    traj = runs[key]
    for t in (1, 2, 7, STEPS):
        eq = inside.step_equation(traj, t, "quadratic")
        n = inside.step_numbers(traj, t)
        assert eq.terms, key
        for name, value in eq.terms.items():
            engine = n.x if name == "x" else n.cur[name]
            assert close(value, engine), (key, t, name, value, engine)
        latex = inside.update_latex(traj, t, "quadratic")
        assert latex.startswith(r"\begin{aligned}") and latex.endswith(r"\end{aligned}")
        assert inside.vec(traj.xy[t]) in latex  # x_t as the engine computed it
        assert inside.vec(traj.grad_used[t - 1]) in latex  # g_t
        assert f"t = {t}" in latex


def test_sgd_step_is_the_closed_form():
    """On 0.1x₁²+2x₂², g = (0.2x₁, 4x₂) and x_t = x_{t-1} - η g (d2l's first step)."""
    traj = optviz.run("sgd", "quadratic", start=(-5.0, -2.0), steps=STEPS, hparams={"lr": 0.4})
    n = inside.step_numbers(traj, 1)
    np.testing.assert_allclose(n.g, [0.2 * -5.0, 4 * -2.0], rtol=1e-6)
    np.testing.assert_allclose(n.x, [-5.0 + 0.4, -2.0 + 3.2], rtol=1e-6)
    latex = inside.update_latex(traj, 1)
    assert r"\begin{pmatrix}-1\\ -8\end{pmatrix}" in latex
    assert r"\begin{pmatrix}-4.6\\ 1.2\end{pmatrix}" in latex


def test_adam_first_step_with_and_without_bias_correction():
    """t = 1: with correction v̂ = g, ŝ = g², so Δx = -η g/|g| (ε aside); without it the step
    is (1-β₁)/√(1-β₂) ≈ 3.16 times as long."""
    hp = {"lr": 0.1, "beta1": 0.9, "beta2": 0.999}
    on = optviz.run("adam", "quadratic", steps=STEPS, hparams=hp)
    off = optviz.run("adam", "quadratic", steps=STEPS, hparams={**hp, "bias_correction": False})
    g = on.grad_used[0]
    np.testing.assert_allclose(on.update[0], -0.1 * np.sign(g), rtol=1e-5)
    ratio = inside.bias_factor_ratio(0.9, 0.999, 3)
    np.testing.assert_allclose(ratio[0], 0.1 / math.sqrt(0.001), rtol=1e-12)
    np.testing.assert_allclose(off.update[0], ratio[0] * on.update[0], rtol=1e-4)
    assert r"1-0.9^{1}" in inside.update_latex(on, 1)
    assert r"\text{no bias correction}" in inside.update_latex(off, 1)
    sizes_on, sizes_off = inside.step_sizes(on), inside.step_sizes(off)
    np.testing.assert_allclose(sizes_off[0] / sizes_on[0], ratio[0], rtol=1e-4)


def test_bias_factors_are_one_minus_beta_to_the_t(runs):
    traj = runs["adam"]
    t = np.arange(1, STEPS + 1)
    np.testing.assert_allclose(traj.state["bias_factor"][1:, 0], 1 - 0.9**t, rtol=1e-5)
    np.testing.assert_allclose(traj.state["bias_factor"][1:, 1], 1 - 0.999**t, rtol=1e-4)


def test_newton_hessian_is_exact_and_does_not_recompile():
    np.testing.assert_allclose(inside.hessian_at("quadratic", (1.0, 2.0)), np.diag([0.2, 4.0]))
    np.testing.assert_allclose(
        inside.hessian_at("quadratic", (0.3, -1.0), {"kappa": 50.0}), np.diag([0.2, 10.0])
    )
    before = inside._hessian._cache_size()
    inside.hessian_at("quadratic", (2.0, 1.0), {"kappa": 7.0, "angle": 30.0})  # floats: traced
    assert inside._hessian._cache_size() == before
    x, y = 0.5, -0.25  # Rosenbrock: H = [[2 - 400(y - 3x²), -400x], [-400x, 200]]
    expected = [[2 - 400 * (y - 3 * x**2), -400 * x], [-400 * x, 200]]
    np.testing.assert_allclose(inside.hessian_at("rosenbrock", (x, y)), expected, rtol=1e-5)


def test_number_formatting():
    assert inside.num(0.1) == "0.1"
    assert inside.num(-8.0) == "-8"
    assert inside.num(0.0) == "0"
    assert inside.num(1e-8) == "10^{-8}"
    assert inside.num(2.5e-5) == r"2.5\times 10^{-5}"
    assert inside.num(123456.0) == r"1.235\times 10^{5}"
    assert inside.num(float("nan")) == r"\text{NaN}"
    assert inside.vec([1.0, -2.0]) == r"\begin{pmatrix}1\\ -2\end{pmatrix}"


def test_step_numbers_rejects_steps_outside_the_run(runs):
    with pytest.raises(ValueError):
        inside.step_numbers(runs["sgd"], 0)
    with pytest.raises(ValueError):
        inside.step_numbers(runs["sgd"], STEPS + 1)


def test_arrow_scale_is_round():
    vectors = np.array([[30.0, 40.0]] * 10)  # length 50
    assert inside.arrow_scale(vectors, 1.0) == 0.02
    assert inside.arrow_scale(vectors, 100.0) == 2.0
    assert inside.arrow_scale(np.zeros((3, 2)), 1.0) == 1.0


# ----------------------------------------------------------------------------- the figure


@pytest.mark.parametrize("key", ["sgd", "momentum", "adagrad", "adadelta", "adam", "lion"])
def test_one_scrubber_drives_every_panel(runs, key):
    traj = runs[key]
    fig = inside.inside_figure("quadratic", traj).to_plotly_json()
    panels = inside.time_panels(key, traj.hparams)
    assert len(panels) == {"sgd": 1, "adam": 4, "adadelta": 3}.get(key, 2)
    assert len(fig["layout"]["images"]) == 1  # the surface is a background image
    assert not any(d["type"] in ("contour", "heatmap") for d in fig["data"])
    animated = fig["layout"]["meta"]["animated"]
    frames = fig["frames"]
    assert [f["name"] for f in frames] == [str(t) for t in range(1, STEPS + 1)]
    assert len(fig["layout"]["sliders"]) == 1  # one scrubber
    stops = [int(s["label"]) for s in fig["layout"]["sliders"][0]["steps"]]
    assert stops == plots.scrubber_stops(np.arange(1, STEPS + 1)).tolist()
    counter = fig["data"][animated[-1]]
    assert counter["name"] == "frame-counter" and counter["text"] == ["step t = 1"]
    for frame in frames:
        assert frame["traces"] == animated
        assert len(frame["data"]) == len(animated)
        assert frame["data"][-1]["text"] == [f"step t = {frame['name']}"]
        assert "layout" not in frame  # no annotations in frames
    arrows = [d for d in fig["data"] if d.get("marker", {}).get("angleref") == "previous"]
    assert len(arrows) == (3 if key in inside.MOMENTUM_STATE else 2)
    for arrow in arrows:
        assert arrow["marker"]["symbol"] == ["circle", "arrow"]
    t = 7
    frame = frames[t - 1]
    head = frame["data"][0]
    np.testing.assert_allclose([head["x"][0], head["y"][0]], traj.xy[t - 1], atol=1e-4)
    n_arrows = len(arrows)
    step_arrow = frame["data"][n_arrows]  # Δx_t is the last arrow
    tail, tip = np.array(step_arrow["x"]), np.array(step_arrow["y"])
    scale = inside.arrows(traj, SURFACES["quadratic"].bounds)[-1]
    drawn = np.array([tail[1] - tail[0], tip[1] - tip[0]])
    np.testing.assert_allclose(drawn, scale.vectors[t - 1], rtol=1e-3, atol=1e-4)
    for p, panel in enumerate(panels):  # the vertical marker and the dots sit at step t
        marker, dots = frame["data"][1 + n_arrows + 2 * p], frame["data"][2 + n_arrows + 2 * p]
        assert marker["x"] == [t, t]
        name = panel.lines[0][0]
        np.testing.assert_allclose(dots["y"][:2], traj.state[name][t], rtol=1e-4, atol=1e-6)
    for name, axis in fig["layout"].items():  # fixed ranges: nothing rescales on Play
        if name.startswith(("xaxis", "yaxis")):
            assert axis.get("autorange") is False, name


def test_the_drawn_step_is_true_to_scale_when_visible():
    traj = optviz.run("sgd", "quadratic", start=(-5.0, -2.0), steps=STEPS, hparams={"lr": 0.4})
    step = inside.arrows(traj, SURFACES["quadratic"].bounds)[-1]
    assert "×" not in step.label  # Δx_t ends at x_t
    np.testing.assert_allclose(step.vectors, traj.update)


def test_diverged_run_still_draws(runs):
    traj = optviz.run("sgd", "quadratic", steps=STEPS, hparams={"lr": 0.6})  # d2l: diverges
    assert traj.diverged_at == 6
    fig = inside.inside_figure("quadratic", traj).to_plotly_json()
    last = fig["frames"][-1]["data"]
    assert last[1]["x"] == [None, None]  # no arrow once the run has stopped
    assert any(d.get("name") == "diverged" for d in fig["data"])
    latex = inside.update_latex(traj, traj.last_valid)
    assert "NaN" not in latex


def test_bias_correction_figure(runs):
    hp = {"lr": 0.1, "beta1": 0.9, "beta2": 0.999}
    on = optviz.run("adam", "quadratic", steps=inside.BIAS_STEPS, hparams=hp)
    off = optviz.run(
        "adam", "quadratic", steps=inside.BIAS_STEPS, hparams={**hp, "bias_correction": False}
    )
    fig = inside.bias_correction_figure("quadratic", on, off)
    names = [d.name for d in fig.data]
    assert names.count("bias correction on") == 2 and names.count("bias correction off") == 2
    ratio = next(d for d in fig.data if d.name == "(1−β₁ᵗ)/√(1−β₂ᵗ)")
    y = np.asarray(ratio.y, np.float64)
    np.testing.assert_allclose(y, inside.bias_factor_ratio(0.9, 0.999, inside.BIAS_STEPS), 1e-6)
    measured = next(d for d in fig.data if d.name.startswith("measured"))
    assert abs(float(measured.y[0]) - y[0]) < 1e-3  # t = 1: exactly the factor
    sizes = next(d for d in fig.data if d.name == "bias correction off" and d.xaxis == "x2")
    np.testing.assert_allclose(sizes.y, np.hypot(*off.update.T), rtol=1e-6)


# ----------------------------------------------------------------------------- the page


def app(query=None):
    return open_page(PAGE, query, 180)


def spec(at, i=0):
    return json.loads(at.get("plotly_chart")[i].proto.spec)


def equation(at):
    return next(e.value for e in at.latex if r"\text{step }" in e.value)


def test_page_defaults():
    at = app()
    assert not at.exception, at.exception
    assert at.title[0].value == "Inside the optimizer"
    assert not at.warning and not at.error
    assert len(at.get("plotly_chart")) == 2
    fig = spec(at)
    assert len(fig["frames"]) == STEPS
    assert r"\text{step } t = 1" in equation(at)
    assert any("What to notice" in m.value for m in at.markdown)
    assert any("3.16×" in m.value for m in at.markdown)  # (1-β₁)/√(1-β₂) at t = 1


def test_every_optimizer():
    at = app()
    for key in OPTIMIZERS:
        at.selectbox(key=P + "opt").select(key).run()
        assert not at.exception, (key, at.exception)
        assert at.session_state[P + "opt"] == key
        assert spec(at)["frames"], key
        assert r"\begin{aligned}" in equation(at)
        assert at.query_params.get("opt", "adam") == key


def test_every_surface():
    at = app()
    for key in SURFACES:
        at.selectbox(key=P + "surface").select(key).run()
        assert not at.exception, (key, at.exception)
        assert at.session_state[P + "start.x"] == SURFACES[key].start[0]
        assert len(at.get("plotly_chart")) == 2


def test_extreme_sliders_and_the_step_selector():
    at = app()
    at.select_slider(key=P + "adam.lr").set_value(10.0).run()
    assert not at.exception
    at.slider(key=P + "adam.beta1").set_value(0.999).run()
    at.slider(key=P + "adam.beta2").set_value(0.0).run()
    at.select_slider(key=P + "adam.eps").set_value(1.0).run()
    assert not at.exception, at.exception
    at.select_slider(key=P + "adam.lr").set_value(1e-4).run()
    at.slider(key=P + "adam.beta1").set_value(0.0).run()
    at.select_slider(key=P + "steps").set_value(200).run()
    assert not at.exception, at.exception
    assert len(spec(at)["frames"]) == 200
    at.slider(key=P + "t").set_value(200).run()
    assert r"t = 200" in equation(at)
    assert at.query_params["t"] == "200"
    at.select_slider(key=P + "steps").set_value(25).run()
    assert not at.exception
    assert at.session_state[P + "t"] == 25  # the step follows a shorter run
    at.toggle(key=P + "adam.bias_correction").set_value(False).run()
    assert r"\text{no bias correction}" in equation(at)


def test_divergence_is_reported():
    at = app({"opt": "sgd", "sgd.lr": "0.6"})  # d2l's η = 0.6 diverges along x₂
    assert not at.exception, at.exception
    assert any("diverged at step 6" in e.value for e in at.error)
    assert r"\text{step } t = 1" in equation(at)
    at.slider(key=P + "t").set_value(5).run()  # the last step with a finite x_t
    assert "NaN" not in equation(at)
    at = app({"opt": "sgd", "sgd.lr": "10"})  # gone at the first step
    assert not at.exception, at.exception
    assert any("diverged at step 1" in e.value for e in at.error)
    assert any("first step" in w.value for w in at.warning)


def test_url_round_trip():
    query = {  # 30 steps share the 50-step compile: no new JAX program
        "opt": "rmsprop",
        "surface": "saddle",
        "rmsprop.lr": "0.01",
        "rmsprop.gamma": "0.5",
        "start": "-1,0.5",
        "steps": "30",
        "t": "7",
    }
    at = app(query)
    assert not at.exception and not at.warning
    assert at.session_state[P + "rmsprop.lr"] == 0.01
    assert at.session_state[P + "rmsprop.gamma"] == 0.5
    assert at.session_state[P + "start.x"] == -1.0
    assert len(spec(at)["frames"]) == 30
    assert r"\text{step } t = 7" in equation(at)
    for k, v in query.items():
        assert at.query_params[k] == v, k


@pytest.mark.parametrize(
    "query",
    [
        {"opt": "<script>"},
        {"adam.lr": "nan", "steps": "-5"},
        {"start": "inf,3", "t": "abc"},
        {"surface": "x" * 5000},
        {"unknown": "1"},
    ],
)
def test_tampered_url(query):
    at = app(query)
    assert not at.exception, at.exception
    assert at.warning, "a notice explains what was ignored"
    assert len(at.get("plotly_chart")) == 2


def test_page_in_chinese():
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "优化器内部"
    assert any("注意观察" in m.value for m in at.markdown)
    assert "时间步 t" in str(spec(at)["layout"])  # the figure is translated too
    assert "有无偏差修正" in at.subheader[1].value
