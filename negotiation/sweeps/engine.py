"""The sweep engine: equilibria at every point of a grid or of a Monte Carlo sample.

Flow for one chunk of points (a fixed range of point indices):

1. parameter values: exact rationals on a grid (floats for evaluation), floats
   drawn from the priors for samples (:func:`~negotiation.core.priors.sample_points`);
2. payoffs: every distinct payoff expression of the scenario is compiled once
   per process with :func:`sympy.lambdify` and evaluated for the whole chunk;
3. equilibria: two-player games up to 4×4 go through the vectorised
   :func:`negotiation.solvers.batch.batch_equilibria`; the points it flags as
   degenerate (ties such as ``omega = 1/4`` in the security dilemma) are solved
   again exactly, one by one, at the exact parameter values: as
   ``scenario.solve`` does, with the payoffs evaluated in ``Fraction``
   arithmetic when they are rational functions of the parameters, and one
   solve per distinct exact game (:meth:`_Compiled.exact_solve`).  Larger
   games, games with more players, and installations without the batch solver
   go point by point through ``scenario.solve``;
4. the chunk's rows are encoded in the worker — CSV text assembled with Arrow
   string kernels (:meth:`_Rows.csv`; without pyarrow through
   :class:`~negotiation.sweeps.writers.ChunkTable`, same bytes) or Arrow for
   Parquet — and written by the parent **in chunk order** (a background thread
   writes chunk k while chunk k + 1 is computed), each chunk committed to the
   progress sidecar ``<out>.progress`` before the next.

Rows (one per parameter point and equilibrium): ``point``, every parameter,
``equilibrium`` (1-based within the point), ``kind`` (pure/mixed; ``none`` if a
method found no equilibrium), ``component``, ``"<player>: <strategy>"``
probabilities, ``"payoff <player>"``, and ``classification`` when the
scenario names a cooperative strategy of a symmetric 2×2 game.  Exact values
are written as fractions (``3/4``), floats in shortest round-trip form.

Extensive-form scenarios (game trees) are swept point by point through
``scenario.solve`` (:class:`_TreeCompiled`): one row per point and equilibrium
with ``point``, every parameter, ``equilibrium``, ``kind`` (pure/behaviour;
``none`` without equilibria), ``"<player>: <information set>: <action>"``
probabilities (blank where the profile leaves an information set open),
``"payoff <player>"`` and ``outcome`` (the path reached, ``Admit with
limits/Accept``; several as ``A/B (1/3), C/D (2/3)``).  The columns come from
the tree alone, so every chunk has the same ones; a point's category (summary,
maps) is its set of equilibrium outcomes, ``Admit → Militarise; Admit with
limits → Accept``.
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

from negotiation.sweeps.grid import Grid, chunk_bounds
from negotiation.core.numeric import exact_value
from negotiation.core.priors import SAMPLE_BLOCK, resolve_priors, sample_points
from negotiation.sweeps.writers import ChunkTable, Column, _Dictionary, csv_quote, format_value, have_pyarrow
from negotiation.core.errors import NegotiationError

__all__ = ["sweep", "SweepResult", "PROGRESS_SCHEMA", "NO_EQUILIBRIUM"]

PROGRESS_SCHEMA = "negotiation.sweep-progress/1"
NO_EQUILIBRIUM = "no equilibrium found"
_KINDS = ["pure", "mixed", "none"]
#: Largest chunk (points) written through the Arrow string kernels (32-bit string offsets).
_FAST_CSV_POINTS = 1 << 18
#: Write chunk k in a background thread while chunk k + 1 is computed.
_BACKGROUND_WRITES = True
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
        compiled = _COMPILED[plan.key] = (_TreeCompiled if _is_tree(plan.scenario) else _Compiled)(plan)
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
                function = _lambdify_numpy(self.arguments, expression)
            else:
                constant = float(expression)
                function = (lambda *args, _c=constant: _c)
            self.functions.append((function, positions))
        self.assumptions = []
        for assumption in scenario.assumptions:
            function = _lambdify_numpy(self.arguments, assumption.condition)
            self.assumptions.append((assumption, function))
        self.batch = None
        if game.n_players == 2 and max(self.shape) <= 4:
            try:
                from negotiation.solvers import batch as batch_module
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
        self._axis_labels: dict = {}
        self._fractions = None
        self._exact_results: dict = {}

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
            raise NegotiationError(f"payoffs are not finite numbers at point {self._describe(bad, floats)}")
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
                result_j = self.exact_solve(self.exact_point(j, cells))
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
        labels = class_labels if class_codes is not None else None
        if self.plan.output == "csv" and n <= _FAST_CSV_POINTS and have_pyarrow():
            payload, n_rows, outcome_codes, outcome_labels = rows.csv(n, start, cells, class_codes, labels)
            return _ChunkOutput(chunk, start, stop, payload, n_rows, outcome_codes, outcome_labels,
                                class_codes, labels)
        table, outcome_codes, outcome_labels = rows.build(n, start, cells, class_codes, labels)
        if self.plan.output == "csv":
            payload = table.to_csv_bytes()
        elif self.plan.output == "parquet":
            payload = _parquet_bytes(table)
        else:
            payload = table
        return _ChunkOutput(chunk, start, stop, payload, table.n_rows, outcome_codes, outcome_labels,
                            class_codes, labels)

    # ---------------------------------------------------------------- exact solves
    def exact_solve(self, point: dict):
        """``scenario.solve(point)`` at exact parameter values, faster where that is safe.

        When every payoff is a rational function of the parameters (sums, products, whole
        powers of symbols and rational numbers) and the values are exact, the payoffs are
        evaluated with ``Fraction`` arithmetic — the same rationals that substituting into
        the sympy expressions gives — and the game is solved as ``scenario.solve`` does
        (``solve(game)``, plus the classic-game label).  Points whose exact payoffs were
        solved before reuse that result (the rows use only the equilibria, components and
        classification, which depend on the payoffs alone).  Anything else, and any error,
        goes through ``scenario.solve`` itself.
        """
        functions = self._fraction_functions()
        if functions is None:
            return self.scenario.solve(point)
        try:
            scenario = self.scenario
            where = str(scenario.source) if scenario.source else scenario.id
            resolved = scenario.parameters.resolve(point, where=where)
            for assumption in scenario.assumptions:
                if not assumption.holds(resolved):
                    raise NegotiationError("assumption")
            values = self.game.parameters.resolve(resolved)
            arguments = [values.get(name) for name in self._fraction_names]
            if not all(type(v) is Fraction for v in arguments):
                raise NegotiationError("not exact")
            numbers = [function(arguments) for function in functions]
        except Exception:  # the reference path reports (or handles) it
            return self.scenario.solve(point)
        key = tuple(numbers)
        result = self._exact_results.get(key)
        if result is not None:
            return result
        from dataclasses import replace

        from negotiation.solvers.classification import classify_symmetric_2x2
        from negotiation.models.game import Game
        from negotiation.solvers import solve

        game = self.game
        numeric = np.empty(game.payoffs.shape, dtype=object)
        for (positions, _), number in zip(self._fraction_groups, numbers):
            for position in positions:
                numeric[position] = number
        exact_game = Game(game.players, game.strategies, numeric, title=game.title,
                          parameters=game.parameters, values=values)
        result = solve(exact_game, method="auto")
        classification = classify_symmetric_2x2(exact_game, scenario.cooperate) if scenario.cooperate else None
        if classification is not None:
            result = replace(result, details={**result.details, "classification": str(classification)})
        if len(self._exact_results) < 4096:
            self._exact_results[key] = result
        return result

    def _fraction_functions(self):
        """Exact evaluators of the distinct payoff expressions (None if some payoff is not a rational function)."""
        if self._fractions is False:
            return None
        if self._fractions is not None:
            return self._fractions
        self._fractions = False
        game = self.game
        if not game.is_symbolic:
            return None
        symbols = game.parameters.symbols
        self._fraction_names = list(symbols)
        index = {symbol: k for k, symbol in enumerate(symbols[name] for name in self._fraction_names)}
        groups: dict = {}
        for position, entry in np.ndenumerate(game.payoffs):
            groups.setdefault(entry, []).append(position)
        functions = []
        try:
            for entry in groups:
                functions.append(_fraction_function(entry, index))
        except (TypeError, ValueError, AttributeError):
            return None
        self._fraction_groups = [(positions, entry) for entry, positions in groups.items()]
        self._fractions = functions
        return functions

    # ---------------------------------------------------------------- cached labels
    def axis_labels(self, name: str, values):
        """CSV text of every value of a grid axis (an Arrow string array, formatted once per process)."""
        labels = self._axis_labels.get(name)
        if labels is None:
            from negotiation.sweeps.writers import arrow_strings

            labels = self._axis_labels[name] = arrow_strings([format_value(v) for v in values])
        return labels

    # ---------------------------------------------------------------- labels
    def equilibrium_label(self, code: int) -> str:
        label = self._label_cache.get(code)
        if label is None:
            label = self._label_cache[code] = equilibrium_label(code, self.strategies)
        return label


def _lambdify_numpy(arguments, expression):
    """``sympy.lambdify(arguments, expression, modules="numpy")``, without its namespace import when possible.

    ``modules="numpy"`` builds its namespace with ``from numpy import *; from numpy.linalg import *``,
    which imports ``numpy.testing`` and ``numpy.f2py`` (about 0.1 s per process).  The same printer
    (NumPyPrinter) is chosen for ``modules=[numpy]``, whose namespace is ``numpy.__dict__``; the
    function is kept only if every global name it uses resolves to the same object in both
    namespaces (names exported by numpy and not replaced by sympy's numpy defaults, translations or
    ``numpy.linalg``), so it computes the same floats.  Otherwise the reference call is made.
    """
    import builtins
    import dis

    import sympy

    try:
        from sympy.utilities.lambdify import NUMPY_DEFAULT, NUMPY_TRANSLATIONS

        function = sympy.lambdify(arguments, expression, modules=[np])
        names = {i.argval for i in dis.get_instructions(function.__code__) if i.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
        exported = set(getattr(np, "__all__", ())) & set(vars(np))
        replaced = set(NUMPY_DEFAULT) | set(NUMPY_TRANSLATIONS) | set(getattr(np.linalg, "__all__", ()))
        if all((name in exported and name not in replaced) or name in ("builtins", "range") for name in names) \
                and not any(isinstance(c, type(function.__code__)) for c in function.__code__.co_consts):
            return function
    except Exception:  # pragma: no cover - the reference call below reports it
        pass
    return sympy.lambdify(arguments, expression, modules="numpy")


def _fraction_function(expression, index: dict):
    """A function ``f(values) -> Fraction`` of a sympy rational function (symbols at ``index`` in ``values``).

    Built from the expression tree (sums, products, whole powers, symbols, rational numbers);
    anything else raises ``ValueError``.
    """
    import sympy

    if not isinstance(expression, sympy.Basic):
        raise NegotiationError("not a sympy expression")
    if expression.is_Symbol:
        if expression not in index:
            raise NegotiationError("unknown symbol")
        k = index[expression]
        return lambda values: values[k]
    if expression.is_Rational:  # Integer or Rational (not Float)
        constant = Fraction(int(expression.p), int(expression.q))
        return lambda values: constant
    if expression.is_Add or expression.is_Mul:
        parts = [_fraction_function(argument, index) for argument in expression.args]
        if expression.is_Add:
            def add(values, _parts=parts):
                total = _parts[0](values)
                for part in _parts[1:]:
                    total = total + part(values)
                return total
            return add

        def multiply(values, _parts=parts):
            total = _parts[0](values)
            for part in _parts[1:]:
                total = total * part(values)
            return total
        return multiply
    if expression.is_Pow and expression.exp.is_Integer:
        base = _fraction_function(expression.base, index)
        exponent = int(expression.exp)
        return lambda values: base(values) ** exponent
    raise NegotiationError(f"not a rational function: {expression}")


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
    if _is_tree(scenario):
        return _tree_column_names(scenario)
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
        from negotiation.report.tables import _component_of

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

    def _assemble(self, n: int):
        """The chunk's rows in point order: arrays of the batch rows and exact rows merged."""
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
            new_point = np.empty(point.size, dtype=bool)
            new_point[0] = True
            np.not_equal(point[1:], point[:-1], out=new_point[1:])
            if not new_point.all():
                # 1-based number within the point: position minus the start of the point's run
                starts = np.flatnonzero(new_point)
                lengths = np.diff(np.append(starts, point.size))
                number = np.arange(point.size) - np.repeat(starts, lengths) + 1
            else:
                number = np.ones(point.size, dtype=np.int64)
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
            kinds.append((~pure).astype(np.int64))
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
        if len(points) == 1:
            point, number, kind, probs, pays, component = (points[0], numbers[0], kinds[0], probabilities[0],
                                                           payoffs[0], component_codes[0])
        elif points:
            point = np.concatenate(points)
            number = np.concatenate(numbers)
            kind = np.concatenate(kinds)
            probs = np.concatenate(probabilities)
            pays = np.concatenate(payoffs)
            component = np.concatenate(component_codes)
        else:
            point = number = kind = component = np.zeros(0, dtype=np.int64)
            probs, pays = np.zeros((0, S)), np.zeros((0, P))
        if self.exact_rows and self.batch_parts and n_batch:
            # a stable sort by point; batch and exact rows never share a point, and each part is
            # sorted, so the merged order follows from the insertion positions of the exact rows
            batch_points = point[:n_batch]
            e_point = point[n_batch:]
            m = e_point.size
            target = np.searchsorted(batch_points, e_point, side="left") + np.arange(m)
            order = np.empty(point.size, dtype=np.int64)
            is_exact = np.zeros(point.size, dtype=bool)
            is_exact[target] = True
            order[~is_exact] = np.arange(n_batch)
            order[target] = n_batch + np.arange(m)
            point, number, kind, component = point[order], number[order], kind[order], component[order]
            probs, pays = probs[order], pays[order]
            exact_cells = {key: {int(target[r - n_batch]): v for r, v in values.items()}
                           for key, values in exact_cells.items()}
        empty = kind == 2
        return point, number, kind, component, component_labels, probs, pays, exact_cells, empty

    def _outcomes(self, n: int, point, probs, exact_cells, empty):
        """Per point of the chunk: a code into the equilibrium-set labels (first appearance order)."""
        compiled = self.compiled
        S = self.n_strategies
        R = point.size
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
        bits = S + 1
        if R == n:  # one row per point
            rank = np.zeros(R, dtype=np.int64)
        else:
            starts = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(counts, out=starts[1:])
            rank = np.arange(R) - starts[point]
        if bits * width <= 62:
            if R == n:
                keys = support + 2
            else:
                keys = np.zeros(n, dtype=np.int64)
                shifted = (support + 2) << (rank * bits)
                for r in range(width):
                    at = rank == r
                    keys[point[at]] |= shifted[at]
            outcome_codes, unique_keys = _factorize(keys)
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
        return outcome_codes, outcome_labels, width

    def build(self, n: int, start: int, cells, class_codes, class_labels):
        compiled = self.compiled
        S, P = self.n_strategies, self.n_players
        point, number, kind, component, component_labels, probs, pays, exact_cells, empty = self._assemble(n)
        R = point.size
        outcome_codes, outcome_labels, width = self._outcomes(n, point, probs, exact_cells, empty)

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

    def csv(self, n: int, start: int, cells, class_codes, class_labels):
        """The chunk's rows as CSV bytes, assembled with Arrow string kernels (same text as :meth:`build`
        followed by :meth:`ChunkTable.to_csv_bytes`).

        Each row is ``prefix[point] , EP , payoffs... [, classification]`` where the prefix (point
        index and parameters) is joined once per point, ``EP`` (equilibrium number, kind, component
        and the probabilities) comes from a small dictionary for rows whose probabilities are all 0
        or 1 and is joined only for the others, and every distinct float is formatted once.  Arrow
        arrays are made from buffers and kernels called directly (``pyarrow.array`` would import
        pandas, 0.2 s).
        """
        from negotiation.sweeps.writers import arrow_call as call, arrow_numbers as numbers, arrow_strings as strings

        compiled = self.compiled
        S, P = self.n_strategies, self.n_players
        point, number, kind, component, component_labels, probs, pays, exact_cells, empty = self._assemble(n)
        R = point.size
        outcome_codes, outcome_labels, width = self._outcomes(n, point, probs, exact_cells, empty)
        comma = strings([","])[0]

        def join(parts, separator=comma):
            return call("binary_join_element_wise", [*parts, separator])

        def take(labels, codes):
            return call("take", [labels, numbers(np.asarray(codes, dtype=np.int64))])

        # ---------------- per point: "point,parameters"
        pieces, constant = [call("cast", [numbers(np.arange(start, start + n, dtype=np.int64))],
                                 _cast_options())], None
        for name in compiled.names:
            cell = cells[name]
            if cell[0] == "fixed":
                text = format_value(cell[1])
                constant = text if constant is None else constant + "," + text
                continue
            if constant is not None:
                pieces.append(strings([constant])[0])
                constant = None
            if cell[0] == "axis":
                pieces.append(take(compiled.axis_labels(name, cell[2]), cell[1]))
            else:
                pieces.append(call("cast", [numbers(np.asarray(cell[1], dtype=np.float64) + 0.0)], _cast_options()))
        if constant is not None:
            pieces.append(strings([constant])[0])
        prefix = join(pieces) if len(pieces) > 1 else pieces[0]
        one_per_point = R == n
        if not one_per_point:
            prefix = take(prefix, point)

        # ---------------- special cells (exact values, blanks) and floats to format
        special_labels: dict = {}

        def special(label: str) -> int:
            code = special_labels.get(label)
            if code is None:
                code = special_labels[label] = len(special_labels)
            return code

        p_special = u_special = None
        if empty.any() or exact_cells:
            p_special = np.full((R, S), -1, dtype=np.int64)
            u_special = np.full((R, P), -1, dtype=np.int64)
            if empty.any():
                blank = special("")
                p_special[empty] = blank
                u_special[empty] = blank
            for (which, c), rows_values in exact_cells.items():
                target = p_special if which == "p" else u_special
                for r, v in rows_values.items():
                    target[r, c] = special(format_value(v))
        probs = probs + 0.0  # -0.0 -> 0.0
        pays = pays + 0.0
        # rows whose probabilities are all exactly 0 or 1 (and not exact cells): small dictionary
        ones = probs == 1.0
        binary = (probs == 0.0) | ones
        simple = binary.all(axis=1)
        if p_special is not None:
            simple &= (p_special < 0).all(axis=1)
        complex_rows = np.flatnonzero(~simple)

        # one dictionary of distinct floats: payoffs of every row, probabilities of the complex rows
        float_parts = [pays.reshape(-1)]
        if complex_rows.size:
            float_parts.append(probs[complex_rows].reshape(-1))
        values = np.concatenate(float_parts) if len(float_parts) > 1 else float_parts[0]
        encoded = call("dictionary_encode", [numbers(values)])
        indices = encoded.indices
        float_codes = np.frombuffer(indices.buffers()[1], dtype=np.int32)[indices.offset:indices.offset + len(indices)]
        float_labels = call("cast", [encoded.dictionary], _cast_options())
        n_floats = len(float_labels)
        labels = pa_concat([float_labels, strings(list(special_labels))]) if special_labels else float_labels
        u_codes = float_codes[:R * P].reshape(R, P)
        if u_special is not None:
            u_codes = np.where(u_special >= 0, u_special + n_floats, u_codes)

        # ---------------- "equilibrium,kind,component" codes
        n_components = max(len(component_labels), 1)
        e_codes = (np.where(empty, 0, number) * 3 + kind) * n_components + component
        e_labels = []
        quoted_components = [csv_quote(c) for c in component_labels] or [""]
        for e in range(width + 1):
            for k in range(3):
                for c in range(n_components):
                    e_labels.append(f"{e if e else ''},{_KINDS[k]},{quoted_components[c]}")
        # simple rows: "E,p1,...,pS" from the present combinations only
        bits = np.zeros(R, dtype=np.int64)
        for c in range(S):
            bits |= ones[:, c].astype(np.int64) << c
        ep_codes = e_codes * (1 << S) + bits
        simple_codes = ep_codes[simple]
        present = np.flatnonzero(np.bincount(simple_codes)) if simple_codes.size else np.zeros(0, dtype=np.int64)
        ep_texts = []
        for code in present.tolist():
            e, b = divmod(code, 1 << S)
            ep_texts.append(e_labels[e] + "," + ",".join("1" if (b >> c) & 1 else "0" for c in range(S)))
        lookup = np.zeros(int(present.max()) + 1 if present.size else 1, dtype=np.int64)
        lookup[present] = np.arange(present.size)
        ep_index = np.empty(R, dtype=np.int64)
        ep_index[simple] = lookup[simple_codes]
        ep_dictionary = strings(ep_texts)
        if complex_rows.size:
            m = complex_rows.size
            p_codes = float_codes[R * P:].reshape(m, S)
            if p_special is not None:
                sp = p_special[complex_rows]
                p_codes = np.where(sp >= 0, sp + n_floats, p_codes)
            parts = [take(strings(e_labels), e_codes[complex_rows])]
            parts += [take(labels, p_codes[:, c]) for c in range(S)]
            ep_dictionary = pa_concat([ep_dictionary, join(parts)])
            ep_index[complex_rows] = present.size + np.arange(m)
        ep = take(ep_dictionary, ep_index)

        # ---------------- payoffs, classification, line ends
        columns = [prefix, ep]
        if class_codes is not None:
            last = strings([csv_quote(label) + "\n" for label in class_labels])
            columns += [take(labels, u_codes[:, c]) for c in range(P)]
            columns.append(take(last, class_codes if one_per_point else class_codes[point]))
        else:
            columns += [take(labels, u_codes[:, c]) for c in range(P - 1)]
            with_end = join([labels, strings(["\n"])[0]], strings([""])[0])
            columns.append(take(with_end, u_codes[:, P - 1]))
        lines = join(columns)
        buffers = lines.buffers()
        bounds = np.frombuffer(buffers[1], dtype=np.int32)[lines.offset:lines.offset + R + 1]
        begin, end = int(bounds[0]), int(bounds[-1])
        # the Arrow buffer itself (written through the buffer protocol, pickled as bytes): no copy
        payload = buffers[2].slice(begin, end - begin)
        return payload, R, outcome_codes, outcome_labels


