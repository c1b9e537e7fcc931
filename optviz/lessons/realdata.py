r"""Real data (真实数据): training vs validation loss, early stopping, real mini-batches.

The notes (000, 001, 004) separate the training error (训练误差), measured on the data the
model learns from, from the generalization error (泛化误差), estimated on held-out validation
data (验证数据集). Here both are real losses of a real two-parameter model
(``optviz.data_surface``): the training run descends :math:`J_{\text{train}}`, and the same
path is evaluated on :math:`J_{\text{val}}`. Early stopping (早停) keeps the point where the
validation error was lowest.

The page's other questions, each answered by a number computed here:

- normalization (归一化): κ of the Hessian with raw and with standardized inputs;
- the stability limit η < 2/λ_max of gradient descent on this surface;
- real mini-batches (小批量) of K rows: the spread σ_K of their gradient, sampled from the data,
  against the noise page's Gaussian model σ_K = σ₁/√K;
- L2 (λ): where the minimum moves, and the path of minimizers as λ grows.

Pure: never imports streamlit; every run goes through ``optviz.run``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go

import optviz
from optviz import plots, urlstate
from optviz.datasurface import DataSurface, data_surface, per_row_gradients, sibling
from optviz.engine import Trajectory
from optviz.plots import Translate
from optviz.surfaces import Param

DATASET_KEYS = ("diabetes", "breast_cancer", "wine")
OPTIMIZERS = ("sgd", "momentum", "adam")
TRAIN_SIZES = (0, 200, 100, 40)
"""Training rows kept (0: all of them): fewer rows, a wider generalization gap."""
MIN_TRAIN_ROWS = 40
"""Fewest training rows a link may ask for: with fewer, two classes can be separable and the
logistic loss has no minimum."""
BATCH_MENU = (0, 1, 2, 4, 8, 16, 32, 64)
"""Mini-batch sizes K offered (0: the full batch)."""
STEP_MENU = (50, 100, 200, 300, 500)
LR = Param("lr", r"\eta", 2.0, 1e-4, 5.0, True, "Learning rate η.")
LEARNING_RATES = {"diabetes": 0.3, "breast_cancer": 2.0, "wine": 2.0}
"""A learning rate that suits plain gradient descent on each data set's normalized loss."""
AXES = {"regression": ("w", "b"), "classification": ("w₁", "w₂")}
"""The two parameters' names on the axes."""
L2 = Param("l2", r"\lambda", 0.0, 0.0, 1.0, False, "L2 penalty λ.")
SIGMA_SIZES = (1, 2, 4, 8, 16, 32, 64, 128)
"""Batch sizes of the σ_K picture."""
SIGMA_DRAWS = 400
"""Mini-batches drawn per size to measure σ_K."""
CLOUD = 24
"""Runs in each cloud of the mini-batch vs Gaussian comparison."""
LAMBDA_PATH = np.linspace(0.0, 1.0, 21)
"""λ values of the regularization path drawn on the training panel."""


class Setting(NamedTuple):
    """Everything that determines the page's pictures (hashable: it keys the caches)."""

    dataset: str = "breast_cancer"
    normalize: bool = True
    train_size: int = 40
    optimizer: str = "sgd"
    lr: float = LR.default
    batch: int = 0
    l2: float = 0.0
    steps: int = 200
    seed: int = 0


def page_fields() -> list[urlstate.Field]:
    """Every setting of the real-data page, named as in ``Setting``."""
    d = Setting()
    return [
        urlstate.ChoiceField("dataset", d.dataset, DATASET_KEYS),
        urlstate.BoolField("normalize", d.normalize),
        urlstate.IntField("train_size", d.train_size, 0, 1000),
        urlstate.ChoiceField("optimizer", d.optimizer, OPTIMIZERS),
        urlstate.param_field("lr", LR),
        urlstate.IntField("batch", d.batch, 0, 1000),
        urlstate.param_field("l2", L2),
        urlstate.IntField("steps", d.steps, 10, 1000),
        urlstate.IntField("seed", d.seed, 0, 9999),
    ]


