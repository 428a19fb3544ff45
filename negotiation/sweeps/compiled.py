"""A normal-form scenario compiled for one sweep: its chunks evaluated and solved.

For one chunk of points (a fixed range of point indices), :meth:`CompiledGame.run` takes:

1. parameter values: exact rationals on a grid (floats for evaluation), floats drawn from the
   priors for samples (:func:`~negotiation.core.priors.sample_points`), keeping only the draws that
   satisfy the scenario's assumptions (:mod:`~negotiation.sweeps.rejection`); a grid point that
   breaks an assumption is an error naming it;
2. payoffs: every distinct payoff expression of the scenario is compiled once per process with
   :func:`sympy.lambdify` and evaluated for the whole chunk;
3. equilibria: 2×2 games go through :func:`~negotiation.sweeps.planes.solve_planes` on the payoff
   planes (the batch solver's closed forms, bit for bit, a difference computed once for cells that
   share an expression), other two-player games up to 4×4 through the vectorised
   :func:`negotiation.solvers.batch.batch_equilibria`; the points they flag as degenerate (ties
   such as ``omega = 1/4`` in the security dilemma) are solved again exactly, one by one, at the
   exact parameter values (:meth:`CompiledGame.exact_solve`). Larger games and games with more
   players go point by point through ``scenario.solve``;
4. the chunk's rows are encoded in the worker: CSV text assembled with Arrow string kernels
   (:func:`~negotiation.sweeps.arrow_csv.encode_csv`; without pyarrow through
   :class:`~negotiation.sweeps.writers.ChunkTable`, same bytes) or Arrow for Parquet.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy

from negotiation.core.errors import NegotiationError
from negotiation.core.lambdify import lambdify_numpy
from negotiation.solvers import batch
from negotiation.sweeps.arrow_csv import encode_csv
from negotiation.sweeps.exact import ExactSolver, payoff_groups
from negotiation.sweeps.grid import AxisValues
from negotiation.sweeps.labels import class_name, classifies, column_names, equilibrium_label, label_code
from negotiation.sweeps.plan import ChunkOutput, Plan
from negotiation.sweeps.planes import classify_planes, solve_planes
from negotiation.sweeps.rejection import AcceptedDraws
from negotiation.sweeps.rows import ChunkRows
from negotiation.sweeps.writers import arrow_strings, format_value, have_pyarrow

__all__ = ["CompiledGame", "uses_batch", "lambdify_numpy", "FAST_CSV_POINTS"]

#: Largest chunk (points) written through the Arrow string kernels (32-bit string offsets).
FAST_CSV_POINTS = 1 << 18
#: Axes up to this many values are held whole in each process (values, floats and CSV text made once);
#: a longer axis gives each chunk only the values it touches, so memory does not grow with the axis.
WHOLE_AXIS = 1 << 16


def uses_batch(game) -> bool:
    """Whether the points of ``game`` go through the vectorised batch solver (two players, up to 4×4)."""
    return game.n_players == 2 and max(game.shape) <= 4


def _structurally_symmetric(game) -> bool:
    """B = A transposed for all parameter values (then the classification needs no check per point)."""
    difference = [sympy.expand(sympy.sympify(game.payoffs[i, j, 0]) - sympy.sympify(game.payoffs[j, i, 1]))
                  for i in range(2) for j in range(2)]
    return all(d == 0 for d in difference)


class CompiledGame:
    """Lambdified payoffs and assumptions, labels and column layout of one plan (made once per process)."""

    def __init__(self, plan: Plan):
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
        self.swept = plan.swept
        symbols = game.parameters.symbols if game.is_symbolic else self.parameters.symbols
        self.arguments = [symbols.get(name, sympy.Symbol(name)) for name in self.names]
        self.functions = []  # one compiled function per distinct payoff expression
        for expression, positions in payoff_groups(game).items():
            if hasattr(expression, "free_symbols") and expression.free_symbols:
                function = lambdify_numpy(self.arguments, expression)
            else:
                function = (lambda *args, _c=float(expression): _c)
            self.functions.append((function, positions))
        self.assumptions = [(a, lambdify_numpy(self.arguments, a.condition)) for a in scenario.assumptions]
        self.batch = batch if uses_batch(game) else None
        self.classify = classifies(scenario)
        self.symmetric = self.classify and _structurally_symmetric(game)
        self.columns = column_names(scenario)
        self._label_cache: dict = {}
        self._axis_labels: dict = {}
        self.exact = ExactSolver(scenario)
        self._workspace: dict = {}  # work arrays of the 2×2 kernel, kept from chunk to chunk
        self._constants: dict = {}  # payoff planes that do not vary, by value and size

    # ---------------------------------------------------------------- values
    def values(self, start: int, stop: int):
        """Float arrays/scalars for evaluation and per-parameter exact cells for the table."""
        plan = self.plan
        floats, cells = {}, {}
        if plan.mode == "grid":
            indices = plan.grid.indices(start, stop)
            for axis, index in zip(plan.grid.axes, indices):
                if len(axis) <= WHOLE_AXIS:
                    floats[axis.name] = axis.floats[index]
                    cells[axis.name] = ("axis", index, list(axis.values), axis.floats)
                    continue
                # this chunk's values of a long axis only (in axis order, so the text is the same)
                present, local = np.unique(index, return_inverse=True)
                present_floats = axis.floats_at(present)
                floats[axis.name] = present_floats[local]
                cells[axis.name] = ("axis", local.reshape(-1), axis.chunk_values(present), present_floats)
        else:
            draws = self.accepted_draws().draw(start, stop)
            for name, values in draws.items():
                floats[name] = values + 0.0
                cells[name] = ("float", floats[name])
        for name, value in plan.fixed.items():
            floats[name] = float(value)
            cells[name] = ("fixed", value)
        return stop - start, floats, cells

    def accepted_draws(self) -> AcceptedDraws:
        """The sample's draws that satisfy the assumptions (made once per process)."""
        draws = getattr(self, "_accepted_draws", None)
        if draws is None:
            plan = self.plan
            draws = self._accepted_draws = AcceptedDraws(plan.scenario, plan.priors, plan.fixed, plan.seed,
                                                         plan.acceptance)
        return draws

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

    def scenario_point(self, j: int, cells) -> dict:
        """The values ``scenario.solve`` gets for local point ``j``: exact on grids, floats when sampled."""
        return self.exact_point(j, cells) if self.plan.mode == "grid" else self.float_point(j, cells)

    def payoffs(self, n: int, floats: dict) -> np.ndarray:
        """The payoffs of ``n`` points as one ``(n, *shape, players)`` array."""
        planes = self.payoff_planes(n, floats)
        out = np.empty((n,) + self.shape + (len(self.players),), dtype=np.float64)
        for position, plane in planes.items():
            out[(slice(None),) + position] = plane
        return out

    def payoff_planes(self, n: int, floats: dict) -> dict:
        """Position in the payoff table -> the ``n`` payoffs there (float64); positions holding the same
        expression share one array. Raises on a payoff that is not a finite number."""
        args = [floats[name] for name in self.names]
        planes = {}
        with np.errstate(all="ignore"):
            for function, positions in self.functions:
                value = np.asarray(function(*args), dtype=np.float64)
                plane = self._constant_plane(value, n) if value.shape != (n,) else np.ascontiguousarray(value)
                if not np.isfinite(plane).all():
                    bad = int(np.flatnonzero(~np.isfinite(plane))[0])
                    raise NegotiationError(f"payoffs are not finite numbers at point {self._describe(bad, floats)}")
                for position in positions:
                    planes[position] = plane
        return planes

    def _constant_plane(self, value: np.ndarray, n: int) -> np.ndarray:
        """``n`` copies of a payoff that does not vary in the chunk (read-only, made once per value and size:
        a fresh array's pages cost more than the payoffs themselves)."""
        if value.size != 1:
            return np.ascontiguousarray(np.broadcast_to(value, (n,)))
        key = (float(value.reshape(-1)[0]).hex(), n)
        plane = self._constants.get(key)
        if plane is None:
            if len(self._constants) > 64:
                self._constants.clear()
            plane = self._constants[key] = np.full(n, float(value.reshape(-1)[0]))
            plane.setflags(write=False)
        return plane

    def check_assumptions(self, n: int, floats: dict, cells) -> None:
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
    def run(self, chunk: int) -> ChunkOutput:
        """Solve and encode one chunk."""
        start, stop = self.plan.bounds(chunk)
        n, floats, cells = self.values(start, stop)
        if self.plan.mode == "grid":  # a sample holds accepted draws only (checked exactly near a boundary)
            self.check_assumptions(n, floats, cells)
        rows = ChunkRows(self)
        if self.batch is not None:
            class_codes, class_labels = self._solve_batch(rows, n, floats, cells)
            exact, complete = False, True  # batch rows are floats; every point's list is complete
        else:
            class_codes, class_labels, exact, complete = self._solve_points(rows, n, cells)
        if class_codes is None:
            class_labels = None
        if self.plan.output == "csv" and n <= FAST_CSV_POINTS and have_pyarrow():
            payload, n_rows, outcome_codes, outcome_labels = encode_csv(rows, n, start, cells, class_codes,
                                                                        class_labels)
        else:
            table, outcome_codes, outcome_labels = rows.build(n, start, cells, class_codes, class_labels)
            payload, n_rows = table.encode(self.plan.output), table.n_rows
        return ChunkOutput(chunk, start, stop, payload, n_rows, outcome_codes, outcome_labels, class_codes,
                           class_labels, exact, complete)

    def _solve_planes(self, rows: ChunkRows, n: int, floats: dict, cells):
        """A 2 × 2 chunk through :func:`~negotiation.sweeps.planes.solve_planes` (the rows of the batch solver,
        bit for bit, from shared payoff planes); ``None`` if the chunk needs the batch solver's rescaling."""
        planes = self.payoff_planes(n, floats)
        A = [planes[(i, j, 0)] for i in (0, 1) for j in (0, 1)]
        B = [planes[(i, j, 1)] for i in (0, 1) for j in (0, 1)]
        # a chunk written to a file is encoded before the next is solved: its rows may live in arrays kept
        # from chunk to chunk (a table kept in memory holds on to its rows, so it gets fresh ones)
        workspace = self._workspace if self.plan.output != "memory" else None
        with np.errstate(all="ignore"):
            solved = solve_planes(A + B, workspace=workspace)
            class_codes = class_labels = None
            if solved is not None and self.classify:
                c = self.strategies[0].index(self.scenario.cooperate)
                d = 1 - c
                cell = {(i, j): planes[(i, j, 0)] for i in (0, 1) for j in (0, 1)}
                other = None if self.symmetric else tuple(planes[(j, i, 1)] for i, j in ((c, c), (c, d), (d, c), (d, d)))
                class_codes = classify_planes(cell[c, c], cell[c, d], cell[d, c], cell[d, d], other)
                if class_codes is None:
                    solved = None
        if solved is None:
            return None
        flagged = solved.degenerate
        rows.add_planes(solved)
        if self.classify:
            class_labels = [("" if name == "not symmetric" else name) for name in self.batch.CLASS_NAMES]
            class_codes = np.asarray(class_codes, dtype=np.int32)
        self._solve_flagged(rows, flagged, cells, class_codes, class_labels)
        return class_codes, class_labels

    def _solve_flagged(self, rows: ChunkRows, flagged, cells, class_codes, class_labels) -> None:
        """The flagged points of a chunk solved exactly, one by one (each distinct exact game once)."""
        for j in np.flatnonzero(flagged).tolist():
            result_j = self.exact_solve(self.exact_point(j, cells))
            rows.add_result(j, result_j, as_float=self.plan.mode == "samples")
            if class_codes is not None:
                class_codes[j] = label_code(class_labels, class_name(result_j))

    def _solve_batch(self, rows: ChunkRows, n: int, floats: dict, cells):
        """The chunk through the batch solver; its degenerate points (and points without an equilibrium)
        solved exactly. Returns the classification codes and labels (``None`` without classification)."""
        if self.shape == (2, 2):
            found = self._solve_planes(rows, n, floats, cells)
            if found is not None:
                return found
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
        class_codes = class_labels = None
        if self.classify:
            cooperate = self.strategies[0].index(self.scenario.cooperate)
            with np.errstate(all="ignore"):
                codes = self.batch.classify_symmetric_batch(A, None if self.symmetric else B, cooperate)
            class_labels = [("" if name == "not symmetric" else name) for name in self.batch.CLASS_NAMES]
            class_codes = np.asarray(codes, dtype=np.int32)
        self._solve_flagged(rows, flagged, cells, class_codes, class_labels)
        return class_codes, class_labels

    def _solve_points(self, rows: ChunkRows, n: int, cells):
        """Every point of the chunk through ``scenario.solve``; returns the classification codes and
        labels, and whether every result was exact and complete."""
        class_codes, class_labels = (np.zeros(n, dtype=np.int32), [""]) if self.classify else (None, None)
        exact, complete = self.plan.mode == "grid", True
        for j in range(n):
            result_j = self.scenario.solve(self.scenario_point(j, cells))
            rows.add_result(j, result_j, as_float=False)
            exact, complete = exact and result_j.exact, complete and result_j.complete
            if class_codes is not None:
                class_codes[j] = label_code(class_labels, class_name(result_j))
        return class_codes, class_labels, exact, complete

    def exact_solve(self, point: dict):
        """``scenario.solve(point)`` at exact parameter values (see :class:`~negotiation.sweeps.exact.ExactSolver`)."""
        return self.exact.solve(point)

    # ---------------------------------------------------------------- cached labels
    def axis_labels(self, name: str, values):
        """CSV text of ``values`` of a grid axis (an Arrow string array); a whole axis is formatted once per
        process, a chunk's values of a long axis every time."""
        if isinstance(values, AxisValues):
            return arrow_strings(values.labels())
        labels = self._axis_labels.get(name)
        if labels is None:
            labels = self._axis_labels[name] = arrow_strings([format_value(v) for v in values])
        return labels

    def equilibrium_label(self, code: int) -> str:
        label = self._label_cache.get(code)
        if label is None:
            label = self._label_cache[code] = equilibrium_label(code, self.strategies)
        return label


