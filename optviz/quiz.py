"""Predict, then reveal: the answers to the playground's quiz questions, from a race table."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

NOBODY = "none of them"
NO_WINNER = "No optimizer got within tolerance of a minimum in these steps."
WINNER = "{winner} got there first, in {steps} steps."
DIVERGED = "Diverged: {names}."
TEMPLATES = (NO_WINNER, WINNER, DIVERGED)
"""Sentence templates of ``verdict`` (the UI translates them)."""


def race_winner(rows: Sequence[Mapping[str, Any]]) -> str:
    """The optimizer that first gets within tolerance of a minimum, or ``NOBODY``.

    Args:
        rows: Rows of ``optviz.plots.race_table`` ("optimizer", "steps to tolerance", ...).

    Returns:
        The winner's name; ties go to the run listed first.
    """
    finished = [r for r in rows if r.get("steps to tolerance") is not None]
    if not finished:
        return NOBODY
    return min(finished, key=lambda r: r["steps to tolerance"])["optimizer"]


def diverging(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Names of the runs that diverged."""
    return [r["optimizer"] for r in rows if r.get("diverged at") is not None]


def verdict(
    guess: str, rows: Sequence[Mapping[str, Any]], tr: Callable[[str], str] = str
) -> tuple[bool, str]:
    """Whether ``guess`` names the winner, and a sentence that explains the result.

    Args:
        guess: The student's answer (an optimizer name or ``NOBODY``).
        rows: The race table.
        tr: Translates the sentence templates (the UI's ``t``); identity by default.

    Returns:
        ``(right, explanation)``.
    """
    winner = race_winner(rows)
    right = guess == winner
    if winner == NOBODY:
        explain = tr(NO_WINNER)
    else:
        steps = next(r["steps to tolerance"] for r in rows if r["optimizer"] == winner)
        explain = tr(WINNER).format(winner=winner, steps=steps)
    gone = diverging(rows)
    if gone:
        explain += " " + tr(DIVERGED).format(names=", ".join(gone))
    return right, explain
