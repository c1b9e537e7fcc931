"""Inside the optimizer: one optimizer, one surface, every internal number over time."""

import streamlit as st

from optviz import OPTIMIZERS, SURFACES, urlstate
from optviz.lessons.inside import ADAM_FAMILY, BIAS_STEPS
from optviz.ui import controls, exports
from optviz.ui import inside as cached
from optviz.ui import state as ui_state
from optviz.ui.i18n import lang, t

P = "io:"
STEP_MENU = (25, 50, 100, 200)
FIELDS = [
    urlstate.ChoiceField("opt", "adam", tuple(OPTIMIZERS)),
    urlstate.ChoiceField("surface", "quadratic", tuple(SURFACES)),
    urlstate.PointField("start", None, urlstate.START_BOX),
    urlstate.IntField("steps", 50, 10, 200),
    urlstate.IntField("t", 1, 1, 200),
    *[f for key in OPTIMIZERS for f in urlstate.optimizer_fields(key, key)],
    *[f for f in urlstate.playground_fields() if f.name.startswith("surface.")],
]


def clamp_start(surface, point) -> tuple[float, float]:
    """A start point moved inside the surface's window."""
    (x0, x1), (y0, y1) = surface.bounds
    return min(max(float(point[0]), x0), x1), min(max(float(point[1]), y0), y1)


def reset_start() -> None:
    """The start inputs follow the link's start, or the surface's own start."""
    surface = SURFACES[st.session_state[P + "surface"]]
    start = clamp_start(surface, st.session_state.get(P + "start") or surface.start)
    st.session_state[P + "start.x"], st.session_state[P + "start.y"] = start


def on_surface_change() -> None:
    """A new surface starts from its own default start."""
    st.session_state[P + "start"] = None
    reset_start()


def current_state() -> dict:
    """The page state for the URL, from session state."""
    state = ui_state.read_state(FIELDS, P)
    state["start"] = controls.start_point(P, SURFACES[state["surface"]])
    if st.session_state.get(P + "momentum.ewma"):  # Ng's form: τ tied to γ
        state["momentum.dampening"] = state["momentum.momentum"]
    return state


def setup_of(state: dict, optimizer: str, hparams: dict, steps: int) -> cached.Setup:
    """The hashable run settings."""
    surface = SURFACES[state["surface"]]
    start = state.get("start") or surface.start
    params = urlstate.surface_params(state, state["surface"])
    return cached.Setup(
        optimizer=optimizer,
        surface=state["surface"],
        surface_params=tuple(sorted(params.items())),
        start=(float(start[0]), float(start[1])),
        steps=int(steps),
        hparams=tuple(sorted(hparams.items())),
    )


problems = ui_state.seed_from_url(FIELDS, P)
if P + "start.x" not in st.session_state:
    reset_start()

st.title(t("Inside the optimizer"))
st.markdown(
    t(
        "**What does an optimizer compute at each step — and why is the step Δxₜ it takes not "
        "simply −η gₜ?** Pick one optimizer and a surface, press ▶ Play: one scrubber drives the "
        "path with its arrows and every internal number of the optimizer."
    )
)
ui_state.show_problems(problems)

with st.sidebar:
    opt_key = st.selectbox(
        t("Optimizer"),
        list(OPTIMIZERS),
        key=P + "opt",
        format_func=lambda k: f"{OPTIMIZERS[k].name} · {OPTIMIZERS[k].name_zh}",
    )
    surface_key = st.selectbox(
        t("Surface"),
        list(SURFACES),
        key=P + "surface",
        format_func=lambda k: t(SURFACES[k].name),
        on_change=on_surface_change,
    )
    surface = SURFACES[surface_key]
    st.latex(surface.latex)
    for param in surface.params:
        controls.param_widget(param, P + controls.surface_field(surface_key, param.name))
    controls.menu_slider(t("Steps"), STEP_MENU, P + "steps")
    (x0, x1), (y0, y1) = surface.bounds
    col_x, col_y = st.columns(2)
    col_x.number_input(t("start x₁"), x0, x1, step=0.1, key=P + "start.x", format="%.3f")
    col_y.number_input(t("start x₂"), y0, y1, step=0.1, key=P + "start.y", format="%.3f")


