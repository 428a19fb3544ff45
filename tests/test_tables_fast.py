"""``negotiation tables`` written by forked workers is the same as written one model after the other (issue 14).

What is compared: every file of the two folders (text, Markdown, LaTeX, CSV, JSON and PNG byte for
byte; SVG after removing its date and matplotlib's random ids, which differ between any two runs),
the text echoed and its order. The legend placed once per layout (``best_legend``) is checked against
matplotlib's own search at every draw, on the Richardson figure whose streamplot made that search slow.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest

import negotiation as ng
from negotiation.cli import main
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


#: Run in a fresh interpreter: forked workers are used only from a process with one thread, and a test
#: runner's process has more (pytest-xdist's), so there the parallel path would not be taken at all.
_WRITE_BOTH = """
import json, sys
from pathlib import Path
from negotiation.report import catalogue
from negotiation.scenario import bundled_models
assert catalogue._can_fork()  # else the comparison would compare the serial path with itself
out, names = Path(sys.argv[1]), sys.argv[2].split(",")
models = {name: path for name, path in bundled_models().items() if name in names}
serial, parallel = [], []
entries_1 = catalogue.write_catalogue(out / "one", models, echo=serial.append, jobs=1)
entries_2 = catalogue.write_catalogue(out / "two", models, echo=parallel.append, jobs=2)
print(json.dumps({"serial": serial, "parallel": parallel, "entries_1": entries_1, "entries_2": entries_2,
                  "names": list(models)}, default=str))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers are used on Linux only")
def test_workers_write_what_one_process_writes(tmp_path):
    run = subprocess.run([sys.executable, "-c", _WRITE_BOTH, str(tmp_path), ",".join(MODELS)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    written = json.loads(run.stdout.strip().splitlines()[-1])
    serial, parallel = written["serial"], written["parallel"]
    assert serial == parallel and any("Prisoner's Dilemma" in line for line in parallel)
    assert [e["name"] for e in written["entries_2"]] == written["names"] == [n for n in bundled_models() if n in MODELS]
    assert written["entries_1"] == written["entries_2"]
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
