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

:func:`harsanyi` builds the strategic form of type-contingent plans and ex-ante payoffs (its
Nash equilibria are the BNE; Harsanyi 1967–68), :func:`agent_form` Selten's agent form (one
player per player and type). The BNE are computed in :mod:`negotiation.solvers.bayesian`
(``ng.solve``), the regions where each pure one holds in :mod:`negotiation.symbolic.bayesian`
(``ng.derive``).

Examples
--------
Kydd's trust game [@Kydd2005, ch. 2] with one-sided uncertainty: Russia is a security seeker
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
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from negotiation.models.base import ParametricModel
from negotiation.core.document import Document, Table, render_markdown
from negotiation.core.errors import NegotiationError
from negotiation.core.labels import normal_form, normalise_labels
from negotiation.core.numeric import coerce_number, format_number, is_sympy, json_number
from negotiation.core.parameters import ParameterSpace
from negotiation.models.game import Game

__all__ = ["BayesianGame", "BayesianError", "harsanyi", "agent_form", "agent_label", "pure_plans", "show_value",
           "DEFAULT_TYPE", "MAX_ENTRIES"]

SCHEMA = "negotiation.bayesian-game/1"
#: Type label of a player whose type is common knowledge (a player given no types).
DEFAULT_TYPE = "known"
#: Float prior probabilities must sum to one within this tolerance.
PRIOR_TOLERANCE = 1e-9
#: Largest strategic form (number of payoff entries) :func:`harsanyi` and :func:`agent_form` build.
MAX_ENTRIES = 2_000_000


class BayesianError(NegotiationError):
    """A Bayesian game was given inconsistent or invalid data (one-line message)."""


