"""Sweeps and search: hyperparameter maps of real runs, basins, grid vs random, halving."""

import math

import streamlit as st

from optviz import OPTIMIZERS, SURFACES, search, urlstate
from optviz.surfaces import Param
from optviz.ui import controls, exports
from optviz.ui import state as ui_state
from optviz.ui import sweeps as cached
from optviz.ui.i18n import lang, t

P = "sw:"
STEPS = ("100", "200", "500")
RES = ("25", "50", "100", "200")
HALVING_N = ("8", "16", "32", "64", "128")
SECTIONS = {
    "map": "Hyperparameter map",
    "fair": "Fair comparison",
    "basins": "Basins of attraction",
    "search": "Grid vs random search",
    "halving": "Successive halving",
}
COLORS = {"loss": "final loss", "steps": "steps to tolerance", "diverged": "diverged"}
AXES = tuple(dict.fromkeys(a for key in OPTIMIZERS for a in search.axis_names(key)))
LR_LIMITS = (1e-5, 100.0)
DEFAULT_LR = (1e-3, 1.0)
BASIN_SURFACES = ("flat_sharp", "himmelblau", "rastrigin")
BASIN_LR = {"flat_sharp": 0.1, "himmelblau": 0.01, "rastrigin": 0.002}
BASIN_LR_PARAM = Param("lr", r"\eta", 0.01, 1e-4, 1.0, True, "Learning rate η (学习率).")
NOISE_MENU = (0.0, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0)

PRESETS = {
    "momentum-quadratic": (
        "Momentum: η × γ on the quadratic",
        {"opt": "momentum", "surface": "quadratic", "axis": "momentum", "steps": "100"},
    ),
    "adam-beta1-rosenbrock": (
        "Adam: η × β₁ on Rosenbrock",
        {
            "opt": "adam",
            "surface": "rosenbrock",
            "axis": "beta1",
            "steps": "500",
            "lr_min": 1e-4,
            "lr_max": 1.0,
        },
    ),
    "rmsprop-noise": (
        "RMSProp: η × noise σ on Himmelblau",
        {
            "opt": "rmsprop",
            "surface": "himmelblau",
            "axis": "noise",
            "y_max": 2.0,
            "steps": "200",
            "lr_min": 1e-3,
            "lr_max": 10.0,
        },
    ),
    "random-beats-grid": (
        "Random beats grid search when only η matters",
        {
            "section": "search",
            "opt": "sgd",
            "surface": "rosenbrock",
            "axis": "noise",
            "y_max": 2.0,
            "steps": "200",
            "lr_min": 1e-5,
            "lr_max": 0.01,
        },
    ),
    "fair-rosenbrock": (
        "Fair comparison on Rosenbrock",
        {"section": "fair", "surface": "rosenbrock", "steps": "500", "lr_min": 1e-4},
    ),
    "basins-himmelblau": (
        "Basins of Himmelblau",
        {"section": "basins", "b_surface": "himmelblau", "b_lr": 0.01},
    ),
    "flat-vs-sharp-noise": (
        "Noise picks the flat minimum",
        {
            "section": "basins",
            "b_surface": "flat_sharp",
            "b_lr": 0.1,
            "b_steps": "500",
            "b_noise": 1.0,
        },
    ),
    "halving-adam": (
        "Successive halving: Adam on Rosenbrock",
        {
            "section": "halving",
            "opt": "adam",
            "surface": "rosenbrock",
            "axis": "beta1",
            "steps": "500",
            "lr_min": 1e-4,
            "sh_n": "64",
        },
    ),
}

