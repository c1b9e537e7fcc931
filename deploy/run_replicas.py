"""N optviz replicas behind nginx on loopback: one command for a classroom on one machine.

One Streamlit process runs every session's script under one GIL, i.e. on about one core. To use
more cores, run one replica per core behind nginx (``deploy/nginx.conf.template``: sticky
``ip_hash``, websocket upgrade, no buffering, day-long read timeout)::

    python deploy/run_replicas.py --replicas 2            # prints the URL; Ctrl-C stops all
    python deploy/run_replicas.py --replicas 4 --port 8080 --listen 0.0.0.0
    python deploy/run_replicas.py --print-config --servers app1:8501,app2:8501 --listen 80

Each replica is ``python -m streamlit run app.py`` on 127.0.0.1 and a free port with the repo's
``.streamlit/config.toml``; they share one ``server.cookieSecret`` (through the environment, not
the command line). nginx (Debian: ``apt-get install nginx``) runs from a temporary prefix that
holds its config, pid file, logs and temp folders: no system install or root needed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).resolve().with_name("nginx.conf.template")
BALANCES = {
    "ip_hash": "ip_hash;",  # sticky per client /24 (production default)
    "least_conn": "least_conn;",  # best spread, not sticky
}
UPSTREAM_HEADER = "add_header X-Upstream $upstream_addr always;"


def render_config(
    servers: Sequence[str],
    listen: str,
    balance: str = "ip_hash",
    upstream_header: bool = False,
) -> str:
    """The nginx config for these replicas, from ``deploy/nginx.conf.template``.

    Args:
        servers: ``host:port`` of each replica.
        listen: nginx's ``listen`` argument, e.g. ``"127.0.0.1:8080"`` or ``"80"``.
        balance: A key of ``BALANCES``.
        upstream_header: Add ``X-Upstream: <replica>`` to responses (tests, debugging).

    Returns:
        The config text; its paths are relative to nginx's ``-p`` prefix.
    """
    lines = "\n        ".join(f"server {s} max_fails=1 fail_timeout=10s;" for s in servers)
    text = TEMPLATE.read_text()
    for token, value in {
        "@LISTEN@": listen,
        "@BALANCE@": BALANCES[balance],
        "@SERVERS@": lines,
        "@UPSTREAM_HEADER@": UPSTREAM_HEADER if upstream_header else "",
    }.items():
        text = text.replace(token, value)
    return text


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float = 180.0, proc: subprocess.Popen | None = None) -> None:
    """Waits until ``GET url/_stcore/health`` answers ``ok`` (fails early if ``proc`` exits)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode} before {url} was up")
        with contextlib.suppress(OSError):
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not become healthy in {timeout:.0f} s")


def stop(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """Terminates a process this module started; kills it if it lingers."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)


@dataclass
class Cluster:
    """Running replicas and nginx (see :func:`cluster`)."""

    url: str
    prefix: Path
    nginx: subprocess.Popen
    replicas: dict[int, subprocess.Popen] = field(default_factory=dict)  # port -> process


@contextlib.contextmanager
def cluster(
    n: int = 2,
    port: int | None = None,
    listen_host: str = "127.0.0.1",
    balance: str = "ip_hash",
    upstream_header: bool = False,
    timeout: float = 180.0,
) -> Iterator[Cluster]:
    """Starts ``n`` replicas and nginx; stops all of them on exit, whatever happened.

    Args:
        n: Number of Streamlit replicas (1..16).
        port: nginx's port; a free one by default.
        listen_host: nginx's address.
        balance: A key of ``BALANCES``.
        upstream_header: Add ``X-Upstream`` to responses (which replica answered).
        timeout: Seconds to wait for everything to be healthy.

    Yields:
        The :class:`Cluster`; ``url`` is nginx's address.
    """
    if not 1 <= n <= 16:
        raise ValueError("1 to 16 replicas")
    nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx_bin).exists():
        raise FileNotFoundError("nginx is not installed (Debian: apt-get install nginx)")
    prefix = Path(tempfile.mkdtemp(prefix="optviz-nginx-"))
    prefix.chmod(0o755)  # nginx's workers run as "nobody" when the master is root
    env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
    ports = [free_port() for _ in range(n)]
    replicas: dict[int, subprocess.Popen] = {}
    nginx = None
    logs = []
    failed = True
    try:
        for p in ports:
            logs.append(open(prefix / f"streamlit-{p}.log", "w"))
            replicas[p] = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py",
                 "--server.address", "127.0.0.1", "--server.port", str(p),
                 "--server.headless", "true", "--server.fileWatcherType", "none"],
                cwd=ROOT, env=env, stdout=logs[-1], stderr=subprocess.STDOUT,
            )  # fmt: skip
        listen = f"{listen_host}:{port or free_port()}"
        conf = prefix / "nginx.conf"
        servers = [f"127.0.0.1:{p}" for p in ports]
        conf.write_text(render_config(servers, listen, balance, upstream_header))
        logs.append(open(prefix / "nginx.out", "w"))
        nginx = subprocess.Popen(
            [nginx_bin, "-p", f"{prefix}/", "-c", str(conf), "-g", "daemon off;"],
            stdout=logs[-1], stderr=subprocess.STDOUT,
        )  # fmt: skip
        for p, proc in replicas.items():
            wait_healthy(f"http://127.0.0.1:{p}", timeout, proc)
        url = f"http://{listen}"
        wait_healthy(url, 30, nginx)
        yield Cluster(url, prefix, nginx, replicas)
        failed = False
    finally:
        for proc in [nginx, *replicas.values()]:
            if proc is not None:
                with contextlib.suppress(Exception):
                    stop(proc)
        for f in logs:
            f.close()
        if failed:  # keep the logs of a failed start or run
            print(f"replica and nginx logs kept in {prefix}", file=sys.stderr)
        else:
            shutil.rmtree(prefix, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", type=int, default=max(1, (os.cpu_count() or 2)))
    ap.add_argument("--port", type=int, help="nginx port (default: a free one)")
    ap.add_argument("--listen", default="127.0.0.1", help="nginx address (127.0.0.1)")
    ap.add_argument("--balance", choices=sorted(BALANCES), default="ip_hash")
    ap.add_argument("--print-config", action="store_true", help="print the config and exit")
    ap.add_argument("--servers", default="", help="host:port,... for --print-config")
    args = ap.parse_args(argv)
    if args.print_config:
        servers = [s for s in args.servers.split(",") if s] or ["127.0.0.1:8501"]
        print(render_config(servers, args.listen, args.balance))
        return 0
    stopped = []
    for sig in (signal.SIGINT, signal.SIGTERM):  # SIGINT too: a background job ignores it
        signal.signal(sig, lambda *_: stopped.append(True))
    with cluster(args.replicas, args.port, args.listen, args.balance) as c:
        ports = ", ".join(f"{p} (pid {proc.pid})" for p, proc in c.replicas.items())
        print(f"optviz on {c.url}  — {len(c.replicas)} replica(s) on 127.0.0.1, ports {ports}")
        print(f"nginx pid {c.nginx.pid}, config and logs in {c.prefix}; Ctrl-C stops everything")
        while not stopped and c.nginx.poll() is None:
            time.sleep(0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
