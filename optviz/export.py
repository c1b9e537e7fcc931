"""Exports of a race for slides and notebooks: GIF, PNG, offline HTML, CSV, JSON and code.

* ``to_html`` writes a Plotly figure as one self-contained HTML file (plotly.js inlined), so the
  animation plays offline, from a USB stick, in a classroom without internet.
* ``to_gif`` and ``to_png`` draw the race with Pillow: the same background colours and iso-lines
  as the app (``optviz.plots``), each path so far, its head, a legend, a step counter and
  "diverged at step k". Text uses Noto Sans CJK when installed, so Chinese labels (动量法)
  render; frames are encoded by Pillow's own GIF writer.
* ``to_mp4`` encodes the same frames as H.264 video with imageio-ffmpeg (the ffmpeg binary
  comes inside its wheel), for slide decks that take video but not GIF.
* ``to_csv`` and ``to_json`` dump the trajectories; every number is written as the shortest
  decimal that reads back as the same float32, so the files equal the run exactly.
* ``code_snippet`` and ``optax_snippet`` write "copy as code": a few lines of Python that
  reproduce the run with ``optviz.run``, or with optax where optax has the same rule.

This module never imports streamlit.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import functools
import io
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from PIL import Image, ImageDraw, ImageFont

from optviz import plots
from optviz.engine import Trajectory
from optviz.formula import DEFAULT_BOUNDS
from optviz.optimizers import get_optimizer
from optviz.schedules import resolve as resolve_schedule
from optviz.surfaces import SURFACES, Surface, get_surface

#: Debian's fonts-noto-cjk: one face that covers Latin, Greek and Chinese.
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SUPERSAMPLE = 2  # frames are drawn this many times larger, then reduced (anti-aliasing)
HOLD_LAST_MS = 1500  # the last GIF frame stays this long before the loop restarts
MIN_SIZE = (200, 150)  # smallest GIF / PNG size in pixels

_BACKGROUND = (255, 255, 255)
_TEXT = (30, 30, 30)
_MUTED = (90, 90, 90)
_DIVERGED = (220, 0, 0)
_ISO = (40, 40, 40, 71)  # plots.ISO_LINE_COLOR: rgba(40, 40, 40, 0.28)
_EXACT = (_BACKGROUND, _TEXT, _MUTED, _DIVERGED, (0, 0, 0))  # colours a GIF keeps exactly


# ----------------------------------------------------------------------------- HTML


def to_html(fig: go.Figure) -> str:
    """A self-contained interactive HTML page of a figure; it plays offline.

    Args:
        fig: A Plotly figure, e.g. ``optviz.plots.trajectory_figure(...)``.

    Returns:
        A full HTML document with plotly.js inlined (about 5 MB); the animation waits for Play,
        and the step buttons (❚◀ ▶❚) work as in the app.
    """
    return pio.to_html(
        fig,
        include_plotlyjs=True,
        full_html=True,
        auto_play=False,
        post_script=plots.STEP_BUTTONS_JS,
    )


# ----------------------------------------------------------------------------- fonts


@functools.lru_cache(maxsize=1)
def _cjk_index() -> int | None:
    """Index of the Simplified Chinese face in the Noto CJK collection (None: no font file)."""
    if not CJK_FONT.exists():
        return None
    for index in range(10):
        try:
            face = ImageFont.truetype(str(CJK_FONT), 12, index=index)
        except OSError:
            break
        if face.getname()[0].endswith("CJK SC"):
            return index
    return 0


@functools.lru_cache(maxsize=32)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A font of ``size`` pixels that covers Chinese (Noto Sans CJK SC), else Pillow's default.

    Args:
        size: Font size in pixels.

    Returns:
        A Pillow font; Pillow's built-in font when Noto Sans CJK is not installed (then Chinese
        characters show as boxes).
    """
    index = _cjk_index()
    if index is not None:
        try:
            return ImageFont.truetype(str(CJK_FONT), size, index=index)
        except OSError:
            pass
    return ImageFont.load_default(size=size)


def _text_width(text: str, face) -> float:
    """Advance width of ``text`` in pixels."""
    return float(face.getlength(text))


# ----------------------------------------------------------------------------- the scene


@dataclasses.dataclass
class _Scene:
    """Everything about a race picture that stays the same from frame to frame.

    The canvas (text, ticks, legend) is drawn at the output size: FreeType already smooths text.
    The plot area, where lines and circles are drawn, is ``SUPERSAMPLE`` times larger and
    reduced for each frame, which smooths the paths.
    """

    canvas: Image.Image  # the picture without the moving parts: title, ticks, legend
    plot: Image.Image  # the plot area, supersampled: surface colours, iso-lines, known points
    box: tuple[int, int, int, int]  # plot area (left, top, right, bottom) on the canvas
    paths: list[np.ndarray]  # each run's points in supersampled plot-area pixels
    last: list[int]  # index of each run's last finite point (-1: none)
    ends: list[np.ndarray | None]  # where each diverged path is last seen (plot pixels)
    show_text: list[bool]  # whether that run's "diverged at step k" is printed by the ✕
    trajectories: Sequence[Trajectory]
    colors: list[tuple[int, int, int]]
    legend: list[tuple[float, float]]  # where each legend entry's "diverged" suffix goes
    unit: float  # one "design pixel" at this output size (fonts and lines scale with it)
    total: int  # the last step of the longest run
    tr: plots.Translate  # the picture's own words ("step", "diverged at step k") translated