FIELDS = [
    urlstate.ChoiceField("preset", "", ("", *PRESETS)),
    urlstate.ChoiceField("section", "map", tuple(SECTIONS)),
    urlstate.ChoiceField("surface", "quadratic", tuple(SURFACES)),
    urlstate.PointField("start", None, urlstate.START_BOX),
    urlstate.ChoiceField("steps", "100", STEPS),
    urlstate.ChoiceField("opt", "momentum", tuple(OPTIMIZERS)),
    urlstate.ChoiceField("axis", "momentum", AXES),
    urlstate.FloatField("lr_min", DEFAULT_LR[0], *LR_LIMITS, log=True),
    urlstate.FloatField("lr_max", DEFAULT_LR[1], *LR_LIMITS, log=True),
    urlstate.FloatField("y_min", 0.0, 0.0, 10.0),
    urlstate.FloatField("y_max", 0.999, 0.0, 10.0),
    urlstate.ChoiceField("res", "100", RES),
    urlstate.ChoiceField("color", "loss", tuple(COLORS)),
    urlstate.PointField("pick", None, (LR_LIMITS, (0.0, 10.0))),
    urlstate.MultiChoiceField(
        "fair", ("sgd", "momentum", "rmsprop", "adam"), tuple(OPTIMIZERS), urlstate.MAX_OPTIMIZERS
    ),
    urlstate.ChoiceField("b_surface", "himmelblau", BASIN_SURFACES),
    urlstate.ChoiceField("b_opt", "sgd", tuple(OPTIMIZERS)),
    urlstate.param_field("b_lr", BASIN_LR_PARAM),
    urlstate.FloatField("b_noise", 0.0, 0.0, NOISE_MENU[-1]),
    urlstate.ChoiceField("b_steps", "200", STEPS),
    urlstate.ChoiceField("b_res", "100", RES),
    urlstate.IntField("n", 25, 4, 100),
    urlstate.ChoiceField("sh_n", "32", HALVING_N),
    urlstate.IntField("seed", 0, 0, 9999),
]
WIDGET_KEYS = ("start.x", "start.y", "y_range")  # widgets that are not fields


# ----------------------------------------------------------------------------- state


def shown_rows(rows: list[dict]) -> list[dict]:
    """A table's rows with translated headers (and optimizer names)."""
    decades = f"decades of η ending within {search.TOL:g}"
    headers = {decades: t("decades of η ending within {tol}").format(tol=f"{search.TOL:g}")}
    return [
        {headers.get(k) or t(k): t(v) if k == "optimizer" else v for k, v in row.items()}
        for row in rows
    ]


def axis_param(opt: str, axis: str) -> Param:
    """Range and symbol of the second axis (the optimizer's first axis if ``axis`` is stale)."""
    names = search.axis_names(opt)
    return search.axis_param(opt, axis if axis in names else names[0])


def sync_widgets() -> None:
    """The start inputs and the range slider of the second axis follow the URL fields."""
    ss = st.session_state
    surface = SURFACES[ss[P + "surface"]]
    (x0, x1), (y0, y1) = surface.bounds
    start = ss.get(P + "start") or surface.start
    ss[P + "start.x"] = min(max(float(start[0]), x0), x1)
    ss[P + "start.y"] = min(max(float(start[1]), y0), y1)
    p = axis_param(ss[P + "opt"], ss[P + "axis"])
    ss[P + "y_range"] = search.valid_range(ss[P + "y_min"], ss[P + "y_max"], (p.low, p.high))


def check_axis() -> list[str]:
    """A link whose second axis the optimizer lacks falls back to its first axis (full range)."""
    ss = st.session_state
    names = search.axis_names(ss[P + "opt"])
    if ss[P + "axis"] in names:
        return []
    stale = ss[P + "axis"]
    ss[P + "axis"] = names[0]
    p = search.axis_param(ss[P + "opt"], names[0])
    ss[P + "y_min"], ss[P + "y_max"] = p.low, p.high
    return [
        t("axis: {opt} has no {stale} — using {axis}").format(
            opt=ss[P + "opt"], stale=stale, axis=names[0]
        )
    ]


def check_y_range() -> list[str]:
    """A link's range of the second axis is clamped to that hyperparameter's range."""
    ss = st.session_state
    p = axis_param(ss[P + "opt"], ss[P + "axis"])
    problems = []
    for name in ("y_min", "y_max"):
        value = float(ss[P + name])
        if not p.low <= value <= p.high:
            ss[P + name] = min(max(value, p.low), p.high)
            problems.append(
                t("{name}: {value} is outside {param}'s range [{low}, {high}]").format(
                    name=name,
                    value=f"{value:g}",
                    param=p.name,
                    low=f"{p.low:g}",
                    high=f"{p.high:g}",
                )
            )
    return problems


def apply_preset() -> None:
    """Preset chosen: every setting back to its default, then the preset's values."""
    name = st.session_state[P + "preset"]
    if name:
        ui_state.apply_state({**PRESETS[name][1], "preset": name}, FIELDS, P)
        p = axis_param(st.session_state[P + "opt"], st.session_state[P + "axis"])
        if "y_max" not in PRESETS[name][1]:
            st.session_state[P + "y_min"], st.session_state[P + "y_max"] = p.low, p.high
        sync_widgets()


