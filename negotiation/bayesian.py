"""Bayesian games: types, a common prior, and the Harsanyi transformation.

A :class:`BayesianGame` has players, each with a finite set of *types* (private
information) and a finite set of actions (the same for every type of a player). Nature
draws a type profile from a common prior; each player learns its own type and then all
players act at once. Payoffs ``u_i(type profile, action profile)`` are exact
(``Fraction``), floats or sympy expressions in declared parameters, and so are the prior
probabilities.

A (behaviour) strategy gives each type of each player a distribution over its actions. A
profile is a *Bayesian Nash equilibrium* (BNE) when no player can raise its ex-ante
expected payoff by changing what any of its types does; equivalently, every type that has
positive prior probability plays a best response to its interim (conditional) beliefs.
Types with prior probability zero are unconstrained: their interim payoffs are undefined.

Three ways to look at the same game:

* :func:`harsanyi` — the strategic form whose strategies are type-contingent plans
  (``"Security seeker: Cooperate, Greedy: Defect"``) and whose payoffs are ex-ante
  expected payoffs. Its Nash equilibria are the BNE (Harsanyi 1967–68).
* :func:`agent_form` — one player per (player, type) (Selten's agent form), with payoffs
  weighted by the prior (or conditional on the type).
* :func:`solve_bayesian` — the BNE in behaviour strategies, via :func:`harsanyi` and the
  strategic-form solvers; :func:`bayesian_conditions` — for a symbolic game, every pure
  BNE with the exact region of parameters where it holds.

Examples
--------
Kydd's trust game (domain.md §M3) with one-sided uncertainty: Russia is a security seeker
with probability 3/4 (Assurance payoffs R=4, T=3, P=2, S=0) or greedy (Defect dominant):

>>> from fractions import Fraction as F
>>> ASSURANCE = {("C", "C"): (4, 4), ("C", "D"): (0, 3), ("D", "C"): (3, 0), ("D", "D"): (2, 2)}
>>> GREEDY = {("C", "C"): (4, 4), ("C", "D"): (0, 5), ("D", "C"): (3, 0), ("D", "D"): (2, 2)}
>>> game = BayesianGame.from_tables(
...     types={"Russia": ["Security seeker", "Greedy"]},
...     actions={"NATO": ["C", "D"], "Russia": ["C", "D"]},
...     prior={"Russia": {"Security seeker": F(3, 4), "Greedy": F(1, 4)}},
...     payoffs=lambda t, a: (ASSURANCE if t["Russia"] == "Security seeker" else GREEDY)[a["NATO"], a["Russia"]])
>>> harsanyi(game).strategies[1]
('Security seeker: C, Greedy: C', 'Security seeker: C, Greedy: D', 'Security seeker: D, Greedy: C', 'Security seeker: D, Greedy: D')
>>> [e.profile.describe() for e in solve_bayesian(game).pure]
['NATO: C; Russia: Security seeker: C, Greedy: D', 'NATO: D; Russia: Security seeker: D, Greedy: D']
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from negotiation.results.base import ConditionalEquilibria, EquilibriumList, Tabular
from negotiation.core.numeric import coerce_number, format_number, json_number, is_sympy as _is_sympy
from negotiation.core.parameters import ParameterSpace
from negotiation.core.errors import NegotiationError

__all__ = ["BayesianGame", "BayesianError", "BayesianProfile", "BayesianEquilibrium", "BayesianSolveResult",
           "ConditionalBayesianEquilibrium", "BayesianConditions", "harsanyi", "agent_form", "solve_bayesian",
           "bayesian_conditions", "DEFAULT_TYPE"]

SCHEMA = "negotiation.bayesian-game/1"
#: Type label of a player whose type is common knowledge (a player given no types).
DEFAULT_TYPE = "known"
#: Float prior probabilities must sum to one within this tolerance.
PRIOR_TOLERANCE = 1e-9
#: Largest strategic form (number of payoff entries) :func:`harsanyi` and :func:`agent_form` build.
MAX_ENTRIES = 2_000_000
#: Equilibria shown side by side in ``to_text`` / ``to_markdown``.
MAX_SHOWN_EQUILIBRIA = 8


class BayesianError(NegotiationError):
    """A Bayesian game was given inconsistent or invalid data (one-line message)."""


# ---------------------------------------------------------------------- the game
@dataclass(frozen=True, eq=False)
class BayesianGame:
    """A finite Bayesian game with a common prior.

    Parameters
    ----------
    players : sequence of str
        Player labels, in order.
    types : sequence of sequences of str
        For each player, its type labels (a single type, e.g. ``("known",)``, when its
        preferences are common knowledge).
    actions : sequence of sequences of str
        For each player, its action labels (the same for all its types).
    prior : array_like
        Shape ``(k_1, …, k_N)``: the probability of each type profile. Non-negative,
        summing to one (exactly for exact numbers, within 1e-9 for floats, identically for
        sympy expressions).
    payoffs : array_like
        Shape ``(k_1, …, k_N, m_1, …, m_N, N)``: entry ``[t…, a…, i]`` is player ``i``'s
        payoff at type profile ``t`` and action profile ``a``.
    title : str
    parameters : ParameterSpace, optional
        Declared parameters of a symbolic game (default: the free symbols, without defaults).
    values : mapping, optional
        Parameter values a numeric game was obtained with.

    See Also
    --------
    BayesianGame.from_tables : the convenient constructor (labels, independent priors, a payoff function).

    Examples
    --------
    >>> game = BayesianGame(("A", "B"), (("x", "y"), ("known",)), (("L", "R"), ("L", "R")),
    ...                     prior=[["1/3"], ["2/3"]], payoffs=np.zeros((2, 1, 2, 2, 2), dtype=int))
    >>> game.marginal("A")
    {'x': Fraction(1, 3), 'y': Fraction(2, 3)}
    >>> BayesianGame(("A",), (("x", "y"),), (("L",),), prior=[1, 1], payoffs=[[[0]], [[0]]])
    Traceback (most recent call last):
    ...
    negotiation.bayesian.BayesianError: prior probabilities sum to 2, expected 1
    """

    players: tuple
    types: tuple
    actions: tuple
    prior: Any = field(repr=False)
    payoffs: Any = field(repr=False)
    title: str = ""
    parameters: ParameterSpace = field(default_factory=ParameterSpace, repr=False)
    values: Mapping = field(default_factory=dict, repr=False)

    def __post_init__(self):
        players = tuple(self.players)
        types = tuple(tuple(t) for t in self.types)
        actions = tuple(tuple(a) for a in self.actions)
        _check_labels(players, types, actions)
        type_shape = tuple(len(t) for t in types)
        action_shape = tuple(len(a) for a in actions)
        prior = _as_array(self.prior, type_shape, "prior", "one probability per type profile")
        payoffs = _as_array(self.payoffs, type_shape + action_shape + (len(players),), "payoffs",
                            "type profile, then action profile, then one payoff per player")
        entries = list(prior.flat) + list(payoffs.flat)
        symbolic = any(_is_sympy(e) and getattr(e, "free_symbols", None) for e in entries)
        prior, prior_float = _normalise(prior, symbolic, lambda p: "prior " + _type_text(p, players, types))
        payoffs, payoff_float = _normalise(
            payoffs, symbolic, lambda p: "payoff " + _payoff_text(p, players, types, actions))
        kind = "symbolic" if symbolic else "float" if (prior_float or payoff_float) else "exact"
        if kind == "float":
            prior = _map(prior, float)
            payoffs = _map(payoffs, float)
        parameters = self.parameters
        if symbolic:
            free = set().union(*(e.free_symbols for e in itertools.chain(prior.flat, payoffs.flat)
                                 if _is_sympy(e)))
            names = {s.name for s in free}
            if not parameters.parameters:
                parameters = ParameterSpace.from_names(sorted(names))
            undeclared = sorted(names - set(parameters.names))
            if undeclared:
                raise BayesianError(f"the game uses undeclared parameter {undeclared[0]!r} "
                                    f"(declared: {', '.join(parameters.names) or 'none'})")
            by_name = parameters.symbols
            replacement = {s: by_name[s.name] for s in free if s != by_name[s.name]}
            if replacement:
                prior = _map(prior, lambda e: e.xreplace(replacement) if _is_sympy(e) else e)
                payoffs = _map(payoffs, lambda e: e.xreplace(replacement) if _is_sympy(e) else e)
        _check_prior(prior, kind, players, types)
        prior.setflags(write=False)
        payoffs.setflags(write=False)
        for name, value in (("players", players), ("types", types), ("actions", actions), ("prior", prior),
                            ("payoffs", payoffs), ("parameters", parameters), ("values", dict(self.values))):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_arithmetic", kind)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_tables(cls, types: Mapping | None, actions: Mapping, prior: Mapping,
                    payoffs: Mapping | Callable, title: str = "", **options) -> "BayesianGame":
        """Build a game from labels, a prior and a payoff table or function.

        Parameters
        ----------
        types : mapping or None
            Player label -> its type labels. Players left out have one type, ``"known"``.
        actions : mapping
            Player label -> its action labels. Its order is the player order.
        prior : mapping
            Either *independent* priors ``{player: {type: probability}}`` (players with one
            type may be left out), or a *joint* prior ``{type profile tuple: probability}``
            with one type per player (profiles left out have probability zero).
        payoffs : mapping or callable
            ``{type profile tuple: {action profile tuple: payoffs}}`` covering every type
            profile and action profile, or a function ``payoffs(types, actions)`` of two
            dicts (player -> label) returning the payoffs. Payoffs are a sequence (one per
            player, in order) or a mapping player -> payoff.
        title : str
        **options
            ``parameters`` and ``values``, as for the class.

        Examples
        --------
        >>> game = BayesianGame.from_tables(
        ...     types={"B": ["friend", "foe"]}, actions={"A": ["L", "R"], "B": ["L", "R"]},
        ...     prior={("known", "friend"): "1/2", ("known", "foe"): "1/2"},
        ...     payoffs=lambda t, a: (1, 1) if (a["A"] == a["B"]) == (t["B"] == "friend") else (0, 0))
        >>> game.types, game.prior.tolist()
        ((('known',), ('friend', 'foe')), [[Fraction(1, 2), Fraction(1, 2)]])
        """
        if not isinstance(actions, Mapping) or not actions:
            raise BayesianError("actions: expected a mapping player -> action labels")
        players = tuple(actions)
        types = dict(types or {})
        unknown = [p for p in types if p not in players]
        if unknown:
            raise BayesianError(f"types: unknown player {unknown[0]!r} (players: {', '.join(players)})")
        type_labels = tuple(tuple(types.get(p, (DEFAULT_TYPE,))) for p in players)
        action_labels = tuple(tuple(actions[p]) for p in players)
        _check_labels(players, type_labels, action_labels)
        type_shape = tuple(len(t) for t in type_labels)
        action_shape = tuple(len(a) for a in action_labels)
        prior_array = _prior_array(prior, players, type_labels)
        payoff_array = np.empty(type_shape + action_shape + (len(players),), dtype=object)
        if callable(payoffs):
            for t in itertools.product(*(range(k) for k in type_shape)):
                named_types = {p: type_labels[i][k] for i, (p, k) in enumerate(zip(players, t))}
                for a in itertools.product(*(range(m) for m in action_shape)):
                    named_actions = {p: action_labels[i][j] for i, (p, j) in enumerate(zip(players, a))}
                    payoff_array[t + a] = _payoff_vector(payoffs(named_types, named_actions), players,
                                                         f"payoffs at types {tuple(named_types.values())}, "
                                                         f"actions {tuple(named_actions.values())}")
        elif isinstance(payoffs, Mapping):
            filled = np.zeros(type_shape + action_shape, dtype=bool)
            for type_key, table in payoffs.items():
                t = _profile_index(type_key, players, type_labels, "type")
                if not isinstance(table, Mapping):
                    raise BayesianError(f"payoffs at types {type_key}: expected a mapping action profile -> payoffs")
                for action_key, values in table.items():
                    a = _profile_index(action_key, players, action_labels, "action")
                    if filled[t + a]:
                        raise BayesianError(f"payoffs at types {type_key}, actions {action_key} are given twice")
                    payoff_array[t + a] = _payoff_vector(values, players,
                                                         f"payoffs at types {type_key}, actions {action_key}")
                    filled[t + a] = True
            if not filled.all():
                missing = tuple(int(x) for x in np.argwhere(~filled)[0])
                n = len(players)
                raise BayesianError(
                    f"payoffs: none given at types {tuple(type_labels[i][k] for i, k in enumerate(missing[:n]))}, "
                    f"actions {tuple(action_labels[i][j] for i, j in enumerate(missing[n:]))}")
        else:
            raise BayesianError("payoffs: expected a mapping {type profile: {action profile: payoffs}} or a function")
        return cls(players, type_labels, action_labels, prior_array, payoff_array, title=title, **options)

    @classmethod
    def independent(cls, types: Mapping, actions: Mapping, priors: Mapping, payoffs, title: str = "",
                    **options) -> "BayesianGame":
        """Convenience constructor for independent types: ``priors = {player: {type: probability}}``.

        The prior of a type profile is the product of the players' probabilities.

        Examples
        --------
        >>> game = BayesianGame.independent(
        ...     {"A": ["x", "y"], "B": ["u", "v"]}, {"A": ["L"], "B": ["L"]},
        ...     {"A": {"x": "1/2", "y": "1/2"}, "B": {"u": "1/3", "v": "2/3"}}, lambda t, a: (0, 0))
        >>> game.prior.tolist()
        [[Fraction(1, 6), Fraction(1, 3)], [Fraction(1, 6), Fraction(1, 3)]]
        """
        if not isinstance(priors, Mapping) or any(p not in actions for p in priors):
            raise BayesianError("priors: expected a mapping player -> {type: probability}")
        return cls.from_tables(types, actions, priors, payoffs, title=title, **options)

    # ------------------------------------------------------------------ queries
    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def type_shape(self) -> tuple:
        """Number of types of each player."""
        return tuple(len(t) for t in self.types)

    @property
    def action_shape(self) -> tuple:
        """Number of actions of each player."""
        return tuple(len(a) for a in self.actions)

    #: The kind of model (the ``kind`` of its scenario files; ``kind`` always names the sort of a thing).
    kind = "bayesian"

    @property
    def arithmetic(self) -> str:
        """``"exact"``, ``"float"`` or ``"symbolic"``: the numbers the model holds."""
        return self._arithmetic

    @property
    def is_exact(self) -> bool:
        return self._arithmetic == "exact"

    @property
    def is_symbolic(self) -> bool:
        return self._arithmetic == "symbolic"

    @property
    def symbols(self) -> dict:
        return self.parameters.symbols

    def player_index(self, player) -> int:
        if isinstance(player, int) and not isinstance(player, bool) and 0 <= player < self.n_players:
            return player
        if player in self.players:
            return self.players.index(player)
        raise BayesianError(f"unknown player {player!r} (players: {', '.join(self.players)})")

    def marginal(self, player) -> dict:
        """Prior probability of each type of ``player`` (label or index)."""
        i = self.player_index(player)
        axes = tuple(j for j in range(self.n_players) if j != i)
        totals = self.prior.sum(axis=axes) if axes else self.prior
        if self.is_symbolic:
            import sympy

            totals = [sympy.expand(v) for v in totals]
        return dict(zip(self.types[i], list(totals)))

    def type_profiles(self):
        """All type profiles as tuples of labels, player 1's type varying slowest."""
        return itertools.product(*self.types)

    # ------------------------------------------------------------------ transformations
    def substitute(self, values: Mapping | None = None, **kwargs) -> "BayesianGame":
        """The numeric game at the given parameter values (missing ones take their defaults).

        Examples
        --------
        >>> import sympy
        >>> pi = sympy.Symbol("pi")
        >>> game = BayesianGame(("A",), (("x", "y"),), (("L", "R"),), prior=[pi, 1 - pi],
        ...                     payoffs=[[[1], [0]], [[0], [1]]])
        >>> game.is_symbolic, game.substitute(pi="1/4").prior.tolist()
        (True, [Fraction(1, 4), Fraction(3, 4)])
        """
        values = {**(values or {}), **kwargs}
        substitution = self.parameters.substitution(values, symbolic=self.is_symbolic, error=BayesianError, what="game")
        if substitution is None:
            return self
        resolved, replacement = substitution

        def numeric(array, describe):
            out = np.empty(array.shape, dtype=object)
            for position, entry in np.ndenumerate(array):
                value = entry.xreplace(replacement) if _is_sympy(entry) else entry
                try:
                    out[position] = coerce_number(value, where=describe(position))
                except ValueError as error:
                    raise BayesianError(str(error)) from None
            return out

        prior = numeric(self.prior, lambda p: "prior " + _type_text(p, self.players, self.types))
        payoffs = numeric(self.payoffs,
                          lambda p: "payoff " + _payoff_text(p, self.players, self.types, self.actions))
        return BayesianGame(self.players, self.types, self.actions, prior, payoffs, title=self.title,
                            parameters=self.parameters, values=resolved)

    def restrict_types(self, keep: Mapping) -> "BayesianGame":
        """The game on a subset of types (``{player: [type labels kept]}``; others keep all).

        The prior is *not* renormalised, so the kept profiles must carry all the probability
        (used to drop types of prior probability zero).
        """
        indices = []
        for i, player in enumerate(self.players):
            labels = keep.get(player, self.types[i])
            indices.append([self.types[i].index(label) for label in labels])
        prior = self.prior[np.ix_(*indices)]
        payoffs = self.payoffs[np.ix_(*indices, *(range(m) for m in self.action_shape), range(self.n_players))]
        types = tuple(tuple(self.types[i][k] for k in index) for i, index in enumerate(indices))
        return BayesianGame(self.players, types, self.actions, prior, payoffs, title=self.title,
                            parameters=self.parameters, values=self.values)

    # ------------------------------------------------------------------ conversion
    def to_dict(self) -> dict:
        """JSON-ready description (schema ``negotiation.bayesian-game/1``).

        Exact numbers are strings such as ``"3/4"``, floats stay numbers, symbolic entries
        are their sympy string form.
        """
        prior = []
        payoffs = []
        for t in itertools.product(*(range(k) for k in self.type_shape)):
            named = {p: self.types[i][k] for i, (p, k) in enumerate(zip(self.players, t))}
            prior.append({"types": named, "probability": _json(self.prior[t])})
            for a in itertools.product(*(range(m) for m in self.action_shape)):
                payoffs.append({
                    "types": named,
                    "actions": {p: self.actions[i][j] for i, (p, j) in enumerate(zip(self.players, a))},
                    "payoffs": {p: _json(self.payoffs[t + a + (i,)]) for i, p in enumerate(self.players)},
                })
        data = {
            "schema": SCHEMA,
            "title": self.title,
            "players": list(self.players),
            "types": {p: list(t) for p, t in zip(self.players, self.types)},
            "actions": {p: list(a) for p, a in zip(self.players, self.actions)},
            "prior": prior,
            "payoffs": payoffs,
        }
        if self.is_symbolic:
            data["parameters"] = list(self.parameters.names)
        if self.values:
            data["values"] = {k: json_number(v) for k, v in self.values.items()}
        return data

    def to_text(self) -> str:
        """Payoff tables, one per type profile, with its prior probability.

        Examples
        --------
        >>> game = BayesianGame.from_tables({"B": ["x", "y"]}, {"A": ["L", "R"], "B": ["L", "R"]},
        ...                                 {"B": {"x": "1/2", "y": "1/2"}}, lambda t, a: (1, 0))
        >>> print(game.to_text().splitlines()[2])
        Types: A known, B x (probability 1/2)
        """
        lines = [self.title or "Bayesian game", ""]
        for t, header, rows in self._tables():
            lines.append(f"Types: {header} (probability {_show(self.prior[t])})")
            widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
            lines += ["  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
            lines.append("")
        return "\n".join(lines).rstrip()

    def to_markdown(self) -> str:
        """The payoff tables as GitHub-flavoured Markdown."""
        lines = [f"**{self.title or 'Bayesian game'}**", ""]
        for t, header, rows in self._tables():
            lines += [f"Types: {header} (probability {_show(self.prior[t])})", ""]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in rows[0]) + " |")
            lines.append("|" + "|".join(" --- " for _ in rows[0]) + "|")
            lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows[1:]]
            lines.append("")
        return "\n".join(lines).rstrip()

    def _tables(self):
        """Per type profile: (index, header text, rows of cells); the first row is the header."""
        for t in itertools.product(*(range(k) for k in self.type_shape)):
            header = ", ".join(f"{p} {self.types[i][k]}" for i, (p, k) in enumerate(zip(self.players, t)))
            block = self.payoffs[t]
            if self.n_players == 2:
                rows = [[f"{self.players[0]} \\ {self.players[1]}", *self.actions[1]]]
                for r, row_label in enumerate(self.actions[0]):
                    rows.append([row_label] + [", ".join(_show(v) for v in block[r, c])
                                               for c in range(len(self.actions[1]))])
            else:
                rows = [[" / ".join(self.players), "payoffs"]]
                for a in itertools.product(*(range(m) for m in self.action_shape)):
                    rows.append([", ".join(self.actions[i][j] for i, j in enumerate(a)),
                                 ", ".join(_show(v) for v in block[a])])
            yield t, header, rows

    def __repr__(self) -> str:
        title = f"{self.title!r}, " if self.title else ""
        types = "×".join(str(k) for k in self.type_shape)
        actions = "×".join(str(m) for m in self.action_shape)
        return f"BayesianGame({title}players={list(self.players)}, types {types}, actions {actions}, {self.arithmetic})"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


