"""Plotly figures of optimizer runs on a 2D loss surface (pure: numpy in, ``go.Figure`` out).

The animated overlay follows the rules in DESIGN.md ("Rules that keep it fast"):

* The surface is a background PNG (``layout.images``) plus the iso-lines as ONE line trace with
  NaN separators. Contour and heatmap traces vanish when an animation runs with
  ``redraw: False`` (plotly.js #4491); a layout image and a scatter trace survive it.
* Every full path is drawn once, faint. The animation moves one small "heads" trace only
  (``traces=[heads]``, ``redraw: False``), so a 4 × 500-step figure stays 0.1–0.2 MB.
* Axis ranges are fixed to the surface's bounds, so a run that leaves the window never
  rescales the axes, and ``uirevision`` keeps a zoom across Streamlit reruns.
* An invisible scatter grid makes the plot clickable: Streamlit's ``on_select`` reports no
  click on an image, contour or heatmap (streamlit #8760), but it does on scatter points.
  The grid's points have no markers and no text (nothing for the browser to restyle).

Frames are plain dicts, not ``go.Frame`` objects, and arrays are float32 (plotly sends them
as base64 typed arrays). This module never imports streamlit.
"""

from __future__ import annotations

import base64
import copy
import functools
import io
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence

import jax
import jax.numpy as jnp
import numpy as np
import plotly.colors
import plotly.graph_objects as go
from _plotly_utils.basevalidators import is_homogeneous_array
from _plotly_utils.utils import plotlyjsShortTypes, to_typed_array_spec
from contourpy import LineType, contour_generator
from PIL import Image
from plotly.subplots import make_subplots

from optviz.engine import Trajectory, lowest_minimum
from optviz.surfaces import Surface, get_surface, nearest_minimum

#: One colour per optimizer, used by every figure (Okabe–Ito, colour-blind safe, no pure red:
#: red is kept for the "diverged" mark).
PALETTE: tuple[str, ...] = (
    "#D55E00",  # vermillion
    "#0072B2",  # blue
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
)

DIVERGED_COLOR = "red"
ISO_LINE_COLOR = "rgba(40, 40, 40, 0.28)"
UIREVISION = "optviz"  # constant: a zoom survives reruns that rebuild the figure
FRAME_MS = 40  # one animation frame at 1× speed
SPEEDS = (("0.5×", 2.0), ("1×", 1.0), ("2×", 0.5))  # label, frame duration in units of 1×
CLICK_GRID = 25  # click targets per axis
MARKER_POINTS = 61  # a path this long or shorter marks every step; longer ones are lines only
MARGINS_NOTE = """Margins are as wide as plotly's auto-margin makes them anyway.

The legend, Play/Pause buttons and scrubber push the margins out ("auto-margin"). When the
pushed margins differ from the figure's own, plotly.js draws the whole chart twice on every
update (and Streamlit 1.67 mounts a fresh chart for every changed figure: its element id hashes
the figure) — 110 of the ~400 ms a slider move cost in Chromium. Margins that already leave room
for a one-row legend and the controls (b=212 under an animation, t=45 over a legend) make the
second draw vanish; a narrow window that wraps the legend still gets it.
"""
VALIDATE = False
"""Whether figures run plotly's per-property validation (~40% of the build time of a race).

The builders emit only valid properties (a test builds every figure with validation on and
compares the JSON), so the app skips it.
"""
Translate = Callable[[str], str]
"""The ``tr`` argument of every builder: English text in, the reader's language out.

Visible words (legend names, hover text, button labels, axis titles) go through it; the
default ``str`` keeps English. Names of hidden traces ("iso-lines", "heads", "click-grid")
stay English: they are identifiers, never shown.
"""
_WHITEN = 0.35  # share of white mixed into the colormap, so coloured paths stand out


def _build_lut() -> np.ndarray:
    """256 × 3 uint8 lookup table: viridis (plotly's stops), lightened towards white."""
    stops = np.array(
        [plotly.colors.hex_to_rgb(c) for c in plotly.colors.sequential.Viridis], np.float64
    )
    at = np.linspace(0.0, 1.0, len(stops))  # positions of the stops
    t = np.linspace(0.0, 1.0, 256)
    rgb = np.stack([np.interp(t, at, stops[:, i]) for i in range(3)], axis=1)
    rgb = (1.0 - _WHITEN) * rgb + _WHITEN * 255.0  # pastel, so paths keep the contrast
    return np.clip(np.round(rgb), 0, 255).astype(np.uint8)


LUT = _build_lut()
COLORSCALE = [
    [float(i) / 10, "rgb({}, {}, {})".format(*LUT[round(i * 25.5)])] for i in range(11)
]  # the same colours as a plotly colorscale (3D surface)


def color(i: int) -> str:
    """Returns the palette colour of the i-th trajectory (the palette repeats after 8)."""
    return PALETTE[i % len(PALETTE)]


# ----------------------------------------------------------------------------- the surface


@functools.partial(jax.jit, static_argnames="surface")
def _grid_values(xs, ys, coeffs, *, surface):
    """Surface values on the grid ``xs × ys`` (rows follow y), one compiled call."""
    x, y = jnp.meshgrid(xs, ys)  # each (len(ys), len(xs))
    return surface.fn(jnp.stack([x, y]), coeffs)


def _params_key(surface: Surface, params: Mapping[str, float] | None):
    """Hashable, complete surface parameters (defaults filled in), sorted by name."""
    return tuple(sorted(surface.resolve_params(params).items()))


@functools.lru_cache(maxsize=128)
def _surface_grid_cached(surface: Surface, key: tuple[tuple[str, float], ...], n: int):
    """``surface_grid`` behind an LRU cache keyed on (surface, sorted params, n)."""
    (x0, x1), (y0, y1) = surface.bounds
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    coeffs = {k: np.float32(v) for k, v in key}  # one dtype: moving a slider never retraces
    z = np.asarray(
        _grid_values(xs.astype(np.float32), ys.astype(np.float32), coeffs, surface=surface),
        np.float64,
    )
    for a in (xs, ys, z):
        a.setflags(write=False)  # shared by the cache: read-only
    return xs, ys, z


