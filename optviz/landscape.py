r"""A real network's loss landscape (损失地形), sliced along two random directions (Li et al. 2018).

A network has thousands of weights θ, so its loss :math:`L(\theta)` cannot be drawn. Li, Xu,
Taylor, Studer and Goldstein ("Visualizing the Loss Landscape of Neural Nets", NeurIPS 2018)
draw the plane through the trained weights :math:`\theta^*` spanned by two random directions
δ and η:

.. math:: f(\alpha, \beta) = L(\theta^* + \alpha\,\delta + \beta\,\eta)

The directions are *filter-normalized*: every filter of δ gets the norm of the same filter of
θ*, so a step α = 1 moves each filter by its own size, and two networks whose weights have
different scales can be compared fairly on the same axes.

The network here is a small multilayer perceptron (多层感知机) 64 → 16 → 10 with tanh hidden
units, trained on scikit-learn's 8×8 handwritten digits with the softmax cross-entropy loss
(交叉熵)

.. math:: L(\theta) = \frac1m \sum_{i=1}^m \left[\log \sum_k e^{z^{(i)}_k} - z^{(i)}_{y^{(i)}}
    \right],\quad z^{(i)} = f_\theta(x^{(i)})

by Adam, once with small mini-batches (16 rows) and once with the full batch (all 1258
training rows). Keskar et al. ("On Large-Batch Training for Deep Learning: Generalization Gap
and Sharp Minima", ICLR 2017) found that large batches tend to end in *sharper* minima;
``Slice.sharpness`` and ``Slice.curvature`` put a number on it.

The slice is a real ``optviz.Surface`` (``landscape_surface``), so every optimizer of the app
can run on it. Everything here is pure numpy + JAX; the jitted functions live at module level
and each trained network and each surface is built once per process (``functools.lru_cache``).
"""

from __future__ import annotations

import dataclasses
import functools
import math
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from optviz import datasets
from optviz.datasets import get_dataset
from optviz.surfaces import Surface

Params = list  # [(W, b), ...] one pair per layer; W is (inputs, outputs), b is (outputs,)
"""The network's parameters: a list with one ``(W, b)`` pair per dense layer."""

ADAM_BETA1 = 0.9
"""Adam's decay rate β₁ of the first moment."""
ADAM_BETA2 = 0.999
"""Adam's decay rate β₂ of the second moment."""
ADAM_EPS = 1e-8
"""Adam's ε in the denominator."""
CHUNK = 256
"""Grid points evaluated side by side (``jax.lax.map``'s batch): bounds the memory of a grid."""
SPLITS = ("train", "validation")


# ----------------------------------------------------------------------------- the network


@dataclasses.dataclass(frozen=True)
class MLP:
    """A multilayer perceptron's shape: layer widths and the hidden activation.

    Attributes:
        sizes: Widths from the input to the output, e.g. ``(64, 16, 10)``: 64 pixels, one
            hidden layer of 16 units, 10 class scores.
        activation: ``"tanh"`` or ``"relu"`` for the hidden layers (the output layer is
            linear: its scores go into the softmax).
    """

    sizes: tuple[int, ...] = (64, 16, 10)
    activation: str = "tanh"

    def __post_init__(self):
        if len(self.sizes) < 2:
            raise ValueError(f"an MLP needs at least two widths, got {self.sizes}")
        if self.activation not in ("tanh", "relu"):
            raise ValueError(f"activation must be 'tanh' or 'relu', got {self.activation!r}")

    @property
    def n_params(self) -> int:
        """Number of weights and biases."""
        return sum((a + 1) * b for a, b in zip(self.sizes[:-1], self.sizes[1:], strict=True))


def init_params(mlp: MLP, seed: int = 0) -> Params:
    r"""Glorot (Xavier) normal initialization, the usual one for tanh units; biases zero.

    .. math:: W_{jk} \sim \mathcal N\!\left(0, \frac{2}{n_\text{in} + n_\text{out}}\right)

    (He's :math:`2/n_\text{in}` for ReLU units.)

    Args:
        mlp: The network's shape.
        seed: Seed of ``numpy.random.default_rng``: same seed, same weights.

    Returns:
        A list of ``(W, b)`` float32 pairs, W of shape ``(n_in, n_out)``.
    """
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(mlp.sizes[:-1], mlp.sizes[1:], strict=True):
        if mlp.activation == "relu":
            std = math.sqrt(2.0 / n_in)  # He: keeps the variance of ReLU activations
        else:
            std = math.sqrt(2.0 / (n_in + n_out))  # Glorot: keeps forward and backward variance
        w = (std * rng.standard_normal((n_in, n_out))).astype(np.float32)
        params.append((jnp.asarray(w), jnp.zeros(n_out, jnp.float32)))
    return params


