"""optviz.search and optviz.final_points: sweeps against single runs, basins against single
runs, grid vs random search against exact expectations, successive-halving bookkeeping."""

import ast
import itertools
import math
import re
from pathlib import Path

import jax
import numpy as np
import pytest

import optviz
from optviz import engine, plots, search
from optviz.surfaces import get_surface, nearest_minimum
from optviz.ui.i18n_zh import ZH

STEPS = 100  # one step count for most tests: few compiles


# ----------------------------------------------------------------------------- final_points


@pytest.mark.parametrize("noise", [0.0, 0.7])
def test_final_points_match_single_runs(noise):
    rng = np.random.default_rng(1)
    starts = rng.uniform(-5, 5, (40, 2))
    xy, bad = optviz.final_points(
        "sgd", "himmelblau", starts, steps=STEPS, hparams={"lr": 0.012}, noise=noise, seed=5
    )
    assert xy.shape == (40, 2) and bad.shape == (40,)
    for i in range(0, 40, 7):
        tr = optviz.run(
            "sgd", "himmelblau", start=starts[i], steps=STEPS, hparams={"lr": 0.012},
            noise=noise, seed=5 + i,
        )  # fmt: skip
        assert bad[i] == (tr.diverged_at is not None)
        np.testing.assert_allclose(xy[i], tr.xy[-1], atol=1e-5)


def test_final_points_flags_divergence_like_run():
    starts = np.array([[-5.0, -2.0], [-5.0, -2.0]])
    xy, bad = optviz.final_points(
        "sgd", "quadratic", starts, steps=STEPS, hparams={"lr": np.array([0.4, 0.6])}
    )
    assert not bad[0] and bad[1]  # d2l: η = 0.6 diverges along x₂
    assert optviz.run("sgd", "quadratic", (-5, -2), STEPS, {"lr": 0.6}).diverged_at is not None


def test_final_points_per_run_hyperparameters_and_budget_schedule():
    """Per-run η and γ, and a T-step run whose η drops to 0 after b steps = a b-step run."""
    lrs = np.geomspace(1e-4, 2e-3, 8)
    moms = np.linspace(0.0, 0.95, 8)
    starts = np.tile([-1.5, 2.0], (8, 1))
    for budget in (13, 50):
        xy, bad = optviz.final_points(
            "momentum", "rosenbrock", starts, steps=STEPS,
            hparams={"lr": lrs, "momentum": moms},
            schedule={"kind": "step", "gamma": 0.0, "step_size": budget},
        )  # fmt: skip
        for i in (0, 3, 7):
            tr = optviz.run(
                "momentum", "rosenbrock", (-1.5, 2.0), budget, {"lr": lrs[i], "momentum": moms[i]}
            )
            assert bad[i] == (tr.diverged_at is not None)
            np.testing.assert_allclose(xy[i], tr.xy[-1], atol=1e-6)


def test_final_points_rejects_bad_arguments():
    with pytest.raises(ValueError):
        optviz.final_points("sgd", "quadratic", np.zeros((3, 2)), hparams={"lr": [0.1, 0.2]})
    with pytest.raises(KeyError):
        optviz.final_points("sgd", "quadratic", np.zeros((2, 2)), hparams={"beta1": [0.1, 0.2]})


# ----------------------------------------------------------------------------- the map


def test_map_agrees_cell_by_cell_with_single_runs():
    settings = search.MapSettings(
        optimizer="momentum",
        surface="quadratic",
        start=(-5.0, -2.0),
        steps=STEPS,
        axis="momentum",
        lr_range=(1e-2, 2.0),
        y_range=(0.0, 0.99),
        res=12,
    )
    hmap = search.hyper_map(settings)
    assert hmap.gap.shape == (12, 12)
    assert hmap.diverged.any() and not hmap.diverged.all()  # the map shows both
    f_star = 0.0
    rng = np.random.default_rng(0)
    cells = [tuple(c) for c in rng.integers(0, 12, (12, 2))] + [(11, 11), (0, 0)]
    for i, j in cells:
        tr = optviz.run(
            "momentum", "quadratic", (-5, -2), STEPS,
            {"lr": hmap.lrs[i], "momentum": hmap.ys[j]},
        )  # fmt: skip
        assert hmap.diverged[i, j] == (tr.diverged_at is not None), (i, j)
        if tr.diverged_at is None:
            expect = max(tr.loss[-1] - f_star, search.GAP_FLOOR)
            np.testing.assert_allclose(hmap.gap[i, j], expect, rtol=1e-4, atol=1e-9)
            reached = np.flatnonzero(tr.loss - f_star <= search.TOL)
            assert hmap.steps_to_tol[i, j] == (reached[0] if reached.size else -1)
        else:
            assert np.isnan(hmap.gap[i, j])


