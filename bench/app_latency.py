"""Playground latency: server rerun time, figure bytes, slider→paint and load→chart in Chromium.

Run: ``python bench/app_latency.py`` (needs Debian's chromium at /usr/bin/chromium). Prints:

- server-side rerun time of a slider move (AppTest, whole script; the browser reruns only the
  fragment, so this is an upper bound), median of 20 distinct learning rates;
- the same over a real server's websocket, as the browser does it: one student's fragment
  rerun from sending the slider value to ``script_finished`` (bench/load.py's client), median
  of 40 moves of one to three stops (new values and revisited ones);
- bytes of the race figure's JSON for 4 optimizers × 500 steps (what goes over the websocket);
- in Chromium against ``streamlit run`` on 127.0.0.1: page load → first chart (cold server,
  then the median and range of 7 loads against the warm server, each in a new browser context),
  and slider move → chart repainted, median of 12; on the playground (the in-place chart) also
  four mouse drags across the learning-rate slider: redraws, redraws per second and how long
  after the thumb moved its path was drawn;
- the in-place chart's data for 4 optimizers × 100 steps: the figure and the η family;
- the same two browser numbers for ``bench/floor_app.py`` (one slider, a three-point chart):
  the floor that Streamlit and plotly.js set on this machine, whatever the playground does;
- process RSS over 300 reruns (memory must stay flat with ``runner.postScriptGC=false``).
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import plotly.io as pio  # noqa: E402
import psutil  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS, free_port, wait_healthy  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from optviz.ui import cached  # noqa: E402

APP = str(ROOT / "app.py")
FLOOR_APP = "bench/floor_app.py"  # Streamlit + plotly.js alone, measured the same way
WARM_LOADS = 7  # page loads against the warm server
LRS = [0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008, 0.01, 0.012, 0.015]


def server_rerun_ms() -> float:
    """Median AppTest rerun time after moving SGD's learning-rate slider (cache misses)."""
    at = AppTest.from_file(APP, default_timeout=300).run()
    slider = "pg:sgd.lr"
    times = []
    for lr in [*LRS, *(v * 10 for v in LRS)]:
        at.select_slider(key=slider).set_value(float(f"{lr:.6g}"))
        t = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - t) * 1e3)
        assert not at.exception
    return statistics.median(times)


def websocket_rerun_ms(moves: int = 40) -> tuple[float, float]:
    """(median latency, server CPU) in ms of one student's fragment reruns on a real server."""
    import tempfile

    import load

    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        server = load.start_server(port, Path(tmp) / "server.log")
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url)
            load.run_load(url, sessions=1, moves=3, deadline=300)  # compile and warm the caches
            r = load.run_load(url, sessions=1, moves=moves, deadline=300, pids=[server.pid])
        finally:
            load.stop(server)
    return r["latency_median_s"] * 1e3, r["server_cpu_s_per_render"] * 1e3


def figure_bytes() -> int:
    """JSON size of the overlay race figure, 4 optimizers × 500 steps."""
    hp = {k: {} for k in ("sgd", "momentum", "rmsprop", "adam")}
    race = cached.race_from_state(
        {"surface": "quadratic", "opts": list(hp), "steps": 500, "start": None}, hp
    )
    fig = cached.race_figure.__wrapped__(race, "overlay")
    return len(pio.to_json(fig, validate=False))


def rss_over_reruns(n: int = 300) -> tuple[float, float]:
    """RSS (MiB) after 50 reruns and after ``n`` reruns of the playground."""
    proc = psutil.Process()
    at = AppTest.from_file(APP, default_timeout=300).run()
    first = 0.0
    for i in range(n):
        at.select_slider(key="pg:sgd.lr").set_value(LRS[i % len(LRS)] * 10).run()
        if i == 50:
            first = proc.memory_info().rss / 2**20
    return first, proc.memory_info().rss / 2**20


