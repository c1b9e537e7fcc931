"""Bad input everywhere: random and extreme widget values and tampered links on every page.

Every page must answer with a picture or a clear message — never a Streamlit exception.
"""

import math
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pagetest import charts, markdown_tables, open_tab, tab_groups
from pagetest import open_page as open_script

from optviz import OPTIMIZERS
from optviz.ui.nav import PAGES

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGE_IDS = [p.url_path for p in PAGES]
WIDGET_KINDS = (
    "slider", "select_slider", "number_input", "selectbox", "multiselect", "toggle", "radio",
    "checkbox", "text_input",
)  # fmt: skip
TAMPERED = [
    "nan", "inf", "-inf", "1e999", "-1e999", "", " ", "abc", "0x10", "<script>alert(1)</script>",
    "x" * 3000, "-0", "1,2,3,4", "NaN,NaN", "🙂", "../../etc/passwd", "%00", "true", "[]",
]  # fmt: skip


def open_page(entry, query=None):
    at = open_script(APP, query, 300)
    if entry.path != PAGES[0].path:
        at.switch_page(entry.path).run()
    return at


def open_standalone(entry, query):
    """The page script alone with a query string (navigating clears a link's parameters)."""
    return open_script(str(ROOT / entry.path), query, 300)


def widgets(at):
    """Every keyed, enabled widget on the page."""
    found = []
    for kind in WIDGET_KINDS:
        for w in getattr(at, kind, []):
            if getattr(w, "key", None) and not getattr(w, "disabled", False):
                found.append((kind, w))
    return found


def field_names(at):
    """URL field names of a page: its widget keys without the page prefix."""
    names = set()
    for _, w in widgets(at):
        key = w.key
        if ":" in key and not key.split(":", 1)[1].startswith("_"):
            names.add(key.split(":", 1)[1])
    return sorted(names)


def number(label, like):
    """The number behind a slider label ("0.0012", "100"), typed like the current value."""
    try:
        value = float(label)
    except (TypeError, ValueError):
        return None
    return int(value) if isinstance(like, int) and not isinstance(like, bool) else value


def extreme_value(kind, w, pick):
    """A boundary, middle or random value that the widget accepts (None: skip it).

    AppTest lists options as their formatted labels, so choice widgets are driven by index.
    """
    if kind in ("slider", "number_input"):
        if isinstance(w.value, tuple | list):
            return None
        lo = w.min if w.min is not None else -1e6
        hi = w.max if w.max is not None else 1e6
        options = [lo, hi, (lo + hi) / 2, lo + (hi - lo) * pick]
        value = options[int(pick * 997) % len(options)]
        return int(value) if isinstance(w.value, int) and not isinstance(w.value, bool) else value
    if kind == "select_slider":
        numbers = [number(o, w.value) for o in w.options]
        if None in numbers or not numbers:
            return None
        return [numbers[0], numbers[-1], numbers[int(pick * len(numbers)) % len(numbers)]][
            int(pick * 3) % 3
        ]
    if kind == "radio":
        return None  # AppTest's radio has no select_index and lists formatted labels
    if kind == "selectbox":
        try:
            w.index  # noqa: B018 - AppTest formats the value outside the run; some pages'
        except ValueError:  # format_func (a dict's .get built during the run) cannot: skip
            return None
        return ("index", int(pick * len(w.options)) % len(w.options)) if w.options else None
    if kind == "multiselect":
        current = list(w.value)
        return current[: int(pick * (len(current) + 1))]
    if kind in ("toggle", "checkbox"):
        return pick > 0.5
    if kind == "text_input":
        return ["", "x**2 + y**2", "1/0", "log(x)", "2y", "x" * 400][int(pick * 6) % 6]
    return None


def set_widget(at, kind, key, value):
    """Sets a widget by key through the matching AppTest accessor."""
    w = getattr(at, kind)(key=key)
    if isinstance(value, tuple) and value[0] == "index":
        w.select_index(value[1])
    else:
        w.set_value(value)


