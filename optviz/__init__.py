"""optviz: deep-learning optimizers made visible on 2D loss surfaces.

The public API (stable; other tools call it exactly so)::

    import optviz
    traj = optviz.run(optimizer="adam", surface="rosenbrock", start=(-1.5, 2.0), steps=200,
                      hparams={"lr": 0.01}, schedule={"kind": "cosine", "total_steps": 200})
    traj.xy, traj.loss, traj.grad, traj.lr, traj.state, traj.diverged_at

``run_many`` (many starts), ``run_seeds`` (a cloud of noisy runs) and ``sweep`` (a grid over
two hyperparameters) are the vectorised forms. ``data_surface`` turns a real data set of
``DATASETS`` into a surface (``run(..., batch_size=K)`` draws real mini-batches from it), and
``landscape_surface`` slices a trained network's loss through its weights. This package never
imports streamlit.
"""

from optviz.datasets import DATASETS, Dataset
from optviz.datasurface import DataSurface, batch_gradient_std, data_surface, loss_along
from optviz.engine import (
    MAX_STEPS,
    STEP_BUCKETS,
    Batch,
    SweepResult,
    Trajectory,
    final_points,
    run,
    run_family,
    run_many,
    run_seeds,
    sweep,
)
from optviz.formula import FormulaError, compile_formula
from optviz.landscape import NETWORKS, landscape_surface
from optviz.optimizers import OPTIMIZERS, Optimizer, get_optimizer
from optviz.schedules import SCHEDULES, Schedule
from optviz.surfaces import SURFACES, Param, Surface, get_surface

__all__ = [
    "DATASETS",
    "MAX_STEPS",
    "NETWORKS",
    "OPTIMIZERS",
    "SCHEDULES",
    "STEP_BUCKETS",
    "SURFACES",
    "Batch",
    "DataSurface",
    "Dataset",
    "FormulaError",
    "Optimizer",
    "Param",
    "Schedule",
    "Surface",
    "SweepResult",
    "Trajectory",
    "batch_gradient_std",
    "compile_formula",
    "data_surface",
    "final_points",
    "get_optimizer",
    "get_surface",
    "landscape_surface",
    "loss_along",
    "run",
    "run_family",
    "run_many",
    "run_seeds",
    "sweep",
]
