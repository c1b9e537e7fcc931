"""English / 简体中文: every UI string goes through ``t``; the language is in the URL (?lang=zh).

Strings are keyed by their English text (what a reader of the code sees). A page writes
``t("Surface")``; the Chinese table (``i18n_zh.py``) uses the notes' standard terms (学习率,
动量, 鞍点, 平坦最小值, 尖锐最小值, 偏差修正, 指数加权移动平均, 梯度裁剪, 学习率预热, 余弦衰减).
``tests/test_i18n.py``
fails when a string passed to ``t`` — or a name, description or help text of the registries —
has no translation, and when a page passes a bare string literal as a widget label.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from optviz.ui.i18n_zh import ZH

LANGS = {"en": "English", "zh": "简体中文"}
KEY = "lang"


def lang() -> str:
    """The current language code (``"en"`` or ``"zh"``)."""
    code = st.session_state.get(KEY, "en")
    return code if code in LANGS else "en"


def t(text: str) -> str:
    """``text`` in the current language (the English text itself for English)."""
    if lang() == "zh":
        return ZH.get(text, text)
    return text


def translator(code: str) -> Callable[[str], str]:
    """The ``tr`` argument of the pure lesson modules for a language code (identity for English).

    Cached figure builders take the language code (hashable) and call this inside, so English
    and Chinese sessions never share a cached figure.
    """
    if code == "zh":
        return lambda text: ZH.get(text, text)
    return str


def init_from_url() -> None:
    """Reads ``?lang=`` once per session (unknown codes fall back to English)."""
    if KEY not in st.session_state:
        code = st.query_params.get(KEY, "en")
        st.session_state[KEY] = code if code in LANGS else "en"


def language_picker() -> None:
    """The language switch in the sidebar (kept in the URL by ``ui.state.write_url``)."""
    st.sidebar.segmented_control(
        "Language · 语言", list(LANGS), key=KEY, format_func=LANGS.get, selection_mode="single"
    )
