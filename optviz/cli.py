"""The command line: race optimizers and write a GIF, PNG, HTML, CSV or JSON, no server needed.

::

    python -m optviz render --surface rosenbrock --optimizers sgd,adam --out race.gif
    python -m optviz list

Exit status: 0 on success, 2 on bad input (an argparse-style message, never a traceback).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import optviz
from optviz import export, plots
from optviz.engine import MAX_STEPS
from optviz.schedules import WARMUP

FORMATS = (".gif", ".mp4", ".png", ".html", ".csv", ".json")

EPILOG = """\
examples:
  python -m optviz render --surface rosenbrock --optimizers sgd,adam --lr 0.01 \\
      --steps 300 --out race.gif
  python -m optviz render --surface quadratic --optimizers sgd,momentum,rmsprop \\
      --lr 0.4 --hparam momentum.momentum=0.5 --steps 20 --out d2l.png
  python -m optviz render --formula "x^2 + 10*y^2" --optimizers sgd,adam \\
      --start=-2.5,2 --labels "梯度下降,Adam 算法" --title "病态二次函数" --out race.gif
  python -m optviz render --surface cliff --optimizers sgd --lr 0.1 --clip norm:1 \\
      --schedule cosine --noise 0.2 --seed 3 --out run.csv
  python -m optviz list

The output format follows the extension of --out: .gif (animated), .mp4 (H.264 video),
.png (one frame), .html (interactive, plays offline), .csv (one row per step) or .json.
A negative value needs "=", as in --start=-1.5,2.
"""


def _floats(text: str, count: int, what: str) -> tuple[float, ...]:
    """Parses ``count`` comma-separated finite floats, or raises ``ValueError``."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != count:
        raise ValueError(f"{what} needs {count} comma-separated numbers, got {text!r}")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise ValueError(f"{what} needs numbers, got {text!r}") from None
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f"{what} needs finite numbers, got {text!r}")
    return values


def _number(text: str, what: str) -> float:
    """Parses one finite float, or raises ``ValueError``."""
    return _floats(text, 1, what)[0]


def _assignment(text: str, what: str) -> tuple[str, str]:
    """Splits ``NAME=VALUE``, or raises ``ValueError``."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise ValueError(f"{what} must look like NAME=VALUE, got {text!r}")
    return name.strip(), value.strip()


def _bool(text: str, what: str) -> bool:
    """Parses true/false, yes/no, on/off or 1/0."""
    low = text.lower()
    if low in ("1", "true", "yes", "on"):
        return True
    if low in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{what} is a switch: use true or false, got {text!r}")


def _positive_int(text: str) -> int:
    """Parses an integer ≥ 1 (an argparse type)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number ≥ 1, got {value}")
    return value


