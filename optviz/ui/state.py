"""Session state <-> URL: seed widgets from the link once, write the link back after widgets.

A page lists its settings as ``optviz.urlstate`` fields. Each field ``name`` is stored in
``st.session_state[prefix + name]`` (the widget key), so a pasted link, a preset and the
widgets all meet in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import streamlit as st

from optviz import urlstate
from optviz.ui.i18n import t


def query_dict() -> dict[str, list[str]]:
    """The current query parameters, every value as the list the browser sent."""
    return {k: st.query_params.get_all(k) for k in st.query_params}


def through_the_app() -> None:
    """Reruns a page that Streamlit started by itself, so that app.py runs first.

    With a ``pages/`` folder beside app.py, Streamlit runs a page script on its own (its first
    multipage mode) until a session has called ``st.navigation`` in this server process: a link
    to ``/sweeps`` opened first on a fresh server showed that page without app.py (no language,
    no wide layout, a menu of file names) for every visitor until someone opened the root.
    Turning that mode off, as ``st.navigation`` does, and rerunning sends the run through
    app.py, whose ``st.navigation`` picks the same page from the URL.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def seed_from_url(fields: Iterable[urlstate.Field], prefix: str) -> list[str]:
    """Copies the URL's settings into session state on a page's first run in this session.

    Streamlit forgets a widget's value when a run does not draw it (another page was open), so
    on later runs every missing key is restored from the state the page last showed (kept by
    ``read_state``), or from its default.

    Args:
        fields: The page's settings.
        prefix: Session-state key prefix of the page (``"pg:"``).

    Returns:
        Problems found in the URL (empty on later runs or for a clean link).
    """
    through_the_app()  # a page opened by a link must run inside app.py
    marker = f"{prefix}_seeded"
    if st.session_state.get(marker):
        saved = st.session_state.get(f"{prefix}_saved", {})
        for field in fields:
            st.session_state.setdefault(prefix + field.name, saved.get(field.name, field.default))
        return []
    state, problems = urlstate.decode(query_dict(), fields)
    for name, value in state.items():
        st.session_state[prefix + name] = value
    st.session_state[marker] = True
    return problems


def keep(key_prefix: str) -> None:
    """Keeps the values of widgets this run does not draw (keys starting with ``key_prefix``).

    Streamlit drops a widget's value at the end of a run that did not draw it; a value set
    again through ``st.session_state`` is the app's own and survives, so the widget finds it
    when it is drawn again (e.g. the sliders of a tab that is not open).
    """
    for key in [k for k in st.session_state if str(k).startswith(key_prefix)]:
        st.session_state[key] = st.session_state[key]


def apply_state(values: Mapping[str, Any], fields: Iterable[urlstate.Field], prefix: str) -> None:
    """Resets every field to its default, then applies ``values`` (a preset); for callbacks."""
    for field in fields:
        st.session_state[prefix + field.name] = values.get(field.name, field.default)


def read_state(fields: Iterable[urlstate.Field], prefix: str) -> dict[str, Any]:
    """The page state from session state (fields without a value are left out).

    The result is also kept under ``prefix + "_saved"`` (not a widget key, so it survives a
    visit to another page) for ``seed_from_url`` to restore from.
    """
    state = {
        f.name: st.session_state[prefix + f.name]
        for f in fields
        if prefix + f.name in st.session_state
    }
    st.session_state[f"{prefix}_saved"] = dict(state)
    return state


def write_url(state: Mapping[str, Any], fields: Iterable[urlstate.Field]) -> None:
    """Writes the page state (and the app's language) into the address bar, when it changed."""
    encoded = urlstate.encode(state, fields)
    if st.session_state.get("lang") not in (None, "en"):
        encoded["lang"] = st.session_state["lang"]
    if encoded != {k: v[-1] for k, v in query_dict().items()}:
        st.query_params.from_dict(encoded)


def show_problems(problems: list[str]) -> None:
    """One short notice for a tampered or stale link."""
    if problems:
        st.warning(
            t("Some settings in the link could not be used, so defaults were taken: ")
            + "; ".join(problems),
            icon="⚠️",
        )


def open_with_link(page: str, prefix: str, query: Mapping[str, str]) -> None:
    """Opens ``page`` as if from a shared link with ``query`` (call it from the page body).

    The page's seeding marker is dropped, so its next run seeds every setting from ``query``
    (and defaults) instead of restoring what it showed earlier in this session.

    Args:
        page: The page's script path, e.g. ``"pages/playground.py"``.
        prefix: That page's session-state key prefix, e.g. ``"pg:"``.
        query: The link's query parameters.
    """
    st.session_state.pop(f"{prefix}_seeded", None)
    st.session_state.pop(f"{prefix}_saved", None)
    st.switch_page(page, query_params=dict(query))
