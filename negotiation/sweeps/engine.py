"""The sweep engine: equilibria at every point of a grid or of a Monte Carlo sample.

Flow for one chunk of points (a fixed range of point indices):

1. parameter values: exact rationals on a grid (floats for evaluation), floats
   drawn from the priors for samples (:func:`~negotiation.sweeps.priors.sample_points`);
2. payoffs: every distinct payoff expression of the scenario is compiled once
   per process with :func:`sympy.lambdify` and evaluated for the whole chunk;
3. equilibria: two-player games up to 4×4 go through the vectorised
   :func:`negotiation.solvers.batch.batch_equilibria`; the points it flags as
   degenerate (ties such as ``omega = 1/4`` in the security dilemma) are solved
   again exactly, one by one, with ``scenario.solve`` at the exact parameter
   values.  Larger games, games with more players, and installations without
   the batch solver go point by point through ``scenario.solve``;
4. the chunk's rows are encoded (CSV bytes or Arrow) in the worker and written
   by the parent **in chunk order**, each chunk committed to the progress
   sidecar ``<out>.progress`` before the next.

Rows (one per parameter point and equilibrium): ``point``, every parameter,
``equilibrium`` (1-based within the point), ``kind`` (pure/mixed; ``none`` if a
method found no equilibrium), ``component``, ``"<player>: <strategy>"``
probabilities, ``"payoff <player>"``, and ``classification`` when the
scenario names a cooperative strategy of a symmetric 2×2 game.  Exact values
are written as fractions (``3/4``), floats in shortest round-trip form.
"""

from __future__ import annotations

import builtins
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from .grid import Grid, chunk_bounds, exact_value
from .priors import SAMPLE_BLOCK, resolve_priors, sample_points
from .writers import ChunkTable, Column, _Dictionary, have_pyarrow

__all__ = ["sweep", "SweepResult", "PROGRESS_SCHEMA", "NO_EQUILIBRIUM"]

PROGRESS_SCHEMA = "negotiation.sweep-progress/1"
NO_EQUILIBRIUM = "no equilibrium found"
_KINDS = ["pure", "mixed", "none"]
#: Chunks handed to a ``map`` callable at a time (bounds the results held in memory).
_WINDOW = 8