# ----------------------------------------------------------------------------- the runs


def training_rows(setting: Setting) -> int | None:
    """The training rows kept: ``None`` for all (0, or more than the training set holds)."""
    full = optviz.data_surface(setting.dataset).n_rows
    size = int(setting.train_size)
    return None if size <= 0 or size >= full else max(size, MIN_TRAIN_ROWS)


def surfaces(setting: Setting) -> tuple[DataSurface, DataSurface]:
    """The training and validation surfaces of the setting (λ is passed as a parameter)."""
    train = data_surface(
        setting.dataset, normalize=setting.normalize, train_size=training_rows(setting)
    )
    return train, sibling(train, "validation")


def batch_size(setting: Setting) -> int | None:
    """K for ``optviz.run``: ``None`` for the full batch (0, or K ≥ the training rows m)."""
    m = surfaces(setting)[0].n_rows
    return None if setting.batch <= 0 or setting.batch >= m else int(setting.batch)


def penalty(setting: Setting) -> dict[str, float]:
    """The training surface's parameters: the L2 penalty λ."""
    return {"l2": float(setting.l2)}


def trajectory(setting: Setting) -> Trajectory:
    r"""The training run: the setting's optimizer on :math:`J_{\text{train}}` (+ λ)."""
    train, _ = surfaces(setting)
    return optviz.run(
        setting.optimizer,
        train,
        steps=int(setting.steps),
        hparams={"lr": float(setting.lr)},
        seed=int(setting.seed),
        surface_params=penalty(setting),
        batch_size=batch_size(setting),
    )


class Curves(NamedTuple):
    r"""Training and validation error along the run, and what early stopping keeps.

    Attributes:
        train: Training error :math:`J_{\text{train}}(x_t)` without the penalty, per step.
        val: Validation error :math:`J_{\text{val}}(x_t)`, per step.
        stop: The step with the lowest validation error (早停: where to stop).
        gap: The generalization gap :math:`J_{\text{val}} - J_{\text{train}}` at the end.
        val_best: The validation error at ``stop``.
        val_min: The lowest validation error the model can reach (at the validation minimum).
    """

    train: np.ndarray
    val: np.ndarray
    stop: int
    gap: float
    val_best: float
    val_min: float


def curves(setting: Setting, traj: Trajectory) -> Curves:
    """Both errors along ``traj`` (the data losses: no penalty), and the early-stopping step."""
    train, val = surfaces(setting)
    free = {"l2": 0.0}  # errors are measured without the regularizer
    train_err = optviz.loss_along(train, traj.xy, free)
    val_err = optviz.loss_along(val, traj.xy, free)
    stop = int(np.nanargmin(val_err)) if np.isfinite(val_err).any() else 0
    last = traj.last_valid
    gap = float(val_err[last] - train_err[last]) if last >= 0 else math.nan
    val_min = float(optviz.loss_along(val, np.asarray(val.minima), free)[0])
    return Curves(train_err, val_err, stop, gap, float(val_err[stop]), val_min)


class Conditioning(NamedTuple):
    """κ and the gradient-descent limit η < 2/λ_max, raw and normalized."""

    kappa_raw: float
    kappa_normalized: float
    eta_max: float


def conditioning(setting: Setting) -> Conditioning:
    r"""κ with raw and with standardized inputs, and :math:`2/\lambda_{\max}` of this setting."""
    size = training_rows(setting)
    raw = data_surface(setting.dataset, normalize=False, train_size=size)
    normalized = data_surface(setting.dataset, normalize=True, train_size=size)
    train = normalized if setting.normalize else raw
    params = penalty(setting)
    lam_max = float(np.linalg.eigvalsh(train.hessian(train.minima_at(params)[0], params))[-1])
    return Conditioning(
        raw.condition_number(params), normalized.condition_number(params), 2.0 / lam_max
    )