def browser_numbers(app: str = "app.py") -> dict[str, float]:
    """Load → chart (cold, warm) and slider → repaint, in Chromium against a real server.

    Args:
        app: The Streamlit script, relative to the repository (``bench/floor_app.py`` for
            the floor); its slider carries the playground's learning-rate label and moves the
            second trace of its first chart.
    """
    import subprocess

    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", app, "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    out = {}
    try:
        wait_healthy(url.rstrip("/"))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            loads = []
            for _ in range(1 + WARM_LOADS):  # each page is a new browser context: no cache
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                t = time.perf_counter()
                page.goto(url)
                page.wait_for_selector(".js-plotly-plot .main-svg", timeout=300_000)
                loads.append(time.perf_counter() - t)
                if len(loads) <= WARM_LOADS:
                    page.close()
            out["load → chart, cold server (s)"] = loads[0]
            out["load → chart, warm server, median (s)"] = statistics.median(loads[1:])
            out["load → chart, warm server, fastest (s)"] = min(loads[1:])
            out["load → chart, warm server, slowest (s)"] = max(loads[1:])
            slider = page.get_by_role("slider", name="lr $\\eta$").first
            times = []
            for i in range(12):
                page.evaluate(
                    "() => { window.__x = JSON.stringify(Array.from("
                    "document.querySelector('.js-plotly-plot')._fullData[1].x)) }"
                )
                slider.focus()
                t = time.perf_counter()
                page.keyboard.press("ArrowLeft" if i % 2 == 0 else "ArrowRight")
                page.wait_for_function(
                    "() => { const g = document.querySelector('.js-plotly-plot');"
                    " return g && g._fullData && g._fullData[1] &&"
                    " JSON.stringify(Array.from(g._fullData[1].x)) !== window.__x }",
                    timeout=60_000,
                )
                times.append((time.perf_counter() - t) * 1e3)
            out["slider → repaint, median (ms)"] = statistics.median(times)
            out["slider → repaint, first (cache miss) (ms)"] = times[0]
            out["slider → repaint, range (ms)"] = (min(times), max(times))
            if page.locator(".optviz-live-chart").count():
                out.update(drag_numbers(page))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return out


def drag_numbers(page, sweeps: int = 4) -> dict[str, float]:
    """Mouse drags across the SGD tab's learning-rate slider: redraws while the thumb moves.

    Each sweep is one ``mouse.move`` in 60 steps from one end of the track to the other (mouse
    events as fast as Chromium takes them); the in-place chart records, for every position it
    drew, when the thumb moved and when the path was drawn (``liveTimes``, in the page's
    clock). Nothing reaches the server before the release.
    """
    page.wait_for_timeout(1500)  # the last keyboard move's rerun has landed
    track = page.locator(".st-key-pg-sgd-lr [role=group]").first  # SGD's η slider's track
    area = track.bounding_box()
    thumb = track.locator("[data-testid=stSliderThumbValue]").bounding_box()
    x, y = thumb["x"] + thumb["width"] / 2, thumb["y"] + thumb["height"] + 8
    left, right = area["x"] + 0.05 * area["width"], area["x"] + 0.95 * area["width"]
    page.evaluate("() => { document.querySelector('.optviz-live-chart').liveTimes = [] }")
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(sweeps):
        page.mouse.move(right if i % 2 == 0 else left, y, steps=60)
    page.mouse.up()
    times = page.evaluate("() => document.querySelector('.optviz-live-chart').liveTimes || []")
    lags = [done - seen for seen, done in times]
    span_s = (times[-1][1] - times[0][1]) / 1e3 if len(times) > 1 else float("nan")
    return {
        "drag: redraws": len(times),
        "drag: redraws per second": (len(times) - 1) / span_s,
        "drag: thumb moved → path drawn, median (ms)": statistics.median(lags) if lags else -1,
        "drag: thumb moved → path drawn, max (ms)": max(lags) if lags else -1,
    }


def payload_bytes() -> tuple[int, int]:
    """(race figure, learning-rate family) JSON bytes the in-place chart gets, 4 × 100 steps."""
    from optviz.ui import live_chart

    hp = {k: {} for k in ("sgd", "momentum", "rmsprop", "adam")}
    race = cached.race_from_state(
        {"surface": "quadratic", "opts": list(hp), "steps": 100, "start": None}, hp
    )
    fig = cached.race_figure.__wrapped__(race, "overlay")
    heads = next(i for i, trace in enumerate(fig.data) if trace.name == "heads")
    family = cached.lr_family.__wrapped__(race, 0, "pg:sgd.lr", heads)
    import json

    return len(live_chart.figure_json(fig)), len(json.dumps(family))


def main():
    fig, family = payload_bytes()
    print(f"in-place chart data, 4 optimizers x 100 steps: figure {fig / 1e3:.0f} KB + "
          f"η family {family / 1e3:.0f} KB = {(fig + family) / 1e3:.0f} KB")  # fmt: skip
    print(f"figure JSON, 4 optimizers x 500 steps: {figure_bytes() / 1e3:.0f} KB")
    print(f"server rerun after a slider move (AppTest, whole script): {server_rerun_ms():.0f} ms")
    latency, cpu = websocket_rerun_ms()
    print(f"fragment rerun, real server (send -> finished): {latency:.0f} ms, CPU {cpu:.0f} ms")
    first, last = rss_over_reruns()
    print(f"RSS after 50 reruns {first:.0f} MiB, after 300 {last:.0f} MiB")
    for label, value in browser_numbers().items():
        print(f"{label}: {value if isinstance(value, tuple) else round(value, 2)}")
    print("floor: Streamlit + plotly.js alone (bench/floor_app.py: one slider, a 3-point chart)")
    for label, value in browser_numbers(FLOOR_APP).items():
        print(f"  floor {label}: {value if isinstance(value, tuple) else round(value, 2)}")


if __name__ == "__main__":
    main()
