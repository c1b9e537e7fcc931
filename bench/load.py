"""Load test: a classroom of simulated students on the playground, over Streamlit's own protocol.

Each student is one websocket to ``/_stcore/stream`` that behaves like the browser's frontend:
it opens the page (a rerun with no widget states), remembers the value of every widget the
server draws, and then moves a learning-rate slider (``pg:<optimizer>.lr``, a
``st.select_slider``) one to three stops at a time. A move sends what the browser sends when a
slider inside ``@st.fragment`` is released: a *fragment* rerun (``rerun_script.fragment_id``)
carrying the states of all widgets on the page, the page hash and the current query string.
``--full`` sends whole-script reruns instead. A move ends at ``script_finished``; its latency is
send → finished. An ``exception`` element in the reply counts as an error.

Everything is bounded: loopback only (the host must start with ``127.``), at most
``MAX_SESSIONS`` students and ``MAX_RERUNS`` reruns, a timeout per rerun and one global deadline
(``asyncio.wait_for``). Without ``--url`` the script starts its own server (``python -m
streamlit run app.py`` on 127.0.0.1 and a free port, the repo's ``.streamlit/config.toml`` with
``runner.postScriptGC=false``), opens one warm-up session like a teacher would, then measures.
The server process's CPU and RSS are sampled every 0.5 s with psutil.

Run::

    python bench/load.py                        # 60 students x 20 slider moves
    python bench/load.py --soak 2000            # 2000 reruns over 4 sessions, RSS over time
    python bench/load.py --replicas 2            # the same through nginx + 2 replicas
    python bench/load.py --moves 10 --think 5 --ramp 10   # a class at a human pace
    python bench/load.py --url http://127.0.0.1:8501 --pid 1234 --sessions 30

How a select_slider's value travels (Streamlit 1.67): the element is a ``Slider`` proto with
``type = SELECT_SLIDER``, ``options`` = the formatted labels (``"0.0001"`` … ``"3"``),
``default`` = option *indices* and ``raw_value`` = the current label(s) when the server sets the
value. The browser answers with ``WidgetState.string_array_value = ["0.012"]`` (the label, not
the index). Any other value kind (``double_array_value`` or ``int_array_value`` holding an
index) is not what the page expects: the playground raised an exception (a hostile client can
do that to its own session only).
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import math
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psutil
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NumberInput_pb2 import NumberInput
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parents[1]
MAX_SESSIONS = 300  # students at once
MAX_RERUNS = 50_000  # reruns in one run, all sessions together
MAX_DEADLINE = 3600.0  # seconds
RERUN_TIMEOUT = 120.0  # one rerun, send -> script_finished
SAMPLE_EVERY = 0.5  # seconds between psutil samples
SLIDER_KEY = re.compile(r"-pg:[a-z0-9_]+\.lr$")  # the playground's learning-rate sliders
FINISHED = ForwardMsg.ScriptFinishedStatus
DONE = (FINISHED.FINISHED_SUCCESSFULLY, FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
NET_ERRORS = (OSError, TimeoutError, websockets.ConnectionClosed, websockets.InvalidHandshake)


def check_loopback(host: str) -> str:
    """Refuses any host that is not a literal 127.x.y.z address.

    Args:
        host: A host name or address.

    Returns:
        ``host``, unchanged.

    Raises:
        ValueError: The host is not on loopback.
    """
    if not host.startswith("127."):
        raise ValueError(f"load tests run on loopback only (127.x.y.z), not {host!r}")
    return host


def stream_url(url: str) -> str:
    """The websocket address of a Streamlit server (``http://127.0.0.1:8501`` → ``ws://…``)."""
    parts = urlsplit(url)
    check_loopback(parts.hostname or "")
    path = parts.path.rstrip("/")
    return f"ws://{parts.hostname}:{parts.port or 80}{path}/_stcore/stream"


def rerun_msg(
    states: Sequence[WidgetState],
    page_hash: str = "",
    query: str = "",
    fragment_id: str = "",
) -> bytes:
    """A ``BackMsg.rerun_script`` as the browser sends it.

    Args:
        states: Every widget's current value (the browser always sends all of them).
        page_hash: The page's script hash from ``new_session`` ("" on first load: default page).
        query: The address bar's query string (the page's URL state).
        fragment_id: Rerun only this fragment; "" reruns the whole script.

    Returns:
        The serialized message.
    """
    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_script_hash = page_hash
    if fragment_id:
        msg.rerun_script.fragment_id = fragment_id
    msg.rerun_script.widget_states.widgets.extend(states)
    return msg.SerializeToString()


def widget_state(kind: str, el: Any) -> WidgetState | None:
    """The value a browser reports for a widget it has just drawn from ``el``.

    Args:
        kind: The element's type (``new_element.WhichOneof("type")``).
        el: The element's proto.

    Returns:
        A ``WidgetState``, or ``None`` for elements without a value to report (charts, text,
        widgets this client does not model — the server keeps their values itself).
    """
    state = WidgetState(id=getattr(el, "id", ""))
    if not state.id:
        return None
    if kind == "slider" and el.type == Slider.SELECT_SLIDER:
        labels = list(el.raw_value) or [el.options[int(i)] for i in el.default]
        state.string_array_value.data[:] = labels
    elif kind == "slider":
        state.double_array_value.data[:] = list(el.value) if el.set_value else list(el.default)
    elif kind == "selectbox":
        if el.HasField("raw_value"):
            state.string_value = el.raw_value
        elif el.HasField("default") and el.options:
            state.string_value = el.options[el.default]
        else:
            return None
    elif kind == "multiselect":
        labels = list(el.raw_values) if el.set_value else [el.options[i] for i in el.default]
        state.string_array_value.data[:] = labels
    elif kind == "button_group":
        contents = [o.content for o in el.options]
        labels = list(el.raw_values) if el.set_value else [contents[i] for i in el.default]
        state.string_array_value.data[:] = labels
    elif kind == "checkbox":
        state.bool_value = el.value if el.set_value else el.default
    elif kind == "number_input":
        value = el.value if el.HasField("value") else el.default
        if el.data_type == NumberInput.INT:
            state.int_value = int(value)
        else:
            state.double_value = value
    else:
        return None
    return state


@dataclass
class Student:
    """One simulated browser tab on the playground."""

    index: int
    ws_url: str
    rng: random.Random
    fragment: bool = True
    local_host: str | None = None
    ws: Any = None
    session_id: str = ""
    page_hash: str = ""
    query: str = ""
    values: dict[str, WidgetState] = field(default_factory=dict)
    sliders: dict[str, tuple[Slider, str]] = field(default_factory=dict)
    upstreams: list[str] = field(default_factory=list)
    first_render: float | None = None
    latencies: list[float] = field(default_factory=list)
    reconnect_latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    drops: int = 0
    restored: list[bool] = field(default_factory=list)
    page_info: str | None = None  # the last query string the server wrote
    bytes_in: int = 0

    async def connect(self, resume: bool = False) -> None:
        """Opens the websocket (offering the old session id on a reconnect, as browsers do)."""
        protocols = ["streamlit"]
        if resume and self.session_id:
            protocols += ["noxsrf", self.session_id]
        kwargs = {"local_addr": (check_loopback(self.local_host), 0)} if self.local_host else {}
        self.ws = await websockets.connect(
            self.ws_url,
            subprotocols=protocols,
            max_size=None,
            compression=None,
            open_timeout=30,
            close_timeout=2,
            **kwargs,
        )
        self.upstreams.append(self.ws.response.headers.get("X-Upstream", ""))

    async def close(self) -> None:
        """Closes the websocket, never raising."""
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)

    async def rerun(self, fragment_id: str = "") -> float:
        """Sends a rerun with every widget's value and reads until the script has finished.

        Args:
            fragment_id: The fragment to rerun; "" for the whole script.

        Returns:
            Seconds from sending to ``script_finished``.
        """
        t0 = time.perf_counter()
        await self.ws.send(
            rerun_msg(list(self.values.values()), self.page_hash, self.query, fragment_id)
        )
        seen: set[str] = set()
        while True:
            raw = await self.ws.recv()
            self.bytes_in += len(raw)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._element(msg.delta.new_element, msg.delta.fragment_id, seen)
            elif kind == "new_session":
                self.page_hash = msg.new_session.page_script_hash
                self.session_id = msg.new_session.initialize.session_id or self.session_id
            elif kind == "page_info_changed":
                self.query = self.page_info = msg.page_info_changed.query_string
            elif kind == "session_event" and msg.session_event.HasField(
                "script_compilation_exception"
            ):
                self.errors.append("script compilation exception")
            elif kind == "script_finished":
                status = msg.script_finished
                if status == FINISHED.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun(): the next run follows on the same socket
                if status not in DONE:
                    self.errors.append(f"script finished with status {status}")
                if not fragment_id:  # a full run: widgets not drawn again are gone
                    self.values = {k: v for k, v in self.values.items() if k in seen}
                return time.perf_counter() - t0

    def _element(self, el: Any, fragment_id: str, seen: set[str]) -> None:
        """Records one drawn element: widget values, the lr sliders and errors."""
        kind = el.WhichOneof("type")
        if kind == "exception":
            self.errors.append(f"exception: {el.exception.type} {el.exception.message[:120]}")
            return
        proto = getattr(el, kind)
        state = widget_state(kind, proto)
        if state is None:
            return
        seen.add(state.id)
        # The browser keeps its own value unless the server forces one (set_value).
        if getattr(proto, "set_value", False) or state.id not in self.values:
            self.values[state.id] = state
        if kind == "slider" and proto.type == Slider.SELECT_SLIDER and SLIDER_KEY.search(proto.id):
            self.sliders[proto.id] = (proto, fragment_id)

    def learning_rates(self) -> dict[str, str]:
        """URL field -> the label this student's learning-rate sliders show now."""
        return {
            slider_id.rpartition("-pg:")[2]: self.values[slider_id].string_array_value.data[0]
            for slider_id in self.sliders
            if self.values[slider_id].string_array_value.data
        }

    async def open(self) -> float:
        """Connects and renders the page for the first time; returns seconds to first render."""
        t0 = time.perf_counter()
        await self.connect()
        await self.rerun()
        if not self.sliders:
            self.errors.append("no learning-rate slider on the page")
        self.first_render = time.perf_counter() - t0
        return self.first_render

    async def move(self) -> float:
        """Drags one learning-rate slider one to three stops; returns the rerun latency."""
        slider_id = self.rng.choice(sorted(self.sliders))
        proto, fragment_id = self.sliders[slider_id]
        options = list(proto.options)
        current = list(self.values[slider_id].string_array_value.data)
        index = options.index(current[0]) if current and current[0] in options else 0
        step = self.rng.choice((-3, -2, -1, 1, 2, 3))
        new = index + step if 0 <= index + step < len(options) else index - step
        state = WidgetState(id=slider_id)
        state.string_array_value.data[:] = [options[new]]
        self.values[slider_id] = state
        latency = await self.rerun(fragment_id if self.fragment else "")
        self.latencies.append(latency)
        return latency

    async def reconnect(self) -> float:
        """After a dropped socket: reconnect and rerun the whole page with the values it had.

        This is what the frontend does when its websocket drops. On another replica the old
        session is unknown, so the server starts a new one from the widget values and the
        query string (the page's URL state).

        Returns:
            Seconds from the reconnect to the rendered page.
        """
        await self.close()
        link, self.page_info = self.query, None
        t0 = time.perf_counter()
        await self.connect(resume=True)
        await self.rerun()
        latency = time.perf_counter() - t0
        self.reconnect_latencies.append(latency)
        if link:
            # the new session's state is the link's: it wrote no other URL (a session that lost
            # the state would write its own, e.g. the defaults)
            self.restored.append(self.page_info in (None, link))
        return latency

    def summary(self) -> dict[str, Any]:
        """What happened to this student."""
        return {
            "index": self.index,
            "served": self.first_render is not None,
            "first_render_s": self.first_render,
            "moves_ok": len(self.latencies),
            "errors": list(self.errors),
            "drops": self.drops,
            "reconnects": len(self.reconnect_latencies),
            "restored": list(self.restored),
            "upstreams": list(self.upstreams),
            "query": self.query,
            "learning_rates": self.learning_rates(),
            "bytes_in": self.bytes_in,
        }