def _finite(text: str) -> float:
    """Parses a finite float (an argparse type)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m optviz`` parser with its ``render`` and ``list`` commands.

    Returns:
        An ``argparse.ArgumentParser``; ``args.command`` is ``"render"``, ``"list"`` or None.
    """
    parser = argparse.ArgumentParser(
        prog="python -m optviz",
        description=(
            "Race deep-learning optimizers on a 2D loss surface and save the picture, the "
            "animation or the numbers, without starting the app."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    render = commands.add_parser(
        "render",
        help="run optimizers and write .gif, .mp4, .png, .html, .csv or .json",
        description=(
            "Run every optimizer from the same start on the same surface and write the race.\n"
            "The format follows the extension of --out."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    render.set_defaults(command_parser=render)  # its usage line heads render's error messages
    where = render.add_argument_group("surface")
    which = where.add_mutually_exclusive_group()
    which.add_argument(
        "--surface",
        default=None,
        metavar="KEY",
        help="a registered surface (default rosenbrock; see `python -m optviz list`)",
    )
    which.add_argument(
        "--formula",
        metavar="TEXT",
        help='your own surface in x and y, e.g. "(1-x)^2 + 100*(y-x^2)^2"',
    )
    where.add_argument(
        "--bounds",
        metavar="XMIN,XMAX,YMIN,YMAX",
        help="window of a --formula surface (default -3,3,-3,3)",
    )
    where.add_argument(
        "--surface-param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a surface parameter, e.g. kappa=50 for the quadratic (repeatable)",
    )
    runs = render.add_argument_group("optimizers and run")
    runs.add_argument(
        "--optimizers",
        default="sgd,momentum,adam",
        metavar="LIST",
        help="comma-separated optimizer keys (default sgd,momentum,adam)",
    )
    runs.add_argument("--lr", type=_finite, help="learning rate η for every optimizer")
    runs.add_argument(
        "--hparam",
        action="append",
        default=[],
        metavar="KEY.NAME=VALUE",
        help="one hyperparameter of one optimizer, e.g. adam.beta1=0.8 or "
        "adam.bias_correction=false (repeatable)",
    )
    runs.add_argument(
        "--start",
        metavar="X,Y",
        help="start point (default: the surface's own); write --start=-1.5,2 for negatives",
    )
    runs.add_argument(
        "--steps", type=_positive_int, default=200, help=f"steps, 1 to {MAX_STEPS} (default 200)"
    )
    runs.add_argument(
        "--schedule",
        default="constant",
        metavar="KIND",
        help="learning-rate schedule: " + ", ".join(optviz.SCHEDULES) + " (default constant)",
    )
    runs.add_argument(
        "--schedule-param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a schedule parameter, e.g. warmup=10 or lr_min=0.001 (repeatable)",
    )
    runs.add_argument(
        "--noise", type=_finite, default=0.0, help="std of the gradient noise (default 0)"
    )
    runs.add_argument("--seed", type=int, default=0, help="seed of the noise (default 0)")
    runs.add_argument(
        "--clip", metavar="KIND:MAX", help="gradient clipping, value:0.5 or norm:1 (default off)"
    )
    out = render.add_argument_group("output")
    out.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="where to write: .gif, .mp4, .png, .html, .csv or .json",
    )
    out.add_argument(
        "--labels",
        metavar="LIST",
        help="comma-separated legend names, one per optimizer (default: their names)",
    )
    out.add_argument("--title", help="title above the chart (.gif, .mp4, .png, .html)")
    out.add_argument(
        "--fps", type=_positive_int, default=15, help="GIF / MP4 frames per second (default 15)"
    )
    out.add_argument(
        "--max-frames",
        type=_positive_int,
        default=None,
        help="most animation frames (default 80 for .gif, 150 for .mp4 and .html)",
    )
    out.add_argument(
        "--size",
        default="640x480",
        metavar="WxH",
        help="picture size of .gif, .mp4 and .png in pixels (default 640x480)",
    )
    out.add_argument(
        "--step", type=int, default=None, help=".png only: draw up to this step (default: last)"
    )
    commands.add_parser(
        "list",
        help="list optimizers, surfaces and schedules with their parameters",
        description="List every optimizer, surface and schedule with its parameters.",
    )
    return parser


# ----------------------------------------------------------------------------- render


def _surface(args) -> tuple[Any, dict[str, float]]:
    """The Surface (or key) and its parameters from the arguments; ValueError if bad."""
    if args.formula is not None:
        if args.surface_param:
            raise ValueError("--surface-param does not apply to a --formula surface")
        bounds = None
        if args.bounds:
            x0, x1, y0, y1 = _floats(args.bounds, 4, "--bounds")
            bounds = ((x0, x1), (y0, y1))
        try:
            return optviz.compile_formula(args.formula, bounds), {}
        except optviz.FormulaError as err:
            raise ValueError(f"--formula: {err}") from None
    if args.bounds:
        raise ValueError("--bounds only applies to --formula (registered surfaces have theirs)")
    key = args.surface or "rosenbrock"
    if key not in optviz.SURFACES:
        raise ValueError(f"unknown surface {key!r}; choose one of: {', '.join(optviz.SURFACES)}")
    surf = optviz.SURFACES[key]
    params = {}
    for item in args.surface_param:
        name, value = _assignment(item, "--surface-param")
        if name not in surf.default_params():
            known = ", ".join(surf.default_params()) or "none"
            raise ValueError(f"surface {key!r} has no parameter {name!r} (it has: {known})")
        params[name] = _number(value, f"--surface-param {name}")
    return key, params


def _optimizers(args) -> tuple[list[str], list[dict[str, Any]]]:
    """Optimizer keys and one hyperparameter dict each; ValueError if bad."""
    keys = [k.strip() for k in args.optimizers.split(",") if k.strip()]
    if not keys:
        raise ValueError("--optimizers needs at least one optimizer key")
    for key in keys:
        if key not in optviz.OPTIMIZERS:
            known = ", ".join(optviz.OPTIMIZERS)
            raise ValueError(f"unknown optimizer {key!r}; choose from: {known}")
    if len(set(keys)) != len(keys):
        raise ValueError(f"--optimizers lists an optimizer twice: {args.optimizers!r}")
    hparams: dict[str, dict[str, Any]] = {k: {} for k in keys}
    if args.lr is not None:
        for key in keys:
            hparams[key]["lr"] = args.lr
    for item in args.hparam:
        target, value = _assignment(item, "--hparam")
        key, dot, name = target.partition(".")
        if not dot or key not in hparams:
            raise ValueError(
                f"--hparam {item!r}: write KEY.NAME=VALUE with KEY one of {', '.join(keys)}"
            )
        spec = optviz.OPTIMIZERS[key]
        flags = {flag for flag, _, _ in spec.flags}
        if name not in spec.names:
            raise ValueError(
                f"{key} has no hyperparameter {name!r}; it has: {', '.join(spec.names)}"
            )
        what = f"--hparam {key}.{name}"
        hparams[key][name] = _bool(value, what) if name in flags else _number(value, what)
    return keys, [hparams[k] for k in keys]


def _schedule(args) -> dict[str, Any] | None:
    """The schedule dict for ``optviz.run``; ValueError if bad."""
    kind = args.schedule
    if kind not in optviz.SCHEDULES:
        raise ValueError(f"unknown schedule {kind!r}; choose from: {', '.join(optviz.SCHEDULES)}")
    known = [p.name for p in optviz.SCHEDULES[kind].params] + [WARMUP.name, "total_steps"]
    schedule: dict[str, Any] = {"kind": kind}
    for item in args.schedule_param:
        name, value = _assignment(item, "--schedule-param")
        if name not in known:
            raise ValueError(f"schedule {kind!r} has no parameter {name!r}; it has: {known}")
        schedule[name] = _number(value, f"--schedule-param {name}")
    return None if schedule == {"kind": "constant"} else schedule


def _clip(text: str | None) -> dict[str, Any] | None:
    """``value:0.5`` / ``norm:1`` -> the clip dict; ValueError if bad."""
    if not text:
        return None
    kind, sep, value = text.partition(":")
    if not sep or kind not in ("value", "norm"):
        raise ValueError(f"--clip must be value:MAX or norm:MAX, got {text!r}")
    bound = _number(value, "--clip")
    if bound <= 0:
        raise ValueError(f"--clip needs a positive bound, got {text!r}")
    return {"kind": kind, "max": bound}


def _size(text: str) -> tuple[int, int]:
    """``640x480`` -> (640, 480); ValueError if bad."""
    w, sep, h = text.lower().partition("x")
    low = "x".join(map(str, export.MIN_SIZE))
    problem = f"--size must be WIDTHxHEIGHT between {low} and 4096x4096, got {text!r}"
    try:
        size = (int(w), int(h))
    except ValueError:
        raise ValueError(problem) from None
    lowest = export.MIN_SIZE
    if not sep or not all(lo <= v <= 4096 for lo, v in zip(lowest, size, strict=True)):
        raise ValueError(problem)
    return size


def _render(args, parser: argparse.ArgumentParser) -> int:
    """``python -m optviz render``: validates everything, runs, writes, prints a summary."""
    out = Path(args.out)
    suffix = out.suffix.lower()
    try:
        if suffix not in FORMATS:
            raise ValueError(f"--out must end in one of {', '.join(FORMATS)}, got {args.out!r}")
        if not out.parent.is_dir():
            raise ValueError(f"--out: the folder {str(out.parent)!r} does not exist")
        if not 1 <= args.steps <= MAX_STEPS:
            raise ValueError(f"--steps must be between 1 and {MAX_STEPS}, got {args.steps}")
        if args.noise < 0:
            raise ValueError(f"--noise must be ≥ 0, got {args.noise}")
        if args.seed < 0:
            raise ValueError(f"--seed must be ≥ 0, got {args.seed}")
        if args.fps > 100:
            raise ValueError(f"--fps must be between 1 and 100, got {args.fps}")
        surface, surface_params = _surface(args)
        keys, hparams = _optimizers(args)
        start = None if args.start is None else _floats(args.start, 2, "--start")
        schedule = _schedule(args)
        clip = _clip(args.clip)
        size = _size(args.size)
        labels = [optviz.OPTIMIZERS[k].name for k in keys]
        if args.labels is not None:
            labels = [s.strip() for s in args.labels.split(",")]
            if len(labels) != len(keys) or not all(labels):
                raise ValueError(
                    f"--labels needs one non-empty name per optimizer ({len(keys)}), "
                    f"got {args.labels!r}"
                )
        if args.step is not None and not 0 <= args.step <= args.steps:
            raise ValueError(f"--step must be between 0 and {args.steps}, got {args.step}")
        trajectories = [
            optviz.run(
                optimizer=key,
                surface=surface,
                start=start,
                steps=args.steps,
                hparams=hp,
                schedule=schedule,
                noise=args.noise,
                seed=args.seed,
                clip=clip,
                surface_params=surface_params or None,
            )
            for key, hp in zip(keys, hparams, strict=True)
        ]
    except (KeyError, ValueError) as err:
        message = err.args[0] if isinstance(err, KeyError) and err.args else str(err)
        parser.error(str(message))
    try:
        data = _export(suffix, surface, trajectories, labels, surface_params, args, size)
    except ValueError as err:
        parser.error(str(err))
    try:
        if isinstance(data, bytes):
            out.write_bytes(data)
        else:
            out.write_text(data, encoding="utf-8")
    except OSError as err:
        parser.error(f"cannot write {args.out!r}: {err.strerror or err}")
    print(f"wrote {out} ({len(data if isinstance(data, bytes) else data.encode()):,} bytes)")
    for tr, label in zip(trajectories, labels, strict=True):
        if tr.diverged_at is not None:
            outcome = f"diverged at step {tr.diverged_at} ({tr.diverged_reason})"
        else:
            x, y = tr.xy[-1]
            outcome = f"f = {tr.loss[-1]:.4g} at ({x:.4g}, {y:.4g}) after {tr.steps} steps"
        print(f"  {label}: {outcome}")
    return 0


def _export(suffix, surface, trajectories, labels, params, args, size) -> bytes | str:
    """The file contents for the format ``suffix``."""
    params = params or None
    if suffix in (".gif", ".mp4"):  # animations: the same frames, GIF or H.264 video
        write, frames = (export.to_gif, 80) if suffix == ".gif" else (export.to_mp4, 150)
        return write(
            surface,
            trajectories,
            labels,
            params,
            fps=args.fps,
            max_frames=args.max_frames or frames,
            size=size,
            title=args.title,
        )
    if suffix == ".png":
        return export.to_png(
            surface, trajectories, labels, params, step=args.step, size=size, title=args.title
        )
    if suffix == ".html":
        fig = plots.trajectory_figure(
            surface,
            trajectories,
            labels,
            params,
            max_frames=args.max_frames or 150,
            clickable=False,
            title=args.title,
        )
        return export.to_html(fig)
    if suffix == ".csv":
        return export.to_csv(trajectories, labels)
    return export.to_json(trajectories, labels)


# ----------------------------------------------------------------------------- list


def _value(v: Any) -> str:
    """A default value as a user types it."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return f"{v:g}"


def _list() -> int:
    """``python -m optviz list``: every optimizer, surface and schedule with its parameters."""
    lines = ["optimizers (--optimizers KEY,...; --hparam KEY.NAME=VALUE):"]
    for key, spec in optviz.OPTIMIZERS.items():
        values = " ".join(f"{name}={_value(v)}" for name, v in spec.defaults().items())
        names = spec.name if spec.name_zh == spec.name else f"{spec.name}  {spec.name_zh}"
        lines.append(f"  {key:<10} {names}")
        lines.append(f"  {'':<10} {values}")
    lines += ["", "surfaces (--surface KEY; --surface-param NAME=VALUE):"]
    for key, surf in optviz.SURFACES.items():
        (x0, x1), (y0, y1) = surf.bounds
        start = f"start {surf.start[0]:g},{surf.start[1]:g}"
        window = f"window x {x0:g}..{x1:g}, y {y0:g}..{y1:g}"
        lines.append(f"  {key:<14} {surf.name}; {start}; {window}")
        if surf.params:
            values = " ".join(f"{p.name}={_value(p.default)}" for p in surf.params)
            lines.append(f"  {'':<14} {values}")
    lines += ["", "schedules (--schedule KIND; --schedule-param NAME=VALUE):"]
    for key, sched in optviz.SCHEDULES.items():
        values = " ".join(f"{p.name}={_value(p.default)}" for p in sched.params)
        lines.append(f"  {key:<13} {sched.name}  {sched.name_zh}  {values}".rstrip())
    lines.append(
        f"  every schedule also takes warmup={_value(WARMUP.default)} and "
        "total_steps (default: --steps)"
    )
    print("\n".join(lines))
    return 0


# ----------------------------------------------------------------------------- entry point


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line.

    Args:
        argv: The arguments after ``python -m optviz``; None reads ``sys.argv``.

    Returns:
        The exit status: 0 on success. Bad input exits with status 2 (``SystemExit``) after an
        argparse-style message on stderr.
    """
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")  # a Chinese label never crashes an ASCII pipe
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "list":
            return _list()
        if args.command == "render":
            return _render(args, args.command_parser)
    except BrokenPipeError:  # `python -m optviz list | head`: the reader left, that is fine
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    parser.print_help(sys.stderr)
    return 2
