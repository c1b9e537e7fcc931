"""The command line: ``python -m optviz render|list`` round trips and bad input."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import optviz
from optviz import cli, plots

ROOT = Path(__file__).resolve().parents[1]
STEPS = 12
COMMON = ["--surface", "quadratic", "--optimizers", "sgd,momentum", "--lr", "0.1"]
COMMON += ["--steps", str(STEPS), "--start=-4,-2"]
EXTRA = {  # what each format's run adds to COMMON
    ".gif": ["--labels", "梯度下降,动量法", "--title", "病态二次函数", "--fps", "10"],
    ".mp4": ["--fps", "20", "--max-frames", "10", "--size", "320x240"],
    ".png": ["--size", "400x300", "--step", "5"],
    ".html": ["--max-frames", "7"],
    ".csv": ["--hparam", "momentum.momentum=0.5", "--clip", "norm:1"],
    ".json": ["--schedule", "cosine", "--schedule-param", "lr_min=0.01", "--noise", "0.1"],
}


def optviz_cmd(*args):
    return [sys.executable, "-m", "optviz", *args]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Runs one ``render`` per format, all at once; ext -> (returncode, stdout, stderr, path)."""
    folder = tmp_path_factory.mktemp("cli")
    procs = {}
    for ext, extra in EXTRA.items():
        out = folder / f"race{ext}"
        cmd = optviz_cmd("render", *COMMON, *extra, "--out", str(out))
        procs[ext] = (
            subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE),
            out,
        )
    results = {}
    for ext, (proc, out) in procs.items():
        stdout, stderr = proc.communicate(timeout=300)
        results[ext] = (proc.returncode, stdout.decode(), stderr.decode(), out)
    return results


def same_runs(**kw):
    """The runs COMMON describes, in-process (momentum and sgd with lr 0.1 from (-4, -2))."""
    hp = kw.pop("hparams", {})
    return [
        optviz.run(
            key,
            "quadratic",
            start=(-4.0, -2.0),
            steps=STEPS,
            hparams={"lr": 0.1, **hp.get(key, {})},
            **kw,
        )
        for key in ("sgd", "momentum")
    ]


def check_ok(result):
    code, stdout, stderr, out = result
    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert f"wrote {out}" in stdout
    assert out.exists() and out.stat().st_size > 0
    return out


def test_render_gif(rendered):
    out = check_ok(rendered[".gif"])
    with Image.open(out) as gif:
        assert gif.format == "GIF" and gif.n_frames == len(plots.frame_steps(STEPS, 80))
        assert gif.size == (640, 480) and gif.info["duration"] == 100
    assert "梯度下降:" in rendered[".gif"][1]  # the summary names the runs by their labels


def test_render_mp4(rendered):
    out = check_ok(rendered[".mp4"])
    data = out.read_bytes()
    assert data[4:8] == b"ftyp" and b"avc1" in data[:4096]  # H.264 in an MP4 box


def test_render_png(rendered):
    out = check_ok(rendered[".png"])
    with Image.open(out) as png:
        assert png.format == "PNG" and png.size == (400, 300)


def test_render_html(rendered):
    out = check_ok(rendered[".html"])
    html = out.read_text(encoding="utf-8")
    assert len(html) > 3_000_000 and "Plotly.addFrames" in html
    names = [int(k) for k in plots.frame_steps(STEPS, 7)]
    assert len(names) == 7
    assert all(f'"name":"{k}"' in html for k in names)


def test_render_csv_equals_the_run(rendered):
    out = check_ok(rendered[".csv"])
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    runs = same_runs(hparams={"momentum": {"momentum": 0.5}}, clip={"kind": "norm", "max": 1.0})
    assert [r["optimizer"] for r in rows] == ["SGD"] * (STEPS + 1) + ["Momentum"] * (STEPS + 1)
    for i, tr in enumerate(runs):
        part = rows[i * (STEPS + 1) : (i + 1) * (STEPS + 1)]
        xy = np.array([[float(r["x"]), float(r["y"])] for r in part], np.float32)
        np.testing.assert_array_equal(xy, tr.xy)
        loss = np.array([float(r["loss"]) for r in part], np.float32)
        np.testing.assert_array_equal(loss, tr.loss)
        lr = np.array([float(r["lr"]) for r in part[:-1]], np.float32)
        np.testing.assert_array_equal(lr, tr.lr)