# ---------------------------------------------------------------------- validation helpers
def _check_labels(players, types, actions) -> None:
    if not players:
        raise BayesianError("a Bayesian game needs at least one player")
    for player in players:
        if not isinstance(player, str) or not player.strip():
            raise BayesianError(f"player labels must be non-empty strings, got {player!r}")
    if len(set(players)) != len(players):
        duplicate = next(p for p in players if players.count(p) > 1)
        raise BayesianError(f"duplicate player label {duplicate!r}")
    for what, labels in (("types", types), ("actions", actions)):
        if len(labels) != len(players):
            raise BayesianError(f"{len(players)} players but {what} for {len(labels)}")
        for player, own in zip(players, labels):
            if not own:
                raise BayesianError(f"player {player!r} has no {what}")
            for label in own:
                if not isinstance(label, str) or not label.strip():
                    raise BayesianError(f"{what} of {player!r} must be non-empty strings, got {label!r}")
            if len(set(own)) != len(own):
                duplicate = next(x for x in own if own.count(x) > 1)
                raise BayesianError(f"duplicate {what[:-1]} label {duplicate!r} of player {player!r}")


def _as_array(value, shape, name, meaning):
    try:
        array = np.asarray(value, dtype=object)
    except ValueError as error:
        raise BayesianError(f"{name} are ragged: {error}") from None
    if array.shape != shape:
        raise BayesianError(f"{name} have shape {array.shape}, expected {shape} ({meaning})")
    return array


