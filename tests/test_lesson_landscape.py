"""The loss-landscape lesson and page, and real surfaces in the playground."""

from pathlib import Path

import numpy as np
import pytest
from pagetest import chart_spec, markdown_tables, open_page, texts

import optviz
from optviz import export
from optviz.landscape import get_network
from optviz.lessons import loss_landscape as lesson
from optviz.surfaces import REAL_SURFACES

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages/landscape.py")
APP = str(ROOT / "app.py")
P = "ls:"


def test_the_two_slices_share_directions_window_and_split():
    small, large = lesson.slices(lesson.Setting())
    assert small.alpha.shape == (lesson.GRID,) and large.loss.shape == (lesson.GRID,) * 2
    np.testing.assert_array_equal(small.alpha, large.alpha)
    middle = lesson.GRID // 2
    assert small.loss[middle, middle] == pytest.approx(small.center_loss, rel=1e-5)
    assert lesson.slices(lesson.Setting(radius=0.9)) is lesson.slices(lesson.Setting())


def test_rise_within_r_is_the_mean_over_the_disc():
    grid = lesson.slices(lesson.Setting())[0]
    a, b = np.meshgrid(grid.alpha, grid.beta)
    disc = a**2 + b**2 <= 0.3**2 * (1 + 1e-6)
    expect = np.mean(grid.loss[disc] - grid.center_loss)
    assert lesson.rise_within(grid, 0.3) == pytest.approx(expect)
    assert lesson.rise_within(grid, 0.001) == pytest.approx(0.0, abs=1e-9)  # only θ*
    assert lesson.rise_within(grid, 0.2) < lesson.rise_within(grid, 0.6)


def test_the_story_names_the_sharper_network_by_each_measure():
    setting = lesson.Setting(radius=0.5)
    small, large = lesson.rows(setting)
    story = " ".join(lesson.story(setting))
    sharper = lesson.NETWORKS[("large" if large.rise > small.rise else "small")].name
    assert f"**{sharper}** rises more" in story
    flip = lesson.flip_radius(setting)
    if flip is not None:  # on either side of the flip the order differs
        below = lesson.rows(setting._replace(radius=flip - 0.1))
        above = lesson.rows(setting._replace(radius=flip + 0.1))
        assert np.sign(below[1].rise - below[0].rise) != np.sign(above[1].rise - above[0].rise)


def test_the_table_holds_each_networks_numbers():
    table = lesson.table_markdown(lesson.Setting())
    net = get_network("small")
    assert f"{net.validation_accuracy:.1%}" in table and f"{net.train_loss:.4f}" in table
    assert table.count("\n") == 3  # header, rule, two networks


def test_figures_use_one_colour_scale_and_draw_r():
    fig = lesson.slices_figure(lesson.Setting(radius=0.4))
    contours = [d for d in fig.data if d.type == "contour"]
    assert len(contours) == 2 and {c.coloraxis for c in contours} == {"coloraxis"}
    circle = next(d for d in fig.data if d.name == "radius")
    assert np.hypot(circle.x, circle.y) == pytest.approx(0.4)
    sections = lesson.sections_figure(lesson.Setting())
    assert [d.name for d in sections.data][:2] == [n.name for n in lesson.NETWORKS.values()]


def test_page_draws_and_round_trips_its_link():
    at = open_page(PAGE, {"seed": "3", "span": "0.5", "split": "validation", "radius": "0.3"})
    assert not at.exception, at.exception
    assert {c.proto.id.split("-")[-1] for c in at.get("plotly_chart")} >= {"ls:slices"}
    assert at.toggle(key=P + "_validation").value is True
    assert at.select_slider(key=P + "span").value == 0.5
    assert dict(at.query_params) == {
        "seed": "3", "span": "0.5", "split": "validation", "radius": "0.3"
    }  # fmt: skip
    assert "rises more" in texts(at.info)
    assert markdown_tables(at)
    spec = chart_spec(at, "ls:slices")
    assert spec["layout"]["xaxis"]["range"] == [-0.5, 0.5]


def test_a_tampered_link_gives_defaults_and_a_notice():
    at = open_page(PAGE, {"span": "9", "split": "<b>", "radius": "nan"})
    assert not at.exception
    assert "could not be used" in texts(at.warning)
    assert at.slider(key=P + "radius").value == lesson.Setting().radius


# ----------------------------------------------------------------------------- the playground


@pytest.mark.parametrize("key", list(REAL_SURFACES))
def test_every_real_surface_races_in_the_playground(key):
    at = open_page(APP, {"surface": key, "opts": "sgd,adam", "steps": "50"}, 300)
    assert not at.exception, at.exception
    assert at.selectbox(key="pg:surface").value == key
    spec = chart_spec(at, "pg:chart")
    surface = optviz.get_surface(key)
    assert spec["layout"]["xaxis"]["range"] == list(surface.bounds[0])
    assert not at.warning


def test_export_writes_real_surfaces_by_key():
    code = export.optax_snippet(
        "adam", "data:wine:train:raw", None, 30, {"lr": 0.01}, None, 0.0, 0, None, None
    )
    assert 'optviz.get_surface("data:wine:train:raw")' in code
    scope = {}
    exec(compile(code.replace("print(xy[-1])", ""), "<snippet>", "exec"), scope)
    ours = optviz.run("adam", "data:wine:train:raw", steps=30, hparams={"lr": 0.01})
    np.testing.assert_allclose(np.asarray(scope["xy"]), ours.xy, atol=1e-5)
    snippet = export.code_snippet(
        "sgd", "landscape:digits:small", None, 20, {"lr": 0.1}, None, 0.0, 0, None, None
    )
    assert 'surface="landscape:digits:small"' in snippet
