"""Slide figures: save_figure writes PNG, SVG and PDF; slide_style gives readable fonts and labelled axes."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

import negotiation as ng
from negotiation.report.figures import MIN_FONT_SIZE, apply_slide_style, save_figure, slide_style, visible_texts
from negotiation.report.figures import pyplot as _pyplot

plt = _pyplot()  # Agg unless a display is there

MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}


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
