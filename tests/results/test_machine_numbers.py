"""Numbers as numbers in every machine output (issue 15): CSV, frames, JSON and sweep tables.

Every bundled model is solved at its defaults as ``negotiation tables`` does (``ng.solve(ng.load(name))``
and its analyses); its CSV is read back with ``pandas.read_csv`` and its frame inspected: a column that
holds quantities is numeric, words stand only in ``_label`` columns and exact text only in ``_exact``
columns, and the exact text equals the exact value of the records. The hand-checked values come from the
model file (``models/cfe2.toml``: the option labels of the ceilings) and from the text output.
"""

from __future__ import annotations

import io
import json
import math
import re
from fractions import Fraction

import pandas
import pytest

import negotiation as ng
from negotiation.results.machine import (
    ZERO_TOLERANCE,
    machine_records,
    scale_of,
    snap_zero,
)
from negotiation.scenario import bundled_models
from negotiation.sweeps import sweep

#: A cell that states a number (what must not sit in a text column): ``600``, ``1,500``, ``-0.5``, ``3/4``.
NUMBER_TEXT = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?([eE][+-]?\d+)?|[+-]?\d+/\d+")
#: Text columns whose cells are labels even when they read as digits (a component's name, "1").
LABEL_COLUMNS = {"component"}


def _results():
    for name in bundled_models():
        result = ng.solve(ng.load(name))
        yield name, result
        for key, analysis in getattr(result, "analyses", {}).items():
            yield f"{name}/{key}", analysis


RESULTS = list(_results())


def _text_columns_hold_no_numbers(frame, where):
    for column in frame.columns:
        if pandas.api.types.is_numeric_dtype(frame[column]) or pandas.api.types.is_bool_dtype(frame[column]):
            continue
        if column.endswith(("_label", "_exact")) or column in LABEL_COLUMNS:
            continue
        for cell in frame[column].dropna():
            assert isinstance(cell, str), (where, column, cell)
            assert not NUMBER_TEXT.fullmatch(cell.strip()), (where, column, cell)


@pytest.mark.parametrize("name,result", RESULTS, ids=[name for name, _ in RESULTS])
def test_csv_reads_back_with_numeric_columns(name, result):
    text = result.to_csv()
    if not text:
        return
    frame = pandas.read_csv(io.StringIO(text), keep_default_na=True)
    _text_columns_hold_no_numbers(frame, name)
    records = result.to_records()
    for column in [c for c in frame.columns if c.endswith("_exact")]:
        base = column[: -len("_exact")]
        assert pandas.api.types.is_float_dtype(frame[base]), (name, base)
        for record, cell, number in zip(records, frame[column], frame[base]):
            if isinstance(cell, str):
                exact = Fraction(cell)
                assert exact == record[base], (name, column)
                assert number == float(exact)  # the float beside it is the nearest one


@pytest.mark.parametrize("name,result", RESULTS, ids=[name for name, _ in RESULTS])
def test_frame_has_numeric_dtypes(name, result):
    frame = result.to_frame()
    _text_columns_hold_no_numbers(frame, name)
    for column in frame.columns:
        assert not any(isinstance(v, Fraction) for v in frame[column]), (name, column)


@pytest.mark.parametrize("name,result", RESULTS, ids=[name for name, _ in RESULTS])
def test_json_parameters_are_exact_fraction_strings(name, result):
    data = json.loads(json.dumps(result.to_dict()))
    for key, value in result.parameters.items():
        if isinstance(value, Fraction):
            assert Fraction(data["parameters"][key]) == value, (name, key)


def test_cfe2_nash_ceilings_are_the_numbers_the_text_shows():
    result = ng.solve(ng.load("cfe2"))
    # the text output: "Nash agreement: tanks = 450; acv = 1,500; artillery = 450; aircraft = 100; helicopters = 40"
    line = next(line for line in result.to_text().splitlines() if line.startswith("Nash agreement:"))
    shown = dict(part.split(" = ") for part in line.removeprefix("Nash agreement: ").split("; "))
    assert shown == {"tanks": "450", "acv": "1,500", "artillery": "450", "aircraft": "100", "helicopters": "40"}
    frame = pandas.read_csv(io.StringIO(result.to_csv()))
    nash = frame[frame["solution"] == "nash"].iloc[0]
    for issue, label in shown.items():
        assert pandas.api.types.is_integer_dtype(frame[issue]) or pandas.api.types.is_float_dtype(frame[issue])
        assert nash[issue] == int(label.replace(",", ""))
        assert str(nash[f"{issue}_label"]) == label
    # JSON: the term is the exact number as a string, the option's label beside it
    agreement = result.to_dict()["solutions"]["nash"]["agreement"]
    assert {k: Fraction(v) for k, v in agreement["terms"].items()} == {
        "tanks": 450, "acv": 1500, "artillery": 450, "aircraft": 100, "helicopters": 40}
    assert agreement["labels"]["acv"] == "1,500"


