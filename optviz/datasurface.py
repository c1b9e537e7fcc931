r"""Loss surfaces of real two-parameter models on real data (真实数据上的损失曲面).

Both models are one linear score per row, :math:`z^{(i)} = w_1 a_1^{(i)} + w_2 a_2^{(i)}`:

- regression (diabetes): :math:`a^{(i)} = (x^{(i)}, 1)`, so :math:`(w_1, w_2) = (w, b)` is the
  slope and the intercept of :math:`\hat y = w x + b`, and the loss is least squares,
  :math:`J(w, b) = \frac{1}{2m}\sum_i (w x^{(i)} + b - y^{(i)})^2 + \frac{\lambda}{2} w^2`;
- classification (breast cancer, wine): :math:`a^{(i)}` are two features and the loss is the
  logistic (cross-entropy) loss :math:`J(w) = \frac1m \sum_i \left[\log(1 + e^{z^{(i)}})
  - y^{(i)} z^{(i)}\right] + \frac{\lambda}{2}\|w\|^2`.

Normalization (归一化, Ng's notes 004) standardizes each input with the *training* split's
mean μ and standard deviation σ, :math:`x \leftarrow (x - \mu)/\sigma`, and the validation
split is scaled with the same μ and σ. The regression target is standardized the same way in
both modes, so only the inputs change the picture.

A ``DataSurface`` is a real ``Surface``: the engine, the plots and the pages use it as any
other. It also keeps its rows, so ``optviz.run(..., batch_size=K)`` can draw real mini-batches
(小批量) of K rows, and ``minima_at`` solves for the exact minimizer at any λ.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Mapping

import jax
import jax.numpy as jnp
import numpy as np

from optviz.datasets import DATASETS, get_dataset, split
from optviz.surfaces import Param, Surface

L2 = Param("l2", r"\lambda", 0.0, 0.0, 2.0, False, "L2 penalty strength λ (weight decay).")
SPLITS = ("train", "validation")


@dataclasses.dataclass(frozen=True, eq=False)
class DataSurface(Surface):
    """The empirical loss of a two-parameter model on one split of a real data set.

    Attributes (beyond ``Surface``'s):
        dataset: Key of ``optviz.DATASETS``.
        split: ``"train"`` or ``"validation"``.
        normalize: Whether the inputs are standardized (training split's μ and σ).
        train_size: Number of training rows kept (``None``: all).
        rows: ``(m, 3)`` float32: the two inputs :math:`a_1, a_2` and the target y of each row.
        task: ``"regression"`` or ``"classification"``.
        penalized: 1.0 for each parameter the L2 penalty applies to (not the intercept).
    """

    dataset: str = ""
    split: str = "train"
    normalize: bool = True
    train_size: int | None = None
    rows: np.ndarray | None = None
    task: str = "regression"
    penalized: tuple[float, float] = (1.0, 1.0)

    @property
    def n_rows(self) -> int:
        """Number of rows m of this split."""
        return len(self.rows)

    def batch_loss(self, p, rows, weights, c):
        r"""The mini-batch loss, its rows' weighted losses plus the penalty.

        .. math:: \sum_j \omega_j \ell^{(i_j)}(p) + \frac\lambda2 \sum_k \pi_k p_k^2

        Args:
            p: One point ``(2,)``.
            rows: ``(K, 3)`` rows of the batch.
            weights: ``(K,)`` weights ω_j (1/K for the batch's rows, 0 for padding).
            c: Surface coefficients (``l2``).
        """
        per_row = _row_losses(self.task, p, rows)  # ℓ⁽ⁱ⁾ of each row
        return jnp.sum(weights * per_row) + _penalty(p, c, self.penalized)

    def minima_at(self, params: Mapping[str, float] | None = None):
        """The exact minimizer at the given λ (closed form or Newton's method, float64)."""
        l2 = float(self.resolve_params(params)["l2"])
        if l2 == self.params[0].default:
            return self.minima
        return (_minimizer(self, l2),)

    def hessian(self, point, params: Mapping[str, float] | None = None) -> np.ndarray:
        """The 2×2 Hessian of the loss at ``point`` (float64)."""
        l2 = float(self.resolve_params(params)["l2"])
        return _hessian64(self, np.asarray(point, np.float64), l2)

    def condition_number(self, params: Mapping[str, float] | None = None) -> float:
        r"""κ = λ_max / λ_min of the Hessian at the minimizer (条件数)."""
        eig = np.linalg.eigvalsh(self.hessian(self.minima_at(params)[0], params))
        return float(eig[-1] / eig[0]) if eig[0] > 0 else math.inf


def _row_losses(task: str, p, rows):
    """Per-row losses ℓ⁽ⁱ⁾ at ``p``; ``p`` is ``(2, ...)`` and the result ``(m, ...)``."""
    tail = (slice(None),) + (None,) * (jnp.ndim(p) - 1)  # rows along a new first axis
    a1, a2, y = rows[:, 0][tail], rows[:, 1][tail], rows[:, 2][tail]
    z = p[0] * a1 + p[1] * a2  # z⁽ⁱ⁾ = w₁a₁⁽ⁱ⁾ + w₂a₂⁽ⁱ⁾
    if task == "regression":
        return 0.5 * (z - y) ** 2  # ½(ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)²
    return jnp.logaddexp(0.0, z) - y * z  # log(1 + e^z) − y z: cross-entropy of σ(z)


def _penalty(p, c, penalized):
    r"""The L2 penalty :math:`\frac\lambda2 \sum_k \pi_k w_k^2` (π_k = 0 for an intercept)."""
    return 0.5 * c["l2"] * (penalized[0] * p[0] ** 2 + penalized[1] * p[1] ** 2)


def _mean_loss(task: str, rows, penalized):
    """``fn(p, c)``: the mean loss over the rows plus the penalty, elementwise over ``p``."""
    table = jnp.asarray(rows, jnp.float32)

    def fn(p, c):
        return jnp.mean(_row_losses(task, p, table), axis=0) + _penalty(p, c, penalized)

    return fn


# ----------------------------------------------------------------------------- building


def _inputs(key: str, split_name: str, normalize: bool, train_size: int | None) -> np.ndarray:
    """The ``(m, 3)`` rows ``(a₁, a₂, y)`` of one split, scaled with the training statistics."""
    entry = get_dataset(key)
    x_train, y_train = split(key, "train", train_size)
    x, y = split(key, split_name, train_size)
    if normalize:
        mu, sigma = x_train.mean(axis=0), x_train.std(axis=0)  # the training split's μ, σ
        x = (x - mu) / sigma  # x ← (x − μ)/σ
    if entry.task == "regression":
        y = (y - y_train.mean()) / y_train.std()  # target in standard units, both modes
        a = np.column_stack([x[:, 0], np.ones(len(x))])  # (x, 1): slope and intercept
    else:
        a = x[:, :2]
    return np.column_stack([a, y])


def _loss64(task, rows, p, l2, penalized):
    """Mean loss, gradient and Hessian at ``p`` in float64 numpy (for the exact solve)."""
    a, y = rows[:, :2], rows[:, 2]
    z = a @ p
    pen = np.asarray(penalized)
    if task == "regression":
        r = z - y
        loss, grad = 0.5 * np.mean(r**2), a.T @ r / len(y)
        hess = a.T @ a / len(y)
    else:
        s = 1.0 / (1.0 + np.exp(-z))  # σ(z)
        loss = np.mean(np.logaddexp(0.0, z) - y * z)
        grad, hess = a.T @ (s - y) / len(y), (a * (s * (1 - s))[:, None]).T @ a / len(y)
    loss += 0.5 * l2 * np.sum(pen * p**2)
    return loss, grad + l2 * pen * p, hess + l2 * np.diag(pen)


FAR_WEIGHTS = 1e3
"""A logistic fit whose weights pass this size has no finite minimum (separable rows)."""


def _solve(task, rows, l2, penalized) -> np.ndarray:
    """The exact minimizer: the normal equations, or Newton's method to machine precision.

    Raises:
        ValueError: When the loss has no unique finite minimizer: too few distinct rows for
            two parameters, or classes a line through the origin separates (with λ = 0 the
            logistic loss then only approaches its infimum as ‖w‖ → ∞).
    """
    p = np.zeros(2)
    for _ in range(100 if task != "regression" else 1):
        _, grad, hess = _loss64(task, rows, p, l2, penalized)
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            raise ValueError(
                "these rows have no unique finite minimum (a singular Hessian): use more rows "
                "or λ > 0"
            ) from None
        p = p - step  # Newton: p ← p − H⁻¹∇J (one step is exact for least squares)
        if np.max(np.abs(p)) > FAR_WEIGHTS:
            break
        if np.max(np.abs(step)) < 1e-13 * (1 + np.max(np.abs(p))):
            return p
    if task == "regression":
        return p
    raise ValueError(
        "the classes of these rows are separable, so the logistic loss has no finite minimum: "
        "use more rows or λ > 0"
    )


def _minimizer(surface: DataSurface, l2: float) -> tuple[float, float]:
    """The minimizer of ``surface`` at penalty ``l2``, as two floats."""
    p = _solve(surface.task, np.asarray(surface.rows, np.float64), l2, surface.penalized)
    return float(p[0]), float(p[1])


def _hessian64(surface: DataSurface, point: np.ndarray, l2: float) -> np.ndarray:
    """The float64 Hessian of ``surface`` at ``point``."""
    rows = np.asarray(surface.rows, np.float64)
    return _loss64(surface.task, rows, point, l2, surface.penalized)[2]


def _window(center, start) -> tuple[tuple[float, float], tuple[float, float]]:
    """A square window around the minimizer that holds the start with room to spare."""
    reach = max(abs(center[0] - start[0]), abs(center[1] - start[1]), 0.25)
    half = 1.6 * reach  # the same extent on both axes: the picture keeps the bowl's shape
    return (
        (round(float(center[0] - half), 3), round(float(center[0] + half), 3)),
        (round(float(center[1] - half), 3), round(float(center[1] + half), 3)),
    )


def _latex(task: str, symbols: tuple[str, str]) -> str:
    """The loss in the notes' notation (Ng: m samples, superscript (i))."""
    w1, w2 = symbols
    if task == "regression":
        return (
            rf"J({w1}, {w2}) = \frac{{1}}{{2m}}\sum_{{i=1}}^{{m}}"
            rf"\left({w1}\,x^{{(i)}} + {w2} - y^{{(i)}}\right)^2 + \frac{{\lambda}}{{2}}{w1}^2"
        )
    return (
        rf"J({w1}, {w2}) = \frac{{1}}{{m}}\sum_{{i=1}}^{{m}}\left[\log\left(1 + e^{{z^{{(i)}}}}"
        rf"\right) - y^{{(i)}} z^{{(i)}}\right] + \frac{{\lambda}}{{2}}({w1}^2 + {w2}^2),"
        rf"\quad z^{{(i)}} = {w1} x_1^{{(i)}} + {w2} x_2^{{(i)}}"
    )


@functools.lru_cache(maxsize=64)
def _data_surface(
    key: str, split_name: str, normalize: bool, l2: float, train_size: int | None
) -> DataSurface:
    """``data_surface``'s cached body (one object per setting: the engine compiles it once)."""
    entry = get_dataset(key)
    if entry.task not in ("regression", "classification"):
        raise ValueError(f"data set {key!r} has no two-parameter model (it is for networks)")
    if split_name not in SPLITS:
        raise ValueError(f"split must be 'train' or 'validation', got {split_name!r}")
    rows = _inputs(key, split_name, normalize, train_size).astype(np.float32)
    rows.flags.writeable = False
    penalized = (1.0, 0.0) if entry.task == "regression" else (1.0, 1.0)
    start = (0.0, 0.0)  # w = 0: the usual initialization of a linear model
    fit = _solve(entry.task, np.asarray(rows, np.float64), l2, penalized)
    # the window frames the *training* minimum, so both splits share it (side by side)
    train_rows = _inputs(key, "train", normalize, train_size)
    center = _solve(entry.task, train_rows, l2, penalized)
    scale = "normalized" if normalize else "raw"
    return DataSurface(
        key=surface_key(key, split_name, normalize, l2, train_size),
        name=f"{entry.name} ({split_name}, {scale} inputs)",
        fn=_mean_loss(entry.task, rows, penalized),
        bounds=_window(center, start),
        start=start,
        latex=_latex(entry.task, entry.param_names),
        description=entry.description,
        minima=((float(fit[0]), float(fit[1])),),
        params=(dataclasses.replace(L2, default=float(l2)),),
        dataset=key,
        split=split_name,
        normalize=normalize,
        train_size=train_size,
        rows=rows,
        task=entry.task,
        penalized=penalized,
    )


def surface_key(
    dataset: str, split_name: str, normalize: bool, l2: float, train_size: int | None
) -> str:
    """The key of a data surface, ``data:<data set>:<split>[:raw][:m<rows>][:l2<λ>]``."""
    key = f"data:{dataset}:{split_name}"
    key += "" if normalize else ":raw"
    key += "" if train_size is None else f":m{int(train_size)}"
    return key + ("" if l2 == 0 else f":l2{float(l2):g}")


def from_key(key: str) -> DataSurface:
    """The data surface named by ``key`` (``surface_key``'s format); a bad key raises KeyError."""
    parts = key.split(":")
    if len(parts) < 3 or parts[0] != "data" or parts[1] not in DATASETS:
        raise KeyError(f"not a data surface key: {key!r} (e.g. 'data:wine:train:raw')")
    options = dict(normalize=True, l2=0.0, train_size=None)
    for part in parts[3:]:
        if part == "raw":
            options["normalize"] = False
        elif part.startswith("m") and part[1:].isdigit():
            options["train_size"] = int(part[1:])
        elif part.startswith("l2"):
            try:
                options["l2"] = float(part[2:])
            except ValueError:
                raise KeyError(f"bad penalty in data surface key {key!r}") from None
        else:
            raise KeyError(f"unknown part {part!r} of data surface key {key!r}")
    try:
        surface = data_surface(parts[1], split=parts[2], **options)
    except ValueError as e:
        raise KeyError(f"{key!r}: {e}") from None
    return surface


def data_surface(
    dataset: str,
    *,
    split: str = "train",
    normalize: bool = True,
    l2: float = 0.0,
    train_size: int | None = None,
) -> DataSurface:
    """The empirical loss of a data set's two-parameter model on one split, as a ``Surface``.

    The same arguments give the same object, so the engine compiles each setting once. The
    penalty λ is also the surface parameter ``l2`` (traced): pass ``surface_params={"l2": λ}``
    to ``optviz.run`` to move it without recompiling, and ``surface.minima_at({"l2": λ})``
    for the minimizer there.

    Args:
        dataset: A key of ``optviz.DATASETS`` with a two-parameter model.
        split: ``"train"`` or ``"validation"`` (the fixed, seeded 70/30 split).
        normalize: Standardize the inputs with the training split's μ and σ.
        l2: The L2 penalty λ (the default of the surface's ``l2`` parameter).
        train_size: Keep only the first ``train_size`` training rows (``None``: all).

    Returns:
        A ``DataSurface`` whose ``minima[0]`` is the exact minimizer of that split at ``l2``.
    """
    size = None if train_size is None else int(train_size)
    return _data_surface(dataset, split, bool(normalize), float(l2), size)


def sibling(surface: DataSurface, split_name: str) -> DataSurface:
    """The same model on the other split (same normalization, λ and training size)."""
    return data_surface(
        surface.dataset,
        split=split_name,
        normalize=surface.normalize,
        l2=surface.params[0].default,
        train_size=surface.train_size,
    )


# ----------------------------------------------------------------------------- evaluation


@functools.partial(jax.jit, static_argnames="surface")
def _loss_at(points, coeffs, *, surface):
    """The surface at many points ``(2, n)``, one compiled call."""
    return surface.fn(points, coeffs)


def loss_along(
    surface: Surface, xy: np.ndarray, surface_params: Mapping[str, float] | None = None
) -> np.ndarray:
    """The loss of ``surface`` at every point of a path ``(n, 2)``; NaN rows stay NaN.

    With a trajectory run on the training surface and ``surface`` its validation sibling this
    is the validation loss along the run (验证误差), the second curve of early stopping.
    """
    points = np.asarray(xy, np.float32).reshape(-1, 2)
    coeffs = {k: np.float32(v) for k, v in surface.resolve_params(surface_params).items()}
    values = np.asarray(_loss_at(np.nan_to_num(points).T, coeffs, surface=surface), np.float64)
    return np.where(np.isnan(points).any(axis=1), np.nan, values)


def per_row_gradients(
    surface: DataSurface, point, surface_params: Mapping[str, float] | None = None
) -> np.ndarray:
    r"""The gradient of every row's loss :math:`\nabla \ell^{(i)}` at ``point``, ``(m, 2)``.

    The penalty's gradient is included in each (it is the same for every row), so their mean
    is the full-batch gradient.
    """
    rows = np.asarray(surface.rows, np.float64)
    p = np.asarray(point, np.float64)
    l2 = float(surface.resolve_params(surface_params)["l2"])
    z = rows[:, :2] @ p
    if surface.task == "regression":
        r = z - rows[:, 2]  # ŷ − y
    else:
        r = 1.0 / (1.0 + np.exp(-z)) - rows[:, 2]  # σ(z) − y
    return rows[:, :2] * r[:, None] + l2 * np.asarray(surface.penalized) * p


def batch_gradient_std(
    surface: DataSurface,
    point,
    batch_sizes,
    surface_params: Mapping[str, float] | None = None,
) -> np.ndarray:
    r"""Predicted spread σ_K of a mini-batch gradient of K rows drawn without replacement.

    .. math:: \sigma_K^2 = \frac{\sigma_1^2}{K}\cdot\frac{m - K}{m - 1}

    where σ₁² is the total variance of one row's gradient (the trace of its covariance). For
    K ≪ m this is the noise page's model σ_K = σ₁/√K; at K = m it is 0 (the full batch).

    Returns:
        σ_K per batch size (the root of the summed variance of the two coordinates).
    """
    grads = per_row_gradients(surface, point, surface_params)
    m = len(grads)
    sigma1_sq = float(np.sum(np.var(grads, axis=0)))  # σ₁²: one row's gradient variance
    k = np.asarray(batch_sizes, np.float64)
    return np.sqrt(sigma1_sq / k * (m - k) / (m - 1))  # finite-population correction


__all__ = [
    "DATASETS",
    "DataSurface",
    "batch_gradient_std",
    "data_surface",
    "loss_along",
    "per_row_gradients",
    "sibling",
]
