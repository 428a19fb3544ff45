"""Figure files (issue 16): a figure goes exactly to the path given, in the format its suffix names (no suffix
is ever added), and a write that fails (a full disk, a folder in the way) is one line naming that file, exit 1
from the command line, with no partial file left behind."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from negotiation.cli import main
from negotiation.core.errors import NegotiationError
from negotiation.report import figures
from negotiation.report.figures import figure_format, save_figure, write_figure
from negotiation.report.maps import save_figure as save_map

FULL = Path("/dev/full")
needs_full = pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full")


def _figure():
    figure = Figure(figsize=(2, 2))
    figure.add_subplot().plot([0, 1], [1, 0])
    return figure


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------------- the library
def test_the_suffix_names_the_format_and_none_is_added(tmp_path):
    for suffix, magic in ((".png", b"\x89PNG"), (".pdf", b"%PDF"), (".svg", b"<?xml"), (".PNG", b"\x89PNG")):
        path = write_figure(_figure(), tmp_path / f"zone{suffix}", dpi=40)
        assert path == tmp_path / f"zone{suffix}" and path.read_bytes().startswith(magic)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["zone.PNG", "zone.pdf", "zone.png", "zone.svg"]
    for bad in ("zone", "zone.gif", "zone.png.bak", "folder/"):
        with pytest.raises(NegotiationError, match=r"unsupported figure format .* \(expected \.png, \.svg or \.pdf\)$"):
            write_figure(_figure(), tmp_path / bad)
        with pytest.raises(NegotiationError, match="unsupported figure format"):
            save_map(_figure(), tmp_path / bad)
    assert figure_format("a/b.Svg") == "svg"
    with pytest.raises(NegotiationError, match=r"^--plot out: unsupported figure format '\(none\)'"):
        figure_format("out", option="--plot")


def test_save_figure_in_several_formats_refuses_a_foreign_suffix(tmp_path):
    with pytest.raises(NegotiationError, match=r"map.gif: the suffix '.gif' is not one of the formats asked for"):
        save_figure(_figure(), tmp_path / "map.gif")
    with pytest.raises(NegotiationError, match=r"the suffix '.png' is not one of the formats asked for \(svg\)"):
        save_figure(_figure(), tmp_path / "map.png", formats=("svg",))
    assert [p.name for p in save_figure(_figure(), tmp_path / "map", formats=("svg",))] == ["map.svg"]
    assert not list(tmp_path.glob("map.gif*")) and not list(tmp_path.glob("map.png*"))


@needs_full
def test_a_full_device_is_a_one_line_error_naming_it(tmp_path):
    with pytest.raises(NegotiationError) as error:
        write_figure(_figure(), FULL, format="png")
    assert str(error.value) == "/dev/full: cannot write the figure: No space left on device"
    link = tmp_path / "zone.png"
    link.symlink_to(FULL)
    with pytest.raises(NegotiationError, match=f"^{link}: cannot write the figure: No space left on device$"):
        write_figure(_figure(), link)


def test_a_failed_write_leaves_no_partial_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    target = tmp_path / "zone.png"
    target.write_bytes(b"the figure of yesterday")

    def full_disk(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(figures.os, "replace", full_disk)
    with pytest.raises(NegotiationError, match=f"^{target}: cannot write the figure: No space left on device$"):
        write_figure(_figure(), target)
    assert target.read_bytes() == b"the figure of yesterday"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["zone.png"]  # the temporary file is gone


def test_a_folder_or_a_file_in_the_way_is_a_one_line_error(tmp_path):
    (tmp_path / "folder.png").mkdir()
    with pytest.raises(NegotiationError, match=r"folder.png: cannot write the figure: Is a directory$"):
        write_figure(_figure(), tmp_path / "folder.png")
    (tmp_path / "file").write_text("x")
    with pytest.raises(NegotiationError, match=r"file/zone.png: cannot write the figure: Not a directory$"):
        write_figure(_figure(), tmp_path / "file" / "zone.png")
    assert write_figure(_figure(), tmp_path / "new" / "deeper" / "zone.svg").is_file()  # folders are made


def test_a_written_file_gets_the_usual_permissions(tmp_path):
    previous = os.umask(0o022)
    try:
        path = write_figure(_figure(), tmp_path / "zone.png", dpi=30)
    finally:
        os.umask(previous)
    assert path.stat().st_mode & 0o777 == 0o644


# ---------------------------------------------------------------------- the command line
@needs_full
@pytest.mark.parametrize("argv", [
    ["agree", "infrastructure_limits", "--plot", "/dev/full"],
    ["agree", "infrastructure_limits", "--plot-issues", "/dev/full"],
    ["arms-race", "richardson_arms_race", "--plot", "/dev/full"],
    ["dynamics", "richardson_arms_race", "--plot", "/dev/full"],
    ["learn", "security_dilemma", "--steps", "3", "--plot", "/dev/full"],
])
def test_plot_to_dev_full_exits_1_naming_it(argv):
    status, out, err = run(argv)
    assert status == 1 and out == ""  # refused before the work: the path has no figure suffix
    assert err == f"negotiation: error: {argv[-2]} /dev/full: unsupported figure format '(none)' " \
                  "(expected .png, .svg or .pdf)\n"


@needs_full
@pytest.mark.parametrize("argv", [
    ["agree", "infrastructure_limits", "--plot", "{link}"],
    ["agree", "infrastructure_limits", "--plot-issues", "{link}"],
    ["arms-race", "richardson_arms_race", "--plot", "{link}"],
    ["learn", "security_dilemma", "--steps", "3", "--plot", "{link}"],
    ["sweep", "security_dilemma", "--grid", "omega=0:1:3", "--out", "{folder}/t.csv", "--map", "{link}"],
])
def test_a_write_error_is_one_line_naming_the_file_and_exit_1(argv, tmp_path):
    link = tmp_path / "figure.png"
    link.symlink_to(FULL)  # a figure file on a full disk
    status, _, err = run([part.format(link=link, folder=tmp_path) for part in argv])
    assert status == 1
    assert err == f"negotiation: error: {link}: cannot write the figure: No space left on device\n"


def test_plot_goes_exactly_to_the_path_given(tmp_path):
    for argv, name in ((["arms-race", "richardson_arms_race", "--plot"], "phase.svg"),
                       (["agree", "infrastructure_limits", "--plot"], "zone.pdf"),
                       (["learn", "security_dilemma", "--steps", "3", "--plot"], "path.png")):
        status, _, err = run(argv + [str(tmp_path / name)])
        assert status == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["path.png", "phase.svg", "zone.pdf"]


def test_every_key_figure_of_tables_is_at_most_2000_pixels_wide(tmp_path):
    """Issue 15: the figures of `negotiation tables` (150 dpi) fit a page; the Bayesian tree was 3,285 px wide."""
    from PIL import Image

    import negotiation as ng
    from negotiation.report.catalogue import key_figure
    from negotiation.scenario import bundled_models

    widths = {}
    for name, path in bundled_models().items():
        figure = key_figure(ng.load(path))
        if figure is not None:
            widths[name] = Image.open(write_figure(figure, tmp_path / f"{name}.png", dpi=150)).size[0]
    assert "nato_enlargement_bayesian" in widths
    assert max(widths.values()) <= 2000, widths
