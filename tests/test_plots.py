"""Figure builders: trace layout, fixed axes, the background PNG, iso-lines, animation frames
that move only the heads, divergence marks, payload size, small multiples, 3D, loss, race table,
and that building figures never imports streamlit."""

import base64
import copy
import dataclasses
import io
import json
import math
import subprocess
import sys

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from PIL import Image

import optviz
from optviz import plots

OPTS4 = ("sgd", "momentum", "adam", "rmsprop")


def decode_png(uri: str) -> Image.Image:
    prefix = "data:image/png;base64,"
    assert uri.startswith(prefix)
    raw = base64.b64decode(uri[len(prefix) :], validate=True)
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    img = Image.open(io.BytesIO(raw))
    img.load()
    return img


def as_array(value):
    """A trace array from a figure: tuple, list, numpy or plotly's {"dtype", "bdata"} dict."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), np.dtype(value["dtype"]))
    return np.array([np.nan if v is None else v for v in value], np.float64)


@pytest.fixture(scope="module")
def quad_runs():
    """Four runs on the default quadratic; the third diverges at step 6, and is shorter."""
    runs = [
        optviz.run("sgd", "quadratic", start=(-5, -2), steps=300, hparams={"lr": 0.4}),
        optviz.run("momentum", "quadratic", start=(-5, -2), steps=300, hparams={"lr": 0.1}),
        optviz.run("sgd", "quadratic", start=(-5, -2), steps=20, hparams={"lr": 0.6}),
        optviz.run("adam", "quadratic", start=(-5, -2), steps=300, hparams={"lr": 0.3}),
    ]
    assert [r.diverged_at is not None for r in runs] == [False, False, True, False]
    return runs, ["gd η=0.4", "momentum", "gd η=0.6", "adam"]


@pytest.fixture(scope="module")
def quad_fig(quad_runs):
    runs, labels = quad_runs
    return plots.trajectory_figure("quadratic", runs, labels, max_frames=60)


# ----------------------------------------------------------------------------- the surface


def test_surface_grid_spans_bounds_and_matches_the_surface():
    surf = optviz.SURFACES["rosenbrock"]
    xs, ys, z = plots.surface_grid(surf, {"b": 50.0}, n=33)
    (x0, x1), (y0, y1) = surf.bounds
    assert xs.shape == ys.shape == (33,) and z.shape == (33, 33) and z.dtype == np.float64
    assert (xs[0], xs[-1], ys[0], ys[-1]) == (x0, x1, y0, y1)
    for i, j in [(0, 0), (5, 20), (32, 7), (32, 32)]:  # rows follow y, columns follow x
        expected = (1 - xs[j]) ** 2 + 50.0 * (ys[i] - xs[j] ** 2) ** 2
        assert z[i, j] == pytest.approx(expected, rel=1e-5, abs=1e-4)


def test_surface_grid_is_cached_and_params_do_not_recompile():
    surf = optviz.SURFACES["quadratic"]
    first = plots.surface_grid(surf, {"kappa": 7.0, "angle": 10.0}, n=41)
    again = plots.surface_grid(surf, {"angle": 10.0, "kappa": 7.0}, n=41)  # other order
    assert all(a is b for a, b in zip(first, again, strict=True))
    assert not first[2].flags.writeable  # shared by the cache
    compiled = plots._grid_values._cache_size()
    other = plots.surface_grid(surf, {"kappa": 8.0, "angle": 10.0}, n=41)
    assert plots._grid_values._cache_size() == compiled  # a slider move: no new compile
    assert not np.allclose(other[2], first[2])
    # defaults filled in: None and the explicit defaults are the same cache entry
    assert plots.surface_grid(surf, None, n=41)[2] is plots.surface_grid(surf, {"kappa": 20}, 41)[2]


def test_surface_image_is_a_png_with_max_y_on_top():
    surf = optviz.compile_formula("y + 0.1*x")  # rises with y: the top must be brightest
    xs, ys, _ = plots.surface_grid(surf, n=8)
    xs, ys = np.linspace(-3, 3, 30), np.linspace(-3, 3, 20)
    z = ys[:, None] + 0.1 * xs[None, :]
    img = decode_png(plots.surface_image(xs, ys, z))
    assert img.size == (30, 20)  # width follows x, height follows y
    rgb = np.asarray(img.convert("RGB"), np.float64)
    top, bottom = rgb[0].mean(axis=0), rgb[-1].mean(axis=0)
    assert not np.array_equal(rgb[0], rgb[-1])
    assert top.sum() > bottom.sum() + 100  # viridis: high = light yellow, low = dark purple
    assert np.allclose(rgb[0, -1], plots.LUT[-1], atol=3)  # top right: the highest value
    assert np.allclose(rgb[-1, 0], plots.LUT[0], atol=3)  # bottom left: the lowest value


def test_surface_image_leaves_non_finite_values_transparent():
    xs = ys = np.linspace(0, 1, 10)
    z = np.add.outer(ys, xs)
    z[2, 3] = np.inf
    rgba = np.asarray(decode_png(plots.surface_image(xs, ys, z)).convert("RGBA"))
    assert rgba[10 - 1 - 2, 3, 3] == 0  # row 2 from the bottom
    assert (rgba[..., 3] == 255).sum() == 99


@pytest.mark.parametrize("key", sorted(optviz.SURFACES))
def test_every_surface_renders(key):
    xs, ys, z = plots.surface_grid(key)
    img = decode_png(plots.surface_image(xs, ys, z))
    assert img.size == (160, 160)
    assert len(np.unique(np.asarray(img.convert("RGB")).reshape(-1, 3), axis=0)) > 20
    x, y = plots.iso_lines(xs, ys, z)
    assert np.isnan(x).sum() > 0 and np.isfinite(x).sum() > 100


def test_iso_lines_are_one_nan_separated_polyline_on_the_levels():
    xs, ys, z = plots.surface_grid("quadratic")
    x, y = plots.iso_lines(xs, ys, z, levels=6, tol=0)
    assert x.shape == y.shape and x.ndim == 1
    assert np.array_equal(np.isnan(x), np.isnan(y))
    assert np.isnan(x).sum() >= 5  # at least one separator between the levels
    assert not np.isnan(x[0]) and not np.isnan(x[-1])
    ok = np.isfinite(x)
    (x0, x1), (y0, y1) = optviz.SURFACES["quadratic"].bounds
    assert ((x[ok] >= x0 - 1e-9) & (x[ok] <= x1 + 1e-9)).all()
    assert ((y[ok] >= y0 - 1e-9) & (y[ok] <= y1 + 1e-9)).all()
    # every point sits on one of the six levels of log1p(f - f_min)
    rel = np.log1p(0.1 * x[ok] ** 2 + 2.0 * y[ok] ** 2 - z.min())
    levels = np.linspace(0, np.log1p(z.max() - z.min()), 8)[1:-1]
    gap = np.abs(rel[:, None] - levels[None, :]).min(axis=1)
    assert gap.max() < 0.02 * levels[-1]
    assert len(np.unique(np.round(levels[np.abs(rel[:, None] - levels).argmin(1)], 6))) == 6


def test_iso_lines_simplification_keeps_the_lines():
    xs, ys, z = plots.surface_grid("rosenbrock")
    full = plots.iso_lines(xs, ys, z, tol=0)
    slim = plots.iso_lines(xs, ys, z)
    assert np.isnan(slim[0]).sum() == np.isnan(full[0]).sum()  # same number of lines
    assert len(slim[0]) < 0.3 * len(full[0])
    # every dropped point is within tol (a fraction of the window) of a kept segment
    span = np.array([xs[-1] - xs[0], ys[-1] - ys[0]])
    a = np.stack(slim, 1)[:-1] / span
    b = np.stack(slim, 1)[1:] / span
    seg = np.isfinite(a).all(1) & np.isfinite(b).all(1)
    a, b = a[seg], b[seg]
    pts = np.stack(full, 1) / span
    pts = pts[np.isfinite(pts).all(1)][::7]
    ab = b - a
    t = np.clip(((pts[:, None] - a) * ab).sum(-1) / np.maximum((ab * ab).sum(-1), 1e-18), 0, 1)
    dist = np.hypot(*np.moveaxis(a + t[..., None] * ab - pts[:, None], -1, 0)).min(axis=1)
    assert dist.max() <= 1e-3 + 1e-9


# ----------------------------------------------------------------------------- the overlay


def test_overlay_traces_in_documented_order(quad_runs, quad_fig):
    runs, labels = quad_runs
    names = [t.name for t in quad_fig.data]
    assert names == [
        "iso-lines",
        *labels,
        "diverged",
        "known minima / saddles",
        "click-grid",
        "heads",
        "frame-counter",
    ]
    assert all(isinstance(t, go.Scatter) for t in quad_fig.data)  # no contour, no heatmap
    assert quad_fig.data[0].mode == "lines" and quad_fig.data[0].showlegend is False
    for i, (tr, trace) in enumerate(zip(runs, quad_fig.data[1:5], strict=True)):
        dots = len(tr.xy) <= plots.MARKER_POINTS  # a dot per step on short paths only
        assert trace.mode == ("lines+markers" if dots else "lines")
        assert trace.line.color == plots.PALETTE[i]
        np.testing.assert_array_equal(np.asarray(trace.x), tr.xy[:, 0].astype(np.float32))
    known = quad_fig.data[6]
    assert list(known.marker.symbol) == ["star"] and (known.x[0], known.y[0]) == (0, 0)
    assert quad_fig.layout.meta == {"click_trace": 7, "heads_trace": 8}
    heads = quad_fig.data[8]
    assert list(heads.marker.color) == list(plots.PALETTE[:4]) and heads.marker.size >= 12
    assert heads.marker.line.color == "white"


def test_overlay_fixed_axes_background_image_and_uirevision(quad_fig):
    (x0, x1), (y0, y1) = optviz.SURFACES["quadratic"].bounds
    lay = quad_fig.layout
    assert tuple(lay.xaxis.range) == (x0, x1) and tuple(lay.yaxis.range) == (y0, y1)
    assert lay.xaxis.autorange is False and lay.yaxis.autorange is False
    assert lay.xaxis.showgrid is False and lay.yaxis.showgrid is False
    assert lay.yaxis.scaleanchor is None  # windows are not square
    assert lay.uirevision == plots.UIREVISION
    (image,) = lay.images
    assert (image.xref, image.yref, image.sizing, image.layer) == ("x", "y", "stretch", "below")
    assert (image.x, image.y, image.sizex, image.sizey) == (x0, y1, x1 - x0, y1 - y0)
    assert (image.xanchor, image.yanchor) == ("left", "top")
    assert decode_png(image.source).size == (160, 160)


def test_overlay_params_change_the_background():
    tr = optviz.run("adam", "quadratic", steps=10, surface_params={"kappa": 80.0})
    a = plots.trajectory_figure("quadratic", [tr], ["a"], {"kappa": 80.0}, frames=False)
    b = plots.trajectory_figure("quadratic", [tr], ["a"], frames=False)
    assert a.layout.images[0].source != b.layout.images[0].source


def test_click_grid_is_invisible_and_covers_the_window(quad_fig):
    grid = quad_fig.data[quad_fig.layout.meta["click_trace"]]
    assert grid.name == "click-grid" and grid.showlegend is False
    assert grid.mode == "text" and grid.text is None  # nothing drawn, still selectable
    x, y = np.asarray(grid.x), np.asarray(grid.y)
    assert len(x) == plots.CLICK_GRID**2
    (x0, x1), (y0, y1) = optviz.SURFACES["quadratic"].bounds
    assert (x.min(), x.max(), y.min(), y.max()) == pytest.approx((x0, x1, y0, y1), abs=1e-5)
    assert "start here" in grid.hovertemplate
    fig = plots.trajectory_figure("quadratic", [], [], clickable=False)
    assert "click-grid" not in [t.name for t in fig.data]
    assert fig.layout.meta == {"click_trace": None, "heads_trace": len(fig.data) - 1}


def test_frames_sample_steps_and_move_only_the_heads(quad_runs, quad_fig):
    runs, _ = quad_runs
    frames = quad_fig.frames
    steps = [int(f.name) for f in frames]
    assert 2 <= len(frames) <= 60
    assert steps[0] == 0 and steps[-1] == 300 and steps == sorted(set(steps))
    heads = quad_fig.layout.meta["heads_trace"]
    for frame in frames:
        assert list(frame.traces) == [heads, heads + 1] and len(frame.data) == 2
        k = int(frame.name)
        assert list(frame.data[1].text) == [f"step {k}"]  # the frame counter
        for i, tr in enumerate(runs):
            j = min(k, tr.last_valid)  # finished or diverged runs wait at their last point
            assert frame.data[0].x[i] == pytest.approx(float(tr.xy[j, 0]), abs=1e-4)
            assert frame.data[0].y[i] == pytest.approx(float(tr.xy[j, 1]), abs=1e-4)
    diverged = runs[2]
    last = diverged.xy[diverged.diverged_at - 1]
    assert np.isfinite(last).all() and np.isnan(diverged.xy[diverged.diverged_at]).all()
    assert (frames[-1].data[0].x[2], frames[-1].data[0].y[2]) == pytest.approx(tuple(last), 1e-4)
    start = quad_fig.data[heads]  # before Play: the heads wait at the start
    assert (start.x[0], start.y[0]) == (-5.0, -2.0)


def test_frame_steps_helper():
    s = plots.frame_steps(500, 150)
    assert len(s) <= 150 and s[0] == 0 and s[-1] == 500 and (np.diff(s) > 0).all()
    assert plots.frame_steps(10, 150).tolist() == list(range(11))
    assert plots.frame_steps(7, 2).tolist() == [0, 7]


def test_play_pause_speed_buttons_and_scrubber(quad_fig):
    spec = json.loads(quad_fig.to_json())["layout"]  # exactly what the browser receives
    play_menu, speed_menu = spec["updatemenus"]
    play, pause, back, forward = play_menu["buttons"]
    assert [b["label"] for b in play_menu["buttons"]] == ["▶", "❚❚", "❚◀", "▶❚"]  # icons fit
    assert (back["label"], back["name"], forward["label"], forward["name"]) == (
        "❚◀",
        "step-back",
        "▶❚",
        "step-forward",
    )
    assert back["method"] == forward["method"] == "skip"  # STEP_BUTTONS_JS makes them step
    assert play["method"] == pause["method"] == "animate"
    assert play["args"] == [
        None,
        {
            "frame": {"duration": 40, "redraw": False},
            "transition": {"duration": 0},
            "fromcurrent": True,
            "mode": "immediate",
        },
    ]
    assert pause["args"] == [
        [None],
        {"mode": "immediate", "frame": {"duration": 0, "redraw": False}},
    ]
    assert speed_menu["type"] == "dropdown" and speed_menu["direction"] == "up"  # over the axis
    assert speed_menu["active"] == 1 and speed_menu["showactive"]  # shows "1×" until chosen
    buttons = speed_menu["buttons"]
    durations = {b["label"]: b["args"][1]["frame"]["duration"] for b in buttons}
    assert durations == {"0.5×": 80, "1×": 40, "2×": 20}
    assert all(b["args"][1]["frame"]["redraw"] is False for b in buttons)
    assert all(b["method"] == "animate" and b["args"][0] is None for b in buttons)
    (slider,) = spec["sliders"]
    assert slider["currentvalue"]["visible"] is False  # the frame counter shows the step
    names = [f.name for f in quad_fig.frames]
    stops = [s["label"] for s in slider["steps"]]
    assert stops == [str(k) for k in plots.scrubber_stops(np.array(names, int))]
    for s in slider["steps"]:
        assert s["method"] == "animate" and s["args"][0] == [s["label"]]
        assert s["args"][1]["frame"]["redraw"] is False


def test_the_scrubber_stops_at_a_few_evenly_spread_frames():
    assert plots.scrubber_stops(np.arange(5)).tolist() == [0, 1, 2, 3, 4]  # few: every frame
    steps = plots.frame_steps(500, 150)
    stops = plots.scrubber_stops(steps)
    assert len(stops) == plots.SCRUBBER_STOPS + 1 and (stops[0], stops[-1]) == (0, 500)
    assert set(stops) <= set(steps) and (np.diff(stops) > 0).all()
    gaps = np.diff(np.searchsorted(steps, stops))  # frames between stops: even
    assert gaps.max() - gaps.min() <= 1
    kept = plots.scrubber_stops(np.arange(1, 101), keep=(30,))  # the frame a figure opens on
    assert 30 in kept and len(kept) == plots.SCRUBBER_STOPS + 2 and (np.diff(kept) > 0).all()
    assert len(plots.scrubber_stops(np.arange(1, 101), keep=(29,))) == plots.SCRUBBER_STOPS + 1
    _, (slider,) = plots._animation_controls(np.arange(1, 101), 300.0, opening=30)
    assert slider["steps"][slider["active"]]["label"] == "30"  # the step buttons start there


def test_presenter_style_enlarges_type_lines_heads_and_the_counter(quad_fig):
    big = plots.presenter_style(quad_fig)
    traces = {t.name: t for t in big.data}
    assert big.layout.font.size == 22 and traces["frame-counter"].textfont.size == 22
    assert traces["heads"].marker.size == 28 and traces[quad_fig.data[1].name].line.width == 5
    assert big.layout.sliders[0].pad.t == 40 + plots.CONTROL_ROW_PX + 12  # under taller buttons
    assert len(big.frames) == len(quad_fig.frames)  # still animated
    assert quad_fig.data[-1].textfont.size == 14  # the cached original is left alone


def test_frame_counter_sits_in_the_corner_and_counts_every_frame():
    counter, updates = plots.frame_counter([1, 2, 5], (3.0, 4.0), str.upper, "day t", joiner=" = ")
    assert (counter["x"], counter["y"], counter["mode"]) == ([3.0], [4.0], "text")
    assert counter["textposition"] == "bottom left" and counter["cliponaxis"] is False
    assert counter["name"] == "frame-counter" and counter["hoverinfo"] == "skip"
    assert counter["text"] == ["DAY T = 1"]
    assert updates == [{"text": ["DAY T = 1"]}, {"text": ["DAY T = 2"]}, {"text": ["DAY T = 5"]}]
    start, _ = plots.frame_counter([1, 2, 5], (0, 0), start=-1, xaxis="x2", yaxis="y2")
    assert start["text"] == ["step 5"] and (start["xaxis"], start["yaxis"]) == ("x2", "y2")


def test_the_step_script_knows_every_step_button():
    """The browser script reads its moves from STEP_BUTTONS, so the two cannot disagree."""
    script = plots.STEP_BUTTONS_JS
    moves = json.loads(script.split("const MOVES = ")[1].split(";")[0])
    assert moves == {"step-back": -1, "step-forward": 1}
    assert "__MOVES__" not in script and "window.optvizStepButtons" in script


def test_stacked_controls_put_the_speeds_on_their_own_row():
    steps = np.arange(0, 11)
    (play, speed), (slider,) = plots._animation_controls(steps, 300.0, stacked=True)
    assert play["x"] == speed["x"] == 0.0 and play["xanchor"] == speed["xanchor"] == "left"
    row = plots.CONTROL_ROW_PX / 300.0  # one button row, as a fraction of the plot
    assert speed["y"] == pytest.approx(play["y"] - row)
    assert slider["pad"]["t"] == 40 + 2 * plots.CONTROL_ROW_PX  # under both rows
    side_by_side, _ = plots._animation_controls(steps, 300.0)
    assert side_by_side[1]["x"] == 1.0 and side_by_side[1]["y"] == side_by_side[0]["y"]
    assert plots.STACKED_CONTROLS_MARGIN == plots.CONTROLS_MARGIN + plots.CONTROL_ROW_PX


def test_controls_pace_follows_the_animation():
    (play, speed), (slider,) = plots._animation_controls(np.arange(1, 6), 300.0, frame_ms=1200)
    assert play["buttons"][0]["args"][1]["frame"]["duration"] == 1200
    durations = {b["label"]: b["args"][1]["frame"]["duration"] for b in speed["buttons"]}
    assert durations == {"0.5×": 2400, "1×": 1200, "2×": 600}
    assert [s["label"] for s in slider["steps"]] == ["1", "2", "3", "4", "5"]


def test_stacked_trajectory_figure_keeps_its_plot_size(quad_runs):
    runs, labels = quad_runs
    side = plots.trajectory_figure("quadratic", runs, labels, height=500)
    stacked = plots.trajectory_figure("quadratic", runs, labels, height=500, stacked_controls=True)
    grow = plots.CONTROL_ROW_PX
    assert stacked.layout.height == side.layout.height + grow
    assert stacked.layout.margin.b == side.layout.margin.b + grow  # same plotting area
    assert stacked.layout.updatemenus[1].x == 0.0


def test_no_frames_draws_heads_at_the_end(quad_runs):
    runs, labels = quad_runs
    fig = plots.trajectory_figure("quadratic", runs, labels, frames=False, show_minima=False)
    assert not fig.frames and not fig.layout.updatemenus and not fig.layout.sliders
    assert "known minima / saddles" not in [t.name for t in fig.data]
    heads = fig.data[fig.layout.meta["heads_trace"]]
    for i, tr in enumerate(runs):
        assert heads.x[i] == pytest.approx(float(tr.xy[tr.last_valid, 0]), abs=1e-4)


def test_divergence_is_marked_with_its_step(quad_runs, quad_fig):
    tr = optviz.run("sgd", "quadratic", start=(-5, -2), steps=20, hparams={"lr": 0.6})
    assert tr.diverged_at == quad_runs[0][2].diverged_at
    fig = plots.trajectory_figure("quadratic", [tr], ["gd η=0.6"])
    (mark,) = [t for t in fig.data if t.name == "diverged"]
    words = f"diverged at step {tr.diverged_at}"
    assert mark.text[0] == words and words in mark.hovertext[0]
    assert mark.marker.symbol == "x" and mark.marker.color == "red"
    # it left the window: the ✕ sits where the path crosses the window's edge, on screen
    (x0, x1), (y0, y1) = optviz.SURFACES["quadratic"].bounds
    x, y = mark.x[0], mark.y[0]
    assert x0 <= x <= x1 and y0 <= y <= y1
    assert math.isclose(y, y1) or math.isclose(y, y0) or math.isclose(abs(x), x1)
    # a run that never diverged gets no mark
    ok = plots.trajectory_figure("quadratic", quad_runs[0][:1], ["ok"])
    assert "diverged" not in [t.name for t in ok.data]


def test_divergence_inside_the_window_marks_the_last_finite_point():
    tr = optviz.run("adam", "rosenbrock", steps=30)
    xy = tr.xy.copy()
    xy[12:] = np.nan  # pretend it turned non-finite at step 12, inside the window
    cut = dataclasses.replace(tr, xy=xy, diverged_at=12, diverged_reason="non-finite")
    fig = plots.trajectory_figure("rosenbrock", [cut], ["adam"])
    (mark,) = [t for t in fig.data if t.name == "diverged"]
    assert (mark.x[0], mark.y[0]) == pytest.approx(tuple(tr.xy[11].astype(float)))
    assert "diverged at step 12" in mark.text[0]
    last = fig.frames[-1].data[0]
    assert (last.x[0], last.y[0]) == pytest.approx(tuple(tr.xy[11].astype(float)), abs=1e-4)
    assert fig.frames[-1].name == "30"


def test_overlapping_divergence_labels_stay_hover_only():
    runs = [optviz.run(o, "saddle", steps=300) for o in OPTS4]
    fig = plots.trajectory_figure("saddle", runs, list(OPTS4))
    (mark,) = [t for t in fig.data if t.name == "diverged"]
    diverged = [r for r in runs if r.diverged_at is not None]
    assert len(mark.x) == len(diverged) >= 2
    for r, hover in zip(diverged, mark.hovertext, strict=True):
        assert f"diverged at step {r.diverged_at}" in hover
    shown = [t for t in mark.text if t]
    assert 1 <= len(shown) < len(diverged)  # the ✕s sit close together at the top edge


def test_bad_arguments_raise(quad_runs):
    runs, labels = quad_runs
    with pytest.raises(ValueError, match="labels"):
        plots.trajectory_figure("quadratic", runs, labels[:2])
    with pytest.raises(ValueError, match="rosenbrock"):
        plots.trajectory_figure("rosenbrock", runs, labels)


# ----------------------------------------------------------------------------- payload


@pytest.mark.parametrize("key", ["rosenbrock", "rastrigin"])
def test_payload_of_four_runs_of_500_steps(key):
    runs = [optviz.run(o, key, steps=500) for o in OPTS4]
    fig = plots.trajectory_figure(key, runs, list(OPTS4))
    text = fig.to_json()
    print(f"{key}: {len(text)} bytes, {len(fig.frames)} frames")
    assert len(text) <= 250_000
    assert len(fig.frames) == 150
    spec = json.loads(text)
    assert spec["data"][1]["x"]["dtype"] == "f4"  # paths travel as float32 typed arrays
    assert spec["data"][0]["x"]["dtype"] == "f4"
    assert all(set(f) == {"name", "data", "traces"} for f in spec["frames"])


def test_figures_are_valid_plotly_without_validating_them(monkeypatch):
    """The app skips plotly's validation (VALIDATE = False) because every builder emits only
    valid properties: built again with validation on, each figure is accepted and equal."""
    runs = [optviz.run(o, "rosenbrock", steps=60) for o in OPTS4]
    runs.append(optviz.run("sgd", "rosenbrock", steps=60, hparams={"lr": 0.5}))  # diverges
    labels = [*OPTS4, "SGD η = 0.5"]
    builders = [
        lambda: plots.trajectory_figure("rosenbrock", runs, labels, title="t"),
        lambda: plots.small_multiples("rosenbrock", runs, labels),
        lambda: plots.loss_figure(runs, labels),
        lambda: plots.surface_3d("rosenbrock", runs, labels),
        lambda: plots.surface_figure("rosenbrock", start=(0.0, 1.0)),
    ]
    assert plots.VALIDATE is False
    fast = [pio.to_json(build(), validate=False) for build in builders]
    monkeypatch.setattr(plots, "VALIDATE", True)
    slow = [pio.to_json(build(), validate=False) for build in builders]
    assert [json.loads(a) for a in fast] == [json.loads(b) for b in slow]


def _spec() -> tuple[list, dict, list]:
    """Two traces, a layout and frames with numpy arrays and scalars, no trace type."""
    data = [{"type": "scatter", "x": np.arange(5.0), "y": np.ones(5)}, {"type": "scatter"}]
    layout = {"height": 300, "meta": {"heads_trace": 1}}
    frames = [
        {"name": str(k), "data": [{"x": [np.float32(k)], "y": np.array([2.0 * k])}], "traces": [1]}
        for k in range(4)
    ]
    return data, layout, frames


def test_animated_figure_serialises_like_a_plotly_figure():
    """Frames kept as dicts give the same JSON as plotly's Frame objects, before and after
    something reads ``fig.frames``; pickling, copying and ``go.Figure(fig)`` keep everything."""
    import pickle

    data, layout, frames = _spec()
    reference = json.loads(go.Figure(data=data, layout=layout, frames=frames).to_json())
    fig = plots.figure(data, layout, frames)
    assert isinstance(fig, plots.AnimatedFigure)
    assert json.loads(fig.to_json()) == reference
    assert json.loads(pio.to_json(fig, validate=False)) == reference
    assert fig.to_dict() is not fig.to_dict()  # a fresh dict every time
    assert fig.to_dict()["frames"][0]["data"][0]["type"] == "scatter"
    again = pickle.loads(pickle.dumps(fig))
    assert type(again) is plots.AnimatedFigure
    assert json.loads(again.to_json()) == reference
    assert json.loads(copy.deepcopy(fig).to_json()) == reference
    assert json.loads(go.Figure(fig).to_json()) == reference
    assert [f.name for f in fig.frames] == ["0", "1", "2", "3"]  # go.Frame objects on demand
    assert isinstance(fig.frames[2], go.Frame) and list(fig.frames[2].data[0].y) == [4.0]
    assert json.loads(fig.to_json()) == reference
    fig.frames = fig.frames[:2]  # plotly's own setter still works
    assert len(fig.to_dict()["frames"]) == 2


def test_json_ready_is_plotlys_deepcopy_and_base64():
    """The one-pass copy in ``AnimatedFigure.to_dict`` gives what plotly's two passes give."""
    from _plotly_utils.utils import convert_to_base64, is_skipped_key

    part = {
        "x": np.arange(4, dtype=np.float32),
        "y": np.arange(6.0).reshape(2, 3),
        "z": np.arange(3),  # int64: plotly narrows it
        "big": np.array([2**40]),  # int64 that stays int64
        "empty": np.array([]),
        "range": np.array([0.0, 1.0]),  # a key plotly never converts
        "text": np.array(["a", "b"]),
        "swapped": np.arange(3, dtype=">f4"),  # byte order: plotly leaves it an array
        "flags": np.array([True, False]),
        "when": np.array(["2026-11-26"], dtype="datetime64[D]"),
        "zero_d": np.array(1.5),
        "fortran": np.asfortranarray(np.arange(6.0).reshape(2, 3)),
        "nested": [{"c": np.ones(2, np.uint8)}, (1, "s", None), [np.ones(2)]],
        "n": np.float32(2.5),
    }
    expected = copy.deepcopy(part)
    convert_to_base64(expected)
    got = plots._json_ready(part)
    assert pio.to_json(got, validate=False) == pio.to_json(expected, validate=False)
    assert got["nested"][0] is not part["nested"][0]  # a copy
    assert all(is_skipped_key(k) for k in plots._SKIPPED_KEYS)
    assert not any(is_skipped_key(k) for k in ("x", "y", "data", "layout", "ranges"))


