"""Learning-rate schedules: decay, warm-up and cyclic rates, drawn and run."""

import streamlit as st

from optviz import OPTIMIZERS, SCHEDULES, SURFACES
from optviz.lessons import schedules_lesson as lesson
from optviz.ui import controls, exports
from optviz.ui import schedules_lesson as cached
from optviz.ui import state as ui_state
from optviz.ui.i18n import lang, t

P = "ls:"
STEP_MENU = (50, 100, 200, 300, 500)


def clamp_to(surface, point) -> tuple[float, float]:
    """``point`` clamped into the surface's plotting window (the start inputs' range)."""
    (x0, x1), (y0, y1) = surface.bounds
    return min(max(float(point[0]), x0), x1), min(max(float(point[1]), y0), y1)


def reset_start() -> None:
    """The start inputs follow the ``start`` setting, or the surface's own start."""
    surface = SURFACES[st.session_state[P + "surface"]]
    start = st.session_state.get(P + "start") or surface.start
    st.session_state[P + "start.x"], st.session_state[P + "start.y"] = clamp_to(surface, start)


def fields() -> list:
    """The page's settings, with the defaults of the scenario in session state."""
    return lesson.page_fields(st.session_state.get(P + "scenario", "oscillation"))


def apply_scenario() -> None:
    """Scenario chosen: every setting back to that scenario's values."""
    ui_state.apply_state({"scenario": st.session_state[P + "scenario"]}, fields(), P)
    reset_start()


def on_surface_change() -> None:
    """A new surface starts from its own start point."""
    st.session_state[P + "start"] = None
    reset_start()


def current_state() -> dict:
    """The page state for the URL, from session state (widget keys are field names)."""
    state = ui_state.read_state(fields(), P)
    state["start"] = controls.start_point(P, SURFACES[state["surface"]])
    return state


def schedule_name(kind: str) -> str:
    """Selectbox label of a schedule: "English name · the notes' term", or the term alone."""
    if lang() == "zh":
        return t(SCHEDULES[kind].name)
    return f"{SCHEDULES[kind].name} · {SCHEDULES[kind].name_zh}"


linked_scenario = lesson.scenario_of(ui_state.query_dict())  # its values are the defaults
problems = ui_state.seed_from_url(lesson.page_fields(linked_scenario), P)
if P + "start.x" not in st.session_state:
    reset_start()

st.title(t("Learning-rate schedules (学习率衰减, 预热, 周期性调整)"))
st.markdown(
    t(
        "**Should the learning rate α_t stay the same for the whole run — or shrink, warm up, "
        "or grow again?**"
    )
)
ui_state.show_problems(problems)