def _cast_options():
    import pyarrow.compute as pc

    return pc.CastOptions.safe(_arrow_string_type())


def _arrow_string_type():
    import pyarrow as pa

    return pa.string()


def pa_concat(arrays):
    import pyarrow as pa

    return pa.concat_arrays(arrays)


def _factorize(keys: np.ndarray):
    """``pandas.factorize`` for whole numbers: codes and the distinct keys in order of first appearance."""
    keys = np.asarray(keys, dtype=np.int64)
    if keys.size == 0:
        return np.zeros(0, dtype=np.int64), keys
    low, high = int(keys.min()), int(keys.max())
    if high - low < (1 << 16):
        present = np.flatnonzero(np.bincount(keys - low)) + low
        if present.size <= 64:
            first = np.array([int(np.argmax(keys == k)) for k in present.tolist()], dtype=np.int64)
            order = np.argsort(first, kind="stable")
            lookup = np.empty(high - low + 1, dtype=np.int64)
            lookup[present[order] - low] = np.arange(present.size)
            return lookup[keys - low], present[order]
    unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(order.size)
    return rank[inverse.reshape(-1)], unique[order]


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
        """The equilibrium table as a pandas DataFrame (read back from the file when there is one)."""
        if self._frame is not None:
            return self._frame
        if self.out is None:
            raise NegotiationError("no table: the sweep wrote nothing")
        return read_table(self.out)

    def summary(self, by: str = "equilibria"):
        """Monte Carlo probabilities (samples) or regions of the grid (grids), as a :class:`~negotiation.sweeps.summary.SummaryTable`."""
        from negotiation.sweeps.summary import monte_carlo_summary, region_summary

        if self.mode == "samples":
            return monte_carlo_summary(self, by=by)
        return region_summary(self, by=by)

    def map(self, x=None, y=None, **options):
        """Equilibrium map (see :func:`negotiation.report.maps.equilibrium_map`)."""
        from negotiation.report.maps import equilibrium_map

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
            raise NegotiationError(f"{path}: no Parquet parts found")
        return pandas.concat([pq.read_table(f).to_pandas() for f in files], ignore_index=True)
    frame = pandas.read_csv(path, dtype=str, keep_default_na=False)
    text_columns = {"kind", "component", "classification"}
    if _is_tree_table(frame):
        text_columns.add("outcome")
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
        :data:`~negotiation.core.priors.SAMPLE_BLOCK` points uses
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
        from negotiation.scenario import load

        scenario = load(scenario)
    plan = _make_plan(scenario, grid, samples, seed, priors, out, format, chunk_size, values)
    out_path = Path(out) if out is not None else None
    runner = _Runner(plan, out_path, resume)
    return runner.run(workers, map, progress, started)