def full_y_range() -> None:
    """The second axis spans its whole range; the replayed cell is forgotten."""
    p = axis_param(st.session_state[P + "opt"], st.session_state[P + "axis"])
    st.session_state[P + "y_range"] = (p.low, p.high)
    st.session_state[P + "pick"] = None


def on_opt_change() -> None:
    """A new optimizer keeps the axis if it has it, else takes its first one."""
    names = search.axis_names(st.session_state[P + "opt"])
    if st.session_state[P + "axis"] not in names:
        st.session_state[P + "axis"] = names[0]
    full_y_range()


def on_surface_change() -> None:
    """A new surface starts from its own start point."""
    surface = SURFACES[st.session_state[P + "surface"]]
    st.session_state[P + "start"] = None
    st.session_state[P + "start.x"], st.session_state[P + "start.y"] = surface.start
    st.session_state[P + "pick"] = None


def on_basin_surface_change() -> None:
    """Each basin surface comes with a learning rate that converges on it."""
    st.session_state[P + "b_lr"] = BASIN_LR[st.session_state[P + "b_surface"]]


def zoom_in() -> None:
    """Coarse-to-fine (从粗略到精细): both ranges 4× narrower around the best cell."""
    settings = map_settings(current_state())
    hmap = cached.hyper_map(settings)
    best = hmap.best()
    if best is None:
        return
    p = axis_param(settings.optimizer, settings.axis)
    lr, y = float(hmap.lrs[best[0]]), float(hmap.ys[best[1]])
    lr_range, y_range = search.zoom_ranges(
        settings.lr_range, settings.y_range, (lr, y), (p.low, p.high), lr_limits=LR_LIMITS
    )
    st.session_state[P + "lr_min"], st.session_state[P + "lr_max"] = (
        float(f"{v:.4g}") for v in lr_range
    )
    st.session_state[P + "y_range"] = tuple(float(f"{v:.4g}") for v in y_range)
    st.session_state[P + "pick"] = None


def reset_ranges() -> None:
    """Back to the coarse map: the default η range and the whole second axis."""
    st.session_state[P + "lr_min"], st.session_state[P + "lr_max"] = DEFAULT_LR
    full_y_range()


def on_map_click() -> None:
    """A click on the map replays that cell's run."""
    points = st.session_state[P + "map_chart"].selection.get("points", [])
    if points and "x" in points[0]:
        lr, y = 10 ** float(points[0]["x"]), float(points[0]["y"])
        st.session_state[P + "pick"] = (float(f"{lr:.4g}"), float(f"{y:.4g}"))  # short URL


def current_state() -> dict:
    """The page state for the URL, from session state (widget keys are field names)."""
    ss = st.session_state
    state = ui_state.read_state(FIELDS, P)
    state["start"] = controls.start_point(P, SURFACES[state["surface"]])
    state["y_min"], state["y_max"] = ss[P + "y_range"]
    return state


def map_settings(state: dict) -> search.MapSettings:
    """The hashable settings of the hyperparameter map."""
    p = axis_param(state["opt"], state["axis"])
    start = state["start"]
    return search.MapSettings(
        optimizer=state["opt"],
        surface=state["surface"],
        start=None if start is None else (float(start[0]), float(start[1])),
        steps=int(state["steps"]),
        axis=p.name,
        lr_range=search.valid_range(state["lr_min"], state["lr_max"], LR_LIMITS, True),
        y_range=search.valid_range(state["y_min"], state["y_max"], (p.low, p.high)),
        res=int(state["res"]),
    )


def sync_url() -> None:
    """Writes the page state into the address bar (after the widgets)."""
    ui_state.write_url(current_state(), FIELDS)


def opt_name(key: str) -> str:
    """Select-box label of an optimizer."""
    return f"{OPTIMIZERS[key].name} · {OPTIMIZERS[key].name_zh}"


first_run = not st.session_state.get(P + "_seeded")
problems = ui_state.seed_from_url(FIELDS, P)
if first_run:
    problems += check_axis() or check_y_range()
if first_run or any(P + k not in st.session_state for k in WIDGET_KEYS):
    sync_widgets()  # first visit, or back from another page (Streamlit dropped the widgets)
for _key in [*(f.name for f in FIELDS), *WIDGET_KEYS]:  # keep the state of hidden sections
    if P + _key in st.session_state:
        st.session_state[P + _key] = st.session_state[P + _key]