@st.fragment
def lesson_panel() -> None:
    """Scenario and schedule controls, all schedules' curves, then the two runs."""
    # Options are labelled from dicts translated during the run: AppTest formats them again
    # outside the run, where t() cannot see the session's language.
    titles = {k: t(s.title) for k, s in lesson.SCENARIOS.items()}
    scenario = st.selectbox(
        t("Scenario"),
        list(lesson.SCENARIOS),
        key=P + "scenario",
        on_change=apply_scenario,
        format_func=titles.get,
    )
    st.caption(t(lesson.SCENARIOS[scenario].story))
    names = {k: schedule_name(k) for k in SCHEDULES}
    kind = st.selectbox(
        t("Schedule α_t"), list(SCHEDULES), key=P + "schedule", format_func=names.get
    )
    st.latex(SCHEDULES[kind].latex)
    ctrl, view = st.columns([1, 2], gap="large")
    with ctrl:
        for param in SCHEDULES[kind].params:
            label = f"${param.symbol}$ — {t(param.help).rstrip('.。')}"
            controls.param_widget(param, P + lesson.param_key(kind, param.name), label=label)
        controls.param_widget(lesson.LR0, P + "lr", label=t("initial rate $\\alpha_0$"))
        controls.menu_slider(t("total steps T"), STEP_MENU, P + "steps")
        controls.param_widget(
            controls.WARMUP, P + "warmup", label=t("linear warm-up $T'$ (学习率预热)")
        )
        with st.expander(t("Problem: surface, optimizer, start")):
            surfaces = {k: t(SURFACES[k].name) for k in lesson.SURFACE_CHOICES}
            surface_key = st.selectbox(
                t("Surface (损失曲面)"),
                lesson.SURFACE_CHOICES,
                key=P + "surface",
                format_func=surfaces.get,
                on_change=on_surface_change,
            )
            st.selectbox(
                t("Optimizer"),
                lesson.OPTIMIZER_CHOICES,
                key=P + "optimizer",
                format_func=lambda k: f"{OPTIMIZERS[k].name} · {OPTIMIZERS[k].name_zh}",
            )
            (x0, x1), (y0, y1) = SURFACES[surface_key].bounds
            col_x, col_y = st.columns(2)
            col_x.number_input(t("start x₁"), x0, x1, step=0.1, key=P + "start.x", format="%.3f")
            col_y.number_input(t("start x₂"), y0, y1, step=0.1, key=P + "start.y", format="%.3f")
    state = current_state()
    values = {k: lesson.kind_values(state, k) for k in SCHEDULES}
    frozen = tuple((k, tuple(sorted(v.items()))) for k, v in values.items())
    lr0, steps, warmup = float(state["lr"]), int(state["steps"]), float(state["warmup"])
    code = lang()
    with view:
        st.caption(f"**{schedule_name(kind)}** — {t(SCHEDULES[kind].description)}")
        if warmup > 0:
            st.latex(lesson.WARMUP_LATEX)
        st.plotly_chart(
            cached.overview(lr0, steps, frozen, warmup, kind, code),
            key=P + "overview",
            config=exports.CHART_CONFIG,
        )
    setting = cached.Comparison(
        optimizer=state["optimizer"],
        surface=state["surface"],
        start=state["start"],
        steps=steps,
        lr0=lr0,
        kind=kind,
        values=tuple(sorted(values[kind].items())),
        warmup=warmup,
    )
    st.subheader(t("The schedule in a run, next to a constant rate"))
    st.caption(
        t(
            "Same optimizer, surface and start. The constant run keeps the rate the schedule "
            "starts from: α₀ for a decay or SGDR, α_min for the triangular cycle, which "
            "periodically raises it. Press ▶ Play."
        )
    )
    with st.spinner(t("Running…")):
        runs = cached.comparison(setting)
        figure = cached.comparison_figure(setting, code)
    st.plotly_chart(figure, key=P + "runs", config=exports.CHART_CONFIG)
    for traj, label in zip(runs, cached.labels(setting, code), strict=True):
        text = lesson.verdict(setting.surface, traj, label, t)
        if traj.diverged_at is not None:
            st.error(text, icon="💥")
        else:
            st.info(text)
    loss_col, rate_col = st.columns(2)
    loss_col.plotly_chart(cached.comparison_loss(setting, code), key=P + "loss")
    rate_col.plotly_chart(cached.comparison_rates(setting, code), key=P + "rates")
    exports.export_panel(
        P,
        figure,
        name=f"schedule-{setting.kind}",
        runs=runs,
        labels=cached.labels(setting, code),
        surface=SURFACES[setting.surface],
    )
    ui_state.write_url(state, fields())


lesson_panel()
st.markdown(
    t(
        "**What to notice.** Early on a large α_t makes fast progress, but near a minimum it "
        "keeps bouncing across the steep direction; decay (学习率衰减) keeps the early speed and "
        "removes the late zig-zag — step decay shows a kink in the loss at every drop, cosine "
        "decay reaches α_min exactly at T. A cyclic rate does the opposite on purpose: its "
        "large-rate phases make sharp minima and saddles unstable, and its small-rate phases "
        "let the run settle wherever it landed."
    )
)