def surface_grid(
    surface: str | Surface, params: Mapping[str, float] | None = None, n: int = 160
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Evaluates a surface on an ``n × n`` grid over its bounds (one jitted call, cached).

    Args:
        surface: A key of ``optviz.SURFACES`` or a ``Surface``.
        params: Surface parameters; missing names take their defaults.
        n: Grid points per axis.

    Returns:
        ``(xs, ys, Z)``: ``xs`` and ``ys`` of shape ``(n,)`` spanning the bounds, and ``Z`` of
        shape ``(n, n)`` (float64) with ``Z[i, j] = f(xs[j], ys[i])``. The arrays are shared by
        the cache and read-only.
    """
    surf = get_surface(surface)
    return _surface_grid_cached(surf, _params_key(surf, params), int(n))


def _relief(z: np.ndarray) -> np.ndarray:
    """``log1p(Z - Z.min())`` over the finite values (NaN elsewhere): valleys get contrast."""
    z = np.asarray(z, np.float64)
    finite = np.isfinite(z)
    if not finite.any():
        return np.full(z.shape, np.nan)
    lifted = np.where(finite, z - z[finite].min(), np.nan)
    return np.log1p(lifted)


def surface_image(xs: np.ndarray, ys: np.ndarray, z: np.ndarray) -> str:
    """Renders the loss surface as a PNG data URI (colour = ``log1p(Z - Z.min())``).

    Args:
        xs: Grid x coordinates, ascending, shape ``(W,)``.
        ys: Grid y coordinates, ascending, shape ``(H,)``.
        z: Loss values ``(H, W)`` with ``z[i, j] = f(xs[j], ys[i])``.

    Returns:
        ``"data:image/png;base64,..."``: a W × H palette PNG whose row 0 is the top of the
        window (max y). Non-finite values are transparent.
    """
    del xs  # the image spans the bounds; its pixels follow the grid
    rel = _relief(z)
    finite = np.isfinite(rel)
    top = rel[finite].max() if finite.any() else 0.0
    scaled = rel / top if top > 0 else np.zeros_like(rel)
    index = np.where(finite, np.round(np.nan_to_num(scaled) * 254.0), 255).astype(np.uint8)
    if len(ys) > 1 and ys[0] < ys[-1]:
        index = index[::-1]  # image row 0 is the top: max y
    image = Image.frombytes("P", (index.shape[1], index.shape[0]), index.tobytes())
    palette = np.vstack([_resample(LUT, 255), [[255, 255, 255]]])  # 255 colours + "no value"
    image.putpalette(palette.astype(np.uint8).ravel().tolist())
    buf = io.BytesIO()
    extra = {} if finite.all() else {"transparency": 255}
    image.save(buf, format="PNG", optimize=True, **extra)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _resample(lut: np.ndarray, n: int) -> np.ndarray:
    """Resamples a colour table to n entries."""
    t = np.linspace(0, len(lut) - 1, n)
    return np.stack([np.interp(t, np.arange(len(lut)), lut[:, i]) for i in range(3)], axis=1)


def iso_lines(
    xs: np.ndarray, ys: np.ndarray, z: np.ndarray, levels: int = 14, tol: float = 1e-3
) -> tuple[np.ndarray, np.ndarray]:
    """Contour lines of the surface as ONE polyline with NaN separators (one scatter trace).

    Args:
        xs: Grid x coordinates, shape ``(W,)``.
        ys: Grid y coordinates, shape ``(H,)``.
        z: Loss values ``(H, W)``.
        levels: Number of levels, evenly spaced on ``log1p(Z - Z.min())`` (as the colours).
        tol: Simplification tolerance as a fraction of the window (Douglas–Peucker; 1e-3 is
            under a pixel and drops ~85% of the points of a smooth surface); 0 keeps all.

    Returns:
        ``(x, y)`` float64 arrays; consecutive lines are separated by a NaN.
    """
    rel = _relief(z)
    finite = np.isfinite(rel)
    if not finite.any() or rel[finite].max() <= 0:
        return np.empty(0), np.empty(0)
    gen = contour_generator(
        np.asarray(xs, np.float64),
        np.asarray(ys, np.float64),
        np.ma.masked_invalid(rel),
        line_type=LineType.ChunkCombinedNan,
    )
    pieces = []
    gap = np.full((1, 2), np.nan)
    for level in np.linspace(0.0, rel[finite].max(), levels + 2)[1:-1]:  # skip min and max
        for points in gen.lines(level)[0]:
            if points is not None and len(points):
                pieces += [points, gap]
    if not pieces:
        return np.empty(0), np.empty(0)
    line = np.concatenate(pieces[:-1])
    if tol > 0:
        span = np.array([xs[-1] - xs[0], ys[-1] - ys[0]], np.float64)
        line = line[_simplify_mask(line / np.where(span > 0, span, 1.0), tol)]
    return line[:, 0], line[:, 1]


def _simplify_mask(points: np.ndarray, tol: float) -> np.ndarray:
    """Douglas–Peucker on every NaN-separated piece: which points to keep (separators kept).

    Every dropped point lies within ``tol`` of the simplified line.
    """
    bad = ~np.isfinite(points).all(axis=1)
    keep = bad.copy()
    flags = np.r_[1, bad.astype(np.int8), 1]
    starts = np.flatnonzero(np.diff(flags) == -1)  # first point of each piece
    ends = np.flatnonzero(np.diff(flags) == 1) - 1  # last point of each piece
    for s, e in zip(starts, ends, strict=True):
        keep[s] = keep[e] = True
        stack = [(s, e)]
        while stack:
            i, j = stack.pop()
            if j - i < 2:
                continue
            a, ab, mid = points[i], points[j] - points[i], points[i + 1 : j]
            length = math.hypot(ab[0], ab[1])
            if length < 1e-12:  # closed loop: distance to the end point
                d = np.hypot(mid[:, 0] - a[0], mid[:, 1] - a[1])
            else:  # distance to the chord
                d = np.abs(ab[0] * (mid[:, 1] - a[1]) - ab[1] * (mid[:, 0] - a[0])) / length
            k = int(np.argmax(d))
            if d[k] > tol:
                keep[i + 1 + k] = True
                stack += [(i, i + 1 + k), (i + 1 + k, j)]
    return keep


@functools.lru_cache(maxsize=64)
def _layers(surface: Surface, key: tuple[tuple[str, float], ...], n: int, levels: int):
    """Background PNG and iso-lines (float32) of one surface configuration, cached."""
    xs, ys, z = _surface_grid_cached(surface, key, n)
    ix, iy = iso_lines(xs, ys, z, levels)
    ix, iy = ix.astype(np.float32), iy.astype(np.float32)
    ix.setflags(write=False)
    iy.setflags(write=False)
    return surface_image(xs, ys, z), ix, iy


# ----------------------------------------------------------------------------- helpers


def _check(surface, trajectories, labels) -> Surface:
    """Validates the common arguments and returns the Surface."""
    surf = get_surface(surface)
    if len(trajectories) != len(labels):
        raise ValueError(f"{len(trajectories)} trajectories but {len(labels)} labels")
    for tr in trajectories:
        if tr.surface != surf.key:
            raise ValueError(f"a trajectory ran on {tr.surface!r}, not on {surf.key!r}")
    return surf


def _last_valid(tr: Trajectory) -> int:
    """Index of the last finite point (-1 if even the start is bad)."""
    return len(tr.xy) - 1 if tr.diverged_at is None else tr.diverged_at - 1


def _inside(p, bounds) -> bool:
    """Whether the point ``p`` lies in the window (edges included)."""
    (x0, x1), (y0, y1) = bounds
    return bool(x0 <= p[0] <= x1 and y0 <= p[1] <= y1)


def _visible_end(tr: Trajectory, bounds) -> np.ndarray | None:
    """Where a diverged path is last seen: its last finite point, or where it left the window.

    A run that diverged by leaving the window ends outside the fixed axes; the mark goes on the
    window's edge, where the student saw the path go out.
    """
    j = _last_valid(tr)
    if j < 0:
        return None
    xy = np.asarray(tr.xy, np.float64)
    if _inside(xy[j], bounds):
        return xy[j]
    (x0, x1), (y0, y1) = bounds
    i = j
    while i > 0 and not _inside(xy[i - 1], bounds):
        i -= 1
    if i == 0:  # never inside: clamp
        return np.array([min(max(xy[j, 0], x0), x1), min(max(xy[j, 1], y0), y1)])
    a, b = xy[i - 1], xy[i]  # a inside, b outside
    d = b - a
    s = 1.0
    for k, (lo, hi) in enumerate(bounds):  # largest s in [0, 1] keeping a + s·d inside
        if d[k] > 0:
            s = min(s, (hi - a[k]) / d[k])
        elif d[k] < 0:
            s = min(s, (lo - a[k]) / d[k])
    return a + s * d


def _declutter(u: Sequence[float], v: Sequence[float], du=0.22, dv=0.07) -> list[bool]:
    """Which labels to print so that no two overlap (positions as fractions of the plot).

    Greedy in order; a label that would sit on an earlier one stays hover-only.
    """
    shown: list[tuple[float, float]] = []
    for a, b in zip(u, v, strict=True):
        if all(abs(a - c) > du or abs(b - d) > dv for c, d in shown):
            shown.append((a, b))
        else:
            shown.append((math.inf, math.inf))  # placeholder: not shown
    return [math.isfinite(a) for a, _ in shown]


def _diverged_trace(
    surf: Surface, trajectories, labels, colors=None, tr: Translate = str, **kw
) -> dict | None:
    """Red ✕ marks where the diverged paths end, with "diverged at step k", or None.

    The ✕ is outlined in the run's colour; the text is printed where it does not overlap
    another one and is always in the hover text.
    """
    colors = colors or [color(i) for i in range(len(trajectories))]
    xs, ys, texts, hovers, positions, outlines = [], [], [], [], [], []
    (x0, x1), (y0, y1) = surf.bounds
    for run, label, col in zip(trajectories, labels, colors, strict=True):
        if run.diverged_at is None:
            continue
        end = _visible_end(run, surf.bounds)
        if end is None:
            continue
        j = _last_valid(run)
        why = f" ({tr(run.diverged_reason)})" if run.diverged_reason else ""
        xs.append(float(end[0]))
        ys.append(float(end[1]))
        texts.append(tr("diverged at step {k}").format(k=run.diverged_at))
        last = tr("last point")
        hovers.append(
            tr("{label}: diverged at step {k}").format(label=label, k=run.diverged_at)
            + f"{why}<br>{last} ({run.xy[j, 0]:.3g}, {run.xy[j, 1]:.3g})"
        )
        outlines.append(col)
        vertical = "bottom" if end[1] > 0.5 * (y0 + y1) else "top"  # text inside the window
        across = (end[0] - x0) / (x1 - x0)
        horizontal = "left" if across > 0.7 else "right" if across < 0.3 else "center"
        positions.append(f"{vertical} {horizontal}")
    if not xs:
        return None
    u = [(x - x0) / (x1 - x0) for x in xs]
    v = [(y - y0) / (y1 - y0) for y in ys]
    texts = [t if show else "" for t, show in zip(texts, _declutter(u, v), strict=True)]
    return dict(
        type="scatter",
        x=xs,
        y=ys,
        mode="markers+text",
        name="diverged",
        text=texts,
        hovertext=hovers,
        hoverinfo="text",
        textposition=positions,
        textfont=dict(color=DIVERGED_COLOR, size=12),
        marker=dict(
            symbol="x", size=16, color=DIVERGED_COLOR, line=dict(width=1.5, color=outlines)
        ),
        cliponaxis=False,
        showlegend=False,
        **kw,
    )


def _known_points_trace(
    surf: Surface, tr: Translate = str, params: Mapping[str, float] | None = None, **kw
) -> dict | None:
    """Known minima (★) and saddles (×) of the surface, or None if it lists none.

    The minima are those at ``params`` (``Surface.minima_at``: a data surface's minimum moves
    with its L2 penalty λ).
    """
    pts = [(m, "star", "minimum") for m in surf.minima_at(params)]
    pts += [(s, "x-thin", "saddle") for s in surf.saddles]
    if not pts:
        return None
    return dict(
        type="scatter",
        x=[float(p[0]) for p, _, _ in pts],
        y=[float(p[1]) for p, _, _ in pts],
        mode="markers",
        name="known minima / saddles",
        hovertext=[f"{tr(kind)} ({p[0]:.4g}, {p[1]:.4g})" for p, _, kind in pts],
        hoverinfo="text",
        marker=dict(
            symbol=[s for _, s, _ in pts],
            size=15,
            color="white",
            line=dict(width=2, color="black"),
        ),
        showlegend=False,
        **kw,
    )


def _path_trace(run: Trajectory, label: str, i: int, tr: Translate = str, **kw) -> dict:
    """The faint full path of one run (already NaN-cut at divergence).

    Every step is a dot while the path is short enough to see them (``MARKER_POINTS``); a
    longer path is a line, which also keeps the browser's redraw fast.
    """
    xy = np.asarray(run.xy, np.float32)
    step = tr("step")
    return dict(
        type="scatter",
        x=xy[:, 0],
        y=xy[:, 1],
        mode="lines+markers" if len(xy) <= MARKER_POINTS else "lines",
        name=label,
        legendgroup=f"run{i}",
        line=dict(color=color(i), width=2),
        marker=dict(color=color(i), size=3),
        opacity=0.6,
        hovertemplate=f"{label}<br>{step} %{{pointNumber}}<br>(%{{x:.4g}}, %{{y:.4g}})"
        "<extra></extra>",
        **kw,
    )


def _background(surf: Surface, key, n: int, levels: int, xref="x", yref="y"):
    """(layout image dict, iso-line trace dict) for one subplot."""
    source, ix, iy = _layers(surf, key, n, levels)
    (x0, x1), (y0, y1) = surf.bounds
    image = dict(
        source=source,
        xref=xref,
        yref=yref,
        x=x0,
        y=y1,
        sizex=x1 - x0,
        sizey=y1 - y0,
        xanchor="left",
        yanchor="top",
        sizing="stretch",
        layer="below",
    )
    iso = dict(
        type="scatter",
        x=ix,
        y=iy,
        mode="lines",
        name="iso-lines",
        line=dict(color=ISO_LINE_COLOR, width=1),
        hoverinfo="skip",
        showlegend=False,
        xaxis=xref,
        yaxis=yref,
    )
    return image, iso


def frame_steps(total: int, max_frames: int = 150) -> np.ndarray:
    """At most ``max_frames`` evenly spaced step indices in ``[0, total]``, both ends included.

    Args:
        total: The last step index.
        max_frames: Most frames wanted (at least 2 when ``total > 0``).

    Returns:
        Ascending unique int array starting at 0 and ending at ``total``.
    """
    total = max(int(total), 0)
    count = max(min(int(max_frames), total + 1), 2 if total > 0 else 1)
    return np.unique(np.round(np.linspace(0, total, count)).astype(int))


def _heads_at(trajectories, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Head positions ``(len(steps), n_runs)`` for x and y.

    A run that has finished, or diverged, waits at its last finite point.
    """
    hx = np.full((len(steps), len(trajectories)), np.nan)
    hy = np.full_like(hx, np.nan)
    for i, tr in enumerate(trajectories):
        last = _last_valid(tr)
        if last < 0:
            continue
        idx = np.minimum(steps, last)
        hx[:, i], hy[:, i] = tr.xy[idx, 0], tr.xy[idx, 1]
    return hx, hy


def _as_list(a: np.ndarray) -> list:
    """Rounded floats for JSON, NaN as None (a frame holds only a few numbers)."""
    return [None if not math.isfinite(v) else round(v, 5) for v in np.asarray(a).tolist()]


CONTROL_ROW_PX = 38
"""Height of the row of Play/Pause/speed buttons; the scrubber sits in the row below it."""
CONTROLS_MARGIN = 212
"""Bottom margin of an animated chart: x-axis title, the button row and the scrubber."""
PRESENTER_CONTROLS_MARGIN = 250
"""The same in presenter mode (``presenter_style``: larger type, taller rows)."""
STACKED_CONTROLS_MARGIN = CONTROLS_MARGIN + CONTROL_ROW_PX
"""The same with the speeds on a row of their own (``_animation_controls(stacked=True)``)."""


STEP_BUTTONS = {"step-back": ("❚◀", -1), "step-forward": ("▶❚", 1)}
"""The two step buttons beside Play/Pause: plotly name -> (label, frames to move)."""
STEP_BUTTONS_JS = """
(() => {
  // One frame back or forward on any optviz animation (the buttons named in STEP_BUTTONS).
  // plotly.js can only animate to a named frame; the step buttons are "skip" buttons, and this
  // listener, which runs before plotly's own click handler, points the clicked one at the
  // frame before or after the current one.
  if (window.optvizStepButtons) return;
  window.optvizStepButtons = true;
  const MOVES = __MOVES__;  // from STEP_BUTTONS
  const STILL = {mode: "immediate", frame: {duration: 0, redraw: false}, transition: {duration: 0}};
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("g.updatemenu-button");
    const opts = button && button.__data__;  // the button's options, as plotly drew them
    const move = opts && Object.hasOwn(MOVES, opts.name) && MOVES[opts.name];
    const plot = move && button.closest(".js-plotly-plot");
    const slider = plot && plot._fullLayout && (plot._fullLayout.sliders || [])[0];
    const frames = plot && plot._transitionData ? plot._transitionData._frames || [] : [];
    const stops = slider ? slider.steps.map((s) => String(s.args[0][0])) : [];
    const names = frames.length ? frames.map((f) => String(f.name)) : stops;  // every frame
    if (!names.length) return;
    const current = plot._fullLayout._currentFrame;  // set by every animate, undefined at first
    let here = current === undefined ? -1 : names.indexOf(String(current));
    if (here < 0 && slider) here = names.indexOf(stops[slider.active || 0]);  // the scrubber's
    if (here < 0) here = 0;
    const next = Math.min(Math.max(here + move, 0), names.length - 1);
    opts.method = "animate";  // plotly reads method and args when it handles this click
    opts.args = [[names[next]], STILL];
  }, true);
})();
""".replace("__MOVES__", json.dumps({name: move for name, (_, move) in STEP_BUTTONS.items()}))
"""The browser side of the step buttons: the app loads it on every page
(``optviz.ui.browser``) and the HTML export puts it after the figure. Without it the step
buttons do nothing ("skip")."""


SCRUBBER_STOPS = 25
"""Most gaps between the scrubber's stops. plotly.js measures and draws every stop's label
twice each time a chart is drawn (~0.3 ms a stop here), and Streamlit draws the chart afresh on
every slider move: with a stop per frame (up to 150) the scrubber was a fifth of the
playground's redraw. The step buttons still reach every frame."""


def scrubber_stops(steps: np.ndarray, keep: Sequence[int] = ()) -> np.ndarray:
    """The frames the scrubber stops at: at most ``SCRUBBER_STOPS`` + 1, evenly spread.

    Args:
        steps: The frames' numbers, in order.
        keep: Frames it must stop at as well (the one a figure opens on).

    Returns:
        The numbers of the frames it stops at, in order, first and last included.
    """
    steps = np.asarray(steps)
    picks = frame_steps(len(steps) - 1, SCRUBBER_STOPS + 1)  # indices, spread as frames are
    kept = np.flatnonzero(np.isin(steps, list(keep)))
    return steps[np.union1d(picks, kept).astype(int)]


def frame_counter(
    steps: Sequence[int],
    corner: tuple[float, float],
    tr: Translate = str,
    word: str = "step",
    *,
    joiner: str = " ",
    start: int = 0,
    **refs,
) -> tuple[dict, list[dict]]:
    """The frame's number in the plot's top-right corner ("step 12"), updated by every frame.

    A text trace, so the animation moves it with the heads (``redraw: False``) and it reads
    the same in every frame whether Play, the step buttons or the scrubber got there; it sits
    inside the corner, white-edged over the surface, and needs the axes' fixed ranges.

    Args:
        steps: The frames' numbers, in order.
        corner: ``(x, y)`` of the plot's top-right corner, in the axes' units.
        tr: Translates ``word``.
        word: What a frame is ("step", "round", "day t").
        joiner: Between the word and the number (" = " for "t = 12").
        start: Index of the frame shown before Play.
        **refs: ``xaxis``/``yaxis`` of a subplot.

    Returns:
        ``(trace, updates)``: the trace, and its update for each frame (same order as
        ``steps``).
    """
    texts = [f"{tr(word)}{joiner}{int(k)}" for k in steps]
    trace = dict(
        type="scatter",
        x=[corner[0]],
        y=[corner[1]],
        mode="text",
        text=[texts[start]],
        textposition="bottom left",
        textfont=dict(size=14, color="#222", shadow="auto"),  # white edge over the surface
        cliponaxis=False,
        hoverinfo="skip",
        name="frame-counter",
        showlegend=False,
        **refs,
    )
    return trace, [{"text": [text]} for text in texts]


def _animation_controls(
    steps: np.ndarray,
    plot_px: float,
    row_px: int = CONTROL_ROW_PX,
    *,
    stacked: bool = False,
    frame_ms: int = FRAME_MS,
    opening: int | None = None,
) -> tuple[list, list]:
    """(updatemenus, sliders): Play, Pause, a step back and forward, speeds and a scrubber.

    Two rows under the plot, so nothing overlaps on a narrow chart (a half-width column, a
    1024-pixel projector): the player on the left (▶ ❚❚ ❚◀ ▶❚: play, pause, one frame back
    and forward, made to step by ``STEP_BUTTONS_JS``; icons, so the row fits the ~230 px of
    plot an 800-pixel screen leaves the playground) and the speed menu (0.5×, 1×, 2×; it opens
    upwards, over the axis, and starts playing at that speed) on the right, then the scrubber
    across the whole width. Button widths are pixels but positions are fractions of the plot,
    so buttons and scrubber sharing one row overlapped once the plot was narrow, and three
    speed buttons beside Play/Pause needed ~300 px of plot (an 800-pixel screen has less).
    A chart narrower still (a half-width column on a 1024-pixel screen: ~190 px of plot)
    has no room for both side by side: ``stacked`` puts the speed menu on a row of its own,
    under Play/Pause (the chart's bottom margin is then ``STACKED_CONTROLS_MARGIN``).

    The scrubber stops at ``scrubber_stops(steps)`` (at most ``SCRUBBER_STOPS`` + 1 frames,
    evenly spread, first and last included, and the ``opening`` frame) and shows no value of
    its own: the step buttons reach every frame, and the frame's number is ``frame_counter``'s,
    in the plot. Before anything has played, the step buttons start from the scrubber's stop.

    Args:
        steps: The frames' step numbers (the frames are named by them).
        plot_px: Height of the plotting area in pixels: the controls start 45 px below it
            (plotly places them in fractions of that height).
        row_px: Height of the button row (larger type needs more).
        stacked: Three rows: Play/Pause, the speed menu, the scrubber.
        frame_ms: Milliseconds per frame at 1×.
        opening: The frame a figure opens on when it is not the first (the scrubber stops
            there, and stands there).
    """

    def play(ms):
        frame = {"duration": ms, "redraw": False}
        opts = {"frame": frame, "transition": {"duration": 0}, "fromcurrent": True}
        return [None, {**opts, "mode": "immediate"}]

    pause = [[None], {"mode": "immediate", "frame": {"duration": 0, "redraw": False}}]
    y = -45 / plot_px  # under the x-axis title
    rows = 2 if stacked else 1  # rows of buttons above the scrubber
    speeds_y = y - row_px / plot_px if stacked else y  # the speeds' own row when stacked
    menus = [
        dict(
            buttons=[
                dict(label="▶", method="animate", args=play(frame_ms), name="play"),
                dict(label="❚❚", method="animate", args=pause, name="pause"),
                *[
                    dict(label=label, method="skip", args=[], name=name)
                    for name, (label, _) in STEP_BUTTONS.items()
                ],
            ],
            type="buttons",
            direction="left",
            showactive=False,
            x=0.0,
            xanchor="left",
            yanchor="top",
            y=y,
            pad=dict(t=40, r=10),
            name="playback",
        ),
        dict(
            buttons=[
                dict(label=lab, method="animate", args=play(round(frame_ms * units)))
                for lab, units in SPEEDS
            ],
            type="dropdown",
            direction="up",
            showactive=True,
            active=1,
            x=0.0 if stacked else 1.0,
            xanchor="left" if stacked else "right",
            yanchor="top",
            y=speeds_y,
            pad=dict(t=40),
            name="speed",
        ),
    ]
    scrub = {"mode": "immediate", "frame": {"duration": 0, "redraw": False}}
    scrub["transition"] = {"duration": 0}
    stops = scrubber_stops(steps, keep=() if opening is None else (opening,))
    slider = dict(
        active=0 if opening is None else int(np.flatnonzero(stops == opening)[0]),
        x=0.0,
        len=1.0,
        y=y,
        yanchor="top",
        pad=dict(t=40 + rows * row_px, b=0),  # below the button rows
        currentvalue=dict(visible=False),  # the frame counter shows the step (frame_counter)
        transition=dict(duration=0),
        steps=[
            dict(method="animate", label=str(int(k)), args=[[str(int(k))], scrub]) for k in stops
        ],
    )
    return menus, [slider]


def _axes(bounds, **extra) -> tuple[dict, dict]:
    """Fixed, grid-less x and y axes on the surface's window."""
    common = dict(showgrid=False, zeroline=False, autorange=False, **extra)
    (x0, x1), (y0, y1) = bounds
    return (
        dict(range=[x0, x1], title=dict(text="x₁"), **common),
        dict(range=[y0, y1], title=dict(text="x₂"), **common),
    )


def _click_grid(bounds, tr: Translate = str, **kw) -> dict:
    """An invisible scatter trace over the window, so Streamlit's ``on_select`` gets a click.

    Its points carry no marker and no text (``mode="text"`` without ``text``): a click still
    picks and selects the nearest point, as with transparent markers, but the browser no longer
    styles hundreds of markers on every redraw. (``mode="lines"`` would be cheaper still, but
    Plotly never *selects* a lines-only point, and Streamlit then reports an empty selection.)
    """
    (x0, x1), (y0, y1) = bounds
    gx, gy = np.meshgrid(
        np.linspace(x0, x1, CLICK_GRID, dtype=np.float32),
        np.linspace(y0, y1, CLICK_GRID, dtype=np.float32),
    )
    return dict(
        type="scatter",
        x=gx.ravel(),
        y=gy.ravel(),
        mode="text",  # no text given: nothing to draw or style, yet hoverable and selectable
        name="click-grid",
        hovertemplate=tr("start here") + " (%{x:.2f}, %{y:.2f})<extra></extra>",
        showlegend=False,
        **kw,
    )


# ----------------------------------------------------------------------------- figures


class AnimatedFigure(go.Figure):
    """A ``go.Figure`` whose animation frames stay plain dicts until someone reads them.

    plotly turns every frame into ``go.Frame`` objects on construction, then deep-copies and
    walks them again in ``to_dict`` (which ``st.plotly_chart`` calls on every rerun, cached
    figure or not): for a 150-frame race that was 20 of 25 ms to build and 4 of 7.5 ms per
    rerun. Here the frames are encoded to JSON once; ``to_dict``/``to_json``/``to_html`` decode
    a fresh copy, and ``fig.frames`` still gives ``go.Frame`` objects, built on first read.
    Traces and layout are copied in one pass (``_json_ready``) instead of plotly's deep copy
    and base64 walk: a race figure's ``to_dict`` 4.2 → 1.1 ms. Same JSON either way (a test).
    """

    def __init__(self, data=None, layout=None, frames=None, **kwargs):
        """Same arguments as ``go.Figure``; ``data`` may be a whole figure dict (pickling)."""
        if isinstance(data, dict) and frames is None:  # a whole figure, e.g. from __reduce__
            data = dict(data)
            frames = data.pop("frames", None)
        super().__init__(data=data, layout=layout, **kwargs)
        self._raw_frames = [_scatter_by_default(frame) for frame in frames or []]
        self._frames_json = _frames_json(self._raw_frames)

    @property
    def _frame_objs(self):
        """The ``go.Frame`` objects (built from the dicts on first read)."""
        raw = self.__dict__.get("_raw_frames")
        if raw:
            self.__dict__["_built_frames"] = self._frames_validator.validate_coerce(raw)
            self.__dict__["_raw_frames"] = []
        return self.__dict__.get("_built_frames", ())

    @_frame_objs.setter
    def _frame_objs(self, frames):
        self.__dict__["_built_frames"] = frames
        self.__dict__["_raw_frames"] = []

    def to_dict(self) -> dict:
        """Like ``go.Figure.to_dict`` (a fresh dict, arrays as base64), without frame objects."""
        if self.__dict__.get("_built_frames"):  # someone took (or set) the Frame objects
            return super().to_dict()
        spec = {"data": _json_ready(self._data), "layout": _json_ready(self._layout)}
        if self.__dict__.get("_raw_frames"):
            spec["frames"] = json.loads(self._frames_json)
        return spec


def _frames_json(frames: list[dict]) -> str:
    """The frames as JSON, arrays as plotly's base64 typed arrays (what ``to_dict`` gives)."""
    return json.dumps(_json_ready(frames), default=_json_scalar)


_ATOMS = (str, int, float, bool, type(None))
_SKIPPED_KEYS = frozenset({"geojson", "layer", "layers", "range"})  # plotly's is_skipped_key


def _json_ready(part):
    """A copy of a figure part with numpy arrays as plotly's base64 typed arrays.

    What ``go.Figure.to_dict`` does with ``copy.deepcopy`` and then plotly's
    ``convert_to_base64``, in one pass: an array that is a dict's value becomes a typed-array
    spec (unless its key is one plotly skips, like ``range``); everything else is copied. For a
    race figure (measured when its scrubber had a stop per frame) ~1 ms instead of ~4 ms.
    """
    if isinstance(part, dict):
        return {
            k: copy.deepcopy(v) if k in _SKIPPED_KEYS else _json_ready_value(v)
            for k, v in part.items()
        }
    if isinstance(part, list):
        return [_json_ready(v) for v in part]
    if isinstance(part, tuple):
        return tuple(_json_ready(v) for v in part)
    return part if isinstance(part, _ATOMS) else copy.deepcopy(part)


def _json_ready_value(value):
    """A dict's value, made JSON-ready (``_json_ready``): arrays become typed-array specs."""
    if isinstance(value, _ATOMS):
        return value
    if isinstance(value, dict | list | tuple):
        return _json_ready(value)
    # str(dtype) as plotly keys it: '<f4' and '>f4' are both "float32" by name, but only the
    # native byte order has a typed-array short name
    short = plotlyjsShortTypes.get(str(value.dtype)) if isinstance(value, np.ndarray) else None
    if short and value.size:  # the common case, encoded here as plotly would
        spec = {"dtype": short, "bdata": base64.b64encode(np.ascontiguousarray(value)).decode()}
        if value.ndim > 1:
            spec["shape"] = str(value.shape)[1:-1]
        return spec
    if is_homogeneous_array(value):  # int64, empty, pandas, ...: plotly's own rules
        return to_typed_array_spec(value)
    return copy.deepcopy(value)


def _json_scalar(value):
    """A numpy scalar as a Python number (``json.dumps`` fallback)."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _scatter_by_default(frame: dict) -> dict:
    """A frame whose traces say ``type: scatter`` unless they name a type (as ``go.Frame``)."""
    data = [d if "type" in d else {"type": "scatter", **d} for d in frame.get("data", [])]
    return {**frame, "data": data}


def figure(data: list, layout: dict, frames: list | None = None) -> go.Figure:
    """The figure every builder returns: plain-dict traces, layout and animation frames.

    Args:
        data: Trace dicts.
        layout: Layout dict.
        frames: Animation frames (``{"name", "data", "traces"}`` dicts), or None.

    Returns:
        An ``AnimatedFigure`` (frames kept as dicts; no validation), or a validated
        ``go.Figure`` when ``VALIDATE`` is on.
    """
    if VALIDATE:
        return go.Figure(data=data, layout=layout, frames=frames)
    return AnimatedFigure(data=data, layout=layout, frames=frames, _validate=False)


def trajectory_figure(
    surface: str | Surface,
    trajectories: Sequence[Trajectory],
    labels: Sequence[str],
    params: Mapping[str, float] | None = None,
    *,
    frames: bool = True,
    max_frames: int = 150,
    height: int = 560,
    show_minima: bool = True,
    clickable: bool = True,
    title: str | None = None,
    stacked_controls: bool = False,
    tr: Translate = str,
) -> go.Figure:
    """The animated overlay: paths on the surface, heads moving in the browser.

    Trace order: iso-lines, one faint path per run, [diverged ✕ marks], [known minima and
    saddles], [click grid], heads, [frame counter, when animated]. ``fig.layout.meta`` says
    where the click grid and the heads are: ``{"click_trace": i or None, "heads_trace": j}``.
    Frames are named by their step and update only the heads and the counter.

    Args:
        surface: The surface the runs used (key or ``Surface``).
        trajectories: Runs on that surface (any number of steps each).
        labels: Legend name of each run.
        params: Surface parameters the runs used (defaults if None).
        frames: Animate (frames, Play/Pause, speeds, scrubber); False draws the heads at the
            end of each run and no controls.
        max_frames: Most animation frames; steps are sampled evenly, first and last included.
        height: Figure height in pixels.
        show_minima: Mark the surface's known minima (★) and saddles (×).
        clickable: Add the invisible click grid (click-to-set-start with ``on_select``).
        title: Figure title, or None.
        stacked_controls: The speeds on a row of their own under Play/Pause, for a narrow
            chart (see ``_animation_controls``); the plot keeps its size, the figure grows.
        tr: Translates the figure's own words (see ``Translate``).

    Returns:
        A ``go.Figure`` (treat as read-only when cached).
    """
    surf = _check(surface, trajectories, labels)
    key = _params_key(surf, params)
    image, iso = _background(surf, key, 160, 14)
    data = [iso]
    runs = enumerate(zip(trajectories, labels, strict=True))
    data += [_path_trace(run, lab, i, tr) for i, (run, lab) in runs]
    diverged = _diverged_trace(surf, trajectories, labels, tr=tr)
    if diverged is not None:
        data.append(diverged)
    known = _known_points_trace(surf, tr, params) if show_minima else None
    if known is not None:
        data.append(known)
    click_index = None
    if clickable:
        click_index = len(data)
        data.append(_click_grid(surf.bounds, tr))
    heads_index = len(data)

    total = max((len(tr.xy) - 1 for tr in trajectories), default=0)
    animate = frames and len(trajectories) > 0 and total > 0
    steps = frame_steps(total, max_frames) if animate else np.array([total])
    hx, hy = _heads_at(trajectories, steps)
    start = 0 if animate else -1  # the heads wait at the start for Play, or sit at the end
    data.append(
        dict(
            type="scatter",
            x=_as_list(hx[start]),
            y=_as_list(hy[start]),
            mode="markers",
            name="heads",
            text=list(labels),
            hovertemplate="%{text}<br>(%{x:.4g}, %{y:.4g})<extra></extra>",
            marker=dict(
                color=[color(i) for i in range(len(trajectories))],
                size=14,
                line=dict(color="white", width=2),
            ),
            showlegend=False,
        )
    )

    xaxis, yaxis = _axes(surf.bounds)
    top = 60 if title else 30
    extra_row = CONTROL_ROW_PX if animate and stacked_controls else 0  # the speeds' own row
    layout = dict(
        height=height + extra_row,
        images=[image],
        xaxis=xaxis,
        yaxis=yaxis,
        uirevision=UIREVISION,
        hovermode="closest",
        plot_bgcolor="white",
        margin=dict(l=70, r=15, t=max(top, 45), b=CONTROLS_MARGIN + extra_row if animate else 50),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
        meta={"click_trace": click_index, "heads_trace": heads_index},
    )
    if title:
        layout["title"] = dict(text=title, x=0.0, xanchor="left")
    frame_list = []
    if animate:
        plot_px = max(height - max(top, 45) - CONTROLS_MARGIN, 100)  # the plotting area
        menus, sliders = _animation_controls(steps, plot_px, stacked=stacked_controls)
        layout["updatemenus"], layout["sliders"] = menus, sliders
        (_, x1), (_, y1) = surf.bounds
        counter, counts = frame_counter(steps, (x1, y1), tr)
        data.append(counter)
        frame_list = [
            {
                "name": str(int(k)),
                "data": [{"x": _as_list(hx[f]), "y": _as_list(hy[f])}, counts[f]],
                "traces": [heads_index, heads_index + 1],
            }
            for f, k in enumerate(steps)
        ]
    if clickable:
        layout["hoverdistance"] = -1  # a click anywhere picks the nearest grid point
    return figure(data, layout, frame_list or None)


def small_multiples(
    surface: str | Surface,
    trajectories: Sequence[Trajectory],
    labels: Sequence[str],
    params: Mapping[str, float] | None = None,
    *,
    cols: int = 2,
    max_frames: int = 150,
    height_per_row: int = 330,
    tr: Translate = str,
    panels: Sequence[tuple[Surface, Mapping[str, float] | None]] | None = None,
    colors: Sequence[int] | None = None,
    axis_titles: tuple[str, str] = ("x₁", "x₂"),
) -> go.Figure:
    """One panel per run on the same axes, all heads moving together.

    Each panel has its own background image (one layout image per axis pair), iso-lines, path,
    [diverged ✕ mark], [known minima/saddles] and head, in that order. ``fig.layout.meta``
    holds ``{"heads_traces": [...]}``; every frame updates exactly those traces and the frame
    counter (the last trace, in the top-right panel).

    Args:
        surface: The surface the runs used.
        trajectories: The runs.
        labels: Panel title of each run.
        params: Surface parameters (defaults if None).
        cols: Panels per row.
        max_frames: Most animation frames.
        height_per_row: Pixels per row of panels.
        tr: Translates the figure's own words (see ``Translate``).
        panels: ``(surface, params)`` drawn under each panel, if not ``surface`` and
            ``params`` (same window): the same run seen on another loss, e.g. a training run
            on the validation loss.
        colors: Palette index of each panel's run (default: its position), e.g. ``[0, 0]``
            for one run shown twice.
        axis_titles: Titles of the x and y axes (the surface's coordinates).

    Returns:
        A ``go.Figure`` with frames, Play/Pause, speeds and a scrubber.
    """
    surf = _check(surface, trajectories, labels)
    if not trajectories:
        raise ValueError("small_multiples needs at least one trajectory")
    count = len(trajectories)
    under = [(surf, params)] * count if panels is None else list(panels)
    if len(under) != count:
        raise ValueError(f"{len(under)} panel surfaces for {count} trajectories")
    cols = max(1, min(int(cols), count))
    rows = math.ceil(count / cols)
    specs = [[{} if r * cols + c < count else None for c in range(cols)] for r in range(rows)]
    fig = make_subplots(
        rows=rows,
        cols=cols,
        specs=specs,
        subplot_titles=list(labels),
        shared_xaxes="all",
        shared_yaxes="all",
        horizontal_spacing=0.06,
        vertical_spacing=0.12 / rows,
    )
    total = max(len(tr.xy) - 1 for tr in trajectories)
    steps = frame_steps(total, max_frames)
    hx, hy = _heads_at(trajectories, steps)
    animate = total > 0
    start = 0 if animate else -1
    data, images, heads = [], [], []
    layout_axes = {}
    for i, (run, lab) in enumerate(zip(trajectories, labels, strict=True)):
        sub = fig.get_subplot(i // cols + 1, i % cols + 1)
        xname, yname = sub.xaxis.plotly_name, sub.yaxis.plotly_name  # "xaxis2", "yaxis2"
        xref, yref = xname.replace("axis", ""), yname.replace("axis", "")  # "x2", "y2"
        refs = dict(xaxis=xref, yaxis=yref)
        below, below_params = get_surface(under[i][0]), under[i][1]  # this panel's surface
        image, iso = _background(below, _params_key(below, below_params), 120, 12, xref, yref)
        images.append(image)
        ci = i if colors is None else int(colors[i])  # the run's colour
        data += [iso, _path_trace(run, lab, ci, tr, **refs, showlegend=False)]
        for extra in (
            _diverged_trace(surf, [run], [lab], [color(ci)], tr, **refs),
            _known_points_trace(below, tr, below_params, **refs),
        ):
            if extra is not None:
                data.append(extra)
        heads.append(len(data))
        data.append(
            dict(
                type="scatter",
                x=_as_list(hx[start, i : i + 1]),
                y=_as_list(hy[start, i : i + 1]),
                mode="markers",
                name=f"{lab} (head)",
                marker=dict(color=color(ci), size=13, line=dict(color="white", width=2)),
                hovertemplate=f"{lab}<br>(%{{x:.4g}}, %{{y:.4g}})<extra></extra>",
                showlegend=False,
                **refs,
            )
        )
        ax, ay = _axes(surf.bounds)
        lowest = i + cols >= count  # no panel below: this one shows the x ticks
        first = i % cols == 0
        ax.update(showticklabels=lowest, title=dict(text=axis_titles[0] if lowest else ""))
        ay.update(showticklabels=first, title=dict(text=axis_titles[1] if first else ""))
        layout_axes[xname] = {**fig.layout[xname].to_plotly_json(), **ax}
        layout_axes[yname] = {**fig.layout[yname].to_plotly_json(), **ay}
    layout = fig.layout.to_plotly_json()
    layout.update(layout_axes)
    layout.update(
        height=height_per_row * rows + (CONTROLS_MARGIN - 50 if animate else 40),
        images=images,
        uirevision=UIREVISION,
        hovermode="closest",
        plot_bgcolor="white",
        showlegend=False,
        margin=dict(l=70, r=15, t=45, b=CONTROLS_MARGIN if animate else 40),
        meta={"heads_traces": heads},
    )
    frame_list = None
    if animate:
        plot_px = height_per_row * rows - 95  # the plotting area: height - t - b
        menus, sliders = _animation_controls(steps, plot_px)
        layout["updatemenus"], layout["sliders"] = menus, sliders
        corner = fig.get_subplot(1, cols)  # the top-right panel
        (_, x1), (_, y1) = surf.bounds
        counter, counts = frame_counter(
            steps,
            (x1, y1),
            tr,
            xaxis=corner.xaxis.plotly_name.replace("axis", ""),
            yaxis=corner.yaxis.plotly_name.replace("axis", ""),
        )
        data.append(counter)
        frame_list = [
            {
                "name": str(int(k)),
                "data": [
                    *(
                        {"x": _as_list(hx[f, i : i + 1]), "y": _as_list(hy[f, i : i + 1])}
                        for i in range(count)
                    ),
                    counts[f],
                ],
                "traces": [*heads, len(data) - 1],
            }
            for f, k in enumerate(steps)
        ]
    return figure(data, layout, frame_list)


def surface_3d(
    surface: str | Surface,
    trajectories: Sequence[Trajectory],
    labels: Sequence[str],
    params: Mapping[str, float] | None = None,
    n: int = 80,
    tr: Translate = str,
) -> go.Figure:
    """A static 3D view: the loss surface with each path lifted slightly above it.

    No frames (Streamlit resets a 3D camera on animation, streamlit #4653). Points outside the
    window are dropped so the scene stays on the surface.

    Args:
        surface: The surface the runs used.
        trajectories: The runs.
        labels: Legend name of each run.
        params: Surface parameters (defaults if None).
        n: Grid points per axis of the surface mesh.
        tr: Translates the figure's own words (see ``Translate``).

    Returns:
        A ``go.Figure``: one ``go.Surface`` then one ``go.Scatter3d`` per run.
    """
    surf = _check(surface, trajectories, labels)
    xs, ys, z = surface_grid(surf, params, n)
    finite = np.isfinite(z)
    zmin = float(z[finite].min()) if finite.any() else 0.0
    zmax = float(z[finite].max()) if finite.any() else 1.0
    lift = 0.015 * max(zmax - zmin, 1e-12)  # paths float just above the mesh
    data = [
        go.Surface(
            x=xs.astype(np.float32),
            y=ys.astype(np.float32),
            z=z.astype(np.float32),
            surfacecolor=_relief(z).astype(np.float32),
            colorscale=COLORSCALE,
            showscale=False,
            opacity=0.95,
            name=tr("loss"),
            hovertemplate="(%{x:.3g}, %{y:.3g})<br>f = %{z:.4g}<extra></extra>",
        )
    ]
    step = tr("step")
    for i, (run, lab) in enumerate(zip(trajectories, labels, strict=True)):
        xy = np.asarray(run.xy, np.float64)
        loss = np.asarray(run.loss, np.float64)
        (x0, x1), (y0, y1) = surf.bounds
        out = ~((xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1))
        px, py, pz = (np.where(out, np.nan, a) for a in (xy[:, 0], xy[:, 1], loss + lift))
        data.append(
            go.Scatter3d(
                x=px.astype(np.float32),
                y=py.astype(np.float32),
                z=pz.astype(np.float32),
                mode="lines",
                name=lab,
                line=dict(color=color(i), width=6),
                hovertemplate=f"{lab}<br>{step} %{{pointNumber}}<br>f = %{{z:.4g}}<extra></extra>",
            )
        )
    (x0, x1), (y0, y1) = surf.bounds
    layout = dict(
        height=560,
        uirevision=UIREVISION,
        margin=dict(l=0, r=0, t=30, b=0),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
        scene=dict(
            xaxis=dict(range=[x0, x1], title=dict(text="x₁")),
            yaxis=dict(range=[y0, y1], title=dict(text="x₂")),
            zaxis=dict(range=[zmin, zmax + 2 * lift], title=dict(text="f")),
            camera=dict(eye=dict(x=1.5, y=-1.6, z=1.0), up=dict(x=0, y=0, z=1)),
            aspectmode="manual",
            aspectratio=dict(x=1.0, y=1.0, z=0.6),
        ),
    )
    return figure(data, layout)


def loss_figure(
    trajectories: Sequence[Trajectory], labels: Sequence[str], tr: Translate = str
) -> go.Figure:
    """Loss against step on a log axis, one line per run, divergence marked.

    If any loss is ≤ 0 (a log axis cannot show it), every curve is shifted to
    ``f − f_min + ε`` with ``f_min`` the lowest loss of all runs, and the axis title says so.

    Args:
        trajectories: The runs.
        labels: Legend name of each run.
        tr: Translates the figure's own words (see ``Translate``).

    Returns:
        A ``go.Figure``: one line per run, then one ✕ trace if any run diverged. Its
        ``layout.meta`` holds ``{"shift": f_min - ε}`` (0 when unshifted).
    """
    if len(trajectories) != len(labels):
        raise ValueError(f"{len(trajectories)} trajectories but {len(labels)} labels")
    losses = [np.asarray(tr.loss, np.float64) for tr in trajectories]
    every = np.concatenate([a[np.isfinite(a)] for a in losses] or [np.empty(0)])
    shift, axis_title = 0.0, "f(x_t)"
    if every.size and every.min() <= 0:
        f_min = float(every.min())
        eps = max(1e-6 * float(every.max() - f_min), 1e-12)
        shift = f_min - eps
        axis_title = f"f − f_min + ε<br>(f_min = {f_min:.4g}, ε = {eps:.0e})"
    data = []
    marks_x, marks_y, marks_text, marks_hover, marks_color = [], [], [], [], []
    step = tr("step")
    for i, (run, lab, loss) in enumerate(zip(trajectories, labels, losses, strict=True)):
        y = loss - shift
        data.append(
            dict(
                type="scatter",
                x=np.arange(len(y), dtype=np.int32),
                y=y.astype(np.float32),
                mode="lines",
                name=lab,
                line=dict(color=color(i), width=2),
                hovertemplate=f"{lab}<br>{step} %{{x}}<br>%{{y:.4g}}<extra></extra>",
            )
        )
        j = _last_valid(run)
        if run.diverged_at is not None and j >= 0:
            marks_x.append(j)
            marks_y.append(float(y[j]))
            marks_text.append(tr("diverged at step {k}").format(k=run.diverged_at))
            marks_hover.append(
                tr("{label}: diverged at step {k}").format(label=lab, k=run.diverged_at)
            )
            marks_color.append(color(i))
    if marks_x:
        logs = np.log10(np.maximum(every - shift, 1e-300))  # where the marks sit, 0..1
        lo, span = float(logs.min()), max(float(np.ptp(logs)), 1e-12)
        last = max(max(len(a) - 1 for a in losses), 1)
        u = [x / last for x in marks_x]
        v = [(math.log10(y) - lo) / span for y in marks_y]
        show = _declutter(u, v, du=0.2, dv=0.08)
        marks_text = [t if ok else "" for t, ok in zip(marks_text, show, strict=True)]
        data.append(
            dict(
                type="scatter",
                x=marks_x,
                y=marks_y,
                mode="markers+text",
                name="diverged",
                text=marks_text,
                hovertext=marks_hover,
                hoverinfo="text",
                textposition="middle right",
                textfont=dict(color=DIVERGED_COLOR),
                marker=dict(
                    symbol="x",
                    size=14,
                    color=DIVERGED_COLOR,
                    line=dict(width=1.5, color=marks_color),
                ),
                cliponaxis=False,
                showlegend=False,
            )
        )
    layout = dict(
        height=360,
        uirevision=UIREVISION,
        xaxis=dict(title=dict(text=tr("step t")), rangemode="tozero"),
        yaxis=dict(type="log", title=dict(text=axis_title), exponentformat="power"),
        margin=dict(l=85, r=25, t=45, b=70),  # see MARGINS_NOTE
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
        hovermode="x unified",
        meta={"shift": shift},
    )
    return figure(data, layout)


def race_table(
    surface: str | Surface,
    trajectories: Sequence[Trajectory],
    labels: Sequence[str],
    params: Mapping[str, float] | None = None,
    tol: float = 1e-3,
) -> list[dict]:
    """One row per run: how far it got, how fast, and whether it blew up.

    Args:
        surface: The surface the runs used.
        trajectories: The runs.
        labels: Name of each run (the "optimizer" column).
        params: Surface parameters the runs used (defaults if None); they fix f*.
        tol: A run reaches the minimum at the first step with ``f(x_t) − f* ≤ tol``, where f* is
            the lowest value over the surface's known minima.

    Returns:
        Dicts with keys "optimizer" (str), "final loss" (float, None if diverged), "distance to
        nearest minimum" (float; None if diverged or no known minimum), "steps to tolerance"
        (int; None if never reached or no known minimum) and "diverged at" (int or None).
    """
    surf = _check(surface, trajectories, labels)
    f_star = lowest_minimum(surf, _params_key(surf, params))
    rows = []
    for tr, lab in zip(trajectories, labels, strict=True):
        diverged = tr.diverged_at is not None
        final_loss = None if diverged else float(tr.loss[-1])
        distance = None
        if not diverged and surf.minima:
            distance = float(nearest_minimum(surf, tr.xy[-1])[1])
        hit = None
        if math.isfinite(f_star):
            reached = np.flatnonzero(np.asarray(tr.loss, np.float64) - f_star <= tol)
            hit = int(reached[0]) if reached.size else None
        rows.append(
            {
                "optimizer": str(lab),
                "final loss": final_loss,
                "distance to nearest minimum": distance,
                "steps to tolerance": hit,
                "diverged at": None if not diverged else int(tr.diverged_at),
            }
        )
    return rows


MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>$|~#]")
"""Characters that Markdown (or Streamlit's: ``$`` starts LaTeX) would read as markup."""


def race_table_markdown(rows: Sequence[Mapping], tr: Translate = str) -> str:
    """The race table as a Markdown table: names on the left, numbers on the right, "—" for none.

    Markdown, not a data grid: the playground is the landing page, and a grid's scripts (about
    1.6 MB, loaded and run before the race chart could draw) made the first chart ~0.8 s later
    (bench/app_latency.py). Four rows need no sorting or scrolling.

    Args:
        rows: Rows of ``race_table`` (or any dicts with the same keys, in the same order).
        tr: Translates the column names and the optimizer names.

    Returns:
        GitHub-flavoured Markdown; floats to 3 significant digits.
    """
    if not rows:
        return ""
    columns = list(rows[0])

    def cell(column: str, value) -> str:
        if value is None:
            return "—"
        if column == "optimizer":  # Markdown's special characters stay literal
            return MARKDOWN_SPECIAL.sub(r"\\\g<0>", tr(str(value)))
        return f"{value:.3g}" if isinstance(value, float | np.floating) else str(value)

    lines = [
        "| " + " | ".join(tr(c) for c in columns) + " |",
        "|" + "|".join(":--" if c == "optimizer" else "--:" for c in columns) + "|",
        *("| " + " | ".join(cell(c, row[c]) for c in columns) + " |" for row in rows),
    ]
    return "\n".join(lines)


def state_figure(traj: Trajectory, names: Sequence[str], tr: Translate = str) -> go.Figure:
    """Optimizer state over time: one panel per state entry, a line per coordinate.

    Args:
        traj: A run.
        names: Keys of ``traj.state`` (e.g. ``"velocity"``, ``"m_hat"``, ``"v_hat"``,
            ``"effective_lr"``).
        tr: Translates the figure's own words (see ``Translate``).

    Returns:
        A ``go.Figure`` with ``len(names)`` stacked panels sharing the step axis and two lines
        per panel: x₁ (solid) and x₂ (dashed).

    Raises:
        KeyError: If a name is not in ``traj.state``.
    """
    names = list(names)
    for name in names:
        if name not in traj.state:
            known = ", ".join(sorted(traj.state))
            raise KeyError(f"{traj.optimizer} has no state {name!r}; it has: {known}")
    rows = max(len(names), 1)
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.04)
    for r, name in enumerate(names):
        values = np.asarray(traj.state[name], np.float32)
        finite = values[np.isfinite(values)]
        positive = finite.size > 0 and bool((finite > 0).all())  # e.g. v_hat, effective_lr
        fig.update_yaxes(title_text=name, type="log" if positive else "linear", row=r + 1, col=1)
        steps = np.arange(len(values), dtype=np.int32)
        for c, dash in ((0, "solid"), (1, "dash")):
            fig.add_trace(
                go.Scatter(
                    x=steps,
                    y=values[:, c],
                    mode="lines",
                    name=f"{name} x{'₁₂'[c]}",
                    line=dict(color=color(r), dash=dash, width=2),
                    hovertemplate=f"{name} x{'₁₂'[c]}<br>{tr('step')} %{{x}}<br>%{{y:.4g}}"
                    "<extra></extra>",
                ),
                row=r + 1,
                col=1,
            )
    fig.update_xaxes(title_text=tr("step t"), row=rows, col=1)
    fig.update_layout(
        height=180 * rows + 80,
        uirevision=UIREVISION,
        margin=dict(l=60, r=15, t=40, b=50),
        legend=dict(orientation="h", x=0.0, y=1.02, yanchor="bottom"),
        hovermode="x unified",
    )
    return fig


def surface_figure(
    surface: str | Surface,
    params: Mapping[str, float] | None = None,
    *,
    start: tuple[float, float] | None = None,
    height: int = 560,
    tr: Translate = str,
) -> go.Figure:
    """The surface alone (background, iso-lines, known points) with the start marked.

    Used by the "predict, then reveal" quiz: the question shows where the runs begin, not where
    they go.

    Args:
        surface: A registry key or ``Surface``.
        params: Surface parameters (defaults if None).
        start: Start point to mark, or None.
        height: Figure height in pixels.
        tr: Translates the figure's own words (see ``Translate``).

    Returns:
        A static ``go.Figure``.
    """
    fig = trajectory_figure(
        surface, [], [], params, frames=False, clickable=False, height=height, tr=tr
    )
    if start is not None:
        fig.add_trace(
            go.Scatter(
                x=[start[0]],
                y=[start[1]],
                mode="markers+text",
                marker={"size": 16, "color": "#d62728", "symbol": "circle-open", "line_width": 3},
                text=[tr("start")],
                textposition="top center",
                name="start",
                hoverinfo="skip",
            )
        )
    return fig


def presenter_style(fig: go.Figure, *, font_size: int = 22, line_width: float = 5.0) -> go.Figure:
    """A copy of ``fig`` readable from the back of a classroom: big fonts, thick lines.

    Args:
        fig: Any figure of this module (left unchanged).
        font_size: Base font size in points.
        line_width: Width of every drawn path, in pixels.

    Returns:
        A new ``go.Figure`` (frames kept, so the animation still plays).
    """
    spec = fig.to_dict()
    big = figure(spec["data"], spec["layout"], spec.get("frames"))
    big.update_layout(font={"size": font_size}, legend={"font": {"size": font_size}})
    if big.layout.sliders:  # room for the bigger controls (MARGINS_NOTE)
        big.update_layout(margin=dict(l=90, t=60, b=PRESENTER_CONTROLS_MARGIN))
        row_px = CONTROL_ROW_PX + round(1.2 * (font_size - 12))  # taller buttons
        for slider in big.layout.sliders:
            slider.pad.t = 40 + row_px  # still below the button row
    for trace in big.data:
        if trace.type != "scatter" or trace.name == "click-grid":
            continue
        if trace.name == "frame-counter":
            trace.textfont.size = font_size
        elif trace.name == "iso-lines":
            trace.line.width = max(1.5, line_width / 3)
        elif trace.mode and "lines" in trace.mode:
            trace.line.width = line_width
        if trace.marker is not None and trace.marker.size is not None and trace.name == "heads":
            trace.marker.size = 2 * (trace.marker.size if np.isscalar(trace.marker.size) else 14)
    return big
