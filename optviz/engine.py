r"""The one engine: a jitted ``lax.scan`` over optimizer steps, and its vmapped variants.

One step of every run, in the notes' terms:

.. math::
    g_t = \nabla f(x_{t-1}) + \sigma\,\xi_t,\quad \xi_t \sim \mathcal N(0, I)
    \qquad\text{(mini-batch noise, 小批量噪声)}

then optional clipping (梯度截断) by value, :math:`g_t = \max(\min(g_t, b), -b)`, or by norm,
:math:`g_t = \frac{b}{\|g_t\|} g_t` when :math:`\|g_t\| > b`; then the learning rate
:math:`\eta_t` of the schedule, and the optimizer's own update :math:`x_t = x_{t-1} + \Delta_t`.

What is static (compiled once each) and what is traced (free to change):

- static: the optimizer, the surface object, the schedule kind, the clipping kind and the
  *bucketed* number of steps (runs are padded up to one of ``STEP_BUCKETS`` and sliced);
- traced: the start, every float hyperparameter and boolean switch, the surface parameters,
  the schedule numbers, the noise level, the seed and the clipping threshold.

So moving any slider reuses the compiled program; a test counts compilations to prove it.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import math
import os
import types
from collections.abc import Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.flatten_util import ravel_pytree

from optviz import schedules as schedules_mod
from optviz.optimizers import Optimizer, get_optimizer
from optviz.surfaces import Surface, get_surface

# Every caller here reads a result at once (a chart needs the numbers), so JAX's asynchronous
# CPU dispatch only adds a hand-off between threads: ~90-120 µs of a ~200 µs 500-step run.
# JAX reads the flag when the first computation creates its CPU client, so this works only if
# optviz is imported before anything computes with JAX (the app and the benches do that;
# otherwise runs stay correct, just that much slower).
jax.config.update("jax_cpu_enable_async_dispatch", False)

# XLA's CPU scheduler orders a program's operations to run side by side, and its runtime then
# hands some of them to other threads. For programs this small each hand-off costs more than
# the work: the compiled call of a 500-step Newton run took 155 µs instead of 57, and small
# changes to a run's program (one input vector instead of two) added ~90 µs the same way.
# The memory-optimised order (one operation after another) has no such cliff. It is asked for
# unless the user chose a scheduler (the flag, or the deprecated
# --xla_cpu_enable_concurrency_optimized_scheduler). XLA reads XLA_FLAGS once, at the first
# computation (same caveat as above), and stops the process on a flag it does not know.
_SEQUENTIAL = "--xla_cpu_scheduler_type=CPU_SCHEDULER_TYPE_MEMORY_OPTIMIZED"
_SCHEDULER_FLAGS = ("xla_cpu_scheduler_type", "xla_cpu_enable_concurrency_optimized_scheduler")
if not any(flag in os.environ.get("XLA_FLAGS", "") for flag in _SCHEDULER_FLAGS):
    os.environ["XLA_FLAGS"] = f"{os.environ.get('XLA_FLAGS', '')} {_SEQUENTIAL}".strip()

STEP_BUCKETS = (25, 50, 100, 200, 300, 500, 1000, 2000, 5000, 10000)
"""Run lengths that are compiled; a run of ``steps`` uses the smallest bucket ≥ steps."""

MAX_STEPS = STEP_BUCKETS[-1]
CLIP_KINDS = (None, "value", "norm")
FAR = 2.0
"""A point farther than ``FAR`` window sizes outside the surface's bounds counts as diverged."""
BATCH_STREAM = 2**31 - 1
"""``fold_in`` tag of the mini-batch draws' random stream (the noise uses tags 0 … steps−1)."""


# ----------------------------------------------------------------------------- results


@dataclasses.dataclass(frozen=True)
class Trajectory:
    """One run. Row 0 of every per-point array is the start.

    From ``optviz.run`` the arrays are read-only float32 views of the one matrix the compiled
    run returned (no copy is made); take ``.copy()`` of one to change it.

    Attributes:
        xy: Points ``(steps+1, 2)``; rows from ``diverged_at`` on are NaN.
        loss: ``f(x_t)``, ``(steps+1,)``.
        grad: True gradient ``∇f(x_t)`` at each point (before noise and clipping), ``(steps+1, 2)``.
        grad_used: Gradient the optimizer received at step t+1 (after noise, clipping),
            ``(steps, 2)``.
        update: Step ``Δ`` taken from ``xy[t]`` to ``xy[t+1]``, ``(steps, 2)``.
        lr: Learning rate used at each step (after the schedule), ``(steps,)``.
        state: Optimizer state over time, name -> ``(steps+1, 2)``; row t is after t steps.
        diverged_at: First step whose point is non-finite or far outside the window, or None.
        diverged_reason: ``"non-finite"`` or ``"left the window"``, or None.
        optimizer: Optimizer key.
        surface: Surface key.
        hparams: The hyperparameters used (defaults filled in).
    """

    xy: np.ndarray
    loss: np.ndarray
    grad: np.ndarray
    grad_used: np.ndarray
    update: np.ndarray
    lr: np.ndarray
    state: dict[str, np.ndarray]
    diverged_at: int | None
    diverged_reason: str | None
    optimizer: str
    surface: str
    hparams: dict[str, Any]

    @property
    def steps(self) -> int:
        """Number of steps."""
        return len(self.lr)

    @property
    def last_valid(self) -> int:
        """Index of the last finite point."""
        return self.steps if self.diverged_at is None else self.diverged_at - 1


@dataclasses.dataclass(frozen=True)
class Batch:
    """Many runs at once (``run_many``, ``run_seeds``): a leading axis of length n everywhere.

    ``diverged_at`` is an int array with -1 for runs that never diverged.
    """

    xy: np.ndarray
    loss: np.ndarray
    grad: np.ndarray
    lr: np.ndarray
    state: dict[str, np.ndarray]
    diverged_at: np.ndarray

    def __len__(self) -> int:
        """Number of runs."""
        return self.xy.shape[0]

    @property
    def final(self) -> np.ndarray:
        """Last point of every run, ``(n, 2)`` (NaN for diverged runs)."""
        return self.xy[:, -1]