st.title(t("Sweeps and search (超参数优化)"))
st.markdown(
    t(
        "**Which hyperparameters matter most — and how do you find good ones without trying "
        "them all?** Every cell and every dot below is a full run of the optimizer, thousands "
        "at once."
    )
)
ui_state.show_problems(problems)

with st.sidebar:
    st.selectbox(
        t("Preset"),
        ["", *PRESETS],
        key=P + "preset",
        on_change=apply_preset,
        format_func=lambda k: t(PRESETS[k][0]) if k else t("— choose a classic picture —"),
    )
    st.subheader(t("The map: η × one more hyperparameter"))
    surface_key = st.selectbox(
        t("Surface (损失曲面)"),
        list(SURFACES),
        key=P + "surface",
        format_func=lambda k: t(SURFACES[k].name),
        on_change=on_surface_change,
    )
    surface = SURFACES[surface_key]
    (bx0, bx1), (by0, by1) = surface.bounds
    col_x, col_y = st.columns(2)
    col_x.number_input(t("start x₁"), bx0, bx1, step=0.1, key=P + "start.x", format="%.3f")
    col_y.number_input(t("start x₂"), by0, by1, step=0.1, key=P + "start.y", format="%.3f")
    st.select_slider(t("Steps per run T"), STEPS, key=P + "steps")
    opt_key = st.selectbox(
        t("Optimizer"),
        list(OPTIMIZERS),
        key=P + "opt",
        format_func=opt_name,
        on_change=on_opt_change,
    )
    axis = st.selectbox(
        t("Second hyperparameter"),
        search.axis_names(opt_key),
        key=P + "axis",
        format_func=lambda a: search.axis_title(a, t),
        on_change=full_y_range,
    )
    lr_col, lr_col2 = st.columns(2)
    for col, end, label in ((lr_col, "lr_min", t("η from")), (lr_col2, "lr_max", t("η to"))):
        now = float(st.session_state[P + end])
        with col:
            st.select_slider(
                label,
                controls.log_options(*LR_LIMITS, now),
                key=P + end,
                format_func=controls.fmt,
                help=t("The map's learning-rate axis (log scale)."),
            )
    y_param = search.axis_param(opt_key, axis)
    st.slider(
        t("Range of {axis}").format(axis=search.axis_title(axis, t)),
        float(y_param.low),
        float(y_param.high),
        key=P + "y_range",
        step=search.slider_step(y_param),
        format="%.4g",
        help=t(y_param.help),
    )
    st.select_slider(
        t("Cells per axis"), RES, key=P + "res", help=t("Up to 200 × 200 = 40 000 runs.")
    )
    zoom_col, reset_col = st.columns(2)
    zoom_col.button(
        t("🔍 Zoom in"), key=P + "_zoom", on_click=zoom_in, help=t("Around the best cell.")
    )
    reset_col.button(t("↺ Full ranges"), key=P + "_reset", on_click=reset_ranges)


def map_spinner(settings: search.MapSettings) -> str:
    """What the spinner says while a map runs."""
    runs = settings.res**2
    return t("Running {runs} full runs of {steps} steps…").format(
        runs=f"{runs:,}", steps=settings.steps
    )


def show_importance(hmap: search.HyperMap, settings: search.MapSettings) -> None:
    """How much of the map η explains, and how much the second axis (hyperparameter importance)."""
    imp = search.importance(hmap.objective)
    sym = search.axis_title(settings.axis, t)
    st.markdown(
        t(
            "On this map η alone explains **{lr}** of the variation of log₁₀(f − f*), {sym} "
            "alone **{y}**, the two together {both} (functional ANOVA). Ng's notes rank η "
            "first (最重要: 学习速率 α), then β₁ or momentum (次重要) — compare with this map."
        ).format(
            lr=f"{imp['lr']:.0%}", sym=sym, y=f"{imp['y']:.0%}", both=f"{imp['interaction']:.0%}"
        )
    )


