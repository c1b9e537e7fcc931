"""The floor under bench/app_latency.py's browser numbers: Streamlit and plotly.js alone.

One slider in a fragment and a chart of two three-point traces that moves with it, served with
the project's ``.streamlit/config.toml``. ``bench/app_latency.py`` measures it exactly as it
measures the playground (same slider label, same repaint check), so the difference between the
two is the playground's own cost and the floor is what no change to optviz can go below.

Run by the bench (``streamlit run bench/floor_app.py``); not part of the app.
"""

import streamlit as st

st.set_page_config(page_title="floor", layout="wide")
LEARNING_RATES = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5]


@st.fragment
def panel() -> None:
    """A slider and a chart whose second trace follows it."""
    lr = st.select_slider("lr $\\eta$", LEARNING_RATES, value=0.01, key="lr")
    figure = dict(
        data=[
            dict(type="scatter", x=[0, 1, 2], y=[0, 1, 4]),
            dict(type="scatter", x=[lr, 2 * lr, 3 * lr], y=[1, 2, 3]),
        ],
        layout=dict(height=500),
    )
    st.plotly_chart(figure, key="chart")


panel()
