"""Gradient checking: autodiff against the two-sided finite difference."""

import streamlit as st

from optviz import SURFACES, urlstate
from optviz.lessons import gradcheck as gc
from optviz.ui import controls, exports
from optviz.ui import lessons_misc as cached
from optviz.ui import state as ui_state
from optviz.ui.i18n import lang, t

P = "gk:"
FIELDS = [
    urlstate.ChoiceField("surface", "rosenbrock", tuple(SURFACES)),
    urlstate.PointField("point", None, urlstate.START_BOX),
    urlstate.param_field("eps", gc.EPS),
    urlstate.ChoiceField("precision", "float64", gc.PRECISIONS),
    urlstate.BoolField("bug", False),
]
VERDICTS = {"great": (st.success, "✅"), "check": (st.warning, "🤔"), "wrong": (st.error, "🐞")}


def verdict_words(verdict: str) -> str:
    """Ng's reading of the relative error, in words."""
    return {
        "great": t("great — the gradient is right (Ng: ≈1e-7)"),
        "check": t("check again — suspicious (Ng: ≈1e-5)"),
        "wrong": t("probably a bug (Ng: ≈1e-3 or worse)"),
    }[verdict]


def reset_point() -> None:
    """The point follows the surface: its URL value, or the surface's own start."""
    surface = SURFACES[st.session_state[P + "surface"]]
    point = st.session_state.get(P + "point") or surface.start
    (x0, x1), (y0, y1) = surface.bounds
    st.session_state[P + "point.x"] = min(max(float(point[0]), x0), x1)
    st.session_state[P + "point.y"] = min(max(float(point[1]), y0), y1)


def on_surface_change() -> None:
    """A new surface is checked at its own start point."""
    st.session_state[P + "point"] = None
    reset_point()


def on_click() -> None:
    """A click on the picture moves θ there."""
    points = st.session_state[P + "field"].selection.get("points", [])
    if points and "x" in points[0]:
        st.session_state[P + "point.x"] = round(float(points[0]["x"]), 3)
        st.session_state[P + "point.y"] = round(float(points[0]["y"]), 3)


def current_state() -> dict:
    """The page state for the URL (the point is None when it is the surface's own start)."""
    state = ui_state.read_state(FIELDS, P)
    point = (float(st.session_state[P + "point.x"]), float(st.session_state[P + "point.y"]))
    state["point"] = None if point == SURFACES[state["surface"]].start else point
    return state


problems = ui_state.seed_from_url(FIELDS, P)
if P + "point.x" not in st.session_state:
    reset_point()

st.title(t("Gradient checking (梯度检验)"))
st.markdown(
    t("**Is my gradient right? Compare it with a finite difference, coordinate by coordinate.**")
)
ui_state.show_problems(problems)
st.latex(
    r"d\theta_{\text{approx}}[i] = \frac{J(\theta_1, \dots, \theta_i + \varepsilon, \dots)"
    r" - J(\theta_1, \dots, \theta_i - \varepsilon, \dots)}{2\varepsilon}"
)
st.latex(
    r"\text{relative error} = \frac{\|d\theta_{\text{approx}} - d\theta\|_2}"
    r"{\|d\theta_{\text{approx}}\|_2 + \|d\theta\|_2}"
    r"\qquad(\approx 10^{-7}\ \text{great},\ 10^{-5}\ \text{check},\ 10^{-3}\ \text{wrong})"
)


