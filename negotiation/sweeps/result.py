"""What a sweep produced (:class:`SweepResult`) and reading a sweep table back (:func:`read_table`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from negotiation.core.document import Document, Text
from negotiation.core.drawing import plot
from negotiation.core.errors import NegotiationError
from negotiation.core.priors import SAMPLE_BLOCK
from negotiation.results.base import Result
from negotiation.results.machine import EXACT_SUFFIX
from negotiation.sweeps.grid import Grid, chunk_bounds
from negotiation.sweeps.labels import is_tree_table
from negotiation.sweeps.rejection import Acceptance, AcceptedDraws
from negotiation.sweeps.summary import SummaryTable, monte_carlo_summary, region_summary

__all__ = ["SweepResult", "read_table"]


@dataclass(frozen=True, eq=False)
class SweepResult(Result):
    """What a sweep produced: where the table is, and each point's equilibrium set.

    Its rows (:meth:`to_records`, :meth:`table`) are the sweep table, one per point and equilibrium;
    what it says (``str(result)``, :meth:`to_markdown`, …) is the sweep's settings and its summary
    (:meth:`summary_table`); ``result.plot()`` draws the equilibrium map over the first two swept
    parameters (the bifurcation plot over one).

    Attributes
    ----------
    scenario : Scenario
    mode : str
        ``"grid"`` or ``"samples"``.
    grid : Grid or None
    n_samples, seed : int
    priors : dict
        Bound priors by parameter name (samples).
    values : dict
        Exact values of the parameters that were not swept (also :attr:`parameters`).
    out : Path or None
        The table file (``None``: the table is kept in memory, see :meth:`table`).
    format : str
        ``"csv"``, ``"parquet"`` or ``"memory"``.
    columns : list of str
    n_points, n_rows, n_chunks : int
    elapsed : float
        Wall time of this call in seconds.
    outcome_codes : ndarray
        Per point, an index into ``outcome_labels``: the point's equilibrium set
        as labels such as ``"pure (Deploy, Deploy)"``.
    class_codes, class_labels
        Per point, the classic game (``None`` when the scenario has no classification).
    resumed_chunks : int
        Chunks that an earlier, interrupted run had already written.
    exact : bool
        Every number of the table is exact (grid points solved exactly, not by the batch solver).
    complete : bool
        Every point's list of equilibria is complete.
    messages : tuple of str
        Notes on how the sweep ran (``"--workers 12 capped at 2 (2 CPUs)"``).
    acceptance : Acceptance or None
        Samples whose draws can break a scenario assumption: the rejection sampling's counts
        (:class:`~negotiation.sweeps.rejection.Acceptance`: draws, accepted points, the rejections of each
        assumption); see :attr:`acceptance_rate`. ``None`` for grids and for samples no assumption
        restricts (every draw is a point).

    Examples
    --------
    >>> import negotiation as ng
    >>> result = ng.sweep(ng.load("security_dilemma"), grid=["omega=0:1/2:3"])
    >>> result.summary()
    'grid_sweep (floating point, complete)'
    >>> print(result.to_text().splitlines()[0])
    NATO–Russia security dilemma (one shot): grid sweep
    """

    scenario: object
    mode: str
    grid: Grid | None
    n_samples: int
    seed: int
    priors: dict
    values: dict
    out: Path | None
    format: str
    columns: list
    n_points: int
    n_rows: int
    n_chunks: int
    elapsed: float
    outcome_codes: np.ndarray
    outcome_labels: list
    class_codes: np.ndarray | None = None
    class_labels: list | None = None
    resumed_chunks: int = 0
    exact: bool = False
    complete: bool = True
    messages: tuple = ()
    acceptance: Acceptance | None = None
    _frame: object = field(default=None, repr=False)

    # ------------------------------------------------------------------ the protocol
    @property
    def method(self) -> str:
        return "grid_sweep" if self.mode == "grid" else "monte_carlo_sweep"

    @property
    def parameters(self) -> dict:
        """The values of the parameters that were not swept."""
        return self.values

    def to_records(self) -> list[dict]:
        """The sweep table, one dict per row (point and equilibrium): numbers as floats, the exact parameter
        values as text in ``<parameter>_exact`` (see :meth:`table`)."""
        return self.table().to_dict("records")

    def document(self) -> Document:
        """The size of the table, how it was computed, and its summary (regions of a grid, probabilities of a
        sample) with the settings as notes."""
        where = f" in {self.out} ({self.format})" if self.out is not None else ""
        draws = (f"Draws: {self.acceptance.describe()}; the others broke {self._rejections()}",) \
            if self.acceptance is not None else ()
        heading = (f"Table: {self.n_rows:,} rows for {self.n_points:,} points{where}", f"Method: {self.summary()}",
                   *draws, *self.messages)
        summary = self.summary_table()
        kind = "grid sweep" if self.mode == "grid" else "Monte Carlo sweep"
        return Document(f"{self.scenario.title}: {kind}", (Text(heading), *summary.document().blocks),
                        notes=summary.notes)

    def _content(self) -> dict:
        """The settings, the size of the table and how many points have each equilibrium set."""
        content = {
            "scenario": self.scenario.id,
            "mode": self.mode,
            "swept": self.swept,
            "grid": self.grid.describe() if self.grid is not None else None,
            "samples": self.n_samples if self.mode == "samples" else None,
            "seed": self.seed if self.mode == "samples" else None,
            "priors": {name: prior.describe() for name, prior in self.priors.items()},
            "out": str(self.out) if self.out is not None else None,
            "format": self.format,
            "columns": list(self.columns),
            "points": self.n_points,
            "rows": self.n_rows,
            "chunks": self.n_chunks,
            "resumed_chunks": self.resumed_chunks,
            "equilibria": _counts(self.outcome_codes, self.outcome_labels),
        }
        if self.acceptance is not None:
            content["rejection_sampling"] = self.acceptance.to_dict()
        if self.class_codes is not None:
            content["classification"] = _counts(self.class_codes, self.class_labels)
        return content

    # ------------------------------------------------------------------ rejection sampling
    @property
    def acceptance_rate(self) -> float | None:
        """Accepted points per draw of a Monte Carlo sweep (1.0 when no assumption restricts the draws;
        ``None`` for a grid). Its Wilson 95 % interval: ``result.acceptance.interval()``."""
        if self.mode != "samples":
            return None
        return self.acceptance.rate if self.acceptance is not None else 1.0

    def _rejections(self) -> str:
        """``"'L >= W' (3,337)"``: the assumptions that rejected draws, with how many each."""
        found = [f"'{text}' ({count:,})" for text, count in self.acceptance.rejected if count]
        return ", ".join(found) or "no assumption"

    # ------------------------------------------------------------------ the points
    @property
    def swept(self) -> list[str]:
        """Names of the swept parameters."""
        return list(self.grid.names) if self.grid is not None else list(self.priors)

    def outcomes(self) -> list[str]:
        """The equilibrium set of every point, as a label."""
        labels = self.outcome_labels
        return [labels[c] for c in self.outcome_codes.tolist()]

    def classifications(self) -> list[str] | None:
        """The classic game of every point (``None`` if the scenario has no classification)."""
        if self.class_codes is None:
            return None
        labels = self.class_labels
        return [labels[c] for c in self.class_codes.tolist()]

    def categories(self, by: str = "equilibria") -> tuple[np.ndarray, list]:
        """Per-point codes and their labels, by equilibrium set (``"equilibria"``) or ``"classification"``."""
        if by in ("equilibria", "outcome", "outcomes"):
            return self.outcome_codes, self.outcome_labels
        if by == "classification":
            if self.class_codes is None:
                raise NegotiationError("this scenario has no classification (no cooperative strategy declared)")
            return self.class_codes, self.class_labels
        raise NegotiationError(f"by={by!r}: expected 'equilibria' or 'classification'")

    def parameter_values(self, name: str, exact: bool = False) -> np.ndarray:
        """Per-point values of one parameter (floats; exact ``Fraction`` objects with ``exact=True`` on grids)."""
        if self.grid is not None and name in self.grid.names:
            axis = self.grid[name]
            index = self.grid.indices(0, self.n_points)[self.grid.names.index(name)]
            if exact:
                values = np.empty(len(axis.values), dtype=object)
                values[:] = axis.values
                return values[index]
            return axis.floats[index]
        if name in self.priors:
            return _sampled(self, name)
        if name in self.values:
            value = self.values[name]
            if exact:
                out = np.empty(self.n_points, dtype=object)
                out[:] = [value] * self.n_points
                return out
            return np.full(self.n_points, float(value))
        raise KeyError(f"unknown parameter {name!r}")

    def table(self):
        """The equilibrium table as a pandas DataFrame (read back from the file when there is one).

        Numbers are numbers: ``point`` and ``equilibrium`` ``int64`` (``equilibrium`` ``float64`` when a point
        has none), parameters, probabilities and payoffs ``float64``. A parameter whose exact values are not
        all floats exactly (a grid step of ``1/3``) has its exact values as text (``"1/3"``) in the column
        ``<parameter>_exact`` right after it; probabilities and payoffs of points solved exactly are their
        nearest floats (``scenario.solve(values)`` at the exact parameter values gives them exactly).
        """
        if self._frame is not None:
            frame = self._frame
        elif self.out is None:
            raise NegotiationError("no table: the sweep wrote nothing")
        else:
            frame = read_table(self.out, exact=False)
        return _with_exact_parameters(self, frame)

    def summary_table(self, by: str = "equilibria") -> SummaryTable:
        """Monte Carlo probabilities (samples) or regions of the grid (grids), as a :class:`~negotiation.sweeps.summary.SummaryTable`."""
        if self.mode == "samples":
            return monte_carlo_summary(self, by=by)
        return region_summary(self, by=by)

    def map(self, x=None, y=None, **options):
        """Equilibrium map (see :func:`negotiation.report.maps.equilibrium_map`); returns the figure."""
        return plot(self, x, y, figure="map", **options)

    def __repr__(self) -> str:
        where = f" -> {self.out}" if self.out else ""
        return (f"SweepResult({self.mode}, {self.n_points:,} points, {self.n_rows:,} rows, "
                f"{len(self.outcome_labels)} equilibrium sets{where})")


def _counts(codes: np.ndarray, labels: list) -> dict:
    """Points per label, most frequent first."""
    counts = np.bincount(codes, minlength=len(labels)) if codes.size else np.zeros(len(labels), dtype=int)
    order = np.argsort(-counts, kind="stable").tolist()
    return {labels[c] or "(none)": int(counts[c]) for c in order if counts[c]}


def _with_exact_parameters(result: SweepResult, frame):
    """``frame`` with ``<parameter>_exact`` after each grid or fixed parameter whose exact values a float rounds."""
    if frame is None or "point" not in frame.columns or len(frame) == 0:
        return frame
    names = (list(result.grid.names) if result.grid is not None else []) + list(result.values)
    points = frame["point"].to_numpy().astype(np.int64)
    frame = frame.copy()
    for name in names:
        if name not in frame.columns or name + EXACT_SUFFIX in frame.columns:
            continue
        if name in result.values:
            values = [result.values[name]]
        else:
            values = result.grid[name].values
        if all(Fraction(float(v)) == v for v in values):
            continue
        exact = result.parameter_values(name, exact=True)[points]
        frame.insert(frame.columns.get_loc(name) + 1, name + EXACT_SUFFIX, [str(Fraction(v)) for v in exact])
    return frame


def _sampled(result: SweepResult, name: str) -> np.ndarray:
    """The values of a sampled parameter at every point: the accepted draws, as the chunks drew them."""
    draws = AcceptedDraws(result.scenario, result.priors, result.values, result.seed, result.acceptance)
    out = np.empty(result.n_points)
    for start, stop in chunk_bounds(result.n_points, SAMPLE_BLOCK * 16):
        out[start:stop] = draws.draw(start, stop)[name]
    return out


def read_table(path, *, exact: bool = True):
    """Read a sweep table (CSV or Parquet) into a DataFrame with numeric columns.

    ``point`` and ``equilibrium`` become ``int64`` (``float64`` when some cell is blank), the other number
    columns ``float64``; ``kind``, ``component``, ``classification`` and a tree's ``outcome`` stay text.
    Tables written before numbers were written as numbers have fraction cells (``1/3``): they are read
    as floats and, with ``exact``, their exact text is kept in a column ``<name>_exact`` after the
    column. Parquet columns keep their types. (:meth:`SweepResult.table` also adds the exact parameter
    values of a grid.)
    """
    import pandas  # heavy: only when a table is read

    path = Path(path)
    if path.is_dir() or path.suffix.lower() in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        files = sorted(path.glob("part-*.parquet")) if path.is_dir() else [path]
        if not files:
            raise NegotiationError(f"{path}: no Parquet parts found")
        return pandas.concat([pq.read_table(f).to_pandas() for f in files], ignore_index=True)
    frame = pandas.read_csv(path, dtype=str, keep_default_na=False)
    text_columns = {"kind", "component", "classification"}
    if is_tree_table(frame):
        text_columns.add("outcome")
    for name in list(frame.columns):
        if name in text_columns:
            continue
        cells = frame[name].tolist()
        numbers = np.array([_parse_cell(v) for v in cells], dtype=np.float64)
        if name in ("point", "equilibrium") and not np.isnan(numbers).any():
            numbers = numbers.astype(np.int64)
        frame[name] = numbers
        if exact and any("/" in v for v in cells):
            frame.insert(frame.columns.get_loc(name) + 1, name + EXACT_SUFFIX,
                         [str(Fraction(v)) if v != "" else None for v in cells])
    return frame


def _parse_cell(text: str) -> float:
    if text == "":
        return np.nan
    return float(Fraction(text)) if "/" in text else float(text)