# ---------------------------------------------------------------------- the game
@dataclass(frozen=True, eq=False)
class BayesianGame(ParametricModel):
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
    negotiation.models.bayesian.BayesianError: prior probabilities sum to 2, expected 1
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
        players, types, actions = _check_labels(players, types, actions)
        type_shape = tuple(len(t) for t in types)
        action_shape = tuple(len(a) for a in actions)
        prior = _as_array(self.prior, type_shape, "prior", "one probability per type profile")
        payoffs = _as_array(self.payoffs, type_shape + action_shape + (len(players),), "payoffs",
                            "type profile, then action profile, then one payoff per player")
        entries = list(prior.flat) + list(payoffs.flat)
        symbolic = any(is_sympy(e) and getattr(e, "free_symbols", None) for e in entries)
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
                                 if is_sympy(e)))
            # a symbol is the parameter of its name in NFKC (as formulas read it): ``ﬁ`` is ``fi``
            normalise_labels(sorted({s.name for s in free}), where="payoffs", what="parameter name", error=BayesianError)
            names = {normal_form(s.name) for s in free}
            if not parameters.parameters:
                parameters = ParameterSpace.from_names(sorted(names))
            undeclared = sorted(names - set(parameters.names))
            if undeclared:
                raise BayesianError(f"the game uses undeclared parameter {undeclared[0]!r} "
                                    f"(declared: {', '.join(parameters.names) or 'none'})")
            by_name = parameters.symbols
            replacement = {s: by_name[normal_form(s.name)] for s in free if s != by_name[normal_form(s.name)]}
            if replacement:
                prior = _map(prior, lambda e: e.xreplace(replacement) if is_sympy(e) else e)
                payoffs = _map(payoffs, lambda e: e.xreplace(replacement) if is_sympy(e) else e)
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
        players, type_labels, action_labels = _check_labels(players, type_labels, action_labels)
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
        """Independent types: ``priors = {player: {type: probability}}``, multiplied into the joint prior.

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
                value = entry.xreplace(replacement) if is_sympy(entry) else entry
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
            prior.append({"types": named, "probability": json_number(self.prior[t])})
            for a in itertools.product(*(range(m) for m in self.action_shape)):
                payoffs.append({
                    "types": named,
                    "actions": {p: self.actions[i][j] for i, (p, j) in enumerate(zip(self.players, a))},
                    "payoffs": {p: json_number(self.payoffs[t + a + (i,)]) for i, p in enumerate(self.players)},
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
            lines.append(f"Types: {header} (probability {show_value(self.prior[t])})")
            widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
            lines += ["  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
            lines.append("")
        return "\n".join(lines).rstrip()

    def to_markdown(self) -> str:
        """The payoff tables as GitHub-flavoured Markdown, one per type profile."""
        tables = tuple(Table(tuple(rows[0]), tuple(tuple(row) for row in rows[1:]),
                             caption=f"Types: {header} (probability {show_value(self.prior[t])})")
                       for t, header, rows in self._tables())
        return render_markdown(Document(self.title or "Bayesian game", tables))

    def _tables(self):
        """Per type profile: (index, header text, rows of cells); the first row is the header."""
        for t in itertools.product(*(range(k) for k in self.type_shape)):
            header = ", ".join(f"{p} {self.types[i][k]}" for i, (p, k) in enumerate(zip(self.players, t)))
            block = self.payoffs[t]
            if self.n_players == 2:
                rows = [[f"{self.players[0]} \\ {self.players[1]}", *self.actions[1]]]
                for r, row_label in enumerate(self.actions[0]):
                    rows.append([row_label] + [", ".join(show_value(v) for v in block[r, c])
                                               for c in range(len(self.actions[1]))])
            else:
                rows = [[" / ".join(self.players), "payoffs"]]
                for a in itertools.product(*(range(m) for m in self.action_shape)):
                    rows.append([", ".join(self.actions[i][j] for i, j in enumerate(a)),
                                 ", ".join(show_value(v) for v in block[a])])
            yield t, header, rows

    def __repr__(self) -> str:
        title = f"{self.title!r}, " if self.title else ""
        types = "×".join(str(k) for k in self.type_shape)
        actions = "×".join(str(m) for m in self.action_shape)
        return f"BayesianGame({title}players={list(self.players)}, types {types}, actions {actions}, {self.arithmetic})"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


# ---------------------------------------------------------------------- validation helpers
def _check_labels(players, types, actions) -> tuple:
    """``(players, types, actions)`` checked and in NFKC (:mod:`negotiation.core.labels`)."""
    if not players:
        raise BayesianError("a Bayesian game needs at least one player")
    for player in players:
        if not isinstance(player, str) or not player.strip():
            raise BayesianError(f"player labels must be non-empty strings, got {player!r}")
    players = normalise_labels(players, where="players", what="player label", error=BayesianError)
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
    types, actions = (tuple(normalise_labels(own, where=f"{what} of {player}", what=f"{what[:-1]} label",
                                             error=BayesianError) for player, own in zip(players, labels))
                      for what, labels in (("types", types), ("actions", actions)))
    return players, types, actions


def _as_array(value, shape, name, meaning):
    try:
        array = np.asarray(value, dtype=object)
    except ValueError as error:
        raise BayesianError(f"{name} are ragged: {error}") from None
    if array.shape != shape:
        raise BayesianError(f"{name} have shape {array.shape}, expected {shape} ({meaning})")
    return array


def _map(array, function):
    """``function`` applied to every entry: an object array of the same shape."""
    return np.frompyfunc(function, 1, 1)(array)


def _normalise(array, symbolic, describe):
    """Coerce every entry to Fraction / float, or to sympy when the game is symbolic; (array, any float)."""
    out = np.empty(array.shape, dtype=object)
    any_float = False
    for position, entry in np.ndenumerate(array):
        if is_sympy(entry) and getattr(entry, "free_symbols", None):
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
    import sympy  # only for symbolic games

    return sympy.sympify(value)  # Fraction -> Rational, int -> Integer, float -> Float


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
            raise BayesianError(f"prior {_type_text(position, players, types)}: {show_value(entry)} is negative")
    total = sum(prior.flat)
    if (kind == "exact" and total != 1) or (kind == "float" and abs(total - 1) > PRIOR_TOLERANCE):
        raise BayesianError(f"prior probabilities sum to {show_value(total)}, expected 1")


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
                if not is_sympy(value):
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
    if any(is_sympy(v) for v in vector):
        import sympy

        total = sympy.expand(sum(_to_sympy(v) for v in vector))
        if total != 1 and sympy.simplify(total - 1) != 0:
            raise BayesianError(f"prior of {player}: probabilities sum to {total}, expected 1")
        return
    total = sum(vector)
    exact = all(isinstance(v, Fraction) for v in vector)
    if (exact and total != 1) or (not exact and abs(total - 1) > PRIOR_TOLERANCE):
        raise BayesianError(f"prior of {player}: probabilities sum to {show_value(total)}, expected 1")


def _profile_index(key, players, labels, what) -> tuple:
    profile = (key,) if isinstance(key, str) else tuple(key)
    if len(profile) != len(players):
        raise BayesianError(f"{what} profile {key!r}: expected one {what} for each of {len(players)} players "
                            f"({', '.join(players)})")
    index = []
    for i, (player, label) in enumerate(zip(players, profile)):
        label = normal_form(label)
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


def show_value(value) -> str:
    """A prior or payoff as users read it: ``3/4``, ``0.25``, ``pi_NATO*pi_Russia``; ``—`` for none."""
    return "—" if value is None else format_number(value)


# ---------------------------------------------------------------------- Harsanyi and agent forms
def pure_plans(game: "BayesianGame", i: int) -> list:
    """All pure type-contingent plans of player ``i`` (an index): one action index per type.

    Examples
    --------
    >>> game = BayesianGame(("A",), (("x", "y"),), (("L", "R"),), prior=["1/2", "1/2"], payoffs=np.zeros((2, 2, 1)))
    >>> pure_plans(game, 0)
    [(0, 0), (0, 1), (1, 0), (1, 1)]
    """
    return list(itertools.product(range(len(game.actions[i])), repeat=len(game.types[i])))


def _plan_label(game, i, plan) -> str:
    if len(game.types[i]) == 1:
        return game.actions[i][plan[0]]
    return ", ".join(f"{t}: {game.actions[i][a]}" for t, a in zip(game.types[i], plan))


def harsanyi(game: BayesianGame) -> Game:
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
    shape = tuple(len(game.actions[i]) ** len(game.types[i]) for i in range(game.n_players)) + (game.n_players,)
    if math.prod(shape) > MAX_ENTRIES:  # counted before the plans are listed
        raise BayesianError(f"the Harsanyi form would have {math.prod(shape):,} payoff entries "
                            f"(limit {MAX_ENTRIES:,}): too many types or actions")
    plans = [pure_plans(game, i) for i in range(game.n_players)]
    total = np.zeros(shape, dtype=object)
    plan_actions = [np.array(p, dtype=np.int64).reshape(len(p), -1) for p in plans]
    everyone = np.arange(game.n_players)
    for t in itertools.product(*(range(k) for k in game.type_shape)):
        probability = game.prior[t]
        if probability == 0:
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


def agent_form(game: BayesianGame, *, conditional: bool = False) -> Game:
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
                if not game.is_symbolic and probability == 0:
                    raise BayesianError(f"agent_form(conditional=True): type {label!r} of {game.players[i]} has "
                                        "prior probability 0, so its interim payoffs are undefined "
                                        "(use the prior-weighted form, conditional=False)")
                weights[i, k] = probability
    payoffs = np.zeros(shape, dtype=object)
    for t in itertools.product(*(range(k) for k in game.type_shape)):
        probability = game.prior[t]
        if probability == 0:
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

        payoffs = _map(payoffs, lambda e: sympy.cancel(e) if is_sympy(e) else e)
    labels = tuple(agent_label(game, i, k) for i, k in agents)
    strategies = tuple(game.actions[i] for i, _ in agents)
    return Game(labels, strategies, payoffs, title=game.title, parameters=game.parameters, values=game.values)


def _agent_profiles(sizes, axes, actions):
    """Every agent-action profile in which agent ``axes[j]`` plays ``actions[j]``."""
    free = [range(n) if n_axis not in axes else None for n_axis, n in enumerate(sizes)]
    fixed = dict(zip(axes, actions))
    ranges = [(fixed[n],) if n in fixed else free[n] for n in range(len(sizes))]
    return itertools.product(*ranges)


