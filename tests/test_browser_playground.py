"""The playground in a real browser: Plotly draws, sliders redraw, Play animates, a click moves
the start, and a shared link reproduces the picture."""

import re

import pytest

PLAY = re.compile("^▶$")  # the Play button: an icon, like ❚❚, ❚◀ and ▶❚

pytestmark = pytest.mark.browser

CHART = ".js-plotly-plot"
WAIT = 120_000


def open_page(page, url):
    page.goto(url)
    page.wait_for_selector(f"{CHART} .main-svg", timeout=WAIT)
    page.wait_for_function(
        "() => { const g = document.querySelector('.js-plotly-plot');"
        " return g && g._transitionData && g._transitionData._frames.length > 0 }",
        timeout=WAIT,
    )


def race_xy(page, trace):
    """x data of one trace of the race chart (the first Plotly chart)."""
    return page.evaluate(
        "i => Array.from(document.querySelector('.js-plotly-plot')._fullData[i].x || [])", trace
    )


def test_page_loads_and_draws(page, server_url, tmp_path):
    open_page(page, server_url)
    assert page.get_by_text("Playground").first.is_visible()
    n_traces = page.evaluate("() => document.querySelector('.js-plotly-plot').data.length")
    assert n_traces >= 6
    images = page.evaluate("() => document.querySelector('.js-plotly-plot').layout.images.length")
    assert images == 1  # the surface as a background image
    page.screenshot(path=str(tmp_path / "playground.png"), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0


def test_learning_rate_slider_redraws_the_chart(page, server_url):
    open_page(page, server_url)
    names = page.evaluate("() => document.querySelector('.js-plotly-plot').data.map(t => t.name)")
    sgd = names.index("SGD")
    page.evaluate(
        "i => { window.__before = JSON.stringify(Array.from("
        "document.querySelector('.js-plotly-plot')._fullData[i].x)) }",
        sgd,
    )
    slider = page.get_by_role("slider", name="lr $\\eta$").first
    slider.focus()
    for _ in range(6):
        page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "i => JSON.stringify(Array.from(document.querySelector('.js-plotly-plot')"
        "._fullData[i].x)) !== window.__before",
        arg=sgd,
        timeout=WAIT,
    )
    # the address follows the picture (the URL message comes after the chart's)
    page.wait_for_function("() => window.location.href.includes('sgd.lr=')", timeout=WAIT)


@pytest.mark.parametrize("query", ["", "?present=1"])
def test_charts_are_drawn_with_their_own_margins(page, server_url, query):
    """The figures' margins already leave room for the legend and the animation controls, so
    plotly's auto-margin never draws a chart a second time (plots.MARGINS_NOTE): the margins
    plotly used are the figure's own, on the race and the loss chart, after a slider move too,
    and in presenter mode (larger type)."""
    open_page(page, server_url + "/" + query)
    used = (
        "() => Array.from(document.querySelectorAll('.js-plotly-plot')).slice(0, 2).map(g =>"
        " ['l', 'r', 't', 'b'].map(k => [g._fullLayout._size[k], g.layout.margin[k]]))"
    )
    page.wait_for_timeout(1000)
    for chart in page.evaluate(used):
        assert all(drawn == own for drawn, own in chart), chart
    page.evaluate(
        "() => { window.__x = JSON.stringify(Array.from("
        "document.querySelector('.js-plotly-plot')._fullData[1].x)) }"
    )
    page.get_by_role("slider", name="lr $\\eta$").first.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "() => JSON.stringify(Array.from(document.querySelector('.js-plotly-plot')"
        "._fullData[1].x)) !== window.__x",
        timeout=WAIT,
    )
    page.wait_for_timeout(1000)
    for chart in page.evaluate(used):
        assert all(drawn == own for drawn, own in chart), chart


def test_optimizer_tabs_keep_their_settings(page, server_url):
    """Only the open tab draws its sliders; a setting made in another tab survives the switch."""
    open_page(page, server_url)
    page.get_by_role("tab", name="Momentum").click()
    slider = page.get_by_role("slider", name="lr $\\eta$").first
    slider.wait_for(timeout=WAIT)
    before = slider.get_attribute("aria-valuetext")
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => window.location.href.includes('momentum.lr=')", timeout=WAIT)
    moved = page.get_by_role("slider", name="lr $\\eta$").first.get_attribute("aria-valuetext")
    assert moved != before
    page.get_by_role("tab", name="SGD").click()
    page.wait_for_timeout(1500)
    page.get_by_role("tab", name="Momentum").click()
    page.wait_for_timeout(1500)
    again = page.get_by_role("slider", name="lr $\\eta$").first.get_attribute("aria-valuetext")
    assert again == moved
    assert "momentum.lr=" in page.evaluate("() => window.location.href")
    assert page.locator("[data-testid='stException']").count() == 0