def test_map_axes_are_cell_centres():
    lrs = search.cell_centres(1e-3, 1.0, 3, log=True)
    np.testing.assert_allclose(np.log10(lrs), [-2.5, -1.5, -0.5])
    np.testing.assert_allclose(search.cell_centres(0.0, 1.0, 4), [0.125, 0.375, 0.625, 0.875])
    u = search.to_unit(lrs, 1e-3, 1.0, log=True)
    np.testing.assert_allclose(search.from_unit(u, 1e-3, 1.0, log=True), lrs)
    assert list(search.cell_of(u, 3)) == [0, 1, 2]


def test_noise_axis_and_best_and_nearest():
    settings = search.MapSettings("sgd", "quadratic", None, STEPS, "noise", (0.01, 1.0), (0, 2), 6)
    hmap = search.hyper_map(settings)
    best = hmap.best()
    assert hmap.gap[best] == np.nanmin(hmap.gap)
    i, j = hmap.nearest(hmap.lrs[2] * 1.01, hmap.ys[4] - 0.01)
    assert (i, j) == (2, 4)
    tr = optviz.run("sgd", "quadratic", None, STEPS, {"lr": hmap.lrs[1]}, noise=hmap.ys[3])
    if tr.diverged_at is None:
        np.testing.assert_allclose(hmap.gap[1, 3], max(tr.loss[-1], 1e-10), rtol=1e-4)


def test_axis_names():
    assert search.axis_names("sgd") == ("noise",)
    assert search.axis_names("adam") == ("beta1", "beta2", "noise")
    assert "rho" in search.axis_names("adadelta") and "lr" not in search.axis_names("adadelta")
    assert search.axis_param("rmsprop", "gamma").symbol == r"\gamma"
    with pytest.raises(KeyError):
        search.axis_param("sgd", "momentum")


def test_importance_on_synthetic_maps():
    i, j = np.meshgrid(np.arange(10.0), np.arange(8.0), indexing="ij")
    only_lr = search.importance(i**2)
    assert only_lr["lr"] == pytest.approx(1.0) and only_lr["y"] == pytest.approx(0.0)
    only_y = search.importance(np.sin(j))
    assert only_y["y"] == pytest.approx(1.0)
    additive = search.importance(i + 3 * j)
    assert additive["interaction"] == pytest.approx(0.0, abs=1e-12)
    assert additive["lr"] + additive["y"] == pytest.approx(1.0)
    assert search.importance(np.ones((3, 3)))["lr"] == 0.0


def test_zoom_ranges():
    lr, y = search.zoom_ranges((1e-3, 1.0), (0.0, 0.8), (0.01, 0.4), (0.0, 0.999))
    np.testing.assert_allclose(np.log10(lr), [-2.375, -1.625])  # 3 decades / 4, centred
    np.testing.assert_allclose(y, [0.3, 0.5])
    lr, y = search.zoom_ranges((1e-3, 1.0), (0.0, 0.8), (1e-5, 0.99), (0.0, 0.999))
    assert lr[0] == pytest.approx(1e-5) and y[1] == pytest.approx(0.999)  # shifted inside
    assert lr[1] / lr[0] == pytest.approx(10**0.75) and y[1] - y[0] == pytest.approx(0.2)


def test_valid_range():
    assert search.valid_range(2.0, 1.0, (0.0, 10.0)) == (1.0, 2.0)
    assert search.valid_range(3.0, 3.0, (0.0, 10.0)) == (3.0, 3.1)
    assert search.valid_range(10.0, 10.0, (0.0, 10.0)) == (9.9, 10.0)
    assert search.valid_range(1e-2, 1e-2, (1e-5, 100.0), log=True) == (1e-2, 0.1)


# ----------------------------------------------------------------------------- grid vs random


