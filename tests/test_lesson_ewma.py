"""EWMA and bias correction: the averages against the recursion and closed forms, the
animated figure, and the page under AppTest."""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from pagetest import open_page
from streamlit.testing.v1 import AppTest

from optviz.lessons import ewma

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages/ewma.py")
P = "ew:"
BETAS = (0.5, 0.9, 0.98, 0.999)


def recursion(theta, beta):
    """Ng's loop: v₀ = 0, v_t = β v_{t-1} + (1-β) θ_t."""
    v, out = 0.0, []
    for x in theta:
        v = beta * v + (1 - beta) * x
        out.append(v)
    return np.array(out)


# ----------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("beta", BETAS)
def test_ewma_matches_the_recursion(beta):
    theta = np.random.default_rng(3).normal(15.0, 5.0, 100)
    np.testing.assert_allclose(ewma.ewma(theta, beta), recursion(theta, beta), rtol=1e-12)


@pytest.mark.parametrize("beta", BETAS)
def test_first_value_is_too_small_and_correction_fixes_it(beta):
    theta = np.array([12.0, 13.0, 11.0])
    v = ewma.ewma(theta, beta)
    assert v[0] == pytest.approx((1 - beta) * 12.0)  # v₁ = (1-β) θ₁
    assert ewma.bias_corrected(v, beta)[0] == pytest.approx(12.0)  # v̂₁ = θ₁


@pytest.mark.parametrize("beta", BETAS)
def test_corrected_average_of_a_constant_is_the_constant(beta):
    constant = np.full(100, 7.25)
    v = ewma.ewma(constant, beta)
    np.testing.assert_allclose(ewma.bias_corrected(v, beta), 7.25, rtol=1e-12)
    np.testing.assert_allclose(v, 7.25 * (1 - beta ** np.arange(1, 101)), rtol=1e-12)


@pytest.mark.parametrize("beta", BETAS)
@pytest.mark.parametrize("day", [1, 2, 10, 100])
def test_weights_sum_to_one_minus_beta_to_the_t(beta, day):
    w = ewma.weights(day, beta)
    assert len(w) == day
    assert w.sum() == pytest.approx(1 - beta**day, rel=1e-12)
    np.testing.assert_allclose(ewma.weight_matrix(day, beta)[-1], w, rtol=1e-12)
    assert w[-1] == pytest.approx(1 - beta)  # today weighs (1-β)


def test_window_is_about_one_over_one_minus_beta():
    errors = []
    for beta in BETAS:
        n = ewma.window(beta)
        assert n == pytest.approx(1 / (1 - beta))
        assert beta**n <= 1 / math.e  # after 1/(1-β) days a weight has fallen below 1/e
        errors.append(abs(beta**n - 1 / math.e))
        assert errors[-1] < 1 - beta  # and β^{1/(1-β)} → 1/e as β → 1
    assert errors == sorted(errors, reverse=True)
    assert ewma.window(0.9) == pytest.approx(10.0)  # Ng: β = 0.9 averages ~10 days


def test_temperatures_are_reproducible():
    days, curve, theta = ewma.temperatures(100, 3.0, 7)
    assert days[0] == 1 and days[-1] == 100
    np.testing.assert_array_equal(theta, ewma.temperatures(100, 3.0, 7)[2])
    assert not np.array_equal(theta, ewma.temperatures(100, 3.0, 8)[2])
    np.testing.assert_array_equal(ewma.temperatures(100, 0.0, 7)[2], curve)
    assert 5 < curve[0] < 10 and curve.max() > 20  # well away from v₀ = 0


# ----------------------------------------------------------------------------- figures


def test_the_averages_are_built_day_by_day():
    days, curve, theta = ewma.temperatures(100, 3.0, 0)
    beta, day = 0.9, 30
    fig = ewma.ewma_figure(days, theta, beta, day, curve=curve)
    animated = fig.layout.meta["animated"]
    assert len(fig.frames) == 100
    raw = ewma.ewma(theta, beta)
    fixed = ewma.bias_corrected(raw, beta)
    grow_raw, grow_fixed = (fig.data[i] for i in animated[1:3])
    assert len(grow_raw.y) == day  # the figure opens on the chosen day
    np.testing.assert_allclose(grow_fixed.y, fixed[:day], rtol=1e-5)
    slider = fig.layout.sliders[0]
    assert slider.steps[slider.active].label == str(day)  # the scrubber stands on the day
    assert fig.data[animated[-1]].text == (f"day t = {day}",)  # the counter says which day
    for k, frame in enumerate(fig.frames, start=1):
        assert list(frame.traces) == animated
        shade, g_raw, g_fixed, heads, counter = frame.data
        assert counter.text == (f"day t = {k}",)
        assert len(g_raw.y) == k
        assert shade.x[1] == k + 0.5
        assert shade.x[1] - shade.x[0] == pytest.approx(min(10.0, k))
        np.testing.assert_allclose(heads.y, [theta[k - 1], raw[k - 1], fixed[k - 1]], atol=1e-3)
    assert not any(d.type in ("contour", "heatmap") for d in fig.data)
    assert list(fig.layout.xaxis.range) == [0, 101] and fig.layout.yaxis.autorange is False
    assert len(fig.to_json()) < 400_000