@st.fragment
def map_section() -> None:
    """The hyperparameter map beside the replay of the clicked cell."""
    settings = map_settings(current_state())
    color = st.radio(
        t("Colour by"),
        list(COLORS),
        key=P + "color",
        horizontal=True,
        format_func=lambda k: t(COLORS[k]),
    )
    with st.spinner(map_spinner(settings)):
        hmap = cached.hyper_map(settings)
    pick = st.session_state.get(P + "pick")
    cell = hmap.nearest(*pick) if pick else hmap.best()
    if cell is None:
        st.warning(t("Every run on this map diverged: lower the learning-rate range."), icon="💥")
        cell = (0, 0)
    left, right = st.columns(2)
    with left:
        st.plotly_chart(
            cached.map_figure(settings, color, cell, lang()),
            key=P + "map_chart",
            on_select=on_map_click,
            selection_mode="points",
            config=exports.CHART_CONFIG,
        )
        st.caption(
            t(
                "{res} × {res} = {runs} runs of {steps} steps; dark grey cells diverged "
                "({share}). ★ is the best cell. Hover for the numbers, click a cell to replay "
                "its run."
            ).format(
                res=settings.res,
                runs=f"{settings.res**2:,}",
                steps=settings.steps,
                share=f"{hmap.diverged_share:.0%}",
            )
        )
    lr, y = float(hmap.lrs[cell[0]]), float(hmap.ys[cell[1]])
    label = f"η = {lr:.3g}, {search.axis_title(settings.axis, t)} = {y:.3g}"
    with right:
        with st.spinner(t("Replaying the run…")):
            traj = cached.replay(settings, cell)
            figure = cached.replay_figure(settings, cell, label, lang())
        st.plotly_chart(figure, key=P + "replay", config=exports.CHART_CONFIG)
        exports.export_panel(
            P + "replay.",
            figure,
            name="replay",
            runs=[traj],
            labels=[label],
            surface=SURFACES[settings.surface],
            code=[exports.snippet(label, **cached.replay_kwargs(settings, cell))],
        )
        if traj.diverged_at is not None:
            st.error(
                t("{label}: diverged at step {step}.").format(label=label, step=traj.diverged_at),
                icon="💥",
            )
        else:
            gap = hmap.gap[cell]
            hit = int(hmap.steps_to_tol[cell])
            reached = (
                t("reached f − f* ≤ {tol} at step {step}").format(tol=f"{search.TOL:g}", step=hit)
                if hit >= 0
                else ""
            )
            st.caption(
                t("{label}: final f − f* = {gap}. {reached}").format(
                    label=label, gap=f"{gap:.3g}", reached=reached
                )
            )
    if color == "steps" and not math.isfinite(hmap.f_star):
        st.info(t("This surface lists no minimum, so no run can reach a tolerance around it."))
    show_importance(hmap, settings)
    st.markdown(
        t(
            "**What to notice.** Dark cells are runs that blew up. On the default map (momentum on "
            "the quadratic, λ_max = 4) the heavy ball is stable only for η·λ_max < 2(1+γ), so the "
            "edge sits at η = 0.5 for γ = 0 and moves right as γ grows. The good region bends the "
            "other way: the effective step is η/(1−γ), so a larger γ gets there with a smaller η — "
            "η and γ interact, and the best cells hug the edge. Moving only floats (ranges, start) "
            "never recompiles."
        )
    )
    sync_url()


@st.fragment
def fair_section() -> None:
    """Final loss against η for each optimizer, each marked at its best η."""
    state = current_state()
    settings = map_settings(state)
    st.multiselect(
        t("Optimizers"),
        list(OPTIMIZERS),
        key=P + "fair",
        format_func=opt_name,
        max_selections=urlstate.MAX_OPTIMIZERS,
    )
    chosen = tuple(st.session_state[P + "fair"])
    if not chosen:
        st.info(t("Choose at least one optimizer."))
        sync_url()
        return
    args = (chosen, settings.surface, settings.start, settings.steps, settings.lr_range)
    with st.spinner(
        t("Running {n} × 60 full runs of {steps} steps…").format(
            n=len(chosen), steps=settings.steps
        )
    ):
        curves = cached.fair(*args)
        figure = cached.fair_figure(*args, lang())
    st.plotly_chart(figure, key=P + "fair_chart", config=exports.CHART_CONFIG)
    exports.export_panel(P + "fair.", figure, name="fair-comparison")
    rows = search.fair_rows(curves)
    st.dataframe(shown_rows(rows), hide_index=True, placeholder="—")
    st.caption(
        t(
            "{surface}, {steps} steps, η from {lo} to {hi} (sidebar); every other "
            "hyperparameter at its default. AdaDelta's η is a multiplier of its step."
        ).format(
            surface=t(SURFACES[settings.surface].name),
            steps=settings.steps,
            lo=f"{settings.lr_range[0]:.3g}",
            hi=f"{settings.lr_range[1]:.3g}",
        )
    )
    st.markdown(
        t(
            "**What to notice.** Compared at one shared η, whichever optimizer happens to like "
            "that η wins. Compared each at its own best η (★), the picture changes: SGD and "
            "momentum are best just below the η where they diverge (✕) — the largest stable "
            "learning rate — while RMSProp and Adam, whose steps are about η per coordinate, "
            "never blow up here but want a very different η. The last column says how "
            "forgiving each one is."
        )
    )
    sync_url()


