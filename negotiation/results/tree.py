"""Frozen result types for game trees: behaviour profiles, equilibria, solve results.

A :class:`BehaviourProfile` gives each player a probability distribution over
the actions of each of its information sets,
``{player: {information set: {action: probability}}}`` (DESIGN.md §3.1). A
:class:`TreeEquilibrium` is one equilibrium of a tree: the profile, each
player's expected payoff and the outcomes it reaches. A
:class:`TreeSolveResult` is what ``ng.solve(tree)`` (:func:`negotiation.solvers.tree.solve_tree`)
returns: the equilibria and how they were obtained (method, exact/float,
complete, degenerate, parameter values, messages); it follows the result
protocol of :mod:`negotiation.results.base`.

Profiles refer to the tree's information structure (player labels,
information-set labels and action labels) instead of copying it, so a pure
profile of a tree with 10⁵ nodes costs one integer array.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

import numpy as np

from negotiation.core.document import Cell, Document, Table, Text, latex_escape
from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import format_number, json_number
from negotiation.results.base import EquilibriumList, Result

__all__ = ["BehaviourProfile", "TreeEquilibrium", "TreeSolveResult"]

#: Rows of the equilibrium table before it is cut (``to_dict`` and ``to_records`` have everything).
MAX_SHOWN_INFORMATION_SETS = 40
#: Equilibria shown side by side in the equilibrium table.
MAX_SHOWN_EQUILIBRIA = 8

_ONE, _ZERO = Fraction(1), Fraction(0)


@dataclass(frozen=True, eq=False)
class BehaviourProfile:
    """One behaviour strategy per player: a distribution over actions at each information set.

    Parameters
    ----------
    structure : GameTree
        Anything with ``players``, ``information_set_player`` (player index of each information
        set), ``information_set_labels`` and ``information_set_actions``; normally the tree.
    choices : numpy.ndarray of int, optional
        A pure profile: the index of the chosen action at each information set
        (``-1``: not determined, see below).
    probabilities : tuple, optional
        A behaviour profile: for each information set, a tuple of probabilities (one per
        action, exact ``Fraction`` or float), or ``None`` where it is not determined.

    Notes
    -----
    An information set is *not determined* when the profile comes from a mixed strategy of
    the reduced strategic form that never lets the player reach it by its own earlier moves:
    any behaviour there gives the same outcome, so the profile leaves it open. Such
    information sets are left out of ``profile[player]`` and listed in :attr:`undetermined`.

    Examples
    --------
    >>> from negotiation.models.tree import GameTree, decision, terminal
    >>> tree = GameTree.from_nested(("Entrant", "Incumbent"), decision("Entrant", {
    ...     "Out": terminal(0, 2),
    ...     "In": decision("Incumbent", {"Fight": terminal(-1, -1), "Accommodate": terminal(1, 1)})}))
    >>> profile = BehaviourProfile.from_mapping(tree, {"Entrant": {"root": "In"},
    ...                                                "Incumbent": {"In": "Accommodate"}})
    >>> profile["Incumbent"]
    {'In': {'Fight': Fraction(0, 1), 'Accommodate': Fraction(1, 1)}}
    >>> profile.choice("Entrant", "root"), profile.is_pure
    ('In', True)
    """

    structure: Any = field(repr=False)
    choices: Any = field(default=None, repr=False)
    probabilities: Any = field(default=None, repr=False)

    def __post_init__(self):
        if (self.choices is None) == (self.probabilities is None):
            raise NegotiationError("give either choices (a pure profile) or probabilities, not both")
        if self.choices is not None:
            choices = np.asarray(self.choices, dtype=np.int64)
            choices.setflags(write=False)
            object.__setattr__(self, "choices", choices)
        else:
            object.__setattr__(self, "probabilities", tuple(
                None if p is None else tuple(p) for p in self.probabilities))

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_mapping(cls, tree, mapping: Mapping) -> "BehaviourProfile":
        """Build a profile from ``{player: {information set: action or {action: probability}}}``.

        Every information set of every player must be given.
        """
        index = tree._information_set_index()
        count = len(tree.information_set_labels)
        given = [None] * count
        for player, sets in mapping.items():
            if player not in tree.players:
                raise NegotiationError(f"unknown player {player!r} (players: {', '.join(tree.players)})")
            for label, choice in sets.items():
                k = index.get((player, label))
                if k is None:
                    raise NegotiationError(f"{player} has no information set {label!r}")
                actions = tree.information_set_actions[k]
                if isinstance(choice, str):
                    if choice not in actions:
                        raise NegotiationError(f"information set {label!r} of {player}: unknown action {choice!r} "
                                         f"(actions: {', '.join(actions)})")
                    given[k] = tuple(_ONE if a == choice else _ZERO for a in actions)
                else:
                    unknown = set(choice) - set(actions)
                    if unknown:
                        raise NegotiationError(f"information set {label!r} of {player}: unknown action "
                                         f"{sorted(unknown)[0]!r} (actions: {', '.join(actions)})")
                    given[k] = tuple(choice.get(a, 0) for a in actions)
        missing = [k for k in range(count) if given[k] is None]
        if missing:
            k = missing[0]
            owner = tree.players[tree.information_set_player[k]]
            raise NegotiationError(f"no choice given at information set {tree.information_set_labels[k]!r} of {owner}")
        if all(sum(1 for p in probs if p) == 1 and all(p in (0, 1) for p in probs) for probs in given):
            return cls(tree, choices=np.array([next(i for i, p in enumerate(probs) if p) for probs in given],
                                              dtype=np.int64))
        return cls(tree, probabilities=tuple(given))

    @classmethod
    def from_behaviour(cls, tree, behaviour) -> "BehaviourProfile":
        """The profile of ``behaviour`` (per information set a tuple of action probabilities, ``None``
        where open): pure (one chosen action per information set) where it is pure everywhere."""
        if all(p is not None and sum(1 for x in p if x) == 1 and max(p) == 1 for p in behaviour):
            return cls(tree, choices=np.array([p.index(max(p)) for p in behaviour], dtype=np.int64))
        return cls(tree, probabilities=behaviour)

    # ------------------------------------------------------------------ queries
    @property
    def players(self) -> tuple[str, ...]:
        return self.structure.players

    @property
    def is_pure(self) -> bool:
        """Every determined information set has one action with probability one."""
        if self.choices is not None:
            return True
        return all(p is None or (sum(1 for x in p if x) == 1) for p in self.probabilities)

    @property
    def is_exact(self) -> bool:
        if self.choices is not None:
            return True
        return all(isinstance(x, Fraction) for p in self.probabilities if p is not None for x in p)

    def _distribution(self, k: int):
        if self.choices is not None:
            chosen = int(self.choices[k])
            if chosen < 0:
                return None
            n = len(self.structure.information_set_actions[k])
            return tuple(_ONE if a == chosen else _ZERO for a in range(n))
        return self.probabilities[k]

    def _index(self, player, information_set) -> int:
        if isinstance(information_set, (int, np.integer)) and not isinstance(information_set, bool):
            return int(information_set)
        key = (player, information_set)
        index = self.structure._information_set_index()
        if key not in index:
            raise KeyError(f"{player} has no information set {information_set!r}")
        return index[key]

    def distribution(self, player, information_set) -> dict | None:
        """``{action: probability}`` at one information set (``None`` if not determined)."""
        k = self._index(player, information_set)
        probs = self._distribution(k)
        if probs is None:
            return None
        return dict(zip(self.structure.information_set_actions[k], probs))

    def choice(self, player, information_set) -> str | None:
        """The action chosen with probability one at an information set (``None`` if mixed or open)."""
        k = self._index(player, information_set)
        probs = self._distribution(k)
        if probs is None:
            return None
        chosen = [a for a, p in zip(self.structure.information_set_actions[k], probs) if p == 1]
        return chosen[0] if chosen else None

    def __getitem__(self, player) -> dict:
        """``{information set: {action: probability}}`` of one player (determined sets only)."""
        structure = self.structure
        if player not in structure.players:
            raise KeyError(f"unknown player {player!r} (players: {', '.join(structure.players)})")
        p = structure.players.index(player)
        out = {}
        for k in np.flatnonzero(np.asarray(structure.information_set_player) == p):
            probs = self._distribution(int(k))
            if probs is not None:
                out[structure.information_set_labels[k]] = dict(zip(structure.information_set_actions[k], probs))
        return out

    @property
    def undetermined(self) -> tuple:
        """``(player, information set)`` pairs the profile leaves open."""
        structure = self.structure
        if self.choices is not None:
            ks = np.flatnonzero(self.choices < 0)
        else:
            ks = [k for k, p in enumerate(self.probabilities) if p is None]
        return tuple((structure.players[structure.information_set_player[k]], structure.information_set_labels[k])
                     for k in ks)

    def key(self) -> tuple:
        """A hashable form: per information set, the probabilities (``None`` if open)."""
        if self.choices is not None:
            return tuple(self._distribution(k) for k in range(len(self.choices)))
        return self.probabilities

    def __eq__(self, other) -> bool:
        if not isinstance(other, BehaviourProfile):
            return NotImplemented
        if self.players != other.players:
            return False
        if self.structure is not other.structure and (
                tuple(self.structure.information_set_labels) != tuple(other.structure.information_set_labels)):
            return False
        if self.choices is not None and other.choices is not None:
            return bool(np.array_equal(self.choices, other.choices))
        return self.key() == other.key()

    def __hash__(self) -> int:
        return hash((self.players, self.key()))

    # ------------------------------------------------------------------ conversion
    def to_dict(self) -> dict:
        """``{player: {information set: {action: probability}}}``, exact values as fraction strings."""
        return {player: {label: {a: json_number(p) for a, p in mix.items()}
                         for label, mix in self[player].items()}
                for player in self.players}

    def action_text(self, k: int) -> str:
        """The choice at information set ``k`` as text: an action, a mix, or ``—`` if open."""
        probs = self._distribution(k)
        if probs is None:
            return "—"
        actions = self.structure.information_set_actions[k]
        support = [(a, p) for a, p in zip(actions, probs) if p]
        if len(support) == 1 and support[0][1] == 1:
            return support[0][0]
        return " + ".join(f"{format_number(p)} {a}" for a, p in support)

    def describe(self, limit: int = 12) -> str:
        """Compact text, player by player: ``NATO: root: Admit; Russia: Admit: Accept``."""
        structure = self.structure
        parts = []
        shown = 0
        owners = np.asarray(structure.information_set_player)
        for p, player in enumerate(structure.players):
            items = []
            for k in np.flatnonzero(owners == p):
                if shown >= limit:
                    break
                items.append(f"{structure.information_set_labels[k]}: {self.action_text(int(k))}")
                shown += 1
            if items:
                parts.append(f"{player}: " + ", ".join(items))
        total = len(structure.information_set_labels)
        text = "; ".join(parts)
        if total > shown:
            text += f"; … ({total - shown} more information sets)"
        return text

    def __repr__(self) -> str:
        return f"BehaviourProfile({self.describe(limit=6)})"


@dataclass(frozen=True)
class TreeEquilibrium:
    """One equilibrium of a game tree.

    Attributes
    ----------
    profile : BehaviourProfile
    payoffs : tuple
        Each player's expected payoff, in player order.
    outcomes : tuple of (tuple of str, probability)
        The terminal nodes the profile reaches with positive probability: the path of
        actions from the root (chance moves included) and the probability of reaching it.
    regret : Fraction or float
        Largest gain from a unilateral deviation in the strategic form (zero for exact results).
    """

    profile: BehaviourProfile
    payoffs: tuple
    outcomes: tuple = ()
    regret: Fraction | float = Fraction(0)

    @property
    def kind(self) -> str:
        """``"pure"`` or ``"behaviour"``."""
        return "pure" if self.profile.is_pure else "behaviour"

    @property
    def path(self) -> tuple | None:
        """The actions from the root to the outcome, if the profile reaches a single outcome."""
        if len(self.outcomes) == 1:
            return self.outcomes[0][0]
        return None

    def payoff(self, player) -> Fraction | float:
        i = self.profile.players.index(player) if isinstance(player, str) else player
        return self.payoffs[i]

    def __getitem__(self, player) -> dict:
        return self.profile[player]

    def path_text(self, limit: int = 4) -> str:
        """``Admit → Accept``; several outcomes as ``Hawk → Fight (1/3); Dove → Accept (2/3)``."""
        parts = []
        for path, probability in self.outcomes[:limit]:
            text = " → ".join(path) if path else "(root)"
            if len(self.outcomes) > 1:
                text += f" ({format_number(probability)})"
            parts.append(text)
        if len(self.outcomes) > limit:
            parts.append(f"… {len(self.outcomes) - limit} more outcomes")
        return "; ".join(parts)

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "profile": self.profile.to_dict(),
            "payoffs": {p: json_number(v) for p, v in zip(self.profile.players, self.payoffs)},
            "outcomes": [{"path": list(path), "probability": json_number(probability)}
                         for path, probability in self.outcomes],
        }


@dataclass(frozen=True, eq=False)
class TreeSolveResult(EquilibriumList, Result):
    """Equilibria of one numeric game tree and how they were obtained.

    Behaves as a sequence of :class:`TreeEquilibrium`; the flags mean what they mean on
    :class:`negotiation.results.game.SolveResult`.

    Attributes
    ----------
    tree : GameTree
        The numeric tree that was solved (also available as ``game``).
    equilibria : tuple of TreeEquilibrium
    method : str
        ``"backward_induction"``, ``"vertex_enumeration"`` (through the reduced strategic form),
        ``"enumerate_pure"`` (idem) or a sequence-form method.
    exact : bool
        All numbers are exact rationals.
    complete : bool
        The method guarantees that every equilibrium of the kind it computes is listed
        (backward induction: every pure subgame-perfect equilibrium).
    degenerate : bool or None
        Backward induction: whether some player is indifferent between optimal actions at
        some decision node (ties). Strategic-form route: whether the reduced strategic form
        is degenerate.
    components : tuple of tuple of int
        Groups of equilibria (indices) spanning convex sets, where the method computes them.
    parameters : mapping
        Parameter values the tree was built with.
    messages : tuple of str
    details : mapping
        Method-specific extras (for example ``"count"``, the number of subgame-perfect
        equilibria, when more exist than are listed).

    Examples
    --------
    >>> import negotiation as ng
    >>> result = ng.solve(ng.load("nato_enlargement"))
    >>> result.method, result[0].path_text()
    ('backward_induction', 'Admit with limits → Accept')
    >>> result.to_dict()["game"]["information_sets"]["Russia"]["Defer"]
    ['Accept', 'Militarise', 'Coerce']
    """

    tree: Any = field(repr=False)
    equilibria: tuple
    method: str
    exact: bool
    complete: bool
    degenerate: bool | None = None
    components: tuple = ()
    parameters: Mapping = field(default_factory=dict)
    messages: tuple = ()
    details: Mapping = field(default_factory=dict, repr=False)

    @property
    def game(self):
        """The solved tree (the name :class:`SolveResult` uses)."""
        return self.tree

    @property
    def pure(self) -> tuple:
        """The pure equilibria."""
        return tuple(e for e in self.equilibria if e.kind == "pure")

    def _content(self) -> dict:
        """The tree's part of the JSON object of ``negotiation solve --format json`` (DESIGN.md §3.1)."""
        tree = self.tree
        information_sets = {player: {} for player in tree.players}
        for k, label in enumerate(tree.information_set_labels):
            owner = tree.players[tree.information_set_player[k]]
            information_sets[owner][label] = list(tree.information_set_actions[k])
        return {
            "game": {"title": tree.title, "players": list(tree.players), "information_sets": information_sets},
            "equilibria": [e.to_dict() for e in self.equilibria],
            "components": [list(c) for c in self.components],
        }

    def to_records(self) -> list[dict]:
        """One flat dict per equilibrium: parameters, kind, path, ``"player: information set: action"``
        probabilities and ``"payoff player"``."""
        records = []
        tree = self.tree
        for number, equilibrium in enumerate(self.equilibria, start=1):
            record = dict(self.parameters)
            record["equilibrium"] = number
            record["kind"] = equilibrium.kind
            record["path"] = equilibrium.path_text()
            profile = equilibrium.profile
            for k, label in enumerate(tree.information_set_labels):
                owner = tree.players[tree.information_set_player[k]]
                probs = profile._distribution(k)
                for a, action in enumerate(tree.information_set_actions[k]):
                    record[f"{owner}: {label}: {action}"] = None if probs is None else probs[a]
            for player, payoff in zip(tree.players, equilibrium.payoffs):
                record[f"payoff {player}"] = payoff
            records.append(record)
        return records

    def document(self) -> Document:
        """The title, the parameters and the method, then one row per information set and one column
        per equilibrium (both capped), the outcome and the payoffs."""
        heading = []
        if self.parameters:
            heading.append("Parameters: " + ", ".join(f"{k} = {format_number(v)}" for k, v in self.parameters.items()))
        heading.append(f"Method: {_method_text(self)}")
        blocks = [Text(tuple(heading))]
        notes = []
        if self.equilibria:
            table, notes = _equilibrium_table(self)
            blocks.append(table)
        return Document(self.tree.title or "Game tree", tuple(blocks), notes=(*notes, *self.messages),
                        empty="No equilibrium found by this method.")


