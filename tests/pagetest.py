"""Helpers shared by the AppTest page tests: open a page with a query string, read its charts."""

import base64
import json
import re

import numpy as np
from streamlit.testing.v1 import AppTest

from optviz.ui import live_chart


def open_page(path: str, query: dict | None = None, timeout: float = 180) -> AppTest:
    """Runs the script at ``path`` once with ``query`` as its query string."""
    at = AppTest.from_file(path, default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def charts(at: AppTest) -> list[tuple[str, dict]]:
    """``(element id, Plotly JSON)`` of every chart: ``st.plotly_chart``'s and the in-place
    chart's (``optviz.ui.live_chart``, a components-v2 element whose data holds the figure)."""
    found = [(c.proto.id, json.loads(c.proto.spec)) for c in at.get("plotly_chart")]
    for element in at.get("bidi_component"):
        if element.proto.component_name == live_chart.COMPONENT:
            found.append((element.proto.id, live_chart.spec_of(element.proto.json)))
    return found


def live_data(at: AppTest, key: str) -> dict:
    """The data (figure JSON, config, live-drag family) the in-place chart ``key`` was given."""
    for element in at.get("bidi_component"):
        if element.proto.component_name == live_chart.COMPONENT and key in element.proto.id:
            return json.loads(element.proto.json)
    raise AssertionError(f"no in-place chart {key}")


def chart_spec(at: AppTest, key: str) -> dict:
    """The Plotly JSON of the chart whose element id contains ``key``."""
    for element_id, spec in charts(at):
        if key in element_id:
            return spec
    raise AssertionError(f"no chart {key}")


def typed_array(value) -> np.ndarray:
    """A Plotly JSON array (plain list or base64 typed array) as numpy."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), np.dtype(value["dtype"]))
    return np.asarray(value, np.float64)


def texts(elements) -> str:
    """The values of text elements (markdown, captions, alerts) joined by spaces."""
    return " ".join(e.value for e in elements)


def export_keys(at: AppTest) -> list[str]:
    """Session keys of the page's export panels (they draw their buttons only when open)."""
    return [e.proto.id.split("-", 2)[2] for e in at.expander if e.proto.id.endswith("export")]


def open_exports(at: AppTest) -> AppTest:
    """Opens every export panel of the page and reruns it."""
    keys = export_keys(at)
    assert keys, "the page has no export panel"
    for key in keys:
        at.session_state[key] = True
    return at.run()


def tab_groups(at: AppTest) -> list[tuple[str, list[str]]]:
    """(session key, labels) of every lazy tab group (``st.tabs(key=..., on_change=...)``)."""
    groups = []

    def walk(block):
        for child in getattr(block, "children", {}).values():
            if getattr(child, "type", "") == "tab_container" and child.proto.id:
                labels = [tab.label for tab in child.children.values()]
                groups.append((child.proto.id.split("-", 2)[2], labels))
            walk(child)

    walk(at.main)
    return groups


def open_tab(at: AppTest, label: str) -> AppTest:
    """Opens the tab called ``label`` (lazy tabs draw only the open one) and reruns."""
    for key, labels in tab_groups(at):
        if label in labels:
            at.session_state[key] = label
            return at.run()
    raise AssertionError(f"no tab {label!r}")


def _cell(text: str):
    """A Markdown table cell as a value: "—" is None, then an int, a float or the text."""
    text = text.strip().replace("\\|", "|")
    if text == "—":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def markdown_tables(at: AppTest) -> list[list[dict]]:
    """Every Markdown table on the page, each as a list of row dicts (header → value)."""
    tables = []
    for element in at.markdown:
        lines = [line for line in element.value.splitlines() if line.startswith("|")]
        if len(lines) < 2 or not set(lines[1]) <= set("|:- "):
            continue
        split = [re.split(r"(?<!\\)\|", line)[1:-1] for line in lines]  # cells between the bars
        header = [c.strip() for c in split[0]]
        tables.append([dict(zip(header, map(_cell, row), strict=True)) for row in split[2:]])
    return tables