def test_expected_best_random_is_exact():
    values = np.array([3.0, 1.0, 2.0])
    for n in (1, 2, 3):  # enumerate every sequence of n draws
        brute = np.mean([min(seq) for seq in itertools.product(values, repeat=n)])
        assert search.expected_best_random(values, [n])[0] == pytest.approx(brute)


def test_random_search_beats_grid_when_only_eta_matters():
    """Synthetic map where only the η axis matters: objective = row index / n.

    A k×k grid with a random offset u tries rows floor((a + u) n / k); its best is
    floor(u n / k) / n, whose mean is (m − 1) / (2n) with m = n / k. Random search's mean is
    the exact formula; with N = k² it is far lower.
    """
    n, k = 60, 5
    objective = np.repeat(np.arange(n, dtype=float)[:, None] / n, 40, axis=1)
    curves = search.search_curves(objective, k * k, draws=4000, seed=3)
    m = n // k
    grid_exact = (m - 1) / (2 * n)
    random_exact = search.expected_best_random(objective, [k * k])[0]
    assert curves.grid_draws[:, -1].mean() == pytest.approx(grid_exact, abs=0.004)
    assert curves.random_draws[:, -1].mean() == pytest.approx(random_exact, abs=0.002)
    assert curves.random_expected[k * k - 1] == pytest.approx(random_exact)
    assert random_exact < 0.5 * grid_exact
    summary = search.search_summary(curves)
    assert summary["k"] == k and summary["random"] < summary["grid"]
    # best so far never gets worse
    assert (np.diff(curves.random_draws, axis=1) <= 0).all()


def test_grid_points_and_lookup():
    pts = search.grid_points(3)
    np.testing.assert_allclose(sorted(set(pts[:, 0])), [1 / 6, 0.5, 5 / 6])
    values = np.arange(12.0).reshape(4, 3)
    assert search.lookup(values, np.array([[0.0, 0.0], [0.99, 0.99], [0.3, 0.5]])).tolist() == [
        0.0,
        11.0,
        values[1, 1],
    ]


def test_penalised_objective():
    z = np.array([[1.0, np.nan], [3.0, -np.inf]])
    np.testing.assert_array_equal(search.penalised(z), [[1.0, 3.0], [3.0, 3.0]])
    assert np.isnan(search.penalised(np.full((2, 2), np.nan))).all()


# ----------------------------------------------------------------------------- successive halving


def test_halving_budgets_double_and_counts_halve():
    assert search.halving_budgets(16, 512) == [(16, 32), (8, 64), (4, 128), (2, 256), (1, 512)]
    rounds = search.halving_budgets(64, 500)
    assert [c for c, _ in rounds] == [64, 32, 16, 8, 4, 2, 1]
    assert rounds[-1][1] == 500 and rounds[0][1] == 8
    assert search.halving_budgets(1, 100) == [(1, 100)]
    with pytest.raises(ValueError):
        search.halving_budgets(12, 100)