def test_animated_figure_with_no_frames_is_a_plain_figure():
    data, layout, _ = _spec()
    fig = plots.figure(data, layout)
    assert fig.frames == () and "frames" not in fig.to_dict()
    assert json.loads(fig.to_json()) == json.loads(go.Figure(data=data, layout=layout).to_json())


def test_long_paths_are_lines_and_short_ones_mark_every_step():
    short = optviz.run("sgd", "quadratic", steps=plots.MARKER_POINTS - 1)
    long = optviz.run("sgd", "quadratic", steps=plots.MARKER_POINTS)
    fig = plots.trajectory_figure("quadratic", [short, long], ["short", "long"])
    modes = {t.name: t.mode for t in fig.data}
    assert modes["short"] == "lines+markers" and modes["long"] == "lines"
    assert fig.layout.hoverdistance == -1  # clicks anywhere reach the nearest grid point


# ----------------------------------------------------------------------------- small multiples


def test_small_multiples_one_image_per_panel_and_shared_frames(quad_runs):
    runs, labels = quad_runs
    fig = plots.small_multiples("quadratic", runs[:3], labels[:3], cols=2, max_frames=40)
    images = fig.layout.images
    assert len(images) == 3
    refs = [(im.xref, im.yref) for im in images]
    assert len(set(refs)) == 3 and refs[0] == ("x", "y")
    heads = fig.layout.meta["heads_traces"]
    assert len(heads) == 3
    (x0, x1), (y0, y1) = optviz.SURFACES["quadratic"].bounds
    for (xref, yref), h in zip(refs, heads, strict=True):
        head = fig.data[h]
        assert (head.xaxis, head.yaxis) == (xref, yref)  # each head in its own panel
        xaxis = fig.layout["xaxis" + xref[1:]]
        yaxis = fig.layout["yaxis" + yref[1:]]
        assert tuple(xaxis.range) == (x0, x1) and tuple(yaxis.range) == (y0, y1)
        assert xaxis.showgrid is False
        kinds = [t.name for t in fig.data if (t.xaxis, t.yaxis) == (xref, yref)]
        kinds = [name for name in kinds if name != "frame-counter"]
        assert kinds[0] == "iso-lines" and kinds[-1].endswith("(head)")
    counter = fig.data[-1]  # one counter, in the top-right panel
    assert counter.name == "frame-counter" and (counter.xaxis, counter.yaxis) == refs[1]
    assert (counter.x[0], counter.y[0]) == (x1, y1)
    assert 2 <= len(fig.frames) <= 40 and fig.frames[0].name == "0" and fig.frames[-1].name == "300"
    for frame in fig.frames:
        assert list(frame.traces) == [*heads, len(fig.data) - 1] and len(frame.data) == 4
        k = int(frame.name)
        assert list(frame.data[3].text) == [f"step {k}"]
        for d, tr in zip(frame.data[:3], runs[:3], strict=True):
            j = min(k, tr.last_valid)
            assert (d.x[0], d.y[0]) == pytest.approx(tuple(tr.xy[j].astype(float)), abs=1e-4)
    moved = [
        (fig.frames[0].data[i].x[0], fig.frames[-1].data[i].x[0]) for i in range(3)
    ]  # every head moves between the first and the last frame
    assert all(a != b for a, b in moved)
    assert [b.name for b in fig.layout.updatemenus[0].buttons][:2] == ["play", "pause"]
    stops = [int(step.label) for step in fig.layout.sliders[0].steps]
    assert stops == plots.scrubber_stops([int(f.name) for f in fig.frames]).tolist()


