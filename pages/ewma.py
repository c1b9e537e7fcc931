"""Exponentially weighted averages and bias correction (指数加权移动平均, 偏差修正)."""

import math

import streamlit as st

from optviz import urlstate
from optviz.lessons import ewma
from optviz.ui import controls, exports
from optviz.ui import inside as cached
from optviz.ui import state as ui_state
from optviz.ui.i18n import lang, t

P = "ew:"
FIELDS = [
    urlstate.FloatField("beta", 0.9, 0.5, 0.999),
    urlstate.FloatField("noise", 3.0, 0.0, 10.0),
    urlstate.IntField("seed", 0, 0, 9999),
    urlstate.IntField("day", 30, 1, ewma.DAYS),
    urlstate.BoolField("compare", False),
    urlstate.BoolField("corrected", True),
]

problems = ui_state.seed_from_url(FIELDS, P)

st.title(t("Exponentially weighted averages and bias correction"))
st.markdown(
    t(
        "**How does vₜ = βvₜ₋₁ + (1−β)θₜ smooth a noisy series — and why are its first values "
        "too small?** Ng's daily temperatures: move β, press ▶ Play to watch the averages being "
        "built day by day."
    )
)
ui_state.show_problems(problems)


@st.fragment
def ewma_panel() -> None:
    """Controls, the animated averages, the weights of one day and the numbers."""
    c1, c2, c3 = st.columns([2, 2, 1])
    beta = c1.slider(
        t("β (decay)"),
        0.5,
        0.999,
        step=0.001,
        format="%.3f",
        key=P + "beta",
        help=t("vₜ averages roughly the last 1/(1−β) days."),
    )
    noise = c2.slider(t("noise σ (°C)"), 0.0, 10.0, step=0.1, key=P + "noise")
    seed = int(c3.number_input(t("noise seed"), 0, 9999, key=P + "seed"))
    d1, d2, d3 = st.columns([2, 1, 1])
    day = int(d1.slider(t("day t (window and weights)"), 1, ewma.DAYS, key=P + "day"))
    corrected = d2.toggle(t("bias correction vₜ/(1−βᵗ)"), key=P + "corrected")
    compare = d3.toggle(t("β = 0.5, 0.9, 0.98 (Ng)"), key=P + "compare")
    figure = cached.ewma_figure(
        float(beta), float(noise), seed, day, bool(compare), bool(corrected), lang()
    )
    st.plotly_chart(figure, key=P + "chart", config=exports.CHART_CONFIG)
    exports.export_panel(P, figure, name="ewma")
    if beta >= 0.99:
        st.info(
            t(
                "With β = {beta} the average spans about {n} days — more than the {days} days "
                "shown, so vₜ never forgets its start at v₀ = 0 here."
            ).format(beta=f"{beta:g}", n=f"{ewma.window(beta):.0f}", days=ewma.DAYS)
        )

    days, _, theta = cached.temperatures(float(noise), seed)
    v = ewma.ewma(theta, beta)
    v_hat = ewma.bias_corrected(v, beta)
    left, right = st.columns([1.1, 1])
    with left:
        st.markdown(t("**The recursion and its unrolled sum**"))
        st.latex(
            r"v_0 = 0,\quad v_t = \beta\, v_{t-1} + (1-\beta)\,\theta_t"
            r" = \sum_{i=1}^{t} (1-\beta)\,\beta^{t-i}\,\theta_i"
        )
        st.markdown(
            t(
                "**Why the start is too small.** With v₀ = 0 the first average is only the share "
                "1−β of the first measurement:"
            )
        )
        st.latex(
            rf"v_1 = (1-\beta)\,\theta_1 = {1 - beta:.3g}\times {theta[0]:.2f}"
            rf" = {v[0]:.3g}\ ^\circ\mathrm{{C}} \ll \theta_1 = {theta[0]:.2f}\ ^\circ\mathrm{{C}}"
        )
        st.markdown(
            t(
                "The weights of vₜ sum to (1−β)(1 + β + … + βᵗ⁻¹) = 1−βᵗ, not 1. Dividing by "
                "that sum (bias correction) makes them a true average:"
            )
        )
        factor = 1 - beta**day
        st.latex(
            rf"\hat v_t = \frac{{v_t}}{{1-\beta^t}},\qquad t = {day}:\ "
            rf"\frac{{{v[day - 1]:.3f}}}{{1-{beta:g}^{{{day}}}}}"
            rf" = \frac{{{v[day - 1]:.3f}}}{{{factor:.4g}}} = {v_hat[day - 1]:.3f}"
            rf"\ ^\circ\mathrm{{C}}"
        )
        fade = math.ceil(math.log(0.01) / math.log(beta))  # first t with βᵗ < 1%
        st.markdown(
            t(
                "The correction matters only while βᵗ is not small: 1−βᵗ > 0.99 from day "
                "**{fade}** on (for β = {beta}), after which both curves coincide."
            ).format(fade=fade, beta=f"{beta:g}")
        )
    with right:
        st.plotly_chart(
            cached.weights_figure(float(beta), day, lang()),
            key=P + "weights",
            config=exports.CHART_CONFIG,
        )
        n = ewma.window(beta)
        st.latex(rf"\frac{{1}}{{1-\beta}} = {n:.3g}\ \text{{days}}")
        st.latex(
            rf"\beta^{{1/(1-\beta)}} = {beta**n:.3f} \approx \frac{{1}}{{e}} = {1 / math.e:.3f}"
        )
        st.caption(
            t(
                "A day 1/(1−β) days back weighs 1/e of today's: older days hardly count, so vₜ "
                "is roughly an average of the last 1/(1−β) days (shaded in the chart)."
            )
        )
    state = ui_state.read_state(FIELDS, P)
    controls.share_box(state, FIELDS, P)


ewma_panel()
st.markdown(
    t(
        "**What to notice.** A larger β averages more days: the curve gets smoother but lags "
        "behind the season (Ng's green β = 0.98 vs red 0.9), while β = 0.5 follows the noise. "
        "Without correction the average starts at 0 and crawls up; dividing by 1−βᵗ puts it on "
        "the data from day 1, and the two curves meet once βᵗ ≈ 0. Adam applies exactly this "
        "correction to its moments vₜ and sₜ."
    )
)
