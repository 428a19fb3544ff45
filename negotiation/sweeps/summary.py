"""Compact summaries of sweeps for papers: Monte Carlo probabilities and regions of a grid.

* :func:`monte_carlo_summary`: the probability of each equilibrium outcome
  (the set of equilibria at a point, e.g. ``"pure (Deploy, Deploy)"``) or of
  each classic game under the priors, with Wilson 95% confidence intervals;
* :func:`region_summary`: the connected regions of a grid in which the
  equilibrium set (or the classic game) stays the same, with the bounds of
  every swept parameter in each region (exact values). Grid points that touch
  at an edge or a corner belong to the same region, so a boundary that crosses
  the grid diagonally is one region, not one region per point.

Both return a :class:`SummaryTable`, a result: text, Markdown, booktabs LaTeX (exact values as
``\\frac``), CSV and JSON, and :meth:`SummaryTable.write` by a file's suffix.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Mapping

import numpy as np

from negotiation.core.document import Cell, Document, Table
from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import format_number
from negotiation.results.base import Result

__all__ = ["SummaryTable", "monte_carlo_summary", "region_summary", "wilson_interval", "Z95"]

#: Two-sided 95% standard normal quantile.
Z95 = 1.959963984540054


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion.

    Examples
    --------
    >>> low, high = wilson_interval(50, 100)
    >>> round(low, 4), round(high, 4)
    (0.4038, 0.5962)
    >>> wilson_interval(0, 10)[0]
    0.0
    """
    if trials <= 0:
        return (0.0, 1.0)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    low = 0.0 if successes <= 0 else max(0.0, centre - half)
    high = 1.0 if successes >= trials else min(1.0, centre + half)
    return (low, high)