def _map(array, function):
    out = np.empty(array.shape, dtype=object)
    for position, entry in np.ndenumerate(array):
        out[position] = function(entry)
    return out


def _normalise(array, symbolic, describe):
    """Coerce every entry to Fraction / float, or to sympy when the game is symbolic; (array, any float)."""
    out = np.empty(array.shape, dtype=object)
    any_float = False
    for position, entry in np.ndenumerate(array):
        if _is_sympy(entry) and getattr(entry, "free_symbols", None):
            import sympy

            if entry.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
                raise BayesianError(f"{describe(position)}: {entry} is not finite")
            out[position] = entry
            continue
        try:
            value = coerce_number(entry, where=describe(position))
        except ValueError as error:
            raise BayesianError(str(error)) from None
        any_float |= isinstance(value, float)
        out[position] = _to_sympy(value) if symbolic else value
    return out, any_float


def _to_sympy(value):
    import sympy

    if _is_sympy(value):
        return value
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, int):
        return sympy.Integer(value)
    return sympy.Float(value)


def _check_prior(prior, kind, players, types) -> None:
    if kind == "symbolic":
        import sympy

        for position, entry in np.ndenumerate(prior):
            if entry.is_negative:
                raise BayesianError(f"prior {_type_text(position, players, types)}: {entry} is negative")
        total = sympy.expand(sum(prior.flat))
        if total != 1 and sympy.simplify(total - 1) != 0:
            raise BayesianError(f"prior probabilities sum to {total}, expected 1 (identically in the parameters)")
        return
    for position, entry in np.ndenumerate(prior):
        if entry < (-PRIOR_TOLERANCE if kind == "float" else 0):
            raise BayesianError(f"prior {_type_text(position, players, types)}: {_show(entry)} is negative")
    total = sum(prior.flat)
    if (kind == "exact" and total != 1) or (kind == "float" and abs(total - 1) > PRIOR_TOLERANCE):
        raise BayesianError(f"prior probabilities sum to {_show(total)}, expected 1")


def _type_text(position, players, types) -> str:
    return "(" + ", ".join(f"{p}: {types[i][k]}" for i, (p, k) in enumerate(zip(players, position))) + ")"


def _payoff_text(position, players, types, actions) -> str:
    n = len(players)
    kinds = ", ".join(types[i][k] for i, k in enumerate(position[:n]))
    acts = ", ".join(actions[i][j] for i, j in enumerate(position[n:2 * n]))
    return f"of {players[position[-1]]} at types ({kinds}), actions ({acts})"


def _prior_array(prior, players, type_labels):
    if not isinstance(prior, Mapping) or not prior:
        raise BayesianError("prior: expected {player: {type: probability}} or {type profile: probability}")
    shape = tuple(len(t) for t in type_labels)
    if all(isinstance(key, str) and key in players for key in prior):
        vectors = []
        for i, player in enumerate(players):
            if player not in prior:
                if len(type_labels[i]) > 1:
                    raise BayesianError(f"prior: no probabilities for the types of {player} "
                                        f"({', '.join(type_labels[i])})")
                vectors.append([1])
                continue
            table = prior[player]
            if not isinstance(table, Mapping):
                raise BayesianError(f"prior of {player}: expected a mapping type -> probability")
            unknown = [t for t in table if t not in type_labels[i]]
            if unknown:
                raise BayesianError(f"prior of {player}: unknown type {unknown[0]!r} "
                                    f"(types: {', '.join(type_labels[i])})")
            missing = [t for t in type_labels[i] if t not in table]
            if missing:
                raise BayesianError(f"prior of {player}: no probability for type {missing[0]!r}")
            vector = []
            for t in type_labels[i]:
                value = table[t]
                if not _is_sympy(value):
                    try:
                        value = coerce_number(value, where=f"prior of {player}, type {t}")
                    except ValueError as error:
                        raise BayesianError(str(error)) from None
                vector.append(value)
            _check_marginal(vector, player)
            vectors.append(vector)
        array = np.empty(shape, dtype=object)
        for t in itertools.product(*(range(k) for k in shape)):
            value = 1
            for vector, k in zip(vectors, t):
                value = value * vector[k]
            array[t] = value
        return array
    array = np.empty(shape, dtype=object)
    array.fill(0)
    seen = set()
    for key, value in prior.items():
        t = _profile_index(key, players, type_labels, "type")
        if t in seen:
            raise BayesianError(f"prior: type profile {key} is given twice")
        seen.add(t)
        array[t] = value
    return array


def _check_marginal(vector, player) -> None:
    if any(_is_sympy(v) for v in vector):
        import sympy

        total = sympy.expand(sum(_to_sympy(v) for v in vector))
        if total != 1 and sympy.simplify(total - 1) != 0:
            raise BayesianError(f"prior of {player}: probabilities sum to {total}, expected 1")
        return
    total = sum(vector)
    exact = all(isinstance(v, Fraction) for v in vector)
    if (exact and total != 1) or (not exact and abs(total - 1) > PRIOR_TOLERANCE):
        raise BayesianError(f"prior of {player}: probabilities sum to {_show(total)}, expected 1")


def _profile_index(key, players, labels, what) -> tuple:
    profile = (key,) if isinstance(key, str) else tuple(key)
    if len(profile) != len(players):
        raise BayesianError(f"{what} profile {key!r}: expected one {what} for each of {len(players)} players "
                            f"({', '.join(players)})")
    index = []
    for i, (player, label) in enumerate(zip(players, profile)):
        if label not in labels[i]:
            raise BayesianError(f"{what} profile {key!r}: unknown {what} {label!r} of {player} "
                                f"({what}s: {', '.join(labels[i])})")
        index.append(labels[i].index(label))
    return tuple(index)


