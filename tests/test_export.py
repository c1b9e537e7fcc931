"""Exports: GIF / PNG drawn with Pillow, offline HTML, CSV, JSON and the code snippets."""

import csv
import io
import json
import math
import re

import numpy as np
import pytest
from PIL import Image, ImageChops

import optviz
from optviz import export, plots

PLAY = re.compile("^▶$")  # the Play button: an icon, like ❚❚, ❚◀ and ▶❚

STEPS = 20
START = (-5.0, -2.0)


@pytest.fixture(scope="module")
def runs():
    """d2l's quadratic: GD η=0.4 converges, momentum zig-zags less, GD η=0.6 diverges."""
    return [
        optviz.run("sgd", "quadratic", start=START, steps=STEPS, hparams={"lr": 0.4}),
        optviz.run("momentum", "quadratic", start=START, steps=STEPS, hparams={"lr": 0.4}),
        optviz.run("sgd", "quadratic", start=START, steps=STEPS, hparams={"lr": 0.6}),
    ]


LABELS = ["GD η=0.4", "动量法", "GD η=0.6"]


def frames_of(data: bytes) -> list[Image.Image]:
    """Every frame of a GIF, decoded to RGB."""
    gif = Image.open(io.BytesIO(data))
    out = []
    for i in range(gif.n_frames):
        gif.seek(i)
        out.append(gif.convert("RGB"))
    return out


def is_diverged_red(image: Image.Image) -> int:
    """How many pixels are (almost exactly) the red of the ✕ and its text."""
    a = np.asarray(image.convert("RGB")).astype(int)
    red = np.array(export._DIVERGED)
    return int((np.abs(a - red).sum(axis=-1) < 30).sum())


# ----------------------------------------------------------------------------- GIF and PNG


def test_gif_is_a_valid_animation(runs):
    assert runs[2].diverged_at is not None and runs[0].diverged_at is None
    data = export.to_gif("quadratic", runs, LABELS, fps=10, title="d2l 病态二次函数")
    gif = Image.open(io.BytesIO(data))
    assert gif.format == "GIF" and gif.is_animated
    assert gif.n_frames == len(plots.frame_steps(STEPS, 80)) == STEPS + 1
    assert gif.size == (640, 480)
    assert gif.info["loop"] == 0
    assert gif.info["duration"] == 100  # 10 fps
    frames = frames_of(data)
    assert ImageChops.difference(frames[0], frames[-1]).getbbox() is not None
    # nothing red before the run diverges, the ✕ and "diverged at step k" at the end
    assert is_diverged_red(frames[0]) == 0
    assert is_diverged_red(frames[-1]) > 50


def test_gif_frames_are_the_drawn_pictures(runs):
    """The GIF writer keeps every picture: each decoded frame equals the drawn one."""
    data = export.to_gif("quadratic", runs, LABELS, max_frames=6, size=(320, 240))
    frames = frames_of(data)
    steps = plots.frame_steps(STEPS, 6)
    assert len(frames) == len(steps) == 6
    scene = export._scene("quadratic", runs, LABELS, None, (320, 240), None)
    palette = export._shared_palette(
        [export._picture(scene, 0), export._picture(scene, STEPS)],
        [*scene.colors, *export._EXACT],
    )
    pictures = export._frames(scene, [int(k) for k in steps])
    for frame, picture, k in zip(frames, pictures, steps, strict=True):
        want = picture.quantize(palette=palette, dither=Image.Dither.NONE).convert("RGB")
        assert ImageChops.difference(frame, want).getbbox() is None, k
    assert frames[0].size == (320, 240)


def test_png_is_one_frame(runs):
    last = Image.open(io.BytesIO(export.to_png("quadratic", runs, LABELS)))
    assert last.format == "PNG" and last.size == (640, 480) and last.mode == "RGB"
    first = Image.open(io.BytesIO(export.to_png("quadratic", runs, LABELS, step=0)))
    assert ImageChops.difference(first.convert("RGB"), last).getbbox() is not None
    assert is_diverged_red(last) > 50 and is_diverged_red(first) == 0
    with pytest.raises(ValueError, match="step"):
        export.to_png("quadratic", runs, LABELS, step=STEPS + 1)


