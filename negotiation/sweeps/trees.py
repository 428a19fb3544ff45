"""Sweeps of extensive-form scenarios (game trees): ``scenario.solve`` at every point.

One row per point and equilibrium with ``point``, every parameter, ``equilibrium``, ``kind``
(pure/behaviour; ``none`` without equilibria), ``"<player>: <information set>: <action>"``
probabilities (blank where the profile leaves an information set open), ``"payoff <player>"``
and ``outcome`` (the path reached, ``Admit with limits/Accept``; several as
``A/B (1/3), C/D (2/3)``). The columns come from the tree alone, so every chunk has the same
ones; a point's category (summary, maps) is its set of equilibrium outcomes.
"""

from __future__ import annotations

import numpy as np

from negotiation.sweeps.compiled import CompiledGame
from negotiation.sweeps.labels import label_code, tree_action_columns, tree_column_names, tree_outcome_cell, tree_point_label
from negotiation.sweeps.plan import ChunkOutput, Plan
from negotiation.sweeps.rows import parameter_columns
from negotiation.sweeps.writers import ChunkTable, Column

__all__ = ["CompiledTree"]


def _value_column(name: str, cells: list, kind: str = "number") -> Column:
    """A column of Python values (``Fraction`` written as fractions, floats in shortest form, ``None`` blank)."""
    index: dict = {}
    values: list = []
    codes = np.empty(len(cells), dtype=np.int32)
    for r, value in enumerate(cells):
        key = (type(value).__name__, value)
        code = index.get(key)
        if code is None:
            code = index[key] = len(values)
            values.append(value)
        codes[r] = code
    return Column(name, codes, values, kind=kind)


def _sampled_columns(names, values) -> list:
    """A sampled parameter of a tree table: its floats as Python values."""
    return [_value_column(names[0], [float(v) for v in values[:, 0]])]


class _TreeRows:
    """The rows of one chunk of a tree sweep, column by column (Python values)."""

    def __init__(self, n_actions: int, n_players: int):
        self.point, self.numbers, self.kinds, self.outcomes = [], [], [], []
        self.probabilities = [[] for _ in range(n_actions)]
        self.payoffs = [[] for _ in range(n_players)]

    def add_none(self, j: int) -> None:
        """A point without equilibria: one blank row."""
        self.point.append(j)
        self.numbers.append(None)
        self.kinds.append("none")
        for column in (*self.probabilities, *self.payoffs):
            column.append(None)
        self.outcomes.append("")

    def add(self, j: int, number: int, equilibrium, actions) -> str:
        """One equilibrium of local point ``j``; returns its ``outcome`` cell."""
        self.point.append(j)
        self.numbers.append(number)
        self.kinds.append(equilibrium.kind)
        distributions = equilibrium.profile.key()  # per information set: probabilities, None if open
        for c, (k, a, _) in enumerate(actions):
            probabilities = distributions[k]
            self.probabilities[c].append(None if probabilities is None else probabilities[a])
        for p, column in enumerate(self.payoffs):
            column.append(equilibrium.payoffs[p])
        cell = tree_outcome_cell(equilibrium)
        self.outcomes.append(cell)
        return cell


class CompiledTree(CompiledGame):
    """Point-by-point sweeps of extensive-form scenarios (``scenario.solve`` at every point)."""

    def __init__(self, plan: Plan):
        self.plan = plan
        scenario = plan.scenario
        self.scenario = scenario
        self.game = scenario.game
        self.parameters = scenario.parameters
        self.names = list(self.parameters.names)
        self.players = list(self.game.players)
        self.swept = plan.swept
        self.actions = tree_action_columns(self.game)
        self.columns = tree_column_names(scenario)
        self._axis_labels: dict = {}

    def run(self, chunk: int) -> ChunkOutput:
        plan = self.plan
        start, stop = plan.bounds(chunk)
        n, floats, cells = self.values(start, stop)
        rows = _TreeRows(len(self.actions), len(self.players))
        point_labels: list = []
        point_codes = np.empty(n, dtype=np.int32)
        exact, complete = plan.mode == "grid", True
        for j in range(n):
            result = self.scenario.solve(self.scenario_point(j, cells))
            exact, complete = exact and result.exact, complete and result.complete
            if not result.equilibria:
                rows.add_none(j)
            outcome_cells = [rows.add(j, number, equilibrium, self.actions)
                             for number, equilibrium in enumerate(result.equilibria, start=1)]
            point_codes[j] = label_code(point_labels, tree_point_label(outcome_cells))
        table = self._table(rows, start, cells)
        return ChunkOutput(chunk, start, stop, table.encode(plan.output), table.n_rows, point_codes, point_labels,
                           None, None, exact, complete)

    def _table(self, rows: _TreeRows, start: int, cells) -> ChunkTable:
        point = np.asarray(rows.point, dtype=np.int64)
        columns = [Column.integers("point", point + start)]
        columns += parameter_columns(self.names, cells, point, floats=_sampled_columns)
        columns.append(_value_column("equilibrium", rows.numbers, kind="integer"))
        columns.append(_value_column("kind", rows.kinds, kind="text"))
        for (_, _, name), column in zip(self.actions, rows.probabilities):
            columns.append(_value_column(name, column))
        for player, column in zip(self.players, rows.payoffs):
            columns.append(_value_column(f"payoff {player}", column))
        columns.append(_value_column("outcome", rows.outcomes, kind="text"))
        return ChunkTable(columns, point.size)