# ----------------------------------------------------------------------------- 3D, loss, state


def test_surface_3d_has_a_surface_and_one_line_per_path(quad_runs):
    runs, labels = quad_runs
    fig = plots.surface_3d("quadratic", runs, labels)
    assert isinstance(fig.data[0], go.Surface)
    assert [type(t) for t in fig.data[1:]] == [go.Scatter3d] * 4
    assert not fig.frames
    assert np.asarray(fig.data[0].z).shape == (80, 80)
    for i, (trace, tr) in enumerate(zip(fig.data[1:], runs, strict=True)):
        assert trace.line.color == plots.PALETTE[i] and trace.name == labels[i]
        z = np.asarray(trace.z, np.float64)
        ok = np.isfinite(z)
        assert (z[ok] > tr.loss[: len(z)][ok]).all()  # lifted above the surface
        x = np.asarray(trace.x, np.float64)
        assert (np.abs(x[np.isfinite(x)]) <= 5.5).all()  # off-window points are dropped
    (x0, x1), _ = optviz.SURFACES["quadratic"].bounds
    assert tuple(fig.layout.scene.xaxis.range) == (x0, x1)
    assert fig.layout.scene.camera.eye.z > 0 and 500 <= fig.layout.height <= 620


def test_loss_figure_log_axis_and_divergence(quad_runs):
    runs, labels = quad_runs
    fig = plots.loss_figure(runs, labels)
    assert fig.layout.yaxis.type == "log"
    lines = [t for t in fig.data if t.mode == "lines"]
    assert [t.name for t in lines] == labels
    assert [t.line.color for t in lines] == list(plots.PALETTE[:4])
    np.testing.assert_allclose(np.asarray(lines[0].y), runs[0].loss, rtol=1e-6)  # f > 0: as is
    assert "f_min" not in fig.layout.yaxis.title.text
    (mark,) = [t for t in fig.data if t.name == "diverged"]
    assert mark.text[0] == f"diverged at step {runs[2].diverged_at}"
    assert mark.x[0] == runs[2].diverged_at - 1