def assert_healthy(at):
    assert not at.exception, [e.value for e in at.exception]
    shows_something = charts(at) or at.error or at.warning or at.info
    assert shows_something, "the page must draw a chart or say what is wrong"


@pytest.mark.slow
@pytest.mark.parametrize("entry", PAGES, ids=PAGE_IDS)
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(actions=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=3))
def test_random_and_extreme_widget_values(entry, actions):
    at = open_page(entry)
    for which, pick in actions:
        tabs = tab_groups(at)
        if tabs and pick < 0.25:  # sometimes open another tab first (lazy tabs draw one)
            key, labels = tabs[int(which * len(tabs)) % len(tabs)]
            at.session_state[key] = labels[int(pick * 4 * len(labels)) % len(labels)]
            at.run()
            assert_healthy(at)
        candidates = widgets(at)
        if not candidates:
            break
        kind, w = candidates[int(which * len(candidates)) % len(candidates)]
        value = extreme_value(kind, w, pick)
        if value is None:
            continue
        try:
            set_widget(at, kind, w.key, value)
        except (ValueError, IndexError, KeyError):
            continue  # AppTest refused a value the browser could not send either
        try:
            at.run()
        except ValueError:
            # AppTest itself (not the app: app errors land in at.exception) re-formats every
            # select box's value outside the script run; a format_func built during the run
            # (a dict's .get) cannot do that. The browser sends indices and is unaffected.
            break
        assert_healthy(at)


@pytest.mark.slow
@pytest.mark.parametrize("entry", PAGES, ids=PAGE_IDS)
def test_tampered_links(entry):
    names = field_names(open_page(entry))
    assert names, "every page keeps its state in the URL"
    for name in names:
        at = open_standalone(entry, {name: "nan"})  # invalid for every kind of field
        assert_healthy(at)
        assert at.warning or at.error, f"{entry.url_path}: ?{name}=nan gave no notice"
    junk = {name: TAMPERED[i % len(TAMPERED)] for i, name in enumerate(names)}
    assert_healthy(open_standalone(entry, {**junk, "bogus_key": "<b>1</b>"}))


def test_production_config_hides_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] in ("none", False)
    assert config["runner"]["postScriptGC"] is False
    assert config["server"].get("enableXsrfProtection", True) is True


def test_extreme_learning_rates_are_divergence_not_errors():
    """The top of every η slider: a label, never an exception or a blank chart."""
    at = open_page(PAGES[0], {"opts": "sgd,momentum,adagrad,adam,lion,newton"})
    for key in ("sgd", "momentum", "adagrad", "adam", "lion", "newton"):
        open_tab(at, OPTIMIZERS[key].name)  # only the open tab draws its sliders
        slider = at.select_slider(key=f"pg:{key}.lr")
        slider.set_value(max(number(o, slider.value) for o in slider.options)).run()
    open_tab(at, OPTIMIZERS["adagrad"].name)
    eps = at.select_slider(key="pg:adagrad.eps")
    eps.set_value(min(number(o, eps.value) for o in eps.options)).run()
    assert_healthy(at)
    assert any("diverged at step" in e.value for e in at.error)
    (rows,) = markdown_tables(at)
    assert all(
        r["diverged at"] is not None
        or (r["final loss"] is not None and math.isfinite(r["final loss"]))
        for r in rows
    )


@pytest.mark.parametrize("entry", PAGES[1:], ids=PAGE_IDS[1:])
def test_leave_and_return(entry):
    """Streamlit forgets the widgets of a page that is not drawn; coming back must still work."""
    at = open_page(entry)
    at.switch_page(PAGES[0].path).run()
    at.switch_page(entry.path).run()
    assert_healthy(at)
    at.switch_page(PAGES[0].path).run()
    assert_healthy(at)
