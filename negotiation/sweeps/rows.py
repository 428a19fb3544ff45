"""The rows of one chunk of a normal-form sweep: batch-solver rows and exact rows merged in point order.

:class:`ChunkRows` collects the equilibria of a chunk's points — arrays from the vectorised
batch solver, and the results of the points solved exactly one by one — and turns them into the
chunk's columns (:meth:`ChunkRows.build`, a :class:`~negotiation.sweeps.writers.ChunkTable`) or
straight into CSV text (:func:`negotiation.sweeps.arrow_csv.encode_csv`). Both also give each
point's category: a code into the labels of the equilibrium sets seen in the chunk.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from negotiation.sweeps.labels import KINDS, NO_EQUILIBRIUM, label_code
from negotiation.sweeps.writers import ChunkTable, Column

__all__ = ["ChunkRows", "Assembled", "parameter_columns", "factorize"]


@dataclass(frozen=True)
class Assembled:
    """A chunk's rows in point order, as arrays (one entry per row).

    ``kind`` codes index :data:`~negotiation.sweeps.labels.KINDS` (2: no equilibrium, an ``empty``
    row); ``component`` codes index ``component_labels``; ``exact_cells`` maps ``("p", column)``
    (probabilities) or ``("u", player)`` (payoffs) to ``{row: Fraction}`` for cells written exactly.
    """

    point: np.ndarray
    number: np.ndarray
    kind: np.ndarray
    component: np.ndarray
    component_labels: list
    probabilities: np.ndarray
    payoffs: np.ndarray
    exact_cells: dict
    empty: np.ndarray


class ChunkRows:
    """Accumulates the rows of one chunk from the batch solver and from exact solves."""

    def __init__(self, compiled):
        self.compiled = compiled
        self.n_strategies = sum(len(s) for s in compiled.strategies)
        self.n_players = len(compiled.players)
        self.batch_parts = []
        self.exact_rows = []  # (point, eq number, kind code, component, probabilities, payoffs)

    def add_batch(self, point, row, column, payoffs):
        self.batch_parts.append((np.asarray(point, dtype=np.int64), np.hstack([row, column]),
                                 np.asarray(payoffs, dtype=np.float64), None))

    def add_planes(self, rows):
        """The rows of :func:`~negotiation.sweeps.planes.solve_planes` (a 2 × 2 chunk)."""
        # column-major views: each column is one contiguous array, as Arrow takes it
        self.batch_parts.append((rows.point, rows.probabilities, rows.payoffs, (rows.slot == 1).astype(np.int64)))

    def add_result(self, j: int, result, *, as_float: bool):
        """The equilibria of local point ``j`` from a solve result (exact unless ``as_float``)."""
        if not result.equilibria:
            self.exact_rows.append((j, 0, 2, "", None, None))
            return
        components = [record["component"] for record in result.to_records()]
        for k, equilibrium in enumerate(result.equilibria):
            probabilities = [p for vector in equilibrium.profile.probabilities for p in vector]
            payoffs = list(equilibrium.payoffs)
            if as_float:
                probabilities = [float(p) for p in probabilities]
                payoffs = [float(p) for p in payoffs]
            kind = 0 if equilibrium.kind == "pure" else 1
            self.exact_rows.append((j, k + 1, kind, components[k], probabilities, payoffs))

    # ---------------------------------------------------------------- assembling
    def _batch_arrays(self):
        """Per batch part: points, 1-based numbers within the point, kinds, probabilities, payoffs."""
        offsets = np.cumsum([0] + [len(s) for s in self.compiled.strategies])
        parts, width = [], 0
        for point, probabilities, payoffs, kind in self.batch_parts:
            if point.size == 0:
                continue
            # 1-based number within the point: position minus the start of the point's run (points are sorted)
            counts = np.bincount(point)
            most = int(counts.max())
            if most > 1:
                number = np.arange(point.size)
                number -= (np.cumsum(counts) - counts)[point]
                number += 1
            else:  # one row per point
                number = np.ones(point.size, dtype=np.int64)
            width = max(width, most)
            if kind is None:  # pure: one strategy in each player's support
                support = probabilities > 0
                pure = np.ones(point.size, dtype=bool)
                for a, b in zip(offsets[:-1], offsets[1:]):
                    count = support[:, a].astype(np.int8)
                    for c in range(a + 1, b):
                        count += support[:, c]
                    pure &= count == 1
                kind = (~pure).astype(np.int64)
            # nondegenerate points: one component per equilibrium, labelled by its number
            parts.append((point, number, kind, probabilities, payoffs, number - 1))
        return parts, width

    def _exact_arrays(self, component_labels: list, n_batch: int):
        """The exact rows as one part (after ``n_batch`` batch rows) and their exactly written cells."""
        m = len(self.exact_rows)
        point = np.array([r[0] for r in self.exact_rows], dtype=np.int64)
        number = np.array([r[1] for r in self.exact_rows], dtype=np.int64)
        kind = np.array([r[2] for r in self.exact_rows], dtype=np.int64)
        probabilities = np.zeros((m, self.n_strategies))
        payoffs = np.zeros((m, self.n_players))
        components = np.empty(m, dtype=np.int64)
        exact_cells: dict = {}
        for i, row in enumerate(self.exact_rows):
            components[i] = label_code(component_labels, row[3])
            if row[4] is None:
                continue
            probabilities[i] = [float(v) for v in row[4]]
            payoffs[i] = [float(v) for v in row[5]]
            for which, values in (("p", row[4]), ("u", row[5])):
                for c, v in enumerate(values):
                    if isinstance(v, Fraction):
                        exact_cells.setdefault((which, c), {})[n_batch + i] = v
        return (point, number, kind, probabilities, payoffs, components), exact_cells

    def assemble(self) -> Assembled:
        """The chunk's rows in point order: the batch rows and the exact rows merged."""
        parts, width = self._batch_arrays()
        component_labels = [str(k) for k in range(1, width + 1)]
        n_batch = sum(part[0].size for part in parts)
        exact_cells: dict = {}
        if self.exact_rows:
            exact_part, exact_cells = self._exact_arrays(component_labels, n_batch)
            parts.append(exact_part)
        if len(parts) == 1:
            point, number, kind, probabilities, payoffs, component = parts[0]
        elif parts:
            point, number, kind, probabilities, payoffs, component = (np.concatenate(arrays) for arrays in zip(*parts))
        else:
            point = number = kind = component = np.zeros(0, dtype=np.int64)
            probabilities, payoffs = np.zeros((0, self.n_strategies)), np.zeros((0, self.n_players))
        if self.exact_rows and n_batch:
            # a stable sort by point; batch and exact rows never share a point, and each part is
            # sorted, so the merged order follows from the insertion positions of the exact rows
            exact_points = point[n_batch:]
            target = np.searchsorted(point[:n_batch], exact_points, side="left") + np.arange(exact_points.size)
            order = np.empty(point.size, dtype=np.int64)
            is_exact = np.zeros(point.size, dtype=bool)
            is_exact[target] = True
            order[~is_exact] = np.arange(n_batch)
            order[target] = n_batch + np.arange(exact_points.size)
            point, number, kind, component = point[order], number[order], kind[order], component[order]
            probabilities, payoffs = probabilities[order], payoffs[order]
            exact_cells = {key: {int(target[r - n_batch]): v for r, v in values.items()}
                           for key, values in exact_cells.items()}
        return Assembled(point, number, kind, component, component_labels, probabilities, payoffs, exact_cells,
                         kind == 2)

    def outcomes(self, n: int, rows: Assembled):
        """Per point of the chunk: a code into the equilibrium-set labels (first appearance order), the
        labels, and the most equilibria at one point."""
        point = rows.point
        positive = rows.probabilities > 0
        for key, cells in rows.exact_cells.items():
            if key[0] == "p":
                for r, v in cells.items():
                    positive[r, key[1]] = v > 0
        # bit c of a row's code: strategy column c is in the support (in bytes while 8 bits suffice: 8 times
        # less memory to go through than int64)
        if self.n_strategies <= 8:
            code = positive[:, 0].astype(np.uint8)
            for c in range(1, self.n_strategies):
                code |= positive[:, c].view(np.uint8) << np.uint8(c)
            support = code.astype(np.int64)
        else:
            support = np.zeros(point.size, dtype=np.int64)
            for c in range(self.n_strategies):
                support |= positive[:, c].astype(np.int64) << c
        support[rows.empty] = -1
        counts = np.bincount(point, minlength=n)
        width = max(int(counts.max()) if n else 1, 1)
        outcome_codes, rows_of_codes = _point_support_sets(n, point, support, counts, width, self.n_strategies + 1)
        outcome_labels = []
        for codes in rows_of_codes:
            labels = [self.compiled.equilibrium_label(c) for c in codes]
            outcome_labels.append("; ".join(labels) if labels else NO_EQUILIBRIUM)
        return np.asarray(outcome_codes, dtype=np.int32).reshape(-1), outcome_labels, width

    # ---------------------------------------------------------------- the chunk's columns
    def build(self, n: int, start: int, cells, class_codes, class_labels):
        """The chunk as a :class:`ChunkTable`, with its points' equilibrium-set codes and labels."""
        compiled = self.compiled
        S, P = self.n_strategies, self.n_players
        rows = self.assemble()
        outcome_codes, outcome_labels, width = self.outcomes(n, rows)
        parquet = compiled.plan.output == "parquet"
        point, empty = rows.point, rows.empty
        columns = [Column.integers("point", point + start)]
        columns += parameter_columns(compiled.names, cells, point,
                                     floats=Column.raw_numbers if parquet else Column.number_group)
        equilibrium_values = [None] + list(range(1, width + 1))
        # games solved in batches always have an equilibrium at every point (two players: the exact solver is
        # complete), so their equilibrium columns are never blank: ``required`` Parquet columns
        filled = compiled.batch is not None and not empty.any()
        if parquet and filled:  # whole numbers as they are (no dictionary to look up)
            columns.append(Column.integers("equilibrium", rows.number))
        else:
            columns.append(Column("equilibrium", np.where(empty, 0, rows.number), equilibrium_values,
                                  kind="integer", required=filled))
        columns.append(Column("kind", rows.kind, list(KINDS), required=True))
        columns.append(Column("component", rows.component, rows.component_labels, required=True))
        names = compiled.columns
        offset = 4 + len(compiled.names)
        any_empty = empty if empty.any() else None
        numbers = Column.raw_numbers if parquet else Column.number_group
        exact = rows.exact_cells
        columns += numbers(names[offset:offset + S], rows.probabilities, [exact.get(("p", c)) for c in range(S)],
                           any_empty)
        columns += numbers(names[offset + S:offset + S + P], rows.payoffs, [exact.get(("u", c)) for c in range(P)],
                           any_empty)
        for column in columns[offset:]:
            column.required = filled
        if class_codes is not None:
            columns.append(Column("classification", class_codes[point], list(class_labels), required=True))
        return ChunkTable(columns, point.size), outcome_codes, outcome_labels