def regularization_path(setting: Setting) -> np.ndarray:
    """The training minimizer for each λ of ``LAMBDA_PATH``, ``(len, 2)``: where L2 pulls it."""
    train, _ = surfaces(setting)
    return np.array([train.minima_at({"l2": float(lam)})[0] for lam in LAMBDA_PATH])


# ----------------------------------------------------------------------------- σ_K


class Spread(NamedTuple):
    """The mini-batch gradient's spread σ_K at the start, three ways."""

    sizes: np.ndarray
    sampled: np.ndarray
    exact: np.ndarray
    gaussian: np.ndarray


def spread(setting: Setting) -> Spread:
    r"""σ_K sampled from real mini-batches, its exact value, and the Gaussian model σ₁/√K.

    Sampled: ``SIGMA_DRAWS`` batches of K rows drawn without replacement (seeded), the root of
    the summed variance of their mean gradient. Exact: :math:`\sigma_1^2/K \cdot (m-K)/(m-1)`.
    Model: the noise page's :math:`\sigma_1/\sqrt K` with σ₁ of this data.
    """
    train, _ = surfaces(setting)
    m = train.n_rows
    sizes = np.array([k for k in SIGMA_SIZES if k < m])
    grads = per_row_gradients(train, train.start, penalty(setting))
    rng = np.random.default_rng(int(setting.seed))
    sampled = []
    for k in sizes:
        picks = np.argsort(rng.random((SIGMA_DRAWS, m)), axis=1)[:, :k]  # K rows, no repeats
        means = grads[picks].mean(axis=1)  # each batch's gradient
        sampled.append(np.sqrt(means.var(axis=0).sum()))
    exact = optviz.batch_gradient_std(train, train.start, sizes, penalty(setting))
    sigma1 = float(optviz.batch_gradient_std(train, train.start, [1], penalty(setting))[0])
    return Spread(sizes, np.array(sampled), exact, sigma1 / np.sqrt(sizes))


def clouds(setting: Setting) -> tuple[optviz.Batch, optviz.Batch, float]:
    """``CLOUD`` runs with real mini-batches of K rows, and as many with Gaussian noise.

    The Gaussian runs use the noise page's model with the same total spread as the real
    batches at the start: σ per coordinate = σ_K/√2 (the engine's noise is σ ξ, ξ ~ N(0, I)).

    Returns:
        ``(real, gaussian, sigma)``: the two clouds and the σ used; with the full batch
        (no noise) both clouds are single runs.
    """
    train, _ = surfaces(setting)
    k = batch_size(setting)
    kw = dict(
        optimizer=setting.optimizer,
        surface=train,
        steps=int(setting.steps),
        hparams={"lr": float(setting.lr)},
        seed=int(setting.seed),
        surface_params=penalty(setting),
    )
    if k is None:
        one = optviz.run_seeds(**kw, noise=0.0, seeds=1)
        return one, one, 0.0
    sigma_k = float(optviz.batch_gradient_std(train, train.start, [k], penalty(setting))[0])
    sigma = sigma_k / math.sqrt(2.0)  # per coordinate
    real = optviz.run_seeds(**kw, noise=0.0, seeds=CLOUD, batch_size=k)
    gaussian = optviz.run_seeds(**kw, noise=sigma, seeds=CLOUD)
    return real, gaussian, sigma


# ----------------------------------------------------------------------------- figures


def _marker(x, y, name, symbol, colour, text, refs) -> dict:
    """One marked point with hover text on the subplot ``refs``."""
    return dict(
        type="scatter",
        x=[float(x)],
        y=[float(y)],
        mode="markers",
        name=name,
        marker=dict(symbol=symbol, size=14, color=colour, line=dict(width=2, color="black")),
        hovertext=[text],
        hoverinfo="text",
        showlegend=False,
        **refs,
    )


