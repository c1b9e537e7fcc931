"""The code base stays ruff-clean (lint and format); CI runs this through pytest."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]])
def test_ruff(args):
    ruff = shutil.which("ruff")
    assert ruff, "ruff is in requirements-dev.txt"
    result = subprocess.run([ruff, *args], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_eval_of_user_text():
    """No module of the app evaluates text: the formula compiler is an ast whitelist."""
    forbidden = ("eval(", "exec(", "sympify", "parse_expr", "lambdify", "numexpr")
    for path in [*ROOT.glob("optviz/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]:
        if not path.exists():
            continue
        text = path.read_text()
        for word in forbidden:
            hits = [
                line for line in text.splitlines() if word in line and "never" not in line.lower()
            ]
            assert not hits, f"{path.name}: {hits}"
