"""Every page of the app draws its charts in a real browser without a Streamlit exception."""

import pytest

from optviz.ui.i18n_zh import ZH
from optviz.ui.nav import PAGES

SWEEPS = next(p for p in PAGES if p.url_path == "sweeps")

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("entry", PAGES, ids=[p.url_path for p in PAGES])
def test_page_draws(page, server_url, entry, tmp_path):
    page.goto(f"{server_url}/{entry.url_path}")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=180_000)
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("h1").count() >= 1  # every page opens with its title
    page.screenshot(path=str(tmp_path / f"{entry.url_path}.png"), full_page=True)


def test_a_link_to_a_page_opened_first_on_a_fresh_server_runs_inside_the_app(
    page, fresh_server_url
):
    """Streamlit would run pages/sweeps.py alone (no language, a menu of file names) until a
    session had run app.py; the page reruns itself through app.py instead."""
    page.goto(f"{fresh_server_url}/sweeps?lang=zh")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=180_000)
    menu = page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
    assert not any(item.strip() == "app" for item in menu), menu
    assert any(ZH[SWEEPS.title] in item for item in menu), menu  # app.py's menu, in Chinese
    assert page.get_by_text("Language · 语言").count() == 1
    assert "/sweeps" in page.evaluate("() => window.location.pathname")


@pytest.mark.parametrize("path", ["inside", "gradient-check"])
def test_a_first_link_to_any_page_shows_no_page_not_found(page, fresh_server_url, path):
    """Streamlit looks a first URL up among the files in pages/ before app.py has run; a page
    whose file name differed from its URL got a "Page not found" dialog over the right page."""
    page.goto(f"{fresh_server_url}/{path}")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=180_000)
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator("[data-testid='stException']").count() == 0
    assert f"/{path}" in page.evaluate("() => window.location.pathname")


@pytest.mark.parametrize(
    ("path", "field", "where"),
    [("sweeps", "pick", (0.3, 0.6)), ("gradient-check", "point", (0.7, 0.3))],
    ids=["sweeps map replays a cell", "gradient field moves theta"],
)
def test_a_click_on_a_chart_with_an_invisible_grid_lands(page, server_url, path, field, where):
    """The click targets draw nothing (no markers, no text) yet still take a click: the
    clicked point goes into the page's URL."""
    page.goto(f"{server_url}/{path}")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=180_000)
    page.wait_for_load_state("networkidle")
    assert f"{field}=" not in page.evaluate("() => window.location.href")
    box = page.locator(".js-plotly-plot .nsewdrag").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] * where[0], box["y"] + box["height"] * where[1])
    page.wait_for_function(
        "f => window.location.href.includes(f + '=')", arg=field, timeout=120_000
    )
    assert page.locator("[data-testid='stException']").count() == 0


OVERLAPS = """() => {
  const found = [];
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const buttons = plot.querySelectorAll('g.updatemenu-button, g.updatemenu-header');
    const boxes = [...buttons].map(b => b.getBoundingClientRect());
    const rail = plot.querySelector('rect.slider-rail');
    if (rail) boxes.push(rail.getBoundingClientRect());
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) found.push([i, j, Math.round(w), Math.round(h)]);
      }
  }
  return found;
}"""


STATIC = ("gradient-check", "landscape")  # pages whose charts have no Play
ANIMATED = [p.url_path for p in PAGES if p.url_path not in STATIC]


@pytest.mark.parametrize("width", [1024, 800])
@pytest.mark.parametrize(
    "path", [*ANIMATED, "sweeps?section=halving", "playground?view=side", "playground?present=1"]
)
def test_animation_buttons_and_scrubber_never_overlap_on_a_narrow_screen(
    page, server_url, path, width, tmp_path
):
    """A projector's 1024 pixels leave a half-width chart ~190 px of plot: Play/Pause and the
    speed menu stack there instead of sitting side by side (they overlapped before: the sweeps
    replay, successive halving and the conditioning page's momentum path). At 800 pixels the
    playground's chart has ~300 px: room for Play/Pause and the speed menu, not for three
    speed buttons."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{server_url}/{path}")
    page.wait_for_selector(".js-plotly-plot g.updatemenu-button", timeout=180_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    page.screenshot(path=str(tmp_path / "controls.png"), full_page=True)
    assert page.evaluate(OVERLAPS) == []


def test_step_buttons_start_from_the_day_a_chart_opens_on(page, server_url):
    """The EWMA chart opens on day 30, not at its first frame: ▶❚ goes to day 31 and ❚◀ back
    to 30, and the counter in the corner follows (the scrubber stops on the opening day)."""
    page.goto(f"{server_url}/ewma?day=30")
    page.wait_for_selector(".js-plotly-plot g.updatemenu-button", timeout=180_000)
    chart = page.locator(".js-plotly-plot").first
    counter = chart.locator(".scatterlayer .trace text", has_text="day t = ")
    assert counter.first.text_content() == "day t = 30"
    current = "() => document.querySelector('.js-plotly-plot')._fullLayout._currentFrame"
    chart.locator(".updatemenu-button", has_text="▶❚").click()
    page.wait_for_function(f"({current})() === '31'", timeout=30_000)
    assert counter.first.text_content() == "day t = 31"
    chart.locator(".updatemenu-button", has_text="❚◀").click()
    page.wait_for_function(f"({current})() === '30'", timeout=30_000)
    assert counter.first.text_content() == "day t = 30"