def test_loss_figure_shifts_when_a_loss_is_not_positive():
    runs = [optviz.run(o, "saddle", steps=100) for o in ("sgd", "adam")]
    assert min(np.nanmin(r.loss) for r in runs) <= 0
    fig = plots.loss_figure(runs, ["sgd", "adam"])
    assert "f − f_min" in fig.layout.yaxis.title.text
    shift = fig.layout.meta["shift"]
    for trace, r in zip(fig.data[:2], runs, strict=True):
        y = np.asarray(trace.y, np.float64)
        ok = np.isfinite(y)
        assert (y[ok] > 0).all()
        expected = r.loss[ok].astype(np.float64) - shift  # (float32 - float stays float32)
        np.testing.assert_allclose(y[ok], expected, rtol=1e-6)


def test_state_figure_two_lines_per_name():
    tr = optviz.run("adam", "rosenbrock", steps=40)
    fig = plots.state_figure(tr, ["m_hat", "v_hat", "effective_lr"])
    assert len(fig.data) == 6
    assert [t.name for t in fig.data[:2]] == ["m_hat x₁", "m_hat x₂"]
    np.testing.assert_allclose(np.asarray(fig.data[3].y), tr.state["v_hat"][:, 1], rtol=1e-6)
    assert fig.data[0].line.color == fig.data[1].line.color == plots.PALETTE[0]
    assert fig.data[1].line.dash == "dash"
    with pytest.raises(KeyError, match="velocity"):
        plots.state_figure(tr, ["velocity"])