@st.fragment
def basins_section() -> None:
    """Start points coloured by the minimum their run ends in; shares with and without noise."""
    c1, c2, c3 = st.columns(3)
    b_surface = c1.selectbox(
        t("Surface"),
        BASIN_SURFACES,
        key=P + "b_surface",
        format_func=lambda k: t(SURFACES[k].name),
        on_change=on_basin_surface_change,
    )
    b_opt = c2.selectbox(t("Optimizer"), list(OPTIMIZERS), key=P + "b_opt", format_func=opt_name)
    with c3:
        lr = controls.param_widget(BASIN_LR_PARAM, P + "b_lr", t("learning rate η"))
    c4, c5, c6, c7 = st.columns(4)
    noise_now = float(st.session_state[P + "b_noise"])
    with c4:
        noise = st.select_slider(
            t("gradient noise σ"),
            sorted({*NOISE_MENU, noise_now}),
            key=P + "b_noise",
            help=t("Each start draws its own noise (小批量噪声)."),
        )
    steps = int(c5.select_slider(t("Steps T"), STEPS, key=P + "b_steps"))
    res = int(c6.select_slider(t("Starts per axis"), RES, key=P + "b_res"))
    seed = int(c7.number_input(t("seed"), 0, 9999, key=P + "seed"))
    args = (b_surface, b_opt, float(lr), steps, res, float(noise), seed)
    with st.spinner(
        t("Running {starts} starts × {steps} steps…").format(starts=f"{res * res:,}", steps=steps)
    ):
        figure = cached.basin_figure(*args, lang())
        bars = cached.share_figure(*args, lang())
        bmap = cached.basins(*args)
    left, right = st.columns([1.2, 1])
    left.plotly_chart(figure, key=P + "basin_chart", config=exports.CHART_CONFIG)
    with left:
        exports.export_panel(P + "basins.", figure, name="basins")
    with right:
        st.plotly_chart(bars, key=P + "share_chart", config=exports.CHART_CONFIG)
        st.caption(
            t(
                "A run ends in a minimum when it stops within {radius} of it; otherwise it has "
                "not converged (light) or diverged (dark grey)."
            ).format(radius=f"{bmap.basins.radius:.2g}")
        )
    st.markdown(
        t(
            "**What to notice.** On Himmelblau the four basins (吸引域) meet along curved "
            "borders; momentum twists them, since a run can coast through a saddle into "
            "another basin. On the flat-vs-sharp surface the sharp minimum (平坦/尖锐最小值) "
            "owns a small basin, and noise σ kicks runs out of it: with σ = 1 almost no run stays "
            "sharp. On Rastrigin every ripple has its own basin — where you start decides "
            "where you end."
        )
    )
    sync_url()