async def student_run(
    s: Student,
    moves: int,
    *,
    think: float,
    delay: float,
    reconnect: bool,
    on_move: Callable[[int, int], None] | None,
    counter: list[int],
) -> None:
    """One student's lesson: open the page, then ``moves`` slider moves.

    A dropped socket (a replica went away) ends the lesson, or with ``reconnect`` is followed by
    a reconnect (up to three tries) and the lesson goes on.
    """
    try:
        await asyncio.sleep(delay)
        try:
            await asyncio.wait_for(s.open(), RERUN_TIMEOUT)
        except NET_ERRORS as e:
            s.errors.append(f"open: {type(e).__name__}: {e}")
            return
        counter[0] += 1
        m = 0
        while m < moves and s.sliders:
            if think:
                await asyncio.sleep(think * s.rng.uniform(0.5, 1.5))
            try:
                await asyncio.wait_for(s.move(), RERUN_TIMEOUT)
            except TimeoutError:  # before OSError, its base class
                s.errors.append(f"rerun took over {RERUN_TIMEOUT:.0f} s")
                return
            except (OSError, websockets.ConnectionClosed) as e:
                s.drops += 1
                if not reconnect or s.drops > 3:
                    s.errors.append(f"dropped: {type(e).__name__}")
                    return
                with contextlib.suppress(*NET_ERRORS):
                    await asyncio.sleep(0.2)
                    await asyncio.wait_for(s.reconnect(), RERUN_TIMEOUT)
                continue
            counter[0] += 1
            if on_move is not None:
                on_move(s.index, m)
            m += 1
    finally:
        await s.close()


