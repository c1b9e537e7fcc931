r"""Real data sets (真实数据集) that ship with scikit-learn, and the fixed split of each.

Every data set here is bundled inside the scikit-learn wheel (``sklearn/datasets/data``), so
it loads offline: nothing is downloaded at run time. scikit-learn is imported only when a
data set is first loaded (its import takes ~2 s), and each data set is loaded once per process.

The split is fixed and seeded: the rows are shuffled once with ``numpy.random.default_rng(0)``,
the first 70 % are the training set (训练集) and the last 30 % the validation set (验证集), as
in the notes' hold-out validation (000: 验证数据集). ``train_size`` keeps only the first rows of
the training set, to show how a small training set widens the generalization gap (泛化误差).
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

VALIDATION_SHARE = 0.3
"""Share of the rows held out for validation."""
SPLIT_SEED = 0
"""Seed of the one shuffle that fixes the split."""


@dataclasses.dataclass(frozen=True)
class Dataset:
    """A real data set and the two-parameter model optviz fits to it.

    Attributes:
        key: Registry key (``"diabetes"``).
        name: Display name.
        name_zh: Chinese name.
        description: What the data are, in one or two sentences.
        source: Where the data come from (the loader and the original study).
        task: ``"regression"`` (least squares) or ``"classification"`` (logistic loss).
        loader: Name of the ``sklearn.datasets`` function that loads it.
        columns: The feature columns the two-parameter model uses (one or two names).
        model: The model in words.
        param_names: Names of the two parameters, in the notes' notation (LaTeX).
        positive: For classification, the class that counts as ``y = 1``.
    """

    key: str
    name: str
    name_zh: str
    description: str
    source: str
    task: str
    loader: str
    columns: tuple[str, ...]
    model: str
    param_names: tuple[str, str]
    positive: int = 1

    @property
    def n_rows(self) -> int:
        """Number of rows of the whole data set."""
        return len(load(self.key)[1])


DATASETS: dict[str, Dataset] = {
    d.key: d
    for d in (
        Dataset(
            key="diabetes",
            name="Diabetes progression vs BMI",
            name_zh="糖尿病病情与体重指数",
            description=(
                "442 diabetes patients: body-mass index and a measure of disease progression "
                "one year later. A straight line ŷ = w·x + b through the cloud: the loss over "
                "its slope w and intercept b is the bowl."
            ),
            source=(
                "scikit-learn load_diabetes(scaled=False); Efron, Hastie, Johnstone and "
                "Tibshirani, 'Least Angle Regression', Annals of Statistics 32 (2004)"
            ),
            task="regression",
            loader="load_diabetes",
            columns=("bmi",),
            model="least squares ŷ = w·x + b on one feature (slope w, intercept b)",
            param_names=("w", "b"),
        ),
        Dataset(
            key="breast_cancer",
            name="Breast cancer: radius and texture",
            name_zh="乳腺癌：半径与纹理",
            description=(
                "569 tumours, malignant or benign, described by the mean radius and the mean "
                "texture of their cell nuclei. Logistic regression with two weights decides "
                "which side of a line through the origin a tumour falls."
            ),
            source=(
                "scikit-learn load_breast_cancer; UCI Breast Cancer Wisconsin (Diagnostic), "
                "Street, Wolberg and Mangasarian (1993)"
            ),
            task="classification",
            loader="load_breast_cancer",
            columns=("mean radius", "mean texture"),
            model="logistic regression σ(w₁x₁ + w₂x₂) on two features (weights w₁, w₂)",
            param_names=("w_1", "w_2"),
            positive=0,  # malignant is class 0 in scikit-learn's coding
        ),
        Dataset(
            key="wine",
            name="Wine: alcohol and proline",
            name_zh="葡萄酒：酒精与脯氨酸",
            description=(
                "178 Italian wines from three cultivars; is it cultivar 1? Two features on "
                "very different scales, alcohol (~13 %) and proline (~750 mg/l): without "
                "normalization the loss is a knife-thin valley."
            ),
            source=(
                "scikit-learn load_wine; UCI Wine, Forina et al., PARVUS (1988), via "
                "Aeberhard, Coomans and de Vel (1992)"
            ),
            task="classification",
            loader="load_wine",
            columns=("alcohol", "proline"),
            model="logistic regression σ(w₁x₁ + w₂x₂) on two features (weights w₁, w₂)",
            param_names=("w_1", "w_2"),
            positive=0,
        ),
        Dataset(
            key="digits",
            name="Handwritten digits (8×8)",
            name_zh="手写数字（8×8）",
            description=(
                "1797 handwritten digits, 8×8 grey images with 64 pixel features and ten "
                "classes: the data a small neural network learns for the loss-landscape page."
            ),
            source=(
                "scikit-learn load_digits; UCI Optical Recognition of Handwritten Digits, "
                "Alpaydin and Kaynak (1998)"
            ),
            task="multiclass",
            loader="load_digits",
            columns=(),
            model="a multilayer perceptron 64 → 16 → 10 (optviz.landscape)",
            param_names=("α", "β"),
        ),
    )
}


def get_dataset(dataset: str | Dataset) -> Dataset:
    """Returns the registered data set ``dataset`` (or ``dataset`` itself)."""
    if isinstance(dataset, Dataset):
        return dataset
    try:
        return DATASETS[dataset]
    except KeyError:
        known = ", ".join(DATASETS)
        raise KeyError(f"unknown data set {dataset!r}; choose one of: {known}") from None


@functools.cache
def load(key: str) -> tuple[np.ndarray, np.ndarray]:
    """The data set's rows as float64 ``(features, targets)``, read-only.

    Features are the ``columns`` of the entry (every column when it names none); targets are
    the regression target, or 1.0 / 0.0 for the positive class / the rest, or the class index
    for a multiclass data set.
    """
    entry = get_dataset(key)
    from sklearn import datasets as sk  # imported on first use: ~2 s

    loader = getattr(sk, entry.loader)
    bunch = loader(scaled=False) if entry.loader == "load_diabetes" else loader()
    names = list(bunch.feature_names)
    columns = [names.index(c) for c in entry.columns] if entry.columns else range(len(names))
    features = np.asarray(bunch.data, np.float64)[:, list(columns)]
    target = np.asarray(bunch.target, np.float64)
    if entry.task == "classification":
        target = (target == entry.positive).astype(np.float64)  # y = 1 for the positive class
    for a in (features, target):
        a.flags.writeable = False
    return features, target


@functools.cache
def split_rows(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of the fixed split of ``n`` rows: ``(train, validation)``."""
    order = np.random.default_rng(SPLIT_SEED).permutation(n)  # the one seeded shuffle
    n_val = int(round(VALIDATION_SHARE * n))
    train, val = order[: n - n_val], order[n - n_val :]
    for a in (train, val):
        a.flags.writeable = False
    return train, val


def split(
    key: str, split_name: str = "train", train_size: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The rows of one split: ``(features, targets)`` of ``"train"`` or ``"validation"``.

    Args:
        key: A key of ``DATASETS``.
        split_name: ``"train"`` or ``"validation"``.
        train_size: Keep only the first ``train_size`` training rows (``None``: all of them).
            The validation set never changes.

    Returns:
        Float64 copies of the split's features and targets.
    """
    features, target = load(key)
    train, val = split_rows(len(target))
    if train_size is not None:
        if not 2 <= int(train_size) <= len(train):
            raise ValueError(f"train_size must be between 2 and {len(train)}, got {train_size}")
        train = train[: int(train_size)]
    if split_name == "train":
        rows = train
    elif split_name == "validation":
        rows = val
    else:
        raise ValueError(f"split must be 'train' or 'validation', got {split_name!r}")
    return features[rows].copy(), target[rows].copy()
