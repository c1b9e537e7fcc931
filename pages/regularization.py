"""Regularization: L1 vs L2, and weight decay vs L2 in Adam."""

import streamlit as st

from optviz import urlstate
from optviz.lessons import regularization as rg
from optviz.ui import controls, exports
from optviz.ui import lessons_misc as cached
from optviz.ui import state as ui_state
from optviz.ui.i18n import lang, t

P = "rg:"
FIELDS = [
    urlstate.param_field("lam", rg.LAM),
    urlstate.param_field("angle", rg.ANGLE),
    urlstate.param_field("wd.lr", rg.WD_LR),
    urlstate.param_field("wd.lam", rg.WD_LAM),
    urlstate.IntField("wd.steps", 300, min(rg.WD_STEPS), max(rg.WD_STEPS)),
]


def fmt(v: float) -> str:
    """A coordinate for the text: an exact zero shows as 0."""
    return "0" if v == 0.0 else f"{v:.3f}"


def sparsity(l1) -> str:
    """Which coordinates of the L1 minimizer are exactly 0, in words."""
    if l1[0] == 0.0 and l1[1] == 0.0:
        return t("θ₁ and θ₂ exactly 0 (sparse, 稀疏)")
    if l1[0] == 0.0 or l1[1] == 0.0:
        coord = "θ₁" if l1[0] == 0.0 else "θ₂"
        return t("{coord} exactly 0 (sparse, 稀疏)").format(coord=coord)
    return t("no zero yet")


def table_rows(rows: list[dict]) -> list[dict]:
    """The end-point table with translated headers and run names."""
    headers = {
        "run": t("run"),
        "distance to argmin J + λ/2‖θ‖²": t("distance to argmin J + λ/2‖θ‖²"),
        "diverged at": t("diverged at"),
    }
    return [{headers.get(k, k): t(v) if k == "run" else v for k, v in row.items()} for row in rows]


problems = ui_state.seed_from_url(FIELDS, P)

st.title(t("Regularization: L1 vs L2 (正则化)"))
st.markdown(
    t("**Why does an L1 penalty set weights exactly to zero, while L2 only makes them small?**")
)
ui_state.show_problems(problems)
st.latex(rg.J_LATEX)
col_l1, col_l2 = st.columns(2)
col_l1.latex(rg.L1_LATEX)
col_l2.latex(rg.L2_LATEX)
st.markdown(
    t(
        "Minimizing a regularized loss is the same as minimizing the data loss J inside a "
        "region ‖θ‖ ≤ t: a diamond for L1, a circle for L2. The solution is where the smallest "
        "ellipse of J touches the region. Move λ and watch where they touch."
    )
)


@st.fragment
def l1_vs_l2() -> None:
    """λ and the tilt: the diamond/circle picture and the regularization paths."""
    left, right = st.columns(2)
    with left:
        label = t("regularization strength λ (正则化系数)")
        lam = controls.param_widget(rg.LAM, P + "lam", label)
    with right:
        angle = controls.param_widget(rg.ANGLE, P + "angle", t("tilt φ of J's ellipses (degrees)"))
    ui_state.write_url(ui_state.read_state(FIELDS, P), FIELDS)
    code = lang()
    st.plotly_chart(
        cached.reg_constraint_figure(angle, lam, code),
        key=P + "constraint",
        config=exports.CHART_CONFIG,
    )
    res = cached.reg_minimizers(angle, lam)
    l1, l2 = res["l1_at"], res["l2_at"]
    st.markdown(
        t(
            "At λ = {lam:g}: the **L1** minimizer is θ* = ({l1x}, {l1y}) — {sparse}; the **L2** "
            "minimizer is θ* = ({l2x}, {l2y}) — smaller than c = (2, 1), but not zero."
        ).format(
            lam=lam,
            l1x=fmt(l1[0]),
            l1y=fmt(l1[1]),
            sparse=sparsity(l1),
            l2x=fmt(l2[0]),
            l2y=fmt(l2[1]),
        )
    )
    st.markdown(t("**The regularization path** — every minimizer as λ grows from 0:"))
    st.plotly_chart(
        cached.reg_path_figure(angle, lam, code), key=P + "paths", config=exports.CHART_CONFIG
    )
    at_lambda = t("{coord} at λ ≈ {lam:.2f}")
    hits = [
        at_lambda.format(coord=f"θ{'₁₂'[i]}", lam=v) for i, v in enumerate(res["l1_zero"]) if v == v
    ]
    st.caption(
        t(
            "L1 coordinates become exactly 0 at finite λ: {hits}. The L2 path only approaches 0 "
            "as λ → ∞: (A + λI)⁻¹Ac is never 0 for finite λ."
        ).format(hits=t(", ").join(hits) or t("none in range"))
    )


