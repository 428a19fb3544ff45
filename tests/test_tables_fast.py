"""``negotiation tables`` written by forked workers is the same as written one model after the other (issue 14).

What is compared: every file of the two folders (text, Markdown, LaTeX, CSV, JSON and PNG byte for
byte; SVG after removing its date and matplotlib's random ids, which differ between any two runs),
the text echoed and its order. The legend placed once per layout (``best_legend``) is checked against
matplotlib's own search at every draw, on the Richardson figure whose streamplot made that search slow.
"""

from __future__ import annotations

import io
import re
import sys

import pytest

import negotiation as ng
from negotiation.cli import main
from negotiation.report import catalogue
from negotiation.report.catalogue import write_catalogue
from negotiation.report.dynamics import plot_phase
from negotiation.scenario import bundled_models

MODELS = ("security_dilemma", "cfe2", "vienna_document_inspection")


def _svg(text: str) -> str:
    text = re.sub(r"<dc:date>[^<]*</dc:date>", "", text)
    ids: dict = {}
    return re.sub(r'(id="|#)((?:image)?[a-z]?[0-9a-f]{8,12})\b',
                  lambda m: m.group(1) + ids.setdefault(m.group(2), f"id{len(ids)}"), text)


def _same_folders(a, b):
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    for name in names:
        x, y = (a / name).read_bytes(), (b / name).read_bytes()
        if name.endswith(".svg"):
            assert _svg(x.decode()) == _svg(y.decode()), name
        else:
            assert x == y, name
    return names


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers are used on Linux only")
def test_workers_write_what_one_process_writes(tmp_path):
    assert catalogue._can_fork()  # else the comparison below would compare the serial path with itself
    models = {name: path for name, path in bundled_models().items() if name in MODELS}
    serial, parallel = [], []
    entries_1 = write_catalogue(tmp_path / "one", models, echo=serial.append, jobs=1)
    entries_2 = write_catalogue(tmp_path / "two", models, echo=parallel.append, jobs=2)
    assert serial == parallel and any("Prisoner's Dilemma" in line for line in parallel)
    assert [e["name"] for e in entries_2] == list(models) and entries_1 == entries_2
    names = _same_folders(tmp_path / "one", tmp_path / "two")
    assert {"README.md", "index.html", "cfe2.png", "cfe2.svg", "security_dilemma.json"} <= set(names)


def test_jobs_must_be_positive(tmp_path, capsys):
    assert main(["tables", "--jobs", "0", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "--jobs must be at least 1, got 0" in err and len(err.strip().splitlines()) == 1


def test_legend_found_once_is_where_matplotlib_puts_it_at_every_draw():
    model = ng.load("richardson_arms_race").dynamics_at()
    remembered = plot_phase(model)
    plain = plot_phase(model)
    legend = plain.axes[0].get_legend()
    legend._find_best_position = type(legend)._find_best_position.__get__(legend)  # matplotlib's own search
    for figure in (remembered, plain):
        figure.savefig(io.BytesIO(), format="png", dpi=150, bbox_inches="tight")
    box = remembered.axes[0].get_legend().get_window_extent()
    assert box.bounds == plain.axes[0].get_legend().get_window_extent().bounds
    svg = [io.BytesIO(), io.BytesIO()]
    for figure, buffer in zip((remembered, plain), svg):
        figure.savefig(buffer, format="svg", bbox_inches="tight")
    assert _svg(svg[0].getvalue().decode()) == _svg(svg[1].getvalue().decode())