async def sample_processes(
    pids: Sequence[int], samples: list[dict[str, Any]], counter: list[int]
) -> None:
    """Appends ``{t, pid, cpu, cpu_s, rss, reruns}`` per live process every ``SAMPLE_EVERY`` s.

    ``cpu`` is the CPU % (of one core) since the last sample; ``cpu_s`` the CPU seconds (user +
    system) the process used since sampling began, which does not depend on how busy the rest
    of the machine is.
    """
    procs, base = {}, {}
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            procs[pid] = psutil.Process(pid)
            procs[pid].cpu_percent(None)  # primes the counter
            base[pid] = sum(procs[pid].cpu_times()[:2])
    t0 = time.perf_counter()
    while True:
        await asyncio.sleep(SAMPLE_EVERY)
        t = time.perf_counter() - t0
        for pid, proc in list(procs.items()):
            try:
                with proc.oneshot():
                    cpu, rss = proc.cpu_percent(None), proc.memory_info().rss
                    cpu_s = sum(proc.cpu_times()[:2]) - base[pid]
            except psutil.Error:
                del procs[pid]  # the process went away (a killed replica)
                continue
            samples.append(
                {"t": t, "pid": pid, "cpu": cpu, "cpu_s": cpu_s, "rss": rss, "reruns": counter[0]}
            )