@dataclasses.dataclass(frozen=True)
class SweepResult:
    """A grid of full runs over two hyperparameters.

    Attributes:
        names: The two swept names (rows, columns).
        values: Their values, two 1-D arrays.
        final_loss: ``f(x_T)`` per cell, NaN where diverged.
        steps_to_tol: First step with ``f - f* ≤ tol`` (-1 if never, or no known minimum).
        diverged: Boolean mask.
        final_xy: Final point per cell, ``(n1, n2, 2)``.
    """

    names: tuple[str, str]
    values: tuple[np.ndarray, np.ndarray]
    final_loss: np.ndarray
    steps_to_tol: np.ndarray
    diverged: np.ndarray
    final_xy: np.ndarray


# ----------------------------------------------------------------------------- one step


def bucket(steps: int) -> int:
    """Returns the compiled run length used for ``steps`` steps."""
    if not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be between 1 and {MAX_STEPS}, got {steps}")
    return STEP_BUCKETS[bisect.bisect_left(STEP_BUCKETS, steps)]  # the first bucket ≥ steps


def clip_gradient(g, kind: str | None, max_value):
    """Clips a gradient by value (每个分量截断到 [-b, b]) or by norm (按模截断)."""
    if kind is None:
        return g
    if kind == "value":
        return jnp.clip(g, -max_value, max_value)  # g = max(min(g, b), -b)
    norm = jnp.sqrt(jnp.sum(g * g))  # ‖g‖
    scale = jnp.where(norm > max_value, max_value / jnp.maximum(norm, 1e-30), 1.0)
    return g * scale  # g = b g / ‖g‖ when ‖g‖ > b


def _far(x, bounds):
    """True where ``x`` is more than ``FAR`` window sizes outside the bounds."""
    (x0, x1), (y0, y1) = bounds
    wx, wy = FAR * (x1 - x0), FAR * (y1 - y0)
    return (
        (x[..., 0] < x0 - wx)
        | (x[..., 0] > x1 + wx)
        | (x[..., 1] < y0 - wy)
        | (x[..., 1] > y1 + wy)
    )


def _bad(x, loss, bounds):
    """A point is bad when it or its loss is not finite, or it left the window far behind."""
    finite = jnp.all(jnp.isfinite(x), axis=-1) & jnp.isfinite(loss)
    return ~finite | _far(x, bounds)


def _knob_reader(knobs):
    """The knobs stacked into one vector, and a function that reads them back by name."""
    names = tuple(knobs)
    vector = jnp.stack([jnp.asarray(knobs[name], jnp.float32) for name in names])
    return vector, lambda v: {name: v[i] for i, name in enumerate(names)}


def _split(knobs, opt: Optimizer):
    """(hyperparameters, surface coefficients) among the knobs."""
    hp = {name: knobs[name] for name in opt.names}
    coeffs = {k[8:]: v for k, v in knobs.items() if k.startswith("surface.")}
    return hp, coeffs


def _make_step(
    opt: Optimizer, surface: Surface, clip: str | None, knobs, *, opaque: bool, batch=None
):
    """Builds the scan body for one run; ``knobs`` holds every traced float.

    The body receives, per step, the learning rate η_t and the noise ξ_t, both computed for all
    steps at once before the loop (see ``_per_step_inputs``), so the loop itself is only
    gradient → noise → clipping → update.

    With ``opaque`` the knobs travel in the loop's carry as one vector behind an optimization
    barrier, and the body reads them from it, so XLA cannot hoist the reads out of the loop as
    a dozen loop-invariant scalars, which made a single run's CPU loop about 2x slower (the
    compiled 500-step Adam run: 117 µs hoisted, 59 µs read in the body). Batched runs
    (``vmap``) are the other way round, faster with the knobs as plain loop invariants, so
    they pass ``opaque=False`` and carry nothing extra.

    With ``batch`` (a data surface's mini-batch bucket, see ``batch_bucket``) each step's
    inputs also hold ``rows``, the indices of that step's mini-batch, and the optimizer gets
    the mini-batch gradient instead of the full one (the recorded ``grad`` stays the full one).

    Returns:
        ``(f, hp, step, extra)``: the surface and the hyperparameters for use outside the
        loop, the body (carry ``(x, state, extra)``), and ``extra``, the start of the carry's
        third part: the knob vector with ``opaque``, else ``()``.
    """
    hp, coeffs = _split(knobs, opt)
    vector, read = _knob_reader(knobs) if opaque else ((), None)

    def f(x):
        return surface.fn(x, coeffs)

    def step(carry, inputs):
        x, state, vec = carry
        if opaque:  # the knobs, read inside the loop from the carried vector
            vec = jax.lax.optimization_barrier(vec)
            inner = read(vec)
        else:  # the knobs as loop invariants (XLA hoists them; best under vmap)
            inner = knobs
        hp_in, coeffs_in = _split(inner, opt)

        def f_in(p):
            return surface.fn(p, coeffs_in)

        loss, g = jax.value_and_grad(f_in)(x)  # f(x_{t-1}), ∇f(x_{t-1})
        if batch is None:
            noisy = g + inputs["xi"]  # g_t + σ ξ_t: the mini-batch model
        else:
            g_batch = _batch_gradient(surface, x, inputs["rows"], inner["batch_size"], coeffs_in)
            noisy = g_batch + inputs["xi"]  # a real mini-batch's gradient (+ any model noise)
        used = clip_gradient(noisy, clip, inner["clip_max"])  # optional clipping
        hp_t = {**hp_in, "lr": inputs["lr"]}  # η_t from the schedule
        hess = jax.hessian(f_in)(x) if opt.needs_hessian else None
        delta, state = opt.update(used, state, hp_t, x, hess)
        record = {
            "x": x,
            "loss": loss,
            "grad": g,
            "grad_used": used,
            "update": delta,
            "state": state,
        }
        return (x + delta, state, vec), record

    return f, hp, step, vector  # vector: () unless opaque


def _batch_gradient(surface, x, rows, batch_size, coeffs):
    r"""The gradient of the mini-batch loss :math:`\frac1K \sum_{i \in \mathcal B_t} \ell^{(i)}`.

    ``rows`` holds the bucket's Kb row indices; only the first K (= ``batch_size``, traced)
    count, each with weight 1/K, so any K up to the bucket reuses one compiled program.
    """
    slots = jnp.arange(rows.shape[0])
    weights = jnp.where(slots < batch_size, 1.0 / batch_size, 0.0)  # ω_j = 1/K for j < K
    table = jnp.asarray(surface.rows)[rows]  # the batch's rows (a₁, a₂, y)
    return jax.grad(surface.batch_loss)(x, table, weights, coeffs)  # ∇ of the batch's loss