def _payoff_vector(values, players, where) -> list:
    if isinstance(values, Mapping):
        unknown = [p for p in values if p not in players]
        if unknown or len(values) != len(players):
            raise BayesianError(f"{where}: expected one payoff for each of {', '.join(players)}")
        return [values[p] for p in players]
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) and not isinstance(values, np.ndarray):
        if len(players) == 1:
            return [values]
        raise BayesianError(f"{where}: expected {len(players)} payoffs (one per player), got {values!r}")
    values = list(values)
    if len(values) != len(players):
        raise BayesianError(f"{where}: expected {len(players)} payoffs (one per player), got {len(values)}")
    return values


def _json(value):
    if _is_sympy(value):
        import sympy

        return sympy.sstr(value)
    return json_number(value)


def _show(value) -> str:
    if value is None:
        return "—"
    if _is_sympy(value):
        import sympy

        return sympy.sstr(value)
    return format_number(value)


def _is_zero(value) -> bool:
    return value == 0


# ---------------------------------------------------------------------- Harsanyi and agent forms
def _plans(game, i) -> list:
    """All pure type-contingent plans of player ``i``: one action index per type."""
    return list(itertools.product(range(len(game.actions[i])), repeat=len(game.types[i])))


def _plan_label(game, i, plan) -> str:
    if len(game.types[i]) == 1:
        return game.actions[i][plan[0]]
    return ", ".join(f"{t}: {game.actions[i][a]}" for t, a in zip(game.types[i], plan))


def harsanyi(game: BayesianGame) -> "Game":
    """The Harsanyi transformation: the strategic form of type-contingent plans and ex-ante payoffs.

    A strategy of player ``i`` is a plan giving one action to each of its types, labelled
    ``"Security seeker: Cooperate, Greedy: Defect"`` (just the action for a player with one
    type). The payoff of a plan profile ``s`` is ``sum over type profiles t of
    prior(t) * u_i(t, s(t))``. Its Nash equilibria are the Bayesian Nash equilibria; a mixed
    plan corresponds to the behaviour strategy of its marginals at each type.

    Symbolic games give a symbolic :class:`~negotiation.models.game.Game` (same parameters). A type
    of prior probability zero multiplies its player's plans without changing any payoff (the
    form is then degenerate); :func:`solve_bayesian` removes such types before solving.

    Examples
    --------
    >>> game = BayesianGame.from_tables({"B": ["x", "y"]}, {"A": ["L", "R"], "B": ["L", "R"]},
    ...                                 {"B": {"x": "1/4", "y": "3/4"}},
    ...                                 lambda t, a: (int(a["A"] == a["B"]), int((a["A"] == a["B"]) == (t["B"] == "x"))))
    >>> normal = harsanyi(game)
    >>> normal.shape, normal["L", "x: L, y: R"]
    ((2, 4), {'A': Fraction(1, 4), 'B': Fraction(1, 1)})
    """
    from negotiation.models.game import Game

    plans = [_plans(game, i) for i in range(game.n_players)]
    shape = tuple(len(p) for p in plans) + (game.n_players,)
    if math.prod(shape) > MAX_ENTRIES:
        raise BayesianError(f"the Harsanyi form would have {math.prod(shape):,} payoff entries "
                            f"(limit {MAX_ENTRIES:,}): too many types or actions")
    total = np.zeros(shape, dtype=object)
    plan_actions = [np.array(p, dtype=np.int64).reshape(len(p), -1) for p in plans]
    everyone = np.arange(game.n_players)
    for t in itertools.product(*(range(k) for k in game.type_shape)):
        probability = game.prior[t]
        if _is_zero(probability):
            continue
        index = [plan_actions[i][:, k] for i, k in enumerate(t)]
        block = game.payoffs[t][np.ix_(*index, everyone)]
        total = total + probability * block
    if game.is_symbolic:
        import sympy

        total = _map(total, sympy.expand)
    labels = tuple(tuple(_plan_label(game, i, plan) for plan in plans[i]) for i in range(game.n_players))
    return Game(game.players, labels, total, title=game.title, parameters=game.parameters, values=game.values)


def agent_label(game: BayesianGame, i: int, k: int) -> str:
    """Label of the agent of player ``i``'s type ``k`` in :func:`agent_form`: ``"Russia (Greedy)"``."""
    if len(game.types[i]) == 1:
        return game.players[i]
    return f"{game.players[i]} ({game.types[i][k]})"


def agent_form(game: BayesianGame, *, conditional: bool = False) -> "Game":
    """Selten's agent form: one player per (player, type), each choosing that type's action.

    The agent of type ``t_i`` of player ``i`` gets ``sum over t_-i of prior(t_i, t_-i) *
    u_i(t, a)``: its interim expected payoff *weighted by the prior probability of its type*
    (``conditional=True`` divides by that probability, giving the interim payoff itself).

    Which form :func:`solve_bayesian` uses, and why: the Harsanyi form
    (:func:`harsanyi`). It keeps the number of players, so two-player Bayesian games get
    exact, complete vertex enumeration; the agent form of a two-player game with several
    types has more than two players, where only pure equilibria are enumerated completely.
    The pure Nash equilibria of the prior-weighted agent form are exactly the pure Bayesian
    Nash equilibria (a type of probability zero has all payoffs zero, so it is
    unconstrained, as in the ex-ante definition); with ``conditional=True`` a type of
    probability zero has undefined interim payoffs and raises :class:`BayesianError`.

    Examples
    --------
    >>> game = BayesianGame.from_tables({"B": ["x", "y"]}, {"A": ["L", "R"], "B": ["L", "R"]},
    ...                                 {"B": {"x": "1/4", "y": "3/4"}},
    ...                                 lambda t, a: (int(a["A"] == a["B"]), int((a["A"] == a["B"]) == (t["B"] == "x"))))
    >>> agents = agent_form(game)
    >>> agents.players, agents["L", "L", "R"]
    (('A', 'B (x)', 'B (y)'), {'A': Fraction(1, 4), 'B (x)': Fraction(1, 4), 'B (y)': Fraction(3, 4)})
    >>> agent_form(game, conditional=True)["L", "L", "R"]["B (y)"]
    Fraction(1, 1)
    """
    from negotiation.models.game import Game

    agents = [(i, k) for i in range(game.n_players) for k in range(len(game.types[i]))]
    sizes = tuple(len(game.actions[i]) for i, _ in agents)
    shape = sizes + (len(agents),)
    if math.prod(shape) > MAX_ENTRIES:
        raise BayesianError(f"the agent form would have {math.prod(shape):,} payoff entries "
                            f"(limit {MAX_ENTRIES:,}): too many types or actions")
    position = {agent: n for n, agent in enumerate(agents)}
    weights = {}
    for i in range(game.n_players):
        for k, (label, probability) in enumerate(game.marginal(i).items()):
            if conditional:
                if not game.is_symbolic and _is_zero(probability):
                    raise BayesianError(f"agent_form(conditional=True): type {label!r} of {game.players[i]} has "
                                        "prior probability 0, so its interim payoffs are undefined "
                                        "(use the prior-weighted form, conditional=False)")
                weights[i, k] = probability
    payoffs = np.zeros(shape, dtype=object)
    for t in itertools.product(*(range(k) for k in game.type_shape)):
        probability = game.prior[t]
        if _is_zero(probability):
            continue
        # payoff of player i's agent (i, t_i) depends on the actions of the agents (j, t_j)
        axes = [position[j, t[j]] for j in range(game.n_players)]
        block = game.payoffs[t]  # shape (m_1, …, m_N, N)
        for a in itertools.product(*(range(m) for m in game.action_shape)):
            for full in _agent_profiles(sizes, axes, a):
                for i in range(game.n_players):
                    agent = position[i, t[i]]
                    value = probability * block[a + (i,)]
                    if conditional:
                        value = value / weights[i, t[i]]
                    payoffs[full + (agent,)] = payoffs[full + (agent,)] + value
    if game.is_symbolic:
        import sympy

        payoffs = _map(payoffs, lambda e: sympy.cancel(e) if _is_sympy(e) else e)
    labels = tuple(agent_label(game, i, k) for i, k in agents)
    strategies = tuple(game.actions[i] for i, _ in agents)
    return Game(labels, strategies, payoffs, title=game.title, parameters=game.parameters, values=game.values)


def _agent_profiles(sizes, axes, actions):
    """Every agent-action profile in which agent ``axes[j]`` plays ``actions[j]``."""
    free = [range(n) if n_axis not in axes else None for n_axis, n in enumerate(sizes)]
    fixed = dict(zip(axes, actions))
    ranges = [(fixed[n],) if n in fixed else free[n] for n in range(len(sizes))]
    return itertools.product(*ranges)


