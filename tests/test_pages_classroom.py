"""Every page in Chinese shows Chinese inside its charts too, and every chart page exports."""

import re
from pathlib import Path

import pagetest
import pytest
from pagetest import export_keys
from streamlit.testing.v1 import AppTest

from optviz import OPTIMIZERS
from optviz.ui.nav import PAGES

ROOT = Path(__file__).resolve().parents[1]
WORD = re.compile(r"[A-Za-z]{3,}")
#: English-looking words that are names or notation in Chinese text too.
ALLOWED = {
    *(o.name for o in OPTIMIZERS.values()),
    *("SGD", "SGDR", "AdamW", "float", "log", "exp", "sin", "cos", "tanh", "sqrt", "abs"),
    *("max", "min", "tol", "NaN"),
}
PLOTLY_CODE = re.compile(r"%\{[^}]*\}|<[^>]*>")  # placeholders and HTML tags in hover text


def shown_texts(spec: dict) -> list[str]:
    """Texts a reader sees in a Plotly figure: legend names, hover text (and the frame counter's
    text), buttons, titles."""
    out = []
    for trace in spec.get("data", []):
        if trace.get("showlegend", True) is not False and trace.get("type") != "heatmap":
            out.append(trace.get("name") or "")
        for key in ("text", "hovertext", "hovertemplate", "texttemplate"):
            value = trace.get(key)
            out += value if isinstance(value, list) else [value]
    layout = spec.get("layout", {})
    for name, axis in layout.items():
        if re.fullmatch(r"[xy]axis\d*", name) or name == "scene":
            axes = [axis] if name != "scene" else [axis.get(a, {}) for a in ("xaxis", "yaxis")]
            for ax in axes:
                out.append((ax.get("title") or {}).get("text"))
                out += ax.get("ticktext") or []
    out.append((layout.get("title") or {}).get("text"))
    out += [a.get("text") for a in layout.get("annotations", [])]
    for menu in layout.get("updatemenus", []):
        out += [b.get("label") for b in menu.get("buttons", [])]
    return [PLOTLY_CODE.sub(" ", t) for t in out if isinstance(t, str)]


def english_words(texts: list[str]) -> set[str]:
    """Words of three or more ASCII letters that are not names or notation."""
    return {w for text in texts for w in WORD.findall(text) if w not in ALLOWED}


def open_page(entry, lang: str, opened: list[str] = ()) -> AppTest:
    """The page script alone, in ``lang``, with the export panels ``opened`` open."""
    at = AppTest.from_file(str(ROOT / entry.path), default_timeout=300)
    at.query_params["lang"] = lang
    at.session_state["lang"] = lang
    for key in opened:
        at.session_state[key] = True
    return at.run()


@pytest.mark.parametrize("entry", PAGES, ids=[p.url_path for p in PAGES])
def test_charts_speak_chinese_and_every_chart_page_exports(entry):
    at = open_page(entry, "zh")
    assert not at.exception, at.exception
    charts = [spec for _, spec in pagetest.charts(at)]
    assert charts, "the page draws no chart"
    found = {w for spec in charts for w in english_words(shown_texts(spec))}
    assert not found, f"English inside the charts of {entry.title}: {sorted(found)}"
    assert all(table.proto.placeholder == "—" for table in at.dataframe)  # no "None" cells
    keys = export_keys(at)
    assert keys, f"{entry.title} has no export panel"
    # a fresh run with the panels open (AppTest's rerun looks a selectbox's value up among
    # its translated labels and fails on a Chinese page)
    opened = open_page(entry, "zh", opened=keys)
    files = [button.proto.label for button in opened.get("download_button")]
    assert "HTML" in files, f"{entry.title} exports nothing"


def test_the_check_sees_english():
    """The check itself is not blind: an English legend, button and hover text are caught."""
    spec = {
        "data": [{"name": "iso-lines", "showlegend": False}, {"name": "known minima"}],
        "layout": {
            "updatemenus": [{"buttons": [{"label": "▶ Play"}]}],
            "xaxis": {"title": {"text": "step t"}},
        },
    }
    spec["data"][1]["hovertemplate"] = "minimum %{x}<extra></extra>"
    words = english_words(shown_texts(spec))
    assert words == {"known", "minima", "Play", "step", "minimum"}
    assert not english_words(["梯度下降 (SGD)", "Adam η = 0.1", "x₁ %{x:.3f}"])
