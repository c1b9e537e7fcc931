"""Mini-batch noise: escaping saddle points, flat vs sharp minima, the linear scaling rule."""

import streamlit as st

from optviz.lessons import noise
from optviz.ui import controls, exports
from optviz.ui import noise as cached
from optviz.ui import state as ui_state
from optviz.ui.i18n import lang, t

P = "nm:"
FIELDS = noise.page_fields()


def float_menu(label: str, menu, key: str, help_text: str) -> float:
    """A slider over fixed float stops, keeping an off-menu value from a link."""
    current = float(st.session_state.get(key, menu[0]))
    options = sorted({*map(float, menu), current})
    return st.select_slider(
        label, options=options, key=key, format_func=lambda v: f"{v:g}", help=help_text
    )


def current_state() -> dict:
    """The page state for the URL (widget keys are field names)."""
    return ui_state.read_state(FIELDS, P)


problems = ui_state.seed_from_url(FIELDS, P)

st.title(
    t(
        "Mini-batch noise, saddle points, flat vs sharp minima "
        "(小批量梯度下降, 鞍点, 平坦/尖锐最小值)"
    )
)
st.markdown(
    t(
        "**Why does a small batch — a noisier gradient — escape saddle points, and end in flat "
        "minima more often than a large one?**"
    )
)
ui_state.show_problems(problems)
st.markdown(
    t(
        "A mini-batch of K samples (批量大小 K) averages K per-sample gradients, so its error "
        "shrinks like 1/√K. We model it as Gaussian noise on the true gradient:"
    )
)
st.latex(
    r"g_t = \frac{1}{K}\sum_{(x,y)\in S_t}\frac{\partial\mathcal L(y, f(x;\theta))}"
    r"{\partial\theta} \;\approx\; \nabla f(\theta_{t-1}) + \sigma_K\,\xi_t,\qquad"
    r"\xi_t \sim \mathcal N(0, I)"
)
st.latex(r"\sigma_K = \frac{\sigma_1}{\sqrt K},\qquad \theta_t = \theta_{t-1} - \eta\, g_t")
k_col, lr_col, sigma_col = st.columns(3)
with k_col:
    batch_size = controls.menu_slider(t("batch size K (批量大小)"), noise.BATCH_SIZES, P + "K")
with lr_col:
    lr = controls.param_widget(noise.LR, P + "lr", label=t("learning rate $\\eta$ (学习率)"))
with sigma_col:
    sigma1 = controls.param_widget(
        noise.SIGMA1, P + "sigma1", label=t("one-sample noise $\\sigma_1$")
    )
st.caption(
    t(
        "σ_K = σ₁/√K = {sigma1}/√{k} = {sigma}. Each picture runs {seeds} copies with different "
        "noise (seeds 0–{last}) in one vmapped call."
    ).format(
        sigma1=f"{sigma1:g}",
        k=batch_size,
        sigma=f"{noise.batch_noise(sigma1, batch_size):.3g}",
        seeds=noise.SEEDS,
        last=noise.SEEDS - 1,
    )
)


@st.fragment
def saddle_panel() -> None:
    """(a) The saddle: the cloud, and the share of runs that escaped against the step."""
    st.subheader(t("(a) Saddle point (鞍点): the noise gets you out"))
    st.latex(r"f(x, y) = x^2 - y^2,\qquad \theta_0 = (-1.5,\ y_0)")
    left, right = st.columns(2)
    with left:
        float_menu(
            t("start height above the ridge y₀"),
            noise.Y0_MENU,
            P + "y0",
            t("0: exactly on the ridge, where the gradient has no y component."),
        )
    with right:
        controls.menu_slider(t("steps T"), noise.SADDLE_STEPS, P + "saddle_steps")
    state = current_state()
    with st.spinner(t("Running the cloud…")):
        view = cached.saddle(
            int(state["K"]),
            float(state["lr"]),
            float(state["sigma1"]),
            int(state["saddle_steps"]),
            float(state["y0"]),
            lang(),
        )
    st.plotly_chart(view.cloud, key=P + "saddle_cloud", config=exports.CHART_CONFIG)
    exports.export_panel(P + "saddle.", view.cloud, name="saddle-cloud")
    st.plotly_chart(view.escape, key=P + "escape")
    gd_x, gd_y = view.gd_end
    full = view.median_step[noise.FULL_BATCH]
    half = view.median_step[noise.batch_label(state["K"])]
    stuck = (
        t("**stuck at the saddle point**, where ∇f = 0.")
        if full is None
        else t("it leaves the ridge only at step {step}, thanks to its start offset y₀.").format(
            step=full
        )
    )
    when = (
        t("half of them by step {step}").format(step=half)
        if half is not None
        else t("fewer than half")
    )
    st.markdown(
        t(
            "Full-batch gradient descent (σ = 0) ends at ({x}, {y}): {stuck} With K = {k}, "
            "{share} of the noisy runs escaped ({when})."
        ).format(
            x=f"{gd_x:.3g}",
            y=f"{gd_y:.3g}",
            stuck=stuck,
            k=state["K"],
            share=f"{view.escaped_share:.0%}",
            when=when,
        )
    )
    st.caption(
        t(
            "Noise check: the steps of the cloud imply σ = {measured}; the model says "
            "σ₁/√K = {model}."
        ).format(measured=f"{view.measured:.3g}", model=f"{view.noise:.3g}")
    )
    ui_state.write_url(state, FIELDS)


