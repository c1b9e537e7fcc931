"""The in-place chart in a real browser: live drag without the server, Plotly.react in place."""

import pytest
from test_browser_playground import open_page, race_xy

pytestmark = pytest.mark.browser

LIVE = ".optviz-live-chart"
SGD_LR = ".st-key-pg-sgd-lr"  # the SGD tab's learning-rate slider (opened first)


def same_path(a, b):
    """Two paths equal to float32 precision, NaN and None alike (a diverged run's gap)."""

    def norm(values):
        return [None if v is None or v != v else round(v, 4) for v in values]

    return norm(a) == norm(b)


def thumb_centre(page):
    box = page.locator(f"{SGD_LR} [data-testid=stSliderThumbValue]").bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] + 8  # the thumb under it


def test_dragging_the_learning_rate_redraws_the_path_before_the_server_hears(page, server_url):
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    open_page(page, server_url + "/?opts=sgd,adam")
    page.wait_for_function(f"() => document.querySelector('{LIVE}').dataset.liveSlider")
    before = race_xy(page, 1)
    reacts = page.evaluate(f"() => document.querySelector('{LIVE}').dataset.reacts")
    x, y = thumb_centre(page)
    page.mouse.move(x, y)
    page.mouse.down()
    quiet = len(sent)
    for dx in range(4, 80, 4):
        page.mouse.move(x + dx, y)
        page.wait_for_timeout(20)
    page.wait_for_function(f"() => Number(document.querySelector('{LIVE}').dataset.liveDraws) > 3")
    during = race_xy(page, 1)
    assert during != before, "the path follows the thumb while it is dragged"
    assert len(sent) == quiet, "nothing went to the server during the drag"
    position = page.evaluate(f"() => Number(document.querySelector('{SGD_LR} input').value)")
    shown = page.evaluate(f"() => Number(document.querySelector('{LIVE}').dataset.livePosition)")
    assert shown == position  # the path drawn is the one under the thumb
    page.mouse.up()
    page.wait_for_function("() => window.location.href.includes('sgd.lr=')", timeout=60_000)
    page.wait_for_function(
        f"r => document.querySelector('{LIVE}').dataset.reacts !== r", arg=reacts, timeout=60_000
    )
    assert len(sent) > quiet  # the release told the server
    assert same_path(race_xy(page, 1), during)  # and the server's figure has the same path


def test_an_ordinary_rerun_updates_the_chart_in_place(page, server_url):
    open_page(page, server_url + "/?opts=sgd,momentum")
    page.evaluate(f"() => {{ document.querySelector('{LIVE}').__kept = true }}")
    reacts = int(page.evaluate(f"() => document.querySelector('{LIVE}').dataset.reacts"))
    before = race_xy(page, 2)
    page.get_by_role("tab", name="Momentum").click()  # a fragment rerun: another family
    page.wait_for_function(
        f"() => document.querySelector('{LIVE}').dataset.liveSlider === 'pg:momentum.lr'",
        timeout=60_000,
    )
    steps = page.get_by_role("slider", name="Steps")
    steps.focus()
    page.keyboard.press("ArrowRight")  # 100 → 200 steps: a whole-app rerun, a new figure
    page.wait_for_function(
        "n => document.querySelector('.js-plotly-plot')._fullData[2].x.length !== n",
        arg=len(before),
        timeout=60_000,
    )
    chart = page.evaluate(
        f"() => {{ const g = document.querySelector('{LIVE}');"
        " return [g.__kept === true, Number(g.dataset.reacts), document.querySelectorAll("
        f"'{LIVE}').length, document.querySelectorAll('.stPlotlyChart').length] }}"
    )
    kept, after, live_charts, plotly_charts = chart
    assert kept, "the same chart element: Plotly.react, not a new chart"
    assert after >= reacts + 1  # the tab switch changed only the family, the steps the figure
    assert live_charts == 2 and plotly_charts == 0  # race and loss chart, both in place


def test_the_player_keeps_its_frame_across_a_rerun(page, server_url):
    open_page(page, server_url + "/?opts=sgd,adam")
    forward = page.locator(".js-plotly-plot").first.locator(".updatemenu-button", has_text="▶❚")
    for _ in range(3):
        forward.click()
    page.wait_for_function("() => document.querySelector('.js-plotly-plot')._fullLayout"
                           "._currentFrame === '3'")  # fmt: skip
    reacts = page.evaluate(f"() => document.querySelector('{LIVE}').dataset.reacts")
    page.get_by_role("slider", name="lr $\\eta$").first.focus()
    page.keyboard.press("ArrowLeft")  # SGD's η: a new figure from the server
    page.wait_for_function(
        f"r => document.querySelector('{LIVE}').dataset.reacts !== r", arg=reacts, timeout=60_000
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => document.querySelector('.js-plotly-plot')._fullLayout"
                         "._currentFrame") == "3"  # fmt: skip
