"""Conditioning and normalization: feature scales, κ, the stability limit, momentum, rotation."""

import math

import streamlit as st

from optviz import SURFACES
from optviz.lessons import conditioning
from optviz.ui import controls, exports
from optviz.ui import noise as cached
from optviz.ui import state as ui_state
from optviz.ui.i18n import lang, t

P = "cn:"
FIELDS = conditioning.page_fields()
QUADRATIC = {p.name: p for p in SURFACES["quadratic"].params}
NORMALIZATION_COLUMNS = {
    "λ_max": st.column_config.NumberColumn(format="%.4g"),
    "κ = λ_max/λ_min": st.column_config.NumberColumn(format="%.4g"),
    "η_max = 2/λ_max": st.column_config.NumberColumn(format="%.3e"),
    "η used": st.column_config.NumberColumn(format="%.3e"),
    "1 − ηλ_min": st.column_config.NumberColumn(format="%.7f"),
}


def table(rows: list[dict], dynamic: dict[str, str] | None = None) -> list[dict]:
    """The rows with translated headers (the lessons module keys them in English).

    Args:
        rows: The lessons module's rows.
        dynamic: Translated headers for keys that carry a number (built from a ``t`` template).
    """
    names = {key: (dynamic or {}).get(key) or t(key) for row in rows for key in row}
    return [{names[key]: value for key, value in row.items()} for row in rows]


def current_state() -> dict:
    """The page state for the URL (widget keys are field names)."""
    return ui_state.read_state(FIELDS, P)