# ====================================================================== the plan (picklable)
@dataclass(frozen=True, eq=False)
class _Plan:
    """Everything a worker needs to compute any chunk; sent with every task."""

    key: str
    scenario: object
    mode: str                      # "grid" or "samples"
    grid: Grid | None
    n_samples: int
    seed: int
    priors: dict
    fixed: dict                    # name -> exact value, for parameters not swept
    chunk_size: int
    n_points: int
    output: str                    # "csv", "parquet" or "memory"

    def bounds(self, chunk: int) -> tuple[int, int]:
        start = chunk * self.chunk_size
        return start, min(start + self.chunk_size, self.n_points)

    @property
    def n_chunks(self) -> int:
        return -(-self.n_points // self.chunk_size)


@dataclass
class _ChunkOutput:
    chunk: int
    start: int
    stop: int
    payload: object
    n_rows: int
    outcome_codes: np.ndarray
    outcome_labels: list
    class_codes: np.ndarray | None
    class_labels: list | None


# ====================================================================== per-process compilation
_COMPILED: dict = {}


def _compiled(plan: _Plan) -> "_Compiled":
    compiled = _COMPILED.get(plan.key)
    if compiled is None:
        if len(_COMPILED) > 8:
            _COMPILED.clear()
        compiled = _COMPILED[plan.key] = _Compiled(plan)
    return compiled


def _run_chunk(task) -> _ChunkOutput:
    """Compute one chunk (module level, so that process pools and Dask can pickle it)."""
    plan, chunk = task
    return _compiled(plan).run(chunk)


class _Compiled:
    """Lambdified payoffs and assumptions, labels and column layout of one plan."""

    def __init__(self, plan: _Plan):
        import sympy

        self.plan = plan
        scenario = plan.scenario
        game = scenario.game
        self.scenario = scenario
        self.game = game
        self.parameters = scenario.parameters
        self.names = list(self.parameters.names)
        self.players = list(game.players)
        self.strategies = [list(s) for s in game.strategies]
        self.shape = tuple(game.shape)
        self.swept = list(plan.grid.names) if plan.grid is not None else list(plan.priors)
        symbols = game.parameters.symbols if game.is_symbolic else self.parameters.symbols
        self.arguments = [symbols.get(name, sympy.Symbol(name)) for name in self.names]
        # one compiled function per distinct payoff expression
        self.functions = []
        groups: dict = {}
        for position, entry in np.ndenumerate(game.payoffs):
            groups.setdefault(entry, []).append(position)
        for expression, positions in groups.items():
            if hasattr(expression, "free_symbols") and expression.free_symbols:
                function = sympy.lambdify(self.arguments, expression, modules="numpy")
            else:
                constant = float(expression)
                function = (lambda *args, _c=constant: _c)
            self.functions.append((function, positions))
        self.assumptions = []
        for assumption in scenario.assumptions:
            function = sympy.lambdify(self.arguments, assumption.condition, modules="numpy")
            self.assumptions.append((assumption, function))
        self.batch = None
        if game.n_players == 2 and max(self.shape) <= 4:
            try:
                from ..solvers import batch as batch_module
            except ImportError:
                batch_module = None
            self.batch = batch_module
        self.classify = (
            scenario.cooperate is not None and game.n_players == 2 and self.shape == (2, 2)
            and self.strategies[0] == self.strategies[1] and scenario.cooperate in self.strategies[0]
        )
        # a structurally symmetric game (B = A transposed for all parameter values) needs no check per point
        self.symmetric = False
        if self.classify:
            difference = [sympy.expand(sympy.sympify(game.payoffs[i, j, 0]) - sympy.sympify(game.payoffs[j, i, 1]))
                          for i in range(2) for j in range(2)]
            self.symmetric = all(d == 0 for d in difference)
        self.columns = column_names(scenario)
        self._label_cache: dict = {}

    # ---------------------------------------------------------------- values
    def values(self, start: int, stop: int):
        """Float arrays/scalars for evaluation and per-parameter exact cells for the table."""
        plan = self.plan
        n = stop - start
        floats, cells = {}, {}
        if plan.mode == "grid":
            indices = plan.grid.indices(start, stop)
            for axis, index in zip(plan.grid.axes, indices):
                floats[axis.name] = axis.floats[index]
                cells[axis.name] = ("axis", index, list(axis.values), axis.floats)
        else:
            draws = sample_points(plan.priors, plan.seed, start, stop)
            for name, values in draws.items():
                floats[name] = values + 0.0
                cells[name] = ("float", floats[name])
        for name, value in plan.fixed.items():
            floats[name] = float(value)
            cells[name] = ("fixed", value)
        return n, floats, cells

    def exact_point(self, j: int, cells) -> dict:
        """Exact parameter values of local point ``j`` (floats read exactly, as binary rationals)."""
        point = {}
        for name in self.names:
            cell = cells[name]
            if cell[0] == "axis":
                point[name] = cell[2][int(cell[1][j])]
            elif cell[0] == "float":
                point[name] = Fraction(float(cell[1][j]))
            else:
                point[name] = cell[1]
        return point

    def float_point(self, j: int, cells) -> dict:
        point = self.exact_point(j, cells)
        return {name: (float(v) if cells[name][0] == "float" else v) for name, v in point.items()}

    def payoffs(self, n: int, floats: dict) -> np.ndarray:
        args = [floats[name] for name in self.names]
        out = np.empty((n,) + self.shape + (len(self.players),), dtype=np.float64)
        with np.errstate(all="ignore"):
            for function, positions in self.functions:
                value = np.broadcast_to(np.asarray(function(*args), dtype=np.float64), (n,))
                for position in positions:
                    out[(slice(None),) + position] = value
        if not np.isfinite(out).all():
            bad = int(np.flatnonzero(~np.isfinite(out.reshape(n, -1)).all(axis=1))[0])
            raise ValueError(f"payoffs are not finite numbers at point {self._describe(bad, floats)}")
        return out

    def check_assumptions(self, n: int, floats: dict, cells, start: int) -> None:
        if not self.assumptions:
            return
        args = [floats[name] for name in self.names]
        for assumption, function in self.assumptions:
            with np.errstate(all="ignore"):
                verdict = np.broadcast_to(np.asarray(function(*args), dtype=bool), (n,))
            for j in np.flatnonzero(~verdict).tolist():
                # confirm exactly (float comparisons can be wrong on the boundary)
                self.scenario.game_at(self.exact_point(j, cells))

    def _describe(self, j: int, floats: dict) -> str:
        parts = []
        for name in self.names:
            value = floats[name]
            value = value[j] if isinstance(value, np.ndarray) else value
            parts.append(f"{name}={value:g}")
        return ", ".join(parts)

    # ---------------------------------------------------------------- solving
    def run(self, chunk: int) -> _ChunkOutput:
        start, stop = self.plan.bounds(chunk)
        n, floats, cells = self.values(start, stop)
        self.check_assumptions(n, floats, cells, start)
        rows = _Rows(self)
        class_codes = None
        if self.batch is not None:
            payoffs = self.payoffs(n, floats)
            A, B = payoffs[..., 0], payoffs[..., 1]
            with np.errstate(all="ignore"):
                result = self.batch.batch_equilibria(A, B)
            flagged = np.asarray(result.degenerate, dtype=bool) | (np.asarray(result.count) == 0)
            if flagged.any():
                keep = ~flagged[result.point]
                rows.add_batch(result.point[keep], result.row[keep], result.column[keep], result.payoffs[keep])
            else:
                rows.add_batch(result.point, result.row, result.column, result.payoffs)
            if self.classify:
                cooperate = self.strategies[0].index(self.scenario.cooperate)
                with np.errstate(all="ignore"):
                    codes = self.batch.classify_symmetric_batch(A, None if self.symmetric else B, cooperate)
                names = [("" if name == "not symmetric" else name) for name in self.batch.CLASS_NAMES]
                class_codes, class_labels = np.asarray(codes, dtype=np.int32), names
            for j in np.flatnonzero(flagged).tolist():
                result_j = self.scenario.solve(self.exact_point(j, cells))
                rows.add_result(j, result_j, as_float=self.plan.mode == "samples")
                if class_codes is not None:
                    class_codes[j] = _label_code(class_labels, _class_name(result_j))
        else:
            if self.classify:
                class_codes, class_labels = np.zeros(n, dtype=np.int32), [""]
            for j in range(n):
                point = self.exact_point(j, cells) if self.plan.mode == "grid" else self.float_point(j, cells)
                result_j = self.scenario.solve(point)
                rows.add_result(j, result_j, as_float=False)
                if class_codes is not None:
                    class_codes[j] = _label_code(class_labels, _class_name(result_j))
        table, outcome_codes, outcome_labels = rows.build(n, start, cells, class_codes,
                                                          class_labels if class_codes is not None else None)
        if self.plan.output == "csv":
            payload = table.to_csv_bytes()
        elif self.plan.output == "parquet":
            payload = _parquet_bytes(table)
        else:
            payload = table
        return _ChunkOutput(chunk, start, stop, payload, table.n_rows, outcome_codes, outcome_labels,
                            class_codes, class_labels if class_codes is not None else None)

    # ---------------------------------------------------------------- labels
    def equilibrium_label(self, code: int) -> str:
        label = self._label_cache.get(code)
        if label is None:
            label = self._label_cache[code] = equilibrium_label(code, self.strategies)
        return label


def _class_name(result) -> str:
    text = result.details.get("classification", "") if result.details else ""
    return str(text).split(" (")[0]


def _label_code(labels: list, label: str) -> int:
    if label not in labels:
        labels.append(label)
    return labels.index(label)


def equilibrium_label(code: int, strategies) -> str:
    """Label of an equilibrium from its support bits: ``"pure (Deploy, Deploy)"``, ``"mixed (Restrain+Deploy, Deploy)"``.

    Bit ``offset_i + s`` of ``code`` is set when player ``i`` plays strategy ``s``
    with positive probability; ``-1`` stands for "no equilibrium".

    Examples
    --------
    >>> equilibrium_label(0b1010, [["Restrain", "Deploy"], ["Restrain", "Deploy"]])
    'pure (Deploy, Deploy)'
    >>> equilibrium_label(0b1011, [["Restrain", "Deploy"], ["Restrain", "Deploy"]])
    'mixed (Restrain+Deploy, Deploy)'
    """
    if code < 0:
        return NO_EQUILIBRIUM
    parts, offset, pure = [], 0, True
    for labels in strategies:
        support = [s for k, s in enumerate(labels) if (code >> (offset + k)) & 1]
        pure = pure and len(support) == 1
        parts.append("+".join(support))
        offset += len(labels)
    return f"{'pure' if pure else 'mixed'} ({', '.join(parts)})"


def column_names(scenario) -> list[str]:
    """Columns of the sweep table of ``scenario``, in order."""
    game = scenario.game
    names = ["point", *scenario.parameters.names, "equilibrium", "kind", "component"]
    for player, labels in zip(game.players, game.strategies):
        names += [f"{player}: {label}" for label in labels]
    names += [f"payoff {player}" for player in game.players]
    strategies = [list(s) for s in game.strategies]
    if (scenario.cooperate is not None and game.n_players == 2 and tuple(game.shape) == (2, 2)
            and strategies[0] == strategies[1] and scenario.cooperate in strategies[0]):
        names.append("classification")
    return names


class _Rows:
    """Accumulates the rows of one chunk from the batch solver and from exact solves."""

    def __init__(self, compiled: _Compiled):
        self.compiled = compiled
        self.n_strategies = sum(len(s) for s in compiled.strategies)
        self.n_players = len(compiled.players)
        self.batch_parts = []
        self.exact_rows = []  # (point, eq number, kind code, component, probabilities, payoffs, exact?)

    def add_batch(self, point, row, column, payoffs):
        self.batch_parts.append((np.asarray(point, dtype=np.int64), np.hstack([row, column]),
                                 np.asarray(payoffs, dtype=np.float64)))

    def add_result(self, j: int, result, *, as_float: bool):
        from ..report.tables import _component_of

        components = _component_of(result)
        if not result.equilibria:
            self.exact_rows.append((j, 0, 2, "", None, None))
            return
        for k, equilibrium in enumerate(result.equilibria):
            probabilities = [p for vector in equilibrium.profile.probabilities for p in vector]
            payoffs = list(equilibrium.payoffs)
            if as_float:
                probabilities = [float(p) for p in probabilities]
                payoffs = [float(p) for p in payoffs]
            kind = 0 if equilibrium.kind == "pure" else 1
            self.exact_rows.append((j, k + 1, kind, components.get(k, ""), probabilities, payoffs))

    def build(self, n: int, start: int, cells, class_codes, class_labels):
        import pandas

        compiled = self.compiled
        S, P = self.n_strategies, self.n_players
        offsets = np.cumsum([0] + [len(s) for s in compiled.strategies])
        points, numbers, kinds, probabilities, payoffs, component_codes = [], [], [], [], [], []
        # component labels: "1", "2", ... for the batch rows (nondegenerate: one component each),
        # then whatever the exact results say
        width_batch = 0
        for point, probs, pays in self.batch_parts:
            if point.size == 0:
                continue
            first = np.searchsorted(point, point, side="left")
            number = np.arange(point.size) - first + 1
            width_batch = max(width_batch, int(number.max()))
            points.append(point)
            numbers.append(number)
            support = probs > 0
            pure = np.ones(point.size, dtype=bool)
            for a, b in zip(offsets[:-1], offsets[1:]):
                count = support[:, a].astype(np.int8)
                for c in range(a + 1, b):
                    count += support[:, c]
                pure &= count == 1
            kinds.append(np.where(pure, 0, 1))
            probabilities.append(probs)
            payoffs.append(pays)
            component_codes.append(number - 1)
        component_labels = [str(k) for k in range(1, width_batch + 1)]
        n_batch = sum(p.size for p in points)
        exact_cells: dict = {}
        if self.exact_rows:
            m = len(self.exact_rows)
            e_point = np.array([r[0] for r in self.exact_rows], dtype=np.int64)
            e_number = np.array([r[1] for r in self.exact_rows], dtype=np.int64)
            e_kind = np.array([r[2] for r in self.exact_rows], dtype=np.int64)
            e_probs = np.zeros((m, S))
            e_pays = np.zeros((m, P))
            e_components = np.empty(m, dtype=np.int64)
            for i, row in enumerate(self.exact_rows):
                e_components[i] = _label_code(component_labels, row[3])
                if row[4] is None:
                    continue
                e_probs[i] = [float(v) for v in row[4]]
                e_pays[i] = [float(v) for v in row[5]]
                for c, v in enumerate(row[4]):
                    if isinstance(v, Fraction):
                        exact_cells.setdefault(("p", c), {})[n_batch + i] = v
                for c, v in enumerate(row[5]):
                    if isinstance(v, Fraction):
                        exact_cells.setdefault(("u", c), {})[n_batch + i] = v
            points.append(e_point)
            numbers.append(e_number)
            kinds.append(e_kind)
            probabilities.append(e_probs)
            payoffs.append(e_pays)
            component_codes.append(e_components)
        if points:
            point = np.concatenate(points)
            number = np.concatenate(numbers)
            kind = np.concatenate(kinds)
            probs = np.concatenate(probabilities)
            pays = np.concatenate(payoffs)
            component = np.concatenate(component_codes)
        else:
            point = number = kind = component = np.zeros(0, dtype=np.int64)
            probs, pays = np.zeros((0, S)), np.zeros((0, P))
        if self.exact_rows and self.batch_parts:
            order = np.argsort(point, kind="stable")
            inverse_order = np.empty_like(order)
            inverse_order[order] = np.arange(order.size)
            point, number, kind, component = point[order], number[order], kind[order], component[order]
            probs, pays = probs[order], pays[order]
            exact_cells = {key: {int(inverse_order[r]): v for r, v in values.items()}
                           for key, values in exact_cells.items()}
        R = point.size
        empty = kind == 2

        # ---------------- outcomes per point (support codes)
        positive = probs > 0
        for key, rows_values in exact_cells.items():
            if key[0] == "p":
                for r, v in rows_values.items():
                    positive[r, key[1]] = v > 0
        support = np.zeros(R, dtype=np.int64)
        for c in range(S):
            support |= positive[:, c].astype(np.int64) << c
        support[empty] = -1
        counts = np.bincount(point, minlength=n)
        width = max(int(counts.max()) if n else 1, 1)
        starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        rank = np.arange(R) - starts[point]
        bits = S + 1
        if bits * width <= 62:
            keys = np.zeros(n, dtype=np.int64)
            shifted = (support + 2) << (rank * bits)
            for r in range(width):
                at = rank == r
                keys[point[at]] |= shifted[at]
            outcome_codes, unique_keys = pandas.factorize(keys)
            rows_of_codes = []
            for key in unique_keys.tolist():
                codes, k = [], 0
                while key >> (k * bits):
                    codes.append(((key >> (k * bits)) & ((1 << bits) - 1)) - 2)
                    k += 1
                rows_of_codes.append(codes)
        else:
            matrix = np.full((n, width), -2, dtype=np.int64)
            matrix[point, rank] = support
            unique, outcome_codes = np.unique(matrix, axis=0, return_inverse=True)
            rows_of_codes = [[c for c in row if c != -2] for row in unique.tolist()]
        outcome_labels = []
        for codes in rows_of_codes:
            labels = [compiled.equilibrium_label(c) for c in codes]
            outcome_labels.append("; ".join(labels) if labels else NO_EQUILIBRIUM)
        outcome_codes = np.asarray(outcome_codes, dtype=np.int32).reshape(-1)

        # ---------------- columns
        columns = [Column.integers("point", point + start)]
        for name in compiled.names:
            cell = cells[name]
            if cell[0] == "axis":
                dictionary = _Dictionary(values=cell[2], value_floats=cell[3])
                columns.append(Column(name, cell[1][point], kind="number", dictionary=dictionary))
            elif cell[0] == "float":
                columns += (Column.raw_numbers if compiled.plan.output == "parquet" else Column.number_group)(
                    [name], cell[1][point][:, None])
            else:
                columns.append(Column.constant(name, cell[1], R, kind="number"))
        equilibrium_values = [None] + list(range(1, width + 1))
        columns.append(Column("equilibrium", np.where(empty, 0, number), equilibrium_values, kind="integer"))
        columns.append(Column("kind", kind, list(_KINDS)))
        columns.append(Column("component", component, component_labels))
        names = compiled.columns
        offset = 4 + len(compiled.names)
        any_empty = empty if empty.any() else None
        numbers = Column.raw_numbers if compiled.plan.output == "parquet" else Column.number_group
        columns += numbers(names[offset:offset + S], probs, [exact_cells.get(("p", c)) for c in range(S)], any_empty)
        columns += numbers(names[offset + S:offset + S + P], pays, [exact_cells.get(("u", c)) for c in range(P)],
                           any_empty)
        if class_codes is not None:
            columns.append(Column("classification", class_codes[point], list(class_labels)))
        return ChunkTable(columns, R), outcome_codes, outcome_labels


def _parquet_bytes(table: ChunkTable) -> bytes:
    """One chunk as a complete Parquet file (encoded in the worker)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = table.to_arrow()
    text = [c.name for c in table.columns if c.kind == "text"]
    indexed = [c.name for c in table.columns if c.name not in text and c.kind != "number" or c.name == "point"]
    indexed += [c.name for c in table.columns[1:] if c.kind == "number" and c.raw is None]  # parameters
    sink = pa.BufferOutputStream()
    # dictionary encoding for the text columns, statistics for the point index and the parameters:
    # several times faster than the defaults, same size
    pq.write_table(arrow, sink, compression="snappy", use_dictionary=text, write_statistics=indexed)
    return sink.getvalue().to_pybytes()


# ====================================================================== the result
@dataclass(eq=False)
class SweepResult:
    """What a sweep produced: where the table is, and each point's equilibrium set.

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
        Exact values of the parameters that were not swept.
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
    _frame: object = field(default=None, repr=False)

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
                raise ValueError("this scenario has no classification (no cooperative strategy declared)")
            return self.class_codes, self.class_labels
        raise ValueError(f"by={by!r}: expected 'equilibria' or 'classification'")

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
        """The equilibrium table as a pandas DataFrame (read back from the file when there is one)."""
        if self._frame is not None:
            return self._frame
        if self.out is None:
            raise ValueError("no table: the sweep wrote nothing")
        return read_table(self.out)

    def summary(self, by: str = "equilibria"):
        """Monte Carlo probabilities (samples) or regions of the grid (grids), as a :class:`~negotiation.sweeps.summary.SummaryTable`."""
        from .summary import monte_carlo_summary, region_summary

        if self.mode == "samples":
            return monte_carlo_summary(self, by=by)
        return region_summary(self, by=by)

    def map(self, x=None, y=None, **options):
        """Equilibrium map (see :func:`negotiation.report.maps.equilibrium_map`)."""
        from ..report.maps import equilibrium_map

        return equilibrium_map(self, x, y, **options)

    def __repr__(self) -> str:
        where = f" -> {self.out}" if self.out else ""
        return (f"SweepResult({self.mode}, {self.n_points:,} points, {self.n_rows:,} rows, "
                f"{len(self.outcome_labels)} equilibrium sets{where})")


def _sampled(result: SweepResult, name: str) -> np.ndarray:
    out = np.empty(result.n_points)
    for start, stop in chunk_bounds(result.n_points, SAMPLE_BLOCK * 16):
        out[start:stop] = sample_points(result.priors, result.seed, start, stop)[name]
    return out


def read_table(path, *, exact: bool = True):
    """Read a sweep table (CSV or Parquet) into a DataFrame.

    CSV cells that are written as fractions or integers become ``Fraction``
    when ``exact`` (floats stay floats); Parquet columns keep their types.
    """
    import pandas

    path = Path(path)
    if path.is_dir() or path.suffix.lower() in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        files = sorted(path.glob("part-*.parquet")) if path.is_dir() else [path]
        if not files:
            raise ValueError(f"{path}: no Parquet parts found")
        return pandas.concat([pq.read_table(f).to_pandas() for f in files], ignore_index=True)
    frame = pandas.read_csv(path, dtype=str, keep_default_na=False)
    text_columns = {"kind", "component", "classification"}
    for name in frame.columns:
        if name in text_columns:
            continue
        if name in ("point", "equilibrium"):
            frame[name] = [int(v) if v != "" else None for v in frame[name]]
            continue
        frame[name] = [_parse_cell(v, exact) for v in frame[name]]
    return frame


def _parse_cell(text: str, exact: bool):
    if text == "":
        return None
    if exact and not any(c in text for c in ".eEni"):
        return Fraction(text)
    return float(Fraction(text)) if "/" in text else float(text)


# ====================================================================== the front door
def sweep(scenario, grid=None, samples=None, seed=0, priors=None, out=None, format=None,
          chunk_size=65536, resume=False, workers=None, map=None, progress=None, values=None) -> SweepResult:
    """Equilibria of a scenario at every point of a grid or of a Monte Carlo sample.

    Parameters
    ----------
    scenario : Scenario, str or Path
        A loaded scenario, a scenario file or a bundled model name.
    grid : Grid, mapping or sequence of ``"NAME=START:STOP:NUM"``, optional
        Exact rational axes; the points are their cartesian product (first
        axis slowest).  A mapping takes ``name -> (start, stop, num)`` or
        ``name -> list of values``.
    samples : int, optional
        Number of Monte Carlo points, drawn from ``priors`` (give either
        ``grid`` or ``samples``).
    seed : int
        Seed of the Monte Carlo draws.  Block ``b`` of
        :data:`~negotiation.sweeps.priors.SAMPLE_BLOCK` points uses
        ``SeedSequence(seed, spawn_key=(b,))``, so the numbers do not depend on
        ``chunk_size``, ``workers`` or ``map``.
    priors : mapping or sequence of ``"NAME=SPEC"``, optional
        ``name -> Prior`` (or a spec such as ``"beta:2:5"``).  Defaults to the
        scenario's declared priors (attribute ``priors``, if any).
    out : str or Path, optional
        Where the table goes: a CSV file, or for Parquet a dataset folder
        (``out/part-00000000.parquet``, one file per chunk, in order; read it
        with :func:`read_table`, ``pandas.read_parquet(out)`` or
        ``pyarrow.dataset``).  Without ``out`` the table is kept in memory
        (:meth:`SweepResult.table`).  A small ``<out>.progress`` record beside
        it makes ``resume`` possible.
    format : {"csv", "parquet"}, optional
        Default: from the suffix of ``out`` (CSV unless it ends in ``.parquet``).
    chunk_size : int
        Points per chunk: the unit of work, of writing and of resuming.
    resume : bool
        Continue an interrupted sweep into the same ``out`` (same settings):
        the partial tail is cut off and the missing chunks are computed; the
        file ends up byte for byte as an uninterrupted run would leave it.
    workers : int, optional
        Local processes (``concurrent.futures.ProcessPoolExecutor``).
    map : callable, optional
        Any ``map``-like callable, e.g. ``client.get_executor().map`` of a
        Dask ``Client``; it is called with a module-level function and an
        iterable of picklable tasks, and must return results in input order.
    progress : bool or callable, optional
        ``True``: a progress bar on stderr; ``None``: the bar only on a
        terminal and for more than one chunk; a callable is called as
        ``progress(chunks_done, n_chunks, points_done, n_points)`` after each
        committed chunk.
    values : mapping, optional
        Values of parameters that are not swept (others keep their defaults).

    Returns
    -------
    SweepResult

    Examples
    --------
    >>> import negotiation as ng
    >>> scenario = ng.load("security_dilemma")
    >>> result = sweep(scenario, grid=["omega=0:1/2:3"])
    >>> result.classifications()
    ['Harmony', 'boundary case', "Prisoner's Dilemma"]
    >>> result.table()[["omega", "kind", "NATO: Deploy"]].to_dict("list")
    {'omega': [Fraction(0, 1), Fraction(1, 4), Fraction(1, 4), Fraction(1, 2)], 'kind': ['pure', 'pure', 'pure', 'pure'], 'NATO: Deploy': [0.0, Fraction(0, 1), Fraction(1, 1), 1.0]}
    """
    started = time.perf_counter()
    if isinstance(scenario, (str, os.PathLike)):
        from ..scenario import load

        scenario = load(scenario)
    plan = _make_plan(scenario, grid, samples, seed, priors, out, format, chunk_size, values)
    out_path = Path(out) if out is not None else None
    runner = _Runner(plan, out_path, resume)
    return runner.run(workers, map, progress, started)


def _make_plan(scenario, grid, samples, seed, priors, out, format, chunk_size, values) -> _Plan:
    parameters = scenario.parameters
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise ValueError(f"chunk size must be a positive whole number, got {chunk_size!r}")
    if (grid is None) == (samples is None):
        raise ValueError("give either a grid (--grid NAME=START:STOP:NUM) or a number of samples (--samples N)")
    fixed_input = dict(values or {})
    if grid is not None:
        grid = Grid(grid)
        grid.check(parameters)
        swept = set(grid.names)
        mode, n_points, bound = "grid", len(grid), {}
        if priors:
            raise ValueError("--prior applies to --samples, not to a grid")
    else:
        if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
            raise ValueError(f"--samples must be a positive whole number, got {samples!r}")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"--seed must be a whole number >= 0, got {seed!r}")
        if priors is None:
            priors = getattr(scenario, "priors", None) or None
        if not priors:
            raise ValueError("--samples needs at least one prior (--prior NAME=FAMILY:ARGS, e.g. omega=beta:2:5)")
        bound = resolve_priors(priors, parameters)
        swept = set(bound)
        mode, n_points = "samples", int(samples)
    both = sorted(swept & set(fixed_input))
    if both:
        raise ValueError(f"--set {both[0]}: parameter is also swept")
    try:
        resolved = parameters.resolve(fixed_input)
    except ValueError as error:
        raise ValueError(str(error)) from None
    fixed = {name: exact_value(v, where=f"parameter {name}") for name, v in resolved.items() if name not in swept}
    if format is None:
        format = "parquet" if out is not None and str(out).lower().endswith((".parquet", ".pq")) else "csv"
    format = str(format).lower()
    if format not in ("csv", "parquet"):
        raise ValueError(f"--format {format!r}: expected csv or parquet")
    if format == "parquet" and not have_pyarrow():
        raise ValueError("--format parquet needs pyarrow (pip install pyarrow)")
    output = "memory" if out is None else format
    key = _fingerprint(scenario, mode, grid, n_points, seed, bound, fixed, int(chunk_size), output)
    return _Plan(key, scenario, mode, grid, n_points if mode == "samples" else 0, int(seed), bound, fixed,
                 int(chunk_size), n_points, output)