def _make_plan(scenario, grid, samples, seed, priors, out, format, chunk_size, values) -> _Plan:
    kind = getattr(scenario, "kind", "normal-form")
    if kind == "bargaining":
        raise NegotiationError(f"{scenario.id}: sweeps of bargaining scenarios run through "
                         "`negotiation agree PATH --sweep NAME=A:B:N` (ng.bargaining.sensitivity)")
    if kind not in ("normal-form", "extensive-form"):
        raise NegotiationError(f"{scenario.id}: `negotiation sweep` handles normal-form and extensive-form scenarios; {kind} "
                         "scenarios are not supported yet (use `negotiation derive` for their regions)")
    parameters = scenario.parameters
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise NegotiationError(f"chunk size must be a positive whole number, got {chunk_size!r}")
    if (grid is None) == (samples is None):
        raise NegotiationError("give either a grid (--grid NAME=START:STOP:NUM) or a number of samples (--samples N)")
    fixed_input = dict(values or {})
    if grid is not None:
        grid = Grid(grid)
        grid.check(parameters)
        swept = set(grid.names)
        mode, n_points, bound = "grid", len(grid), {}
        if priors:
            raise NegotiationError("--prior applies to --samples, not to a grid")
    else:
        if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
            raise NegotiationError(f"--samples must be a positive whole number, got {samples!r}")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise NegotiationError(f"--seed must be a whole number >= 0, got {seed!r}")
        if priors is None:
            priors = getattr(scenario, "priors", None) or None
        if not priors:
            raise NegotiationError("--samples needs at least one prior (--prior NAME=FAMILY:ARGS, e.g. omega=beta:2:5)")
        bound = resolve_priors(priors, parameters)
        swept = set(bound)
        mode, n_points = "samples", int(samples)
    both = sorted(swept & set(fixed_input))
    if both:
        raise NegotiationError(f"--set {both[0]}: parameter is also swept")
    try:
        resolved = parameters.resolve(fixed_input)
    except ValueError as error:
        raise NegotiationError(str(error)) from None
    fixed = {name: exact_value(v, where=f"parameter {name}") for name, v in resolved.items() if name not in swept}
    if format is None:
        format = "parquet" if out is not None and str(out).lower().endswith((".parquet", ".pq")) else "csv"
    format = str(format).lower()
    if format not in ("csv", "parquet"):
        raise NegotiationError(f"--format {format!r}: expected csv or parquet")
    if format == "parquet" and not have_pyarrow():
        raise NegotiationError("--format parquet needs pyarrow (pip install pyarrow)")
    output = "memory" if out is None else format
    key = _fingerprint(scenario, mode, grid, n_points, seed, bound, fixed, int(chunk_size), output)
    return _Plan(key, scenario, mode, grid, n_points if mode == "samples" else 0, int(seed), bound, fixed,
                 int(chunk_size), n_points, output)