# ----------------------------------------------------------------------------- race table


def test_race_table_agrees_with_the_trajectories(quad_runs):
    runs, labels = quad_runs
    rows = plots.race_table("quadratic", runs, labels, tol=1e-3)
    assert [r["optimizer"] for r in rows] == labels
    keys = {"optimizer", "final loss", "distance to nearest minimum", "steps to tolerance"}
    assert all(set(r) == keys | {"diverged at"} for r in rows)
    for row, tr in zip(rows, runs, strict=True):
        if tr.diverged_at is None:
            assert type(row["final loss"]) is float
            assert row["final loss"] == pytest.approx(float(tr.loss[-1]))
            assert row["distance to nearest minimum"] == pytest.approx(
                math.hypot(*tr.xy[-1].astype(float))  # the minimum is the origin, f* = 0
            )
            assert row["diverged at"] is None
        else:
            assert row["final loss"] is None and row["diverged at"] == tr.diverged_at
        below = np.flatnonzero(tr.loss <= 1e-3)
        assert row["steps to tolerance"] == (int(below[0]) if below.size else None)
    assert type(rows[0]["steps to tolerance"]) is int  # gd η=0.4 gets there
    assert rows[2]["steps to tolerance"] is None  # the diverged one never does


def test_race_table_as_markdown():
    rows = [
        {"optimizer": "SGD", "final loss": 0.0440123, "steps to tolerance": None},
        {"optimizer": "A|B", "final loss": 8.1e-05, "steps to tolerance": 58},
    ]
    zh = {"SGD": "梯度下降", "final loss": "最终损失"}.get
    text = plots.race_table_markdown(rows, lambda s: zh(s) or s)
    assert text.splitlines() == [
        "| optimizer | 最终损失 | steps to tolerance |",
        "|:--|--:|--:|",  # names left, numbers right
        "| 梯度下降 | 0.044 | — |",  # 3 significant digits; none reads —
        "| A\\|B | 8.1e-05 | 58 |",  # a | in a name would split the cell
    ]
    assert plots.race_table_markdown([]) == ""
    name = "$x$ *a_b* [c](d) #1 \\"
    (escaped,) = plots.race_table_markdown([{"optimizer": name}]).splitlines()[2:]
    assert escaped == r"| \$x\$ \*a\_b\* \[c\](d) \#1 \\ |"  # read as text, not as markup
    (single,) = plots.race_table_markdown([{"loss": np.float32(0.12345)}]).splitlines()[2:]
    assert single == "| 0.123 |"