def _fingerprint(scenario, mode, grid, n_points, seed, priors, fixed, chunk_size, output) -> str:
    import sympy

    from .. import __version__

    game = scenario.game
    data = {
        "version": __version__,
        "title": game.title,
        "players": list(game.players),
        "strategies": [list(s) for s in game.strategies],
        "payoffs": [sympy.srepr(e) if hasattr(e, "free_symbols") else str(e) for e in game.payoffs.flat],
        "parameters": [[p.name, str(p.default), str(p.low), str(p.high)] for p in scenario.parameters],
        "assumptions": [a.text for a in scenario.assumptions],
        "cooperate": scenario.cooperate,
        "mode": mode,
        "grid": [[a.name, [str(v) for v in a.values]] for a in grid.axes] if grid is not None else None,
        "points": n_points,
        "seed": seed if mode == "samples" else None,
        "block": SAMPLE_BLOCK,
        "priors": {k: [p.family, list(p.arguments), p.low, p.high] for k, p in priors.items()},
        "fixed": {k: str(v) for k, v in fixed.items()},
        "chunk_size": chunk_size,
        "output": output,
    }
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


# ====================================================================== running and writing
class _Runner:
    def __init__(self, plan: _Plan, out: Path | None, resume: bool):
        self.plan = plan
        self.out = out
        self.resume = resume
        n = plan.n_points
        self.outcome_codes = np.full(n, -1, dtype=np.int32)
        self.outcome_labels: list = []
        self._outcome_index: dict = {}
        self.classify = "classification" in column_names(plan.scenario)
        self.class_codes = np.zeros(n, dtype=np.int32) if self.classify else None
        self.class_labels: list = []
        self._class_index: dict = {}
        self.frames = []
        self.n_rows = 0

    # ---------------------------------------------------------------- progress sidecar
    @property
    def sidecar(self) -> Path:
        return self.out.with_name(self.out.name + ".progress")

    @property
    def parts(self) -> Path:
        """Parquet output is a dataset folder: one ``part-NNNNNNNN.parquet`` file per chunk."""
        return self.out

    def _save_state(self, state: dict) -> None:
        temporary = self.sidecar.with_name(self.sidecar.name + ".tmp")
        temporary.write_text(json.dumps(state, indent=1), encoding="utf-8")
        os.replace(temporary, self.sidecar)

    def _load_state(self) -> dict | None:
        try:
            state = json.loads(self.sidecar.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            raise ValueError(f"{self.sidecar}: unreadable progress file ({error}); delete it to start afresh") from None
        if state.get("schema") != PROGRESS_SCHEMA:
            raise ValueError(f"{self.sidecar}: not a sweep progress file")
        if state.get("key") != self.plan.key:
            raise ValueError(f"{self.out}: --resume with different settings than the interrupted sweep "
                             "(scenario, grid/samples, seed, priors, values, chunk size and format must be the same)")
        return state

    # ---------------------------------------------------------------- main loop
    def run(self, workers, map_function, progress, started) -> SweepResult:
        plan = self.plan
        done, state = 0, None
        if self.out is not None:
            state = self._start_output()
            done = len(state["chunks"])
        resumed = done
        todo = list(range(done, plan.n_chunks))
        bar = _Progress(progress, plan.n_chunks, plan.n_points)
        if resumed:
            bar.update(done, plan.bounds(done - 1)[1])
        executor = None
        try:
            if map_function is None and workers is not None and int(workers) > 1 and len(todo) > 1:
                from concurrent.futures import ProcessPoolExecutor

                _prepare_parent(plan)  # forked workers inherit compiled payoffs and imported modules
                executor = ProcessPoolExecutor(max_workers=int(workers))
                map_function = executor.map
            if map_function is None:
                map_function = builtins.map
            window = len(todo) or 1
            if map_function is not builtins.map:
                window = max(_WINDOW, 4 * int(workers or 1))
            for window_start in range(0, len(todo), window):
                tasks = [(plan, chunk) for chunk in todo[window_start:window_start + window]]
                for output in map_function(_run_chunk, tasks):
                    self._commit(output, state)
                    done += 1
                    bar.update(done, output.stop)
        finally:
            if executor is not None:
                executor.shutdown(cancel_futures=True)
            bar.close()
        if self.out is not None:
            self._finish_output(state)
            if resumed:
                self._recover_outcomes(plan.bounds(resumed - 1)[1] if resumed else 0)
        frame = None
        if self.out is None:
            import pandas

            frame = pandas.concat(self.frames, ignore_index=True) if self.frames else pandas.DataFrame(
                columns=column_names(plan.scenario))
        return SweepResult(
            scenario=plan.scenario, mode=plan.mode, grid=plan.grid, n_samples=plan.n_samples, seed=plan.seed,
            priors=dict(plan.priors), values=dict(plan.fixed), out=self.out,
            format=plan.output, columns=column_names(plan.scenario), n_points=plan.n_points, n_rows=self.n_rows,
            n_chunks=plan.n_chunks, elapsed=time.perf_counter() - started,
            outcome_codes=self.outcome_codes, outcome_labels=self.outcome_labels,
            class_codes=self.class_codes, class_labels=self.class_labels if self.classify else None,
            resumed_chunks=resumed, _frame=frame,
        )

    def _start_output(self) -> dict:
        plan = self.plan
        out = self.out
        if out.parent and not out.parent.exists():
            raise ValueError(f"{out}: folder {out.parent} does not exist")
        state = self._load_state() if self.resume else None
        if state is not None:
            if plan.output == "csv":
                size = out.stat().st_size if out.exists() else -1
                committed = state["bytes"][-1] if state["bytes"] else state["header"]
                if size < committed:
                    raise ValueError(f"{out}: file is shorter than its progress record says; cannot resume")
                with open(out, "r+b") as handle:
                    handle.truncate(committed)
            else:
                self.parts.mkdir(exist_ok=True)
                keep = {_part_name(c) for c in state["chunks"]}
                for part in self.parts.iterdir():
                    if part.name not in keep and part.name.startswith("part-"):
                        part.unlink()
            self.n_rows = sum(state["rows"])
            return state
        if self.resume and out.exists():
            raise ValueError(f"{out}: exists but has no progress file {self.sidecar.name}; cannot resume "
                             "(run without --resume to overwrite)")
        state = {"schema": PROGRESS_SCHEMA, "key": plan.key, "n_chunks": plan.n_chunks, "chunk_size": plan.chunk_size,
                 "n_points": plan.n_points, "chunks": [], "rows": [], "bytes": [], "header": 0, "complete": False}
        if plan.output == "csv":
            from .writers import csv_quote

            header = (",".join(csv_quote(n) for n in column_names(plan.scenario)) + "\n").encode("utf-8")
            with open(out, "wb") as handle:
                handle.write(header)
                handle.flush()
                os.fsync(handle.fileno())
            state["header"] = len(header)
        else:
            _prepare_dataset_folder(self.parts)
        self._save_state(state)
        return state

    def _commit(self, output: _ChunkOutput, state) -> None:
        start, stop = output.start, output.stop
        mapping = np.array([self._code(self._outcome_index, self.outcome_labels, label)
                            for label in output.outcome_labels], dtype=np.int32)
        self.outcome_codes[start:stop] = mapping[output.outcome_codes]
        if self.classify and output.class_codes is not None:
            mapping = np.array([self._code(self._class_index, self.class_labels, label)
                                for label in output.class_labels], dtype=np.int32)
            self.class_codes[start:stop] = mapping[output.class_codes]
        self.n_rows += output.n_rows
        if self.out is None:
            self.frames.append(output.payload.to_frame())
            return
        if self.plan.output == "csv":
            with open(self.out, "ab") as handle:
                handle.write(output.payload)
                handle.flush()
                os.fsync(handle.fileno())
                size = handle.tell()
            state["bytes"].append(size)
        else:
            part = self.parts / _part_name(output.chunk)
            temporary = part.with_name(part.name + ".tmp")
            with open(temporary, "wb") as handle:
                handle.write(output.payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, part)
        state["chunks"].append(output.chunk)
        state["rows"].append(output.n_rows)
        self._save_state(state)

    @staticmethod
    def _code(index: dict, labels: list, label: str) -> int:
        code = index.get(label)
        if code is None:
            code = index[label] = len(labels)
            labels.append(label)
        return code

    def _finish_output(self, state) -> None:
        if state.get("complete"):
            return
        state["complete"] = True
        self._save_state(state)

    def _recover_outcomes(self, stop: int) -> None:
        """Equilibrium sets of the points written by an earlier run (read back from the table)."""
        frame = read_table(self.out, exact=False)
        frame = frame[frame["point"] < stop]
        strategies = [list(s) for s in self.plan.scenario.game.strategies]
        players = list(self.plan.scenario.game.players)
        points, outcomes, classes = point_outcomes(frame, players, strategies)
        for point, outcome in zip(points.tolist(), outcomes):
            self.outcome_codes[point] = self._code(self._outcome_index, self.outcome_labels, outcome)
        if self.classify and classes is not None:
            for point, label in zip(points.tolist(), classes):
                self.class_codes[point] = self._code(self._class_index, self.class_labels, label)


def _prepare_parent(plan: _Plan) -> None:
    """Compile the plan and import what the workers need before they are forked (they inherit both)."""
    _compiled(plan)
    import pandas  # noqa: F401

    if plan.output != "memory" and have_pyarrow():
        import pyarrow.compute  # noqa: F401
        import pyarrow.csv  # noqa: F401
        if plan.output == "parquet":
            import pyarrow.parquet  # noqa: F401


def _part_name(chunk: int) -> str:
    return f"part-{chunk:08d}.parquet"


def _prepare_dataset_folder(folder: Path) -> None:
    """An empty folder for the Parquet parts; refuses to clear a folder holding anything else."""
    if folder.is_file():
        folder.unlink()
    if folder.is_dir():
        foreign = [p.name for p in folder.iterdir() if not p.name.startswith("part-")]
        if foreign:
            raise ValueError(f"{folder}: folder exists and holds other files ({foreign[0]}); "
                             "choose another --out")
        for part in folder.iterdir():
            part.unlink()
    else:
        folder.mkdir()


def point_outcomes(frame, players, strategies):
    """Per point of a sweep table: its equilibrium set label and classic game.

    Returns ``(points, outcome labels, classification labels or None)``, points
    in the order of the table.
    """
    if len(frame) == 0:
        return np.zeros(0, dtype=np.int64), [], None
    support = np.zeros(len(frame), dtype=np.int64)
    bit = 0
    for player, labels in zip(players, strategies):
        for label in labels:
            column = frame[f"{player}: {label}"]
            values = np.array([_positive(v) for v in column.tolist()], dtype=bool)
            support |= values.astype(np.int64) << bit
            bit += 1
    kinds = frame["kind"].astype(str).to_numpy()
    support[kinds == "none"] = -1
    points = frame["point"].to_numpy().astype(np.int64)
    change = np.flatnonzero(np.r_[True, points[1:] != points[:-1]])
    ends = np.r_[change[1:], len(points)]
    cache: dict = {}
    outcomes = []
    for a, b in zip(change.tolist(), ends.tolist()):
        labels = []
        for code in support[a:b].tolist():
            label = cache.get(code)
            if label is None:
                label = cache[code] = equilibrium_label(code, strategies)
            labels.append(label)
        outcomes.append("; ".join(labels))
    classes = None
    if "classification" in frame.columns:
        column = frame["classification"].astype(str).to_numpy()
        classes = [column[a] if column[a] != "nan" else "" for a in change.tolist()]
    return points[change], outcomes, classes


def _positive(value) -> bool:
    if value is None or value == "":
        return False
    if isinstance(value, str):
        return float(Fraction(value)) > 0 if "/" in value else float(value) > 0
    try:
        return value > 0
    except TypeError:
        return False


class _Progress:
    """A one-line progress bar on stderr (no dependency), or a user callback."""

    def __init__(self, progress, n_chunks: int, n_points: int):
        self.callback = progress if callable(progress) else None
        if progress is None:
            show = n_chunks > 1 and hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
        else:
            show = progress is True
        self.show = show and self.callback is None
        self.n_chunks, self.n_points = n_chunks, n_points
        self.started = time.perf_counter()
        self.drawn = False

    def update(self, chunks_done: int, points_done: int) -> None:
        if self.callback is not None:
            self.callback(chunks_done, self.n_chunks, points_done, self.n_points)
        if not self.show:
            return
        fraction = chunks_done / self.n_chunks if self.n_chunks else 1.0
        width = 30
        filled = int(round(width * fraction))
        elapsed = time.perf_counter() - self.started
        remaining = elapsed * (1 - fraction) / fraction if fraction > 0 else 0.0
        sys.stderr.write(f"\rsweep [{'#' * filled}{'.' * (width - filled)}] {fraction:4.0%} "
                         f"{points_done:,}/{self.n_points:,} points, {elapsed:.1f} s elapsed, ~{remaining:.0f} s left ")
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()
