"""Cooperative games with transferable utility: labelled players and a characteristic function.

A game ``(N, v)`` gives every coalition ``S ⊆ N`` its worth ``v(S)``, what its members can secure
together and share among themselves (``v(∅) = 0``). :class:`CooperativeGame` holds the worths of all
``2^n`` coalitions, indexed by bit masks (bit ``i`` is ``players[i]``), as exact fractions, floats or
formulas in declared parameters (:class:`~negotiation.models.base.ParametricModel`). Constructors build
the classic families: weighted voting games (Shapley and Shubik 1954), bankruptcy games (O'Neill 1982;
Aumann and Maschler 1985) and glove (market) games (Shapley 1959). Its solutions — the Shapley value,
the core, the nucleolus and power indices — are in :mod:`negotiation.solvers.cooperative`.

References
----------
Shapley, L. S. and Shubik, M. (1954). "A method for evaluating the distribution of power in a
committee system". *American Political Science Review* 48(3): 787–792.
O'Neill, B. (1982). "A problem of rights arbitration from the Talmud". *Mathematical Social
Sciences* 2(4): 345–371.
Aumann, R. J. and Maschler, M. (1985). "Game theoretic analysis of a bankruptcy problem from
the Talmud". *Journal of Economic Theory* 36(2): 195–213.
Shapley, L. S. (1959). "The solutions of a symmetric market game". In Tucker and Luce (eds.), *Contributions to
the Theory of Games IV*, Annals of Mathematics Studies 40: 145–162.
Peleg, B. and Sudhölter, P. (2007). *Introduction to the Theory of Cooperative Games*, 2nd ed.
Springer, ch. 1–2.

Examples
--------
>>> game = CooperativeGame.glove(("L", "R1", "R2"), left={"L": 1}, right={"R1": 1, "R2": 1})
>>> game.value(("L", "R1")), game.value(("R1", "R2")), game.grand_value
(Fraction(1, 1), Fraction(0, 1), Fraction(1, 1))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from negotiation.core.errors import NegotiationError
from negotiation.core.labels import normalise_labels
from negotiation.core.numeric import coerce_number, format_number, is_sympy, json_number
from negotiation.core.parameters import ParameterSpace
from negotiation.models.base import ParametricModel

__all__ = ["FORMS", "MAX_PLAYERS", "CooperativeError", "CooperativeGame", "factorial_weights"]

#: Most players of a cooperative game: the model stores all 2^n worths. 16 players are 65,536 coalitions;
#: building a bankruptcy game of 16 players and its Shapley value took about 2 s on the development machine
#: (2 cores, load average 7), and every further player doubles both.
MAX_PLAYERS = 16

#: How a game was built: its worths listed, or a family's inputs.
FORMS = ("explicit", "weighted_voting", "bankruptcy", "glove")


class CooperativeError(NegotiationError):
    """A cooperative game or a request on it is invalid (one line naming the field and the value)."""


def _entry(value, where):
    """A worth or an input: an exact ``Fraction``, a finite ``float``, or a sympy expression with symbols."""
    if type(value) is Fraction:  # the common case, 2^n times per game: no conversion needed
        return value
    if is_sympy(value) and getattr(value, "free_symbols", None):
        return value
    try:
        return coerce_number(value, where=where)
    except ValueError as error:
        raise CooperativeError(str(error)) from None


def _check_size(count: int, where: str = "players") -> None:
    if count < 1:
        raise CooperativeError(f"{where}: expected at least one player")
    if count > MAX_PLAYERS:
        raise CooperativeError(f"{where}: {count} players is more than MAX_PLAYERS = {MAX_PLAYERS} "
                               f"(the game stores all 2^n = {2 ** count:,} coalition worths)")


def _players(players) -> tuple:
    if isinstance(players, str) or not isinstance(players, Iterable):
        raise CooperativeError(f"players: expected a list of player labels, found {players!r}")
    players = tuple(players)
    _check_size(len(players))
    if not all(isinstance(p, str) and p.strip() for p in players):
        raise CooperativeError("players: expected non-empty player labels")
    labels = normalise_labels((p.strip() for p in players), where="players", what="player label",
                              error=CooperativeError)
    for label in labels:
        if labels.count(label) > 1:
            raise CooperativeError(f"players: duplicate player {label!r}")
        if "," in label:
            raise CooperativeError(f"players: {label!r}: player labels cannot contain commas")
    return labels


def _per_player(table, players, where, *, default=None) -> list:
    """One input per player from a mapping label -> number (missing: ``default``) or a list in player order."""
    if isinstance(table, Mapping):
        unknown = [key for key in table if key not in players]
        if unknown:
            raise CooperativeError(f"{where}: unknown player {unknown[0]!r} (players: {', '.join(players)})")
        if default is None:
            missing = [p for p in players if p not in table]
            if missing:
                raise CooperativeError(f"{where}: no value for player {missing[0]!r}")
        return [_entry(table.get(p, default), f"{where}.{p}") for p in players]
    if isinstance(table, (list, tuple)) and len(table) == len(players):
        return [_entry(v, f"{where}[{k}]") for k, v in enumerate(table)]
    raise CooperativeError(f"{where}: expected a table player = number or a list of {len(players)} numbers")


def _subset_sums(amounts: list) -> list:
    """``sums[mask]`` = the sum of ``amounts[i]`` over the bits ``i`` of ``mask`` (one addition per mask)."""
    sums = [amounts[0] - amounts[0]] * (1 << len(amounts))
    for mask in range(1, len(sums)):
        low = mask & -mask
        sums[mask] = sums[mask ^ low] + amounts[low.bit_length() - 1]
    return sums


def _numeric(values, where) -> None:
    symbolic = [v for v in values if is_sympy(v)]
    if symbolic:
        raise CooperativeError(f"{where}: the family constructors take numbers; substitute the parameters first "
                               f"(found {symbolic[0]})")


@dataclass(frozen=True)
class CooperativeGame(ParametricModel):
    """A transferable-utility game: players and the worth ``v(S)`` of every coalition.

    Parameters
    ----------
    players : sequence of str
        Player labels (at most :data:`MAX_PLAYERS`).
    worth : sequence
        ``2^n`` worths indexed by bit mask (bit ``i`` set: ``players[i]`` is in the coalition); ``worth[0]``
        (the empty coalition) must be 0. Numbers (exact or float) or sympy expressions in ``parameters``.
        Use :meth:`from_values`, :meth:`from_function` or a family constructor rather than masks.
    title : str
    form : str
        One of :data:`FORMS`: how the game was built.
    inputs : mapping
        The family's inputs (quota and weights, estate and claims, holdings), for reports.
    parameters : ParameterSpace
    values : mapping
        The parameter values the worths were computed at.

    Examples
    --------
    >>> game = CooperativeGame.from_values(("A", "B"), {"A": 1, "A, B": 3})
    >>> game.value(("B", "A")), game.arithmetic, game.n_coalitions
    (Fraction(3, 1), 'exact', 4)
    """

    #: The kind of model (the ``kind`` of its scenario files).
    kind = "cooperative"

    players: tuple
    worth: tuple = field(repr=False)
    title: str = ""
    form: str = "explicit"
    inputs: Mapping = field(default_factory=dict, repr=False)
    parameters: ParameterSpace = field(default_factory=ParameterSpace, repr=False)
    values: Mapping = field(default_factory=dict, repr=False)

    def __post_init__(self):
        players = _players(self.players)
        worth = tuple(self.worth)
        if len(worth) != 1 << len(players):
            raise CooperativeError(f"worth: expected {1 << len(players)} coalition worths (2^{len(players)}), "
                                   f"found {len(worth)}")
        worth = tuple(_entry(v, f"worth of coalition {k}") for k, v in enumerate(worth))
        if is_sympy(worth[0]) or worth[0] != 0:
            raise CooperativeError(f"worth of the empty coalition: expected 0, found {worth[0]}")
        if self.form not in FORMS:
            raise CooperativeError(f"form: expected one of {', '.join(FORMS)}, found {self.form!r}")
        if any(is_sympy(v) for v in worth):
            arithmetic = "symbolic"
        elif any(isinstance(v, float) for v in worth):
            arithmetic = "float"
            worth = tuple(float(v) for v in worth)
        else:
            arithmetic = "exact"
        parameters = self.parameters if self.parameters is not None else ParameterSpace()
        if arithmetic == "symbolic":
            names = sorted({s.name for v in worth if is_sympy(v) for s in v.free_symbols})
            if not parameters.parameters:
                parameters = ParameterSpace.from_names(names)
            undeclared = [name for name in names if name not in parameters.names]
            if undeclared:
                raise CooperativeError(f"undeclared parameter {undeclared[0]!r} "
                                       f"(declared: {', '.join(parameters.names) or 'none'})")
            # a formula's symbols become the declared parameters' symbols (which carry their assumptions)
            by_name = parameters.symbols
            worth = tuple(v.xreplace({s: by_name[s.name] for s in v.free_symbols}) if is_sympy(v) else v
                          for v in worth)
        object.__setattr__(self, "players", players)
        object.__setattr__(self, "worth", worth)
        object.__setattr__(self, "inputs", dict(self.inputs or {}))
        object.__setattr__(self, "parameters", parameters)
        object.__setattr__(self, "values", dict(self.values or {}))
        object.__setattr__(self, "_arithmetic", arithmetic)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_values(cls, players, worths: Mapping, **options) -> CooperativeGame:
        """A game from ``{coalition: worth}``; a coalition is a tuple of labels or ``"A, B"``; unlisted ones are worth 0.

        Examples
        --------
        >>> CooperativeGame.from_values(("A", "B", "C"), {"A, B": 1, ("A", "B", "C"): 2}).value("B, A")
        Fraction(1, 1)
        """
        players = _players(players)
        worth = [Fraction(0)] * (1 << len(players))
        seen = set()
        for coalition, value in worths.items():
            mask = _mask(players, coalition)
            if mask == 0:
                raise CooperativeError("worth of the empty coalition: it is always 0; list non-empty coalitions")
            if mask in seen:
                raise CooperativeError(f"coalition {_name(players, mask)!r} is given twice")
            seen.add(mask)
            worth[mask] = value
        return cls(players, tuple(worth), **options)

    @classmethod
    def from_function(cls, players, function: Callable, **options) -> CooperativeGame:
        """A game whose worth of ``S`` is ``function(S)`` (``S`` a tuple of labels in player order; ``v(∅) = 0``).

        Examples
        --------
        >>> CooperativeGame.from_function(("A", "B", "C"), lambda S: len(S) ** 2).value("A, C")
        Fraction(4, 1)
        """
        players = _players(players)
        worth = [Fraction(0)] + [function(_members(players, mask)) for mask in range(1, 1 << len(players))]
        return cls(players, tuple(worth), **options)

    @classmethod
    def weighted_voting(cls, players, weights, quota, **options) -> CooperativeGame:
        """The weighted voting game ``[quota; weights]``: a coalition wins (worth 1) when its weight reaches the quota.

        Examples
        --------
        >>> game = CooperativeGame.weighted_voting(("A", "B", "C"), {"A": 2, "B": 1, "C": 1}, 3)
        >>> game.value("A, B"), game.value("B, C"), game.is_simple
        (Fraction(1, 1), Fraction(0, 1), True)
        """
        players = _players(players)
        weights = _per_player(weights, players, "weights")
        quota = _entry(quota, "quota")
        _numeric([*weights, quota], "weights and quota")
        if any(w < 0 for w in weights):
            raise CooperativeError("weights: expected non-negative weights")
        total = sum(weights)
        if not 0 < quota <= total:
            raise CooperativeError(f"quota: expected a number above 0 and at most the total weight "
                                   f"{format_number(total)}, found {format_number(quota)}")
        sums = _subset_sums(weights)
        worth = tuple(Fraction(int(mask > 0 and s >= quota)) for mask, s in enumerate(sums))
        inputs = {"quota": quota, "weights": dict(zip(players, weights))}
        return cls(players, worth, form="weighted_voting", inputs=inputs, **options)

    @classmethod
    def bankruptcy(cls, players, estate, claims, **options) -> CooperativeGame:
        """O'Neill's bankruptcy game: ``v(S) = max(0, E − Σ_{j∉S} c_j)``, what ``S`` gets after paying the others in full.

        Examples
        --------
        >>> game = CooperativeGame.bankruptcy(("A", "B", "C"), 200, {"A": 100, "B": 200, "C": 300})
        >>> game.value("C"), game.value("B, C"), game.grand_value
        (Fraction(0, 1), Fraction(100, 1), Fraction(200, 1))
        """
        players = _players(players)
        claims = _per_player(claims, players, "claims")
        estate = _entry(estate, "estate")
        _numeric([*claims, estate], "estate and claims")
        if any(c < 0 for c in claims):
            raise CooperativeError("claims: expected non-negative claims")
        total = sum(claims)
        if not 0 <= estate <= total:
            raise CooperativeError(f"estate: expected a number from 0 to the sum of the claims "
                                   f"{format_number(total)}, found {format_number(estate)}")
        sums = _subset_sums(claims)
        full = len(sums) - 1
        zero = estate - estate
        worth = tuple(max(zero, estate - sums[full ^ mask]) if mask else zero for mask in range(len(sums)))
        inputs = {"estate": estate, "claims": dict(zip(players, claims))}
        return cls(players, worth, form="bankruptcy", inputs=inputs, **options)

    @classmethod
    def glove(cls, players, left: Mapping, right: Mapping, **options) -> CooperativeGame:
        """The glove (market) game: ``v(S) = min(left gloves in S, right gloves in S)``, the pairs ``S`` can sell.

        Examples
        --------
        >>> CooperativeGame.glove(("L", "R"), left={"L": 2}, right={"R": 3}).grand_value
        Fraction(2, 1)
        """
        players = _players(players)
        lefts = _per_player(left, players, "left", default=0)
        rights = _per_player(right, players, "right", default=0)
        _numeric([*lefts, *rights], "holdings")
        if any(h < 0 for h in [*lefts, *rights]):
            raise CooperativeError("left, right: expected non-negative holdings")
        worth = tuple(min(a, b) for a, b in zip(_subset_sums(lefts), _subset_sums(rights)))
        inputs = {"left": dict(zip(players, lefts)), "right": dict(zip(players, rights))}
        return cls(players, worth, form="glove", inputs=inputs, **options)

    # ------------------------------------------------------------------ queries
    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def n_coalitions(self) -> int:
        """``2^n``, the empty coalition included."""
        return len(self.worth)

    @property
    def grand_value(self):
        """``v(N)``, the worth of the grand coalition."""
        return self.worth[-1]

    def mask(self, coalition) -> int:
        """The bit mask of a coalition (a tuple of labels or ``"A, B"``)."""
        return _mask(self.players, coalition)

    def members(self, mask: int) -> tuple:
        """The labels of the coalition with bit mask ``mask``, in player order."""
        return _members(self.players, mask)

    def value(self, coalition):
        """``v(S)`` of a coalition given by labels (``("A", "B")`` or ``"A, B"``)."""
        return self.worth[self.mask(coalition)]

    @property
    def is_simple(self) -> bool:
        """A simple game: every worth is 0 or 1 (exact), ``v(N) = 1`` and winning is monotone."""
        if not self.is_exact or self.grand_value != 1 or any(v not in (0, 1) for v in self.worth):
            return False
        return all(self.worth[mask] <= self.worth[mask | (1 << i)]
                   for mask in range(len(self.worth)) for i in range(self.n_players))

    # ------------------------------------------------------------------ transformations
    def substitute(self, values: Mapping | None = None, **kwargs) -> CooperativeGame:
        """The numeric game at the given parameter values (missing ones take their defaults).

        Examples
        --------
        >>> import sympy
        >>> b = sympy.Symbol("b")
        >>> game = CooperativeGame(("A", "B"), (0, 1, 1, b))
        >>> game.is_symbolic, game.substitute(b=3).grand_value
        (True, Fraction(3, 1))
        """
        values = {**(values or {}), **kwargs}
        substitution = self.parameters.substitution(values, symbolic=self.is_symbolic, error=CooperativeError,
                                                    what="game")
        if substitution is None:
            return self
        resolved, replacement = substitution
        worth = []
        for mask, value in enumerate(self.worth):
            if is_sympy(value):
                value = value.xreplace(replacement)
                if value.free_symbols:
                    raise CooperativeError(f"worth of {_name(self.players, mask)} still depends on "
                                           f"{', '.join(sorted(s.name for s in value.free_symbols))}")
            worth.append(value)
        return CooperativeGame(self.players, tuple(worth), title=self.title, form=self.form, inputs=self.inputs,
                               parameters=self.parameters, values=resolved)

    # ------------------------------------------------------------------ conversion
    def lines(self, limit: int = 64) -> list[str]:
        """``v(A, B) = 3`` for every non-empty coalition (the first ``limit`` of them), for ``negotiation show``."""
        lines = [f"{_FORM_TITLES[self.form]}{_inputs_text(self.inputs)}"]
        for mask in range(1, min(len(self.worth), limit + 1)):
            lines.append(f"v({_name(self.players, mask)}) = {format_number(self.worth[mask])}")
        if len(self.worth) > limit + 1:
            lines.append(f"… and {len(self.worth) - limit - 1:,} more coalitions "
                         f"(v(N) = {format_number(self.grand_value)})")
        return lines

    def to_dict(self) -> dict:
        """JSON-ready description (schema ``negotiation.cooperative/1``); exact numbers as fraction strings."""
        data = {"schema": "negotiation.cooperative/1", "title": self.title, "players": list(self.players),
                "form": self.form}
        if self.inputs:
            data["inputs"] = {key: ({k: json_number(v) for k, v in value.items()} if isinstance(value, Mapping)
                                    else json_number(value)) for key, value in self.inputs.items()}
        data["worth"] = {_name(self.players, mask): json_number(v) for mask, v in enumerate(self.worth) if mask}
        if self.values:
            data["parameters"] = {k: json_number(v) for k, v in self.values.items()}
        return data

    def __str__(self) -> str:
        return "\n".join([self.title or "Cooperative game", *self.lines(limit=16)])


_FORM_TITLES = {"explicit": "Characteristic function", "weighted_voting": "Weighted voting game",
                "bankruptcy": "Bankruptcy game (O'Neill 1982)", "glove": "Glove game"}


def _inputs_text(inputs: Mapping) -> str:
    parts = []
    for key, value in inputs.items():
        if isinstance(value, Mapping):
            shown = ", ".join(f"{k} {format_number(v)}" for k, v in value.items())
            parts.append(f"{key}: {shown}")
        else:
            parts.append(f"{key} {format_number(value)}")
    return (": " + "; ".join(parts)) if parts else ""


def _members(players, mask) -> tuple:
    return tuple(p for i, p in enumerate(players) if mask >> i & 1)


def _name(players, mask) -> str:
    return ", ".join(_members(players, mask)) or "∅"


def _mask(players, coalition) -> int:
    if isinstance(coalition, str):
        labels = [part.strip() for part in coalition.split(",") if part.strip()]
    elif isinstance(coalition, Iterable):
        labels = list(coalition)
    else:
        raise CooperativeError(f"coalition: expected player labels, found {coalition!r}")
    mask = 0
    for label in labels:
        if label not in players:
            raise CooperativeError(f"coalition {coalition!r}: unknown player {label!r} (players: {', '.join(players)})")
        bit = 1 << players.index(label)
        if mask & bit:
            raise CooperativeError(f"coalition {coalition!r}: player {label!r} is listed twice")
        mask |= bit
    return mask


def factorial_weights(n: int) -> list[Fraction]:
    """``|S|!(n−|S|−1)!/n!`` for ``|S| = 0 … n−1``: the Shapley weight of a marginal contribution to a coalition
    of ``|S|`` others (Shapley 1953, eq. for φ_i).

    Examples
    --------
    >>> factorial_weights(3)
    [Fraction(1, 3), Fraction(1, 6), Fraction(1, 3)]
    """
    total = math.factorial(n)
    return [Fraction(math.factorial(s) * math.factorial(n - s - 1), total) for s in range(n)]