def _shuffles(key, epochs: int, n: int):
    """``epochs`` random orders of the rows 0 … n−1, ``(epochs, n)`` int32.

    Each row's index rides in the low bits of a random 32-bit key, and one plain sort of the
    keys orders the rows at random: 2.7x faster on the CPU than ``jax.random.permutation``
    (which sorts index arrays beside its keys, several rounds). Rows whose random high bits
    tie keep their index order: 32 − ⌈log₂ m⌉ random bits a row, so a pair ties with chance
    2⁻²³ for m ≤ 512 (2⁻²⁰ for m ≤ 4096).
    """
    width = max(1, (n - 1).bit_length())  # bits for an index
    noise = jax.random.bits(key, (epochs, n), jnp.uint32)
    keyed = (noise >> width << width) | jnp.arange(n, dtype=jnp.uint32)  # random | index
    ordered = jax.lax.sort(keyed, dimension=1, is_stable=False)
    return (ordered & ((1 << width) - 1)).astype(jnp.int32)  # the indices, shuffled


def _batch_rows(key, batch_size, n: int, bucket_size: int, length: int):
    """Row indices ``(length, bucket_size)`` of every step's mini-batch (小批量).

    Real mini-batch SGD as in the notes: each epoch (轮) shuffles the m rows once and cuts them
    into ⌊m/K⌋ batches of K rows (the last, short batch is dropped); step t takes batch
    t mod ⌊m/K⌋ of epoch ⌊t/⌊m/K⌋⌋. Slots past K are filled with valid indices and weighted 0.
    """
    k = batch_size.astype(jnp.int32)  # K, traced
    per_epoch = n // k  # ⌊m/K⌋ batches an epoch
    epochs = min(length, -(-length // max(1, n // bucket_size)))  # enough for any K ≤ bucket
    orders = _shuffles(key, epochs, n)  # one shuffle an epoch
    t = jnp.arange(length)
    epoch, index = t // per_epoch, t % per_epoch  # which epoch, which batch in it
    slot = index[:, None] * k + jnp.arange(bucket_size)[None, :]  # position in the shuffle
    return orders[epoch[:, None], jnp.minimum(slot, n - 1)]


def _scan_packed(step, carry, inputs):
    """``lax.scan`` whose per-step record is packed into one float32 row.

    One stacked output instead of one per record entry makes the compiled loop several times
    faster on the CPU; the rows are unpacked after the loop.
    """
    first = jax.tree.map(lambda a: a[0], inputs)
    unravel = ravel_pytree(step(carry, first)[1])[1]  # layout of one record (dead code)

    def body(c, x):
        c, record = step(c, x)
        return c, ravel_pytree(record)[0]

    carry, rows = jax.lax.scan(body, carry, inputs)
    return carry, jax.vmap(unravel)(rows)


def _per_step_inputs(knobs, schedule: str, length: int, surface=None, batch=None):
    """Learning rate η_t of every step and the scaled noise σ ξ_t, vectorised over t.

    With ``batch`` also ``rows``, the row indices of every step's mini-batch of ``surface``.
    """
    sched = {k[9:]: v for k, v in knobs.items() if k.startswith("schedule.")}
    t = jnp.arange(length, dtype=jnp.float32)  # 0-based step index
    lr = schedules_mod.learning_rate(schedule, t, knobs["lr"], sched)  # η_t
    key = jax.random.PRNGKey(knobs["seed"].astype(jnp.uint32))
    draw = jax.vmap(lambda i: jax.random.normal(jax.random.fold_in(key, i), (2,)))
    steps = jnp.arange(length)
    xi = jax.lax.cond(  # σ ξ_t, the same for any run length; skipped when σ = 0
        knobs["noise"] > 0,
        lambda: knobs["noise"] * draw(steps),
        lambda: jnp.zeros((length, 2), jnp.float32),
    )
    if batch is None:
        return {"lr": lr, "xi": xi}
    batch_key = jax.random.fold_in(key, BATCH_STREAM)  # its own stream: noise leaves it alone
    rows = _batch_rows(batch_key, knobs["batch_size"], surface.n_rows, batch, length)
    return {"lr": lr, "xi": xi, "rows": rows}


STATIC = ("optimizer", "surface", "schedule", "clip", "length", "batch")


def _scan_run_impl(
    start, knobs, *, optimizer, surface, schedule, clip, length, batched=False, batch=None
):
    """Runs ``length`` steps and returns every per-step record (``batched`` under ``vmap``)."""
    opt = get_optimizer(optimizer)
    f, hp, step, extra = _make_step(opt, surface, clip, knobs, opaque=not batched, batch=batch)
    inputs = _per_step_inputs(knobs, schedule, length, surface, batch)
    x0 = start.astype(jnp.float32)
    state0 = opt.init(x0)
    (x_last, _, _), rec = _scan_packed(step, (x0, state0, extra), inputs)
    loss_last, grad_last = jax.value_and_grad(f)(x_last)
    xy = jnp.concatenate([rec["x"], x_last[None]])  # x_0 ... x_T
    loss = jnp.concatenate([rec["loss"], loss_last[None]])  # f(x_0) ... f(x_T)
    states = jax.tree.map(lambda a, b: jnp.concatenate([a[None], b]), state0, rec["state"])
    lrs = jnp.concatenate([inputs["lr"][:1], inputs["lr"]])  # η used to reach each state
    observed = jax.vmap(lambda s, lr: opt.observe(s, {**hp, "lr": lr}))(states, lrs)
    return {
        "xy": xy,
        "loss": loss,
        "grad": jnp.concatenate([rec["grad"], grad_last[None]]),
        "grad_used": rec["grad_used"],
        "update": rec["update"],
        "lr": inputs["lr"],
        "state": observed,
        "bad": _bad(xy, loss, surface.bounds),
    }


def _pack(out, length: int):
    """Packs every output leaf into one float32 matrix of ``length + 1`` rows (one transfer)."""
    columns = []
    for leaf in jax.tree.leaves(out):
        a = leaf.astype(jnp.float32).reshape(leaf.shape[0], -1)
        if a.shape[0] == length:  # per-step arrays get a NaN row to line up with the points
            a = jnp.concatenate([a, jnp.full((1, a.shape[1]), jnp.nan, jnp.float32)])
        columns.append(a)
    return jnp.concatenate(columns, axis=1)


@functools.partial(jax.jit, static_argnums=1)
def _scan_run(values, plan: _Plan):
    """``_scan_run_impl`` with one float32 input vector and the result as one matrix.

    ``values`` is the start ``(x, y)`` followed by the knobs in the order of ``plan.names``:
    one input to hand over instead of two (~3 µs a call). The plan is the one static
    argument (hashed once when it is made; ~4 µs a call less than six static keywords).
    """
    knobs = {name: values[2 + i] for i, name in enumerate(plan.names)}
    return _pack(_single_run(values[:2], knobs, **plan.static), plan.static["length"])


def _single_run(start, knobs, **static):
    """``_scan_run_impl`` of one run, plus ``went_bad``: 1.0 in every row if any point is bad.

    A whole column for one flag, so the caller reads one cell of it instead of scanning the
    ``bad`` column, a strided view of the packed matrix (~4 µs of a 100 µs run); batched runs
    do without it.
    """
    out = _scan_run_impl(start, knobs, **static)
    went_bad = jnp.max(out["bad"].astype(jnp.float32))  # any point of the bucket's steps
    return {**out, "went_bad": jnp.broadcast_to(went_bad, out["bad"].shape)}


def _layout(names, optimizer, surface, schedule, clip, length, batch=None):
    """Tree structure of ``_scan_run``'s result and, per leaf, where it sits in the matrix.

    Computed once per ``_Plan`` (``_Plan.layout`` keeps it).

    Returns:
        ``(treedef, spans, bad_column)``. Each span is ``(first column, last column + 1,
        per point?, shape after the first axis)``; a per-point leaf has ``length + 1`` rows, a
        per-step leaf ``length``. ``bad_column`` holds 1.0 at every bad point.
    """
    knobs = {name: jax.ShapeDtypeStruct((), jnp.float32) for name in names}
    shapes = jax.eval_shape(
        functools.partial(
            _single_run,
            optimizer=optimizer,
            surface=surface,
            schedule=schedule,
            clip=clip,
            length=length,
            **({} if batch is None else {"batch": batch}),
        ),
        jax.ShapeDtypeStruct((2,), jnp.float32),
        knobs,
    )
    leaves, treedef = jax.tree.flatten(shapes)
    spans, col = [], 0
    for leaf in leaves:
        width = int(np.prod(leaf.shape[1:], dtype=int))
        spans.append((col, col + width, leaf.shape[0] == length + 1, leaf.shape[1:]))
        col += width
    bad_column = spans[treedef.unflatten(range(len(leaves)))["bad"]][0]
    return treedef, tuple(spans), bad_column


def _cuts(spans, steps: int):
    """Per leaf, the index into the packed matrix and the shape to give it (or ``None``).

    Per-point leaves get ``steps + 1`` rows, per-step leaves ``steps``.
    """
    cuts = []
    for a, b, per_point, tail in spans:
        rows = steps + 1 if per_point else steps
        if not tail:  # one number per row
            cuts.append(((slice(rows), a), None))
        else:  # a vector per row, e.g. a point, or a matrix (reshaped)
            cuts.append(((slice(rows), slice(a, b)), None if len(tail) == 1 else (rows, *tail)))
    return tuple(cuts)


def _cut(packed, cuts):
    """The leaves of a packed matrix, as views of it (``cuts`` from ``_cuts``)."""
    return [
        packed[index] if shape is None else packed[index].reshape(shape) for index, shape in cuts
    ]


def _call_run(plan: _Plan, start, numbers, steps: int):
    """Runs ``_scan_run`` and unpacks its matrix into the dict ``_scan_run_impl`` returns.

    The arrays are cut to ``steps``: per-point arrays get ``steps + 1`` rows, per-step arrays
    ``steps``. Every array is a read-only view of one float32 matrix (``bad`` is 1.0 where
    True). A run that went bad is cut at its first bad point k: the per-point rows from k on
    are NaN.

    Returns:
        ``(arrays, k, reason)``: k and the reason (``"non-finite"`` or ``"left the window"``)
        are ``None`` for a run that never went bad.
    """
    if len(numbers) != len(plan.names):  # jnp indexing would clamp, not fail
        raise RuntimeError(f"{len(numbers)} knob values for {len(plan.names)} knob names")
    values = np.array([*start, *numbers], np.float32)
    packed = np.asarray(_scan_run(values, plan))  # a view, no copy
    treedef, spans, bad_column = plan.layout()
    cuts = plan.cuts(steps)
    out = jax.tree.unflatten(treedef, _cut(packed, cuts))
    if out.pop("went_bad")[0] == 0:  # no point went bad (see _single_run)
        return out, None, None
    k = int(out["bad"].argmax())  # the first bad point, if any is bad in the first ``steps``
    if out["bad"][k] == 0:
        return out, None, None
    finite = np.isfinite(out["loss"][k]) and np.isfinite(out["xy"][k]).all()
    packed = packed.copy()  # the path ends at the last good point
    for a, b, per_point, _ in spans:
        if per_point and a != bad_column:
            packed[k:, a:b] = np.nan
    packed.flags.writeable = False
    out = jax.tree.unflatten(treedef, _cut(packed, cuts))
    del out["went_bad"]
    return out, k, "left the window" if finite else "non-finite"


@functools.partial(jax.jit, static_argnames=STATIC)
def _run_batched(starts, knobs, **static):
    """Many runs at once: every argument has a leading batch axis."""
    return jax.vmap(functools.partial(_scan_run_impl, batched=True, **static))(starts, knobs)


def _scan_summary(start, knobs, *, optimizer, surface, schedule, clip, length, batch=None):
    """Runs one configuration keeping only summaries: final loss, first step under tol, diverged.

    ``length`` is the exact number of steps here (sweeps compile per step count), so the loop
    carries no masking; point t is judged when step t+1 evaluates f and ∇f there anyway.
    """
    opt = get_optimizer(optimizer)
    f, _, step, extra = _make_step(opt, surface, clip, knobs, opaque=False, batch=batch)
    inputs = {**_per_step_inputs(knobs, schedule, length, surface, batch), "t": jnp.arange(length)}
    x0 = start.astype(jnp.float32)

    def judge(x, fx, t, bad, hit):
        """Updates the diverged flag and the first step with f(x_t) - f* ≤ tol."""
        bad = bad | _bad(x, fx, surface.bounds)  # diverged at or before t
        reached = (fx - knobs["fstar"] <= knobs["tol"]) & ~bad  # f(x_t) - f* ≤ tol
        return bad, jnp.where((hit < 0) & reached, t, hit)

    def body(carry, inputs):
        inner, bad, hit = carry
        inner, record = step(inner, inputs)  # evaluates f(x_t) on the way
        bad, hit = judge(record["x"], record["loss"], inputs["t"], bad, hit)
        return (inner, bad, hit), None

    init = ((x0, opt.init(x0), extra), jnp.bool_(False), jnp.int32(-1))
    ((x, _, _), bad, hit), _ = jax.lax.scan(body, init, inputs)
    fx = f(x)
    bad, hit = judge(x, fx, length, bad, hit)  # the final point x_T
    return {"final_loss": jnp.where(bad, jnp.nan, fx), "hit": hit, "bad": bad, "xy": x}


@functools.partial(jax.jit, static_argnames=(*STATIC, "swept"))
def _sweep(start, knobs, *, swept, **static):
    """A grid of summaries: only the ``swept`` knobs have a leading cell axis."""
    axes = {name: 0 if name in swept else None for name in knobs}
    summary = functools.partial(_scan_summary, **static)
    return jax.vmap(summary, in_axes=(None, axes))(start, knobs)


# ----------------------------------------------------------------------------- public API


_TAIL = ("noise", "seed", "clip_max", "fstar", "tol", "steps")  # the knobs after the groups


class _Plan:
    """What stays fixed while the sliders move: the static arguments and the knob names.

    One plan per (optimizer, surface, schedule kind, clipping kind, step bucket), shared by
    every call with those (``_plan`` caches them), so a run looks nothing up by name.
    """

    __slots__ = ("_cuts", "_hash", "_layout", "names", "static")

    def __init__(self, names: tuple[str, ...], static: dict[str, Any]):
        self.names = names  # knob order: hyperparameters, schedule, surface, then _TAIL
        self.static = types.MappingProxyType(static)  # read-only: it is hashed once, here
        self._hash = hash((names, *static.items()))
        self._layout = None
        self._cuts = {}

    def __hash__(self) -> int:
        """Hash of the names and static arguments (``_scan_run``'s static argument)."""
        return self._hash

    def __eq__(self, other: object) -> bool:
        """Plans are equal when their names and static arguments are."""
        if self is other:
            return True
        if not isinstance(other, _Plan):
            return NotImplemented
        return (self.names, self.static) == (other.names, other.static)

    def layout(self):
        """``_layout`` of this plan's single-run program, computed on first use."""
        if self._layout is None:
            self._layout = _layout(self.names, **self.static)
        return self._layout

    def cuts(self, steps: int):
        """``_cuts`` of this plan's layout for a run of ``steps`` steps, computed once."""
        if steps not in self._cuts:
            self._cuts[steps] = _cuts(self.layout()[1], steps)
        return self._cuts[steps]


@functools.lru_cache(maxsize=512)
def _plan(
    optimizer: str, surface: Surface, kind: str, clip: str | None, length: int, batch=None
) -> _Plan:
    """The plan of one configuration (see ``_Plan``); ``batch`` is a mini-batch bucket or None.

    A run with mini-batches has one knob more, ``batch_size`` (K, traced), and the static
    ``batch`` (its bucket); every other plan is exactly as it was without them.
    """
    names = (
        *get_optimizer(optimizer).defaults(),
        *_prefixed("schedule.", tuple(schedules_mod.resolve(kind, None, 1))),
        *_prefixed("surface.", tuple(surface.default_params())),
        *_TAIL,
        *(() if batch is None else ("batch_size",)),
    )
    static = {"optimizer": optimizer, "surface": surface, "schedule": kind, "clip": clip}
    extra = {} if batch is None else {"batch": batch}
    return _Plan(names, {**static, "length": length, **extra})


def batch_bucket(surface: Surface, batch_size: int) -> int:
    """The compiled mini-batch width for K rows: the smallest power of two ≥ K (at most m).

    Any K up to the bucket reuses one compiled program (K itself is traced), so a K slider
    compiles once per bucket (1, 2, 4, 8, …) and never for a move inside one.
    """
    rows = getattr(surface, "rows", None)
    if rows is None or not hasattr(surface, "batch_loss"):
        raise ValueError(
            f"batch_size needs a data surface (optviz.data_surface); {surface.key!r} has no rows"
        )
    n = len(rows)
    k = int(batch_size)
    if k != batch_size or not 1 <= k <= n:
        raise ValueError(f"batch_size must be a whole number from 1 to {n}, got {batch_size}")
    return min(n, 1 << (k - 1).bit_length())  # 1, 2, 4, 8, … capped at m


def _resolve_numbers(
    optimizer,
    surface,
    start,
    steps,
    hparams,
    schedule,
    noise,
    seed,
    clip,
    surface_params,
    tol=1e-3,
    batch_size=None,
):
    """Validates the public arguments.

    Returns:
        ``(plan, numbers, start, steps, hp)``: the ``_Plan``, the value of every knob in the
        order of ``plan.names``, the start as two floats, the number of steps
        and the optimizer's hyperparameters (defaults filled in).
    """
    opt = get_optimizer(optimizer)
    surf = get_surface(surface)
    steps = int(steps)
    length = bucket(steps)
    hp = opt.resolve(hparams)
    schedule = dict(schedule or {"kind": "constant"})
    kind = schedule.pop("kind", "constant")
    if kind not in schedules_mod.SCHEDULES:
        raise KeyError(
            f"unknown schedule {kind!r}; choose one of: {', '.join(schedules_mod.SCHEDULES)}"
        )
    sched = schedules_mod.resolve(kind, schedule, schedule.get("total_steps", steps))
    clip_kind, clip_max = None, math.inf
    if clip:
        clip_kind, clip_max = clip.get("kind"), float(clip.get("max", 1.0))
        if clip_kind not in CLIP_KINDS:
            raise KeyError(f"unknown clipping {clip_kind!r}; use 'value' or 'norm'")
    coeffs = surf.resolve_params(surface_params)
    start = _start_point(surf, start)
    numbers = [
        *hp.values(),  # flags (True / False) count as 1.0 / 0.0
        *sched.values(),
        *coeffs.values(),
        float(noise),
        float(seed),
        clip_max,
        lowest_minimum(surf, tuple(sorted(coeffs.items()))),
        float(tol),
        float(steps),
    ]
    batch = None
    if batch_size is not None:
        batch = batch_bucket(surf, batch_size)
        numbers.append(float(batch_size))  # K, the knob after the tail
    return _plan(opt.key, surf, kind, clip_kind, length, batch), numbers, start, steps, hp


def _start_point(surf: Surface, start) -> tuple[float, float]:
    """The start as two floats (the surface's own for ``None``); anything but one point raises.

    A tuple or list of two numbers, the usual case, is read without building an array (~2 µs
    of a run); anything else (arrays, a DataFrame, ...) goes through numpy.
    """
    if start is None:
        start = surf.start
    if type(start) in (tuple, list) and len(start) == 2:
        try:
            return float(start[0]), float(start[1])
        except (TypeError, ValueError):
            pass  # not two numbers: numpy decides
    point = np.asarray(start, np.float64)
    if point.size != 2:
        raise ValueError(f"start must be one point (x, y), got an array of shape {point.shape}")
    x, y = point.reshape(2).tolist()
    return x, y


def _resolve(*args, **kwargs):
    """``_resolve_numbers`` for the batched runners: (static kwargs, knobs dict, start, ...).

    The static kwargs are a fresh dict (``sweep`` changes its length); the knobs map each
    name to a float; the start is a float32 ``(2,)`` array.
    """
    plan, numbers, start, steps, hp = _resolve_numbers(*args, **kwargs)
    knobs = {name: float(value) for name, value in zip(plan.names, numbers, strict=True)}
    return dict(plan.static), knobs, np.asarray(start, np.float32), steps, hp


@functools.lru_cache(maxsize=256)
def _prefixed(prefix: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """The knob names of a group of parameters, e.g. ``schedule.decay``."""
    return tuple(prefix + name for name in names)


@functools.lru_cache(maxsize=1024)
def lowest_minimum(surface: Surface, coeffs: tuple[tuple[str, float], ...]) -> float:
    """f* = the lowest value of ``surface`` over its known minima (-inf when it lists none)."""
    minima = surface.minima_at(dict(coeffs))  # a data surface's minimum moves with λ
    if not minima:
        return -math.inf
    values = _evaluate(np.asarray(minima, np.float32).T, _as_f32(dict(coeffs)), surface=surface)
    return float(np.min(values))


@functools.partial(jax.jit, static_argnames="surface")
def _evaluate(points, coeffs, *, surface):
    """Surface values at ``points`` (shape ``(2, ...)``), one compiled call."""
    return surface.fn(points, coeffs)


def _as_f32(knobs: Mapping[str, float]) -> dict[str, np.ndarray]:
    """Casts every knob to a float32 numpy scalar (one dtype: no retrace from int vs float)."""
    return {k: np.float32(v) for k, v in knobs.items()}


def _broadcast(knobs: Mapping[str, float], n: int) -> dict[str, np.ndarray]:
    """Repeats every knob n times (float32), for the vmapped runners."""
    return {k: np.full(n, v, np.float32) for k, v in knobs.items()}


def run(
    optimizer: str = "adam",
    surface: str | Surface = "rosenbrock",
    start: Sequence[float] | None = None,
    steps: int = 200,
    hparams: Mapping[str, Any] | None = None,
    schedule: Mapping[str, Any] | None = None,
    noise: float = 0.0,
    seed: int = 0,
    clip: Mapping[str, Any] | None = None,
    surface_params: Mapping[str, float] | None = None,
    batch_size: int | None = None,
) -> Trajectory:
    """Runs one optimizer on one surface.

    Args:
        optimizer: A key of ``optviz.OPTIMIZERS``.
        surface: A key of ``optviz.SURFACES`` or a ``Surface`` (e.g. from ``compile_formula``).
        start: Start point ``(x, y)``; ``None`` takes the surface's default start.
        steps: Number of steps, 1 to ``MAX_STEPS``.
        hparams: Hyperparameters by name; missing ones take the optimizer's defaults.
        schedule: ``{"kind": ..., **params}`` (see ``optviz.SCHEDULES``); ``None`` is constant.
        noise: Standard deviation of the Gaussian gradient noise (the mini-batch model).
        seed: PRNG seed of the noise.
        clip: ``{"kind": "value" | "norm", "max": b}`` or ``None``.
        surface_params: Surface parameters, e.g. ``{"kappa": 20.0, "angle": 30.0}``.
        batch_size: On a data surface (``optviz.data_surface``), the mini-batch size K: each
            step's gradient is that of K real rows (shuffled each epoch with ``seed``; same
            seed, same path). ``None`` is the full batch. Compiles once per bucket of K
            (``batch_bucket``); K itself is traced.

    Returns:
        A ``Trajectory``; a run that blows up is cut at ``diverged_at`` (not an error).
    """
    plan, numbers, start, steps, hp = _resolve_numbers(
        optimizer,
        surface,
        start,
        steps,
        hparams,
        schedule,
        noise,
        seed,
        clip,
        surface_params,
        batch_size=batch_size,
    )
    return _trajectory(*_call_run(plan, start, numbers, steps), plan.static, hp)


def _trajectory(out, diverged_at, reason, static, hp) -> Trajectory:
    """Builds a ``Trajectory`` from ``_call_run``'s arrays (already cut at ``diverged_at``).

    The fields go into the new instance's ``__dict__`` at once: a frozen dataclass's
    ``__init__`` sets them one by one through ``object.__setattr__`` (~3 of a run's ~100 µs).
    """
    traj = object.__new__(Trajectory)
    traj.__dict__.update(
        xy=out["xy"],
        loss=out["loss"],
        grad=out["grad"],
        grad_used=out["grad_used"],
        update=out["update"],
        lr=out["lr"],
        state=out["state"],
        diverged_at=diverged_at,
        diverged_reason=reason,
        optimizer=static["optimizer"],
        surface=static["surface"].key,
        hparams=hp,
    )
    return traj


def _batch(out, steps) -> Batch:
    """Slices a padded batched result and cuts every run at its first bad point."""
    n = steps + 1
    bad = np.asarray(out["bad"][:, :n])
    first = np.where(bad.any(axis=1), bad.argmax(axis=1), -1)
    after = np.arange(n)[None, :] >= np.where(first < 0, n, first)[:, None]  # points to blank
    xy = np.where(after[..., None], np.nan, np.asarray(out["xy"][:, :n], np.float64))
    loss = np.where(after, np.nan, np.asarray(out["loss"][:, :n], np.float64))
    grad = np.where(after[..., None], np.nan, np.asarray(out["grad"][:, :n], np.float64))
    state = {
        k: np.where(after[..., None], np.nan, np.asarray(v[:, :n], np.float64))
        for k, v in out["state"].items()
    }
    lr = np.asarray(out["lr"][:, :steps], np.float64)
    return Batch(xy=xy, loss=loss, grad=grad, lr=lr, state=state, diverged_at=first)


def run_many(
    optimizer: str = "adam",
    surface: str | Surface = "rosenbrock",
    starts: Any = None,
    steps: int = 200,
    hparams: Mapping[str, Any] | None = None,
    schedule: Mapping[str, Any] | None = None,
    noise: float = 0.0,
    seed: int = 0,
    clip: Mapping[str, Any] | None = None,
    surface_params: Mapping[str, float] | None = None,
    batch_size: int | None = None,
) -> Batch:
    """Runs the same configuration from many start points at once (``jax.vmap``).

    Args:
        optimizer: As in ``run``.
        surface: As in ``run``.
        starts: Array ``(n, 2)`` of start points.
        steps: As in ``run``.
        hparams: As in ``run``.
        schedule: As in ``run``.
        noise: As in ``run`` (every start gets the same noise sequence).
        seed: As in ``run``.
        clip: As in ``run``.
        surface_params: As in ``run``.
        batch_size: As in ``run`` (every start gets the same mini-batches).

    Returns:
        A ``Batch`` with a leading axis of length n.
    """
    starts = np.asarray(starts, np.float32).reshape(-1, 2)
    static, knobs, _, steps, _ = _resolve(
        optimizer,
        surface,
        None,
        steps,
        hparams,
        schedule,
        noise,
        seed,
        clip,
        surface_params,
        batch_size=batch_size,
    )
    out = jax.device_get(_run_batched(starts, _broadcast(knobs, len(starts)), **static))
    return _batch(out, steps)


def run_seeds(
    optimizer: str = "sgd",
    surface: str | Surface = "saddle",
    start: Sequence[float] | None = None,
    steps: int = 200,
    hparams: Mapping[str, Any] | None = None,
    schedule: Mapping[str, Any] | None = None,
    noise: float = 0.1,
    seed: int = 0,
    seeds: int = 64,
    clip: Mapping[str, Any] | None = None,
    surface_params: Mapping[str, float] | None = None,
    batch_size: int | None = None,
) -> Batch:
    """Runs ``seeds`` noisy copies of one configuration (seeds ``seed``, ``seed+1``, ...).

    Args:
        optimizer: As in ``run``.
        surface: As in ``run``.
        start: As in ``run``.
        steps: As in ``run``.
        hparams: As in ``run``.
        schedule: As in ``run``.
        noise: Gradient-noise standard deviation (the cloud is only a cloud if this is > 0).
        seed: First seed.
        seeds: Number of runs.
        clip: As in ``run``.
        surface_params: As in ``run``.
        batch_size: As in ``run``: a cloud of real mini-batch runs, each seed drawing its own
            batches (with ``noise=0`` the batches are the only noise).

    Returns:
        A ``Batch`` with a leading axis of length ``seeds``.
    """
    static, knobs, start_arr, steps, _ = _resolve(
        optimizer,
        surface,
        start,
        steps,
        hparams,
        schedule,
        noise,
        seed,
        clip,
        surface_params,
        batch_size=batch_size,
    )
    knobs = _broadcast(knobs, int(seeds))
    knobs["seed"] = (np.arange(int(seeds)) + int(seed)).astype(np.float32)  # one seed per run
    starts = np.broadcast_to(start_arr, (int(seeds), 2))
    out = jax.device_get(_run_batched(starts, knobs, **static))
    return _batch(out, steps)


def run_family(
    optimizer: str = "adam",
    surface: str | Surface = "rosenbrock",
    start: Sequence[float] | None = None,
    steps: int = 200,
    hparams: Mapping[str, Any] | None = None,
    schedule: Mapping[str, Any] | None = None,
    noise: float = 0.0,
    seed: int = 0,
    clip: Mapping[str, Any] | None = None,
    surface_params: Mapping[str, float] | None = None,
    batch_size: int | None = None,
    *,
    name: str = "lr",
    values: Sequence[float] = (),
) -> Batch:
    """One configuration run at every value of one hyperparameter, in one vmapped call.

    A slider's whole family of paths (its every position) at once, so a page can draw the
    path under a dragged slider without asking the server (``optviz.ui.live_chart``). Run i
    is ``run(..., hparams={**hparams, name: values[i]})`` to float32 precision (one batched
    program instead of the single-run one). It compiles once per
    configuration and number of values; every float stays traced.

    Args:
        optimizer: As in ``run``.
        surface: As in ``run``.
        start: As in ``run``.
        steps: As in ``run``.
        hparams: As in ``run``; ``name`` among them is replaced by each of ``values``.
        schedule: As in ``run``.
        noise: As in ``run`` (every run gets the same noise).
        seed: As in ``run``.
        clip: As in ``run``.
        surface_params: As in ``run``.
        batch_size: As in ``run`` (every run gets the same mini-batches).
        name: The hyperparameter that varies (``"lr"``, ``"momentum"``, ``"beta1"``, …).
        values: Its values, one run each.

    Returns:
        A ``Batch`` with a leading axis of ``len(values)``.
    """
    opt = get_optimizer(optimizer)
    if name not in opt.names:
        raise KeyError(f"{opt.key} has no hyperparameter {name!r}; it has: {opt.names}")
    values = np.asarray(values, np.float32).ravel()
    if not len(values):
        raise ValueError("values must hold at least one value")
    static, knobs, start_arr, steps, _ = _resolve(
        optimizer,
        surface,
        start,
        steps,
        hparams,
        schedule,
        noise,
        seed,
        clip,
        surface_params,
        batch_size=batch_size,
    )
    cells = _broadcast(knobs, len(values))
    cells[name] = values  # one value per run
    starts = np.broadcast_to(start_arr, (len(values), 2))
    out = jax.device_get(_run_batched(starts, cells, **static))
    return _batch(out, steps)


def sweep(
    optimizer: str,
    surface: str | Surface,
    start: Sequence[float] | None = None,
    steps: int = 200,
    grid: Mapping[str, Any] | None = None,
    hparams: Mapping[str, Any] | None = None,
    schedule: Mapping[str, Any] | None = None,
    noise: float = 0.0,
    seed: int = 0,
    clip: Mapping[str, Any] | None = None,
    surface_params: Mapping[str, float] | None = None,
    tol: float = 1e-3,
    batch_size: int | None = None,
) -> SweepResult:
    """Runs a full grid of runs over two hyperparameters in one vmapped, jitted call.

    Args:
        optimizer: As in ``run``.
        surface: As in ``run``.
        start: As in ``run``.
        steps: As in ``run``.
        grid: Two entries ``{name: values}``; names are hyperparameters of the optimizer or
            ``"noise"`` / ``"clip_max"``. The first varies along rows, the second along columns.
        hparams: Fixed hyperparameters (as in ``run``).
        schedule: As in ``run``.
        noise: As in ``run``.
        seed: As in ``run``.
        clip: As in ``run``.
        surface_params: As in ``run``.
        tol: A run "reaches" the minimum at the first step with ``f(x_t) - f* ≤ tol``.
        batch_size: As in ``run``.

    Returns:
        A ``SweepResult`` whose arrays are shaped ``(len(first), len(second))``.
    """
    if not grid or len(grid) != 2:
        raise ValueError("grid needs exactly two entries, e.g. {'lr': [...], 'momentum': [...]}")
    (name1, vals1), (name2, vals2) = (
        (k, np.asarray(v, np.float32).ravel()) for k, v in grid.items()
    )
    static, knobs, start_arr, steps, _ = _resolve(
        optimizer,
        surface,
        start,
        steps,
        hparams,
        schedule,
        noise,
        seed,
        clip,
        surface_params,
        tol,
        batch_size=batch_size,
    )
    for name in (name1, name2):
        if name not in knobs or name in ("seed", "steps", "fstar", "tol", "batch_size"):
            raise KeyError(f"cannot sweep {name!r}; sweepable: {', '.join(sorted(knobs))}")
    a, b = np.meshgrid(vals1, vals2, indexing="ij")
    cells = _as_f32(knobs)
    cells[name1], cells[name2] = a.ravel(), b.ravel()  # the two swept knobs vary per cell
    static["length"] = steps  # exact: no padded steps to mask
    out = jax.device_get(_sweep(start_arr, cells, swept=(name1, name2), **static))
    shape = a.shape
    return SweepResult(
        names=(name1, name2),
        values=(vals1.astype(np.float64), vals2.astype(np.float64)),
        final_loss=np.asarray(out["final_loss"], np.float64).reshape(shape),
        steps_to_tol=np.asarray(out["hit"]).reshape(shape),
        diverged=np.asarray(out["bad"]).reshape(shape),
        final_xy=np.asarray(out["xy"], np.float64).reshape(*shape, 2),
    )


@functools.partial(jax.jit, static_argnames=(*STATIC, "batched"))
def _final_points(starts, knobs, *, batched, **static):
    """Summaries of many runs: the start and the ``batched`` knobs have a leading run axis."""
    axes = {name: 0 if name in batched else None for name in knobs}
    summary = functools.partial(_scan_summary, **static)
    return jax.vmap(summary, in_axes=(0, axes))(starts, knobs)


def final_points(
    optimizer: str,
    surface: str | Surface,
    starts: Any,
    steps: int = 200,
    hparams: Mapping[str, Any] | None = None,
    schedule: Mapping[str, Any] | None = None,
    noise: Any = 0.0,
    seed: int = 0,
    clip: Mapping[str, Any] | None = None,
    surface_params: Mapping[str, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Where many runs end, without keeping their paths (basins of attraction, 吸引域).

    One vmapped, jitted call of the sweep's summary loop over the start points: tens of
    thousands of runs cost about what a sweep of the same size costs. Like ``sweep`` it
    compiles per exact step count (offer a fixed menu); every float stays traced.

    Args:
        optimizer: As in ``run``.
        surface: As in ``run``.
        starts: Array ``(n, 2)`` of start points, one run each.
        steps: Exact number of steps of every run.
        hparams: As in ``run``; a value may also be an array of shape ``(n,)``, one per run.
        schedule: As in ``run``.
        noise: Gradient-noise std, a float or an array ``(n,)`` (one per run).
        seed: Run i uses the seed ``seed + i``, so with noise every run draws its own noise
            (``optviz.run(..., seed=seed + i)`` repeats run i exactly).
        clip: As in ``run``.
        surface_params: As in ``run``.

    Returns:
        ``(final_xy, diverged)``: the last point of every run ``(n, 2)`` (float64; not
        meaningful where diverged) and a boolean ``(n,)``, True where a run left the window
        far behind or became non-finite at any step.
    """
    starts = np.asarray(starts, np.float32).reshape(-1, 2)
    n = len(starts)
    per_run = {
        k: np.asarray(v, np.float32).ravel()
        for k, v in {**(hparams or {}), "noise": noise}.items()
        if np.ndim(v) > 0
    }
    for name, values in per_run.items():
        if len(values) != n:
            raise ValueError(f"{name} has {len(values)} values for {n} start points")
    scalars = {k: v for k, v in (hparams or {}).items() if k not in per_run}
    static, knobs, _, steps, _ = _resolve(
        optimizer,
        surface,
        None,
        steps,
        scalars,
        schedule,
        0.0 if "noise" in per_run else noise,
        seed,
        clip,
        surface_params,
    )
    opt = get_optimizer(optimizer)
    for name in per_run:
        if name != "noise" and name not in opt.names:
            raise KeyError(f"{opt.key} has no hyperparameter {name!r}; it has: {opt.names}")
    cells = _as_f32(knobs)
    cells.update(per_run)  # one value per run
    cells["seed"] = (np.arange(n) + int(seed)).astype(np.float32)  # seed + i for run i
    static["length"] = steps  # exact: no padded steps to mask
    batched = tuple(sorted({*per_run, "seed"}))
    out = jax.device_get(_final_points(starts, cells, batched=batched, **static))
    return np.asarray(out["xy"], np.float64), np.asarray(out["bad"], bool)
