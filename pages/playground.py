"""Playground: race optimizers side by side on a loss surface."""

import streamlit as st

from optviz import OPTIMIZERS, SCHEDULES, SURFACES, quiz, urlstate
from optviz.presets import PRESETS
from optviz.surfaces import REAL_SURFACES
from optviz.ui import cached, controls, exports, live_chart
from optviz.ui import state as ui_state
from optviz.ui.i18n import lang, t

P = "pg:"
HIDEABLE = ("surface", "optimizers", "start", "advanced", "sliders")
FIELDS = [
    *urlstate.playground_fields(presets=tuple(PRESETS), extra_surfaces=tuple(REAL_SURFACES)),
    urlstate.BoolField("present", False),
    urlstate.MultiChoiceField("hide", (), HIDEABLE, len(HIDEABLE), min_items=0),
    urlstate.BoolField("quiz", False),
]
STEP_MENU = (10, 20, 50, 100, 200, 300, 500, 1000)


def apply_preset() -> None:
    """Preset chosen: every setting back to its default, then the preset's values."""
    name = st.session_state[P + "preset"]
    if name:
        ui_state.apply_state({**PRESETS[name].state, "preset": name}, FIELDS, P)
        reset_start()


def reset_start() -> None:
    """Surface or preset changed: the start point follows (the preset's or the surface's own)."""
    surface = cached.surface_of(st.session_state[P + "surface"])
    start = st.session_state.get(P + "start") or surface.start
    st.session_state[P + "start.x"], st.session_state[P + "start.y"] = map(float, start)


def on_surface_change() -> None:
    """A new surface starts from its own default start."""
    st.session_state[P + "start"] = None
    reset_start()


def on_chart_click() -> None:
    """A click on the race chart moves the start point there."""
    point = live_chart.clicked_point(P + "chart")
    if point is not None:
        st.session_state[P + "start.x"] = round(point[0], 3)
        st.session_state[P + "start.y"] = round(point[1], 3)
        st.session_state[P + "_clicked"] = True  # the sidebar shows the start: rerun it too


def current_state() -> dict:
    """The page state for the URL, from session state (widget keys are field names)."""
    state = ui_state.read_state(FIELDS, P)
    state["start"] = controls.start_point(P, cached.surface_of(state["surface"]))
    if st.session_state.get(P + "momentum.ewma"):  # Ng's form: τ tied to γ
        state["momentum.dampening"] = state["momentum.momentum"]
    return state


problems = ui_state.seed_from_url(FIELDS, P)
if P + "start.x" not in st.session_state:
    reset_start()

st.title(t("Playground"))
st.markdown(
    t(
        "**Which optimizer reaches the minimum first — and why?** Pick a surface and a few "
        "optimizers, move their sliders, press ▶ Play. Click the chart to start somewhere else."
    )
)
ui_state.show_problems(problems)

hidden = set(st.session_state[P + "hide"]) if st.session_state[P + "present"] else set()
if st.session_state[P + "present"]:
    controls.presenter_css()

with st.sidebar:
    if "surface" not in hidden:
        st.selectbox(
            t("Preset"),
            ["", *PRESETS],
            key=P + "preset",
            on_change=apply_preset,
            format_func=lambda k: t(PRESETS[k].title) if k else t("— choose a classic picture —"),
        )
        surface_names = {k: t(s.name) for k, s in SURFACES.items()} | {
            k: t(name) for k, name in REAL_SURFACES.items()
        }
        surface_key = st.selectbox(
            t("Surface"),
            list(surface_names),
            key=P + "surface",
            format_func=surface_names.get,
            on_change=on_surface_change,
        )
    surface_key = st.session_state[P + "surface"]
    with st.spinner(t("Building this surface from real data…")):
        surface = cached.surface_of(surface_key)
    st.latex(surface.latex)
    if "surface" not in hidden and surface_key in SURFACES:  # real-data surfaces: no knobs
        for param in surface.params:
            controls.param_widget(param, P + controls.surface_field(surface_key, param.name))
    if "optimizers" not in hidden:
        st.multiselect(
            t("Optimizers"),
            list(OPTIMIZERS),
            key=P + "opts",
            format_func=lambda k: f"{OPTIMIZERS[k].name} · {OPTIMIZERS[k].name_zh}",
            max_selections=urlstate.MAX_OPTIMIZERS,
        )
    if "start" not in hidden:
        controls.menu_slider(t("Steps"), STEP_MENU, P + "steps")
        (x0, x1), (y0, y1) = surface.bounds
        col_x, col_y = st.columns(2)
        col_x.number_input(t("start x₁"), x0, x1, step=0.1, key=P + "start.x", format="%.3f")
        col_y.number_input(t("start x₂"), y0, y1, step=0.1, key=P + "start.y", format="%.3f")
    if "advanced" not in hidden:
        with st.expander(t("Schedule, noise, clipping")):
            kind = st.selectbox(
                t("Learning-rate schedule"),
                list(SCHEDULES),
                key=P + "schedule",
                format_func=lambda k: t(SCHEDULES[k].name),
            )
            for param in (*SCHEDULES[kind].params, controls.WARMUP):
                controls.param_widget(param, P + controls.schedule_field(kind, param.name))
            controls.param_widget(controls.NOISE, P + "noise")
            st.number_input(t("noise seed"), 0, 9999, key=P + "seed")
            st.selectbox(t("Gradient clipping"), urlstate.CLIP_KINDS, key=P + "clip", format_func=t)
            controls.param_widget(controls.CLIP_MAX, P + "clip_max")
    with st.expander(t("Classroom")):
        st.toggle(
            t("Presenter mode"),
            key=P + "present",
            help=t("Big fonts and thick lines for a projector; the link keeps it (?present=1)."),
        )
        st.multiselect(
            t("Hide from students (presenter mode)"),
            HIDEABLE,
            key=P + "hide",
            format_func=t,
            help=t("Share the link: students see only the controls you left."),
        )
        st.toggle(
            t("Predict, then reveal"),
            key=P + "quiz",
            help=t("Hide the paths and ask which optimizer gets there first."),
        )


