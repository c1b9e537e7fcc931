"""Surfaces: gradients against central differences, zero gradient at the listed minima and
saddles, LaTeX and metadata present, grid evaluation."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import optviz
from optviz.surfaces import SURFACES, nearest_minimum


def params_of(surface):
    return {k: jnp.float32(v) for k, v in surface.default_params().items()}


def central_difference(surface, p, h=1e-3):
    """Two-sided difference in float64 numpy through the float32 surface."""
    c = surface.default_params()
    g = np.zeros(2)
    for i in range(2):
        e = np.zeros(2)
        e[i] = h
        hi = float(surface(np.asarray(p) + e, c))
        lo = float(surface(np.asarray(p) - e, c))
        g[i] = (hi - lo) / (2 * h)
    return g


@pytest.mark.parametrize("key", sorted(SURFACES))
def test_gradient_matches_central_differences(key):
    surface = SURFACES[key]
    rng = np.random.default_rng(0)
    (x0, x1), (y0, y1) = surface.bounds
    grad = jax.grad(lambda p: surface.fn(p, params_of(surface)))
    for _ in range(5):
        p = np.array([rng.uniform(x0, x1), rng.uniform(y0, y1)]) * 0.8
        ours = np.asarray(grad(jnp.asarray(p, jnp.float32)))
        ref = central_difference(surface, p)
        scale = max(1.0, np.abs(ref).max())
        np.testing.assert_allclose(ours, ref, atol=5e-2 * scale, rtol=5e-2)


@pytest.mark.parametrize("key", sorted(SURFACES))
def test_zero_gradient_at_minima_and_saddles(key):
    surface = SURFACES[key]
    grad = jax.grad(lambda p: surface.fn(p, params_of(surface)))
    for point in surface.minima + surface.saddles:
        g = np.asarray(grad(jnp.asarray(point, jnp.float32)))
        assert np.linalg.norm(g) < 2e-3, (key, point, g)


@pytest.mark.parametrize("key", sorted(SURFACES))
def test_minima_are_minima_and_saddles_are_not(key):
    surface = SURFACES[key]
    hess = jax.hessian(lambda p: surface.fn(p, params_of(surface)))
    for point in surface.minima:
        eig = np.linalg.eigvalsh(np.asarray(hess(jnp.asarray(point, jnp.float32))))
        assert eig.min() > -1e-3, (key, point, eig)
    for point in surface.saddles:
        eig = np.linalg.eigvalsh(np.asarray(hess(jnp.asarray(point, jnp.float32))))
        assert eig.min() < 1e-3, (key, point, eig)


@pytest.mark.parametrize("key", sorted(SURFACES))
def test_metadata(key):
    s = SURFACES[key]
    assert s.key == key and s.name and s.description
    assert "=" in s.latex
    (x0, x1), (y0, y1) = s.bounds
    assert x0 < s.start[0] < x1 and y0 < s.start[1] < y1
    for m in s.minima + s.saddles:
        assert x0 <= m[0] <= x1 and y0 <= m[1] <= y1
    for p in s.params:
        assert p.low <= p.default <= p.high


def test_grid_evaluation_broadcasts():
    for s in SURFACES.values():
        grid = np.zeros((2, 30, 40), np.float32)
        assert s(grid).shape == (30, 40)


def test_default_quadratic_is_d2l():
    q = SURFACES["quadratic"]
    p = np.array([1.3, -0.7])
    assert float(q(p)) == pytest.approx(0.1 * 1.3**2 + 2 * 0.7**2, rel=1e-6)


def test_quadratic_rotation_and_condition_number():
    q = SURFACES["quadratic"]
    hess = jax.hessian(lambda p, c: q.fn(p, c))
    h = np.asarray(hess(jnp.zeros(2), {"kappa": jnp.float32(50.0), "angle": jnp.float32(30.0)}))
    eig = np.linalg.eigvalsh(h)
    np.testing.assert_allclose(eig, [0.2, 0.2 * 50], rtol=1e-5)
    # the steep eigenvector is the y axis rotated by 30°
    w, v = np.linalg.eigh(h)
    steep = v[:, 1] * np.sign(v[1, 1])
    np.testing.assert_allclose(steep, [-np.sin(np.pi / 6), np.cos(np.pi / 6)], atol=1e-5)


def test_flat_sharp_has_one_flat_and_one_sharp_minimum():
    s = SURFACES["flat_sharp"]
    hess = jax.hessian(lambda p: s.fn(p, {}))
    flat, sharp = (np.linalg.eigvalsh(np.asarray(hess(jnp.asarray(m)))) for m in s.minima)
    assert sharp.max() > 20 * flat.max()
    assert float(s(np.array(s.minima[1]))) < float(s(np.array(s.minima[0])))  # sharp is deeper


def test_plateau_and_cliff_gradients():
    plateau, cliff = SURFACES["plateau"], SURFACES["cliff"]
    g_plateau = jax.grad(lambda p: plateau.fn(p, {}))(jnp.array([2.2, 1.5]))
    assert float(jnp.linalg.norm(g_plateau)) < 1e-3  # vanishing
    g_cliff = jax.grad(lambda p: cliff.fn(p, {}))(jnp.array([0.0, 1.0]))
    assert float(jnp.linalg.norm(g_cliff)) > 100  # exploding


def test_nearest_minimum():
    m, d = nearest_minimum(SURFACES["himmelblau"], (2.9, 2.1))
    assert m == (3.0, 2.0) and d == pytest.approx(np.hypot(0.1, 0.1))
    assert nearest_minimum(SURFACES["saddle"], (0, 0)) == (None, np.inf)


def test_unknown_surface_and_parameter():
    with pytest.raises(KeyError, match="unknown surface"):
        optviz.get_surface("nope")
    with pytest.raises(KeyError, match="no parameter"):
        SURFACES["quadratic"].resolve_params({"zeta": 1.0})
