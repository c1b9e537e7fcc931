"""Your own surface: type a formula, see it in 2D and 3D, and race optimizers on it."""

import streamlit as st

from optviz import OPTIMIZERS, FormulaError, urlstate
from optviz.formula import MAX_LENGTH
from optviz.ui import controls, exports
from optviz.ui import lessons_misc as cached
from optviz.ui import state as ui_state
from optviz.ui.i18n import lang, t

P = "os:"
BOX = ((-20.0, 20.0), (-20.0, 20.0))  # the window sliders' range (= cached.RUN_BOUNDS)
STEP_MENU = (10, 20, 50, 100, 200, 300, 500, 1000)
EXAMPLES = {  # key: (label, formula, x range, y range)
    "himmelblau": ("Himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", (-5.0, 5.0), (-5.0, 5.0)),
    "bowl": ("Narrow bowl", "x**2 + 10*y**2", (-3.0, 3.0), (-3.0, 3.0)),
    "egg": ("Egg crate", "sin(x)*cos(y) + 0.1*(x**2+y**2)", (-6.0, 6.0), (-6.0, 6.0)),
    "rosenbrock": ("Rosenbrock", "(1-x)^2 + 100*(y-x^2)^2", (-2.0, 2.0), (-1.0, 3.0)),
    "l1": ("L1 norm (kinks)", "abs(x) + abs(y)", (-3.0, 3.0), (-3.0, 3.0)),
    "double_well": ("Double well", "x**4 - x**2 + y**2", (-2.0, 2.0), (-2.0, 2.0)),
}
DEFAULT = EXAMPLES["egg"]
FIELDS = [
    urlstate.TextField("formula", DEFAULT[1], MAX_LENGTH),
    urlstate.PointField("xr", DEFAULT[2], BOX),
    urlstate.PointField("yr", DEFAULT[3], BOX),
    urlstate.MultiChoiceField(
        "opts", ("sgd", "momentum", "adam"), tuple(OPTIMIZERS), urlstate.MAX_OPTIMIZERS
    ),
    urlstate.PointField("start", None, BOX),
    urlstate.IntField("steps", 100, 10, 1000),
]
for _key in OPTIMIZERS:
    FIELDS.extend(urlstate.optimizer_fields(_key, _key))


def window() -> tuple[tuple[float, float], tuple[float, float]]:
    """The plotting window from the two range sliders' state."""
    xr, yr = st.session_state[P + "xr"], st.session_state[P + "yr"]
    return (float(xr[0]), float(xr[1])), (float(yr[0]), float(yr[1]))


def default_start(win) -> tuple[float, float]:
    """The start a compiled formula gets: upper left of the window (20 %, 80 %)."""
    (x0, x1), (y0, y1) = win
    return round(x0 + 0.2 * (x1 - x0), 6), round(y0 + 0.8 * (y1 - y0), 6)


def reset_start() -> None:
    """The start follows the window: the URL's start if inside it, else the default one."""
    win = window()
    start = st.session_state.get(P + "start") or default_start(win)
    (x0, x1), (y0, y1) = win
    if not (x0 <= start[0] <= x1 and y0 <= start[1] <= y1):
        start = default_start(win)
    st.session_state[P + "start.x"], st.session_state[P + "start.y"] = map(float, start)


def on_window_change() -> None:
    """A new window: keep the start if it is still inside, else move it to the default."""
    x, y = st.session_state[P + "start.x"], st.session_state[P + "start.y"]
    st.session_state[P + "start"] = (x, y)
    reset_start()


def on_example() -> None:
    """An example was picked: its formula and window; then the picker resets."""
    key = st.session_state[P + "_example"]
    if key:
        _, formula, xr, yr = EXAMPLES[key]
        st.session_state[P + "formula"] = formula
        st.session_state[P + "xr"], st.session_state[P + "yr"] = xr, yr
        st.session_state[P + "start"] = None
        reset_start()
    st.session_state[P + "_example"] = ""


def on_chart_click() -> None:
    """A click on the race chart moves the start point there."""
    points = st.session_state[P + "race"].selection.get("points", [])
    if points and "x" in points[0]:
        st.session_state[P + "start.x"] = round(float(points[0]["x"]), 3)
        st.session_state[P + "start.y"] = round(float(points[0]["y"]), 3)


def current_state() -> dict:
    """The page state for the URL (the start is None when it is the window's default)."""
    state = ui_state.read_state(FIELDS, P)
    start = (float(st.session_state[P + "start.x"]), float(st.session_state[P + "start.y"]))
    state["start"] = None if start == default_start(window()) else start
    if st.session_state.get(P + "momentum.ewma"):  # Ng's form: τ tied to γ
        state["momentum.dampening"] = state["momentum.momentum"]
    return state


def ordered(key: str, field_default) -> list[str]:
    """Puts a reversed or empty range from a link back in order; returns the problems."""
    lo, hi = st.session_state[P + key]
    if lo < hi:
        return []
    if lo > hi:
        st.session_state[P + key] = fixed = (hi, lo)
        problem = t("{key}: the range was reversed — using {lo:g},{hi:g}")
    else:
        st.session_state[P + key] = fixed = field_default
        problem = t("{key}: the range is empty — using {lo:g},{hi:g}")
    return [problem.format(key=key, lo=fixed[0], hi=fixed[1])]


problems = ui_state.seed_from_url(FIELDS, P)
if P + "start.x" not in st.session_state:
    problems += ordered("xr", DEFAULT[2]) + ordered("yr", DEFAULT[3])
    reset_start()