def quantile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-quantile (linear interpolation); ``None`` for no values."""
    if not values:
        return None
    v = sorted(values)
    pos = q * (len(v) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def process_stats(samples: list[dict[str, Any]]) -> dict[int, dict[str, float]]:
    """Per process: CPU mean/max (% of one core) and RSS start/end/max (MiB) and growth (%)."""
    out = {}
    for pid in sorted({s["pid"] for s in samples}):
        mine = [s for s in samples if s["pid"] == pid]
        rss = [s["rss"] / 2**20 for s in mine]
        cpu = [s["cpu"] for s in mine]
        out[pid] = {
            "cpu_mean": statistics.fmean(cpu),
            "cpu_max": max(cpu),
            "cpu_s": mine[-1]["cpu_s"],
            "rss_start_mib": rss[0],
            "rss_end_mib": rss[-1],
            "rss_max_mib": max(rss),
            "rss_growth_pct": 100 * (rss[-1] - rss[0]) / rss[0],
        }
    return out


async def load_async(
    url: str,
    sessions: int = 60,
    moves: int = 20,
    deadline: float = 600.0,
    *,
    pids: Sequence[int] = (),
    fragment: bool = True,
    think: float = 0.0,
    ramp: float = 0.0,
    seed: int = 0,
    local_hosts: Sequence[str] = (),
    reconnect: bool = False,
    on_move: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """The load run itself; see :func:`run_load`."""
    if not 1 <= sessions <= MAX_SESSIONS:
        raise ValueError(f"sessions must be 1..{MAX_SESSIONS}")
    if not 0 <= sessions * moves <= MAX_RERUNS:
        raise ValueError(f"at most {MAX_RERUNS} reruns in one run")
    if not 0 < deadline <= MAX_DEADLINE:
        raise ValueError(f"deadline must be in (0, {MAX_DEADLINE}] s")
    ws_url = stream_url(url)
    for host in local_hosts:
        check_loopback(host)
    rng = random.Random(seed)
    students = [
        Student(
            i,
            ws_url,
            random.Random(rng.random()),
            fragment,
            local_hosts[i % len(local_hosts)] if local_hosts else None,
        )
        for i in range(sessions)
    ]
    counter = [0]
    samples: list[dict[str, Any]] = []
    sampler = asyncio.create_task(sample_processes(pids, samples, counter))
    t0 = time.perf_counter()
    load0 = os.getloadavg()[0]
    cpu0 = psutil.Process().cpu_times()
    timed_out = False
    try:
        await asyncio.wait_for(
            asyncio.gather(
                *(
                    student_run(
                        s,
                        moves,
                        think=think,
                        delay=ramp * i / sessions,
                        reconnect=reconnect,
                        on_move=on_move,
                        counter=counter,
                    )
                    for i, s in enumerate(students)
                )
            ),
            deadline,
        )
    except TimeoutError:
        timed_out = True
    finally:
        wall = time.perf_counter() - t0
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler
    cpu1 = psutil.Process().cpu_times()
    latencies = [x for s in students for x in s.latencies]
    firsts = [s.first_render for s in students if s.first_render is not None]
    errors = [f"session {s.index}: {e}" for s in students for e in s.errors]
    return {
        "url": url,
        "mode": "fragment reruns (as the browser)" if fragment else "full reruns",
        "sessions_total": sessions,
        "sessions_served": len(firsts),
        "sessions_ok": sum(
            s.first_render is not None and len(s.latencies) == moves and not s.errors
            for s in students
        ),
        "reruns_planned": sessions * moves,
        "reruns_ok": len(latencies),
        "latency_median_s": quantile(latencies, 0.5),
        "latency_p95_s": quantile(latencies, 0.95),
        "latency_max_s": max(latencies, default=None),
        "first_render_median_s": quantile(firsts, 0.5),
        "first_render_max_s": max(firsts, default=None),
        "reconnects": sum(len(s.reconnect_latencies) for s in students),
        "reconnect_median_s": quantile([x for s in students for x in s.reconnect_latencies], 0.5),
        "wall_s": wall,
        "load_average": (load0, os.getloadavg()[0]),
        "timed_out": timed_out,
        "errors": errors,
        "exceptions": sum(e.startswith("exception") for s in students for e in s.errors),
        "mib_received": sum(s.bytes_in for s in students) / 2**20,
        "client_cpu_s": (cpu1.user + cpu1.system) - (cpu0.user + cpu0.system),
        "server": (server := process_stats(samples)),
        # server CPU time per page render (first renders + moves): the cost of one rerun on an
        # idle core, whatever else the machine is doing; 1 / this = renders/s per process
        "server_cpu_s_per_render": sum(p["cpu_s"] for p in server.values()) / max(counter[0], 1),
        "samples": samples,
        "students": [s.summary() for s in students],
    }


def run_load(
    url: str, sessions: int = 60, moves: int = 20, deadline: float = 600.0, **kwargs: Any
) -> dict[str, Any]:
    """Runs a classroom against a Streamlit server on loopback and returns the numbers.

    Args:
        url: The server, e.g. ``"http://127.0.0.1:8501"`` (or an nginx in front of replicas).
        sessions: Students at once, each one websocket session.
        moves: Slider moves per student (each one rerun, waited for).
        deadline: Seconds for the whole run; unfinished students count as not served.
        **kwargs: ``pids`` (processes to sample), ``fragment`` (True: fragment reruns like the
            browser; False: full reruns), ``think`` (mean seconds between moves), ``ramp``
            (seconds over which students arrive), ``seed``, ``local_hosts`` (127.x source
            addresses, one per student in turn — distinct students for ``ip_hash``),
            ``reconnect`` (reconnect after a dropped socket), ``on_move(student, move)``.

    Returns:
        ``sessions_total``/``sessions_served``/``sessions_ok``, ``reruns_planned``/
        ``reruns_ok``, ``latency_median_s``/``latency_p95_s``/``latency_max_s``,
        ``first_render_median_s``, ``wall_s``, ``timed_out``, ``errors``, ``exceptions``,
        ``server`` (pid → CPU and RSS statistics), ``samples`` and per-student ``students``.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(load_async(url, sessions, moves, deadline, **kwargs))
    # This thread already runs a loop (e.g. Playwright's sync API in the same pytest session).
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        job = pool.submit(asyncio.run, load_async(url, sessions, moves, deadline, **kwargs))
        return job.result()


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float = 120.0) -> None:
    """Waits until ``GET /_stcore/health`` answers ``ok``."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with contextlib.suppress(OSError):
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return
        time.sleep(0.3)
    raise TimeoutError(f"streamlit did not become healthy at {url}")


def start_server(port: int, log: Path, extra: Sequence[str] = ()) -> subprocess.Popen:
    """``python -m streamlit run app.py`` on 127.0.0.1:``port``, output to ``log``."""
    with open(log, "w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py",
             "--server.address", "127.0.0.1", "--server.port", str(port),
             "--server.headless", "true", "--server.fileWatcherType", "none", *extra],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def stop(proc: subprocess.Popen) -> None:
    """Terminates a process we started, then kills it if it lingers."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def fmt_s(x: float | None) -> str:
    """Seconds with two decimals, or a dash."""
    return "–" if x is None else f"{x:.2f} s"


