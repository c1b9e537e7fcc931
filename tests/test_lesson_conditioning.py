"""Conditioning page: Hessians and η_max against closed forms and actual runs, the momentum
rate map against eigenvalues and measured rates, rotation equivariance of SGD (and not of
RMSProp/Adam), and the page itself under AppTest (defaults, extremes, URL round trip,
tampered links)."""

import json
import logging
import math
from pathlib import Path

import jax
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import optviz
from optviz.lessons import conditioning as cn

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages/conditioning.py")
P = "cn:"


# ----------------------------------------------------------------------------- the notes' example


@pytest.mark.parametrize("name", ["raw", "normalized"])
def test_normalization_surfaces_match_the_notes(name):
    surface, a = cn.NORMALIZATION_SURFACES[name]
    rng = np.random.default_rng(1)
    for theta in rng.normal(size=(5, 2)) * [0.5, 0.005 if name == "raw" else 0.5]:
        want = (a[0] * theta[0] + a[1] * theta[1] - cn.Y_HAT) ** 2 + cn.RIDGE * (theta @ theta)
        assert float(surface(theta)) == pytest.approx(want, rel=1e-4)
    # Hessian: autodiff == 2(aaᵀ + λI), and the minimum has a zero gradient
    h = cn.hessian(surface, surface.start)
    np.testing.assert_allclose(h, cn.ridge_hessian(a), rtol=1e-5)
    star = np.array(surface.minima[0])
    grad = 2 * (np.dot(a, star) - cn.Y_HAT) * np.array(a) + 2 * cn.RIDGE * star
    assert np.abs(grad).max() < 1e-9


def test_raw_is_ill_conditioned_and_normalization_fixes_it():
    raw = cn.conditioning(cn.ridge_hessian(cn.RAW_FEATURES))
    norm = cn.conditioning(cn.ridge_hessian(cn.NORMALIZED_FEATURES))
    assert raw.lam_max == pytest.approx(2 * (3**2 + 600**2 + cn.RIDGE))
    assert raw.lam_min == pytest.approx(2 * cn.RIDGE)
    assert raw.kappa > 1e6 and norm.kappa < 10
    assert norm.eta_max / raw.eta_max > 1e5


@pytest.mark.parametrize("name", ["raw", "normalized"])
def test_stability_limit_against_runs(name):
    """η slightly below 2/λ_max converges (or at least stays), slightly above diverges."""
    surface, a = cn.NORMALIZATION_SURFACES[name]
    eta_max = cn.conditioning(cn.hessian(surface, surface.start)).eta_max
    below = optviz.run("sgd", surface, steps=1000, hparams={"lr": 0.98 * eta_max})
    above = optviz.run("sgd", surface, steps=1000, hparams={"lr": 1.02 * eta_max})
    assert below.diverged_at is None
    assert above.diverged_at is not None
    if name == "normalized":
        np.testing.assert_allclose(below.xy[-1], surface.minima[0], atol=1e-4)


def test_normalization_view_raw_crawls_normalized_converges():
    view = cn.normalization_view(0.9, 200)
    raw, norm = view.rows
    assert raw["steps to J − J* ≤ 0.001"] == "not within 200"
    assert int(norm["steps to J − J* ≤ 0.001"]) < 40
    assert raw["1 − ηλ_min"] > 0.999999
    over = cn.normalization_view(1.1, 200)
    assert all(r["steps to J − J* ≤ 0.001"].startswith("diverged at step") for r in over.rows)


# ----------------------------------------------------------------------------- the quadratic


@pytest.mark.parametrize("kappa, angle", [(1.0, 0.0), (20.0, 0.0), (20.0, 35.0), (100.0, 80.0)])
def test_quadratic_hessian_and_eta_max(kappa, angle):
    params = {"kappa": kappa, "angle": angle}
    h = cn.hessian("quadratic", (0.3, -1.2), params)
    np.testing.assert_allclose(h, cn.quadratic_hessian(kappa, angle), atol=2e-6 * kappa)
    lam = np.linalg.eigvalsh(h)
    np.testing.assert_allclose(lam, cn.quadratic_eigenvalues(kappa), rtol=1e-5)
    eta_max = cn.sgd_eta_max(kappa)
    assert eta_max == pytest.approx(2 / lam[-1], rel=1e-5) == pytest.approx(10 / kappa)
    view = cn.sgd_view(kappa, angle, 0.97 * eta_max)
    assert view.hessian_eta_max == pytest.approx(eta_max, rel=1e-5)
    assert view.diverged_at is None
    start = cn.QUADRATIC_START
    steps = 600
    below = optviz.run(
        "sgd", "quadratic", start, steps, {"lr": 0.97 * eta_max}, surface_params=params
    )
    above = optviz.run(
        "sgd", "quadratic", start, steps, {"lr": 1.03 * eta_max}, surface_params=params
    )
    assert np.linalg.norm(below.xy[-1]) < 1e-3 * np.linalg.norm(start)
    if kappa > 1:  # with κ = 1 the start lies along both eigenvectors alike: still diverges
        assert above.diverged_at is not None
    else:
        assert above.diverged_at is not None or np.linalg.norm(above.xy[-1]) > 1.0