def _rgb(hex_color: str) -> tuple[int, int, int]:
    """``"#D55E00"`` -> ``(213, 94, 0)``."""
    h = hex_color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """About ``count`` round tick values in ``[lo, hi]`` (steps of 1, 2, 2.5 or 5 × 10^k)."""
    span = hi - lo
    if not span > 0:
        return [lo]
    raw = span / count
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = []
    for i in range(math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9) + 1):
        value = round(i * step, 10)
        ticks.append(0.0 if value == 0 else value)  # no "-0"
    return ticks


def _to_pixels(xy: np.ndarray, bounds, width: float, height: float) -> np.ndarray:
    """Maps surface coordinates ``(..., 2)`` to pixels of a ``width × height`` area (y up)."""
    (x0, x1), (y0, y1) = bounds
    xy = np.asarray(xy, np.float64)
    px = (xy[..., 0] - x0) / (x1 - x0) * width
    py = (y1 - xy[..., 1]) / (y1 - y0) * height
    out = np.stack([px, py], axis=-1)
    limit = 20.0 * max(width, height)  # far points stay drawable; the plot area crops them
    return np.where(np.isfinite(out), np.clip(out, -limit, limit), np.nan)


def _finite_pieces(points: np.ndarray) -> Iterator[np.ndarray]:
    """Splits a NaN-separated polyline ``(n, 2)`` into its finite pieces."""
    good = np.isfinite(points).all(axis=1)
    edges = np.flatnonzero(np.diff(np.r_[0, good.astype(np.int8), 0]))
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        yield points[a:b]


def _star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    """The ten corners of a five-pointed star of outer radius ``r``."""
    corners = []
    for k in range(10):
        radius = r if k % 2 == 0 else 0.45 * r  # outer and inner corners alternate
        angle = -math.pi / 2 + k * math.pi / 5
        corners.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return corners


def _surface_layer(surf: Surface, params, size: tuple[int, int], unit: float) -> Image.Image:
    """The plot area: the app's background colours, iso-lines, known minima and saddles."""
    xs, ys, z = plots.surface_grid(surf, params, 160)
    uri = plots.surface_image(xs, ys, z)  # the very PNG the app shows
    png = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGBA")
    white = Image.new("RGBA", png.size, (*_BACKGROUND, 255))  # no value: white
    layer = Image.alpha_composite(white, png).resize(size, Image.Resampling.BICUBIC)
    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    ix, iy = plots.iso_lines(xs, ys, z, 14)
    line = _to_pixels(np.stack([ix, iy], axis=-1), surf.bounds, *size)
    for piece in _finite_pieces(line):
        if len(piece) > 1:
            draw.line([tuple(p) for p in piece], fill=_ISO, width=max(1, round(unit)))
    layer = Image.alpha_composite(layer, overlay).convert("RGB")
    draw = ImageDraw.Draw(layer)
    r, w = 7 * unit, max(1, round(unit))
    for point in surf.minima:  # ★, white with a black outline, as in the app
        cx, cy = _to_pixels(np.asarray(point), surf.bounds, *size)
        draw.polygon(_star(cx, cy, r), fill=(255, 255, 255), outline=(0, 0, 0), width=w)
    for point in surf.saddles:  # thin ×
        cx, cy = _to_pixels(np.asarray(point), surf.bounds, *size)
        draw.line([(cx - r, cy - r), (cx + r, cy + r)], fill=(0, 0, 0), width=w)
        draw.line([(cx - r, cy + r), (cx + r, cy - r)], fill=(0, 0, 0), width=w)
    return layer


def _diverged_suffix(run: Trajectory, tr: plots.Translate = str) -> str:
    """What a legend entry gains once its run has diverged."""
    if run.diverged_at is None:
        return ""
    return "  " + tr("diverged at step {k}").format(k=run.diverged_at)