def _activate(z, activation: str):
    """The hidden activation, ``tanh(z)`` or ``max(z, 0)``."""
    return jnp.tanh(z) if activation == "tanh" else jnp.maximum(z, 0.0)


def forward(params: Params, x, activation: str = "tanh"):
    r"""The class scores (logits) :math:`z = W_L^\top h_{L-1} + b_L` of every row of ``x``.

    Args:
        params: ``[(W, b), ...]``.
        x: Inputs ``(m, n_in)``.
        activation: Hidden activation, ``"tanh"`` or ``"relu"``.

    Returns:
        Logits ``(m, n_classes)``.
    """
    h = x
    for w, b in params[:-1]:
        h = _activate(h @ w + b, activation)  # h_l = φ(h_{l-1} W_l + b_l)
    w, b = params[-1]
    return h @ w + b  # z = h_{L-1} W_L + b_L: no activation before the softmax


def cross_entropy_of_logits(logits, labels):
    r"""Mean softmax cross-entropy :math:`\frac1m\sum_i [\log\sum_k e^{z_k} - z_y]`.

    Args:
        logits: ``(m, n_classes)``.
        labels: ``(m,)`` integer class indices.
    """
    log_norm = jax.nn.logsumexp(logits, axis=-1)  # log Σ_k e^{z_k}
    picked = jnp.take_along_axis(logits, labels[:, None], axis=-1)[:, 0]  # z_y
    return jnp.mean(log_norm - picked)  # −log softmax(z)_y, averaged over the rows


def loss(params: Params, x, labels, activation: str = "tanh"):
    """The mean cross-entropy of the network on rows ``x`` with classes ``labels``."""
    return cross_entropy_of_logits(forward(params, x, activation), labels)


@functools.partial(jax.jit, static_argnames="activation")
def _loss_and_accuracy(params, x, labels, *, activation):
    """Mean loss and share of rows whose largest score is the true class."""
    logits = forward(params, x, activation)
    hits = jnp.argmax(logits, axis=-1) == labels  # the predicted class is right
    return cross_entropy_of_logits(logits, labels), jnp.mean(hits)


def evaluate(params: Params, x, labels, activation: str = "tanh") -> tuple[float, float]:
    """``(loss, accuracy)`` of the network on the given rows, as Python floats."""
    value, acc = _loss_and_accuracy(params, x, labels, activation=activation)
    return float(value), float(acc)


# ----------------------------------------------------------------------------- the data


@functools.cache
def standardized(dataset: str = "digits") -> dict[str, tuple[np.ndarray, np.ndarray]]:
    r"""Both splits with the inputs standardized by the *training* split's μ and σ.

    .. math:: x \leftarrow (x - \mu) / \sigma

    Pixels that never change in the training split (σ = 0, the digits' border) are divided by
    1 instead. Cached: each data set is scaled once per process.

    Returns:
        ``{"train": (x, labels), "validation": (x, labels)}``: float32 inputs and int32
        classes, read-only.
    """
    entry = get_dataset(dataset)
    if entry.task != "multiclass":
        raise ValueError(f"data set {dataset!r} is not a multiclass data set for a network")
    x_train, _ = datasets.split(dataset, "train")
    mu = x_train.mean(axis=0)  # μ of each input over the training rows
    sigma = x_train.std(axis=0)  # σ of each input over the training rows
    sigma = np.where(sigma > 0, sigma, 1.0)  # constant pixels: divide by 1
    out = {}
    for name in SPLITS:
        x, y = datasets.split(dataset, name)
        xs = ((x - mu) / sigma).astype(np.float32)  # the same μ, σ for both splits
        ys = y.astype(np.int32)
        for a in (xs, ys):
            a.flags.writeable = False
        out[name] = (xs, ys)
    return out


# ----------------------------------------------------------------------------- training


@dataclasses.dataclass(frozen=True, eq=False)
class Network:
    """A trained network and how it was trained.

    Attributes:
        dataset: Key of ``optviz.DATASETS``.
        mlp: The network's shape.
        params: The trained weights θ*, ``[(W, b), ...]``.
        batch_size: Rows per step K (the number of training rows for the full batch).
        steps: Number of Adam steps.
        lr: Adam's learning rate η.
        seed: Seed of the initialization and of the shuffles.
        train_loss: Cross-entropy on the whole training split at θ*.
        train_accuracy: Share of training rows classified right.
        validation_loss: Cross-entropy on the validation split.
        validation_accuracy: Share of validation rows classified right.
        history: ``(steps,)`` the mini-batch loss of each step (before its update).
    """

    dataset: str
    mlp: MLP
    params: Params
    batch_size: int
    steps: int
    lr: float
    seed: int
    train_loss: float
    train_accuracy: float
    validation_loss: float
    validation_accuracy: float
    history: np.ndarray

    @property
    def full_batch(self) -> bool:
        """Whether every step used all training rows."""
        return self.batch_size >= len(standardized(self.dataset)["train"][1])