@dataclass(frozen=True, eq=False)
class SummaryTable(Result):
    """A small table of a sweep's summary, with a title and notes, for papers.

    Its rows are dicts by column name (exact bounds stay ``Fraction``); it renders as every
    result does (text, Markdown, booktabs LaTeX with exact values as ``\\frac``, CSV, JSON), and
    :meth:`write` picks the format from a file's suffix.

    Examples
    --------
    >>> table = SummaryTable("Example", ["region", "omega min"], [{"region": 1, "omega min": Fraction(1, 4)}])
    >>> print(table.to_latex())  # doctest: +NORMALIZE_WHITESPACE
    % Example
    \\begin{tabular}{ll}
    \\toprule
    region & omega min \\\\
    \\midrule
    1 & $\\frac{1}{4}$ \\\\
    \\bottomrule
    \\end{tabular}
    """

    title: str
    columns: tuple
    rows: tuple
    notes: tuple = ()
    method: str = "summary"
    exact: bool = True
    complete: bool = True
    parameters: Mapping = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "rows", tuple(self.rows))
        object.__setattr__(self, "notes", tuple(self.notes))

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def to_records(self) -> list[dict]:
        """One dict per row, every column in order (exact values as ``Fraction``)."""
        return [{c: row.get(c) for c in self.columns} for row in self.rows]

    def document(self) -> Document:
        rows = tuple(tuple(_cell(row.get(c)) for c in self.columns) for row in self.rows)
        return Document(self.title or "Summary", (Table(self.columns, rows),), notes=self.notes)

    def _content(self) -> dict:
        return {"title": self.title, "columns": list(self.columns),
                "rows": [{c: _json(row.get(c)) for c in self.columns} for row in self.rows],
                "notes": list(self.notes)}

    def to_json(self) -> str:
        """:meth:`to_dict` as indented JSON."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def write(self, path) -> Path:
        """Write by suffix: ``.csv``, ``.md``, ``.tex``, ``.json`` (anything else: Markdown)."""
        path = Path(path)
        suffix = path.suffix.lower()
        text = {".csv": self.to_csv, ".tex": self.to_latex, ".json": self.to_json}.get(suffix, self.to_markdown)()
        path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        return path


def _cell(value):
    """A table cell: shares and probabilities with four significant digits (six in LaTeX), counts as text."""
    if isinstance(value, float):
        return Cell(format_number(value, digits=4), f"${format_number(value)}$")
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(int(value))
    return value


def _json(value):
    if isinstance(value, Fraction):
        return str(value) if value.denominator != 1 else value.numerator
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    return value


def monte_carlo_summary(result, by: str = "equilibria", z: float = Z95) -> SummaryTable:
    """Probability of each equilibrium outcome (or classic game) under the priors, with Wilson intervals.

    Examples
    --------
    >>> import negotiation as ng
    >>> from negotiation.sweeps import sweep
    >>> result = sweep(ng.load("security_dilemma"), samples=200, seed=1, priors={"omega": "uniform:0:1/2"})
    >>> table = monte_carlo_summary(result, by="classification")
    >>> sorted(row["classification"] for row in table)
    ['Harmony', "Prisoner's Dilemma", 'Stag Hunt']
    """
    codes, labels = result.categories(by)
    n = int(codes.size)
    counts = np.bincount(codes, minlength=len(labels)) if n else np.zeros(len(labels), dtype=int)
    key = "classification" if by == "classification" else "equilibria"
    rows = []
    for code in np.argsort(-counts, kind="stable").tolist():
        count = int(counts[code])
        if count == 0:
            continue
        low, high = wilson_interval(count, n, z)
        rows.append({key: labels[code] or "(none)", "count": count, "probability": count / n,
                     "95% low": low, "95% high": high})
    priors = "; ".join(f"{name} ~ {prior.describe()}" for name, prior in result.priors.items())
    fixed = ", ".join(f"{k} = {format_number(v)}" for k, v in result.values.items())
    acceptance = getattr(result, "acceptance", None)
    drawn = (f"Rejection sampling: {acceptance.describe()}; the probabilities are conditional on the "
             "scenario's assumptions." if acceptance is not None else "")
    notes = [f"{n:,} samples, seed {result.seed}; priors: {priors}.",
             f"Other parameters: {fixed}." if fixed else "", drawn,
             "Intervals: Wilson score, 95%."]
    title = f"{result.scenario.title}: probability of each {'classic game' if key == 'classification' else 'equilibrium set'}"
    return SummaryTable(title, [key, "count", "probability", "95% low", "95% high"], rows,
                        [note for note in notes if note], method="wilson_interval", exact=False,
                        parameters=dict(result.values))


def region_summary(result, by: str = "equilibria") -> SummaryTable:
    """Connected regions of a grid with the same equilibrium set (or classic game), with parameter bounds.

    Two grid points are neighbours when they differ by at most one step along every axis (edges and
    corners: 8 neighbours in a plane, 26 in space). A reader asks "where does this outcome hold?": a region
    of the plane is one connected set, and its sample on a grid stays connected this way even where its
    boundary, or the region itself when it is a line (a boundary case), runs diagonally; with neighbours
    along the axes only, each grid point of a diagonal line was a region of its own. Two pieces of one
    outcome that meet only across a line of another outcome one point wide, diagonally, count as one
    region; a row per connected piece (rather than one row per outcome) keeps the bounds of each piece
    tight when an outcome holds in separate places.

    Examples
    --------
    >>> import negotiation as ng
    >>> from negotiation.sweeps import sweep
    >>> result = sweep(ng.load("security_dilemma"), grid=["omega=0:1/2:5"])
    >>> [(row["classification"], row["omega min"], row["omega max"]) for row in region_summary(result)]
    [('Harmony', Fraction(0, 1), Fraction(1, 8)), ('Stag Hunt', Fraction(1, 4), Fraction(1, 4)), ("Prisoner's Dilemma", Fraction(3, 8), Fraction(1, 2))]
    """
    grid = result.grid
    if grid is None:
        raise NegotiationError("regions need a grid sweep; for samples use monte_carlo_summary")
    codes, labels = result.categories(by)
    shape = grid.shape
    other_codes = None
    if by != "classification" and result.class_codes is not None:
        other_codes = result.class_codes.reshape(shape)
    elif by == "classification":
        other_codes = result.outcome_codes.reshape(shape)
    axes = [axis for axis in grid.axes if len(axis) > 1]
    regions = _connected_regions(codes.reshape(shape))
    total = int(codes.size)
    key = "classification" if by == "classification" else "equilibria"
    other_key = "equilibria" if by == "classification" else "classification"
    other_labels = result.outcome_labels if by == "classification" else result.class_labels
    columns = ["region", key] + ([other_key] if other_codes is not None else []) + ["points", "share"]
    for axis in axes:
        columns += [f"{axis.name} min", f"{axis.name} max"]
    rows = []
    for number, (_, code, positions) in enumerate(regions, start=1):
        row = {"region": number, key: labels[code] or "(none)"}
        if other_codes is not None:
            found = np.unique(other_codes[positions]).tolist()
            row[other_key] = " / ".join(other_labels[c] or "(none)" for c in found)
        size = int(positions[0].size)
        row["points"] = size
        row["share"] = size / total
        for axis in axes:
            index = positions[grid.names.index(axis.name)]
            row[f"{axis.name} min"], row[f"{axis.name} max"] = axis.bounds_at(index)
        rows.append(row)
    fixed = ", ".join(f"{k} = {format_number(v)}" for k, v in result.values.items())
    notes = ["Grid: " + "; ".join(grid.describe()) + "."]
    if fixed:
        notes.append(f"Other parameters: {fixed}.")
    notes.append("A region is a connected set of grid points (neighbours differ by at most one step along "
                 "each axis: they touch at an edge or a corner) with the same " + ("classic game." if key == "classification" else "set of equilibria."))
    title = f"{result.scenario.title}: regions of the grid by {'classic game' if key == 'classification' else 'equilibrium set'}"
    return SummaryTable(title, columns, rows, notes, method="connected_regions", parameters=dict(result.values))


def _connected_regions(cube: np.ndarray) -> list:
    """``(first point, code, positions)`` of every connected region of equal codes, in order of first point."""
    from scipy import ndimage  # heavy: only for the regions of a grid

    structure = ndimage.generate_binary_structure(cube.ndim, cube.ndim)  # edges and corners
    regions = []
    for code in np.unique(cube).tolist():
        labelled, count = ndimage.label(cube == code, structure=structure)
        if count == 0:
            continue
        for positions in ndimage.value_indices(labelled, ignore_value=0).values():
            flat = np.ravel_multi_index(positions, cube.shape)
            regions.append((int(flat.min()), code, positions))
    regions.sort(key=lambda item: item[0])
    return regions