# ---------------------------------------------------------------------- profiles and results
@dataclass(frozen=True)
class BayesianProfile:
    """A behaviour strategy per player: a distribution over actions for each type.

    ``probabilities[i][k]`` is the tuple of action probabilities of player ``i``'s type
    ``k``, or ``None`` for a type of prior probability zero (any action is consistent with
    equilibrium there).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> profile = BayesianProfile(("A", "B"), (("known",), ("x", "y")), (("L", "R"), ("L", "R")),
    ...                           (((F(1), F(0)),), ((F(1, 2), F(1, 2)), None)))
    >>> profile["B"]
    {'x': {'L': Fraction(1, 2), 'R': Fraction(1, 2)}}
    >>> profile.describe()
    'A: L; B: x: 1/2 L + 1/2 R, y: (probability 0)'
    """

    players: tuple
    types: tuple
    actions: tuple
    probabilities: tuple

    def __getitem__(self, player) -> dict:
        """``{type: {action: probability}}`` of one player (types of probability zero left out)."""
        i = self.players.index(player) if isinstance(player, str) else player
        return {t: dict(zip(self.actions[i], probs))
                for t, probs in zip(self.types[i], self.probabilities[i]) if probs is not None}

    def distribution(self, player, type_label) -> dict | None:
        """``{action: probability}`` of one type (``None`` if the type has probability zero)."""
        i = self.players.index(player)
        probs = self.probabilities[i][self.types[i].index(type_label)]
        return None if probs is None else dict(zip(self.actions[i], probs))

    @property
    def is_pure(self) -> bool:
        return all(probs is None or sum(1 for p in probs if p > 0) == 1
                   for player in self.probabilities for probs in player)

    @property
    def undetermined(self) -> tuple:
        """``(player, type)`` pairs of prior probability zero, which the profile leaves open."""
        return tuple((p, t) for p, labels, probs in zip(self.players, self.types, self.probabilities)
                     for t, x in zip(labels, probs) if x is None)

    def key(self) -> tuple:
        return self.probabilities

    def action_text(self, i: int, k: int) -> str:
        """One type's choice as text: an action, a mix ``1/2 L + 1/2 R``, or ``(probability 0)``."""
        probs = self.probabilities[i][k]
        if probs is None:
            return "(probability 0)"
        support = [(a, p) for a, p in zip(self.actions[i], probs) if p > 0]
        if len(support) == 1:
            return support[0][0]
        return " + ".join(f"{format_number(p)} {a}" for a, p in support)

    def describe(self) -> str:
        """``NATO: C; Russia: Security seeker: C, Greedy: D``."""
        parts = []
        for i, player in enumerate(self.players):
            if len(self.types[i]) == 1:
                parts.append(f"{player}: {self.action_text(i, 0)}")
            else:
                parts.append(f"{player}: " + ", ".join(f"{t}: {self.action_text(i, k)}"
                                                       for k, t in enumerate(self.types[i])))
        return "; ".join(parts)

    def to_dict(self) -> dict:
        """``{player: {type: {action: probability}}}``; a type of probability zero maps to ``None``."""
        return {player: {t: (None if probs is None else {a: json_number(p) for a, p in zip(self.actions[i], probs)})
                         for t, probs in zip(self.types[i], self.probabilities[i])}
                for i, player in enumerate(self.players)}


@dataclass(frozen=True)
class BayesianEquilibrium:
    """One Bayesian Nash equilibrium.

    Attributes
    ----------
    profile : BayesianProfile
    interim : tuple
        ``interim[i][k]``: expected payoff of player ``i``'s type ``k`` given its type
        (``None`` for a type of probability zero).
    payoffs : tuple
        Ex-ante expected payoff of each player.
    regret : Fraction or float
        Largest ex-ante gain of a unilateral deviation (zero for exact results).
    """

    profile: BayesianProfile
    interim: tuple
    payoffs: tuple
    regret: Fraction | float = Fraction(0)

    @property
    def kind(self) -> str:
        return "pure" if self.profile.is_pure else "mixed"

    def payoff(self, player) -> Fraction | float:
        return self.payoffs[self.profile.players.index(player) if isinstance(player, str) else player]

    def interim_payoff(self, player, type_label):
        i = self.profile.players.index(player)
        return self.interim[i][self.profile.types[i].index(type_label)]

    def __getitem__(self, player) -> dict:
        return self.profile[player]

    def to_dict(self) -> dict:
        players, types = self.profile.players, self.profile.types
        return {
            "kind": self.kind,
            "profile": self.profile.to_dict(),
            "interim_payoffs": {p: {t: (None if v is None else json_number(v)) for t, v in zip(types[i], self.interim[i])}
                                for i, p in enumerate(players)},
            "payoffs": {p: json_number(v) for p, v in zip(players, self.payoffs)},
        }


@dataclass(frozen=True, eq=False)
class BayesianSolveResult(EquilibriumList, Tabular):
    """Bayesian Nash equilibria of one numeric Bayesian game, and how they were obtained.

    Behaves as a sequence of :class:`BayesianEquilibrium`.

    Attributes
    ----------
    game : BayesianGame
        The numeric game that was solved.
    equilibria : tuple of BayesianEquilibrium
    method : str
        The strategic-form algorithm run on the Harsanyi transformation
        (``"vertex_enumeration"``, ``"enumerate_pure"``, …).
    exact, complete, degenerate
        As reported by that algorithm for the Harsanyi form: ``complete`` means every
        extreme equilibrium of the Harsanyi form was found, so every extreme Bayesian
        equilibrium (in behaviour strategies) is listed; ``degenerate`` refers to the
        Harsanyi form.
    components : tuple of tuple of int
        Sets of equilibria (indices) such that every mixture, player by player, is an
        equilibrium too (images of the Harsanyi form's components).
    parameters : mapping
        Parameter values the game was built with.
    messages : tuple of str
    details : mapping
        ``"harsanyi_equilibria"``: how many equilibria the Harsanyi form has (several
        mixed plans can induce the same behaviour); ``"zero_probability_types"``.
    harsanyi : SolveResult
        The result on the Harsanyi form itself.
    """

    game: Any = field(repr=False)
    equilibria: tuple
    method: str
    exact: bool
    complete: bool
    degenerate: bool | None = None
    components: tuple = ()
    parameters: Mapping = field(default_factory=dict)
    messages: tuple = ()
    details: Mapping = field(default_factory=dict, repr=False)
    harsanyi: Any = field(default=None, repr=False)

    @property
    def pure(self) -> tuple:
        """The pure Bayesian equilibria."""
        return tuple(e for e in self.equilibria if e.kind == "pure")

    def summary(self) -> str:
        """``vertex_enumeration on the Harsanyi form (exact, complete, nondegenerate)``."""
        flags = ["exact" if self.exact else "floating point",
                 "complete" if self.complete else "not necessarily complete"]
        if self.degenerate is True:
            flags.append("degenerate")
        elif self.degenerate is False:
            flags.append("nondegenerate")
        return f"{self.method} on the Harsanyi form ({', '.join(flags)})"

    # ------------------------------------------------------------------ conversion
    def to_dict(self) -> dict:
        """The JSON object of ``negotiation solve --format json`` for a Bayesian game.

        ``profile`` is ``{player: {type: {action: probability}}}``; ``interim_payoffs`` is
        ``{player: {type: payoff}}``; ``payoffs`` are ex ante.
        """
        game = self.game
        data = {
            "game": {"title": game.title, "players": list(game.players),
                     "types": {p: list(t) for p, t in zip(game.players, game.types)},
                     "actions": {p: list(a) for p, a in zip(game.players, game.actions)},
                     "prior": {p: {t: _json(v) for t, v in game.marginal(p).items()} for p in game.players}},
            "parameters": {k: json_number(v) for k, v in self.parameters.items()},
            "method": self.method,
            "transformation": "harsanyi",
            "exact": self.exact,
            "complete": self.complete,
            "degenerate": self.degenerate,
            "equilibria": [e.to_dict() for e in self.equilibria],
            "components": [list(c) for c in self.components],
        }
        if self.messages:
            data["messages"] = list(self.messages)
        extras = {k: _json_deep(v) for k, v in self.details.items() if not k.startswith("_")}
        if extras:
            data["details"] = extras
        return data

    def to_records(self) -> list[dict]:
        """One flat dict per equilibrium: parameters, ``equilibrium``, ``kind``, ``component``,
        ``"player: type: action"`` probabilities, ``"interim player: type"`` and ``"payoff player"``."""
        components = _component_labels(self.components)
        game = self.game
        records = []
        for number, equilibrium in enumerate(self.equilibria):
            record = dict(self.parameters)
            record["equilibrium"] = number + 1
            record["kind"] = equilibrium.kind
            record["component"] = components.get(number, "")
            for i, player in enumerate(game.players):
                for k, t in enumerate(game.types[i]):
                    probs = equilibrium.profile.probabilities[i][k]
                    for a, action in enumerate(game.actions[i]):
                        record[f"{player}: {t}: {action}"] = None if probs is None else probs[a]
            for i, player in enumerate(game.players):
                for k, t in enumerate(game.types[i]):
                    record[f"interim {player}: {t}"] = equilibrium.interim[i][k]
            for player, value in zip(game.players, equilibrium.payoffs):
                record[f"payoff {player}"] = value
            records.append(record)
        return records

    def _table(self):
        game = self.game
        shown = self.equilibria[:MAX_SHOWN_EQUILIBRIA]
        header = ["player", "type (prior)"] + [f"BNE {k}" for k in range(1, len(shown) + 1)]
        rows, footer = [], []
        marginals = [game.marginal(i) for i in range(game.n_players)]
        for i, player in enumerate(game.players):
            for k, t in enumerate(game.types[i]):
                rows.append([player, f"{t} ({_show(marginals[i][t])})"]
                            + [e.profile.action_text(i, k) for e in shown])
        for i, player in enumerate(game.players):
            if len(game.types[i]) > 1:
                for k, t in enumerate(game.types[i]):
                    footer.append([f"payoff {player}", t] + [_show(e.interim[i][k]) for e in shown])
            footer.append([f"payoff {player}", "ex ante"] + [_show(e.payoffs[i]) for e in shown])
        notes = []
        if len(self.equilibria) > MAX_SHOWN_EQUILIBRIA:
            notes.append(f"{len(self.equilibria) - MAX_SHOWN_EQUILIBRIA} more equilibria are not shown "
                         "(to_dict() and --format json list them all).")
        for number, members in enumerate(self.components, start=1):
            if len(members) > 1:
                notes.append(f"Component {number}: BNE {', '.join(str(m + 1) for m in members)} span a convex set; "
                             "every mixture of them (player by player) is a BNE too.")
        return header, rows, footer, notes

    def _parameters_text(self) -> str:
        return ", ".join(f"{k} = {format_number(v)}" for k, v in self.parameters.items())

    def to_text(self) -> str:
        """Plain-text report: one column per equilibrium, one row per (player, type).

        Examples
        --------
        >>> game = BayesianGame.from_tables({"B": ["x", "y"]}, {"A": ["L", "R"], "B": ["L", "R"]},
        ...                                 {"B": {"x": "1/2", "y": "1/2"}}, lambda t, a: (1, int(a["B"] == "L")))
        >>> print(solve_bayesian(game, method="enumerate_pure").to_text().splitlines()[1])
        Method: enumerate_pure on the Harsanyi form (exact, not necessarily complete, degenerate)
        """
        lines = [self.game.title or "Bayesian game"]
        if self.parameters:
            lines.append(f"Parameters: {self._parameters_text()}")
        lines += [f"Method: {self.summary()}", ""]
        if not self.equilibria:
            lines.append("No equilibrium found by this method.")
        else:
            header, rows, footer, notes = self._table()
            widths = [max(len(str(r[c])) for r in [header, *rows, *footer]) for c in range(len(header))]

            def line(cells):
                return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()

            rule = "  ".join("-" * w for w in widths)
            lines += [line(header), rule, *(line(r) for r in rows), rule, *(line(r) for r in footer)]
            lines += [f"Note: {n}" for n in notes]
        lines += [f"Note: {m}" for m in self.messages]
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """GitHub-flavoured Markdown: a caption and the equilibrium table."""
        caption = f"**{self.game.title or 'Bayesian game'}**"
        if self.parameters:
            caption += f" ({self._parameters_text()})"
        lines = [caption + f". Method: {self.summary()}.", ""]
        if not self.equilibria:
            lines.append("No equilibrium found by this method.")
        else:
            header, rows, footer, notes = self._table()
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "|".join(" --- " for _ in header) + "|")
            lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in [*rows, *footer]]
            if notes:
                lines += ["", *notes]
        if self.messages:
            lines += ["", *(f"Note: {m}" for m in self.messages)]
        return "\n".join(lines)

    def to_latex(self) -> str:
        """A booktabs ``tabular`` (``\\usepackage{booktabs}``): (player, type) rows by equilibria."""
        from negotiation.report.tables import _latex_escape, latex_number

        lines = [f"% {_latex_escape(self.game.title or 'Bayesian game')}: {_latex_escape(self.summary())}"]
        if not self.equilibria:
            return "\n".join(lines + ["% no equilibrium found"])
        header, rows, footer, _ = self._table()
        shown = self.equilibria[:MAX_SHOWN_EQUILIBRIA]
        lines += ["\\begin{tabular}{ll" + "l" * (len(header) - 2) + "}", "\\toprule",
                  " & ".join(_latex_escape(h) for h in header) + " \\\\", "\\midrule"]
        lines += [" & ".join(_latex_escape(c) for c in row) + " \\\\" for row in rows]
        lines.append("\\midrule")
        game = self.game
        for i, player in enumerate(game.players):
            name = f"$u_{{\\mathrm{{{_latex_escape(player)}}}}}$"
            if len(game.types[i]) > 1:
                for k, t in enumerate(game.types[i]):
                    cells = [name, _latex_escape(t)] + ["--" if e.interim[i][k] is None else f"${latex_number(e.interim[i][k])}$"
                                                        for e in shown]
                    lines.append(" & ".join(cells) + " \\\\")
            lines.append(" & ".join([name, "ex ante"] + [f"${latex_number(e.payoffs[i])}$" for e in shown]) + " \\\\")
        lines += ["\\bottomrule", "\\end{tabular}"]
        return "\n".join(lines)

    def to_csv(self) -> str:
        """The records as CSV (exact values as fractions)."""
        import csv
        import io

        records = self.to_records()
        if not records:
            return ""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({k: ("" if v is None else v if isinstance(v, str) else format_number(v))
                             for k, v in record.items()})
        return buffer.getvalue()

    def __str__(self) -> str:
        return self.to_text()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _component_labels(components) -> dict:
    labels = {}
    for number, members in enumerate(components, start=1):
        for k in members:
            labels.setdefault(k, []).append(str(number))
    return {k: ",".join(v) for k, v in labels.items()}