st.title(t("Your own surface (自定义曲面)"))
st.markdown(
    t(
        "**What does gradient descent do on a surface you make up?** Type a formula in x and y "
        "(`^` or `**` for powers; sin, cos, exp, log, sqrt, abs, tanh, min, max, ...)."
    )
)
ui_state.show_problems(problems)


# Labelled from a dict translated during the run: AppTest formats the options again outside
# the run, where t() cannot see the session's language.
example_labels = {"": t("— pick an example —")}
example_labels.update({k: f"{t(name)}: {formula}" for k, (name, formula, _, _) in EXAMPLES.items()})
f_col, ex_col = st.columns([3, 1.2])
f_col.text_input(t("f(x, y) ="), key=P + "formula", max_chars=MAX_LENGTH)
ex_col.selectbox(
    t("Examples"),
    ["", *EXAMPLES],
    key=P + "_example",
    on_change=on_example,
    format_func=example_labels.get,
)
w1, w2 = st.columns(2)
w1.slider(t("x range"), *BOX[0], step=0.5, key=P + "xr", on_change=on_window_change)
w2.slider(t("y range"), *BOX[1], step=0.5, key=P + "yr", on_change=on_window_change)

formula, win = st.session_state[P + "formula"], window()
try:
    latex = cached.own_latex(formula, win)
except FormulaError as err:
    st.error(t("This formula cannot be used: {message}").format(message=err.message), icon="🚫")
    last = st.session_state.get(P + "_last_good")
    if last is None:
        st.stop()
    formula, win = last
    st.caption(t("Showing the last formula that worked: `{formula}`").format(formula=formula))
    latex = cached.own_latex(formula, win)
else:
    st.session_state[P + "_last_good"] = (formula, win)
st.latex(latex)


@st.fragment
def race() -> None:
    """Optimizers, their learning rates, the start and the steps; the race and the 3D view."""
    controls_col, chart_col = st.columns([1, 2.6])
    hparams = {}
    with controls_col:
        opts = st.multiselect(
            t("Optimizers"),
            list(OPTIMIZERS),
            key=P + "opts",
            format_func=lambda k: f"{OPTIMIZERS[k].name} · {OPTIMIZERS[k].name_zh}",
            max_selections=urlstate.MAX_OPTIMIZERS,
        )
        (x0, x1), (y0, y1) = win
        for k in ("start.x", "start.y"):  # a start from an earlier window: clamp it in
            lo, hi = (x0, x1) if k == "start.x" else (y0, y1)
            st.session_state[P + k] = min(max(float(st.session_state[P + k]), lo), hi)
        sx, sy = st.columns(2)
        sx.number_input(t("start x"), x0, x1, step=0.1, key=P + "start.x", format="%.3f")
        sy.number_input(t("start y"), y0, y1, step=0.1, key=P + "start.y", format="%.3f")
        controls.menu_slider(t("Steps"), STEP_MENU, P + "steps")
        if opts:
            tabs = st.tabs([t(OPTIMIZERS[k].name) for k in opts])
            for tab, key in zip(tabs, opts, strict=True):
                with tab:
                    hparams[key] = controls.optimizer_widgets(OPTIMIZERS[key], P)
    state = current_state()
    ui_state.write_url(state, FIELDS)
    if not opts:
        chart_col.info(t("Choose at least one optimizer."))
        return
    start = (float(st.session_state[P + "start.x"]), float(st.session_state[P + "start.y"]))
    runs = tuple((k, tuple(sorted(hparams[k].items()))) for k in opts)
    steps = int(state["steps"])
    with chart_col, st.spinner(t("Running…")):
        race_figure = cached.own_race_figure(formula, win, start, steps, runs, lang())
        st.plotly_chart(
            race_figure,
            key=P + "race",
            on_select=on_chart_click,
            selection_mode="points",
            config=exports.CHART_CONFIG,
        )
    trajectories = cached.own_trajectories(formula, win, start, steps, runs)
    for traj, (key, _) in zip(trajectories, runs, strict=True):
        if traj.diverged_at is not None:
            message = t("{name} diverged at step {k} — try a smaller η.")
            st.error(message.format(name=t(OPTIMIZERS[key].name), k=traj.diverged_at), icon="💥")
    exports.export_panel(
        P,
        race_figure,
        name="own-surface",
        runs=trajectories,
        labels=[t(OPTIMIZERS[key].name) for key, _ in runs],
        surface=cached.own_surfaces(formula, win)[0],
    )
    left, right = st.columns(2)
    left.markdown(t("**Contour and gradient field** (arrows: −∇f, downhill)"))
    left.plotly_chart(
        cached.own_field_figure(formula, win, lang()),
        key=P + "field",
        config=exports.CHART_CONFIG,
    )
    right.markdown(t("**In 3D** (drag to turn)"))
    right.plotly_chart(
        cached.own_3d_figure(formula, win, start, steps, runs, lang()),
        key=P + "3d",
        config=exports.CHART_CONFIG,
    )
    st.caption(t("Share this surface and race — copy the link:"))
    st.code(controls.share_link(state, FIELDS), language=None)


race()
st.markdown(
    t(
        "**What to notice.** The arrows are −∇f: gradient descent follows them, so a long arrow "
        "means a big step for the same η. Where the arrows change length fast (Rosenbrock's "
        "walls, the narrow bowl's y direction) a single η is too big somewhere and too small "
        "elsewhere; at a kink like |x| the gradient jumps and plain SGD zig-zags forever, while "
        "momentum and Adam smooth it out."
    )
)
