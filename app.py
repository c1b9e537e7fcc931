"""optviz: the Streamlit entry point (navigation only; every page lives in pages/)."""

import streamlit as st

from optviz.ui import cached

st.set_page_config(page_title="optviz — optimizers made visible", page_icon="🧭", layout="wide")
cached.enable_compile_cache()
cached.warm_up()

page = st.navigation(
    [
        st.Page("pages/playground.py", title="Playground", icon="🏁", default=True),
    ]
)
page.run()