def test_render_json_round_trip(rendered):
    out = check_ok(rendered[".json"])
    data = json.loads(out.read_text(encoding="utf-8"))
    runs = same_runs(schedule={"kind": "cosine", "lr_min": 0.01}, noise=0.1)
    assert [d["optimizer"] for d in data] == ["sgd", "momentum"]
    for d, tr in zip(data, runs, strict=True):
        assert d["hparams"]["lr"] == 0.1 and d["steps"] == STEPS
        np.testing.assert_array_equal(np.array(d["xy"], np.float32), tr.xy)
        np.testing.assert_array_equal(np.array(d["lr"], np.float32), tr.lr)
    assert data[0]["lr"][-1] < data[0]["lr"][0]  # the cosine schedule decays


def test_render_with_a_formula(tmp_path):
    out = tmp_path / "f.csv"
    cmd = optviz_cmd(
        "render", "--formula", "x^2 + 10*y^2", "--bounds=-2,2,-1,1", "--optimizers", "adam",
        "--steps", "5", "--start=1,0.5", "--out", str(out),
    )  # fmt: skip
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    surface = optviz.compile_formula("x^2 + 10*y^2", bounds=((-2, 2), (-1, 1)))
    tr = optviz.run("adam", surface, start=(1.0, 0.5), steps=5)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    np.testing.assert_array_equal(np.array([float(r["x"]) for r in rows], np.float32), tr.xy[:, 0])


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "args,message",
    [
        (["--surface", "nope"], "unknown surface 'nope'"),
        (["--formula", "x +"], "--formula: "),
        (["--formula", "__import__('os')"], "--formula: "),
        (["--optimizers", "sgd,foo"], "unknown optimizer 'foo'"),
        (["--optimizers", "sgd,sgd"], "twice"),
        (["--optimizers", "sgd", "--hparam", "adam.beta1=0.8"], "KEY.NAME=VALUE"),
        (["--optimizers", "sgd", "--hparam", "sgd.beta1=0.8"], "no hyperparameter 'beta1'"),
        (["--optimizers", "adam", "--hparam", "adam.beta1=high"], "needs numbers"),
        (["--optimizers", "adam", "--hparam", "adam.bias_correction=maybe"], "switch"),
        (["--start", "1"], "--start needs 2"),
        (["--steps", "0"], "--steps"),
        (["--steps", "20000"], "--steps must be between 1 and 10000"),
        (["--schedule", "nope"], "unknown schedule 'nope'"),
        (["--schedule-param", "zzz=1"], "no parameter 'zzz'"),
        (["--clip", "foo:1"], "--clip must be"),
        (["--clip", "norm:-1"], "positive"),
        (["--lr", "abc"], "--lr"),
        (["--noise", "-1"], "--noise"),
        (["--labels", "a,b"], "--labels"),
        (["--size", "10x10"], "--size"),
        (["--surface-param", "zzz=1"], "no parameter 'zzz'"),
        (["--bounds=0,1,0,1"], "--bounds only applies to --formula"),
        (["--surface", "saddle", "--formula", "x"], "not allowed with"),
    ],
)
def test_bad_input_exits_2_with_a_message(args, message, capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["render", *args, "--out", str(tmp_path / "x.gif")])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "error:" in err and message in err
    assert "Traceback" not in err
    assert not (tmp_path / "x.gif").exists()


def test_video_frame_rate_is_checked(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["render", "--fps", "90", "--out", str(tmp_path / "x.mp4")])
    assert exit_info.value.code == 2
    assert "fps must be between 1 and 60" in capsys.readouterr().err
    assert not (tmp_path / "x.mp4").exists()


@pytest.mark.parametrize(
    "out,message",
    [("x.txt", "--out must end in one of"), ("missing/x.gif", "does not exist")],
)
def test_bad_output_path_exits_2(out, message, capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["render", "--out", str(tmp_path / out)])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_bad_input_in_a_subprocess_has_no_traceback(tmp_path):
    cmd = optviz_cmd("render", "--formula", "import os", "--out", str(tmp_path / "x.gif"))
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert "python -m optviz render: error: --formula:" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    missing = subprocess.run(optviz_cmd(), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert missing.returncode == 2 and "render" in missing.stderr


# ----------------------------------------------------------------------------- help and list


def test_help_has_examples(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["render", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for needle in ("examples:", "--hparam KEY.NAME=VALUE", "--clip KIND:MAX", ".gif", "--start=-"):
        assert needle in text


def test_list_names_everything(capsys):
    assert cli.main(["list"]) == 0
    text = capsys.readouterr().out
    for key, spec in optviz.OPTIMIZERS.items():
        assert key in text and all(f"{name}=" in text for name in spec.names)
    for key, surface in optviz.SURFACES.items():
        assert key in text and all(f"{p.name}=" in text for p in surface.params)
    for key, schedule in optviz.SCHEDULES.items():
        assert key in text and all(f"{p.name}=" in text for p in schedule.params)
    assert "bias_correction=true" in text and "动量法" in text