def test_bad_arguments_raise(runs):
    with pytest.raises(ValueError, match="labels"):
        export.to_gif("quadratic", runs, LABELS[:2])
    with pytest.raises(ValueError, match="size"):
        export.to_png("quadratic", runs, LABELS, size=(50, 50))
    with pytest.raises(ValueError, match="not on"):
        export.to_png("rosenbrock", runs, LABELS)
    with pytest.raises(ValueError, match="fps"):
        export.to_gif("quadratic", runs, LABELS, fps=0)


def test_chinese_label_renders(runs):
    """Noto Sans CJK draws 动量法 as real glyphs (not boxes) in the legend."""
    assert export.CJK_FONT.exists(), "install Debian's fonts-noto-cjk"
    face = export.font(14)
    assert "CJK" in face.getname()[0]
    masks = [np.asarray(face.getmask(ch)) for ch in "动量法"]
    assert all(m.any() for m in masks)
    assert not np.array_equal(masks[0], masks[1])  # a missing glyph is the same box each time

    def legend(label):
        png = export.to_png("quadratic", runs[1:2], [label], size=(640, 480))
        image = Image.open(io.BytesIO(png)).convert("L")
        return np.asarray(image)[-30:, 30:200]  # the legend row, right of the swatch

    text = legend("动量法")
    blank = legend(" ")
    assert (blank > 250).all()  # only background there without text
    assert (text < 128).sum() > 40  # dark strokes of the three characters


# ----------------------------------------------------------------------------- HTML


def test_html_is_self_contained_with_frames(runs):
    fig = plots.trajectory_figure("quadratic", runs, LABELS, clickable=False)
    html = export.to_html(fig)
    assert html.lstrip().lower().startswith(("<!doctype html>", "<html"))
    assert len(html) > 3_000_000  # plotly.js itself is inlined
    assert not re.findall(r"<script[^>]*\ssrc=", html)  # nothing loaded from elsewhere
    assert "Plotly.addFrames" in html
    missing = [int(k) for k in plots.frame_steps(STEPS, 150) if f'"name":"{k}"' not in html]
    assert not missing
    assert "动量法" in html[-200_000:]  # in the figure, after plotly.js


@pytest.mark.browser
def test_html_plays_offline_in_chromium(runs, tmp_path, page):
    fig = plots.trajectory_figure("quadratic", runs, LABELS, clickable=False)
    path = tmp_path / "race.html"
    path.write_text(export.to_html(fig), encoding="utf-8")
    requests = []

    def offline(route):
        requests.append(route.request.url)
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", offline)
    page.goto(path.as_uri())
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    current = "document.querySelector('.js-plotly-plot')._fullLayout._currentFrame"
    assert page.evaluate(current) in (None, "", "0")
    page.locator(".updatemenu-button", has_text="▶❚").first.click()  # the step script is in
    page.wait_for_function(f"{current} === '1'", timeout=30_000)
    page.locator(".updatemenu-button", has_text=PLAY).first.click()
    page.wait_for_function(f"{current} === '{STEPS}'", timeout=30_000)
    page.locator(".updatemenu-button", has_text="❚◀").first.click()
    page.wait_for_function(f"{current} === '{STEPS - 1}'", timeout=30_000)
    assert all(url.startswith("file:") for url in requests)


# ----------------------------------------------------------------------------- MP4

#: ffmpeg runs as a subprocess; JAX warns on every fork, harmless when exec follows at once.
FORK_OK = pytest.mark.filterwarnings(r"ignore:os\.fork\(\) was called:RuntimeWarning")


@pytest.fixture(scope="module")
def mp4(runs, tmp_path_factory):
    """The race as an MP4 file (25 fps) and its path."""
    path = tmp_path_factory.mktemp("mp4") / "race.mp4"
    path.write_bytes(export.to_mp4("quadratic", runs, LABELS, fps=25))
    return path


@FORK_OK
def test_mp4_has_every_frame_and_the_hold(mp4):
    import imageio_ffmpeg

    data = mp4.read_bytes()
    assert data[4:8] == b"ftyp"  # an ISO media file
    assert data.find(b"moov") < data.find(b"mdat")  # +faststart: plays while downloading
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(mp4))
    hold = round(export.HOLD_LAST_MS / 1000 * 25)
    assert frames == len(plots.frame_steps(STEPS, 150)) + hold == STEPS + 1 + hold
    assert seconds == pytest.approx(frames / 25, abs=0.05)