@st.fragment
def checker() -> None:
    """Surface, point, ε, precision and the bug: the table, the verdict and the error curves."""
    c1, c2, c3 = st.columns([1.4, 1, 1])
    # Labelled from a dict translated during the run: AppTest formats the options again
    # outside the run, where t() cannot see the session's language.
    surfaces = {k: t(s.name) for k, s in SURFACES.items()}
    with c1:
        key = st.selectbox(
            t("Surface (损失曲面)"),
            list(SURFACES),
            key=P + "surface",
            format_func=surfaces.get,
            on_change=on_surface_change,
        )
    surface = SURFACES[key]
    (x0, x1), (y0, y1) = surface.bounds
    c2.number_input(t("θ₁"), x0, x1, step=0.1, key=P + "point.x", format="%.3f")
    c3.number_input(t("θ₂"), y0, y1, step=0.1, key=P + "point.y", format="%.3f")
    c4, c5, c6 = st.columns([1.4, 1, 1])
    with c4:
        eps = controls.param_widget(gc.EPS, P + "eps", t("ε of the table"))
    with c5:
        precision = st.radio(t("precision"), gc.PRECISIONS, key=P + "precision", horizontal=True)
    with c6:
        bug = st.toggle(
            t("plant a bug (dθ₁ ÷ 2)"),
            key=P + "bug",
            help=t("A classic slip: d(θ²)/dθ = 2θ, but the code forgot the 2 in dθ₁."),
        )
    state = current_state()
    ui_state.write_url(state, FIELDS)
    point = (float(st.session_state[P + "point.x"]), float(st.session_state[P + "point.y"]))
    res = cached.gc_result(key, point, float(eps), precision, bool(bug))
    code = lang()
    pic, table = st.columns([1.1, 1])
    with pic:
        grad = tuple(float(g) for g in res["grad"])
        st.plotly_chart(
            cached.gc_field_figure(key, point, grad, code),
            key=P + "field",
            on_select=on_click,
            selection_mode="points",
            config=exports.CHART_CONFIG,
        )
        st.caption(t("Arrows: −∇J (downhill). Click the picture to check another θ."))
    with table:
        name = t("buggy dθ") if bug else t("dθ (jax.grad)")
        st.markdown(
            t("**At θ = ({x:.3g}, {y:.3g}), ε = {eps:.0e}, {precision}:**").format(
                x=point[0], y=point[1], eps=eps, precision=precision
            )
        )
        st.dataframe(
            [
                {
                    "i": f"θ{'₁₂'[i]}",
                    name: f"{res['grad'][i]:.9g}",
                    t("dθ_approx (two-sided)"): f"{res['approx'][i]:.9g}",
                    t("one-sided"): f"{res['one_sided'][i]:.9g}",
                    t("|difference|"): f"{abs(res['approx'][i] - res['grad'][i]):.2e}",
                }
                for i in range(2)
            ],
            hide_index=True,
            placeholder="—",
        )
        show, icon = VERDICTS[res["verdict"]]
        words = verdict_words(res["verdict"])
        show(
            t("relative error = {error:.2e}: {verdict}").format(error=res["error"], verdict=words),
            icon=icon,
        )
        if max(abs(g) for g in res["grad"]) < 1e-6:
            st.warning(
                t(
                    "The gradient is almost 0 here, so a relative error compares tiny numbers "
                    "and means little. Check at another point."
                ),
                icon="⚠️",
            )
        if precision == "float32":
            st.info(
                t(
                    "float32 has ~7 significant digits: round-off u/ε ≈ 6e-8/ε swamps small ε, "
                    "and even the best ε (≈1e-3) gives only ≈1e-5. Ng's thresholds assume "
                    "float64."
                ),
                icon="ℹ️",
            )
    st.markdown(t("**Error against ε** (one-sided vs two-sided, float64 vs float32):"))
    errors = cached.gc_error_figure(key, point, float(eps), precision, bool(bug), code)
    st.plotly_chart(errors, key=P + "errors", config=exports.CHART_CONFIG)
    exports.export_panel(P, errors, name="gradient-check")


checker()
st.markdown(
    t(
        "**What to notice.** For large ε the error is truncation: the one-sided difference "
        "falls with slope 1 (error ∝ ε), the two-sided with slope 2 (∝ ε²) — why the notes use "
        "the two-sided one. For small ε round-off takes over (∝ u/ε), so each curve is a V: in "
        "float64 the two-sided V bottoms out near ε ≈ 1e-5 far below 1e-7; in float32 it "
        "bottoms out near ε ≈ 1e-3 at only ≈1e-5. Plant the bug and every curve flattens at "
        "≈1e-1 whatever ε: that is what a wrong gradient looks like. (On a quadratic the "
        "two-sided difference is exact, J‴ = 0: only round-off is left.)"
    )
)