l1_vs_l2()
st.markdown(
    t(
        "**What to notice.** The diamond has corners on the axes and the ellipses of J usually "
        "touch it first at a corner, so a coordinate is exactly 0 — L1 selects features. The "
        "circle has no corners: the touching point slides towards 0 but stays off the axes. "
        "The L1 path is piecewise linear and lands on an axis at a finite λ; the L2 path only "
        "shrinks."
    )
)

st.header(t("Weight decay vs L2 in Adam (权重衰减 vs L2 正则化)"))
st.markdown(
    t("**Is weight decay the same as adding λ/2‖θ‖² to the loss?** For SGD, yes; for Adam, no.")
)
st.latex(
    r"\text{SGD: } \theta_t = \theta_{t-1} - \eta\,(\nabla J + \lambda\theta_{t-1})"
    r" = (1 - \eta\lambda)\,\theta_{t-1} - \eta\,\nabla J"
)
st.latex(
    r"\text{Adam + L2: } g_t = \nabla J + \lambda\theta_{t-1},\quad"
    r" \theta_t = \theta_{t-1} - \frac{\eta\,\hat v_t}{\sqrt{\hat s_t} + \epsilon}"
)
st.latex(
    r"\text{AdamW: } g_t = \nabla J,\quad \theta_t = \theta_{t-1} - \eta\left("
    r"\frac{\hat v_t}{\sqrt{\hat s_t} + \epsilon} + \lambda\,\theta_{t-1}\right)"
)


@st.fragment
def decay_race() -> None:
    """Four runs from the same start with the same η and λ, side by side."""
    c1, c2, c3 = st.columns(3)
    with c1:
        lr = controls.param_widget(rg.WD_LR, P + "wd.lr", t("learning rate η (学习率)"))
    with c2:
        label = t("λ: L2 coefficient / weight decay")
        lam = controls.param_widget(rg.WD_LAM, P + "wd.lam", label)
    with c3:
        steps = controls.menu_slider(t("Steps"), rg.WD_STEPS, P + "wd.steps")
    ui_state.write_url(ui_state.read_state(FIELDS, P), FIELDS)
    angle = float(st.session_state[P + "angle"])
    with st.spinner(t("Running…")):
        out = cached.weight_decay(float(lr), float(lam), angle, int(steps), lang())
    st.plotly_chart(out["figure"], key=P + "race", config=exports.CHART_CONFIG)
    exports.export_panel(
        P + "race.",
        out["figure"],
        name="weight-decay",
        runs=out["runs"],
        labels=[t(label) for label in rg.RUN_LABELS],
        surface=rg.REG_SURFACE,
        params={"lam": 0.0, "angle": angle},
    )
    star = out["l2_star"]
    st.caption(
        t(
            "○ minimum of J, c = (2, 1) · ★ minimum of J + λ/2‖θ‖² = ({x:.3f}, {y:.3f}). "
            "Press ▶ Play."
        ).format(x=star[0], y=star[1])
    )
    st.dataframe(table_rows(out["rows"]), hide_index=True, placeholder="—")
    for row in out["rows"]:
        if row["diverged at"] is not None:
            message = t("{name} diverged at step {k}.")
            st.error(message.format(name=t(row["run"]), k=row["diverged at"]), icon="💥")
    gap = out["sgd_gap"]
    if gap == gap:  # not NaN: neither SGD run diverged
        st.success(
            t(
                "SGD: the two paths agree to {gap:.1e} at every step — float32 round-off. "
                "In SGD weight decay ≡ L2 regularization."
            ).format(gap=gap),
            icon="✅",
        )
    if out["adamw_l2"] is not None:
        eff = out["adamw_l2"]
        st.info(
            t(
                "AdamW ends near the minimum of J + ½ Σᵢ λ√ŝᵢ θᵢ² — an L2 penalty whose strength "
                "per coordinate, λ√ŝ = ({e1:.3f}, {e2:.3f}), comes from the gradient history, "
                "not λ = {lam:g} alone."
            ).format(e1=eff[0], e2=eff[1], lam=lam),
            icon="ℹ️",
        )


decay_race()
st.markdown(
    t(
        "**What to notice.** The two SGD panels draw the same path: subtracting ηλθ is exactly "
        "the gradient of λ/2‖θ‖². With Adam the L2 gradient λθ is divided by √ŝ like the rest, "
        "so Adam + L2 still ends at the ★ (the minimum of J + λ/2‖θ‖²), while AdamW's decay "
        "λθ is not rescaled and pulls to a different end point — weight decay ≠ L2 for Adam, "
        "which is why AdamW exists."
    )
)