@st.fragment
def inside_panel() -> None:
    """The optimizer's sliders, the time-synced figure, one step with numbers, bias correction."""
    opt = OPTIMIZERS[st.session_state[P + "opt"]]
    rule_col, slider_col = st.columns([1.2, 2])
    with rule_col:
        st.latex(opt.latex)
        st.caption(f"{opt.name_zh} — {t(opt.description)}")
    with slider_col, st.container(horizontal=True):
        hparams = controls.optimizer_widgets(opt, P)
    state = current_state()
    setup = setup_of(state, opt.key, hparams, state["steps"])
    with st.spinner(t("Running…")):
        traj = cached.trajectory(setup)
        figure = cached.inside_figure(setup, lang())
    st.plotly_chart(figure, key=P + "chart", config=exports.CHART_CONFIG)
    st.caption(
        t(
            "(a) At x₍ₜ₋₁₎: orange −gₜ is where plain gradient descent would go, green is the "
            "direction the momentum / first moment points (if the optimizer keeps one), red Δxₜ "
            "is the step actually taken; arrows that would be too short or too long to see are "
            "scaled (the legend says by how much). (b)–(d) are drawn per coordinate: x₁ solid, "
            "x₂ dashed."
        )
    )
    if traj.diverged_at is not None:
        message = t("{name} diverged at step {k} ({reason}).").format(
            name=t(opt.name), k=traj.diverged_at, reason=t(traj.diverged_reason or "non-finite")
        )
        st.error(message, icon="💥")
    exports.export_panel(
        P,
        figure,
        name=f"inside-{opt.key}",
        runs=[traj],
        labels=[t(opt.name)],
        surface=SURFACES[setup.surface],
        params=dict(setup.surface_params),
        code=[exports.snippet(t(opt.name), **cached.run_kwargs(setup))],
    )

    st.subheader(t("One step, with its numbers"))
    last = traj.last_valid  # the last step whose x_t is finite
    if last < 1:
        st.warning(t("The run left the surface at its first step: there is no step to show."))
    else:
        st.session_state[P + "t"] = min(max(int(st.session_state.get(P + "t", 1)), 1), last)
        if last > 1:
            st.slider(
                t("step t"),
                1,
                last,
                key=P + "t",
                help=t("Plotly's scrubber lives in the browser; pick the same step here."),
            )
        step = int(st.session_state[P + "t"])
        st.latex(cached.update_latex(setup, step))
    state = current_state()

    st.subheader(t("Adam with and without bias correction"))
    adam_hp = hparams if opt.key == "adam" else urlstate.optimizer_hparams(state, "adam")
    adam = setup_of(state, "adam", adam_hp, BIAS_STEPS)
    on, off = cached.bias_pair(adam)
    st.plotly_chart(cached.bias_figure(adam, lang()), key=P + "bias", config=exports.CHART_CONFIG)
    b1, b2 = float(adam_hp["beta1"]), float(adam_hp["beta2"])
    first = (1 - b1) / (1 - b2) ** 0.5 if b2 < 1 else float("inf")
    st.markdown(
        t(
            "Same surface, start and η = {lr}, β₁ = {b1}, β₂ = {b2}. Because v₀ = s₀ = 0, the "
            "moments start too small: v₁ = (1−β₁)g₁, s₁ = (1−β₂)g₁². Dividing by 1−β₁ᵗ and "
            "1−β₂ᵗ undoes that. Skipping it multiplies the step by (1−β₁ᵗ)/√(1−β₂ᵗ) — "
            "**{first}×** at t = 1 — so without the correction Adam's first steps are *too big* "
            "when β₂ > β₁ (s is underestimated more than v). By t ≈ 1/(1−β₁) = {window} the "
            "factor's numerator is near 1, its denominator much later; the two paths then "
            "differ only by where the early steps left them."
        ).format(
            lr=f"{adam_hp['lr']:g}",
            b1=f"{b1:g}",
            b2=f"{b2:g}",
            first=f"{first:.3g}",
            window=f"{1 / max(1 - b1, 1e-9):.3g}",
        )
    )
    for run, message in (
        (on, t("Adam with bias correction diverged at step {k}.")),
        (off, t("Adam without bias correction diverged at step {k}.")),
    ):
        if run.diverged_at is not None:
            st.error(message.format(k=run.diverged_at))
    if opt.key not in ADAM_FAMILY:
        st.caption(t("This comparison always uses Adam (its sliders show when Adam is chosen)."))
    controls.share_box(state, FIELDS, P)


inside_panel()
st.markdown(
    t(
        "**What to notice.** For SGD the red step is the orange arrow times η, at every step. "
        "Momentum's green velocity keeps pointing along the valley while −gₜ zig-zags across "
        "it, and the step follows the velocity. AdaGrad, RMSProp and Adam give each coordinate "
        "its own effective rate η/√s (panel c): the coordinate with the big gradients gets the "
        "small rate, so the step points more along the valley than −gₜ does — and Adam's bias "
        "factors 1−βᵗ (panel d) climb from 1−β to 1 in the first steps."
    )
)