def number(value: float) -> str:
    """A number for a sentence: 3 significant digits, exponent when tiny or huge."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    return f"{value:.3g}" if 1e-3 <= abs(value) < 1e5 else f"{value:.2e}"


problems = ui_state.seed_from_url(FIELDS, P)

st.title(t("Conditioning and normalization (归一化, 条件数)"))
st.markdown(
    t(
        "**Why does gradient descent crawl when the features have different scales — and what "
        "do normalization, momentum and adaptive rates change about it?**"
    )
)
ui_state.show_problems(problems)
st.markdown(
    t(
        "Near a minimum every loss is a quadratic with Hessian H. Gradient descent multiplies "
        "the error along each eigenvector of H by 1 − ηλᵢ, so it is stable only below a limit "
        "set by the steepest direction, and the flattest one then decides the speed:"
    )
)
st.latex(
    r"\eta < \eta_{max} = \frac{2}{\lambda_{max}},\qquad"
    r"\kappa = \frac{\lambda_{max}}{\lambda_{min}}\ \text{(条件数)},\qquad"
    r"|1 - \eta\lambda_{min}| \ge 1 - \frac{2}{\kappa}"
)


@st.fragment
def normalization_panel() -> None:
    """(1) The notes' J(θ) before and after normalization, GD at each one's η_max."""
    st.subheader(t("1 · Normalization (归一化): the notes' J(θ) = (3θ₁ + 600θ₂ − ŷ)²"))
    st.markdown(
        t(
            "Area (≈ 600) and rooms (≈ 3) on their raw scales make θ₂ 200× more sensitive "
            "than θ₁. One sample fits on a whole line of θ, so a small L2 term λ‖θ‖² (λ = "
            "{ridge}, 权重衰减) makes the minimum unique; ŷ = {target}."
        ).format(ridge=f"{conditioning.RIDGE:g}", target=f"{conditioning.Y_HAT:g}")
    )
    raw_col, norm_col = st.columns(2)
    raw_col.latex(conditioning.RAW.latex)
    norm_col.latex(conditioning.NORMALIZED.latex)
    left, right = st.columns(2)
    with left:
        fraction = controls.param_widget(
            conditioning.FRACTION,
            P + "frac",
            t("η as a share of each loss's own η_max = 2/λ_max"),
        )
    with right:
        controls.menu_slider(t("steps T"), conditioning.NORMALIZATION_STEPS, P + "norm_steps")
    state = current_state()
    with st.spinner(t("Running…")):
        view = cached.normalization(float(fraction), int(state["norm_steps"]), lang())
    st.plotly_chart(view.figure, key=P + "norm_paths", config=exports.CHART_CONFIG)
    exports.export_panel(P + "norm.", view.figure, name="normalization")
    tol = f"{1e-3:g}"  # normalization_view's default threshold
    steps_header = {f"steps to J − J* ≤ {tol}": t("steps to J − J* ≤ {tol}").format(tol=tol)}
    st.dataframe(
        table(view.rows, steps_header),
        hide_index=True,
        placeholder="—",
        column_config={t(key): config for key, config in NORMALIZATION_COLUMNS.items()},
    )
    st.plotly_chart(view.gap, key=P + "norm_gap")
    raw, normalized = view.rows
    st.markdown(
        t(
            "The raw loss's steep direction allows only η < {limit}: its flat direction then "
            "shrinks by a factor 1 − ηλ_min = {factor} per step — a crawl (κ = {kappa}). After "
            "normalization κ = {normalized} and η can be {ratio}× larger."
        ).format(
            limit=number(raw["η_max = 2/λ_max"]),
            factor=f"{raw['1 − ηλ_min']:.7f}",
            kappa=number(raw["κ = λ_max/λ_min"]),
            normalized=number(normalized["κ = λ_max/λ_min"]),
            ratio=number(normalized["η_max = 2/λ_max"] / raw["η_max = 2/λ_max"]),
        )
    )
    ui_state.write_url(state, FIELDS)


def quadratic_controls() -> tuple[float, float]:
    """κ and the rotation of the quadratic (shared by sections 2–4)."""
    st.latex(
        r"f(x) = 0.1\,u^2 + 0.1\,\kappa\,v^2,\quad (u, v) = R_{-\theta}\,x,\qquad"
        r"\lambda_{min} = 0.2,\ \lambda_{max} = 0.2\kappa"
    )
    k_col, a_col = st.columns(2)
    with k_col:
        kappa = controls.param_widget(
            QUADRATIC["kappa"], P + "kappa", t("condition number $\\kappa$")
        )
    with a_col:
        angle = controls.param_widget(QUADRATIC["angle"], P + "angle", t("rotation $\\theta$ (°)"))
    return float(kappa), float(angle)


@st.fragment
def sgd_panel(kappa: float, angle: float) -> None:
    """(2) SGD on the rotated quadratic, the stability limit next to the η slider."""
    st.subheader(t("2 · Condition number κ and the stability limit η < 2/λ_max"))
    eta_max = conditioning.sgd_eta_max(kappa)
    slider_col, status_col = st.columns([2, 1])
    with slider_col:
        lr = controls.param_widget(conditioning.SGD_LR, P + "lr", t("SGD learning rate $\\eta$"))
    state = current_state()
    with st.spinner(t("Running…")):
        view = cached.sgd(kappa, angle, float(lr), lang())
    with status_col:
        if lr < eta_max:
            verdict = t(":green[**stable**: η = {lr} < 2/λ_max = {limit}]")
        else:
            verdict = t(":red[**unstable**: η = {lr} ≥ 2/λ_max = {limit}]")
        st.markdown(verdict.format(lr=f"{lr:g}", limit=number(eta_max)))
        st.caption(
            t(
                "2/λ_max from the autodiff Hessian's eigenvalues: {hessian} (closed form "
                "2/(0.2κ) = {limit})."
            ).format(hessian=number(view.hessian_eta_max), limit=number(eta_max))
        )
    st.plotly_chart(view.eta_axis, key=P + "eta_axis", config={"displayModeBar": False})
    st.plotly_chart(view.figure, key=P + "sgd_path", config=exports.CHART_CONFIG)
    exports.export_panel(P + "sgd.", view.figure, name="sgd-stability")
    if view.diverged_at is not None:
        st.error(t("SGD diverged at step {step}.").format(step=view.diverged_at), icon="💥")
    ui_state.write_url(state, FIELDS)


@st.fragment
def momentum_panel(kappa: float, angle: float) -> None:
    """(3) The (η, γ) convergence-rate map of momentum (Distill's picture) and one run."""
    st.subheader(t("3 · Momentum (动量法): the convergence-rate map"))
    st.markdown(
        t(
            "With v_t = γv_{t−1} + g_t and θ_t = θ_{t−1} − ηv_t, each eigen-direction λ of the "
            "quadratic evolves by a 2×2 matrix; the run converges at the rate of the largest "
            "eigenvalue modulus over both directions:"
        )
    )
    st.latex(
        r"\begin{pmatrix}\theta_t\\ v_t\end{pmatrix} = \begin{pmatrix}1-\eta\lambda & -\eta\gamma"
        r"\\ \lambda & \gamma\end{pmatrix}\begin{pmatrix}\theta_{t-1}\\ v_{t-1}\end{pmatrix}"
    )
    st.latex(
        r"\rho(\eta, \gamma) = \max_{\lambda\in\{\lambda_{min}, \lambda_{max}\}} \max |z|,"
        r"\qquad z^2 - (1 + \gamma - \eta\lambda)\,z + \gamma = 0"
    )
    lr_col, g_col = st.columns(2)
    with lr_col:
        lr = controls.param_widget(
            conditioning.MOMENTUM_LR, P + "mlr", t("momentum learning rate $\\eta$")
        )
    with g_col:
        gamma = controls.param_widget(conditioning.GAMMA, P + "gamma", t("momentum $\\gamma$"))
    state = current_state()
    with st.spinner(t("Running…")):
        view = cached.momentum(kappa, angle, float(lr), float(gamma), lang())
    map_col, path_col = st.columns(2)
    map_col.plotly_chart(view.map, key=P + "rate_map")
    path_col.plotly_chart(view.path, key=P + "momentum_path", config=exports.CHART_CONFIG)
    exports.export_panel(P + "momentum.", view.path, name="momentum-path")
    best_lr, best_gamma, best_rate = view.optimum
    if view.diverged_at is not None:
        st.error(
            t("Momentum diverged at step {step} (predicted ρ = {rate} ≥ 1).").format(
                step=view.diverged_at, rate=f"{view.predicted:.4f}"
            ),
            icon="💥",
        )
    else:
        steps = conditioning.steps_to_shrink(view.predicted)
        measured = (
            t("too fast to measure") if math.isnan(view.measured) else f"**{view.measured:.4f}**"
        )
        st.markdown(
            t(
                "Predicted rate ρ = **{rate}** per step (error ×10⁻³ in {steps} steps); measured "
                "on the run: {measured}. The best heavy ball for κ = {kappa} is η* = {lr}, "
                "γ* = {gamma} with ρ* = (√κ − 1)/(√κ + 1) = {best}; plain gradient descent "
                "(γ = 0) at best reaches (κ − 1)/(κ + 1) = {gd}."
            ).format(
                rate=f"{view.predicted:.4f}",
                steps=number(steps),
                measured=measured,
                kappa=f"{kappa:g}",
                lr=f"{best_lr:.3g}",
                gamma=f"{best_gamma:.3g}",
                best=f"{best_rate:.4f}",
                gd=f"{view.gd_rate:.4f}",
            )
        )
    ui_state.write_url(state, FIELDS)


@st.fragment
def rotation_panel(kappa: float) -> None:
    """(4) Rotate the valley: SGD's path rotates rigidly, RMSProp's and Adam's change shape."""
    st.subheader(t("4 · Adaptive methods depend on the axes"))
    st.markdown(
        t(
            "Rotate the valley and start from the rotated point. Gradient descent only sees the "
            "gradient, which rotates with the valley. RMSProp and Adam divide each "
            "**coordinate** by its own √s_t, so the axes matter."
        )
    )
    angle = controls.param_widget(conditioning.ROTATION, P + "rot", t("rotation $\\theta$ (°)"))
    state = current_state()
    with st.spinner(t("Running…")):
        view = cached.rotation(kappa, float(angle), lang())
    st.plotly_chart(view.figure, key=P + "rotation", config=exports.CHART_CONFIG)
    exports.export_panel(P + "rotation.", view.figure, name="rotation")
    turned = f"{float(angle):g}"
    final_header = {f"final ‖θ_T‖ at {turned}°": t("final ‖θ_T‖ at {angle}°").format(angle=turned)}
    st.dataframe(table(view.rows, final_header), hide_index=True, placeholder="—")
    st.caption(
        t(
            "max_t ‖p_t − R_θ p⁽⁰⁾_t‖: how far the rotated run is from the run at 0° turned by "
            "θ. SGD's is float32 round-off; RMSProp's and Adam's are as large as the paths."
        )
    )
    ui_state.write_url(state, FIELDS)


normalization_panel()
st.subheader(t("The ill-conditioned quadratic (病态二次函数)"))
kappa_value, angle_value = quadratic_controls()
sgd_panel(kappa_value, angle_value)
momentum_panel(kappa_value, angle_value)
rotation_panel(kappa_value)
st.markdown(
    t(
        "**What to notice.** The raw loss needs an η below 3·10⁻⁶ and then does not move along θ₁ "
        "at all; after normalization the same fraction of η_max converges in about twenty steps: "
        "normalization shrinks κ, and κ is what makes gradient descent slow. On the quadratic, "
        "cross 2/λ_max = 10/κ with the η slider and the run diverges along the steep axis. "
        "Momentum moves the limit out to 2(1 + γ)/λ_max and the best rate from (κ−1)/(κ+1) to "
        "(√κ−1)/(√κ+1). Adaptive methods rescale coordinates, not directions, so they help most "
        "when the valley lines up with the axes."
    )
)
