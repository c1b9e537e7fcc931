"""Scripts the browser runs on every page (loaded once by ``app.py``)."""

import streamlit as st

from optviz import plots

KEY = "optviz-scripts"
HIDE = f"<style>[data-testid=stLayoutWrapper]:has(> .st-key-{KEY}) {{display: none}}</style>"
"""Takes the scripts' container out of the page's flow (no gap above the title)."""


def load_step_buttons() -> None:
    """Makes the ❚◀ / ▶❚ buttons of every animated chart move one frame.

    plotly.js has no "next frame" command, so the buttons are inert in the figure and
    ``optviz.plots.STEP_BUTTONS_JS`` points them at the neighbouring frame when clicked. The
    script installs itself once per browser tab; its element is hidden.
    """
    with st.container(key=KEY):
        st.html(f"{HIDE}<script>{plots.STEP_BUTTONS_JS}</script>", unsafe_allow_javascript=True)