def test_successive_halving_bookkeeping_on_a_synthetic_objective():
    """Configuration i has final quality q_i but is slower when s_i is large:
    score after b steps = q_i + s_i / b. The early rounds favour fast starters."""
    rng = np.random.default_rng(7)
    n = 32
    q = rng.uniform(0, 1, n)
    s = rng.uniform(0, 40, n)
    seen = []

    def evaluate(idx, budget):
        seen.append((len(idx), budget))
        return q[idx] + s[idx] / budget

    rounds = search.successive_halving(evaluate, n, 1024)
    assert seen == search.halving_budgets(n, 1024)
    assert [len(r.alive) for r in rounds] == [32, 16, 8, 4, 2, 1]
    assert [r.budget for r in rounds] == [32, 64, 128, 256, 512, 1024]
    for r, nxt in zip(rounds, rounds[1:], strict=False):
        assert set(r.survivors) <= set(r.alive)
        assert len(r.survivors) == len(r.alive) // 2
        np.testing.assert_array_equal(r.survivors, nxt.alive)
        kept = r.scores[np.isin(r.alive, r.survivors)]
        dropped = r.scores[~np.isin(r.alive, r.survivors)]
        assert kept.max() <= dropped.min()  # the best half survives
    assert search.halving_cost(rounds) == 6 * 32 * 32  # every round costs n_r b_r = 1024
    winner = rounds[-1].alive[0]
    assert q[winner] + s[winner] / 1024 <= np.sort(q + s / 1024)[n // 2]


def test_successive_halving_drops_diverged_and_nan_first():
    scores = np.array([np.nan, 1.0, np.inf, 0.5])
    rounds = search.successive_halving(lambda idx, b: scores[idx], 4, 8)
    assert list(rounds[0].survivors) == [1, 3] and list(rounds[-1].alive) == [3]


def test_halving_on_map_scores_match_single_runs():
    settings = search.MapSettings(
        "momentum", "quadratic", (-5.0, -2.0), STEPS, "momentum", (1e-3, 1.0), (0.0, 0.99), 10
    )
    hmap = search.hyper_map(settings)
    result = search.halving_on_map(hmap, 8, seed=2)
    assert [len(r.alive) for r in result.rounds] == [8, 4, 2, 1]
    for rnd in result.rounds[:3]:
        for i, score in list(zip(rnd.alive, rnd.scores, strict=True))[:3]:
            tr = optviz.run(
                "momentum", "quadratic", (-5, -2), rnd.budget,
                {"lr": result.lrs[i], "momentum": result.ys[i]},
            )  # fmt: skip
            if tr.diverged_at is not None:
                assert score == math.inf
            else:
                expect = math.log10(max(tr.loss[-1], search.GAP_FLOOR))
                assert score == pytest.approx(expect, abs=1e-3)
    assert (result.lrs >= 1e-3).all() and (result.lrs <= 1.0).all()
    rows = search.halving_table(result)
    assert [r["configurations"] for r in rows] == [8, 4, 2, 1] and rows[-1]["kept"] == 0
    info = search.halving_summary(hmap, result)
    assert info["cost"] == search.halving_cost(result.rounds) and info["full_runs"] >= 1


# ----------------------------------------------------------------------------- basins


def independent_label(surface, final, diverged, radius):
    """Label from scratch: the nearest known minimum within radius (surfaces.nearest_minimum)."""
    if diverged:
        return search.DIVERGED
    m, d = nearest_minimum(get_surface(surface), final)
    if m is None or d > radius:
        return search.NOT_CONVERGED
    return int(get_surface(surface).minima.index(m))


@pytest.mark.parametrize(
    "surface,lr,noise",
    [("himmelblau", 0.01, 0.0), ("himmelblau", 0.02, 0.0), ("flat_sharp", 0.1, 5.0)],
)
def test_basin_counts_agree_with_individual_runs(surface, lr, noise):
    bmap = search.basin_map(surface, "sgd", lr, STEPS, 7, noise=noise, seed=11)
    assert bmap.labels.shape == (7, 7)
    surf = get_surface(surface)
    (x0, x1), (y0, y1) = surf.bounds
    starts = [(x, y) for y in bmap.ys for x in bmap.xs]  # row-major: rows follow x₂
    labels = []
    for i, start in enumerate(starts):
        tr = optviz.run("sgd", surface, start, STEPS, {"lr": lr}, noise=noise, seed=11 + i)
        labels.append(
            independent_label(surface, tr.xy[-1], tr.diverged_at is not None, bmap.basins.radius)
        )
    np.testing.assert_array_equal(bmap.labels.ravel(), labels)  # (η < 0.025: not chaotic)
    k = len(bmap.basins.points)
    counts = np.bincount(
        np.where(np.array(labels) >= 0, labels, k - np.array(labels) - 1), None, k + 2
    )
    np.testing.assert_allclose(search.shares(bmap.labels, k), counts / 49)


def test_himmelblau_basins_share_the_window_and_large_steps_diverge():
    calm = search.basin_map("himmelblau", "sgd", 0.01, STEPS, 20)
    share = search.shares(calm.labels, 4)
    assert share[:4].sum() == pytest.approx(1.0) and (share[:4] > 0.15).all()
    wild = search.basin_map("himmelblau", "sgd", 0.05, STEPS, 20)
    assert search.shares(wild.labels, 4)[-1] > 0.05  # some runs diverge


def test_rastrigin_lattice_minima_are_minima():
    basins = search.basin_minima("rastrigin")
    surf = get_surface("rastrigin")
    grad = jax.vmap(jax.grad(lambda p: surf.fn(p, {"A": np.float32(10.0)})))
    g = np.asarray(grad(basins.points.astype(np.float32)))
    assert np.abs(g).max() < 1e-2  # ∇f = 0 at every listed point
    assert tuple(np.round(basins.points[0], 6)) == (0.0, 0.0)  # the global one first
    assert len(basins.points) == 13 * 13  # integers in the window and half a window beyond
    assert basins.groups[0] == "global minimum (0, 0)"
    assert basins.radius == pytest.approx(0.25 * np.min(np.diff(np.unique(basins.points[:, 0]))))
    # neighbours never share a colour
    pts = {
        tuple(np.round(p).astype(int)): c for p, c in zip(basins.points, basins.colors, strict=True)
    }
    for (x, y), c in pts.items():
        for dx, dy in ((1, 0), (0, 1), (1, 1), (1, -1)):
            if (x + dx, y + dy) in pts:
                assert pts[x + dx, y + dy] != c


def test_classify():
    basins = search.Basins(
        np.array([[0.0, 0.0], [2.0, 0.0]]), np.array([0, 1]), ["a", "b"], ["a", "b"], 0.5
    )
    final = np.array([[0.1, 0.1], [1.9, 0.2], [1.0, 0.0], [0.0, 0.0]])
    labels = search.classify(final, np.array([False, False, False, True]), basins)
    assert labels.tolist() == [0, 1, search.NOT_CONVERGED, search.DIVERGED]
    assert search.shares(labels, 2).tolist() == [0.25, 0.25, 0.25, 0.25]


def test_share_rows_group_rastrigin_rings():
    bmap = search.basin_map("rastrigin", "sgd", 0.002, STEPS, 12)
    names, values, colors = search.share_rows(bmap)
    assert names[0] == "global minimum (0, 0)" and names[-2:] == ["not converged", "diverged"]
    assert values.sum() == pytest.approx(1.0)
    assert len(names) == len(colors)


# ----------------------------------------------------------------------------- fair comparison


def test_summarize_curve():
    lrs = np.geomspace(1e-3, 1.0, 7)  # half a decade apart
    gap = np.array([1.0, 1e-2, 1e-4, 1e-6, 1e-5, np.nan, np.nan])
    c = search.summarize_curve("sgd", lrs, gap, np.arange(7))
    assert c.best == 3 and c.diverges_from == pytest.approx(lrs[5])
    assert c.good_decades == pytest.approx(1.5)  # three runs end within 1e-3
    none = search.summarize_curve("sgd", lrs, np.full(7, np.nan), np.full(7, -1))
    assert none.best is None and none.diverges_from == lrs[0] and none.good_decades == 0.0


def test_fair_comparison_matches_single_runs():
    curves = search.fair_comparison(["sgd", "adam"], "quadratic", None, STEPS, (1e-3, 1.0))
    assert [c.optimizer for c in curves] == ["sgd", "adam"]
    for c in curves:
        assert len(c.lrs) == 60
        for i in (0, 25, c.best):
            tr = optviz.run(c.optimizer, "quadratic", None, STEPS, {"lr": c.lrs[i]})
            if tr.diverged_at is None:
                want = max(tr.loss[-1], search.GAP_FLOOR)
                np.testing.assert_allclose(c.gap[i], want, rtol=1e-4, atol=1e-9)
            else:
                assert np.isnan(c.gap[i])
    rows = search.fair_rows(curves)
    assert rows[0]["optimizer"] == "SGD" and rows[0]["best η"] == pytest.approx(
        curves[0].lrs[curves[0].best]
    )


# ----------------------------------------------------------------------------- figures


def test_map_figure_click_grid_sits_on_cell_centres():
    settings = search.MapSettings(res=25)
    hmap = search.hyper_map(settings)
    for color in ("loss", "steps", "diverged"):
        fig = search.map_figure(hmap, color, pick=(3, 4))
        click = fig.data[fig.layout.meta["click_trace"]]
        assert click.name == "click-grid" and click.mode == "text" and click.text is None
        np.testing.assert_allclose(np.unique(click.x), np.log10(hmap.lrs), atol=1e-5)
        np.testing.assert_allclose(np.unique(click.y), hmap.ys, atol=1e-5)
        overlay = fig.data[1]
        assert overlay.name == "diverged"
        np.testing.assert_array_equal(np.isfinite(np.asarray(overlay.z)), hmap.diverged.T)
    big = search.map_figure(search.hyper_map(settings._replace(res=200)), click_cells=64)
    click = big.data[big.layout.meta["click_trace"]]
    assert len(click.x) == 64 * 64


def test_halving_figure_animates_scatter_only():
    hmap = search.hyper_map(search.MapSettings(res=25))
    result = search.halving_on_map(hmap, 16)
    fig = search.halving_figure(hmap, result)
    assert len(fig.frames) == len(result.rounds) == 5
    assert all(f.traces == (1, 2, 3) for f in fig.frames)  # dots, survivors, round counter
    assert all(t.type == "scatter" for t in fig.data)  # a heatmap would vanish (plotly #4491)
    assert fig.layout.images[0].source.startswith("data:image/png;base64,")
    for frame, rnd in zip(fig.frames, result.rounds, strict=True):
        assert len(frame.data[0].x) == len(rnd.alive) and len(frame.data[1].x) == len(rnd.survivors)
    # the other animations' controls, stacked for a narrow column, 1.2 s a round
    (play, speed), (slider,) = fig.layout.updatemenus, fig.layout.sliders
    assert play.buttons[0].args[1]["frame"]["duration"] == search.HALVING_FRAME_MS
    assert [b.args[1]["frame"]["duration"] for b in speed.buttons] == [2400, 1200, 600]
    assert speed.x == 0.0 and speed.y < play.y  # a row of their own
    assert [s.label for s in slider.steps] == [f.name for f in fig.frames]  # 5 rounds: all
    assert fig.data[3].name == "frame-counter" and fig.data[3].text == ("round 1",)
    assert [f.data[2].text for f in fig.frames] == [(f"round {r}",) for r in range(1, 6)]
    assert fig.layout.margin.b == plots.STACKED_CONTROLS_MARGIN


def test_other_figures_build():
    hmap = search.hyper_map(search.MapSettings(res=25))
    assert len(search.search_points_figure(hmap, 16).data) >= 7
    curves = search.search_curves(hmap.objective, 16, draws=20)
    assert search.search_curve_figure(curves).data[1].name.startswith("random")
    bmap = search.basin_map("flat_sharp", "sgd", 0.1, STEPS, 10)
    fig = search.basin_figure(bmap, "flat_sharp")
    codes = np.asarray(fig.data[0].z)
    assert codes.min() >= 0 and codes.max() <= 3  # diverged, not converged, two minima
    assert len(search.share_figure(bmap, bmap, 1.0).data) == 2
    fair = search.fair_comparison(["sgd"], "quadratic", None, STEPS, (1e-3, 1.0))
    assert search.fair_figure(fair).data[0].name == "SGD"


ALLOWED_WORDS = {
    *("SGD", "Adam", "RMSProp", "AdaGrad", "AdaDelta", "AdamW", "AMSGrad", "NAdam", "RAdam"),
    *("Lion", "Nesterov", "Newton", "log", "tol", "exp", "sin", "cos", "max", "min", "sqrt"),
}
SHOWN_KEYS = {"text", "ticktext", "hovertemplate", "hovertext", "label", "prefix"}


def visible_texts(fig) -> list[str]:
    """Every word a reader can see: legend names, hover, text, axis/colorbar titles, ticks,
    buttons and slider labels, in the traces, the frames and the layout."""
    spec = fig.to_plotly_json()
    out = []

    def strings(value):
        if isinstance(value, str):
            return [value]
        if isinstance(value, list | tuple | np.ndarray):
            return [v for v in np.asarray(value, dtype=object).ravel() if isinstance(v, str)]
        return []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in SHOWN_KEYS:
                    out.extend(strings(value))
                elif key == "title" and isinstance(value, str):
                    out.append(value)
                elif isinstance(value, dict | list):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    traces = [*spec["data"], *(d for f in spec.get("frames", []) for d in f["data"])]
    for trace in traces:
        in_legend = trace.get("showlegend", trace.get("type") not in ("heatmap",))
        if in_legend and trace.get("name"):
            out.append(trace["name"])
        walk(trace)
    walk(spec["layout"])
    return out


def english_words(texts) -> list[str]:
    """ASCII words of 3+ letters outside the allowlist (plotly %{...} and <tags> removed)."""
    words = []
    for text in texts:
        text = re.sub(r"%\{[^}]*\}|<[^>]*>", " ", text)
        words += [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED_WORDS]
    return words


def test_figures_speak_chinese_with_a_translator():
    zh = lambda s: ZH.get(s, s)  # noqa: E731 - the translator the page passes
    hmap = search.hyper_map(search.MapSettings(res=25))
    curves = search.search_curves(hmap.objective, 16, draws=20)
    fair = search.fair_comparison(["sgd", "momentum"], "quadratic", None, STEPS, (1e-3, 1.0))
    assert any(c.diverges_from is not None for c in fair)  # the ✕ hover is checked too
    flat = search.basin_map("flat_sharp", "sgd", 0.1, STEPS, 10)
    rings = search.basin_map("rastrigin", "sgd", 0.002, STEPS, 10, noise=1.0)
    halving = search.halving_on_map(hmap, 8)

    def figures(tr):
        return {
            **{c: search.map_figure(hmap, c, pick=(3, 4), tr=tr) for c in ("loss", "steps")},
            "diverged": search.map_figure(hmap, "diverged", tr=tr),
            "fair": search.fair_figure(fair, tr=tr),
            "basin": search.basin_figure(flat, "flat_sharp", tr=tr),
            "basin rings": search.basin_figure(rings, "rastrigin", tr=tr),
            "share": search.share_figure(flat, flat, 1.0, tr=tr),
            "share rings": search.share_figure(rings, rings, 1.0, tr=tr),
            "points": search.search_points_figure(hmap, 16, tr=tr),
            "curve": search.search_curve_figure(curves, tr=tr),
            "halving": search.halving_figure(hmap, halving, tr=tr),
        }

    for name, fig in figures(zh).items():
        texts = visible_texts(fig)
        assert texts, name
        assert not english_words(texts), (name, sorted(set(english_words(texts))))
    for axis in {a for key in optviz.OPTIMIZERS for a in search.axis_names(key)}:
        assert not english_words([search.axis_title(axis, zh)]), axis
    assert search.axis_title("momentum", zh) == "动量 γ"

    # every literal tr("...") key of optviz.search has its Chinese
    tree = ast.parse(Path(search.__file__).read_text())
    keys = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "tr"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    assert len(keys) > 30 and not keys - ZH.keys(), sorted(keys - ZH.keys())

    # the default tr leaves the figures in English, and the looked-up trace names stay
    english = figures(str)
    names = [t.name for t in english["loss"].data]
    assert "diverged (发散)" in names and "best cell" in names and "replayed" in names
    assert names[:2] == ["runs", "diverged"] and names[-1] == "click-grid"
    assert english["loss"].layout.xaxis.title.text == "learning rate η (log scale)"
    assert english["loss"].layout.yaxis.title.text == "momentum γ"
    assert [t.name for t in english["fair"].data if t.showlegend is not False] == [
        "SGD",
        "Momentum",
    ]
    assert english["curve"].data[1].name == "random search (mean, exact)"
    assert english["halving"].layout.updatemenus[0].buttons[0].label == "▶"  # no words
    assert list(english["share rings"].data[0].y[:2]) == [
        "global minimum (0, 0)",
        "local minima, ring 1",
    ]
    assert list(english["share"].data[0].y[-2:]) == ["not converged", "diverged"]
    assert english["share"].data[0].y[0].startswith("minimum (")
    zh_figs = figures(zh)
    assert zh_figs["loss"].layout.yaxis.title.text == "动量 γ"
    assert zh_figs["share rings"].data[0].y[0] == ZH["global minimum (0, 0)"]
    assert zh_figs["loss"].data[0].name == "runs" and zh_figs["loss"].data[1].name == "diverged"


# ----------------------------------------------------------------------------- compilation


def test_float_settings_never_recompile(compiles):
    base = search.MapSettings(res=10)
    hmap = search.hyper_map(base)
    search.halving_on_map(hmap, 8, seed=0)
    search.basin_map("himmelblau", "sgd", 0.01, STEPS, 10)
    before = compiles.count
    sizes = (engine._sweep._cache_size(), engine._final_points._cache_size())
    moved = base._replace(lr_range=(2e-3, 0.5), y_range=(0.1, 0.9), start=(-4.0, 1.0))
    hmap = search.hyper_map(moved)
    search.halving_on_map(hmap, 8, seed=5)
    search.basin_map("himmelblau", "sgd", 0.02, STEPS, 10, noise=0.5, seed=3)
    assert (engine._sweep._cache_size(), engine._final_points._cache_size()) == sizes
    assert compiles.count == before, "a float change recompiled"