def quiz_revealed(race) -> bool:
    """Whether the student has answered for exactly this race."""
    return st.session_state.get(P + "quiz.revealed") == race


def quiz_question(race) -> None:
    """The quiz: the surface and the start only, a question, and a reveal button."""
    live_chart.show(cached.quiz_figure(race, lang()), key=P + "quiz.chart")
    names = [run.label for run in race.runs]
    st.radio(
        t("**Predict:** which optimizer reaches the minimum first?"),
        [*names, quiz.NOBODY],
        format_func=t,
        key=P + "quiz.guess",
        horizontal=True,
    )
    st.button(
        t("Reveal"),
        type="primary",
        key=P + "quiz.reveal",
        on_click=lambda: st.session_state.update({P + "quiz.revealed": race}),
    )


@st.fragment
def race_panel() -> None:
    """The race: optimizer sliders beside the animated chart, then loss curves and the table."""
    if st.session_state.pop(P + "_clicked", False):
        st.rerun(scope="app")
    state = current_state()
    if not state["opts"]:
        st.info(t("Choose at least one optimizer in the sidebar."))
        return
    chart_col, side_col = st.columns([3, 1.3])
    hparams, open_run = {}, None
    with side_col:
        names = [t(OPTIMIZERS[k].name) for k in state["opts"]]
        tabs = st.tabs(names, key=P + "_tab", on_change="rerun")
        for tab, key in zip(tabs, state["opts"], strict=True):
            if "sliders" in hidden or not tab.open:  # only the open tab's widgets are drawn
                ui_state.keep(f"{P}{key}.")
                hparams[key] = urlstate.optimizer_hparams(state, key)
                continue
            open_run = len(hparams)  # the open tab's run: its η slider drives live drag
            with tab:
                opt = OPTIMIZERS[key]
                st.latex(opt.latex)
                st.caption(f"{opt.name_zh} — {t(opt.description)}")
                hparams[key] = controls.optimizer_widgets(opt, P)
    state = current_state()
    race = cached.race_from_state(state, hparams)
    with chart_col:
        st.segmented_control(
            t("View"),
            urlstate.VIEWS,
            key=P + "view",
            format_func=controls.view_label,
        )
        if state["quiz"] and not quiz_revealed(race):
            quiz_question(race)
            ui_state.write_url(state, FIELDS)
            return
        with st.spinner(t("Running…")):
            view = state["view"] or "overlay"
            figure = cached.race_figure(race, view, state["present"], lang())
        live = None
        # no family on a network's slice: 56 runs of a whole network per move cost seconds
        heavy = race.surface.startswith("landscape:")
        if view == "overlay" and open_run is not None and "sliders" not in hidden and not heavy:
            slider = f"{P}{race.runs[open_run].optimizer}.lr"
            heads = next(i for i, trace in enumerate(figure.data) if trace.name == "heads")
            live = cached.lr_family(race, open_run, slider, heads)
        live_chart.show(
            figure,
            key=P + "chart",
            on_click=on_chart_click,
            config=exports.CHART_CONFIG,
            live=live,
        )
        if state["quiz"]:
            guess, rows = st.session_state[P + "quiz.guess"], cached.race_rows(race)
            right, explain = quiz.verdict(guess, rows, t)
            verdict = t("Right!") if right else t("Not quite.")
            (st.success if right else st.warning)(f"{verdict} {explain}")
    loss_col, table_col = st.columns(2)
    with loss_col:
        live_chart.show(cached.race_loss(race, lang(), state["present"]), key=P + "loss")
    with table_col:
        st.markdown(t("**Race table**"))
        rows = cached.race_rows(race)
        st.markdown(cached.race_table(race, lang()))
        for row in rows:
            if row["diverged at"] is not None:
                message = t("{name} diverged at step {k}.")
                name = t(row["optimizer"])
                st.error(message.format(name=name, k=row["diverged at"]), icon="💥")
    if st.toggle(t("Show the 3D surface"), key=P + "_show3d"):
        live_chart.show(cached.race_3d(race, lang()), key=P + "3d")
    exports.export_panel(
        P,
        figure,
        name="race",
        runs=cached.trajectories(race),
        labels=[t(run.label) for run in race.runs],
        surface=cached.surface_of(race.surface, race.formula),
        params=dict(race.surface_params),
        code=[(t(label), *snippets) for label, *snippets in cached.export_code(race)],
    )
    controls.share_box(state, FIELDS, P)


race_panel()
st.markdown(
    t(
        "**What to notice.** On the ill-conditioned quadratic, plain gradient descent zig-zags "
        "across the steep axis while crawling along the flat one; momentum averages the zig-zag "
        "away, and RMSProp/Adam give each coordinate its own rate η/√s. Raise η until a path "
        "diverges: the steep direction sets the limit η < 2/λ_max."
    )
)
