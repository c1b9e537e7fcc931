"""The code base stays ruff-clean (lint and format); CI runs this through pytest."""

import shutil
import subprocess
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]])
def test_ruff(args):
    ruff = shutil.which("ruff")
    assert ruff, "ruff is in requirements-dev.txt"
    result = subprocess.run([ruff, *args], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def code_names(path):
    """Every identifier used in a module's code (strings, comments and docstrings excluded)."""
    with open(path, "rb") as f:
        return {tok.string for tok in tokenize.tokenize(f.readline) if tok.type == tokenize.NAME}


def test_no_eval_of_user_text():
    """No module of the app evaluates text: the formula compiler is an ast whitelist."""
    forbidden = {"eval", "exec", "sympify", "parse_expr", "lambdify", "numexpr", "__import__"}
    paths = [*ROOT.glob("optviz/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]
    assert len(paths) > 10
    for path in paths:
        used = code_names(path) & forbidden
        assert not used, f"{path.relative_to(ROOT)} uses {sorted(used)}"


def test_the_check_catches_eval(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("x = eval('1')  # a call\n")
    assert "eval" in code_names(bad)
    good = tmp_path / "good.py"
    good.write_text('"""We never eval text."""\n# eval( in a comment\n')
    assert "eval" not in code_names(good)
