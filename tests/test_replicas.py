"""Scale-out: 2 replicas behind nginx (ip_hash, websockets); one dies in the middle of a class.

Students come from distinct loopback addresses (127.0.k.1: ``ip_hash`` keys on the first three
octets), so the production config spreads them over both replicas. One replica is terminated
while they move sliders: the students on the other one never notice, the students of the dead
one reconnect (as the browser does), land on the survivor and get their picture back from the
URL state; new students are served after the failure.
"""

import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "deploy"))

import load  # noqa: E402
import run_replicas  # noqa: E402

STUDENTS = [f"127.0.{k}.1" for k in range(1, 11)]  # ten /24s: ten distinct ip_hash keys


def nginx_or_skip():
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's nginx (see .ci/run)")
        pytest.skip("nginx is not installed (apt-get install --no-install-recommends nginx)")


def test_config_renders_sticky_websocket_proxy():
    text = run_replicas.render_config(["127.0.0.1:1", "127.0.0.1:2"], "127.0.0.1:3")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert "@" not in body.replace("$", "")  # every token filled
    for directive in (
        "ip_hash;",
        "server 127.0.0.1:1 max_fails=1 fail_timeout=10s;",
        "server 127.0.0.1:2 max_fails=1 fail_timeout=10s;",
        "listen 127.0.0.1:3;",
        "proxy_http_version 1.1;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $connection_upgrade;",
        "proxy_set_header Host $http_host;",
        "proxy_read_timeout 86400s;",
        "proxy_buffering off;",
        "pid nginx.pid;",
    ):
        assert directive in body
    assert "X-Upstream" not in body  # only when asked for


def test_config_is_valid_nginx(tmp_path):
    nginx_or_skip()
    import subprocess

    conf = tmp_path / "nginx.conf"
    conf.write_text(run_replicas.render_config(["127.0.0.1:1"], "127.0.0.1:2", "least_conn"))
    tmp_path.chmod(0o755)
    out = subprocess.run(
        [shutil.which("nginx") or "/usr/sbin/nginx", "-t", "-p", f"{tmp_path}/", "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode == 0, out.stderr


@pytest.mark.slow
def test_two_replicas_survive_losing_one():
    nginx_or_skip()
    with run_replicas.cluster(2, upstream_header=True) as c:
        killed_port = max(c.replicas)  # the second replica dies
        killed = f"127.0.0.1:{killed_port}"
        halfway = threading.Event()
        moves_seen = []

        def on_move(student, move):
            moves_seen.append(student)
            if len(moves_seen) >= 20:
                halfway.set()

        result = {}
        pids = [p.pid for p in c.replicas.values()]
        runner = threading.Thread(
            target=lambda: result.update(
                load.run_load(
                    c.url,
                    sessions=10,
                    moves=8,
                    deadline=240,
                    pids=pids,
                    think=0.4,
                    local_hosts=STUDENTS,
                    reconnect=True,
                    on_move=on_move,
                )
            ),
            daemon=True,
        )
        runner.start()
        assert halfway.wait(180), "the class never got going"
        run_replicas.stop(c.replicas[killed_port])  # SIGTERM, mid-lesson
        runner.join(300)
        assert not runner.is_alive() and result, "the load run did not finish"
        load.report(result, "2 replicas, one killed")
        for s in result["students"]:
            route = " -> ".join(s["upstreams"])
            print(f"student {s['index']}: {route}, moves {s['moves_ok']}, drops {s['drops']}")

        students = result["students"]
        first = {s["index"]: s["upstreams"][0] for s in students}
        assert set(first.values()) == {f"127.0.0.1:{p}" for p in c.replicas}, first
        survivors = [s for s in students if first[s["index"]] != killed]
        orphans = [s for s in students if first[s["index"]] == killed]
        # students on the surviving replica: nothing happened
        for s in survivors:
            assert s["moves_ok"] == 8 and s["drops"] == 0 and s["errors"] == [], s
            assert s["upstreams"] == [first[s["index"]]]
        # students of the dead replica: dropped, reconnected to the survivor, picture restored
        assert orphans
        for s in orphans:
            assert s["drops"] >= 1 and s["reconnects"] >= 1, s
            assert s["moves_ok"] == 8 and s["errors"] == [], s
            assert all(u != killed for u in s["upstreams"][1:]), s
            assert all(s["restored"]), s
        assert result["exceptions"] == 0

        # new students after the failure: all served, all by the survivor
        late = load.run_load(
            c.url, sessions=4, moves=2, deadline=120, local_hosts=STUDENTS[:4], seed=1
        )
        assert late["sessions_ok"] == 4 and late["errors"] == [], late["errors"]
        # nginx lists every upstream it tried ("dead, survivor"); the last one served
        assert {s["upstreams"][0].split(", ")[-1] for s in late["students"]} == {
            f"127.0.0.1:{p}" for p in c.replicas if p != killed_port
        }