def _adam_update(params, grads, m, v, t, lr):
    r"""One Adam step on every leaf of the parameter pytree.

    .. math::
        m \leftarrow \beta_1 m + (1-\beta_1) g,\quad v \leftarrow \beta_2 v + (1-\beta_2) g^2,
        \quad \theta \leftarrow \theta - \eta\,\frac{\hat m}{\sqrt{\hat v} + \epsilon}

    with :math:`\hat m = m / (1 - \beta_1^t)` and :math:`\hat v = v / (1 - \beta_2^t)`.
    """
    tree = jax.tree_util.tree_map
    m = tree(lambda m, g: ADAM_BETA1 * m + (1 - ADAM_BETA1) * g, m, grads)  # first moment
    v = tree(lambda v, g: ADAM_BETA2 * v + (1 - ADAM_BETA2) * g * g, v, grads)  # second moment
    m_scale = 1.0 / (1.0 - ADAM_BETA1**t)  # bias correction of m
    v_scale = 1.0 / (1.0 - ADAM_BETA2**t)  # bias correction of v

    def step(p, m, v):
        return p - lr * (m * m_scale) / (jnp.sqrt(v * v_scale) + ADAM_EPS)  # θ ← θ − η m̂/(√v̂+ε)

    return tree(step, params, m, v), m, v


@functools.partial(jax.jit, static_argnames=("activation", "steps"))
def _train(params, x, labels, batches, lr, *, activation, steps):
    """``steps`` Adam steps in one ``lax.scan``; ``batches`` is ``(steps, K)`` or ``None``.

    With ``batches=None`` every step takes the gradient of all rows (the full batch).

    Returns:
        ``(params, losses)``: the trained weights and each step's mini-batch loss.
    """
    zeros = jax.tree_util.tree_map(jnp.zeros_like, params)

    def step(carry, rows):
        params, m, v, t = carry
        if rows is None:
            xb, yb = x, labels  # the full batch
        else:
            xb, yb = x[rows], labels[rows]  # this step's K rows
        value, grads = jax.value_and_grad(loss)(params, xb, yb, activation)  # L_B(θ), ∇L_B(θ)
        t = t + 1.0  # step count, for the bias correction
        params, m, v = _adam_update(params, grads, m, v, t, lr)
        return (params, m, v, t), value

    carry = (params, zeros, zeros, jnp.float32(0.0))
    (params, _, _, _), losses = jax.lax.scan(step, carry, batches, length=steps)
    return params, losses