def parameter_columns(names, cells, point, floats) -> list:
    """The parameter columns of a chunk's rows (``point``: each row's local point).

    ``cells[name]`` is ``("axis", indices, exact values, floats)`` for a grid axis, ``("float",
    values)`` for a sampled parameter (made into columns by ``floats([name], values[:, None])``) or
    ``("fixed", value)``.
    """
    columns = []
    for name in names:
        cell = cells[name]
        if cell[0] == "axis":
            columns.append(Column.axis(name, cell[1][point], cell[2], cell[3]))
        elif cell[0] == "float":
            columns += floats([name], cell[1][point][:, None])
        else:
            columns.append(Column.constant(name, cell[1], point.size, kind="number"))
    for column in columns:
        column.required = True  # a parameter has a value at every point
    return columns


def _point_support_sets(n, point, support, counts, width, bits):
    """Each point's sequence of support codes, factorised: ``(codes, the distinct sequences)``."""
    R = point.size
    starts = None
    if R == n:  # one row per point
        rank = np.zeros(R, dtype=np.int64)
    else:
        starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        rank = np.arange(R) - starts[point]
    if bits * width > 62:  # the sequences do not fit in one int64 key
        matrix = np.full((n, width), -2, dtype=np.int64)
        matrix[point, rank] = support
        unique, outcome_codes = np.unique(matrix, axis=0, return_inverse=True)
        return outcome_codes, [[c for c in row if c != -2] for row in unique.tolist()]
    if R == n:
        keys = support + 2
    elif counts.all():  # every point has a row: one sum per point (the shifted codes have no bit in common)
        keys = np.add.reduceat((support + 2) << (rank * bits), starts[:-1])
    else:
        keys = np.zeros(n, dtype=np.int64)
        shifted = (support + 2) << (rank * bits)
        for r in range(width):
            at = rank == r
            keys[point[at]] |= shifted[at]
    outcome_codes, unique_keys = factorize(keys)
    rows_of_codes = []
    for key in unique_keys.tolist():
        codes, k = [], 0
        while key >> (k * bits):
            codes.append(((key >> (k * bits)) & ((1 << bits) - 1)) - 2)
            k += 1
        rows_of_codes.append(codes)
    return outcome_codes, rows_of_codes


def factorize(keys: np.ndarray):
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