def test_share_button_shows_the_link(page, server_url, tmp_path):
    open_page(page, server_url + "/?opts=sgd,adam&adam.lr=0.02")
    page.get_by_role("button", name="Share this picture").click()
    code = page.locator("[data-testid='stCode']").filter(has_text="adam.lr=0.02").first
    code.wait_for(timeout=WAIT)
    assert "opts=sgd%2Cadam" in code.inner_text() or "opts=sgd,adam" in code.inner_text()
    page.screenshot(path=str(tmp_path / "share.png"))


def test_play_advances_frames(page, server_url):
    open_page(page, server_url)
    page.locator(".updatemenu-button", has_text=PLAY).first.click()
    page.wait_for_function(
        "() => { const f = document.querySelector('.js-plotly-plot')._fullLayout._currentFrame;"
        " return f !== undefined && Number(f) > 20 }",
        timeout=WAIT,
    )


CURRENT = "() => document.querySelector('.js-plotly-plot')._fullLayout._currentFrame"


def test_step_buttons_move_one_frame_and_stop_a_playing_animation(page, server_url):
    open_page(page, server_url)
    chart = page.locator(CHART).first
    forward = chart.locator(".updatemenu-button", has_text="▶❚")
    back = chart.locator(".updatemenu-button", has_text="❚◀")
    back.click()  # at the first frame: stays there
    page.wait_for_function(f"({CURRENT})() === '0'", timeout=WAIT)
    for frame in ("1", "2", "3"):
        forward.click()
        page.wait_for_function(f"({CURRENT})() === '{frame}'", timeout=WAIT)
    back.click()
    page.wait_for_function(f"({CURRENT})() === '2'", timeout=WAIT)
    counter = chart.locator(".scatterlayer .trace text", has_text=re.compile(r"^step \d+$"))
    assert counter.first.text_content() == "step 2"  # frames 1-3 fall between scrubber stops
    chart.locator(".updatemenu-button", has_text=PLAY).first.click()
    page.wait_for_function(f"Number(({CURRENT})()) > 10", timeout=WAIT)
    forward.click()  # pauses one frame further on
    page.wait_for_timeout(100)
    stopped = page.evaluate(CURRENT)
    page.wait_for_timeout(600)
    assert page.evaluate(CURRENT) == stopped
    assert 10 < int(stopped) < 100


def test_click_moves_the_start_point(page, server_url):
    open_page(page, server_url)
    before = page.get_by_label("start x₁").input_value()
    box = page.locator(f"{CHART} .nsewdrag").first.bounding_box()
    x, y = box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.25
    page.mouse.move(x, y)  # as a hand does: plotly finds the point under the pointer on hover
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_function(
        "b => document.querySelector('input[aria-label=\"start x₁\"]').value !== b",
        arg=before,
        timeout=WAIT,
    )
    x = float(page.get_by_label("start x₁").input_value())
    assert x > 0  # the right part of the window
    assert "start=" in page.evaluate("() => window.location.href")


def test_shared_link_reproduces_the_state(page, server_url):
    open_page(page, f"{server_url}/?surface=rosenbrock&opts=sgd,adam&adam.lr=0.02&start=-1.2,1.5")
    names = page.evaluate("() => document.querySelector('.js-plotly-plot').data.map(t => t.name)")
    assert "SGD" in names and "Adam" in names and "RMSProp" not in names
    assert page.get_by_label("start x₁").input_value() == "-1.200"
    adam = names.index("Adam")
    assert race_xy(page, adam)[0] == pytest.approx(-1.2, abs=1e-6)


def test_tampered_link_shows_a_notice(page, server_url):
    open_page(page, f"{server_url}/?adam.lr=abc&surface=nowhere")
    assert page.get_by_text("could not be used").first.is_visible()
    assert page.locator("[data-testid='stException']").count() == 0


def test_export_downloads_a_video_and_a_chinese_gif(page, server_url, tmp_path):
    """The export panel's buttons give real files: an MP4 and, in Chinese, a GIF."""
    open_page(page, server_url + "?lang=zh&opts=sgd,adam&steps=50")
    page.get_by_text("导出：GIF, MP4").first.click()
    with page.expect_download(timeout=WAIT) as video:
        page.get_by_role("button", name="MP4").first.click()
    path = tmp_path / "race.mp4"
    video.value.save_as(path)
    assert video.value.suggested_filename == "race.mp4"
    assert path.read_bytes()[4:8] == b"ftyp" and path.stat().st_size > 5_000
    with page.expect_download(timeout=WAIT) as gif:
        page.get_by_role("button", name="GIF").first.click()
    assert gif.value.path().read_bytes()[:6] == b"GIF89a"
    assert page.locator("[data-testid='stException']").count() == 0
