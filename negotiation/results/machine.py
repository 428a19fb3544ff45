"""Numbers as numbers in machine output: the columns of ``to_csv()`` and ``to_frame()``, and zero in text.

A result's records (:meth:`~negotiation.results.base.Result.to_records`) keep exact numbers as
``fractions.Fraction`` (or sympy numbers) and labels as strings. Machine output — CSV read by
``pandas.read_csv``, a DataFrame, Parquet — needs one type per column, so
:func:`machine_records` rewrites the records column by column:

* a column whose cells are all numbers becomes integers (every value whole) or floats, and, when
  some exact value is not a float exactly (``1/3``, ``sqrt(2)/2``), gets a companion column
  ``<name>_exact`` holding every exact value of the column as text (``"1/3"``; blank in rows
  whose value is a float or missing);
* a column that mixes numbers with words (``"infinite"`` beside ``5``) keeps the numbers, blank
  where a word stands, and gets ``<name>_label`` with the words;
* a column of formulas (sympy expressions in parameters) is text, as are labels;
* ``True``/``False`` stay booleans, ``None`` is a blank (``NaN`` in a frame).

Human formats (text, Markdown, LaTeX) are not affected. They show a float within
:data:`ZERO_TOLERANCE` of zero, relative to the scale of the numbers around it, as ``0``
(:func:`snap_zero`): a gain of ``-1.48e-12`` over a no-deal payoff of ``-10`` is rounding, not a
loss. Machine output keeps every float at full precision.

Examples
--------
>>> from fractions import Fraction
>>> machine_records([{"p": Fraction(1, 3), "rounds": 5}, {"p": Fraction(1, 2), "rounds": "infinite"}])
[{'p': 0.3333333333333333, 'p_exact': '1/3', 'rounds': 5, 'rounds_label': None}, \
{'p': 0.5, 'p_exact': '1/2', 'rounds': None, 'rounds_label': 'infinite'}]
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction

from negotiation.core.numeric import ZERO_TOLERANCE, is_sympy, scale_of, snap_zero

__all__ = [
    "EXACT_SUFFIX",
    "LABEL_SUFFIX",
    "ZERO_TOLERANCE",
    "machine_frame",
    "machine_records",
    "number_kind",
    "scale_of",
    "snap_zero",
]

#: Suffix of the companion column that holds a column's exact values as text (``"1/3"``).
EXACT_SUFFIX = "_exact"
#: Suffix of the companion column that holds the words of a column of numbers (``"no limit"``).
LABEL_SUFFIX = "_label"

#: A float whose magnitude is at most this times the scale of the numbers shown beside it (the largest
#: magnitude among them, :func:`scale_of`) is shown as 0 in text, Markdown and LaTeX. 1e-9 is a thousand times
#: below the six significant digits that text shows, and far above the rounding of double precision
#: (about 1e-16 relative) and of the bargaining solvers' optimisers (about 1e-12 relative, measured on
#: ``negotiation agree buffer_zone``: a gain of -2.3e-14 beside payoffs of magnitude 10).


# ---------------------------------------------------------------------- cells
def number_kind(value) -> str:
    """What a cell is: ``"none"``, ``"bool"``, ``"int"`` (whole exact), ``"exact"``, ``"float"``, ``"formula"``
    (a sympy expression with symbols), ``"text"``.

    Examples
    --------
    >>> [number_kind(v) for v in (None, True, 3, Fraction(4, 2), Fraction(1, 3), 0.5, "no limit")]
    ['none', 'bool', 'int', 'int', 'exact', 'float', 'text']
    """
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, numbers.Integral):
        return "int"
    if isinstance(value, Fraction):
        return "int" if value.denominator == 1 else "exact"
    if isinstance(value, float):
        return "float"
    if is_sympy(value):
        if getattr(value, "free_symbols", None) or not getattr(value, "is_number", False):
            return "formula"
        if getattr(value, "is_Integer", False):
            return "int"
        return "exact" if value.is_real is not False else "formula"
    if isinstance(value, numbers.Real):  # other real types (numpy floats are floats already)
        return "float"
    return "text"


def _float(value) -> float:
    if isinstance(value, Fraction):
        return value.numerator / value.denominator  # correctly rounded
    return float(value)


def _is_float_exactly(value) -> bool:
    """Whether ``float(value)`` is ``value`` (``1/2`` is, ``1/3`` and ``sqrt(2)`` are not)."""
    if isinstance(value, Fraction):
        converted = _float(value)
        return math.isfinite(converted) and Fraction(converted) == value
    if isinstance(value, numbers.Integral):
        return abs(int(value)) <= 2 ** 53
    if is_sympy(value):
        if getattr(value, "is_Rational", False):
            return _is_float_exactly(Fraction(int(value.p), int(value.q)))
        return False
    return True


#: Whole numbers beyond this magnitude go to a float column (an int64 column would overflow).
_LARGEST_INTEGER = 2 ** 53


def _whole(value) -> int:
    if isinstance(value, Fraction):
        return value.numerator
    return int(value)


# ---------------------------------------------------------------------- columns
def _column_plan(values: list) -> tuple[str, bool, bool]:
    """How one column is written: ``(kind, exact companion, label companion)``; kind is ``"int"``,
    ``"float"``, ``"bool"`` or ``"text"``."""
    kinds = {number_kind(v) for v in values} - {"none"}
    if not kinds:
        return "text", False, False
    if kinds == {"bool"}:
        return "bool", False, False
    if "formula" in kinds:
        return "text", False, False
    numeric = kinds & {"int", "exact", "float"}
    if not numeric:
        return "text", False, False
    words = "text" in kinds or "bool" in kinds
    whole = numeric == {"int"} and all(abs(_whole(v)) <= _LARGEST_INTEGER for v in values
                                       if number_kind(v) == "int")
    exact = any(number_kind(v) in ("exact", "int") and not _is_float_exactly(v) for v in values)
    return ("int" if whole else "float"), exact, words


def _exact_text(value) -> str | None:
    kind = number_kind(value)
    if kind == "int":
        return str(_whole(value))
    if kind == "exact":
        return str(value)
    return None


def machine_records(records: list) -> list[dict]:
    """Records with one type per column: numbers as ``int``/``float``, companions ``<name>_exact`` (exact values
    as text, where a float would lose exactness) and ``<name>_label`` (words among numbers), formulas as text.

    Columns keep their order of first appearance; each companion follows its column.
    """
    names = list(dict.fromkeys(key for record in records for key in record))
    out: list[dict] = [{} for _ in records]
    for name in names:
        values = [record.get(name) for record in records]
        kind, exact, words = _column_plan(values)
        for row, value in zip(out, values):
            cell_kind = number_kind(value)
            if kind == "text":
                row[name] = None if value is None else (value if isinstance(value, str) else str(value))
                continue
            if kind == "bool":
                row[name] = value
                continue
            numeric = cell_kind in ("int", "exact", "float")
            if not numeric:
                row[name] = None
            elif kind == "int":
                row[name] = _whole(value)
            else:
                row[name] = _float(value)
            if exact:
                row[name + EXACT_SUFFIX] = _exact_text(value) if numeric else None
            if words:
                row[name + LABEL_SUFFIX] = None if numeric or value is None else str(value)
    return out


def machine_frame(records: list):
    """:func:`machine_records` as a pandas DataFrame: ``int64``/``float64`` number columns, ``bool`` flags,
    text as objects (``None`` in text, ``NaN`` in numbers)."""
    import pandas  # heavy: only when a frame is asked for

    rows = machine_records(records)
    names = list(dict.fromkeys(key for row in rows for key in row))
    frame = pandas.DataFrame(rows, columns=names)
    for name in names:
        values = [row.get(name) for row in rows]
        present = [v for v in values if v is not None]
        if not present:
            continue
        if all(isinstance(v, bool) for v in present):
            frame[name] = frame[name].astype("bool" if len(present) == len(values) else "boolean")
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            frame[name] = frame[name].astype("int64" if len(present) == len(values) else "float64")
        elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
            frame[name] = frame[name].astype("float64")
    return frame


