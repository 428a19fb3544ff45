"""Slide figures: save_figure writes PNG, SVG and PDF; slide_style gives readable fonts and labelled axes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

import negotiation as ng
from negotiation.report.figures import (
    MIN_FONT_SIZE,
    apply_slide_style,
    save_figure,
    slide_style,
    visible_texts,
)
from negotiation.report.figures import pyplot as _pyplot

plt = _pyplot()  # Agg unless a display is there

MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}

#: security_dilemma before issue 13, a frozen fixture whose thresholds are straight lines at simple fractions
BEFORE_ISSUE_13 = str(Path(__file__).resolve().parents[1] / "data" / "security_dilemma_before_issue13.toml")


def _simple_figure():
    figure = Figure()
    ax = figure.add_subplot()
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("omega")
    ax.set_ylabel("phi")
    return figure


def test_save_figure_writes_every_format(tmp_path):
    written = save_figure(_simple_figure(), tmp_path / "sub" / "map.png", dpi=50)
    assert [p.name for p in written] == ["map.png", "map.svg", "map.pdf"]
    for path in written:
        data = path.read_bytes()
        assert len(data) > 200
        suffix = path.suffix[1:]
        if suffix in MAGIC:
            assert data.startswith(MAGIC[suffix])
        else:
            assert b"<svg" in data[:2000]


def test_save_figure_formats_and_errors(tmp_path):
    written = save_figure(_simple_figure(), tmp_path / "plain", formats=("svg",))
    assert written == [tmp_path / "plain.svg"] and written[0].stat().st_size > 0
    with pytest.raises(ValueError, match="'gif' is not a figure format"):
        save_figure(_simple_figure(), tmp_path / "x", formats=("png", "gif"))
    with pytest.raises(ValueError, match="formats: empty"):
        save_figure(_simple_figure(), tmp_path / "x", formats=())
    # no creation date in SVG/PDF: the same figure gives the same bytes
    figure = _simple_figure()
    first = save_figure(figure, tmp_path / "a", formats=("pdf", "svg"))
    second = save_figure(figure, tmp_path / "b", formats=("pdf", "svg"))
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def _assert_slide_ready(figure):
    sizes = [text.get_fontsize() for text in visible_texts(figure)]
    assert sizes and min(sizes) >= MIN_FONT_SIZE
    for ax in figure.axes:
        if ax.axison and ax.get_label() != "<colorbar>":
            assert ax.get_xlabel().strip() and ax.get_ylabel().strip()


def test_slide_style_on_the_toolkit_plots(tmp_path):
    from negotiation.report.explorer import explore, plot_state

    rc_before = dict(plt.rcParams)
    init_before = Figure.__init__
    figures = []
    for name in ("security_dilemma", "nato_enlargement", "infrastructure_limits"):
        state = explore(name, map_resolution=9)
        with slide_style() as settings:
            assert plt.rcParams["font.size"] == settings["font.size"] >= MIN_FONT_SIZE
            figures.append(plot_state(state))
    for figure in figures:
        _assert_slide_ready(figure)
    # the style does not leak out of the block
    assert plt.rcParams["font.size"] == rc_before["font.size"]
    assert Figure.__init__ is init_before
    written = save_figure(figures[0], tmp_path / "map", dpi=60)
    assert all(p.stat().st_size > 0 for p in written)
    for figure in figures:
        plt.close(figure)


def test_slide_style_covers_pyplot_figures_and_explicit_sizes():
    with slide_style(min_size=14, rc={"font.family": "DejaVu Serif"}):
        figure, ax = plt.subplots()
        ax.set_title("title", fontsize=6)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
    assert min(text.get_fontsize() for text in visible_texts(figure)) >= 14
    plt.close(figure)


def test_apply_slide_style_raises_small_text():
    figure = _simple_figure()
    figure.axes[0].set_xlabel("omega", fontsize=7)
    figure.axes[0].tick_params(labelsize=6)
    apply_slide_style(figure)
    _assert_slide_ready(figure)


def test_slide_style_with_a_sweep_map():
    from negotiation.report.maps import equilibrium_map
    from negotiation.sweeps import sweep

    result = sweep(ng.load("security_dilemma"), grid=["omega=0:1:5", "phi=0:1:5"])
    with slide_style():
        figure = equilibrium_map(result, "omega", "phi", by="classification")
    _assert_slide_ready(figure)
    plt.close(figure)


# ---------------------------------------------------------------------- issue 15: the figures of `tables` and `sweep --map`
def _legend(ax) -> dict:
    """Legend label -> handle (labels as shown, lines joined by spaces)."""
    legend = ax.get_legend()
    return {text.get_text().replace("\n", " "): handle for text, handle in zip(legend.get_texts(),
                                                                                legend.legend_handles)}


def _inside(figure, text) -> bool:
    box, frame = text.get_window_extent(), figure.bbox
    return box.x0 >= frame.x0 - 1 and box.x1 <= frame.x1 + 1 and box.y0 >= frame.y0 - 1 and box.y1 <= frame.y1 + 1


@pytest.mark.parametrize("name, heading", [("reassurance_signal", "pure PBE"),
                                           ("security_dilemma_bayesian", "Bayesian Nash equilibria")])
def test_point_maps_show_full_axis_labels_inside_the_figure_and_the_models_title(name, heading):
    from negotiation.report.maps import point_map

    scenario = ng.load(name)
    figure = point_map(scenario, lambda result: f"{len(result)} equilibria", heading, points=3)
    ax = figure.axes[0]
    first, second = [p for p in scenario.parameters.parameters if p.low is not None][:2]
    # the labels are the descriptions in the scenario file, whole (before: cut at 48 characters with "…")
    assert " ".join(ax.get_xlabel().split()) == " ".join(f"{first.name}: {first.description}".split())
    assert " ".join(ax.get_ylabel().split()) == " ".join(f"{second.name}: {second.description}".split())
    assert " ".join(ax.get_title().split()) == f"{scenario.title}: {heading}"  # before: the file id
    figure.canvas.draw()
    for text in visible_texts(figure):
        assert "…" not in text.get_text()
    for text in [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.get_legend().get_texts()]:
        assert _inside(figure, text), text.get_text()
    plt.close(figure)


def test_a_wide_tree_is_laid_out_left_to_right_within_2000_pixels(tmp_path):
    from PIL import Image

    from negotiation.report.figures import write_figure

    scenario = ng.load("nato_enlargement_bayesian")  # 18 terminal nodes: 28 inches wide top down
    figure = scenario.game_at().plot(scenario.solve())
    path = write_figure(figure, tmp_path / "tree.png", dpi=150)  # the dpi of `negotiation tables`
    width, height = Image.open(path).size
    assert width <= 2000 and height <= 2000, (width, height)  # before: 3,285 pixels wide
    assert min(text.get_fontsize() for text in visible_texts(figure)) >= 7.5  # 16 pixels high at 150 dpi
    ax = figure.axes[0]
    leaves = [t.get_text() for t in ax.texts if t.get_text().startswith("Full membership")]
    assert leaves == ["Full membership (4, -5)"] * 2  # one line beside each terminal node, payoffs by hand
    small = ng.load("nato_enlargement")  # 7 terminal nodes: still top down
    assert small.game_at().plot().get_size_inches()[0] <= 13


def _style(artist):
    """What tells two legend entries apart: colour, width, line style, marker, transparency."""
    from matplotlib.colors import to_rgba

    if hasattr(artist, "get_facecolor") and not hasattr(artist, "get_marker"):
        return ("patch", to_rgba(artist.get_facecolor()))
    return (to_rgba(artist.get_color()), round(float(artist.get_linewidth()), 2), artist.get_linestyle(),
            artist.get_marker(), artist.get_alpha())


def test_the_agreement_set_labels_every_line_and_its_legend_entries_differ():
    from negotiation.report.bargaining import plot_agreement_set

    scenario = ng.load("enlargement_vs_infrastructure")
    figure = plot_agreement_set(scenario.bargain())
    ax = figure.axes[0]
    legend = _legend(ax)
    styles = [_style(handle) for handle in legend.values()]
    assert len(set(styles)) == len(styles), legend  # before: the zone and its frontier, both 3-pt blue lines
    drawn = [line for line in ax.lines if len(line.get_xdata())]
    for line in drawn:  # before: the two dotted no-deal lines were in no entry
        assert _style(line) in styles, (line.get_label(), _style(line))
    assert "no-deal utility of each party" in legend
    plt.close(figure)


def test_a_classic_game_has_one_colour_in_every_map():
    from matplotlib.colors import to_hex

    from negotiation.report.catalogue import key_figure
    from negotiation.report.figures import CLASSIC_GAME_COLOURS
    from negotiation.report.maps import equilibrium_map
    from negotiation.sweeps import sweep

    scenario = ng.load("security_dilemma")
    tables = key_figure(scenario)  # the figure of `negotiation tables`: five classes over [0, 1]²
    # `negotiation sweep --map` over a corner with only Harmony and the Stag Hunt (omega < 1/4, phi < 1/5)
    corner = equilibrium_map(sweep(scenario, grid=["omega=0:1/5:5", "phi=0:1/5:5"]), by="classification")
    colours = []
    for figure in (tables, corner):
        entries = _legend(figure.axes[0])
        colours.append({label: to_hex(handle.get_facecolor()) for label, handle in entries.items()
                        if label in CLASSIC_GAME_COLOURS and label != "boundary case"})
    assert set(colours[1]) == {"Harmony", "Stag Hunt"}
    for label, colour in colours[1].items():
        assert colours[0][label] == colour == CLASSIC_GAME_COLOURS[label].lower()
    plt.close(tables)
    plt.close(corner)


@pytest.fixture(scope="module")
def k_v_plane():
    from negotiation.cli.sweep import _derived_boundaries
    from negotiation.sweeps import sweep

    scenario = ng.load(BEFORE_ISSUE_13)  # straight threshold lines in k and v (the corrected model has none in v)
    return sweep(scenario, grid=["k=0:10:21", "v=0:10:21"]), _derived_boundaries(scenario, ["k", "v"], {})


def test_threshold_lines_are_drawn_only_where_the_outcome_changes(k_v_plane):
    from matplotlib.collections import LineCollection

    from negotiation.report.maps import equilibrium_map

    result, boundaries = k_v_plane
    assert {label for label, _ in boundaries} == {"T = R", "P = S", "R = P"}
    # by hand (omega = 1/2, phi = 1/4, G = 4, L = 10, W = 2): R = P at v = k + 1 separates the Prisoner's
    # Dilemma from Deadlock, two classes with the same single equilibrium (Deploy, Deploy)
    by_game = equilibrium_map(result, "k", "v", by="classification", boundaries=boundaries)
    by_equilibria = equilibrium_map(result, "k", "v", boundaries=boundaries)
    assert {"T = R", "P = S", "R = P"} <= set(_legend(by_game.axes[0]))
    assert {"T = R", "P = S"} <= set(_legend(by_equilibria.axes[0]))
    assert "R = P" not in _legend(by_equilibria.axes[0])  # before: listed and drawn where nothing changes
    dashdot = [c for c in by_game.axes[0].collections if isinstance(c, LineCollection)
               and c.get_linestyle()[0][1] is not None and len(c.get_linestyle()[0][1]) == 4]
    points = np.concatenate([segment for c in dashdot for segment in c.get_segments()])
    assert np.allclose(points[:, 1], points[:, 0] + 1, atol=1e-6)  # the R = P line is v = k + 1
    # a curve across which nothing changes is neither drawn nor listed: v = k + 5 lies where (Deploy, Deploy)
    # is the only equilibrium on both sides (v > k - 2)
    nothing = equilibrium_map(result, "k", "v", boundaries=[("v = k + 5", lambda k, v: v - k - 5)])
    assert "v = k + 5" not in _legend(nothing.axes[0])
    assert not [c for c in nothing.axes[0].collections if isinstance(c, LineCollection) and c.get_zorder() == 4]
    for figure in (by_game, by_equilibria, nothing):
        plt.close(figure)


def test_a_boundary_of_measure_zero_is_a_line_not_a_band():
    from matplotlib.collections import LineCollection, QuadMesh
    from matplotlib.lines import Line2D

    from negotiation.report.maps import equilibrium_map
    from negotiation.sweeps import sweep

    # omega in steps of 1/20: T = R exactly at omega = k/G = 1/4 (by hand), one column of the grid
    result = sweep(ng.load(BEFORE_ISSUE_13), grid=["omega=0:1:21", "phi=0:1:21"])
    figure = equilibrium_map(result, by="classification")
    ax = figure.axes[0]
    assert isinstance(_legend(ax)["boundary case"], Line2D)  # before: a patch, painted as a band 0.05 wide
    mesh = next(c for c in ax.collections if isinstance(c, QuadMesh))
    painted = {tuple(np.round(mesh.cmap(mesh.norm(value)), 6)) for value in np.unique(mesh.get_array())}
    assert (0.0, 0.0, 0.0, 1.0) not in painted  # no cell painted in the colour of the boundary case
    lines = [c for c in ax.collections if isinstance(c, LineCollection) and c.get_zorder() == 5]
    xs = np.concatenate([np.asarray(segment)[:, 0] for c in lines for segment in c.get_segments()])
    assert np.allclose(xs, 0.25)  # the line of ties is omega = 1/4, from phi = 0 to 1
    plt.close(figure)