def _json_deep(value):
    if isinstance(value, Mapping):
        return {str(k): _json_deep(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_deep(v) for v in value]
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, int):
        return value
    return json_number(value)


# ---------------------------------------------------------------------- expected payoffs of a behaviour profile
def _weighted_action_values(game: BayesianGame, probabilities) -> list:
    """``W[i][k][a]``: prior-weighted interim payoff of action ``a`` for player ``i``'s type ``k``.

    ``W[i][k][a] = sum over t with t_i = k of prior(t) * E[u_i(t, a, σ_-i(t_-i))]``; dividing
    by the type's prior probability gives the interim payoff.
    """
    n = game.n_players
    zero = 0.0 if game.arithmetic == "float" else Fraction(0)
    values = [[[zero] * len(game.actions[i]) for _ in game.types[i]] for i in range(n)]
    for t in itertools.product(*(range(k) for k in game.type_shape)):
        probability = game.prior[t]
        if _is_zero(probability):
            continue
        block = game.payoffs[t]
        for i in range(n):
            array = block[..., i]
            for j in reversed(range(n)):
                if j == i:
                    continue
                vector = np.asarray(probabilities[j][t[j]], dtype=object)
                array = np.tensordot(array, vector, axes=([j], [0]))
            row = values[i][t[i]]
            for a, value in enumerate(array):
                row[a] = row[a] + probability * value
    return values


def _evaluate(game: BayesianGame, probabilities):
    """(interim payoffs, ex-ante payoffs, regret) of a behaviour profile."""
    weighted = _weighted_action_values(game, probabilities)
    marginals = [list(game.marginal(i).values()) for i in range(game.n_players)]
    interim, ex_ante, regret = [], [], 0
    for i in range(game.n_players):
        own, total, player_regret = [], 0, 0
        for k in range(len(game.types[i])):
            probs = probabilities[i][k]
            if probs is None or _is_zero(marginals[i][k]):
                own.append(None)
                continue
            value = sum(p * w for p, w in zip(probs, weighted[i][k]))
            own.append(value / marginals[i][k])
            total = total + value
            player_regret = player_regret + (max(weighted[i][k]) - value)
        interim.append(tuple(own))
        ex_ante.append(total if game.arithmetic != "float" else float(total))
        regret = max(regret, player_regret)
    return tuple(interim), tuple(ex_ante), regret


