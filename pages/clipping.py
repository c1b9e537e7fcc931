"""Exploding and vanishing gradients: no clipping vs clipping by value vs by norm."""

import streamlit as st

from optviz import OPTIMIZERS, SURFACES
from optviz.lessons import clipping
from optviz.ui import controls, exports
from optviz.ui import schedules_lesson as cached
from optviz.ui import state as ui_state
from optviz.ui.i18n import lang, t

P = "gc:"
FIELDS = clipping.page_fields()
STEP_MENU = (50, 100, 200, 300)


def lesson_start(surface_key: str) -> tuple[float, float]:
    """The start that tells this surface's story."""
    return clipping.STARTS.get(surface_key, SURFACES[surface_key].start)


def reset_start() -> None:
    """The start inputs follow the ``start`` setting, or the surface's lesson start."""
    surface_key = st.session_state[P + "surface"]
    (x0, x1), (y0, y1) = SURFACES[surface_key].bounds
    x, y = st.session_state.get(P + "start") or lesson_start(surface_key)
    st.session_state[P + "start.x"] = min(max(float(x), x0), x1)
    st.session_state[P + "start.y"] = min(max(float(y), y0), y1)


def on_surface_change() -> None:
    """A new surface starts from its own lesson start."""
    st.session_state[P + "start"] = None
    reset_start()


def on_optimizer_change() -> None:
    """A new optimizer starts with a learning rate that suits it on these surfaces."""
    st.session_state[P + "lr"] = clipping.LEARNING_RATES[st.session_state[P + "optimizer"]]


def current_state() -> dict:
    """The page state for the URL; the start is None while it is the lesson start."""
    state = ui_state.read_state(FIELDS, P)
    point = (float(st.session_state[P + "start.x"]), float(st.session_state[P + "start.y"]))
    state["start"] = None if point == lesson_start(state["surface"]) else point
    return state


problems = ui_state.seed_from_url(FIELDS, P)
if P + "start.x" not in st.session_state:
    reset_start()

st.title(t("Exploding and vanishing gradients, clipping (梯度爆炸/消失, 梯度截断)"))
st.markdown(
    t(
        "**What does one huge gradient do to a run — and what can clipping do about a gradient "
        "that is huge, or one that has vanished?**"
    )
)
ui_state.show_problems(problems)

value_col, norm_col = st.columns(2)
with value_col:
    st.markdown(t("**按值截断 — clipping by value** (every component into [a, b])"))
    st.latex(clipping.VALUE_LATEX)
with norm_col:
    st.markdown(t("**按模截断 — clipping by norm** (only the length)"))
    st.latex(clipping.NORM_LATEX)


@st.fragment
def lesson_panel() -> None:
    """Controls, the three runs side by side, the gradient norms and what they show."""
    top = st.columns([1.2, 1.2, 1, 1])
    # Labelled from a dict translated during the run: AppTest formats the options again
    # outside the run, where t() cannot see the session's language.
    surfaces = {k: t(SURFACES[k].name) for k in clipping.SURFACES}
    surface_key = top[0].selectbox(
        t("Surface"),
        clipping.SURFACES,
        key=P + "surface",
        format_func=surfaces.get,
        on_change=on_surface_change,
    )
    top[1].selectbox(
        t("Optimizer"),
        clipping.OPTIMIZERS,
        key=P + "optimizer",
        format_func=lambda k: f"{OPTIMIZERS[k].name} · {OPTIMIZERS[k].name_zh}",
        on_change=on_optimizer_change,
    )
    (x0, x1), (y0, y1) = SURFACES[surface_key].bounds
    top[2].number_input(t("start x₁"), x0, x1, step=0.1, key=P + "start.x", format="%.3f")
    top[3].number_input(t("start x₂"), y0, y1, step=0.1, key=P + "start.y", format="%.3f")
    sliders = st.columns(3)
    with sliders[0]:
        controls.param_widget(clipping.LR, P + "lr", label=t("learning rate $\\eta$"))
    with sliders[1]:
        label = t("threshold $b$ (截断阈值)")
        controls.param_widget(clipping.THRESHOLD, P + "clip_max", label=label)
    with sliders[2]:
        controls.menu_slider(t("steps"), STEP_MENU, P + "steps")
    surface = SURFACES[surface_key]
    st.caption(f"{t(surface.name)}: {t(surface.description)}")
    state = current_state()
    setting = cached.Clipping(
        surface=state["surface"],
        optimizer=state["optimizer"],
        lr=float(state["lr"]),
        b=float(state["clip_max"]),
        start=state["start"],
        steps=int(state["steps"]),
    )
    code = lang()
    with st.spinner(t("Running…")):
        figure = cached.clipping_figure(setting, code)
    st.plotly_chart(figure, key=P + "runs", config=exports.CHART_CONFIG)
    for level, text in cached.clipping_story(setting, code):
        if level == "error":
            st.error(text, icon="💥")
        else:
            st.info(text)
    st.markdown(
        t(
            "**Gradient norms.** Solid: ‖∇f(x_t)‖ where each run stands; dashed: the length of "
            "the gradient it actually used after clipping; dotted: the threshold b."
        )
    )
    st.plotly_chart(cached.clipping_norms(setting, code), key=P + "norms")
    exports.export_panel(
        P,
        figure,
        name=f"clipping-{setting.surface}",
        runs=cached.clipping_runs(setting),
        labels=cached.clipping_labels(setting, code),
        surface=surface,
    )
    ui_state.write_url(state, FIELDS)


lesson_panel()
st.markdown(
    t(
        "**What to notice.** At the cliff's edge the gradient is a hundred times larger than on "
        "the slope behind it, and one step of η·g throws the unclipped run off the surface "
        "(梯度爆炸). Clipping by norm only shortens that step and keeps its direction; clipping "
        "by value caps every component at ±b, so a gradient pointing mostly down the cliff is "
        "turned towards the diagonal. On the plateau the gradient vanishes (梯度消失): clipping "
        "only ever shrinks gradients, so it cannot help — an adaptive method such as Adam "
        "rescales the tiny gradient by √v̂ₜ and walks off the plateau."
    )
)