def test_d2l_divergence_is_on_the_unstable_side():
    """d2l: η = 0.4 converges on 0.1x₁² + 2x₂², η = 0.6 diverges; 2/λ_max = 0.5."""
    assert cn.sgd_eta_max(20.0) == pytest.approx(0.5)
    assert cn.sgd_view(20.0, 0.0, 0.4).diverged_at is None
    assert cn.sgd_view(20.0, 0.0, 0.6).diverged_at is not None


# ----------------------------------------------------------------------------- momentum


def test_momentum_matrix_is_our_convention():
    """One optimizer step along each eigen-direction equals the 2×2 matrix on (θ, v)."""
    kappa, lr, gamma = 20.0, 0.3, 0.7
    traj = optviz.run(
        "momentum", "quadratic", cn.QUADRATIC_START, 30, {"lr": lr, "momentum": gamma},
        surface_params={"kappa": kappa, "angle": 0.0},
    )  # fmt: skip
    v = traj.state["velocity"]
    for axis, lam in enumerate(cn.quadratic_eigenvalues(kappa)):
        m = cn.momentum_matrix(lr, gamma, lam)
        for t in range(1, 30):
            before = np.array([traj.xy[t - 1, axis], v[t - 1, axis]])
            after = np.array([traj.xy[t, axis], v[t, axis]])
            np.testing.assert_allclose(m @ before, after, rtol=1e-5, atol=1e-6)


def test_momentum_rate_against_eigenvalues():
    rng = np.random.default_rng(0)
    for _ in range(300):
        lr, gamma, lam = rng.uniform(0, 2), rng.uniform(0, 0.999), rng.uniform(0.05, 20)
        ours = max(abs(np.linalg.eigvals(cn.momentum_matrix(lr, gamma, lam))))
        classic = max(abs(np.linalg.eigvals(cn.heavy_ball_matrix(lr, gamma, lam))))
        assert ours == pytest.approx(classic, rel=1e-7, abs=1e-9)
        assert float(cn.momentum_rate(lr, gamma, [lam])) == pytest.approx(ours, rel=1e-7)
    lrs, gammas, rates = cn.rate_grid(20.0, 1.1)
    lam = cn.quadratic_eigenvalues(20.0)
    j, i = 37, 58
    want = max(max(abs(np.linalg.eigvals(cn.momentum_matrix(lrs[i], gammas[j], x)))) for x in lam)
    assert rates[j, i] == pytest.approx(want)
    # the stability edge: ρ < 1 exactly when η λ_max < 2(1 + γ)
    stable = rates < 1
    edge = lrs[None, :] * lam[1] < 2 * (1 + gammas[:, None])
    assert np.array_equal(stable, edge)


@pytest.mark.parametrize(
    "kappa, lr, gamma",
    [(20, 0.4, 0.5), (20, 0.2, 0.9), (20, 0.05, 0.0), (50, 0.1, 0.6), (5, 0.9, 0.2)],
)
def test_momentum_rate_against_actual_runs(kappa, lr, gamma):
    view = cn.momentum_view(kappa, 25.0, lr, gamma)
    assert view.diverged_at is None
    assert view.measured == pytest.approx(view.predicted, rel=0.015)


def test_momentum_unstable_side_diverges():
    lam_max = cn.quadratic_eigenvalues(20)[1]
    gamma = 0.5
    edge = 2 * (1 + gamma) / lam_max
    assert cn.momentum_view(20, 0, 0.97 * edge, gamma).diverged_at is None
    assert cn.momentum_view(20, 0, 1.03 * edge, gamma).diverged_at is not None


