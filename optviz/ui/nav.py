"""The app's pages, in menu order: one list shared by app.py and the tests."""

from pathlib import PurePosixPath
from typing import NamedTuple


class PageEntry(NamedTuple):
    """A page of the app; its URL is its file's name."""

    path: str
    title: str
    icon: str

    @property
    def url_path(self) -> str:
        """The page's URL path: the file name without ``.py``.

        Never a name of its own: before app.py has run, Streamlit looks a first URL up among
        the files in pages/ by name, and a page whose URL differed from its file name showed
        a "Page not found" dialog over the right page.
        """
        return PurePosixPath(self.path).stem


PAGES: tuple[PageEntry, ...] = (
    PageEntry("pages/playground.py", "Playground", "🏁"),
    PageEntry("pages/inside.py", "Inside the optimizer", "🔬"),
    PageEntry("pages/schedules.py", "Learning-rate schedules", "📉"),
    PageEntry("pages/noise.py", "Noise, saddles, flat vs sharp", "🎲"),
    PageEntry("pages/clipping.py", "Exploding gradients and clipping", "✂️"),
    PageEntry("pages/regularization.py", "Regularization: L1 vs L2", "🔷"),
    PageEntry("pages/conditioning.py", "Conditioning and normalization", "📐"),
    PageEntry("pages/ewma.py", "Exponentially weighted averages", "〰️"),
    PageEntry("pages/gradient-check.py", "Gradient checking", "✅"),
    PageEntry("pages/own-surface.py", "Your own surface", "✏️"),
    PageEntry("pages/sweeps.py", "Sweeps and search", "🗺️"),
    PageEntry("pages/real-data.py", "Real data: training vs validation", "📊"),
    PageEntry("pages/landscape.py", "A real network's loss landscape", "🏔️"),
)