def _method_text(result: TreeSolveResult) -> str:
    """``backward_induction (exact, complete, no ties)``: backward induction's degeneracy is ties."""
    flags = ["exact" if result.exact else "floating point",
             "complete" if result.complete else "not necessarily complete"]
    ties = result.method == "backward_induction"
    if result.degenerate is True:
        flags.append("ties" if ties else "degenerate")
    elif result.degenerate is False:
        flags.append("no ties" if ties else "nondegenerate")
    return f"{result.method} ({', '.join(flags)})"


def _equilibrium_table(result: TreeSolveResult) -> tuple:
    """The table (information sets by equilibria, outcome and payoffs below) and what it leaves out."""
    tree = result.tree
    shown = result.equilibria[:MAX_SHOWN_EQUILIBRIA]
    name = "SPE" if result.method == "backward_induction" else "Eq."
    header = ("player", "information set", *(f"{name} {k}" for k in range(1, len(shown) + 1)))
    total = len(tree.information_set_labels)
    rows = tuple((tree.players[tree.information_set_player[k]], tree.information_set_labels[k],
                  *(e.profile.action_text(k) for e in shown))
                 for k in range(min(total, MAX_SHOWN_INFORMATION_SETS)))
    footer = [("outcome", "", *(e.path_text() for e in shown))]
    for i, player in enumerate(tree.players):
        footer.append((Cell(f"payoff {player}", f"$u_{{\\mathrm{{{latex_escape(player)}}}}}$"), "",
                       *(e.payoffs[i] for e in shown)))
    notes = []
    if total > MAX_SHOWN_INFORMATION_SETS:
        notes.append(f"{total - MAX_SHOWN_INFORMATION_SETS} more information sets are not shown "
                     "(to_dict() and --format json list them all).")
    if len(result.equilibria) > MAX_SHOWN_EQUILIBRIA:
        notes.append(f"{len(result.equilibria) - MAX_SHOWN_EQUILIBRIA} more equilibria are not shown.")
    return Table(header, rows, tuple(footer)), notes
