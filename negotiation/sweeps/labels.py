"""The columns of a sweep table and the labels of each point's equilibrium set.

Normal-form tables have one row per (point, equilibrium): ``point``, every parameter,
``equilibrium``, ``kind``, ``component``, ``"<player>: <strategy>"`` probabilities,
``"payoff <player>"`` and ``classification`` where the scenario names a cooperative strategy
of a symmetric 2×2 game. Tree tables have ``"<player>: <information set>: <action>"``
probabilities and an ``outcome`` column instead (:func:`tree_column_names`).

A point's category (summaries, maps) is its set of equilibria as labels:
``pure (Deploy, Deploy); mixed (Restrain+Deploy, Deploy)`` from the supports, or for trees the
set of equilibrium outcomes, ``Admit → Militarise; Admit with limits → Accept``.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from negotiation.sweeps.writers import format_value

__all__ = ["NO_EQUILIBRIUM", "KINDS", "equilibrium_label", "column_names", "point_outcomes", "is_tree",
           "tree_action_columns", "tree_column_names", "tree_outcome_cell", "tree_point_label",
           "tree_point_outcomes", "label_code", "class_name"]

NO_EQUILIBRIUM = "no equilibrium found"
#: The ``kind`` cells of a normal-form table, by code (``none``: a method found no equilibrium).
KINDS = ("pure", "mixed", "none")


def is_tree(scenario) -> bool:
    """Whether ``scenario`` is an extensive-form scenario (swept point by point)."""
    return getattr(scenario, "kind", "normal-form") == "extensive-form"


def is_tree_table(frame) -> bool:
    return "outcome" in frame.columns and "component" not in frame.columns


def label_code(labels: list, label: str) -> int:
    """The index of ``label`` in ``labels``, appending it the first time it is seen."""
    if label not in labels:
        labels.append(label)
    return labels.index(label)


def class_name(result) -> str:
    """The classic-game label of a solve result without its explanation (``Stag Hunt``)."""
    text = result.details.get("classification", "") if result.details else ""
    return str(text).split(" (")[0]


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


def classifies(scenario) -> bool:
    """Whether the table of ``scenario`` has a ``classification`` column (a cooperative strategy of a
    symmetric 2×2 game)."""
    game = scenario.game
    strategies = [list(s) for s in game.strategies]
    return (scenario.cooperate is not None and game.n_players == 2 and tuple(game.shape) == (2, 2)
            and strategies[0] == strategies[1] and scenario.cooperate in strategies[0])


def column_names(scenario) -> list[str]:
    """Columns of the sweep table of ``scenario``, in order."""
    if is_tree(scenario):
        return tree_column_names(scenario)
    game = scenario.game
    names = ["point", *scenario.parameters.names, "equilibrium", "kind", "component"]
    for player, labels in zip(game.players, game.strategies):
        names += [f"{player}: {label}" for label in labels]
    names += [f"payoff {player}" for player in game.players]
    if classifies(scenario):
        names.append("classification")
    return names


def point_outcomes(frame, players, strategies):
    """Per point of a sweep table: its equilibrium set label and classic game.

    Returns ``(points, outcome labels, classification labels or None)``, points
    in the order of the table.
    """
    if is_tree_table(frame):
        return tree_point_outcomes(frame)
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


# ---------------------------------------------------------------------- extensive-form scenarios
def tree_action_columns(tree) -> list[tuple[int, int, str]]:
    """``(information set, action index, column name)`` of every probability column of a tree."""
    out = []
    for k, label in enumerate(tree.information_set_labels):
        owner = tree.players[tree.information_set_player[k]]
        for a, action in enumerate(tree.information_set_actions[k]):
            out.append((k, a, f"{owner}: {label}: {action}"))
    return out


def tree_column_names(scenario) -> list[str]:
    """Columns of the sweep table of an extensive-form scenario (they come from the tree alone)."""
    tree = scenario.game
    names = ["point", *scenario.parameters.names, "equilibrium", "kind"]
    names += [name for _, _, name in tree_action_columns(tree)]
    names += [f"payoff {player}" for player in tree.players]
    names.append("outcome")
    return names


def tree_outcome_cell(equilibrium) -> str:
    """The ``outcome`` cell of one equilibrium: ``Admit with limits/Accept``; several outcomes with their
    probabilities, ``Hawk/Fight (1/3), Dove/Accept (2/3)``."""
    outcomes = equilibrium.outcomes
    if len(outcomes) == 1:
        return "/".join(outcomes[0][0])
    # a label, not a number cell: exact probabilities stay fractions (``1/3``)
    return ", ".join(f"{'/'.join(path)} ({probability if isinstance(probability, Fraction) else format_value(probability)})"
                     for path, probability in outcomes)


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


def tree_point_label(cells) -> str:
    """The equilibrium-outcome set of one point (distinct outcomes, in equilibrium order)."""
    labels = list(dict.fromkeys(_tree_outcome_label(cell) for cell in cells))
    return "; ".join(labels) if labels else NO_EQUILIBRIUM


def tree_point_outcomes(frame):
    """:func:`point_outcomes` of a tree sweep table (labels from its ``outcome`` column)."""
    if len(frame) == 0:
        return np.zeros(0, dtype=np.int64), [], None
    points = frame["point"].to_numpy().astype(np.int64)
    cells = ["" if v is None else str(v) for v in frame["outcome"].tolist()]
    change = np.flatnonzero(np.r_[True, points[1:] != points[:-1]])
    ends = np.r_[change[1:], len(points)]
    outcomes = [tree_point_label([c for c in cells[a:b] if c != ""]) for a, b in zip(change.tolist(), ends.tolist())]
    return points[change], outcomes, None
