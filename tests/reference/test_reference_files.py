"""Gambit's committed answers (tests/reference/*.json): complete headers, one file per corpus of the generator,
and, in the `gambit` suite, byte-identical regeneration with live pygambit (so they cannot silently drift).

Each reference test beside its live twin also checks that the games in its file are the ones the test's corpus
function builds; here the files are checked as files.
"""

from __future__ import annotations

import json
from pathlib import Path

import generate_gambit_reference as generator
import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def files():
    # gambit_qre_*.json come from their own generator (generate_gambit_qre_reference.py, checked in
    # tests/test_qre_estimation.py)
    return sorted(path for path in HERE.glob("*.json") if not path.name.startswith("gambit_qre_"))


def test_one_file_per_corpus_of_the_generator():
    assert [path.stem for path in files()] == sorted(generator.CORPORA)


@pytest.mark.parametrize("path", files(), ids=lambda path: path.stem)
def test_header_names_pygambit_generator_command_and_date(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["corpus"] == path.stem
    assert data["pygambit"] == generator.PYGAMBIT_VERSION == "16.7.0"
    assert data["generator"] == generator.GENERATOR and (ROOT / data["generator"]).is_file()
    assert data["command"] == f"python {generator.GENERATOR}"
    assert len(data["date"]) == 10 and data["date"][4] == data["date"][7] == "-"
    assert data["description"] and data["source"].split("::")[0] and (ROOT / data["source"].split("::")[0]).exists()
    assert data["cases"], "an empty corpus checks nothing"


def test_files_are_what_the_generator_renders():
    """The committed bytes are the generator's rendering of their own content (no hand edits, same layout)."""
    for path in files():
        data = json.loads(path.read_text(encoding="utf-8"))
        header = ("corpus", "pygambit", "generator", "command", "date")
        body = {key: value for key, value in data.items() if key not in header}
        assert generator.render(data["corpus"], body, data["pygambit"], data["date"]) == path.read_text("utf-8"), path


@pytest.mark.gambit
@pytest.mark.parametrize("corpus", sorted(generator.CORPORA))
def test_regenerating_with_live_pygambit_is_byte_identical(corpus):
    gbt = pytest.importorskip("pygambit")
    if gbt.__version__ != generator.PYGAMBIT_VERSION:
        pytest.skip(f"the files were made with pygambit {generator.PYGAMBIT_VERSION}, this is {gbt.__version__}: "
                    "float answers may differ in the last digits (the live cross-checks still run)")
    assert generator.rendered(corpus, gbt) == generator.path_of(corpus).read_text(encoding="utf-8")