def test_options_change_the_traces():
    days, _, theta = ewma.temperatures(100, 3.0, 0)
    base = ewma.ewma_figure(days, theta, 0.9, 30)
    compare = ewma.ewma_figure(days, theta, 0.9, 30, compare=True, corrected=False)
    names = [d.name for d in compare.data]
    assert {"β = 0.5", "β = 0.9", "β = 0.98"} <= set(names)
    ng = next(d for d in compare.data if d.name == "β = 0.98")
    np.testing.assert_allclose(ng.y, ewma.ewma(theta, 0.98), rtol=1e-5)
    assert len(compare.frames[0].data) == len(base.frames[0].data) - 1  # no corrected curve


def test_weights_figure():
    fig = ewma.weights_figure(0.9, 3)
    assert fig.layout.meta["sum"] == pytest.approx(1 - 0.9**3)
    np.testing.assert_allclose(fig.data[0].y, [0.081, 0.09, 0.1], rtol=1e-6)
    np.testing.assert_allclose(np.sum(fig.data[1].y), 1.0, rtol=1e-6)  # corrected: sum 1
    assert fig.data[2].y[0] == pytest.approx(0.1 / math.e)


# ----------------------------------------------------------------------------- the page


def app(query=None):
    return open_page(PAGE, query, 180)


def spec(at, i=0):
    return json.loads(at.get("plotly_chart")[i].proto.spec)


def test_page_defaults():
    at = app()
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("Exponentially weighted averages")
    assert not at.warning
    assert len(at.get("plotly_chart")) == 2
    assert len(spec(at)["frames"]) == ewma.DAYS
    latex = " ".join(e.value for e in at.latex)
    _, _, theta = ewma.temperatures(ewma.DAYS, 3.0, 0)
    assert f"= {0.1 * theta[0]:.3g}" in latex  # v₁ = (1-β) θ₁ with the page's numbers
    assert any("What to notice" in m.value for m in at.markdown)


def test_extreme_sliders_and_toggles():
    at = app()
    for key, value in [("beta", 0.5), ("beta", 0.999), ("noise", 0.0), ("noise", 10.0)]:
        at.slider(key=P + key).set_value(value).run()
        assert not at.exception, (key, value, at.exception)
    assert at.info, "β = 0.999 spans more days than shown"
    at.slider(key=P + "day").set_value(1).run()
    at.slider(key=P + "day").set_value(ewma.DAYS).run()
    at.number_input(key=P + "seed").set_value(9999).run()
    at.toggle(key=P + "compare").set_value(True).run()
    at.toggle(key=P + "corrected").set_value(False).run()
    assert not at.exception, at.exception
    names = [d.get("name") for d in spec(at)["data"]]
    assert "β = 0.98" in names and not any("bias-corrected" in str(n) for n in names)
    assert at.query_params["beta"] == "0.999"
    assert at.query_params["compare"] == "1" and at.query_params["corrected"] == "0"


def test_url_round_trip():
    query = {
        "beta": "0.98",
        "noise": "5",
        "seed": "7",
        "day": "60",
        "compare": "1",
        "corrected": "0",
    }
    at = app(query)
    assert not at.exception and not at.warning
    assert at.session_state[P + "beta"] == 0.98
    assert at.session_state[P + "day"] == 60
    slider = spec(at)["layout"]["sliders"][0]
    assert slider["steps"][slider["active"]]["label"] == "60"
    for k, v in query.items():
        assert at.query_params[k] == v, k


@pytest.mark.parametrize(
    "query",
    [
        {"beta": "2"},
        {"day": "abc", "seed": "-1"},
        {"compare": "maybe", "noise": "nan"},
        {"junk": "<script>"},
    ],
)
def test_tampered_url(query):
    at = app(query)
    assert not at.exception, at.exception
    assert at.warning, "a notice explains what was ignored"
    assert len(at.get("plotly_chart")) == 2
    assert 0.5 <= at.session_state[P + "beta"] <= 0.999


def test_page_in_chinese():
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "指数加权移动平均与偏差修正"
    assert any("注意观察" in m.value for m in at.markdown)
    names = [d.get("name") for d in spec(at)["data"]]
    assert "θₜ（测量值）" in names  # the figure is translated too