def _scene(
    surface: str | Surface,
    trajectories: Sequence[Trajectory],
    labels: Sequence[str],
    params: Mapping[str, float] | None,
    size: tuple[int, int],
    title: str | None,
    words: plots.Translate = str,
) -> _Scene:
    """Lays out a race picture and draws everything in it that does not move."""
    surf = plots._check(surface, trajectories, labels)
    if not trajectories:
        raise ValueError("nothing to draw: give at least one trajectory")
    width, height = (int(v) for v in size)
    if width < MIN_SIZE[0] or height < MIN_SIZE[1]:
        raise ValueError(f"size must be at least {MIN_SIZE[0]}x{MIN_SIZE[1]}, got {size}")
    unit = min(width / 640, height / 480) ** 0.5  # fonts and lines grow gently with the size
    f_title, f_legend, f_tick = (font(round(k * unit)) for k in (17, 14, 11))
    pad = round(8 * unit)

    # legend rows at the bottom: swatch, label, room for " diverged at step k"
    swatch, gap, row_h = 26 * unit, 18 * unit, round(22 * unit)
    spots, x, rows = [], pad, 1
    for lab, tr in zip(labels, trajectories, strict=True):
        w = swatch + _text_width(str(lab) + _diverged_suffix(tr, words), f_legend)
        if x > pad and x + w > width - pad:
            x, rows = pad, rows + 1
        spots.append((x, rows - 1))
        x += w + gap
    footer = rows * row_h + pad
    (x0, x1), (y0, y1) = surf.bounds
    yticks = _nice_ticks(y0, y1)
    tick_w = max(_text_width(f"{v:g}", f_tick) for v in yticks)
    left = round(pad + tick_w + 6 * unit)
    right = width - round(14 * unit)
    top = round(34 * unit)  # header: title and step counter
    bottom = height - footer - round(20 * unit)  # x tick labels
    if bottom - top < 40 or right - left < 40:
        raise ValueError(f"size {size} leaves no room for the plot; make it larger")
    plot_w, plot_h = right - left, bottom - top

    canvas = Image.new("RGB", (width, height), _BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    if title:
        draw.text((pad, top / 2), str(title), font=f_title, fill=_TEXT, anchor="lm")
    thin = max(1, round(unit))
    for v in _nice_ticks(x0, x1):  # x ticks under the plot
        px = left + (v - x0) / (x1 - x0) * plot_w
        draw.line([(px, bottom), (px, bottom + 4 * unit)], fill=_MUTED, width=thin)
        draw.text((px, bottom + 5 * unit), f"{v:g}", font=f_tick, fill=_MUTED, anchor="mt")
    for v in yticks:  # y ticks left of the plot
        py = top + (y1 - v) / (y1 - y0) * plot_h
        draw.line([(left - 4 * unit, py), (left, py)], fill=_MUTED, width=thin)
        draw.text((left - 6 * unit, py), f"{v:g}", font=f_tick, fill=_MUTED, anchor="rm")
    draw.rectangle([(left - 1, top - 1), (right, bottom)], outline=(150, 150, 150), width=1)
    colors = [_rgb(plots.color(i)) for i in range(len(trajectories))]
    legend = []
    for (ex, row), lab, col in zip(spots, labels, colors, strict=True):
        ey = height - footer + row * row_h + row_h / 2
        draw.line([(ex, ey), (ex + 18 * unit, ey)], fill=col, width=max(1, round(3 * unit)))
        r = 4 * unit
        draw.ellipse([(ex + 9 * unit - r, ey - r), (ex + 9 * unit + r, ey + r)], fill=col)
        draw.text((ex + swatch, ey), str(lab), font=f_legend, fill=_TEXT, anchor="lm")
        legend.append((ex + swatch + _text_width(str(lab), f_legend), ey))

    s = SUPERSAMPLE
    plot = _surface_layer(surf, params, (plot_w * s, plot_h * s), unit * s)
    paths = [_to_pixels(tr.xy, surf.bounds, plot_w * s, plot_h * s) for tr in trajectories]
    ends = []
    for tr in trajectories:
        end = None if tr.diverged_at is None else plots._visible_end(tr, surf.bounds)
        ends.append(None if end is None else _to_pixels(end, surf.bounds, plot_w, plot_h))
    marked = [e for e in ends if e is not None]  # labels are decluttered among these only
    flags = iter(plots._declutter([e[0] / plot_w for e in marked], [e[1] / plot_h for e in marked]))
    return _Scene(
        canvas=canvas,
        plot=plot,
        box=(left, top, right, bottom),
        paths=paths,
        last=[plots._last_valid(tr) for tr in trajectories],
        ends=ends,
        show_text=[e is not None and next(flags) for e in ends],
        trajectories=trajectories,
        colors=colors,
        legend=legend,
        unit=unit,
        total=max(len(tr.xy) - 1 for tr in trajectories),
        tr=words,
    )


def _draw_paths(draw: ImageDraw.ImageDraw, scene: _Scene, start: int, stop: int) -> None:
    """Draws every path from point ``start`` to point ``stop`` onto the (supersampled) plot."""
    u = scene.unit * SUPERSAMPLE
    r = 1.6 * u  # one dot per point, as the app's markers
    for path, last, col in zip(scene.paths, scene.last, scene.colors, strict=True):
        stop_i = min(stop, last)
        if stop_i < start:
            continue
        points = [tuple(p) for p in path[start : stop_i + 1]]
        if len(points) > 1:
            draw.line(points, fill=col, width=round(2.5 * u), joint="curve")
        for px, py in points[1:] if start > 0 else points:
            draw.ellipse([(px - r, py - r), (px + r, py + r)], fill=col)


def _compose(scene: _Scene, layer: Image.Image, step: int) -> Image.Image:
    """One picture: the canvas, the plot area with the paths so far, heads, marks and text."""
    u, s = scene.unit, SUPERSAMPLE
    plot = layer.copy()
    draw = ImageDraw.Draw(plot)
    r = 7 * u * s
    for path, last, col in zip(scene.paths, scene.last, scene.colors, strict=True):
        if last >= 0:  # the head; a finished or diverged run waits at its last point
            cx, cy = path[min(step, last)]
            box = [(cx - r, cy - r), (cx + r, cy + r)]
            draw.ellipse(box, fill=col, outline=_BACKGROUND, width=round(2 * u * s))
    image = scene.canvas.copy()
    left, top, right, bottom = scene.box
    image.paste(plot.reduce(s) if s > 1 else plot, (left, top))
    draw = ImageDraw.Draw(image)
    f_mark = font(round(13 * u))
    plot_w, plot_h = right - left, bottom - top
    for tr, end, show in zip(scene.trajectories, scene.ends, scene.show_text, strict=True):
        if end is None or step < tr.diverged_at:
            continue
        cx, cy, r = left + end[0], top + end[1], 6 * u  # a red ✕ where the path ends
        for width, color in ((round(5 * u), _BACKGROUND), (round(3 * u), _DIVERGED)):
            draw.line([(cx - r, cy - r), (cx + r, cy + r)], fill=color, width=width)
            draw.line([(cx - r, cy + r), (cx + r, cy - r)], fill=color, width=width)
        if not show:
            continue
        text = scene.tr("diverged at step {k}").format(k=tr.diverged_at)  # beside the ✕
        w, h = _text_width(text, f_mark), 18 * u
        tx = end[0] + 10 * u if end[0] + 10 * u + w < plot_w else end[0] - 10 * u - w
        ty = end[1] + 8 * u if end[1] < plot_h / 2 else end[1] - 8 * u - h
        tx = min(max(tx, 4 * u), plot_w - w - 4 * u)
        ty = min(max(ty, 4 * u), plot_h - h - 4 * u)
        draw.text(
            (left + tx, top + ty),
            text,
            font=f_mark,
            fill=_DIVERGED,
            stroke_width=max(1, round(2 * u)),
            stroke_fill=_BACKGROUND,
        )
    f_legend = font(round(14 * u))
    for (ex, ey), tr in zip(scene.legend, scene.trajectories, strict=True):
        if tr.diverged_at is not None and step >= tr.diverged_at:
            suffix = _diverged_suffix(tr, scene.tr)
            draw.text((ex, ey), suffix, font=f_legend, fill=_DIVERGED, anchor="lm")
    counter = f"{scene.tr('step')} {step}"
    if step != scene.total:
        counter += f" / {scene.total}"
    draw.text((right, top / 2), counter, font=font(round(15 * u)), fill=_TEXT, anchor="rm")
    return image


def _frames(scene: _Scene, steps: Sequence[int]) -> Iterator[Image.Image]:
    """The pictures at ``steps`` (ascending); each path segment is drawn only once."""
    layer = scene.plot.copy()
    draw = ImageDraw.Draw(layer)
    done = 0
    for k in steps:
        _draw_paths(draw, scene, done, int(k))
        done = int(k)
        yield _compose(scene, layer, int(k))


def _picture(scene: _Scene, step: int) -> Image.Image:
    """The picture at one step (every path up to it)."""
    layer = scene.plot.copy()
    _draw_paths(ImageDraw.Draw(layer), scene, 0, step)
    return _compose(scene, layer, step)


# ----------------------------------------------------------------------------- GIF and PNG


def _shared_palette(
    pictures: Sequence[Image.Image], exact: Sequence[tuple[int, int, int]]
) -> Image.Image:
    """A 255-colour palette image: the ``exact`` colours plus the most common of ``pictures``.

    The run colours and the red of "diverged" are kept exactly (median cut alone would dull
    those small, saturated areas); index 255 stays free for the GIF writer's transparency.
    """
    exact = list(dict.fromkeys(exact))
    sample = Image.new("RGB", (pictures[0].width, pictures[0].height * len(pictures)))
    for i, picture in enumerate(pictures):
        sample.paste(picture, (0, i * picture.height))
    common = sample.quantize(colors=255 - len(exact), method=Image.Quantize.MEDIANCUT)
    rgb = common.getpalette()[: 3 * (255 - len(exact))]
    rgb += [c for color in exact for c in color]
    palette = Image.new("P", (1, 1))
    palette.putpalette(rgb)
    return palette


def to_gif(
    surface: str | Surface,
    trajectories: Sequence[Trajectory],
    labels: Sequence[str],
    params: Mapping[str, float] | None = None,
    *,
    fps: int = 15,
    max_frames: int = 80,
    size: tuple[int, int] = (640, 480),
    title: str | None = None,
    tr: plots.Translate = str,
) -> bytes:
    """An animated GIF of the race, for slides.

    Frames are the steps of ``optviz.plots.frame_steps(total, max_frames)``; each shows every
    path so far, its head, the legend, "step k" and, once a run has diverged, a red ✕ with
    "diverged at step k". All frames share one 255-colour palette (taken from the first and the
    last picture), and Pillow's GIF writer encodes them; the animation loops forever and holds
    the last frame for ``HOLD_LAST_MS`` more.

    Args:
        surface: The surface the runs used (key or ``Surface``).
        trajectories: The runs.
        labels: Legend name of each run (Chinese is fine).
        params: Surface parameters the runs used (defaults if None).
        fps: Frames per second.
        max_frames: Most frames; the first and the last step are always included.
        size: ``(width, height)`` in pixels.
        title: Title printed above the plot, or None.
        tr: Translates the picture's own words ("step", "diverged at step k").

    Returns:
        The GIF file's bytes.

    Raises:
        ValueError: If there is no trajectory, the labels do not match, or ``size`` is too small.
    """
    if not 1 <= int(fps) <= 100:
        raise ValueError(f"fps must be between 1 and 100, got {fps}")
    scene = _scene(surface, trajectories, labels, params, size, title, tr)
    steps = [int(k) for k in plots.frame_steps(scene.total, max_frames)]
    first, last = _picture(scene, steps[0]), _picture(scene, steps[-1])
    palette = _shared_palette([first, last], [*scene.colors, *_EXACT])
    frames = [
        picture.quantize(palette=palette, dither=Image.Dither.NONE)
        for picture in _frames(scene, steps)
    ]
    frame_ms = round(1000 / int(fps))
    durations = [frame_ms] * len(frames)
    durations[-1] += HOLD_LAST_MS
    buf = io.BytesIO()
    frames[0].save(
        buf,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=durations,
        loop=0,
        optimize=True,  # unchanged pixels become transparent: ~10x smaller, same pictures
    )
    return buf.getvalue()


def to_png(
    surface: str | Surface,
    trajectories: Sequence[Trajectory],
    labels: Sequence[str],
    params: Mapping[str, float] | None = None,
    *,
    step: int | None = None,
    size: tuple[int, int] = (640, 480),
    title: str | None = None,
    tr: plots.Translate = str,
) -> bytes:
    """One picture of the race (the same drawing as a GIF frame) as a PNG.

    Args:
        surface: The surface the runs used (key or ``Surface``).
        trajectories: The runs.
        labels: Legend name of each run.
        params: Surface parameters the runs used (defaults if None).
        step: Show the paths up to this step; None is the last step.
        size: ``(width, height)`` in pixels.
        title: Title printed above the plot, or None.
        tr: Translates the picture's own words ("step", "diverged at step k").

    Returns:
        The PNG file's bytes (RGB).

    Raises:
        ValueError: If ``step`` is negative or past the last step, or as ``to_gif``.
    """
    scene = _scene(surface, trajectories, labels, params, size, title, tr)
    k = scene.total if step is None else int(step)
    if not 0 <= k <= scene.total:
        raise ValueError(f"step must be between 0 and {scene.total}, got {step}")
    buf = io.BytesIO()
    _picture(scene, k).save(buf, format="PNG")
    return buf.getvalue()


MP4_BLOCK = 16  # H.264 codes 16×16 macro blocks: the video size is rounded to a multiple


def to_mp4(
    surface: str | Surface,
    trajectories: Sequence[Trajectory],
    labels: Sequence[str],
    params: Mapping[str, float] | None = None,
    *,
    fps: int = 25,
    max_frames: int = 150,
    size: tuple[int, int] = (640, 480),
    title: str | None = None,
    tr: plots.Translate = str,
) -> bytes:
    """The race as an H.264 MP4 video (the GIF's frames, in full colour), for slide decks.

    Frames are the steps of ``optviz.plots.frame_steps(total, max_frames)``, drawn exactly as
    the GIF's; the last one is held for ``HOLD_LAST_MS``. imageio-ffmpeg pipes them to its
    bundled ffmpeg (libx264, yuv420p, ``+faststart``), which browsers, PowerPoint and Keynote
    play.

    Args:
        surface: The surface the runs used (key or ``Surface``).
        trajectories: The runs.
        labels: Legend name of each run.
        params: Surface parameters the runs used (defaults if None).
        fps: Frames per second.
        max_frames: Most distinct frames; the first and the last step are always included.
        size: ``(width, height)`` in pixels, rounded to multiples of 16.
        title: Title printed above the plot, or None.
        tr: Translates the picture's own words ("step", "diverged at step k").

    Returns:
        The MP4 file's bytes.

    Raises:
        ValueError: As ``to_gif``.
    """
    import tempfile
    import warnings

    import imageio_ffmpeg

    if not 1 <= int(fps) <= 60:
        raise ValueError(f"fps must be between 1 and 60, got {fps}")
    width, height = (max(MP4_BLOCK, round(int(v) / MP4_BLOCK) * MP4_BLOCK) for v in size)
    scene = _scene(surface, trajectories, labels, params, (width, height), title, tr)
    steps = [int(k) for k in plots.frame_steps(scene.total, max_frames)]
    hold = max(round(HOLD_LAST_MS / 1000 * int(fps)), 1)  # repeats of the last frame
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        # JAX warns on any fork; subprocess forks and at once execs ffmpeg, which is safe
        warnings.filterwarnings("ignore", r"os\.fork\(\) was called", RuntimeWarning)
        path = Path(folder) / "race.mp4"
        writer = imageio_ffmpeg.write_frames(
            str(path),
            (width, height),
            fps=int(fps),
            codec="libx264",
            macro_block_size=MP4_BLOCK,
            ffmpeg_log_level="error",
            output_params=["-movflags", "+faststart"],
        )
        writer.send(None)  # start ffmpeg
        picture = None
        for picture in _frames(scene, steps):
            writer.send(np.asarray(picture.convert("RGB")))
        for _ in range(hold):
            writer.send(np.asarray(picture.convert("RGB")))
        writer.close()
        return path.read_bytes()


# ----------------------------------------------------------------------------- CSV and JSON


def _short(value: Any) -> float | None:
    """The shortest decimal that reads back as the same float32 (None for NaN and ±inf)."""
    v = np.float32(value)
    return float(str(v)) if np.isfinite(v) else None


def _cell(value: Any) -> str:
    """A CSV cell: the shortest float32 decimal, empty for NaN."""
    v = np.float32(value)
    if np.isnan(v):
        return ""
    return str(v)


def _state_names(trajectories: Sequence[Trajectory]) -> list[str]:
    """Every state entry of the runs, in order of first appearance."""
    names: list[str] = []
    for tr in trajectories:
        names += [name for name in tr.state if name not in names]
    return names


def to_csv(trajectories: Sequence[Trajectory], labels: Sequence[str]) -> str:
    """The runs in long format: one row per run and point.

    Columns: ``optimizer`` (the label), ``step``, ``x``, ``y``, ``loss``, ``lr`` (the learning
    rate of the step that leaves that point; empty on the last row), ``grad_x``, ``grad_y``
    (the true gradient there), then ``<name>_x``, ``<name>_y`` for every optimizer state entry
    of any run (empty for runs without it). Points after a divergence are empty cells. Numbers
    are the shortest decimals that read back as the same float32.

    Args:
        trajectories: The runs.
        labels: Name of each run (the ``optimizer`` column).

    Returns:
        CSV text with a header row and Unix line ends.
    """
    if len(trajectories) != len(labels):
        raise ValueError(f"{len(trajectories)} trajectories but {len(labels)} labels")
    names = _state_names(trajectories)
    header = ["optimizer", "step", "x", "y", "loss", "lr", "grad_x", "grad_y"]
    header += [f"{name}_{axis}" for name in names for axis in "xy"]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for tr, lab in zip(trajectories, labels, strict=True):
        for t in range(len(tr.xy)):
            row = [str(lab), str(t), _cell(tr.xy[t, 0]), _cell(tr.xy[t, 1]), _cell(tr.loss[t])]
            row.append(_cell(tr.lr[t]) if t < len(tr.lr) else "")
            row += [_cell(tr.grad[t, 0]), _cell(tr.grad[t, 1])]
            for name in names:
                values = tr.state.get(name)
                row += ["", ""] if values is None else [_cell(values[t, 0]), _cell(values[t, 1])]
            writer.writerow(row)
    return buf.getvalue()


def _as_lists(a: np.ndarray) -> list:
    """A float array as nested lists of shortest float32 decimals (NaN -> None)."""
    a = np.asarray(a, np.float32)
    if a.ndim == 0:
        return _short(a)
    return [_as_lists(row) for row in a] if a.ndim > 1 else [_short(v) for v in a]


def to_json(trajectories: Sequence[Trajectory], labels: Sequence[str]) -> str:
    """The runs as a JSON list, one object per run.

    Each object has ``label``, ``optimizer`` (key), ``surface`` (key), ``hparams`` (every
    hyperparameter, defaults filled in), ``steps``, ``diverged_at`` and ``diverged_reason``
    (null if it never diverged), and the arrays as (nested) lists: ``xy``, ``loss``, ``grad``,
    ``grad_used``, ``update``, ``lr`` and ``state`` (name -> list of [x, y]). NaN is null;
    numbers are the shortest decimals that read back as the same float32.

    Args:
        trajectories: The runs.
        labels: Name of each run.

    Returns:
        JSON text (UTF-8 characters kept, no NaN literals).
    """
    if len(trajectories) != len(labels):
        raise ValueError(f"{len(trajectories)} trajectories but {len(labels)} labels")
    runs = []
    for tr, lab in zip(trajectories, labels, strict=True):
        runs.append(
            {
                "label": str(lab),
                "optimizer": tr.optimizer,
                "surface": tr.surface,
                "hparams": {
                    k: bool(v) if isinstance(v, bool | np.bool_) else _short(v)
                    for k, v in tr.hparams.items()
                },
                "steps": tr.steps,
                "diverged_at": tr.diverged_at,
                "diverged_reason": tr.diverged_reason,
                "xy": _as_lists(tr.xy),
                "loss": _as_lists(tr.loss),
                "grad": _as_lists(tr.grad),
                "grad_used": _as_lists(tr.grad_used),
                "update": _as_lists(tr.update),
                "lr": _as_lists(tr.lr),
                "state": {name: _as_lists(v) for name, v in tr.state.items()},
            }
        )
    return json.dumps(runs, ensure_ascii=False, allow_nan=False)


# ----------------------------------------------------------------------------- code snippets


def _py(value: Any) -> str:
    """A Python literal for ``value``: floats as their shortest float32 decimal."""
    if isinstance(value, bool | np.bool_):
        return "True" if value else "False"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        short = _short(value)
        if short is None:
            v = float(value)
            return 'float("nan")' if math.isnan(v) else f'float("{"-" if v < 0 else ""}inf")'
        return repr(short)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a valid Python string literal
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_py(k)}: {_py(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_py(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(_py(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    raise TypeError(f"cannot write {type(value).__name__} as a literal")


def _same(a: Any, b: Any) -> bool:
    """Whether two hyperparameter values are the same after the engine's float32 cast."""
    if isinstance(a, bool | np.bool_) or isinstance(b, bool | np.bool_):
        return bool(a) == bool(b)
    return bool(np.float32(a) == np.float32(b))


@dataclasses.dataclass(frozen=True)
class _Run:
    """The arguments of one ``optviz.run`` call, validated and normalised."""

    optimizer: str
    surf: Surface
    start: tuple[float, float]
    steps: int
    hparams: dict[str, Any]  # every hyperparameter (defaults filled in)
    changed: dict[str, Any]  # the ones that differ from the defaults, ``lr`` always
    schedule: dict[str, Any] | None  # {"kind": ..., non-default params}, None when constant
    schedule_kind: str
    schedule_values: dict[str, float]  # every schedule parameter, total_steps and warmup
    noise: float
    seed: int
    clip: dict[str, Any] | None
    surface_params: dict[str, float]  # every surface parameter (defaults filled in)
    surface_changed: dict[str, float]


def _normalise(
    optimizer, surface, start, steps, hparams, schedule, noise, seed, clip, surface_params
) -> _Run:
    """Validates the arguments of a run the way ``optviz.run`` does and normalises them."""
    spec = get_optimizer(optimizer)
    surf = get_surface(surface)
    if surf.key != "formula" and not _named(surf):
        raise ValueError(
            "only surfaces named by a key (the registry, data: and landscape: keys) and "
            "compile_formula surfaces can be written"
        )
    full = spec.resolve(hparams)
    defaults = spec.defaults()
    changed = {k: v for k, v in full.items() if k == "lr" or not _same(v, defaults[k])}
    steps = int(steps)
    sched = dict(schedule or {})
    kind = sched.pop("kind", "constant")
    values = resolve_schedule(kind, sched, sched.get("total_steps", steps))
    defaults_s = resolve_schedule(kind, None, steps)
    kept = {k: v for k, v in values.items() if not _same(v, defaults_s[k])}
    schedule_out = None if kind == "constant" and not kept else {"kind": kind, **kept}
    clip_out = None
    if clip:
        clip_out = {"kind": clip.get("kind"), "max": float(clip.get("max", 1.0))}
        if clip_out["kind"] not in ("value", "norm"):
            raise KeyError(f"unknown clipping {clip_out['kind']!r}; use 'value' or 'norm'")
    coeffs = surf.resolve_params(surface_params)
    base = surf.default_params()
    surface_changed = {k: v for k, v in coeffs.items() if not _same(v, base[k])}
    point = surf.start if start is None else start
    return _Run(
        optimizer=spec.key,
        surf=surf,
        start=(float(point[0]), float(point[1])),
        steps=steps,
        hparams=full,
        changed=changed,
        schedule=schedule_out,
        schedule_kind=kind,
        schedule_values=values,
        noise=float(noise),
        seed=int(seed),
        clip=clip_out,
        surface_params=coeffs,
        surface_changed=surface_changed,
    )


def _named(surf: Surface) -> bool:
    """Whether ``optviz.get_surface(surf.key)`` gives back this very surface."""
    try:
        return get_surface(surf.key) is surf
    except KeyError:
        return False


def _formula_line(surf: Surface) -> str:
    """``surface = optviz.compile_formula("...")`` for a formula surface."""
    window = "" if surf.bounds == DEFAULT_BOUNDS else f", bounds={_py(surf.bounds)}"
    return f"surface = optviz.compile_formula({_py(surf.name)}{window})"


def code_snippet(
    optimizer: str,
    surface: str | Surface,
    start: Sequence[float] | None,
    steps: int,
    hparams: Mapping[str, Any] | None,
    schedule: Mapping[str, Any] | None = None,
    noise: float = 0.0,
    seed: int = 0,
    clip: Mapping[str, Any] | None = None,
    surface_params: Mapping[str, float] | None = None,
) -> str:
    """A short Python snippet that reproduces the run with ``optviz.run``, exactly.

    The optimizer, surface, start and number of steps are always written; every other argument
    only when it differs from its default (hyperparameters: those that differ from the
    optimizer's defaults, and ``lr``; ``seed`` only with noise). Floats are written as their
    shortest float32 decimals, which the engine reads back bit for bit. A formula surface is
    rebuilt with ``optviz.compile_formula``.

    Args:
        optimizer: A key of ``optviz.OPTIMIZERS``.
        surface: A key of ``optviz.SURFACES`` or a ``Surface`` from ``compile_formula``.
        start: Start point, or None for the surface's default start.
        steps: Number of steps.
        hparams: Hyperparameters (missing ones are the optimizer's defaults).
        schedule: As in ``optviz.run``.
        noise: As in ``optviz.run``.
        seed: As in ``optviz.run``.
        clip: As in ``optviz.run``.
        surface_params: As in ``optviz.run``.

    Returns:
        Python source: imports, one ``optviz.run`` call assigned to ``traj``, and a print.

    Raises:
        KeyError: For an unknown optimizer, surface, schedule, clipping or parameter name.
        ValueError: For a ``Surface`` that is neither registered nor a compiled formula.
    """
    run = _normalise(
        optimizer, surface, start, steps, hparams, schedule, noise, seed, clip, surface_params
    )
    lines = ["import optviz", ""]
    surface_arg = _py(run.surf.key)
    if run.surf.key == "formula":
        lines.append(_formula_line(run.surf))
        surface_arg = "surface"
    args = [
        f"optimizer={_py(run.optimizer)}",
        f"surface={surface_arg}",
        f"start={_py(run.start)}",
        f"steps={run.steps}",
        f"hparams={_py(run.changed)}",
    ]
    if run.schedule is not None:
        args.append(f"schedule={_py(run.schedule)}")
    if run.noise != 0:
        args += [f"noise={_py(run.noise)}", f"seed={run.seed}"]
    if run.clip is not None:
        args.append(f"clip={_py(run.clip)}")
    if run.surface_changed:
        args.append(f"surface_params={_py(run.surface_changed)}")
    lines.append("traj = optviz.run(")
    lines += [f"    {arg}," for arg in args]
    lines.append(")")
    lines.append("print(traj.xy[-1], traj.loss[-1], traj.diverged_at)")
    return "\n".join(lines) + "\n"


#: Our hyperparameter names -> optax's argument names.
OPTAX_NAMES = {
    "lr": "learning_rate",
    "beta1": "b1",
    "beta2": "b2",
    "eps": "eps",
    "momentum": "momentum",
    "gamma": "decay",
    "rho": "rho",
    "weight_decay": "weight_decay",
}
#: Extra optax arguments that pin optax to our convention.
OPTAX_EXTRA = {
    "nesterov": {"nesterov": True},
    "adagrad": {"initial_accumulator_value": 0.0},
}


def _optax_schedule(run: _Run) -> tuple[list[str], list[str]] | None:
    """(imports, lines) defining ``schedule``, an optax schedule equal to ours; None if constant.

    Cosine, exponential and step decay without warm-up use optax's own schedules; every other
    case calls optviz's schedule function, which is a valid optax schedule (step -> rate).
    """
    if run.schedule is None:
        return None
    kind, c, lr = run.schedule_kind, run.schedule_values, run.hparams["lr"]
    total = c["total_steps"]
    native = None
    if c["warmup"] == 0 and kind == "cosine" and total == int(total) and total >= 1 and lr != 0:
        alpha = float(np.float32(c["lr_min"])) / float(np.float32(lr))
        native = (
            f"optax.cosine_decay_schedule(init_value={_py(lr)}, decay_steps={int(total)}, "
            f"alpha={alpha!r})"
        )
    elif c["warmup"] == 0 and kind == "exponential" and c["beta"] >= 0:
        native = (
            f"optax.exponential_decay(init_value={_py(lr)}, transition_steps=1, "
            f"decay_rate={_py(c['beta'])})"
        )
    elif c["warmup"] == 0 and kind == "step" and c["step_size"] == int(c["step_size"]):
        if c["step_size"] >= 1 and c["gamma"] >= 0:
            native = (
                f"optax.exponential_decay(init_value={_py(lr)}, "
                f"transition_steps={int(c['step_size'])}, decay_rate={_py(c['gamma'])}, "
                "staircase=True)"
            )
    if native is not None:
        return [], [f"schedule = {native}"]
    return ["from optviz.schedules import learning_rate"], [
        "def schedule(count):",
        f'    """optviz\'s {kind!r} learning rate at the 0-based step ``count``."""',
        f"    return learning_rate({_py(kind)}, count, {_py(lr)}, {_py(c)})",
        "",
        "",
    ]


def optax_snippet(
    optimizer: str,
    surface: str | Surface,
    start: Sequence[float] | None,
    steps: int,
    hparams: Mapping[str, Any] | None,
    schedule: Mapping[str, Any] | None = None,
    noise: float = 0.0,
    seed: int = 0,
    clip: Mapping[str, Any] | None = None,
    surface_params: Mapping[str, float] | None = None,
) -> str | None:
    """The same run written with optax: its optimizer in a jitted ``lax.scan`` on the surface.

    Our names map to optax's (``lr`` -> ``learning_rate``, ``beta1``/``beta2`` -> ``b1``/``b2``,
    RMSProp's ``gamma`` -> ``decay``, ...); momentum and Nesterov are ``optax.sgd`` with
    ``momentum`` (and ``nesterov=True``), AdaGrad starts its accumulator at 0. Clipping is an
    ``optax.clip`` / ``optax.clip_by_global_norm`` in front of the optimizer, gradient noise
    is drawn exactly as the engine draws it, and a schedule becomes an optax schedule.

    Args:
        optimizer: A key of ``optviz.OPTIMIZERS``.
        surface: A key of ``optviz.SURFACES`` or a ``Surface`` from ``compile_formula``.
        start: Start point, or None for the surface's default start.
        steps: Number of steps.
        hparams: Hyperparameters (missing ones are the optimizer's defaults).
        schedule: As in ``optviz.run``.
        noise: As in ``optviz.run``.
        seed: As in ``optviz.run``.
        clip: As in ``optviz.run``.
        surface_params: As in ``optviz.run``.

    Returns:
        Python source that leaves the points ``(steps + 1, 2)`` in ``xy``, or None when optax
        has no rule with our convention (Newton's method, momentum with dampening ≠ 0, Adam
        without bias correction).
    """
    run = _normalise(
        optimizer, surface, start, steps, hparams, schedule, noise, seed, clip, surface_params
    )
    spec = get_optimizer(run.optimizer)
    hp = run.hparams
    if spec.optax is None:
        return None
    if run.optimizer == "momentum" and not _same(hp["dampening"], 0.0):
        return None
    if not hp.get("bias_correction", True):
        return None
    sched = _optax_schedule(run)
    imports, schedule_lines = sched if sched is not None else ([], [])
    args = {"learning_rate": "schedule" if sched is not None else _py(hp["lr"])}
    for name, value in hp.items():
        if name in OPTAX_NAMES and name != "lr":
            args[OPTAX_NAMES[name]] = _py(value)
    args.update({k: _py(v) for k, v in OPTAX_EXTRA.get(run.optimizer, {}).items()})
    call = ", ".join(f"{k}={v}" for k, v in args.items())

    lines = ["import jax", "import jax.numpy as jnp", "import optax", ""]
    if run.surf.key == "formula":
        lines += ["import optviz", *imports, "", _formula_line(run.surf), "params = {}"]
    else:
        if run.surf.key in SURFACES:
            lines += [*imports, "from optviz.surfaces import SURFACES", ""]
            lines.append(f"surface = SURFACES[{_py(run.surf.key)}]")
        else:  # a data or landscape key: optviz builds that surface from its key
            lines += ["import optviz", *imports, ""]
            lines.append(f"surface = optviz.get_surface({_py(run.surf.key)})")
        lines.append(f"params = {_py(run.surface_params)}  # surface parameters")
    lines += [
        "",
        "",
        "def f(p):",
        '    """The loss surface, a jnp function of the point p = (x, y)."""',
        "    return surface.fn(p, params)",
        "",
        "",
        *schedule_lines,
    ]
    lines.append(f"opt = optax.{spec.optax}({call})")
    if run.clip is not None:
        if run.clip["kind"] == "value":
            clipper = f"optax.clip({_py(run.clip['max'])})"  # g = max(min(g, b), -b)
        else:
            clipper = f"optax.clip_by_global_norm({_py(run.clip['max'])})"
        lines.append(f"opt = optax.chain({clipper}, opt)  # clip the gradient first")
    lines.append(f"steps = {run.steps}")
    noisy = run.noise != 0
    if noisy:
        lines.append(f"noise, key = {_py(run.noise)}, jax.random.PRNGKey({run.seed})")
    lines += [
        "",
        "",
        "@jax.jit",
        "def race(x0):",
        '    """All the steps in one lax.scan; returns the points, row 0 is the start."""',
        "",
        "    def step(carry, t):",
        "        x, state = carry",
        "        g = jax.grad(f)(x)",
    ]
    if noisy:
        lines.append(
            "        g = g + noise * jax.random.normal(jax.random.fold_in(key, t), (2,))"
            "  # mini-batch noise"
        )
    lines += [
        "        updates, state = opt.update(g, state, x)",
        "        x = optax.apply_updates(x, updates)",
        "        return (x, state), x",
        "",
        "    _, xs = jax.lax.scan(step, (x0, opt.init(x0)), jnp.arange(steps))",
        "    return jnp.concatenate([x0[None], xs])",
        "",
        "",
        f"xy = race(jnp.array({_py(list(run.start))}, jnp.float32))",
        "print(xy[-1])",
    ]
    return "\n".join(lines) + "\n"