def decoded_frames(path, width: int, height: int) -> np.ndarray:
    """Every frame of a video as RGB, decoded by the ffmpeg that imageio-ffmpeg ships."""
    import subprocess

    import imageio_ffmpeg

    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path)]
    command += ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    raw = subprocess.run(command, capture_output=True, check=True).stdout
    assert len(raw) % (width * height * 3) == 0, "the frames are not width × height"
    return np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3).astype(int)


@FORK_OK
def test_mp4_frames_show_the_drawn_pictures(runs, mp4):
    """The first and last decoded frames look like the pictures drawn for the GIF."""
    decoded = decoded_frames(mp4, 640, 480)
    scene = export._scene("quadratic", runs, LABELS, None, (640, 480), None)
    first = np.asarray(export._picture(scene, 0)).astype(int)
    last = np.asarray(export._picture(scene, STEPS)).astype(int)
    assert np.abs(decoded[0] - first).mean() < 4  # lossy H.264: close, not equal
    assert np.abs(decoded[-1] - last).mean() < 4
    assert np.abs(decoded[0] - last).mean() > np.abs(decoded[-1] - last).mean()


@FORK_OK
def test_mp4_size_is_rounded_to_macro_blocks(runs, tmp_path):
    path = tmp_path / "small.mp4"
    path.write_bytes(export.to_mp4("quadratic", runs[:1], LABELS[:1], size=(650, 470)))
    assert decoded_frames(path, 656, 464).shape[1:] == (464, 656, 3)
    with pytest.raises(ValueError, match="fps"):
        export.to_mp4("quadratic", runs[:1], LABELS[:1], fps=0)


@pytest.mark.browser
def test_mp4_plays_in_chromium(mp4, page):
    page.goto(mp4.as_uri())
    ready = page.evaluate(
        """() => new Promise(done => {
            const v = document.querySelector('video');
            const report = () => done({w: v.videoWidth, h: v.videoHeight, d: v.duration});
            if (v.readyState >= 2) report(); else v.addEventListener('loadeddata', report);
            v.addEventListener('error', () => done({error: v.error.code}));
        })"""
    )
    assert ready["w"] == 640 and ready["h"] == 480 and ready["d"] > 1.0, ready


def test_pictures_speak_the_readers_language(runs):
    """With a translator the step counter and "diverged at step k" are drawn in Chinese."""
    words = {"step": "步", "diverged at step {k}": "第 {k} 步发散"}
    scene = export._scene(
        "quadratic", runs, LABELS, None, (640, 480), None, lambda s: words.get(s, s)
    )
    assert scene.tr("diverged at step {k}").format(k=3) == "第 3 步发散"
    english = export._scene("quadratic", runs, LABELS, None, (640, 480), None)
    chinese, plain = export._picture(scene, STEPS), export._picture(english, STEPS)
    assert ImageChops.difference(chinese, plain).getbbox() is not None  # the words differ
    assert export._diverged_suffix(runs[2], scene.tr) == f"  第 {runs[2].diverged_at} 步发散"


# ----------------------------------------------------------------------------- CSV and JSON


def cell(value):
    """A CSV cell back as float32 (NaN for an empty cell)."""
    return np.float32(value) if value != "" else np.float32(np.nan)