def test_no_limit_is_a_blank_number_and_a_label():
    result = ng.solve(ng.load("cfe2"))
    egalitarian = result["egalitarian"].agreement.terms
    frontier = result.zone.frontier.points
    with_no_limit = next(p.agreement.terms for p in frontier if "no limit" in p.agreement.terms.values())
    assert "no limit" in with_no_limit.values() and egalitarian  # the model has "no limit" options
    json_terms = result.zone.frontier.to_dict(result.parties)["points"]
    point = next(p["agreement"] for p in json_terms if "no limit" in p["agreement"].get("labels", {}).values())
    issue = next(k for k, v in point["labels"].items() if v == "no limit")
    assert point["terms"][issue] is None


def test_words_among_numbers_go_to_a_label_column():
    rows = machine_records([{"rounds": 5, "p": Fraction(1, 3), "n": 2 ** 60 + 1},
                            {"rounds": "infinite", "p": 0.25, "n": 2}])
    assert rows[0] == {"rounds": 5, "rounds_label": None, "p": 1 / 3, "p_exact": "1/3",
                       "n": float(2 ** 60 + 1), "n_exact": str(2 ** 60 + 1)}
    assert rows[1] == {"rounds": None, "rounds_label": "infinite", "p": 0.25, "p_exact": None, "n": 2.0,
                       "n_exact": "2"}


def test_near_zero_is_zero_in_text_relative_to_the_scale():
    # -1.48148e-12 beside payoffs of magnitude 10 is rounding; beside numbers of magnitude 1e-12 it is not
    assert snap_zero(-1.48148e-12, scale_of([-10, 3.5])) == 0.0
    assert snap_zero(-1.48148e-12, scale_of([2e-12])) == -1.48148e-12
    assert snap_zero(-2e-8, scale_of([10])) == -2e-8  # above 1e-9 x 10
    assert snap_zero(Fraction(-1, 10 ** 15), 10.0) == Fraction(-1, 10 ** 15)  # exact values never change
    assert ZERO_TOLERANCE == 1e-9


def test_buffer_zone_prints_zero_and_keeps_the_float_in_csv():
    result = ng.solve(ng.load("buffer_zone"))
    gain = result["utilitarian"].utilities[1] - result.problem.disagreement[1]
    scale = scale_of([*result.problem.disagreement, *(u for s in result for u in s.utilities)])
    assert abs(gain) <= ZERO_TOLERANCE * scale  # the utilitarian agreement leaves Russia at its no-deal payoff
    row = next(line for line in result.to_text().splitlines() if line.startswith("utilitarian "))
    assert row.split()[-1] == "0" and "e-" not in row
    frame = pandas.read_csv(io.StringIO(result.to_csv()))
    assert frame.loc[frame["solution"] == "utilitarian", "gain Russia"].iloc[0] == gain  # full precision


def test_sweep_table_and_file_are_numeric_with_exact_companions(tmp_path):
    path = tmp_path / "sweep.csv"
    result = sweep(ng.load("security_dilemma"), grid=["omega=0:1/2:3", "k=0:1:4"], out=path)
    table = result.table()
    for column in ("point", "omega", "k", "phi", "equilibrium", "NATO: Deploy", "payoff NATO"):
        assert pandas.api.types.is_numeric_dtype(table[column]), column
    # k = 0, 1/3, 2/3, 1: the thirds are no floats, so k_exact carries them; omega = 0, 1/4, 1/2 needs none
    assert "k_exact" in table.columns and "omega_exact" not in table.columns
    for k, exact in zip(table["k"], table["k_exact"]):
        assert Fraction(exact) in {0, Fraction(1, 3), Fraction(2, 3), 1} and k == float(Fraction(exact))
    file_dtypes = pandas.read_csv(path).dtypes
    assert all(pandas.api.types.is_numeric_dtype(file_dtypes[c]) for c in file_dtypes.index
               if c not in ("kind", "component", "classification"))
    assert math.isclose(table["k"].max(), 1.0)


def test_every_display_format_shows_rounding_noise_as_zero_and_csv_keeps_it():
    """A float within ZERO_TOLERANCE of the table's largest number reads 0 in text, Markdown, LaTeX and HTML."""
    from negotiation.core.document import Document, Table, render_csv, render_html, render_latex, render_markdown, \
        render_text

    noise = -1.48148e-12  # what `agree buffer_zone` printed as a gain before (issue 15)
    document = Document("gains", (Table(("solution", "gain NATO", "gain Russia"),
                                        (("nash", 10.5, noise), ("tiny but exact", 10.5, Fraction(1, 10**15)))),))
    for render in (render_text, render_markdown, render_latex, render_html):
        shown = render(document)
        assert "e-12" not in shown and "1.48" not in shown, render.__name__
        assert "1/1000000000000000" in shown or "\\frac{1}{1000000000000000}" in shown, render.__name__
    # relative: the same number beside numbers of its own size is a number, not noise
    alone = Document("gains", (Table(("gain",), ((noise,), (2 * noise,))),))
    assert "-1.48148e-12" in render_text(alone)
    assert render_csv([{"gain Russia": noise}]).splitlines()[1] == repr(noise)