# ---------------------------------------------------------------------- solving
def solve_bayesian(game, method: str = "auto", **options) -> BayesianSolveResult:
    """Bayesian Nash equilibria through the Harsanyi transformation.

    Parameters
    ----------
    game : BayesianGame or BayesianScenario
        A numeric game; a symbolic game or scenario is solved at its defaults (or at
        ``values=``).
    method : str
        ``"auto"`` (``vertex_enumeration`` for two players: every extreme equilibrium,
        exact; ``enumerate_pure`` for more: every pure equilibrium) or any method of
        :data:`negotiation.solvers.METHODS`, run on :func:`harsanyi` of the game.
    **options
        Passed to the algorithm; ``values`` (a mapping) sets parameters first.

    Returns
    -------
    BayesianSolveResult
        Per player and type the mixed action (the marginal of the equilibrium's mixed plan
        at that type), the interim payoff of each type and the ex-ante payoffs. Types of
        prior probability zero are removed before solving and reported as undetermined
        (any action is consistent with equilibrium; their interim payoffs are undefined).
        Each equilibrium is checked independently of the solver: no type of positive
        probability can gain by deviating (exactly zero regret for exact games).

    Examples
    --------
    Osborne (2004) §9.1: player 1 does not know whether player 2 wants to meet her or
    to avoid her (probability 1/2 each):

    >>> BOS = {("B", "B"): (2, 1), ("B", "S"): (0, 0), ("S", "B"): (0, 0), ("S", "S"): (1, 2)}
    >>> AVOID = {("B", "B"): (2, 0), ("B", "S"): (0, 2), ("S", "B"): (0, 1), ("S", "S"): (1, 0)}
    >>> game = BayesianGame.from_tables({"2": ["meet", "avoid"]}, {"1": ["B", "S"], "2": ["B", "S"]},
    ...     {"2": {"meet": "1/2", "avoid": "1/2"}},
    ...     lambda t, a: (BOS if t["2"] == "meet" else AVOID)[a["1"], a["2"]])
    >>> result = solve_bayesian(game)
    >>> [e.profile.describe() for e in result]
    ['1: B; 2: meet: B, avoid: S', '1: 2/3 B + 1/3 S; 2: meet: 2/3 B + 1/3 S, avoid: S', '1: 1/3 B + 2/3 S; 2: meet: S, avoid: 2/3 B + 1/3 S']
    >>> result.exact, result.complete, result[0].interim[1], result[0].payoffs
    (True, True, (Fraction(1, 1), Fraction(2, 1)), (Fraction(1, 1), Fraction(3, 2)))
    """
    from negotiation.solvers import solve
    from negotiation.solvers.verify import FLOAT_TOLERANCE, VerificationError

    values = options.pop("values", None)
    if not isinstance(game, BayesianGame):
        if isinstance(getattr(game, "game", None), BayesianGame) and hasattr(game, "game_at"):
            game = game.game_at(values)
            values = None
        else:
            raise BayesianError(f"solve_bayesian needs a BayesianGame, got {type(game).__name__}")
    if game.is_symbolic or values:
        game = game.substitute(values or {})
    messages = []
    zero = {}
    for i, player in enumerate(game.players):
        for t, p in game.marginal(i).items():
            if _is_zero(p):
                zero.setdefault(player, []).append(t)
    reduced = game
    if zero:
        reduced = game.restrict_types({p: [t for t in game.types[game.players.index(p)] if t not in zero[p]]
                                       for p in zero})
        listed = "; ".join(f"{p}: {', '.join(ts)}" for p, ts in zero.items())
        messages.append(f"types of prior probability 0 ({listed}) are unconstrained: any action is consistent "
                        "with equilibrium there, and their interim payoffs are undefined")
    if method in ("correlated",):
        raise BayesianError(f"method {method!r} does not give Nash equilibria; Bayesian games are solved with "
                            "auto, vertex_enumeration, enumerate_pure, lemke_howson, lemke_howson_enumeration, "
                            "iterated_elimination, linear_program or logit_qre")
    normal = harsanyi(reduced)
    inner = solve(normal, method=method, **options)
    keep_index = [[game.types[i].index(t) for t in reduced.types[i]] for i in range(game.n_players)]
    plans = [_plans(reduced, i) for i in range(game.n_players)]
    index_of, equilibria, mapping = {}, [], []
    scale = _payoff_scale(game)
    for equilibrium in inner.equilibria:
        probabilities = []
        for i in range(game.n_players):
            vector = equilibrium.profile.probabilities[i]
            per_type = [None] * len(game.types[i])
            for k_reduced, k in enumerate(keep_index[i]):
                marginal = [0] * len(game.actions[i])
                for plan, x in zip(plans[i], vector):
                    if x:
                        marginal[plan[k_reduced]] = marginal[plan[k_reduced]] + x
                per_type[k] = tuple(Fraction(v) if inner.exact else float(v) for v in marginal)
            probabilities.append(tuple(per_type))
        probabilities = tuple(probabilities)
        key = probabilities if inner.exact else tuple(
            tuple(None if x is None else tuple(round(v, 9) for v in x) for x in player) for player in probabilities)
        if key not in index_of:
            interim, ex_ante, regret = _evaluate(game, probabilities)
            if inner.exact and game.is_exact:
                if regret != 0:
                    raise VerificationError(f"solve_bayesian: profile {probabilities} has regret {regret}")
                regret = Fraction(0)
            else:
                regret = float(regret)
                if regret > FLOAT_TOLERANCE * scale * 10:
                    raise VerificationError(f"solve_bayesian: profile {probabilities} has regret {regret:.3g}")
            profile = BayesianProfile(game.players, game.types, game.actions, probabilities)
            index_of[key] = len(equilibria)
            equilibria.append(BayesianEquilibrium(profile, interim, ex_ante, regret))
        mapping.append(index_of[key])
    components = []
    for component in inner.components:
        image = tuple(sorted({mapping[k] for k in component}))
        if image not in components:
            components.append(image)
    components = [c for c in components if not any(set(c) < set(other) for other in components)]
    if len(inner.equilibria) > len(equilibria):
        messages.append(f"the Harsanyi form has {len(inner.equilibria)} extreme equilibria in mixed plans; "
                        f"they induce {len(equilibria)} distinct behaviour profiles")
    if inner.degenerate:
        messages.append("the Harsanyi form is degenerate, as is common for Bayesian games (a mixed plan can make "
                        "several types indifferent at once); the method still lists every extreme equilibrium"
                        if inner.complete else "the Harsanyi form is degenerate")
    messages.extend(inner.messages)
    details = {"harsanyi_equilibria": len(inner.equilibria)}
    if zero:
        details["zero_probability_types"] = {p: list(ts) for p, ts in zero.items()}
    return BayesianSolveResult(
        game=game, equilibria=tuple(equilibria), method=inner.method, exact=inner.exact, complete=inner.complete,
        degenerate=inner.degenerate, components=tuple(components), parameters=dict(game.values),
        messages=tuple(messages), details=details, harsanyi=inner,
    )


def _payoff_scale(game) -> float:
    values = np.asarray(game.payoffs, dtype=float)
    return max(float(values.max() - values.min()) if values.size else 0.0, 1.0)


# ---------------------------------------------------------------------- symbolic conditions
@dataclass(frozen=True, eq=False)
class ConditionalBayesianEquilibrium:
    """A pure type-contingent profile of a symbolic Bayesian game and where it is a BNE.

    Attributes
    ----------
    plan : dict
        Player -> {type: action}.
    payoffs : dict
        Player -> ex-ante expected payoff (sympy).
    interim : dict
        Player -> {type: interim payoff (sympy)}; ``None`` where the type's probability is
        identically zero.
    condition : Condition
        Where no type of any player gains by switching its action (weak inequalities,
        weighted by the type's prior probability, so a type of probability zero is
        unconstrained).
    interior : Condition
        The part of ``condition`` with interior points (no equality).
    """

    plan: dict
    payoffs: dict
    interim: dict
    condition: object
    interior: object

    @property
    def boundary_only(self) -> bool:
        """A BNE only where some type is exactly indifferent (a lower-dimensional set)."""
        return self.interior.never

    @property
    def label(self) -> str:
        parts = []
        for player, choices in self.plan.items():
            if len(choices) == 1:
                parts.append(f"{player}: {next(iter(choices.values()))}")
            else:
                parts.append(f"{player}: " + ", ".join(f"{t}: {a}" for t, a in choices.items()))
        return "; ".join(parts)

    def to_dict(self) -> dict:
        import sympy

        return {"plan": {p: dict(c) for p, c in self.plan.items()},
                "payoffs": {p: sympy.sstr(v) for p, v in self.payoffs.items()},
                "interim_payoffs": {p: {t: (None if v is None else sympy.sstr(v)) for t, v in c.items()}
                                    for p, c in self.interim.items()},
                "condition": self.condition.to_dict(),
                "boundary_only": self.boundary_only}


