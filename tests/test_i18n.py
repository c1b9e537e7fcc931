"""Every UI string has a Chinese translation, and pages never show an untranslated literal."""

import ast
from pathlib import Path

import pytest

from optviz import DATASETS, OPTIMIZERS, SCHEDULES, SURFACES, quiz, urlstate
from optviz.datasurface import L2
from optviz.landscape import NETWORKS
from optviz.lessons import realdata
from optviz.presets import PRESETS
from optviz.schedules import WARMUP
from optviz.surfaces import REAL_SURFACES
from optviz.ui.i18n_zh import ZH
from optviz.ui.nav import PAGES

ROOT = Path(__file__).resolve().parents[1]
UI_FILES = sorted([ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("optviz/ui/*.py")])
SHOWS_TEXT = {
    "title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success",
    "button", "toggle", "checkbox", "slider", "select_slider", "selectbox", "multiselect", "radio",
    "number_input", "text_input", "text_area", "expander", "tabs", "segmented_control", "metric",
    "spinner", "write",
}  # fmt: skip


def t_literals(path):
    """String literals passed to t(...) in a module (implicit concatenation included)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append(arg.value)
            elif isinstance(arg, ast.Dict):  # t({"a": "A", ...}.get(...)) patterns
                found += [v.value for v in arg.values if isinstance(v, ast.Constant)]
            elif isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute):
                inner = arg.func.value
                if isinstance(inner, ast.Dict):
                    found += [v.value for v in inner.values if isinstance(v, ast.Constant)]
    return found


def registry_strings():
    """Names, descriptions and help texts the pages show from the specs."""
    out = [quiz.NOBODY, *quiz.TEMPLATES, WARMUP.help, *urlstate.CLIP_KINDS]
    for o in OPTIMIZERS.values():
        out += [o.name, o.description, *(p.help for p in o.params), *(f[2] for f in o.flags)]
        out += [f[0].replace("_", " ") for f in o.flags]
    for s in SURFACES.values():
        out += [s.name, s.description, *(p.help for p in s.params)]
    for s in SCHEDULES.values():
        out += [s.name, s.description, *(p.help for p in s.params)]
    for d in DATASETS.values():
        out += [d.name, d.description]
    out += list(REAL_SURFACES.values())
    out += [n.name for n in NETWORKS.values()]
    out += [realdata.LR.help, realdata.L2.help, L2.help]
    out += [p.title for p in PRESETS.values()]
    out += [p.title for p in PAGES]
    out += ["optimizer", "final loss", "distance to nearest minimum", "steps to tolerance"]
    out += ["diverged at"]
    params = [p for o in OPTIMIZERS.values() for p in o.params]
    params += [p for s in (*SURFACES.values(), *SCHEDULES.values()) for p in s.params]
    out += [p.name for p in params if len(p.name) > 1]  # slider labels: "lr η" → "学习率 η"
    return out


@pytest.mark.parametrize("path", UI_FILES, ids=[p.name for p in UI_FILES])
def test_every_t_string_is_translated(path):
    missing = [s for s in t_literals(path) if s not in ZH]
    assert not missing, f"{path.name}: add Chinese for {missing}"


def test_registry_strings_are_translated():
    missing = sorted({s for s in registry_strings() if s not in ZH})
    assert not missing, f"add Chinese for {missing}"


@pytest.mark.parametrize("path", sorted(ROOT.glob("pages/*.py")), ids=lambda p: p.name)
def test_pages_pass_no_bare_literal_to_streamlit(path):
    """st.title("...") and friends must go through t(): a bare literal is untranslated."""
    bad = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        if node.func.attr not in SHOWS_TEXT or not node.args:
            continue
        arg = node.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.strip():
            if any(c.isalpha() for c in arg.value):
                bad.append(f"line {node.lineno}: {arg.value[:40]!r}")
    assert not bad, f"{path.name}: wrap in t(): {bad}"


def test_translations_are_chinese_and_keep_placeholders():
    for en, zh in ZH.items():
        assert zh.strip(), en
        for placeholder in ("{name}", "{k}", "{winner}", "{steps}", "{names}"):
            assert (placeholder in en) == (placeholder in zh), (en, zh)


def test_the_checks_catch_a_missing_translation(tmp_path):
    page = tmp_path / "page.py"
    page.write_text('st.title("Untranslated")\nst.caption(t("Also not in the table"))\n')
    assert t_literals(page) == ["Also not in the table"]
    assert "Also not in the table" not in ZH