def test_optimal_momentum_is_the_best_cell():
    lam = cn.quadratic_eigenvalues(20.0)
    lr, gamma, rate = cn.optimal_momentum(*lam)
    assert float(cn.momentum_rate(lr, gamma, lam)) == pytest.approx(rate, rel=1e-6)
    assert rate == pytest.approx((math.sqrt(20) - 1) / (math.sqrt(20) + 1))
    _, _, rates = cn.rate_grid(20.0, 1.1, n_lr=300, n_gamma=300)
    assert rates.min() >= rate - 1e-9
    assert rate < cn.best_gd_rate(20.0)


def test_measured_rate_of_a_known_sequence():
    t = np.arange(200)[:, None]
    for rho in (0.5, 0.9, 0.99):
        xy = rho**t * np.hstack([np.cos(0.3 * t), np.sin(0.3 * t)]) * 4.0
        assert cn.measured_rate(xy) == pytest.approx(rho, rel=1e-3)
    assert cn.steps_to_shrink(0.5) == pytest.approx(math.log(1e-3) / math.log(0.5))


# ----------------------------------------------------------------------------- rotation


@pytest.mark.parametrize("angle", [20.0, 45.0, 70.0])
def test_sgd_rotates_rigidly_rmsprop_and_adam_do_not(angle):
    view = cn.rotation_view(20.0, angle)
    errors = {row["optimizer"]: row["max_t ‖p_t − R_θ p⁽⁰⁾_t‖"] for row in view.rows}
    assert errors["SGD"] < 1e-4
    assert errors["RMSProp"] > 0.1
    assert errors["Adam"] > 0.1


def test_rotation_error_by_hand():
    """Rotating the start rotates SGD's whole path: compare with an explicit rotation."""
    hp = {"lr": 0.2}
    flat = optviz.run("sgd", "quadratic", (-2.0, 1.0), 50, hp, surface_params={"kappa": 10})
    t = math.radians(30)
    rot = np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])
    turned = optviz.run(
        "sgd", "quadratic", tuple(rot @ [-2.0, 1.0]), 50, hp,
        surface_params={"kappa": 10, "angle": 30},
    )  # fmt: skip
    np.testing.assert_allclose(turned.xy, flat.xy @ rot.T, atol=1e-5)
    assert cn.rotation_error(flat.xy, turned.xy, 30) < 1e-5
    assert cn.rotation_error(flat.xy, turned.xy, 31) > 1e-2


def test_adaptive_methods_are_equivariant_under_quarter_turns():
    """A 90° turn maps axes onto axes, so RMSProp's per-coordinate scaling commutes with it
    (until its bouncing around the minimum amplifies float32 round-off)."""
    hp = {"lr": 0.1, "gamma": 0.9}
    flat = optviz.run(
        "rmsprop", "quadratic", cn.ROTATION_START, 60, hp, surface_params={"kappa": 20}
    )
    turned = optviz.run(
        "rmsprop", "quadratic", tuple(cn.rotate(cn.ROTATION_START, 90)), 60, hp,
        surface_params={"kappa": 20, "angle": 90},
    )  # fmt: skip
    assert cn.rotation_error(flat.xy, turned.xy, 90) < 1e-4
    at_45 = optviz.run(
        "rmsprop", "quadratic", tuple(cn.rotate(cn.ROTATION_START, 45)), 60, hp,
        surface_params={"kappa": 20, "angle": 45},
    )  # fmt: skip
    assert cn.rotation_error(flat.xy, at_45.xy, 45) > 0.1


# ----------------------------------------------------------------------------- figures


def test_figures():
    view = cn.normalization_view(0.9, 100)
    fig = view.figure
    assert len(fig.layout.images) == 2
    assert {t.type for t in fig.data} == {"scatter"}
    heads = fig.layout.meta["heads_traces"]
    counter = len(fig.data) - 1  # "step k", in the last panel's corner
    assert fig.data[counter].name == "frame-counter" and fig.data[counter].xaxis == "x2"
    assert all(list(f.traces) == [*heads, counter] for f in fig.frames)
    assert [f.data[-1].text for f in fig.frames] == [(f"step {f.name}",) for f in fig.frames]
    momentum = cn.momentum_view(20, 0, 0.4, 0.5)
    heat = momentum.map.data[0]
    assert heat.type == "heatmap" and not momentum.map.frames  # static
    axis = cn.eta_axis_figure(0.4, 0.5, 1e-3, 2.0)
    assert axis.data[0].marker.color == "#009E73"
    assert cn.eta_axis_figure(0.6, 0.5, 1e-3, 2.0).data[0].marker.color == "#D55E00"


