"""Cached wrappers of the noise and conditioning lessons (hashable settings in, views out).

``st.cache_resource`` shares the views (figures inside) between reruns and sessions: they are
never mutated. ``st.cache_data`` copies the (K, η) share map, the slowest computation (one
sweep per seed). Every argument is a float, int, str or None, so the caches key on them.
Whatever shows text takes the language code ``lang`` (``i18n.lang()``): it keys the cache, so
an English and a Chinese session never share a figure.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from optviz.lessons import conditioning, noise
from optviz.ui.i18n import translator

# ----------------------------------------------------------------------------- noise page


def _k(batch_size) -> int:
    """Batch size as an int (a link may carry any whole number)."""
    return int(batch_size)


@st.cache_resource(max_entries=64, show_spinner=False)
def saddle(batch_size: int, lr: float, sigma1: float, steps: int, y0: float, lang: str = "en"):
    """The saddle panel (``noise.saddle_view``)."""
    return noise.saddle_view(
        _k(batch_size), float(lr), float(sigma1), int(steps), float(y0), tr=translator(lang)
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def flat_sharp(batch_size: int, lr: float, sigma1: float, steps: int, lang: str = "en"):
    """The flat-vs-sharp cloud and shares (``noise.flat_sharp_view``)."""
    return noise.flat_sharp_view(
        _k(batch_size), float(lr), float(sigma1), int(steps), tr=translator(lang)
    )


@st.cache_data(max_entries=32, show_spinner=False)
def share_map(sigma1: float, steps: int) -> np.ndarray:
    """Outcome shares on the (K, η) grid (``noise.share_map``; a sweep per seed)."""
    return noise.share_map(float(sigma1), int(steps))


@st.cache_resource(max_entries=64, show_spinner=False)
def map_figure(
    sigma1: float, steps: int, batch_size: int, lr: float, m: int | None, lang: str = "en"
):
    """The flat-share map with the current setting (and the ×m one) marked."""
    shares = share_map(float(sigma1), int(steps))
    scaled = None if m is None else (batch_size * m, lr * m)
    return noise.map_figure(
        shares[..., 0],
        noise.BATCH_SIZES,
        noise.MAP_LRS,
        (batch_size, lr),
        scaled,
        tr=translator(lang),
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def shares(batch_size: int, lr: float, sigma1: float, steps: int, m: int | None, lang: str = "en"):
    """(labelled shares, bar figure) for the current setting, or before/after ×m."""
    tr = translator(lang)
    groups = noise.scaling_groups(_k(batch_size), float(lr), float(sigma1), int(steps), m, tr)
    return groups, noise.shares_figure(groups, tr=tr)


# ----------------------------------------------------------------------------- conditioning page


@st.cache_resource(max_entries=64, show_spinner=False)
def normalization(fraction: float, steps: int, lang: str = "en"):
    """The raw vs normalized panel (``conditioning.normalization_view``)."""
    return conditioning.normalization_view(float(fraction), int(steps), tr=translator(lang))


@st.cache_resource(max_entries=128, show_spinner=False)
def sgd(kappa: float, angle: float, lr: float, lang: str = "en"):
    """SGD on the rotated quadratic with its stability limit (``conditioning.sgd_view``)."""
    return conditioning.sgd_view(float(kappa), float(angle), float(lr), tr=translator(lang))


@st.cache_resource(max_entries=128, show_spinner=False)
def momentum(kappa: float, angle: float, lr: float, gamma: float, lang: str = "en"):
    """The momentum rate map and run (``conditioning.momentum_view``)."""
    return conditioning.momentum_view(
        float(kappa), float(angle), float(lr), float(gamma), tr=translator(lang)
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def rotation(kappa: float, angle: float, lang: str = "en"):
    """SGD vs RMSProp vs Adam at 0° and θ (``conditioning.rotation_view``)."""
    return conditioning.rotation_view(float(kappa), float(angle), tr=translator(lang))