@dataclass(frozen=True, eq=False)
class BayesianConditions(ConditionalEquilibria):
    """Where each pure Bayesian Nash equilibrium of a parameterised Bayesian game holds.

    Attributes
    ----------
    title : str
    players, types, actions : tuple
    parameters : ParameterSpace
        The free parameters.
    values : dict
        Parameters fixed before deriving.
    assumptions : tuple of str
    equilibria : tuple of ConditionalBayesianEquilibrium
        Every pure profile whose region is not provably empty.
    thresholds : tuple of Threshold
    notes : tuple of str
    """

    title: str
    players: tuple
    types: tuple
    actions: tuple
    parameters: object
    values: dict
    assumptions: tuple
    equilibria: tuple
    thresholds: tuple = ()
    notes: tuple = ()

    def to_dict(self) -> dict:
        """JSON-ready (schema ``negotiation.bne-conditions/1``)."""
        return {
            "schema": "negotiation.bne-conditions/1",
            "title": self.title,
            "players": list(self.players),
            "types": {p: list(t) for p, t in zip(self.players, self.types)},
            "actions": {p: list(a) for p, a in zip(self.players, self.actions)},
            "parameters": list(self.parameters.names),
            "values": {k: json_number(v) for k, v in self.values.items()},
            "assumptions": list(self.assumptions),
            "equilibria": [e.to_dict() for e in self.equilibria],
            "thresholds": [t.to_dict() for t in self.thresholds],
            "notes": list(self.notes),
        }

    def to_text(self) -> str:
        """Plain-text report (what ``negotiation derive`` prints for a Bayesian game)."""
        import sympy

        title = self.title or "Bayesian game"
        lines = [title, "=" * len(title)]
        lines.append(f"Pure Bayesian Nash equilibria in the parameters {', '.join(self.parameters.names) or 'none'} "
                     "(simplified over their ranges and the assumptions)")
        if self.values:
            lines.append("Fixed: " + ", ".join(f"{k} = {format_number(v)}" for k, v in self.values.items()))
        if self.assumptions:
            lines.append("Assumptions: " + "; ".join(self.assumptions))
        lines.append("")
        if not self.interior:
            lines.append("No pure profile is a Bayesian equilibrium on a region with interior points.")
        for number, e in enumerate(self.interior, start=1):
            lines.append(f"  BNE {number}: {e.label}")
            lines.append("      ex-ante payoffs: " + ", ".join(f"{p} {sympy.sstr(v)}" for p, v in e.payoffs.items()))
            lines.append(f"      holds where: {e.interior}")
        if self.boundary_only:
            lines += ["", f"{len(self.boundary_only)} more pure profile(s) are equilibria only on boundaries, where a "
                          "type is indifferent or has probability zero (to_dict() lists them)."]
        if self.thresholds:
            lines += ["", "Thresholds (value with the other parameters at their defaults):"]
            for t in self.thresholds:
                value = "undefined at the defaults" if t.value is None else format_number(t.value)
                if t.in_range is False:
                    value += " (outside the range)"
                lines.append(f"  {t.parameter} = {sympy.sstr(t.expression)} = {value}   where {t.boundary}")
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines)

    def to_markdown(self) -> str:
        import sympy

        lines = [f"**{self.title or 'Bayesian game'}**: pure Bayesian Nash equilibria and where they hold", "",
                 "| BNE | plan | ex-ante payoffs | holds where |", "| --- | --- | --- | --- |"]
        for number, e in enumerate(self.interior, start=1):
            payoffs = ", ".join(f"{p} {sympy.sstr(v)}" for p, v in e.payoffs.items())
            lines.append(f"| {number} | {e.label} | {payoffs} | {str(e.interior).replace('|', '/')} |")
        return "\n".join(lines)

    def to_latex(self) -> str:
        from negotiation.report.tables import _latex_escape

        lines = [f"% {_latex_escape(self.title or 'Bayesian game')}: pure Bayesian Nash equilibria",
                 "\\begin{tabular}{ll}", "\\toprule", "BNE & holds where \\\\", "\\midrule"]
        for e in self.interior:
            lines.append(f"{_latex_escape(e.label)} & ${e.interior.to_latex()}$ \\\\")
        lines += ["\\bottomrule", "\\end{tabular}"]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def bayesian_conditions(model, values: Mapping | None = None, *, max_profiles: int = 20_000,
                        budget: float = 3.0) -> BayesianConditions:
    """Every pure Bayesian Nash equilibrium of a parameterised game, with the region where it holds.

    Parameters
    ----------
    model : BayesianGame, BayesianScenario, str or Path
        A (symbolic) Bayesian game, or a scenario (its ranges, defaults and assumptions are
        used), or its file / bundled name.
    values : mapping, optional
        Parameters to fix first; the conditions are then in the others.
    max_profiles : int
        Largest number of pure type-contingent profiles examined.
    budget : float
        Seconds of optional ``sympy.simplify`` (the conditions are correct without it).

    Returns
    -------
    BayesianConditions

    Notes
    -----
    A pure profile ``s`` is a BNE iff for every player ``i``, type ``k`` and action ``b``:
    ``sum over t with t_i = k of prior(t) * (u_i(t, s(t)) - u_i(t, b, s_-i(t_-i))) >= 0`` —
    the interim condition multiplied by the type's prior probability, so that it is a
    polynomial in the parameters and a type of probability zero is unconstrained (the
    ex-ante definition). A comparison whose terms (a prior weight times a payoff difference)
    are each provably non-negative under the ranges and assumptions is dropped; one whose
    weights are provably non-negative and payoff differences provably negative becomes
    "the type has probability zero" (a dominated action); the rest are simplified soundly by
    :class:`negotiation.symbolic.conditions.Context`.

    Examples
    --------
    Kydd's trust game with one-sided uncertainty: the cooperative BNE holds iff
    ``pi >= (P - S)/((R - T) + (P - S))``.

    >>> from fractions import Fraction
    >>> from negotiation import Parameter, ParameterSpace
    >>> space = ParameterSpace((Parameter("pi", Fraction(3, 4), 0, 1), Parameter("R", 4), Parameter("T", 3),
    ...                         Parameter("P", 2), Parameter("S", 0), Parameter("T_u", 5)))
    >>> pi, R, T, P, S, T_u = space.symbols.values()
    >>> trusting = {("C", "C"): (R, R), ("C", "D"): (S, T), ("D", "C"): (T, S), ("D", "D"): (P, P)}
    >>> greedy = {("C", "C"): (R, R), ("C", "D"): (S, T_u), ("D", "C"): (T, S), ("D", "D"): (P, P)}
    >>> game = BayesianGame.from_tables({"Russia": ["Trustworthy", "Greedy"]},
    ...     {"NATO": ["C", "D"], "Russia": ["C", "D"]}, {"Russia": {"Trustworthy": pi, "Greedy": 1 - pi}},
    ...     lambda t, a: (trusting if t["Russia"] == "Trustworthy" else greedy)[a["NATO"], a["Russia"]],
    ...     parameters=space)
    >>> conditions = bayesian_conditions(game, {"R": 4, "T": 3, "P": 2, "S": 0, "T_u": 5})
    >>> [(e.label, str(e.condition)) for e in conditions.interior]
    [('NATO: C; Russia: Trustworthy: C, Greedy: D', '3*pi >= 2'), ('NATO: D; Russia: Trustworthy: D, Greedy: D', 'always (under the parameter ranges and assumptions)')]
    """
    import sympy

    from negotiation.symbolic.conditions import Condition, fix_parameters, tidy
    from negotiation.symbolic.regions import find_thresholds

    if isinstance(model, (str, Path)):
        from negotiation.scenario.bayesian import load_bayesian

        model = load_bayesian(model)
    if isinstance(model, BayesianGame):
        game, space, assumptions, title = model, model.parameters, (), model.title
        name = title or "Bayesian game"
    else:
        game = getattr(model, "game", None)
        if not isinstance(game, BayesianGame):
            raise BayesianError(f"{getattr(model, 'id', model)}: bayesian_conditions needs a Bayesian game")
        space, assumptions, title = model.parameters, tuple(model.assumptions), model.title
        name = str(model.source) if getattr(model, "source", None) else model.id
    setup = fix_parameters(space, assumptions, values, name=name, error=BayesianError, budget=budget)
    free, fixed, reference = setup.free, setup.fixed, setup.reference
    assumption_texts, context, sym = list(setup.assumption_texts), setup.context, setup.sym

    n = game.n_players
    type_profiles = list(itertools.product(*(range(k) for k in game.type_shape)))
    prior = {t: sym(game.prior[t]) for t in type_profiles}
    prior = {t: p for t, p in prior.items() if p != 0}
    payoff = np.empty(game.payoffs.shape, dtype=object)
    for position, entry in np.ndenumerate(game.payoffs):
        payoff[position] = sym(entry)
    plans = [_plans(game, i) for i in range(n)]
    count = math.prod(len(p) for p in plans)
    if count > max_profiles:
        raise BayesianError(f"{name}: {count:,} pure profiles exceed max_profiles={max_profiles:,}; "
                            "fix some parameters or raise max_profiles")
    marginals = [[sympy.expand(sum((p for t, p in prior.items() if t[i] == k), sympy.Integer(0)))
                  for k in range(len(game.types[i]))] for i in range(n)]

    def proved(expression, signs) -> bool:
        """Whether the sign of ``expression`` is provably in ``signs`` over the box and assumptions."""
        key, admitted = context._normalise(expression, frozenset(signs))
        if key is None:
            return bool(admitted)
        return context.possible_signs(key) <= admitted

    equilibria = []
    for profile in itertools.product(*plans):
        comparisons = []
        for i in range(n):
            for k in range(len(game.types[i])):
                own = profile[i][k]
                terms_of = {b: [] for b in range(len(game.actions[i])) if b != own}
                for t, p in prior.items():
                    if t[i] != k:
                        continue
                    actions = tuple(profile[j][t[j]] for j in range(n))
                    value = payoff[t + actions + (i,)]
                    for b in terms_of:
                        deviation = actions[:i] + (b,) + actions[i + 1:]
                        terms_of[b].append((p, sympy.expand(value - payoff[t + deviation + (i,)])))
                for b, terms in terms_of.items():
                    if all(proved(p, (0, 1)) for p, _ in terms):
                        if all(proved(d, (0, 1)) for _, d in terms):
                            continue  # every term provably >= 0: the comparison always holds
                        if all(proved(d, (-1,)) for _, d in terms):
                            # every term <= 0 with a negative payoff difference: the sum is >= 0 only where
                            # every weight vanishes, i.e. where this type has probability zero
                            comparisons.append((sympy.expand(sum(p for p, _ in terms)), "=="))
                            continue
                    comparisons.append((sympy.expand(sum(p * d for p, d in terms)), ">="))
        conjunction = context.conjunction(comparisons)
        if conjunction is None:
            continue
        condition = context.condition([conjunction])
        if condition.never:
            continue
        interior = Condition(tuple(c for c in condition.alternatives if not any(a.relation == "==" for a in c)))
        plan = {game.players[i]: {game.types[i][k]: game.actions[i][profile[i][k]] for k in range(len(game.types[i]))}
                for i in range(n)}
        ex_ante, interim = {}, {}
        for i in range(n):
            per_type = [sympy.Integer(0)] * len(game.types[i])
            for t, p in prior.items():
                actions = tuple(profile[j][t[j]] for j in range(n))
                per_type[t[i]] += p * payoff[t + actions + (i,)]
            ex_ante[game.players[i]] = tidy(sympy.expand(sum(per_type)), context.reference)
            interim[game.players[i]] = {
                game.types[i][k]: (None if marginals[i][k] == 0 else tidy(per_type[k] / marginals[i][k], context.reference))
                for k in range(len(game.types[i]))}
        equilibria.append(ConditionalBayesianEquilibrium(plan, ex_ante, interim, condition, interior))
    named = {f"BNE {k + 1} ({e.label})": e.interior for k, e in enumerate(equilibria) if not e.boundary_only}
    thresholds = find_thresholds(named, context, free, {k: v for k, v in reference.items() if k not in fixed})
    notes = ["mixed Bayesian equilibria are not derived symbolically; solve at parameter values for them"]
    if not equilibria:
        notes.append("no pure profile is a Bayesian equilibrium anywhere in the parameter box")
    return BayesianConditions(title=title, players=game.players, types=game.types, actions=game.actions,
                              parameters=free, values=fixed, assumptions=tuple(assumption_texts),
                              equilibria=tuple(equilibria), thresholds=thresholds, notes=tuple(notes))