def report(r: dict[str, Any], title: str) -> None:
    """Prints a load result as a short table and a CPU/RSS timeline."""
    rate = r["reruns_ok"] / max(r["wall_s"], 1e-9)
    lines = [
        f"\n== {title}: {r['mode']}, {r['url']}",
        f"sessions served     {r['sessions_served']}/{r['sessions_total']}"
        f" (all moves, no errors: {r['sessions_ok']})",
        f"reruns finished     {r['reruns_ok']}/{r['reruns_planned']}"
        + ("  (DEADLINE HIT)" if r["timed_out"] else ""),
        f"rerun latency       median {fmt_s(r['latency_median_s'])}"
        f"  p95 {fmt_s(r['latency_p95_s'])}  max {fmt_s(r['latency_max_s'])}",
        f"first render        median {fmt_s(r['first_render_median_s'])}"
        f"  max {fmt_s(r['first_render_max_s'])}",
        f"wall time           {r['wall_s']:.1f} s; {rate:.1f} reruns/s;"
        f" {r['mib_received']:.0f} MiB received; client CPU {r['client_cpu_s']:.1f} s",
        f"machine load        1-min load average {r['load_average'][0]:.1f} at start,"
        f" {r['load_average'][1]:.1f} at end ({psutil.cpu_count()} CPUs)",
    ]
    if r["reconnects"]:
        lines.append(
            f"reconnects          {r['reconnects']} (median {fmt_s(r['reconnect_median_s'])}"
            " from the new socket to the re-rendered page)"
        )
    if r["server"]:
        lines.append(
            f"server CPU / render {1e3 * r['server_cpu_s_per_render']:.0f} ms of CPU time"
            f" (at most {1 / max(r['server_cpu_s_per_render'], 1e-9):.0f} renders/s per process)"
        )
    for pid, p in r["server"].items():
        lines.append(
            f"server pid {pid:<8} CPU mean {p['cpu_mean']:.0f} % max {p['cpu_max']:.0f} %"
            f" (of one core); RSS start {p['rss_start_mib']:.0f} end {p['rss_end_mib']:.0f}"
            f" max {p['rss_max_mib']:.0f} MiB, growth {p['rss_growth_pct']:+.1f} %"
        )
    samples = r["samples"]
    if samples:
        lines.append("timeline (t s, renders done, pid, CPU %, RSS MiB):")
        step = max(1, len(samples) // 12)
        for s in samples[::step] + samples[-1:]:
            lines.append(
                f"  {s['t']:7.1f} {s['reruns']:7d} {s['pid']:8d} {s['cpu']:6.0f}"
                f" {s['rss'] / 2**20:8.0f}"
            )
    lines.append(f"errors              {len(r['errors'])} ({r['exceptions']} exception elements)")
    lines += [f"   {e}" for e in r["errors"][:10]]
    print("\n".join(lines), flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="server to load (default: start one on a free port)")
    ap.add_argument("--pid", type=int, action="append", default=[], help="process to sample")
    ap.add_argument("--replicas", type=int, default=0, help="N replicas behind nginx instead")
    ap.add_argument("--sessions", type=int, default=60, help="students at once (60)")
    ap.add_argument("--moves", type=int, default=20, help="slider moves per student (20)")
    ap.add_argument("--soak", type=int, default=0, help="also run this many reruns in total")
    ap.add_argument("--soak-sessions", type=int, default=4, help="sessions for the soak (4)")
    ap.add_argument("--deadline", type=float, default=900.0, help="seconds per run (900)")
    ap.add_argument("--full", action="store_true", help="full reruns instead of fragment reruns")
    ap.add_argument("--think", type=float, default=0.0, help="mean seconds between moves (0)")
    ap.add_argument("--ramp", type=float, default=0.0, help="students arrive over this many s")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip-class", action="store_true", help="only the soak")
    args = ap.parse_args(argv)

    with contextlib.ExitStack() as stack:
        url, pids, direct, hosts = args.url, list(args.pid), [], []
        if args.replicas:  # deploy/run_replicas.py: N replicas + nginx (ip_hash)
            sys.path.insert(0, str(ROOT / "deploy"))
            import run_replicas

            c = stack.enter_context(run_replicas.cluster(args.replicas, upstream_header=True))
            url, pids = c.url, [p.pid for p in c.replicas.values()]
            direct = [f"http://127.0.0.1:{port}" for port in c.replicas]
            # one 127.0.k.1 source address per student: distinct ip_hash keys, like a classroom
            hosts = [f"127.0.{k}.1" for k in range(1, args.sessions + 1)]
        elif url is None:
            port = free_port()
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="optviz-load-"))
            server = start_server(port, Path(tmp) / "streamlit.log")
            stack.callback(stop, server)
            url, pids = f"http://127.0.0.1:{port}", [server.pid]
            direct = [url]
            wait_healthy(url)
        stream_url(url)  # loopback check before anything is sent
        print(
            f"server {url} (pids {pids}); load average {os.getloadavg()[0]:.2f};"
            f" {psutil.cpu_count()} CPUs",
            flush=True,
        )
        opts = {"pids": pids, "fragment": not args.full, "seed": args.seed}
        ok = True
        for address in direct or [url]:  # the teacher opens the page first
            warm = run_load(address, 1, 3, 300, **opts)
            print(f"warm-up {address}: first render {fmt_s(warm['first_render_median_s'])}")
            ok &= not warm["errors"]
        if not args.skip_class:
            r = run_load(
                url,
                args.sessions,
                args.moves,
                args.deadline,
                think=args.think,
                ramp=args.ramp,
                local_hosts=hosts,
                **opts,
            )
            report(r, f"class: {args.sessions} students x {args.moves} moves")
            ok &= r["sessions_ok"] == r["sessions_total"]
        if args.soak:
            k = args.soak_sessions
            moves = math.ceil(args.soak / k)
            r = run_load(url, k, moves, args.deadline, local_hosts=hosts[:k], **opts)
            report(r, f"soak: {k} sessions x {moves} moves")
            ok &= r["sessions_ok"] == r["sessions_total"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