@st.fragment
def flat_sharp_panel() -> None:
    """(b) Flat vs sharp: the cloud by outcome, the shares, the linear scaling rule, the map."""
    st.subheader(t("(b) Flat vs sharp minimum (平坦最小值 / 尖锐最小值)"))
    st.markdown(
        t(
            "Every run starts at θ₀ = {start} inside the narrow, sharp well (right); noise-free "
            "gradient descent stays there. Where do noisy runs end?"
        ).format(start=noise.FLAT_SHARP_START)
    )
    top = st.columns([1, 1.6, 1])
    with top[0]:
        controls.menu_slider(t("steps T"), noise.STEPS, P + "steps")
    with top[1]:
        scaling = st.toggle(
            t("apply linear scaling ×m (线性缩放规则)"),
            key=P + "scaling",
            help=t("Batch K → m·K and η → m·η, for the same number of epochs (T → T/m steps)."),
        )
    with top[2]:
        controls.menu_slider("m", noise.SCALE_FACTORS, P + "m")
    state = current_state()
    k, eta, s1, steps = int(state["K"]), float(state["lr"]), float(state["sigma1"]), state["steps"]
    m = int(state["m"]) if scaling else None
    with st.spinner(t("Running the cloud…")):
        view = cached.flat_sharp(k, eta, s1, int(steps), lang())
        groups, bars = cached.shares(k, eta, s1, int(steps), m, lang())
    st.plotly_chart(view.cloud, key=P + "flat_cloud", config=exports.CHART_CONFIG)
    exports.export_panel(P + "flat.", view.cloud, name="flat-sharp-cloud")
    flat, sharp, unsettled, diverged = view.shares
    st.markdown(
        t(
            "With K = {k}: **{flat} end in the flat minimum**, {sharp} in the sharp one, "
            "{unsettled} have not settled (farther than two well widths from both), {diverged} "
            "diverged."
        ).format(
            k=k,
            flat=f"{flat:.0%}",
            sharp=f"{sharp:.0%}",
            unsettled=f"{unsettled:.0%}",
            diverged=f"{diverged:.0%}",
        )
    )
    st.caption(
        t(
            "Noise check: the steps of the cloud imply σ = {measured}; the model says "
            "σ₁/√K = {model}."
        ).format(measured=f"{view.measured:.3g}", model=f"{view.noise:.3g}")
    )
    if scaling:
        st.markdown(
            t(
                "**Linear scaling rule, ×{m}:** the batch grows to K = {k}; for the same number "
                "of epochs the run takes T/m = {steps} steps. Compare the batch alone with the "
                "batch **and** η scaled:"
            ).format(m=m, k=k * m, steps=max(int(steps) // m, 1))
        )
    st.plotly_chart(bars, key=P + "shares")
    limits = noise.stability_limits()
    if scaling and eta * m >= limits["flat"]:
        st.warning(
            t(
                "η × m = {lr} is beyond 2/λ_max = {limit} even of the flat well: runs keep "
                "bouncing instead of settling — the rule breaks when the batch (and η) get very "
                "large."
            ).format(lr=f"{eta * m:.3g}", limit=f"{limits['flat']:.3g}"),
            icon="⚠️",
        )
    elif scaling and eta * m >= limits["sharp"] > eta:
        st.info(
            t(
                "η × m = {lr} is above the sharp minimum's stability limit 2/λ_max = {limit}: "
                "gradient descent cannot converge to it any more, so part of the agreement "
                "comes from the curvature, not from the noise."
            ).format(lr=f"{eta * m:.3g}", limit=f"{limits['sharp']:.3g}")
        )
    st.markdown(
        t(
            "**The (K, η) map.** Share of runs that end in the flat minimum after T steps, "
            "{seeds} seeds per cell (one `optviz.sweep` over η × σ_K per seed)."
        ).format(seeds=noise.SEEDS)
    )
    sweeping = t("Sweeping {rows} × {cols} settings…")
    with st.spinner(sweeping.format(rows=len(noise.BATCH_SIZES), cols=len(noise.MAP_LRS))):
        figure = cached.map_figure(s1, int(steps), k, eta, m, lang())
    st.plotly_chart(figure, key=P + "map", config=exports.CHART_CONFIG)
    exports.export_panel(P + "map.", figure, name="batch-size-lr-map")
    ui_state.write_url(state, FIELDS)


saddle_panel()
flat_sharp_panel()
st.markdown(
    t(
        "**What to notice.** On the saddle, full-batch gradient descent walks along the ridge into "
        "the saddle point and stops, because the gradient there is zero "
        "(基于梯度下降的优化方法会在鞍点附近接近于停滞). Any noise pushes a run off the ridge, and "
        "from then on y grows like (1 + 2η)ᵗ: smaller batches escape sooner. In the double well, "
        "the noise level ησ₁²/K decides. A small batch is kicked out of the narrow sharp well and "
        "settles in the wide flat one. A large batch stays where gradient descent would. Too small "
        "a batch never settles at all (批量越小，越有可能收敛到平坦最小值). The linear scaling "
        "rule (K ×m, η ×m, same epochs) keeps ησ₁²/K and ηT, so the shares stay the same — until η "
        "× m becomes too large for the curvature."
    )
)