def minibatch_rows(n: int, batch_size: int, steps: int, seed: int) -> np.ndarray:
    """Row indices of every step's mini-batch: each epoch a seeded shuffle cut into batches.

    Each epoch (轮) shuffles the n rows once and cuts them into ⌊n/K⌋ batches of K rows; the
    last, short batch is dropped, so every step sees exactly K rows.

    Returns:
        ``(steps, K)`` int32.
    """
    rng = np.random.default_rng([seed, 1])  # the shuffles' own stream (init uses seed alone)
    per_epoch = n // batch_size  # whole batches per epoch
    epochs = -(-steps // per_epoch)  # ⌈steps / batches per epoch⌉
    cuts = [rng.permutation(n)[: per_epoch * batch_size] for _ in range(epochs)]
    return np.concatenate(cuts).reshape(-1, batch_size)[:steps].astype(np.int32)


def train_network(
    dataset: str = "digits",
    *,
    batch_size: int | None = None,
    steps: int = 1500,
    lr: float = 0.01,
    seed: int = 0,
    mlp: MLP | None = None,
) -> Network:
    """Trains the MLP on the training split with Adam, from a seeded Glorot initialization.

    The optimizer is Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8, no weight decay) written out in
    ``_adam_update``. A small ``batch_size`` gives noisy steps; ``None`` (or K ≥ the number
    of rows) gives full-batch steps. Everything is seeded: same arguments, same weights. The
    whole run is one jitted ``lax.scan`` (compiled once per ``(steps, K)``).

    Args:
        dataset: A multiclass key of ``optviz.DATASETS`` (``"digits"``).
        batch_size: Rows per step K; ``None`` is the full batch.
        steps: Number of Adam steps.
        lr: Learning rate η.
        seed: Seed of the initialization and of the epochs' shuffles.
        mlp: The network's shape; ``None`` is ``MLP()`` (64 → 16 → 10, tanh).

    Returns:
        The trained ``Network``, with its loss and accuracy on both splits.
    """
    mlp = MLP() if mlp is None else mlp
    data = standardized(dataset)
    x, labels = data["train"]
    n_classes = int(max(labels.max(), data["validation"][1].max())) + 1
    if mlp.sizes[0] != x.shape[1] or mlp.sizes[-1] != n_classes:
        raise ValueError(
            f"{dataset!r} needs an MLP from {x.shape[1]} inputs to {n_classes} classes, "
            f"got sizes {mlp.sizes}"
        )
    steps = int(steps)
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    n = len(labels)
    k = n if batch_size is None else int(batch_size)
    if k < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    k = min(k, n)
    batches = None if k == n else minibatch_rows(n, k, steps, seed)
    params, losses = _train(
        init_params(mlp, seed),
        x,
        labels,
        batches,
        jnp.float32(lr),
        activation=mlp.activation,
        steps=steps,
    )
    train_loss, train_acc = evaluate(params, x, labels, mlp.activation)
    val_loss, val_acc = evaluate(params, *data["validation"], mlp.activation)
    history = np.asarray(losses, np.float64)
    history.flags.writeable = False
    return Network(
        dataset=dataset,
        mlp=mlp,
        params=list(params),
        batch_size=k,
        steps=steps,
        lr=float(lr),
        seed=int(seed),
        train_loss=train_loss,
        train_accuracy=train_acc,
        validation_loss=val_loss,
        validation_accuracy=val_acc,
        history=history,
    )


# ----------------------------------------------------------------------------- directions


def filter_normalized_directions(params: Params, seed: int = 0) -> tuple[Params, Params]:
    r"""Two random directions δ, η shaped like ``params``, filter by filter as big as θ*.

    For a dense layer a *filter* is one output unit's incoming weight vector: the column
    :math:`W_{:,j}` of W (shape ``(inputs, outputs)``) that feeds unit j. Each filter of a
    Gaussian direction d is rescaled to the norm of the same filter of the trained weights
    (Li et al. 2018, §4):

    .. math:: d_{:,j} \leftarrow \frac{d_{:,j}}{\|d_{:,j}\|}\,\|\theta^*_{:,j}\|

    The bias directions are zero (Li et al. leave biases and batch norm out).

    Args:
        params: The trained weights θ*, ``[(W, b), ...]``.
        seed: Seed of ``numpy.random.default_rng``: same seed, same directions.

    Returns:
        ``(delta, eta)``: two lists of ``(W, b)`` float32 pairs.
    """
    rng = np.random.default_rng([seed, 2])  # the directions' own stream
    directions = []
    for _ in range(2):
        layers = []
        for w, b in params:
            w = np.asarray(w, np.float64)
            d = rng.standard_normal(w.shape)  # a Gaussian direction for this layer
            d_norm = np.linalg.norm(d, axis=0, keepdims=True)  # ‖d_{:,j}‖ of each filter
            w_norm = np.linalg.norm(w, axis=0, keepdims=True)  # ‖θ*_{:,j}‖ of each filter
            d = d / np.maximum(d_norm, 1e-12) * w_norm  # d ← d/‖d‖ · ‖θ*‖, filter by filter
            layers.append((jnp.asarray(d, jnp.float32), jnp.zeros(np.shape(b), jnp.float32)))
        directions.append(layers)
    return directions[0], directions[1]


# ----------------------------------------------------------------------------- the plane


class Plane(NamedTuple):
    r"""The network restricted to the plane :math:`\theta^* + \alpha\,\delta + \beta\,\eta`.

    The first layer is linear in its weights, so its pre-activation on the plane is
    :math:`x(W + \alpha D + \beta E) + b = (xW + b) + \alpha\,xD + \beta\,xE`: the three
    products are computed once and each grid point costs only the small layers after it
    (for 64 → 16 → 10 about 6× less than a full forward pass).

    Attributes:
        first: ``(xW₁ + b₁, xD₁ + d_b, xE₁ + e_b)``, each ``(m, width₁)``.
        rest: θ*'s later layers ``[(W, b), ...]``.
        rest_delta: δ's later layers.
        rest_eta: η's later layers.
        labels: ``(m,)`` int32 classes.
    """

    first: tuple[Any, Any, Any]
    rest: Params
    rest_delta: Params
    rest_eta: Params
    labels: Any


def make_plane(params: Params, delta: Params, eta: Params, x, labels) -> Plane:
    """Precomputes the plane's first layer for the rows ``x`` (see ``Plane``)."""
    (w, b), (dw, db), (ew, eb) = params[0], delta[0], eta[0]
    first = (x @ w + b, x @ dw + db, x @ ew + eb)  # xW+b, xD, xE: the first layer, once
    return Plane(first, list(params[1:]), list(delta[1:]), list(eta[1:]), labels)


def plane_loss(plane: Plane, alpha, beta, activation: str = "tanh"):
    r"""The loss :math:`L(\theta^* + \alpha\,\delta + \beta\,\eta)` at one point (α, β)."""
    base, along_delta, along_eta = plane.first
    z = base + alpha * along_delta + beta * along_eta  # first layer's pre-activation
    layers = zip(plane.rest, plane.rest_delta, plane.rest_eta, strict=True)
    for (w, b), (dw, db), (ew, eb) in layers:
        h = _activate(z, activation)  # hidden units
        w_ab = w + alpha * dw + beta * ew  # this layer's weights on the plane
        b_ab = b + alpha * db + beta * eb  # and its biases (zero directions: b stays b)
        z = h @ w_ab + b_ab  # next pre-activation (the logits after the last layer)
    return cross_entropy_of_logits(z, plane.labels)


def plane_losses(plane: Plane, alphas, betas, activation: str = "tanh"):
    """The loss at many points ``(alphas[k], betas[k])``, ``CHUNK`` points side by side.

    Args:
        plane: From ``make_plane``.
        alphas: ``(k,)`` coordinates along δ.
        betas: ``(k,)`` coordinates along η.
        activation: Hidden activation.

    Returns:
        ``(k,)`` losses. Differentiable (the engine takes gradients and Hessians through it).
    """
    one = functools.partial(plane_loss, plane, activation=activation)
    if alphas.shape[0] <= CHUNK:
        return jax.vmap(one)(alphas, betas)  # a few points: all at once
    return jax.lax.map(lambda ab: one(ab[0], ab[1]), (alphas, betas), batch_size=CHUNK)


def directional_curvature(plane: Plane, activation: str = "tanh"):
    r"""The curvatures :math:`f_{\alpha\alpha}` and :math:`f_{\beta\beta}` of the slice at (0, 0).

    Exact (automatic differentiation, no finite differences): :math:`\delta^\top H \delta` and
    :math:`\eta^\top H \eta` for the Hessian H of L at θ*.
    """
    along_alpha = jax.grad(jax.grad(lambda a: plane_loss(plane, a, 0.0, activation)))(0.0)
    along_beta = jax.grad(jax.grad(lambda b: plane_loss(plane, 0.0, b, activation)))(0.0)
    return along_alpha, along_beta


@functools.partial(jax.jit, static_argnames="activation")
def _slice(params, delta, eta, x, labels, alphas, betas, *, activation):
    """The loss on the grid (rows: β, columns: α), at the center, and the curvatures."""
    plane = make_plane(params, delta, eta, x, labels)
    a_grid, b_grid = jnp.meshgrid(alphas, betas)  # (n_β, n_α): row i is β_i
    values = plane_losses(plane, a_grid.ravel(), b_grid.ravel(), activation)
    center = plane_loss(plane, 0.0, 0.0, activation)  # L(θ*)
    return values.reshape(a_grid.shape), center, directional_curvature(plane, activation)


@functools.partial(jax.jit, static_argnames="activation")
def _local_model(plane, point, *, activation):
    """The slice's value, gradient and 2×2 Hessian at ``point`` (α, β)."""

    def f(q):
        return plane_loss(plane, q[0], q[1], activation)

    return f(point), jax.grad(f)(point), jax.hessian(f)(point)


def slice_minimum(
    plane: Plane, start: tuple[float, float], activation: str = "tanh", steps: int = 30
) -> tuple[float, float, float]:
    r"""The nearest minimum of the slice, by Newton's method with backtracking from ``start``.

    .. math:: p \leftarrow p - t\,H^{-1}\nabla f(p),\quad t = 1, \tfrac12, \tfrac14, \dots
        \text{ until } f \text{ decreases}

    (a gradient step where the Hessian is not positive definite).

    Returns:
        ``(α, β, loss)`` of the lowest point found (``start`` itself if nothing is lower).
    """
    point = np.asarray(start, np.float32)
    value, grad, hess = (
        np.asarray(a, np.float64) for a in _local_model(plane, point, activation=activation)
    )
    for _ in range(steps):
        if np.all(np.linalg.eigvalsh(hess) > 0):
            direction = np.linalg.solve(hess, grad)  # Newton direction H⁻¹∇f
        else:
            direction = grad  # not convex here: plain gradient descent
        for t in 0.5 ** np.arange(12):
            trial = (point - t * direction).astype(np.float32)  # p − t·direction
            out = [
                np.asarray(a, np.float64) for a in _local_model(plane, trial, activation=activation)
            ]
            if out[0] < value:
                break
        else:
            break  # no step lowers the loss: a minimum to float32 precision
        point, (value, grad, hess) = trial, out
    return float(point[0]), float(point[1]), float(value)


@dataclasses.dataclass(frozen=True, eq=False)
class Slice:
    r"""The loss on a grid of the plane :math:`\theta^* + \alpha\,\delta + \beta\,\eta`.

    Attributes:
        alpha: ``(n,)`` coordinates along δ, from −span to span (the middle one exactly 0).
        beta: ``(n,)`` coordinates along η.
        loss: ``(n, n)`` float64 with ``loss[i, j] = L(θ* + alpha[j] δ + beta[i] η)`` (rows
            are β, as in ``optviz.plots.surface_grid``).
        center_loss: :math:`L(\theta^*)`.
        sharpness: Mean rise of the loss over the grid points within ``radius`` of the
            center, :math:`\overline{L(\alpha,\beta) - L(\theta^*)}` for
            :math:`\alpha^2 + \beta^2 \le r^2`. A sharp minimum rises fast: a bigger number.
        radius: The radius r of ``sharpness``.
        curvature: ``(∂²f/∂α², ∂²f/∂β²)`` at the center, exact (``directional_curvature``).
        split: ``"train"`` or ``"validation"``.
    """

    alpha: np.ndarray
    beta: np.ndarray
    loss: np.ndarray
    center_loss: float
    sharpness: float
    radius: float
    curvature: tuple[float, float]
    split: str

    @property
    def grid_minimum(self) -> tuple[float, float, float]:
        """``(α, β, loss)`` of the grid point with the lowest loss."""
        i, j = np.unravel_index(np.nanargmin(self.loss), self.loss.shape)
        return float(self.alpha[j]), float(self.beta[i]), float(self.loss[i, j])


def _axis(span: float, n: int) -> np.ndarray:
    """``n`` points from −span to span; with n odd the middle one is exactly 0."""
    axis = np.linspace(-span, span, n)
    if n % 2:
        axis[n // 2] = 0.0  # the center is θ* itself, with no rounding
    return axis.astype(np.float32)


def mean_rise(alpha, beta, loss, center: float, radius: float) -> float:
    r"""Mean rise of the loss over the grid points within r of θ*, NaN when none is that close.

    .. math:: \overline{L(\alpha,\beta) - L(\theta^*)},\quad \alpha^2 + \beta^2 \le r^2
    """
    a, b = np.meshgrid(np.asarray(alpha, np.float64), np.asarray(beta, np.float64))
    inside = a**2 + b**2 <= radius**2 * (1 + 1e-6)  # α² + β² ≤ r², the edge included
    if not inside.any():
        return math.nan
    return float(np.mean(np.asarray(loss)[inside] - center))  # the mean rise


def landscape_slice(
    network: Network | str,
    *,
    directions: tuple[Params, Params] | None = None,
    seed: int = 0,
    span: float = 1.0,
    n: int = 41,
    split: str = "train",
    radius: float = 0.5,
) -> Slice:
    r"""The loss :math:`L(\theta^* + \alpha\,\delta + \beta\,\eta)` on an n×n grid.

    One jitted call evaluates all n² points (``jax.lax.map`` over chunks of ``CHUNK`` vmapped
    points); it compiles once per ``n``.

    Args:
        network: A trained ``Network`` or a key of ``NETWORKS``.
        directions: ``(δ, η)``; ``None`` draws filter-normalized ones with ``seed``.
        seed: Seed of the directions (when ``directions`` is ``None``).
        span: The grid covers α, β ∈ [−span, span].
        n: Grid points per axis.
        split: ``"train"`` or ``"validation"``: the rows the loss is averaged over.
        radius: The radius r of ``Slice.sharpness`` (in units of the filter-normalized
            directions, so comparable across networks).

    Returns:
        A ``Slice``.
    """
    net = get_network(network) if isinstance(network, str) else network
    if split not in SPLITS:
        raise ValueError(f"split must be 'train' or 'validation', got {split!r}")
    if n < 2:
        raise ValueError(f"n must be at least 2, got {n}")
    delta, eta = (
        directions if directions is not None else filter_normalized_directions(net.params, seed)
    )
    x, labels = standardized(net.dataset)[split]
    alphas, betas = _axis(float(span), int(n)), _axis(float(span), int(n))
    values, center, (curv_a, curv_b) = _slice(
        net.params, delta, eta, x, labels, alphas, betas, activation=net.mlp.activation
    )
    values, center = np.asarray(values, np.float64), float(center)
    sharpness = mean_rise(alphas, betas, values, center, radius)
    for a in (alphas, betas, values):
        a.flags.writeable = False
    return Slice(
        alpha=alphas,
        beta=betas,
        loss=values,
        center_loss=center,
        sharpness=sharpness,
        radius=float(radius),
        curvature=(float(curv_a), float(curv_b)),
        split=split,
    )


# ----------------------------------------------------------------------------- the registry


@dataclasses.dataclass(frozen=True)
class NetworkSpec:
    """How one registered network is trained, and how a page introduces it.

    Attributes:
        key: Registry key (``"small"``).
        name: Display name.
        name_zh: Chinese name.
        dataset: Key of ``optviz.DATASETS``.
        batch_size: Rows per step K; ``None`` is the full batch.
        steps: Adam steps.
        lr: Adam's learning rate.
        description: What the network shows, in one or two sentences.
    """

    key: str
    name: str
    name_zh: str
    dataset: str
    batch_size: int | None
    steps: int
    lr: float
    description: str


NETWORKS: dict[str, NetworkSpec] = {
    s.key: s
    for s in (
        NetworkSpec(
            key="small",
            name="Small batches (K = 16)",
            name_zh="小批量（K = 16）",
            dataset="digits",
            batch_size=16,
            steps=1500,
            lr=0.01,
            description=(
                "The MLP trained by Adam on mini-batches of 16 digits: every step sees a "
                "different noisy estimate of the gradient, which keeps it out of narrow holes."
            ),
        ),
        NetworkSpec(
            key="large",
            name="Full batch (K = 1258)",
            name_zh="全批量（K = 1258）",
            dataset="digits",
            batch_size=None,
            steps=1500,
            lr=0.01,
            description=(
                "The same MLP, same start and same number of steps, trained by Adam on all "
                "1258 training digits at every step: the exact gradient, no noise."
            ),
        ),
    )
}


@functools.cache
def get_network(key: str) -> Network:
    """The registered network ``key``, trained once per process (seed 0)."""
    try:
        spec = NETWORKS[key]
    except KeyError:
        known = ", ".join(NETWORKS)
        raise KeyError(f"unknown network {key!r}; choose one of: {known}") from None
    return train_network(
        spec.dataset, batch_size=spec.batch_size, steps=spec.steps, lr=spec.lr, seed=0
    )


# ----------------------------------------------------------------------------- the surface


@dataclasses.dataclass(frozen=True, eq=False)
class LandscapeSurface(Surface):
    r"""The plane through a trained network's weights, as an ``optviz.Surface``.

    Attributes (beyond ``Surface``'s):
        network: The trained ``Network``.
        directions: ``(δ, η)``, the plane's two filter-normalized directions.
        split: ``"train"`` or ``"validation"``.
        center_loss: :math:`L(\theta^*)` on that split.
    """

    network: Network | None = None
    directions: tuple[Params, Params] | None = None
    split: str = "train"
    center_loss: float = math.nan


def _plane_fn(plane: Plane, activation: str):
    """``fn(p, c)``: the loss at ``p`` (shape ``(2, ...)``), elementwise over trailing axes."""

    def fn(p, c):
        del c  # the slice has no surface parameters
        p = jnp.asarray(p)
        points = p.reshape(2, -1)  # (2, k): every point of the trailing axes
        values = plane_losses(plane, points[0], points[1], activation)
        return values.reshape(p.shape[1:])  # back to the trailing shape ((): one point)

    return fn


@functools.lru_cache(maxsize=32)
def _landscape_surface(
    network: str | Network, seed: int, span: float, split_name: str
) -> LandscapeSurface:
    """``landscape_surface``'s cached body (one object per setting: compiled once)."""
    net = get_network(network) if isinstance(network, str) else network
    if split_name not in SPLITS:
        raise ValueError(f"split must be 'train' or 'validation', got {split_name!r}")
    delta, eta = filter_normalized_directions(net.params, seed)
    x, labels = standardized(net.dataset)[split_name]
    plane = make_plane(net.params, delta, eta, jnp.asarray(x), jnp.asarray(labels))
    if isinstance(network, str):
        tag = network
    else:  # a network trained by hand: its settings name it
        tag = f"k{net.batch_size}-{net.steps}steps-lr{net.lr:g}-seed{net.seed}"
    grid = landscape_slice(net, directions=(delta, eta), span=span, n=41, split=split_name)
    a_grid, b_grid, _ = grid.grid_minimum
    a_min, b_min, loss_min = slice_minimum(plane, (a_grid, b_grid), net.mlp.activation)
    if math.hypot(a_min, b_min) <= 1e-3 * span:
        minima = ((0.0, 0.0),)  # Newton from the lowest grid point lands on θ* itself
        where = "θ* (the center) is the lowest point of this slice."
    else:
        minima = ((a_min, b_min),)
        where = (
            f"The lowest point of this slice is (α, β) = ({a_min:.3g}, {b_min:.3g}) with loss "
            f"{loss_min:.6g}, not θ* (L(θ*) = {grid.center_loss:.6g}): "
            + (
                "training stopped near the bottom, not at it."
                if split_name == "train"
                else "the validation loss is lowest away from where training ended."
            )
        )
    entry = get_dataset(net.dataset)
    spec = NETWORKS.get(network) if isinstance(network, str) else None
    title = spec.name if spec is not None else f"K = {net.batch_size}"
    suffix = "" if split_name == "train" else f":{split_name}"
    suffix += "" if seed == 0 else f":seed{seed}"  # another pair of directions
    suffix += "" if span == 1.0 else f":span{span:g}"
    return LandscapeSurface(
        key=f"landscape:{net.dataset}:{tag}{suffix}",
        name=f"Loss landscape of an MLP on {entry.name}, {title} ({split_name})",
        fn=_plane_fn(plane, net.mlp.activation),
        bounds=((-span, span), (-span, span)),
        start=(0.8 * span, 0.6 * span),
        latex=r"f(\alpha, \beta) = L(\theta^* + \alpha\,\delta + \beta\,\eta)",
        description=(
            f"A {'→'.join(map(str, net.mlp.sizes))} network trained by Adam with K = "
            f"{net.batch_size}, cut along two random filter-normalized directions δ, η through "
            f"its trained weights θ* (Li et al. 2018). {where}"
        ),
        minima=minima,
        network=net,
        directions=(delta, eta),
        split=split_name,
        center_loss=grid.center_loss,
    )


def landscape_surface(
    network: str | Network = "small",
    *,
    seed: int = 0,
    span: float = 1.0,
    split: str = "train",
) -> LandscapeSurface:
    r"""The slice :math:`L(\theta^* + \alpha\,\delta + \beta\,\eta)` as an ``optviz.Surface``.

    The same arguments give the same object (cached), so the engine compiles it once. The
    first call trains the network (a registry key trains once per process) and locates the
    slice's minimum.

    Args:
        network: A key of ``NETWORKS`` or a trained ``Network``.
        seed: Seed of the two filter-normalized directions.
        span: The window is α, β ∈ [−span, span]; the default start is (0.8, 0.6)·span.
        split: The rows the loss is averaged over, ``"train"`` or ``"validation"``.

    Returns:
        A ``LandscapeSurface``. Its one minimum is found by ``slice_minimum`` (Newton's
        method from the lowest point of a 41×41 grid): ``(0, 0)`` when that lands within
        10⁻³·span of θ*, else the point it found, which the description then names.
    """
    return _landscape_surface(network, int(seed), float(span), split)


def from_key(key: str) -> LandscapeSurface:
    """The slice of a registered network named by ``key``; a bad key raises KeyError.

    The key is ``landscape:<data set>:<network>``, then optionally ``:validation``,
    ``:seed<k>`` and ``:span<s>``.
    """
    parts = key.split(":")
    if len(parts) < 3 or parts[0] != "landscape" or parts[2] not in NETWORKS:
        raise KeyError(f"not a landscape key: {key!r} (e.g. 'landscape:digits:small')")
    if NETWORKS[parts[2]].dataset != parts[1]:
        raise KeyError(f"network {parts[2]!r} was trained on {NETWORKS[parts[2]].dataset!r}")
    options = dict(seed=0, span=1.0, split="train")
    try:
        for part in parts[3:]:
            if part in SPLITS:
                options["split"] = part
            elif part.startswith("seed"):
                options["seed"] = int(part[4:])
            elif part.startswith("span"):
                options["span"] = float(part[4:])
            else:
                raise ValueError(part)
    except ValueError:
        raise KeyError(f"unknown part of landscape key {key!r}") from None
    return landscape_surface(parts[2], **options)


__all__ = [
    "MLP",
    "NETWORKS",
    "LandscapeSurface",
    "Network",
    "NetworkSpec",
    "Plane",
    "Slice",
    "directional_curvature",
    "evaluate",
    "filter_normalized_directions",
    "forward",
    "from_key",
    "get_network",
    "init_params",
    "landscape_slice",
    "landscape_surface",
    "loss",
    "make_plane",
    "mean_rise",
    "minibatch_rows",
    "plane_loss",
    "plane_losses",
    "slice_minimum",
    "standardized",
    "train_network",
]
