"""Every page of the app draws its charts in a real browser without a Streamlit exception."""

import pytest

from optviz.ui.nav import PAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("entry", PAGES, ids=[p.url_path for p in PAGES])
def test_page_draws(page, server_url, entry, tmp_path):
    page.goto(f"{server_url}/{entry.url_path}")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=180_000)
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("h1").count() >= 1  # every page opens with its title
    page.screenshot(path=str(tmp_path / f"{entry.url_path}.png"), full_page=True)
