"""Presets: the classic pictures of the notes, one click away.

A preset is a partial page state (URL field name -> value) applied over the defaults; the
playground turns it into widget values, so a preset is also just a URL.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Preset(NamedTuple):
    """A named page state: ``title`` for people, ``state`` for the widgets and the URL."""

    title: str
    state: dict[str, Any]


D2L_QUADRATIC = {"surface": "quadratic", "start": (-5.0, -2.0), "steps": 20}

_PRESETS: dict[str, dict[str, Any]] = {
    "d2l: gradient descent η=0.4 on 0.1x₁²+2x₂²": {
        **D2L_QUADRATIC,
        "opts": ("sgd",),
        "sgd.lr": 0.4,
    },
    "d2l: gradient descent η=0.6 diverges along x₂": {
        **D2L_QUADRATIC,
        "opts": ("sgd",),
        "sgd.lr": 0.6,
    },
    "d2l: momentum η=0.6, γ=0.5": {
        **D2L_QUADRATIC,
        "opts": ("sgd", "momentum"),
        "sgd.lr": 0.4,
        "momentum.lr": 0.6,
        "momentum.momentum": 0.5,
    },
    "d2l: momentum η=0.6, γ=0.25": {
        **D2L_QUADRATIC,
        "opts": ("sgd", "momentum"),
        "sgd.lr": 0.4,
        "momentum.lr": 0.6,
        "momentum.momentum": 0.25,
    },
    "d2l: RMSProp η=0.4, γ=0.9": {
        **D2L_QUADRATIC,
        "opts": ("adagrad", "rmsprop"),
        "adagrad.lr": 0.4,
        "rmsprop.lr": 0.4,
        "rmsprop.gamma": 0.9,
    },
    "Saddle point race (鞍点)": {
        "surface": "saddle",
        "start": (-1.8, 0.001),
        "steps": 100,
        "opts": ("sgd", "momentum", "rmsprop", "adam"),
        "sgd.lr": 0.05,
        "momentum.lr": 0.05,
        "rmsprop.lr": 0.05,
        "adam.lr": 0.05,
    },
    "Rosenbrock banana": {
        "surface": "rosenbrock",
        "start": (-1.5, 2.0),
        "steps": 500,
        "opts": ("sgd", "momentum", "rmsprop", "adam"),
        "sgd.lr": 0.001,
        "momentum.lr": 0.0005,
        "momentum.momentum": 0.9,
        "rmsprop.lr": 0.005,
        "adam.lr": 0.05,
    },
    "Flat vs sharp minimum (平坦/尖锐最小值)": {
        "surface": "flat_sharp",
        "start": (0.0, 1.2),
        "steps": 200,
        "opts": ("sgd", "momentum", "adam"),
        "sgd.lr": 0.3,
        "momentum.lr": 0.1,
        "adam.lr": 0.05,
    },
}


_SLUGS = {
    "d2l: gradient descent η=0.4 on 0.1x₁²+2x₂²": "d2l-gd-0.4",
    "d2l: gradient descent η=0.6 diverges along x₂": "d2l-gd-0.6",
    "d2l: momentum η=0.6, γ=0.5": "d2l-momentum-0.5",
    "d2l: momentum η=0.6, γ=0.25": "d2l-momentum-0.25",
    "d2l: RMSProp η=0.4, γ=0.9": "d2l-rmsprop",
    "Saddle point race (鞍点)": "saddle-race",
    "Rosenbrock banana": "rosenbrock",
    "Flat vs sharp minimum (平坦/尖锐最小值)": "flat-sharp",
}

PRESETS: dict[str, Preset] = {_SLUGS[t]: Preset(t, s) for t, s in _PRESETS.items()}
"""Preset slug (URL-safe, ``?preset=d2l-gd-0.4``) -> ``Preset``."""
