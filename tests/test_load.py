"""Load: a CI-sized classroom (20 students x 5 slider moves) over Streamlit's websocket protocol.

The full-size run (60 x 20, and a soak of a few thousand reruns) is ``python bench/load.py``;
its numbers are in the README ("Serving a classroom").
"""

import math
import sys
from pathlib import Path
from urllib.parse import parse_qsl

import psutil
import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Checkbox_pb2 import Checkbox
from streamlit.proto.Slider_pb2 import Slider

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402

from optviz import OPTIMIZERS  # noqa: E402


def server_pid(url: str) -> int:
    """The pid of the ``streamlit run`` child of this process serving ``url``."""
    port = url.rsplit(":", 1)[1]
    for child in psutil.Process().children(recursive=True):
        cmd = child.cmdline()
        if "streamlit" in cmd and port in cmd:
            return child.pid
    raise LookupError(f"no streamlit child serving {url}")


@pytest.mark.parametrize("host", ["localhost", "10.0.0.1", "example.com", "0.0.0.0", ""])
def test_loopback_only(host):
    with pytest.raises(ValueError, match="loopback"):
        load.check_loopback(host)
    with pytest.raises(ValueError, match="loopback"):
        load.run_load(f"http://{host}:8501", 1, 1, 1)


def test_bounded():
    for kwargs in ({"sessions": 0}, {"sessions": 10_000}, {"moves": 10_000}, {"deadline": 1e6}):
        with pytest.raises(ValueError):
            load.run_load("http://127.0.0.1:9", **kwargs)


def test_stream_url():
    assert load.stream_url("http://127.0.0.1:8501") == "ws://127.0.0.1:8501/_stcore/stream"
    assert load.stream_url("http://127.0.0.2:80/app/") == "ws://127.0.0.2:80/app/_stcore/stream"


def test_select_slider_value_is_the_option_label():
    """What the browser reports for a select_slider: the label(s), not the index."""
    el = Slider(id="$$ID-x-pg:sgd.lr", type=Slider.SELECT_SLIDER, options=["0.01", "0.1", "1"])
    el.default[:] = [1]
    assert list(load.widget_state("slider", el).string_array_value.data) == ["0.1"]
    el.raw_value[:] = ["1"]  # the server set the value (session state)
    assert list(load.widget_state("slider", el).string_array_value.data) == ["1"]
    plain = Slider(id="$$ID-y-pg:noise", type=Slider.SLIDER, set_value=True)
    plain.value[:] = [0.5]
    assert list(load.widget_state("slider", plain).double_array_value.data) == [0.5]


def test_rerun_msg():
    state = load.widget_state("checkbox", Checkbox(id="w", value=True, set_value=True))
    msg = BackMsg()
    msg.ParseFromString(load.rerun_msg([state], "hash", "a=1", "frag"))
    assert msg.rerun_script.fragment_id == "frag"
    assert msg.rerun_script.page_script_hash == "hash"
    assert msg.rerun_script.query_string == "a=1"
    assert msg.rerun_script.widget_states.widgets[0].bool_value


@pytest.mark.slow
def test_classroom_20_students(server_url):
    """20 students open the playground at once and each moves a learning rate 5 times."""
    r = load.run_load(server_url, sessions=20, moves=5, deadline=300, pids=[server_pid(server_url)])
    load.report(r, "CI classroom")  # shown with pytest -s
    assert not r["timed_out"]
    assert r["errors"] == [] and r["exceptions"] == 0
    assert r["sessions_served"] == r["sessions_ok"] == 20
    assert r["reruns_ok"] == r["reruns_planned"] == 100
    assert r["latency_p95_s"] < 15.0  # a smoke bound for a shared 2-core CI box
    assert r["first_render_max_s"] < 60.0
    # every student's moves reached the server: the URL it was given holds its learning rates
    # (a rate moved back to its default is left out of the URL, as every default is)
    for s in r["students"]:
        query = dict(parse_qsl(s["query"]))
        assert s["learning_rates"], s
        for field, label in s["learning_rates"].items():
            opt = OPTIMIZERS[field.partition(".")[0]]
            default = next(p.default for p in opt.params if p.name == "lr")
            in_url = float(query.get(field, default))
            assert math.isclose(in_url, float(label), rel_tol=1e-6), (field, label, s["query"])
    (server,) = r["server"].values()
    assert server["rss_max_mib"] > 0
