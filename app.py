"""optviz: the Streamlit entry point (navigation only; every page lives in pages/)."""

import streamlit as st

from optviz.ui import browser, cached, i18n
from optviz.ui.nav import PAGES

presenting = st.query_params.get("present") == "1"  # a projector: start with the sidebar closed
st.set_page_config(
    page_title="optviz — optimizers made visible",
    page_icon="🧭",
    layout="wide",
    initial_sidebar_state="collapsed" if presenting else "auto",
)
cached.enable_compile_cache()
cached.serve_plotly_js()
cached.warm_up()
i18n.init_from_url()
i18n.language_picker()
browser.load_step_buttons()

page = st.navigation(
    [
        st.Page(p.path, title=i18n.t(p.title), icon=p.icon, url_path=p.url_path, default=(i == 0))
        for i, p in enumerate(PAGES)
    ],
    expanded=True,  # every lesson in the menu (Streamlit folds a menu of more than 10)
)
page.run()