def _fingerprint(scenario, mode, grid, n_points, seed, priors, fixed, chunk_size, output) -> str:
    import sympy

    from negotiation import __version__

    game = scenario.game
    data = {
        "version": __version__,
        "title": game.title,
        "players": list(game.players),
        "strategies": ([list(s) for s in game.strategies] if not _is_tree(scenario)
                       else json.dumps(game.to_dict(), sort_keys=True, default=str)),
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
            raise NegotiationError(f"{self.sidecar}: unreadable progress file ({error}); delete it to start afresh") from None
        if state.get("schema") != PROGRESS_SCHEMA:
            raise NegotiationError(f"{self.sidecar}: not a sweep progress file")
        if state.get("key") != self.plan.key:
            raise NegotiationError(f"{self.out}: --resume with different settings than the interrupted sweep "
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
        # file output: chunk k is written and fsynced by one background thread while chunk k + 1 is
        # computed (file writes and the Arrow/numpy kernels release the GIL).  Chunks are still
        # written strictly in order, at most one is in flight, and ``progress`` is called only once
        # a chunk is committed, as before.
        writer = pending = None
        if self.out is not None and len(todo) > 1 and _BACKGROUND_WRITES:
            from concurrent.futures import ThreadPoolExecutor

            writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sweep-writer")
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
                    if writer is None:
                        self._commit(output, state)
                        done += 1
                        bar.update(done, output.stop)
                        continue
                    self._record(output)
                    if pending is not None:
                        future, pending = pending
                        future.result()
                        done += 1
                        bar.update(done, future.stop)
                    future = writer.submit(self._write, output, state)
                    future.stop = output.stop
                    pending = (future, None)
            if pending is not None:
                future, pending = pending
                future.result()
                done += 1
                bar.update(done, future.stop)
        finally:
            if writer is not None:
                writer.shutdown(wait=True)  # a chunk being written is finished (file and record stay consistent)
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
            raise NegotiationError(f"{out}: folder {out.parent} does not exist")
        state = self._load_state() if self.resume else None
        if state is not None:
            if plan.output == "csv":
                size = out.stat().st_size if out.exists() else -1
                committed = state["bytes"][-1] if state["bytes"] else state["header"]
                if size < committed:
                    raise NegotiationError(f"{out}: file is shorter than its progress record says; cannot resume")
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
            raise NegotiationError(f"{out}: exists but has no progress file {self.sidecar.name}; cannot resume "
                             "(run without --resume to overwrite)")
        state = {"schema": PROGRESS_SCHEMA, "key": plan.key, "n_chunks": plan.n_chunks, "chunk_size": plan.chunk_size,
                 "n_points": plan.n_points, "chunks": [], "rows": [], "bytes": [], "header": 0, "complete": False}
        if plan.output == "csv":
            from negotiation.sweeps.writers import csv_quote

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
        self._record(output)
        if self.out is None:
            self.frames.append(output.payload.to_frame())
            return
        self._write(output, state)

    def _record(self, output: _ChunkOutput) -> None:
        """The chunk's equilibrium sets, classifications and row count (in memory)."""
        start, stop = output.start, output.stop
        mapping = np.array([self._code(self._outcome_index, self.outcome_labels, label)
                            for label in output.outcome_labels], dtype=np.int32)
        self.outcome_codes[start:stop] = mapping[output.outcome_codes]
        if self.classify and output.class_codes is not None:
            mapping = np.array([self._code(self._class_index, self.class_labels, label)
                                for label in output.class_labels], dtype=np.int32)
            self.class_codes[start:stop] = mapping[output.class_codes]
        self.n_rows += output.n_rows

    def _write(self, output: _ChunkOutput, state) -> None:
        """Append (CSV) or write (Parquet part) the chunk, fsync it, then record it in the sidecar."""
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
        if _is_tree(self.plan.scenario):
            points, outcomes, _ = _tree_point_outcomes(frame)
            for point, outcome in zip(points.tolist(), outcomes):
                self.outcome_codes[point] = self._code(self._outcome_index, self.outcome_labels, outcome)
            return
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
    if plan.output == "memory":
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
            raise NegotiationError(f"{folder}: folder exists and holds other files ({foreign[0]}); "
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
    if _is_tree_table(frame):
        return _tree_point_outcomes(frame)
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


# ====================================================================== extensive-form scenarios
def _is_tree(scenario) -> bool:
    return getattr(scenario, "kind", "normal-form") == "extensive-form"


def _tree_action_columns(tree) -> list[tuple[int, int, str]]:
    """``(information set, action index, column name)`` of every probability column of a tree."""
    out = []
    for k, label in enumerate(tree.information_set_labels):
        owner = tree.players[tree.information_set_player[k]]
        for a, action in enumerate(tree.information_set_actions[k]):
            out.append((k, a, f"{owner}: {label}: {action}"))
    return out


def _tree_column_names(scenario) -> list[str]:
    tree = scenario.game
    names = ["point", *scenario.parameters.names, "equilibrium", "kind"]
    names += [name for _, _, name in _tree_action_columns(tree)]
    names += [f"payoff {player}" for player in tree.players]
    names.append("outcome")
    return names


def _tree_outcome_cell(equilibrium) -> str:
    """The ``outcome`` cell of one equilibrium: ``Admit with limits/Accept``; several outcomes with their
    probabilities, ``Hawk/Fight (1/3), Dove/Accept (2/3)``."""
    outcomes = equilibrium.outcomes
    if len(outcomes) == 1:
        return "/".join(outcomes[0][0])
    return ", ".join(f"{'/'.join(path)} ({format_value(probability)})" for path, probability in outcomes)


def _tree_outcome_label(cell: str) -> str:
    """The category label of one equilibrium from its ``outcome`` cell: ``Admit with limits → Accept``."""
    if cell is None or cell == "":
        return NO_EQUILIBRIUM
    parts = []
    for part in str(cell).split(", "):
        suffix = ""
        if part.endswith(")") and " (" in part:
            part, probability = part.rsplit(" (", 1)
            suffix = " (" + probability
        parts.append((" → ".join(part.split("/")) if part else "(root)") + suffix)
    return ", ".join(parts)


def _tree_point_label(cells) -> str:
    """The equilibrium-outcome set of one point (distinct outcomes, in equilibrium order)."""
    labels = list(dict.fromkeys(_tree_outcome_label(cell) for cell in cells))
    return "; ".join(labels) if labels else NO_EQUILIBRIUM


def _value_key(value):
    return (type(value).__name__, value)


def _value_column(name: str, cells: list, kind: str = "number") -> Column:
    """A column of Python values (``Fraction`` written as fractions, floats in shortest form, ``None`` blank)."""
    index: dict = {}
    values: list = []
    codes = np.empty(len(cells), dtype=np.int32)
    for r, value in enumerate(cells):
        key = _value_key(value)
        code = index.get(key)
        if code is None:
            code = index[key] = len(values)
            values.append(value)
        codes[r] = code
    return Column(name, codes, values, kind=kind)


class _TreeCompiled(_Compiled):
    """Point-by-point sweeps of extensive-form scenarios (``scenario.solve`` at every point)."""

    def __init__(self, plan: _Plan):
        self.plan = plan
        scenario = plan.scenario
        self.scenario = scenario
        self.game = scenario.game
        self.parameters = scenario.parameters
        self.names = list(self.parameters.names)
        self.players = list(self.game.players)
        self.swept = list(plan.grid.names) if plan.grid is not None else list(plan.priors)
        self.actions = _tree_action_columns(self.game)
        self.columns = _tree_column_names(scenario)
        self._axis_labels: dict = {}

    def run(self, chunk: int) -> _ChunkOutput:
        plan = self.plan
        start, stop = plan.bounds(chunk)
        n, floats, cells = self.values(start, stop)
        tree = self.game
        A, P = len(self.actions), len(self.players)
        point_index, numbers, kinds = [], [], []
        probabilities = [[] for _ in range(A)]
        payoffs = [[] for _ in range(P)]
        outcomes = []
        point_labels: list = []
        point_codes = np.empty(n, dtype=np.int32)
        for j in range(n):
            point = self.exact_point(j, cells) if plan.mode == "grid" else self.float_point(j, cells)
            result = self.scenario.solve(point)
            equilibria = list(result.equilibria)
            if not equilibria:
                point_index.append(j)
                numbers.append(None)
                kinds.append("none")
                for column in probabilities:
                    column.append(None)
                for column in payoffs:
                    column.append(None)
                outcomes.append("")
                row_cells = []
            else:
                row_cells = []
                for number, equilibrium in enumerate(equilibria, start=1):
                    point_index.append(j)
                    numbers.append(number)
                    kinds.append(equilibrium.kind)
                    profile = equilibrium.profile
                    distributions = {}
                    for c, (k, a, _) in enumerate(self.actions):
                        if k not in distributions:
                            distributions[k] = profile._distribution(k)
                        probs = distributions[k]
                        probabilities[c].append(None if probs is None else probs[a])
                    for p in range(P):
                        payoffs[p].append(equilibrium.payoffs[p])
                    cell = _tree_outcome_cell(equilibrium)
                    outcomes.append(cell)
                    row_cells.append(cell)
            label = _tree_point_label(row_cells)
            point_codes[j] = _label_code(point_labels, label)
        point = np.asarray(point_index, dtype=np.int64)
        R = point.size
        columns = [Column.integers("point", point + start)]
        for name in self.names:
            cell = cells[name]
            if cell[0] == "axis":
                dictionary = _Dictionary(values=cell[2], value_floats=cell[3])
                columns.append(Column(name, cell[1][point], kind="number", dictionary=dictionary))
            elif cell[0] == "float":
                columns.append(_value_column(name, [float(v) for v in cell[1][point]]))
            else:
                columns.append(Column.constant(name, cell[1], R, kind="number"))
        columns.append(_value_column("equilibrium", numbers, kind="integer"))
        columns.append(_value_column("kind", kinds, kind="text"))
        for (_, _, name), column in zip(self.actions, probabilities):
            columns.append(_value_column(name, column))
        for player, column in zip(self.players, payoffs):
            columns.append(_value_column(f"payoff {player}", column))
        columns.append(_value_column("outcome", outcomes, kind="text"))
        table = ChunkTable(columns, R)
        if plan.output == "csv":
            payload = table.to_csv_bytes()
        elif plan.output == "parquet":
            payload = _parquet_bytes(table)
        else:
            payload = table
        return _ChunkOutput(chunk, start, stop, payload, R, point_codes, point_labels, None, None)


def _tree_point_outcomes(frame):
    """:func:`point_outcomes` of a tree sweep table (labels from its ``outcome`` column)."""
    if len(frame) == 0:
        return np.zeros(0, dtype=np.int64), [], None
    points = frame["point"].to_numpy().astype(np.int64)
    cells = ["" if v is None else str(v) for v in frame["outcome"].tolist()]
    change = np.flatnonzero(np.r_[True, points[1:] != points[:-1]])
    ends = np.r_[change[1:], len(points)]
    outcomes = [_tree_point_label([c for c in cells[a:b] if c != ""]) for a, b in zip(change.tolist(), ends.tolist())]
    return points[change], outcomes, None


def _is_tree_table(frame) -> bool:
    return "outcome" in frame.columns and "component" not in frame.columns