def paths_figure(setting: Setting, traj: Trajectory, tr: Translate = str) -> go.Figure:
    """The run on the training loss (left) and the same path on the validation loss (right).

    Each panel marks its own minimum (★, the training one at λ) and the other split's (◆); the
    training panel draws the regularization path (λ from 0 to 1, dotted), both panels the
    early-stopping point (●).
    """
    train, val = surfaces(setting)
    found = curves(setting, traj)
    lam = float(setting.l2)
    titles = [
        tr("training loss J_train (λ = {lam:.2g})").format(lam=lam),
        tr("validation loss J_val (the same path)"),
    ]
    fig = plots.small_multiples(
        train,
        [traj, traj],
        titles,
        penalty(setting),
        panels=[(train, penalty(setting)), (val, {"l2": 0.0})],
        height_per_row=420,
        tr=tr,
        colors=[0, 0],
        axis_titles=AXES[train.task],
    )
    left, right = dict(xaxis="x", yaxis="y"), dict(xaxis="x2", yaxis="y2")
    m_train = train.minima_at(penalty(setting))[0]
    m_val = val.minima[0]
    reg = regularization_path(setting)
    extra = [
        dict(
            type="scatter",
            x=reg[:, 0],
            y=reg[:, 1],
            mode="lines",
            name="L2 path",
            line=dict(color="rgba(0, 0, 0, 0.55)", width=1.5, dash="dot"),
            hovertext=[f"λ = {v:.2f}" for v in LAMBDA_PATH],
            hoverinfo="text",
            showlegend=False,
            **left,
        ),
        _marker(*m_val, "validation minimum", "diamond", "white", tr("validation minimum"), left),
        _marker(*m_train, "training minimum", "diamond", "white", tr("training minimum"), right),
    ]
    stop_xy = traj.xy[found.stop]
    text = tr("early stopping: step {k}").format(k=found.stop)
    for refs in (left, right):
        extra.append(_marker(*stop_xy, "early stopping", "circle", "#2ca02c", text, refs))
    for trace in extra:
        fig.add_trace(trace)
    return fig


def errors_figure(setting: Setting, traj: Trajectory, tr: Translate = str) -> go.Figure:
    """Training and validation error against step, early stopping and the gap marked."""
    found = curves(setting, traj)
    steps = np.arange(len(found.train))
    step = tr("step")
    data = [
        dict(
            type="scatter",
            x=steps,
            y=found.train.astype(np.float32),
            mode="lines",
            name=tr("training error"),
            line=dict(color=plots.color(0), width=2),
            hovertemplate=f"{step} %{{x}}<br>%{{y:.4g}}<extra></extra>",
        ),
        dict(
            type="scatter",
            x=steps,
            y=found.val.astype(np.float32),
            mode="lines",
            name=tr("validation error"),
            line=dict(color=plots.color(1), width=2),
            hovertemplate=f"{step} %{{x}}<br>%{{y:.4g}}<extra></extra>",
        ),
        dict(
            type="scatter",
            x=[found.stop],
            y=[found.val_best],
            mode="markers+text",
            name=tr("early stopping"),
            text=[tr("early stopping: step {k}").format(k=found.stop)],
            textposition="top right",
            marker=dict(color="#2ca02c", size=12, line=dict(color="black", width=1)),
            hoverinfo="text",
            cliponaxis=False,
        ),
        dict(
            type="scatter",
            x=[0, len(steps) - 1],
            y=[found.val_min, found.val_min],
            mode="lines",
            name=tr("lowest possible validation error"),
            line=dict(color="#888", width=1, dash="dot"),
            hoverinfo="skip",
        ),
    ]
    layout = dict(
        height=340,
        uirevision=plots.UIREVISION,
        xaxis=dict(title=dict(text=tr("step t")), rangemode="tozero"),
        yaxis=dict(title=dict(text=tr("error (loss without λ)"))),
        margin=dict(l=85, r=25, t=45, b=70),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
        hovermode="closest",
    )
    return plots.figure(data, layout)