def test_csv_columns_and_values_equal_the_run(runs):
    text = export.to_csv(runs, LABELS)
    rows = list(csv.DictReader(io.StringIO(text)))
    header = next(csv.reader(io.StringIO(text)))
    states = ["effective_lr", "velocity"]  # sgd's, then momentum's new one
    assert header == ["optimizer", "step", "x", "y", "loss", "lr", "grad_x", "grad_y"] + [
        f"{name}_{axis}" for name in states for axis in "xy"
    ]
    assert len(rows) == sum(len(tr.xy) for tr in runs)
    i = 0
    for tr, label in zip(runs, LABELS, strict=True):
        for t in range(len(tr.xy)):
            row = rows[i]
            i += 1
            assert row["optimizer"] == label and int(row["step"]) == t
            got = [cell(row[c]) for c in ("x", "y", "loss", "grad_x", "grad_y")]
            want = [tr.xy[t, 0], tr.xy[t, 1], tr.loss[t], tr.grad[t, 0], tr.grad[t, 1]]
            np.testing.assert_array_equal(got, np.asarray(want, np.float32))
            if t < tr.steps:
                assert cell(row["lr"]) == tr.lr[t]
            else:
                assert row["lr"] == ""  # no step leaves the last point
            for name in states:
                if name in tr.state:
                    pair = [cell(row[f"{name}_x"]), cell(row[f"{name}_y"])]
                    np.testing.assert_array_equal(pair, tr.state[name][t])
                else:
                    assert row[f"{name}_x"] == row[f"{name}_y"] == ""
    diverged = runs[2]
    after = [r for r in rows if r["optimizer"] == LABELS[2]][diverged.diverged_at :]
    assert after and all(r["x"] == r["y"] == r["loss"] == "" for r in after)


def nan_array(value):
    """Nested lists with None -> float32 array with NaN."""
    if isinstance(value, list):
        return np.array([nan_array(v) for v in value], np.float32)
    return np.float32(np.nan if value is None else value)


def test_json_round_trip(runs):
    text = export.to_json(runs, LABELS)
    assert "NaN" not in text and "Infinity" not in text
    data = json.loads(text)
    assert isinstance(data, list) and len(data) == len(runs)
    for run, tr, label in zip(data, runs, LABELS, strict=True):
        assert run["label"] == label
        assert run["optimizer"] == tr.optimizer and run["surface"] == "quadratic"
        assert run["steps"] == STEPS and run["diverged_at"] == tr.diverged_at
        assert run["diverged_reason"] == tr.diverged_reason
        assert run["hparams"] == {k: float(str(np.float32(v))) for k, v in tr.hparams.items()}
        for name in ("xy", "loss", "grad", "grad_used", "update", "lr"):
            np.testing.assert_array_equal(nan_array(run[name]), getattr(tr, name), err_msg=name)
        assert run["state"].keys() == tr.state.keys()
        for name, values in tr.state.items():
            np.testing.assert_array_equal(nan_array(run["state"][name]), values)
    assert data[2]["xy"][-1] == [None, None]  # NaN after the divergence is null


def test_json_keeps_flags_as_booleans():
    tr = optviz.run("adam", "quadratic", steps=3, hparams={"bias_correction": False})
    run = json.loads(export.to_json([tr], ["Adam"]))[0]
    assert run["hparams"]["bias_correction"] is False
    assert run["hparams"]["eps"] == 1e-8


# ----------------------------------------------------------------------------- code snippets

SNIPPETS = [
    dict(
        optimizer="adam",
        surface="rosenbrock",
        start=(-1.5, 2.0),
        steps=30,
        hparams={"lr": 0.01, "beta1": 0.8},
    ),
    dict(
        optimizer="momentum",
        surface="quadratic",
        start=(-4.0, -2.0),
        steps=25,
        hparams={"lr": 0.05, "momentum": 0.5},
        surface_params={"kappa": 10.0, "angle": 30.0},
    ),
    dict(
        optimizer="rmsprop",
        surface="himmelblau",
        start=(0.5, 0.5),
        steps=25,
        hparams={"lr": 0.01, "gamma": 0.8},
        schedule={"kind": "cosine"},
        noise=0.3,
        seed=4,
        clip={"kind": "norm", "max": 1.0},
    ),
    dict(
        optimizer="adagrad",
        surface="formula",  # replaced by a compiled formula below
        start=(1.0, 1.0),
        steps=25,
        hparams={"lr": 0.3},
        schedule={"kind": "sgdr", "period": 10},
        clip={"kind": "value", "max": 0.5},
    ),
    dict(
        optimizer="nesterov",
        surface="flat_sharp",
        start=None,
        steps=25,
        hparams={"lr": 0.02},
        schedule={"kind": "step", "step_size": 5, "gamma": 0.7},
    ),
    dict(
        optimizer="lion",
        surface="quadratic",
        start=(-4.0, -2.0),
        steps=25,
        hparams={"lr": 0.05, "weight_decay": 0.1},
        schedule={"kind": "exponential", "beta": 0.95},
    ),
    dict(
        optimizer="adadelta",
        surface="quadratic",
        start=(-4.0, -2.0),
        steps=25,
        hparams={},
        schedule={"kind": "cosine", "warmup": 5},
    ),
    dict(optimizer="adamw", surface="beale", start=(1.0, 1.5), steps=25, hparams={"lr": 0.01}),
]