def test_race_table_without_known_minima_and_with_params():
    tr = optviz.run("adam", "monkey_saddle", steps=20)
    (row,) = plots.race_table("monkey_saddle", [tr], ["adam"])
    assert row["steps to tolerance"] is None and row["distance to nearest minimum"] is None
    tr = optviz.run(
        "adam", "rosenbrock", steps=500, hparams={"lr": 0.05}, surface_params={"a": 1.4}
    )
    (row,) = plots.race_table("rosenbrock", [tr], ["adam"], {"a": 1.4}, tol=1e-2)
    x, y = tr.xy[-1].astype(float)
    assert row["distance to nearest minimum"] == pytest.approx(math.hypot(x - 1.0, y - 1.0))
    below = np.flatnonzero(tr.loss <= 1e-2)  # f* = 0 at (a, a²) whatever a is
    assert row["steps to tolerance"] == (int(below[0]) if below.size else None)


# ----------------------------------------------------------------------------- purity


def test_importing_plots_does_not_import_streamlit():
    code = "import sys, optviz.plots; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ----------------------------------------------------------------------------- browser


@pytest.mark.browser
@pytest.mark.slow
def test_playback_keeps_the_surface_and_moves_the_heads(browser, tmp_path):
    """In Chromium: Play runs to the last frame with redraw off, the heads move, and the
    background image and the iso-lines are still drawn afterwards (plotly.js #4491)."""
    runs = [optviz.run(o, "rosenbrock", steps=100) for o in ("adam", "momentum")]
    fig = plots.trajectory_figure("rosenbrock", runs, ["adam", "momentum"], max_frames=30)
    path = tmp_path / "fig.html"
    fig.write_html(path, include_plotlyjs=True, auto_play=False)
    traces = "document.querySelectorAll('.scatterlayer .trace')"
    head = f"{traces}[{len(fig.data) - 2}].querySelector('.point').getAttribute('transform')"
    counter = f"{traces}[{len(fig.data) - 1}].textContent"
    image = "document.querySelectorAll('.layer-subplot .imagelayer image')"
    iso = f"Array.from({traces}[0].querySelectorAll('.js-line')).map(e => e.getAttribute('d'))"
    page = browser.new_page()
    try:
        page.goto(path.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg")
        head_before, iso_before = page.evaluate(head), page.evaluate(iso)
        assert page.evaluate(counter) == "step 0"
        assert page.evaluate(f"{image}.length") == 1
        assert page.evaluate(f"{image}[0].getAttribute('href')").startswith("data:image/png")
        assert len(iso_before) > 10 and sum(map(len, iso_before)) > 2000
        page.get_by_text("▶", exact=True).first.click()
        page.wait_for_function(
            "document.querySelector('.js-plotly-plot')._fullLayout._currentFrame === '100'",
            timeout=20_000,
        )
        assert page.evaluate(head) != head_before
        assert page.evaluate(counter) == "step 100"  # the counter moved with the frames
        assert page.evaluate(f"{image}.length") == 1
        assert page.evaluate(iso) == iso_before
    finally:
        page.close()
