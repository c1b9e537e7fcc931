"""The app's pages, in menu order: one list shared by app.py and the tests."""

from typing import NamedTuple


class PageEntry(NamedTuple):
    """A page of the app."""

    path: str
    title: str
    icon: str
    url_path: str


PAGES: tuple[PageEntry, ...] = (
    PageEntry("pages/playground.py", "Playground", "🏁", "playground"),
    PageEntry("pages/inside.py", "Inside the optimizer", "🔬", "inside"),
    PageEntry("pages/schedules.py", "Learning-rate schedules", "📉", "schedules"),
    PageEntry("pages/noise.py", "Noise, saddles, flat vs sharp", "🎲", "noise"),
    PageEntry("pages/clipping.py", "Exploding gradients and clipping", "✂️", "clipping"),
    PageEntry("pages/regularization.py", "Regularization: L1 vs L2", "🔷", "regularization"),
    PageEntry("pages/conditioning.py", "Conditioning and normalization", "📐", "conditioning"),
    PageEntry("pages/ewma.py", "Exponentially weighted averages", "〰️", "ewma"),
    PageEntry("pages/gradient-check.py", "Gradient checking", "✅", "gradient-check"),
    PageEntry("pages/own-surface.py", "Your own surface", "✏️", "own-surface"),
    PageEntry("pages/sweeps.py", "Sweeps and search", "🗺️", "sweeps"),
)