def spread_figure(setting: Setting, tr: Translate = str) -> go.Figure:
    """σ_K against K on log-log axes: sampled batches, the exact value, the Gaussian model."""
    found = spread(setting)
    k = found.sizes.astype(np.float64)
    data = [
        dict(
            type="scatter",
            x=k,
            y=found.gaussian,
            mode="lines",
            name=tr("Gaussian model σ₁/√K"),
            line=dict(color="#888", width=2, dash="dash"),
        ),
        dict(
            type="scatter",
            x=k,
            y=found.exact,
            mode="lines",
            name=tr("exact, without replacement"),
            line=dict(color=plots.color(1), width=2),
        ),
        dict(
            type="scatter",
            x=k,
            y=found.sampled,
            mode="markers",
            name=tr("sampled from {n} real batches").format(n=SIGMA_DRAWS),
            marker=dict(color=plots.color(0), size=10),
        ),
    ]
    layout = dict(
        height=340,
        xaxis=dict(type="log", title=dict(text=tr("batch size K")), dtick=math.log10(2)),
        yaxis=dict(type="log", title=dict(text="σ_K"), exponentformat="power"),
        margin=dict(l=85, r=25, t=45, b=70),
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom"),
        hovermode="closest",
    )
    return plots.figure(data, layout)


def clouds_figure(setting: Setting, tr: Translate = str) -> go.Figure:
    """Where the real mini-batch runs and the Gaussian-noise runs end, on the training loss."""
    train, _ = surfaces(setting)
    real, gaussian, sigma = clouds(setting)
    fig = plots.surface_figure(train, penalty(setting), start=train.start, height=420, tr=tr)
    k = batch_size(setting)
    names = (
        tr("real mini-batches, K = {k}").format(k=k if k else train.n_rows),
        tr("Gaussian model, σ = {s:.2g}").format(s=sigma),
    )
    for i, (batch, name) in enumerate(zip((real, gaussian), names, strict=True)):
        colour = plots.color(i)
        for run in batch.xy[: min(len(batch), 8)]:  # a few whole paths, faint
            fig.add_trace(
                go.Scatter(
                    x=run[:, 0],
                    y=run[:, 1],
                    mode="lines",
                    line=dict(color=colour, width=1),
                    opacity=0.35,
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
        end = batch.final
        fig.add_trace(
            go.Scatter(
                x=end[:, 0],
                y=end[:, 1],
                mode="markers",
                name=name,
                marker=dict(color=colour, size=8, line=dict(color="white", width=1)),
            )
        )
    fig.update_layout(showlegend=True, legend=dict(orientation="h", y=1.02, yanchor="bottom"))
    return fig


# ----------------------------------------------------------------------------- the story


def story(setting: Setting, traj: Trajectory, tr: Translate = str) -> list[tuple[str, str]]:
    """What the pictures show, as ``(level, text)`` pairs computed from this run."""
    found = curves(setting, traj)
    out = []
    if traj.diverged_at is not None:
        limit = conditioning(setting).eta_max
        if setting.lr > limit:
            text = tr(
                "Diverged at step {k}: η = {lr:.3g} is above this surface's limit "
                "2/λ_max = {limit:.3g}."
            )
        else:  # momentum, Adam, small batches or the curvature away from the minimum
            text = tr(
                "Diverged at step {k}, with η = {lr:.3g} under gradient descent's limit "
                "2/λ_max = {limit:.3g} at the minimum."
            )
        out.append(("error", text.format(k=traj.diverged_at, lr=setting.lr, limit=limit)))
        return out
    end = traj.last_valid
    if found.stop < end:
        out.append(
            (
                "info",
                tr(
                    "The validation error was lowest at step {k} ({best:.4g}) and ended at "
                    "{last:.4g}: stopping early (早停) at step {k} generalizes better."
                ).format(k=found.stop, best=found.val_best, last=found.val[end]),
            )
        )
    else:
        out.append(
            (
                "info",
                tr(
                    "The validation error was still falling at the last step ({last:.4g}): "
                    "no reason to stop early yet."
                ).format(last=found.val[end]),
            )
        )
    out.append(
        (
            "info",
            tr(
                "Generalization gap at the end: J_val − J_train = {gap:.3g} "
                "(the lowest validation error this model can reach is {vmin:.4g})."
            ).format(gap=found.gap, vmin=found.val_min),
        )
    )
    return out