def test_slider_moves_do_not_recompile():
    views = [
        lambda x: cn.normalization_view(0.2 + x, 100),
        lambda x: cn.sgd_view(5 + 40 * x, 90 * x, 0.01 + x),
        lambda x: cn.momentum_view(5 + 40 * x, 90 * x, 0.01 + x, 0.9 * x),
        lambda x: cn.rotation_view(5 + 40 * x, 90 * x),
    ]
    for view in views:
        view(0.5)  # warm
    count = []

    class Counter(logging.Handler):
        def emit(self, record):
            if "Finished XLA compilation" in record.getMessage():
                count.append(record.getMessage())

    handler = Counter(logging.DEBUG)
    logger = logging.getLogger("jax")
    logger.addHandler(handler)
    try:
        with jax.log_compiles():
            for x in (0.1, 0.77):
                for view in views:
                    view(x)
    finally:
        logger.removeHandler(handler)
    assert not count, count


# ----------------------------------------------------------------------------- the page


def page(query=None):
    at = AppTest.from_file(PAGE, default_timeout=180)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def text(at):
    return " ".join(m.value for m in at.markdown)


def test_defaults_render():
    at = page()
    assert not at.exception, at.exception
    assert at.title[0].value == "Conditioning and normalization (归一化, 条件数)"
    assert not at.warning and not at.error
    assert len(at.get("plotly_chart")) == 7
    assert ":green[**stable**" in text(at)
    assert "Predicted rate ρ = **0.7740**" in text(at)
    rows = at.dataframe[1].value.to_dict("records")
    assert [r["optimizer"] for r in rows] == ["SGD", "RMSProp", "Adam"]
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["frames"]
    assert dict(at.query_params) == {}


def test_unstable_learning_rate_says_diverged():
    at = page()
    at.select_slider(key=P + "lr").set_value(0.6).run()
    assert not at.exception
    assert ":red[**unstable**" in text(at)
    assert any("SGD diverged at step" in e.value for e in at.error)
    assert at.query_params["lr"] == "0.6"


@pytest.mark.parametrize(
    "key, value",
    [
        ("frac", 0.05), ("frac", 1.2), ("norm_steps", 25), ("norm_steps", 500),
        ("kappa", 1.0), ("kappa", 100.0), ("angle", 90.0), ("lr", 0.001), ("lr", 2.0),
        ("mlr", 2.0), ("mlr", 0.001), ("gamma", 0.0), ("gamma", 0.99), ("rot", 0.0),
        ("rot", 90.0),
    ],
)  # fmt: skip
def test_extreme_values(key, value):
    at = page()
    sliders = {w.key: w for w in at.slider}
    widget = sliders.get(P + key) or at.select_slider(key=P + key)
    widget.set_value(value).run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 7
    if key == "frac" and value > 1:
        assert "diverged at step" in str(at.dataframe[0].value.to_dict("records"))


def test_momentum_divergence_message():
    at = page({"mlr": "2", "gamma": "0.1"})
    assert not at.exception
    assert any("Momentum diverged at step" in e.value for e in at.error)


def test_url_round_trip():
    query = {
        "frac": "0.5", "norm_steps": "200", "kappa": "50", "angle": "30", "lr": "0.15",
        "mlr": "0.2", "gamma": "0.8", "rot": "60",
    }  # fmt: skip
    at = page(query)
    assert not at.exception and not at.warning
    assert at.session_state[P + "kappa"] == 50.0
    assert at.session_state[P + "gamma"] == 0.8
    for key, value in query.items():
        assert at.query_params[key] == value, key


@pytest.mark.parametrize(
    "query",
    [{"kappa": "abc"}, {"lr": "nan"}, {"mlr": "1e999"}, {"gamma": "-3"}, {"rot": "<b>"},
     {"norm_steps": "x" * 400}, {"frac": "inf"}, {"unknown": "1"}],
)  # fmt: skip
def test_tampered_url(query):
    at = page(query)
    assert not at.exception, at.exception
    assert at.warning
    assert len(at.get("plotly_chart")) == 7


def test_page_in_chinese():
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "条件数与归一化"
    assert ":green[**稳定**" in text(at)
    assert "损失函数" in at.dataframe[0].value.columns
    assert list(at.dataframe[0].value["损失函数"]) == ["原始", "归一化"]
