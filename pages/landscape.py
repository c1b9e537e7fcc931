"""A real network's loss landscape: small vs large batches, flat vs sharp minima."""

import streamlit as st

from optviz import landscape
from optviz.lessons import loss_landscape
from optviz.ui import controls, exports
from optviz.ui import realdata as cached
from optviz.ui import state as ui_state
from optviz.ui.i18n import lang, t

P = "ls:"
FIELDS = loss_landscape.page_fields()
PLAYGROUND = ("pages/playground.py", "pg:")  # the page the slice is raced on, and its prefix


def race_on(network: str) -> None:
    """Opens the playground with this network's slice as its surface."""
    query = {"surface": f"landscape:digits:{network}", "opts": "sgd,momentum,adam", "steps": "200"}
    ui_state.open_with_link(*PLAYGROUND, query)


problems = ui_state.seed_from_url(FIELDS, P)

st.title(t("A real network's loss landscape (损失地形)"))
st.markdown(
    t(
        "**Do small mini-batches find flatter minima than large ones?** The same small network "
        "(64 → 16 → 10) learned the handwritten digits twice: with mini-batches of 16 and "
        "with the full batch. Its thousands of weights cannot be drawn, so each picture is a "
        "slice through the trained weights θ* along two random directions δ, η."
    )
)
st.latex(r"f(\alpha, \beta) = L(\theta^* + \alpha\,\delta + \beta\,\eta)")
st.caption(
    t(
        "Filter-normalized directions (Li et al., 2018): every filter of δ and η is rescaled to "
        "the norm of the same filter of θ*, so α = 1 moves each filter by its own size and the "
        "two networks can be compared on the same axes. Keskar et al. (2017) found large "
        "batches in sharper minima."
    )
)
ui_state.show_problems(problems)


@st.fragment
def lesson_panel() -> None:
    """Controls, the two slices, the cross-sections, the numbers and the way to the race."""
    c1, c2, c3, c4 = st.columns([1, 1.4, 1.2, 1.6])
    c1.number_input(t("directions seed"), 0, 9999, key=P + "seed")
    spans = loss_landscape.SPANS
    span = float(st.session_state[P + "span"])
    if span not in spans:  # a link's in-between window: the nearest one offered
        st.session_state[P + "span"] = min(spans, key=lambda v: abs(v - span))
    c2.select_slider(t("window ±span"), options=spans, key=P + "span")
    c3.toggle(t("loss on validation data"), key=P + "_validation")
    st.session_state[P + "split"] = "validation" if st.session_state[P + "_validation"] else "train"
    top = loss_landscape.RADIUS_MAX
    c4.slider(t("radius r of the mean rise"), 0.05, top, step=0.05, key=P + "radius")
    state = ui_state.read_state(FIELDS, P)
    setting = loss_landscape.Setting(**state)
    with st.spinner(t("Training both networks once for this server…")):
        slices_fig, sections_fig = cached.landscape_figures(setting, lang())
        table, story = cached.landscape_text(setting, lang())
    st.plotly_chart(slices_fig, key=P + "slices", config=exports.CHART_CONFIG)
    for line in story:
        st.info(line)
    st.markdown(table)
    left, right = st.columns([1.4, 1])
    left.plotly_chart(sections_fig, key=P + "sections")
    with right:
        st.markdown(
            t("**Race optimizers on a slice** (the playground, this slice as its surface):")
        )
        b1, b2 = st.columns(2)
        for column, key in zip((b1, b2), loss_landscape.KEYS, strict=True):
            name = t(landscape.NETWORKS[key].name)
            if column.button(name, key=P + f"_race.{key}", icon="🏁"):
                race_on(key)
    exports.export_panel(P, slices_fig, name="loss-landscape")
    controls.share_box(state, FIELDS, P)


if P + "_validation" not in st.session_state:
    st.session_state[P + "_validation"] = st.session_state.get(P + "split") == "validation"
lesson_panel()
st.markdown(
    t(
        "**What to notice.** Both networks fit the training digits perfectly and are within a "
        "point of each other on validation, yet their minima differ in shape. Move r: close to "
        'θ* one network curves more, farther out the other rises faster — "flat" and '
        '"sharp" depend on the scale you look at, which is why Li et al. normalize the '
        "directions before comparing. Switch to the validation loss: the bottom of the slice "
        "moves away from θ*, the generalization gap seen in two dimensions."
    )
)