def snippet_args(case):
    args = dict(case)
    if args["surface"] == "formula":
        args["surface"] = optviz.compile_formula("x^2 + 3*y^2", bounds=((-2, 2), (-1.5, 2.5)))
    return args


def run_code(source):
    """Executes generated code in a fresh namespace (our own code, written by export)."""
    namespace = {"__name__": "snippet"}
    exec(compile(source, "<snippet>", "exec"), namespace)
    return namespace


@pytest.mark.parametrize("case", SNIPPETS, ids=lambda c: f"{c['optimizer']}-{c['surface']}")
def test_code_snippet_reproduces_the_run_exactly(case):
    args = snippet_args(case)
    source = export.code_snippet(**args)
    assert source.startswith("import optviz\n")
    ref = optviz.run(**args)
    traj = run_code(source)["traj"]
    np.testing.assert_array_equal(traj.xy, ref.xy)
    assert traj.diverged_at == ref.diverged_at


@pytest.mark.parametrize("case", SNIPPETS, ids=lambda c: f"{c['optimizer']}-{c['surface']}")
def test_optax_snippet_reproduces_the_run(case):
    args = snippet_args(case)
    source = export.optax_snippet(**args)
    assert source is not None and "import optax" in source
    ref = optviz.run(**args)
    xy = np.asarray(run_code(source)["xy"])
    assert xy.shape == ref.xy.shape
    n = ref.last_valid + 1
    scale = max(1.0, float(np.abs(ref.xy[:n]).max()))
    np.testing.assert_allclose(xy[:n], ref.xy[:n], rtol=1e-5, atol=1e-5 * scale)


def test_code_snippet_writes_only_what_differs():
    source = export.code_snippet("adam", "rosenbrock", (-1.5, 2.0), 200, {"lr": 0.01, "eps": 1e-8})
    assert 'hparams={"lr": 0.01}' in source  # eps is the default
    for absent in ("noise", "seed", "clip", "schedule", "surface_params"):
        assert absent not in source
    noisy = export.code_snippet("sgd", "saddle", None, 50, {}, noise=0.1, seed=3)
    assert "noise=0.1" in noisy and "seed=3" in noisy
    assert "start=(-1.5, 0.001)" in noisy  # the surface's own start, written out
    assert "lr" in noisy  # the learning rate is always shown


@pytest.mark.parametrize(
    "optimizer,hparams",
    [("newton", {}), ("momentum", {"dampening": 0.9}), ("adam", {"bias_correction": False})],
)
def test_optax_snippet_is_none_without_an_equivalent(optimizer, hparams):
    assert export.optax_snippet(optimizer, "quadratic", None, 20, hparams) is None
    assert export.code_snippet(optimizer, "quadratic", None, 20, hparams)  # ours always works


def test_optax_snippet_maps_hyperparameter_names():
    source = export.optax_snippet(
        "rmsprop", "quadratic", None, 20, {"lr": 0.02, "gamma": 0.8, "eps": 1e-6}
    )
    assert "optax.rmsprop(learning_rate=0.02, decay=0.8, eps=1e-06)" in source
    adagrad = export.optax_snippet("adagrad", "quadratic", None, 20, {})
    assert "initial_accumulator_value=0.0" in adagrad
    nesterov = export.optax_snippet("nesterov", "quadratic", None, 20, {})
    assert "optax.sgd(learning_rate=0.05, momentum=0.9, nesterov=True)" in nesterov
    adam = export.optax_snippet("adam", "quadratic", None, 20, {"beta1": 0.8, "beta2": 0.99})
    assert "b1=0.8, b2=0.99" in adam


def test_literals_are_shortest_float32():
    assert export._py(np.float32(0.1)) == "0.1"
    assert export._py(1e-8) == "1e-08"
    assert export._py(math.inf) == 'float("inf")'
    assert export._py({"a": (1.0, True), "b": [2, "x"]}) == '{"a": (1.0, True), "b": [2, "x"]}'