@st.fragment
def search_section() -> None:
    """Grid vs random search with the same budget N on the map, and coarse-to-fine."""
    settings = map_settings(current_state())
    c1, c2 = st.columns([3, 1])
    n = int(c1.slider(t("Budget N (runs tried)"), 4, 100, key=P + "n"))
    seed = int(c2.number_input(t("seed"), 0, 9999, key=P + "seed"))
    with st.spinner(map_spinner(settings)):
        hmap = cached.hyper_map(settings)
    if hmap.best() is None:
        st.warning(t("Every run on this map diverged: lower the learning-rate range."), icon="💥")
        sync_url()
        return
    points, curve = cached.search_figures(settings, n, seed, lang())
    summary = search.search_summary(cached.search_curves(settings, n, seed))
    k = summary["k"]
    left, right = st.columns(2)
    left.plotly_chart(points, key=P + "search_points", config=exports.CHART_CONFIG)
    right.plotly_chart(curve, key=P + "search_curves", config=exports.CHART_CONFIG)
    with left:
        exports.export_panel(P + "search.", points, name="grid-vs-random")
    st.markdown(
        t(
            "With N = {n}{largest}, the {k}×{k} grid tries only **{k} different η**; random "
            "search (随机搜索) tries **{n}**. Mean best log₁₀(f − f*) over 200 draws: grid "
            "**{grid}**, random **{random}** (exact expectation)."
        ).format(
            n=summary["n"],
            largest="" if summary["n"] == n else t(" (the largest k² ≤ {n})").format(n=n),
            k=k,
            grid=f"{summary['grid']:.2f}",
            random=f"{summary['random']:.2f}",
        )
    )
    st.latex(
        r"\mathbb E\big[\min_{n\le N} v\big] = \sum_{k=1}^{M} v_{(k)}"
        r"\Big[\big(\tfrac{M-k+1}{M}\big)^N - \big(\tfrac{M-k}{M}\big)^N\Big]"
    )
    show_importance(hmap, settings)
    st.button(
        t("🔍 Coarse-to-fine: zoom the map 4× around its best cell"),
        key=P + "_zoom2",
        on_click=zoom_in,
    )
    st.markdown(
        t(
            "**What to notice.** A grid (网格搜索) spends its budget repeating the same few values "
            "of each hyperparameter: when only η matters, a 5×5 grid is a 5-point search. Random "
            "points all have different η, so random search finds the good η sooner — the notes' "
            "reason to prefer it when there are many hyperparameters. Then search coarse to fine "
            "(从粗略到精细): zoom in around the best and search again."
        )
    )
    sync_url()


@st.fragment
def halving_section() -> None:
    """Successive halving over the map, one animation frame per round."""
    settings = map_settings(current_state())
    c1, c2 = st.columns([3, 1])
    n = int(c1.select_slider(t("Configurations n"), HALVING_N, key=P + "sh_n"))
    seed = int(c2.number_input(t("seed"), 0, 9999, key=P + "seed"))
    with st.spinner(map_spinner(settings)):
        hmap = cached.hyper_map(settings)
    with st.spinner(t("Running {n} configurations through the rounds…").format(n=n)):
        result = cached.halving(settings, n, seed)
        figure = cached.halving_figure(settings, n, seed, lang())
    st.latex(r"n_r = \frac{n}{2^r},\qquad b_r = \frac{T}{2^{R-1-r}},\qquad R = \log_2 n + 1")
    left, right = st.columns([1.3, 1])
    left.plotly_chart(figure, key=P + "halving_chart", config=exports.CHART_CONFIG)
    with left:
        exports.export_panel(P + "halving.", figure, name="successive-halving")
    rows = search.halving_table(result)
    info = search.halving_summary(hmap, result)
    with right:
        st.dataframe(shown_rows(rows), hide_index=True, placeholder="—")
        st.markdown(
            t(
                "Winner: η = {lr}, {axis} = {y}, f − f* = {gap}.  \nTotal cost {cost} steps = "
                "{runs} full runs of {steps} steps. Random search with {runs} full runs would "
                "expect f − f* ≈ {random_gap}."
            ).format(
                lr=f"{info['lr']:.3g}",
                axis=search.axis_title(settings.axis, t),
                y=f"{info['y']:.3g}",
                gap=f"{info['gap']:.3g}",
                cost=f"{info['cost']:,}",
                runs=info["full_runs"],
                steps=settings.steps,
                random_gap=f"{info['random_gap']:.3g}",
            )
        )
    st.markdown(
        t(
            "**What to notice.** Successive halving (逐次减半, 动态资源分配) looks at many more "
            "configurations ({n}) than the {runs} full runs its budget buys, because it stops "
            "the bad ones early. Its risk is visible too: a configuration that starts slowly "
            "(small η) but would end best is dropped in the first rounds, so the winner is the "
            "best *early* performer."
        ).format(n=n, runs=info["full_runs"])
    )
    sync_url()


section = st.radio(
    t("Section"),
    list(SECTIONS),
    key=P + "section",
    horizontal=True,
    format_func=lambda k: t(SECTIONS[k]),
)
{
    "map": map_section,
    "fair": fair_section,
    "basins": basins_section,
    "search": search_section,
    "halving": halving_section,
}[section]()
sync_url()
st.caption(t("Share this exact picture — copy the link:"))
st.code(controls.share_link(current_state(), FIELDS), language=None)
