r"""Analytic 2D loss surfaces (损失曲面) on which the optimizers run.

Every surface is an elementwise function ``fn(p, c)`` of a point ``p`` whose first axis holds
the two coordinates ``(x_1, x_2)`` and a dict ``c`` of surface parameters. Written with
``x, y = p[0], p[1]``, the same code evaluates one point of shape ``(2,)`` for the optimizer
and a whole grid of shape ``(2, H, W)`` for the contour plot. Surface parameters (the
quadratic's condition number κ and rotation angle, ...) are *traced* arrays, so moving their
slider never recompiles.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Mapping

import jax.numpy as jnp

SurfaceFn = Callable[[jnp.ndarray, Mapping[str, jnp.ndarray]], jnp.ndarray]


@dataclasses.dataclass(frozen=True)
class Param:
    r"""A float parameter of a surface, optimizer or schedule, with what a slider needs.

    Attributes:
        name: Key used in dicts, URLs and the public API (``"lr"``, ``"kappa"``).
        symbol: LaTeX symbol from the notes (``r"\eta"``, ``r"\kappa"``).
        default: Default value.
        low: Smallest value a slider offers.
        high: Largest value a slider offers.
        log: Whether a slider should move on a log scale.
        help: One sentence a student can read.
    """

    name: str
    symbol: str
    default: float
    low: float
    high: float
    log: bool = False
    help: str = ""

    def clamp(self, value: float) -> float:
        """Returns ``value`` clamped to ``[low, high]``."""
        return min(max(float(value), self.low), self.high)


@dataclasses.dataclass(frozen=True, eq=False)
class Surface:
    """A 2D loss surface and everything a page needs to draw and explain it.

    Surfaces hash by identity: the engine uses the object itself as a static jit argument,
    so the registry entries (and cached user formulas) each compile once.

    Attributes:
        key: Registry key (``"rosenbrock"``) or ``"formula"`` for user text.
        name: Display name.
        fn: ``fn(p, c) -> loss``, elementwise over the trailing axes of ``p``.
        bounds: ``((x_min, x_max), (y_min, y_max))`` of the plotting window.
        start: A start point that tells the surface's story.
        latex: The formula, in LaTeX.
        description: What the surface teaches, in one or two sentences.
        minima: Known global/local minimizers ``(x, y)``.
        saddles: Known saddle points ``(x, y)``.
        params: Float surface parameters (traced), with slider ranges.
    """

    key: str
    name: str
    fn: SurfaceFn
    bounds: tuple[tuple[float, float], tuple[float, float]]
    start: tuple[float, float]
    latex: str
    description: str
    minima: tuple[tuple[float, float], ...] = ()
    saddles: tuple[tuple[float, float], ...] = ()
    params: tuple[Param, ...] = ()

    @functools.cached_property
    def _default_values(self) -> tuple[tuple[str, float], ...]:
        """(name, default) of every parameter, computed once."""
        return tuple((p.name, p.default) for p in self.params)

    def default_params(self) -> dict[str, float]:
        """Returns the default value of every surface parameter (a new dict each call)."""
        return dict(self._default_values)

    def resolve_params(self, values: Mapping[str, float] | None = None) -> dict[str, float]:
        """Merges ``values`` over the defaults; unknown names raise ``KeyError``."""
        merged = self.default_params()
        for name, value in (values or {}).items():
            if name not in merged:
                raise KeyError(f"surface {self.key!r} has no parameter {name!r}")
            merged[name] = float(value)
        return merged

    def minima_at(self, params: Mapping[str, float] | None = None):
        """The known minima for the given surface parameters (these surfaces: ``minima``).

        A surface whose minimum moves with its parameters (a data surface's L2 penalty λ)
        solves for it here.
        """
        del params
        return self.minima

    def __call__(self, p, params: Mapping[str, float] | None = None):
        """Evaluates the surface at ``p`` (shape ``(2, ...)``) with the given parameters."""
        c = {k: jnp.asarray(v, jnp.float32) for k, v in self.resolve_params(params).items()}
        return self.fn(jnp.asarray(p, jnp.float32), c)


# ----------------------------------------------------------------------------- the surfaces


def quadratic(p, c):
    r"""Ill-conditioned quadratic bowl (病态二次函数), rotated by ``angle`` degrees.

    .. math:: f = 0.1\,u^2 + 0.1\,\kappa\,v^2,\quad (u, v) = R_{-\theta}(x_1, x_2)

    With the defaults κ = 20 and θ = 0 this is d2l's ``0.1 x_1^2 + 2 x_2^2``.
    """
    theta = jnp.deg2rad(c["angle"])  # rotation angle in radians
    u = jnp.cos(theta) * p[0] + jnp.sin(theta) * p[1]  # coordinate along the flat axis
    v = -jnp.sin(theta) * p[0] + jnp.cos(theta) * p[1]  # coordinate along the steep axis
    return 0.1 * u**2 + 0.1 * c["kappa"] * v**2  # eigenvalues 0.2 and 0.2·κ


def saddle(p, c):
    r"""The classic saddle :math:`f = x^2 - y^2`."""
    del c
    return p[0] ** 2 - p[1] ** 2


def monkey_saddle(p, c):
    r"""The monkey saddle :math:`f = x^3 - 3 x y^2` (three valleys, a flat saddle at 0)."""
    del c
    return p[0] ** 3 - 3.0 * p[0] * p[1] ** 2


def flat_sharp(p, c):
    r"""A wide flat minimum (平坦最小值) left and a narrow sharp one (尖锐最小值) right.

    .. math::
        f = 1 + 0.05\,r^2 - e^{-\|p-a\|^2/(2\cdot 0.8^2)} - 1.1\,e^{-\|p-b\|^2/(2\cdot 0.15^2)}

    with a = (−1.5, 0) and b = (1.5, 0).
    """
    del c
    wide = jnp.exp(-((p[0] + 1.5) ** 2 + p[1] ** 2) / (2 * 0.8**2))  # broad Gaussian well
    sharp = jnp.exp(-((p[0] - 1.5) ** 2 + p[1] ** 2) / (2 * 0.15**2))  # narrow Gaussian well
    bowl = 0.05 * (p[0] ** 2 + p[1] ** 2)  # keeps runs from wandering off
    return 1.0 + bowl - wide - 1.1 * sharp


def rosenbrock(p, c):
    r"""Rosenbrock's banana :math:`f = (a - x)^2 + b (y - x^2)^2`, minimum at :math:`(a, a^2)`."""
    return (c["a"] - p[0]) ** 2 + c["b"] * (p[1] - p[0] ** 2) ** 2


def beale(p, c):
    r"""Beale's function, minimum at (3, 0.5)."""
    del c
    x, y = p[0], p[1]
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def himmelblau(p, c):
    r"""Himmelblau's function :math:`(x^2 + y - 11)^2 + (x + y^2 - 7)^2`: four equal minima."""
    del c
    return (p[0] ** 2 + p[1] - 11.0) ** 2 + (p[0] + p[1] ** 2 - 7.0) ** 2


def rastrigin(p, c):
    r"""Rastrigin's function :math:`2A + \sum (x_i^2 - A\cos 2\pi x_i)`: many local minima."""
    a = c["A"]  # height of the ripples
    ripple = p[0] ** 2 - a * jnp.cos(2 * jnp.pi * p[0]) + p[1] ** 2 - a * jnp.cos(2 * jnp.pi * p[1])
    return 2 * a + ripple


def plateau(p, c):
    r"""A plateau with vanishing gradients (梯度消失) around a well at the origin.

    .. math:: f = 1 - e^{-(x^2 + y^2)^2 / 2}
    """
    del c
    r2 = p[0] ** 2 + p[1] ** 2  # squared distance to the well
    return 1.0 - jnp.exp(-(r2**2) / 2.0)


def cliff(p, c):
    r"""A gentle slope that ends in a cliff (梯度爆炸), as in an RNN's loss landscape.

    .. math:: f = 0.5\,(x^2 + y^2) + 50\,\sigma(10\,(y - 1))
    """
    del c
    gentle = 0.5 * (p[0] ** 2 + p[1] ** 2)  # the bowl we want to descend
    wall = 50.0 / (1.0 + jnp.exp(-10.0 * (p[1] - 1.0)))  # the cliff along y = 1
    return gentle + wall


SURFACES: dict[str, Surface] = {
    s.key: s
    for s in (
        Surface(
            key="quadratic",
            name="Ill-conditioned quadratic",
            fn=quadratic,
            bounds=((-5.5, 5.5), (-3.0, 3.0)),
            start=(-5.0, -2.0),
            latex=(
                r"f(x_1, x_2) = 0.1\,x_1^2 + 0.1\,\kappa\,x_2^2"
                r" \quad(\kappa=20:\ 0.1x_1^2+2x_2^2)"
            ),
            description=(
                "A long narrow valley: the slope is steep across it and gentle along it, so one "
                "learning rate is too big for one axis and too small for the other."
            ),
            minima=((0.0, 0.0),),
            params=(
                Param("kappa", r"\kappa", 20.0, 1.0, 100.0, True, "Condition number λ_max/λ_min."),
                Param(
                    "angle", r"\theta", 0.0, 0.0, 90.0, False, "Rotation of the valley (degrees)."
                ),
            ),
        ),
        Surface(
            key="saddle",
            name="Saddle point",
            fn=saddle,
            bounds=((-2.0, 2.0), (-2.0, 2.0)),
            start=(-1.5, 1e-3),
            latex=r"f(x, y) = x^2 - y^2",
            description=(
                "The gradient is zero at the origin, yet it is no minimum: downhill along y, "
                "uphill along x. Started on the ridge, gradient descent stalls there."
            ),
            saddles=((0.0, 0.0),),
        ),
        Surface(
            key="monkey_saddle",
            name="Monkey saddle",
            fn=monkey_saddle,
            bounds=((-1.5, 1.5), (-1.5, 1.5)),
            start=(1.0, 1e-3),
            latex=r"f(x, y) = x^3 - 3xy^2",
            description=(
                "A saddle so flat that even the curvature vanishes at the origin: gradient "
                "descent creeps, and only momentum or noise gets it moving."
            ),
            saddles=((0.0, 0.0),),
        ),
        Surface(
            key="flat_sharp",
            name="Flat vs sharp minimum",
            fn=flat_sharp,
            bounds=((-3.0, 3.0), (-2.0, 2.0)),
            start=(0.0, 1.2),
            latex=(
                r"f = 1 + 0.05\,\|p\|^2 - e^{-\|p-(-1.5,0)\|^2/1.28}"
                r" - 1.1\,e^{-\|p-(1.5,0)\|^2/0.045}"
            ),
            description=(
                "Two minima: a wide, flat one on the left and a narrow, slightly deeper, sharp "
                "one on the right. Noise and large steps favour the flat one."
            ),
            minima=((-1.409227, 0.0), (1.496852, 0.0)),
        ),
        Surface(
            key="rosenbrock",
            name="Rosenbrock banana",
            fn=rosenbrock,
            bounds=((-2.0, 2.0), (-1.0, 3.0)),
            start=(-1.5, 2.0),
            latex=r"f(x, y) = (a - x)^2 + b\,(y - x^2)^2",
            description=(
                "A curved, flat-bottomed valley: finding the valley is easy, following it to "
                "the minimum at (a, a²) is hard."
            ),
            minima=((1.0, 1.0),),
            params=(
                Param("a", "a", 1.0, 0.5, 1.5, False, "Minimum at (a, a²)."),
                Param("b", "b", 100.0, 1.0, 200.0, True, "Steepness of the valley walls."),
            ),
        ),
        Surface(
            key="beale",
            name="Beale",
            fn=beale,
            bounds=((-4.5, 4.5), (-4.5, 4.5)),
            start=(1.0, 1.5),
            latex=(r"f = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2"),
            description="Sharp ridges and flat corners; the minimum (3, 0.5) sits in a narrow arm.",
            minima=((3.0, 0.5),),
        ),
        Surface(
            key="himmelblau",
            name="Himmelblau",
            fn=himmelblau,
            bounds=((-5.0, 5.0), (-5.0, 5.0)),
            start=(0.0, 0.0),
            latex=r"f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2",
            description="Four minima of equal depth: where you start decides where you end.",
            minima=(
                (3.0, 2.0),
                (-2.805118, 3.131312),
                (-3.779310, -3.283186),
                (3.584428, -1.848126),
            ),
            saddles=(
                (0.086678, 2.884255),
                (-3.073026, -0.081353),
                (3.385154, 0.073852),
                (-0.127961, -1.953715),
            ),
        ),
        Surface(
            key="rastrigin",
            name="Rastrigin",
            fn=rastrigin,
            bounds=((-3.0, 3.0), (-3.0, 3.0)),
            start=(2.2, 1.8),
            latex=r"f = 2A + \sum_{i=1}^{2}\left(x_i^2 - A\cos 2\pi x_i\right)",
            description="A bowl covered in ripples: many local minima around the global one.",
            minima=((0.0, 0.0),),
            params=(Param("A", "A", 10.0, 0.0, 20.0, False, "Height of the ripples."),),
        ),
        Surface(
            key="plateau",
            name="Plateau (vanishing gradient)",
            fn=plateau,
            bounds=((-3.0, 3.0), (-3.0, 3.0)),
            start=(2.2, 1.5),
            latex=r"f(x, y) = 1 - e^{-(x^2 + y^2)^2/2}",
            description=(
                "Far from the well the surface is almost flat: the gradient vanishes and plain "
                "gradient descent barely moves. Adaptive methods rescale the tiny gradient."
            ),
            minima=((0.0, 0.0),),
        ),
        Surface(
            key="cliff",
            name="Cliff (exploding gradient)",
            fn=cliff,
            bounds=((-3.0, 3.0), (-2.0, 4.0)),
            start=(-1.0, 3.0),
            latex=r"f(x, y) = \tfrac12 (x^2 + y^2) + \frac{50}{1 + e^{-10(y-1)}}",
            description=(
                "A gentle bowl behind a steep cliff: one step at the cliff's edge gets a huge "
                "gradient and is thrown far away unless the gradient is clipped."
            ),
            minima=((0.0, -0.018807),),
        ),
    )
}


REAL_SURFACES: dict[str, str] = {
    "data:diabetes:train": "Real data: diabetes, slope and intercept",
    "data:breast_cancer:train": "Real data: breast cancer, logistic regression",
    "data:wine:train:raw": "Real data: wine, raw inputs (ill-conditioned)",
    "landscape:digits:small": "Network slice: digits MLP, small batches",
    "landscape:digits:large": "Network slice: digits MLP, full batch",
}
"""Surfaces built from real data, offered beside the registry (key -> display name).

``get_surface`` builds them from their keys on first use: ``data:<data set>:<split>[:raw]``
(``optviz.data_surface``) and ``landscape:<data set>:<network>`` (``optviz.landscape``).
"""


def get_surface(surface: str | Surface) -> Surface:
    """Returns the registered surface named ``surface`` (or ``surface`` itself).

    Besides the registry's keys, ``data:…`` and ``landscape:…`` keys (see ``REAL_SURFACES``)
    build a real-data surface or a network's loss slice, once per process.
    """
    if isinstance(surface, Surface):
        return surface
    try:
        return SURFACES[surface]
    except (KeyError, TypeError):
        pass
    kind = surface.split(":", 1)[0] if isinstance(surface, str) else None
    if kind == "data":
        from optviz import datasurface  # imported on demand: it loads scikit-learn data

        return datasurface.from_key(surface)
    if kind == "landscape":
        from optviz import landscape  # imported on demand: it trains a network

        return landscape.from_key(surface)
    known = ", ".join([*SURFACES, *REAL_SURFACES])
    raise KeyError(f"unknown surface {surface!r}; choose one of: {known}")


def nearest_minimum(surface: Surface, point) -> tuple[tuple[float, float] | None, float]:
    """Returns the known minimum closest to ``point`` and its distance (``None``, inf if none)."""
    best, best_d = None, math.inf
    for m in surface.minima:
        d = math.hypot(float(point[0]) - m[0], float(point[1]) - m[1])
        if d < best_d:
            best, best_d = m, d
    return best, best_d
