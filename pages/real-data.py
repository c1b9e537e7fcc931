"""Real data: training vs validation loss, early stopping, real mini-batches, normalization, L2."""

import math

import streamlit as st

from optviz import DATASETS, OPTIMIZERS
from optviz.lessons import realdata
from optviz.ui import controls, exports
from optviz.ui import realdata as cached
from optviz.ui import state as ui_state
from optviz.ui.i18n import lang, t

P = "rd:"
FIELDS = realdata.page_fields()


def menu(key: str, values: tuple[int, ...]) -> list[int]:
    """A menu's options in order of size, 0 (all rows / the full batch) last, a link's too."""
    current = int(st.session_state.get(key, values[0]))
    return sorted({*values, current}, key=lambda v: v if v > 0 else math.inf)


def on_dataset_change() -> None:
    """A new data set starts with a learning rate that suits its normalized loss."""
    st.session_state[P + "lr"] = realdata.LEARNING_RATES[st.session_state[P + "dataset"]]


problems = ui_state.seed_from_url(FIELDS, P)

st.title(t("Real data: training vs validation (真实数据)"))
st.markdown(
    t(
        "**Does the minimum of the training loss also minimize the validation loss — and when "
        "should training stop?** A real model on real data: the run descends the training "
        "loss (left); the same path, measured on held-out validation data (right)."
    )
)
ui_state.show_problems(problems)


@st.fragment
def lesson_panel() -> None:
    """Controls, the two losses side by side, the error curves, mini-batches vs the model."""
    top = st.columns([1.6, 1.1, 1.2, 1.2])
    names = {k: t(DATASETS[k].name) for k in realdata.DATASET_KEYS}
    top[0].selectbox(
        t("Data set"),
        realdata.DATASET_KEYS,
        key=P + "dataset",
        format_func=names.get,
        on_change=on_dataset_change,
    )
    top[1].toggle(t("normalize inputs (归一化)"), key=P + "normalize")
    rows_label = {0: t("all")}
    top[2].select_slider(
        t("training rows m"),
        options=menu(P + "train_size", realdata.TRAIN_SIZES),
        key=P + "train_size",
        format_func=lambda v: rows_label.get(v, str(v)),
    )
    opt_names = {k: f"{OPTIMIZERS[k].name} · {OPTIMIZERS[k].name_zh}" for k in realdata.OPTIMIZERS}
    top[3].selectbox(
        t("Optimizer"), realdata.OPTIMIZERS, key=P + "optimizer", format_func=opt_names.get
    )
    row = st.columns([1.2, 1.2, 1.2, 1, 0.7])
    with row[0]:
        controls.param_widget(realdata.LR, P + "lr", label=t("learning rate $\\eta$"))
    batch_label = {0: t("full batch")}
    row[1].select_slider(
        t("mini-batch size K"),
        options=menu(P + "batch", realdata.BATCH_MENU),
        key=P + "batch",
        format_func=lambda v: batch_label.get(v, str(v)),
    )
    with row[2]:
        controls.param_widget(realdata.L2, P + "l2", label=t("L2 penalty $\\lambda$"))
    with row[3]:
        controls.menu_slider(t("steps"), realdata.STEP_MENU, P + "steps")
    row[4].number_input(t("batch seed"), 0, 9999, key=P + "seed")

    state = ui_state.read_state(FIELDS, P)
    setting = realdata.Setting(**{name: state[name] for name in realdata.Setting._fields})
    entry = DATASETS[setting.dataset]
    train, _ = realdata.surfaces(setting)
    st.caption(f"{t(entry.description)} {t('Source:')} {entry.source}.")
    st.latex(train.latex)
    code = lang()
    with st.spinner(t("Running…")):
        figure = cached.paths_figure(setting, code)
    st.plotly_chart(figure, key=P + "paths", config=exports.CHART_CONFIG)
    for level, text in cached.story(setting, code):
        (st.error if level == "error" else st.info)(text)

    numbers = cached.conditioning(setting)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(t("κ, raw inputs"), f"{numbers.kappa_raw:.3g}")
    m2.metric(t("κ, normalized inputs"), f"{numbers.kappa_normalized:.3g}")
    m3.metric(t("stability limit 2/λ_max"), f"{numbers.eta_max:.3g}")
    m4.metric(t("training rows m"), f"{train.n_rows}")
    st.plotly_chart(cached.errors_figure(setting, code), key=P + "errors")

    st.subheader(t("Real mini-batches vs the Gaussian model (小批量)"))
    st.markdown(
        t(
            "A mini-batch of K rows, drawn without replacement from the m training rows, has a "
            "gradient whose spread is exactly"
        )
    )
    st.latex(r"\sigma_K^2 = \frac{\sigma_1^2}{K}\cdot\frac{m-K}{m-1}")
    st.markdown(
        t(
            "— the noise page's model σ_K = σ₁/√K, measured here from the data, with a "
            "correction that makes it vanish at K = m (the full batch)."
        )
    )
    left, right = st.columns(2)
    left.plotly_chart(cached.spread_figure(setting, code), key=P + "spread")
    with right:
        if st.toggle(t("Run both clouds: real mini-batches vs Gaussian noise"), key=P + "_clouds"):
            with st.spinner(t("Running…")):
                clouds = cached.clouds_figure(setting, code)
            st.plotly_chart(clouds, key=P + "clouds")
        else:
            st.markdown(
                t(
                    "Turn the clouds on to run {n} seeds of real mini-batches of K rows beside "
                    "{n} runs with the noise page's Gaussian noise of the same spread."
                ).format(n=realdata.CLOUD)
            )
    exports.export_panel(
        P,
        figure,
        name=f"realdata-{setting.dataset}",
        runs=[cached.trajectory(setting)],
        labels=[f"{OPTIMIZERS[setting.optimizer].name}"],
        surface=train,
        params=realdata.penalty(setting),
    )
    controls.share_box(state, FIELDS, P)


lesson_panel()
st.markdown(
    t(
        "**What to notice.** The two minima differ: the model fits its training rows best, not "
        "the validation rows. With few training rows (m = 40) the validation error "
        "falls, then rises again while the training error keeps falling — that turn is where "
        "early stopping (早停) ends training. Turn normalization off: the same data make a "
        "knife-thin valley (κ in the tens of thousands) and the learning rate that worked now "
        "diverges. Small batches K make the path noisy, exactly as the noise page's Gaussian "
        "model says (σ_K ∝ 1/√K), and λ pulls the minimum toward zero along the dotted path."
    )
)
