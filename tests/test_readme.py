"""The README's two commands are the ones CI and users run."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def commands():
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```bash\n(.+?)\n```", text)[:2]


def test_readme_starts_with_the_two_commands():
    run_app, run_tests = commands()
    assert run_app.startswith("pip install -r requirements.txt && streamlit run app.py")
    assert "--server.address 127.0.0.1 --server.port 8501" in run_app
    assert run_tests == "pip install -r requirements-dev.txt && python -m pytest"


def test_ci_calls_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    _, run_tests = commands()
    assert any(line.strip() == run_tests for line in ci.splitlines())


def test_app_entry_point_exists():
    assert (ROOT / "app.py").exists() and (ROOT / "requirements.txt").exists()
