"""Strategic-form games with labelled players and strategies.

A :class:`Game` holds a payoff tensor of shape ``(n_1, …, n_N, N)``: entry
``[s_1, …, s_N, p]`` is player ``p``'s payoff when player ``i`` plays strategy
``s_i``. Payoffs are exact (``Fraction``), floats, or sympy expressions in the
game's declared parameters; :meth:`Game.substitute` turns a symbolic game into
a numeric one.
"""

from __future__ import annotations

import importlib
import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping, Sequence

import numpy as np

from negotiation.models.base import ParametricModel
from negotiation.core.document import (Cell, Document, Table, latex_escape, latex_number, render_html,
                                       render_markdown)
from negotiation.core.errors import NegotiationError
from negotiation.core.labels import normal_form, normalise_label, normalise_labels
from negotiation.core.numeric import (coerce_number, find_near_tie, format_number, fraction_from_text,
                                     is_sympy as _is_sympy, json_number)
from negotiation.core.parameters import ParameterSpace

__all__ = ["Game", "GameError", "MAX_PROFILES", "check_profile_count"]

SCHEMA = "negotiation.models.game/1"
_FLOAT_MAX = Fraction(1.7976931348623157e308)
#: Most pure profiles of a game read from a description (``from_table``, ``from_dict``, a scenario
#: file, a ``.nfg`` file), checked from the declared strategy counts before the payoff array exists:
#: every payoff is an exact number object, and 40,000 profiles (200 × 200) take 0.65 s to read
#: from JSON, 10^6 profiles 14 s and about 1 GiB.
MAX_PROFILES = 40_000


class GameError(NegotiationError):
    """A game was given inconsistent or invalid data."""


def check_profile_count(shape, where: str = "", error=GameError) -> int:
    """The number of pure profiles of strategy counts ``shape``; ``error`` above :data:`MAX_PROFILES`.

    Examples
    --------
    >>> check_profile_count((1000, 1000, 1000), "g.json: strategies")
    Traceback (most recent call last):
    ...
    negotiation.models.game.GameError: g.json: strategies: 1000 × 1000 × 1000 = 1,000,000,000 profiles, more than the limit of 40,000 (a game's payoffs are held in memory, one exact number each)
    """
    count = 1
    for size in shape:
        count *= size
    if count > MAX_PROFILES:
        prefix = f"{where}: " if where else ""
        sizes = " × ".join(str(size) for size in shape) if len(shape) <= 6 else f"{len(shape)} players' strategies"
        raise error(f"{prefix}{sizes} = {count:,} profiles, more than the "
                    f"limit of {MAX_PROFILES:,} (a game's payoffs are held in memory, one exact number each)")
    return count


@dataclass(frozen=True, eq=False)
class Game(ParametricModel):
    """A finite strategic-form game.

    Parameters
    ----------
    players : sequence of str
        Player labels, in order.
    strategies : sequence of sequences of str
        For each player, the labels of its strategies.
    payoffs : array_like
        Shape ``(n_1, …, n_N, N)``. Numbers (int, Fraction, Decimal, numeric
        strings such as ``"3/4"``, floats) or sympy expressions.
    title : str
        Shown in tables and files.
    parameters : ParameterSpace, optional
        Declared parameters of a symbolic game. If omitted, the free symbols of
        the payoffs are declared (without defaults).
    values : mapping, optional
        Parameter values this numeric game was obtained with (recorded in results).

    Examples
    --------
    >>> game = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                         players=("NATO", "Russia"),
    ...                         strategies=(("Restrain", "Deploy"), ("Restrain", "Deploy")))
    >>> game["Deploy", "Restrain"]
    {'NATO': Fraction(5, 1), 'Russia': Fraction(0, 1)}
    >>> game.is_exact, game.shape
    (True, (2, 2))
    """

    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    payoffs: np.ndarray = field(repr=False)
    title: str = ""
    parameters: ParameterSpace = field(default_factory=ParameterSpace, repr=False)
    values: Mapping = field(default_factory=dict, repr=False)

    def __post_init__(self):
        players = tuple(self.players)
        strategies = tuple(tuple(s) for s in self.strategies)
        players, strategies = _check_labels(players, strategies)
        if isinstance(self.title, str):  # shown as written, on one line: no control or bidirectional characters
            normalise_label(self.title, where="title", what="game title", error=GameError, normalise=False)
        shape = tuple(len(s) for s in strategies) + (len(players),)
        try:
            raw = np.asarray(self.payoffs, dtype=object)
        except ValueError as error:  # ragged nested lists
            raise GameError(f"payoffs are ragged: {error}") from None
        if raw.shape != shape and any(isinstance(e, (list, tuple, np.ndarray)) for e in raw.flat):
            raise GameError(f"payoffs are ragged: expected shape {shape}")
        if raw.shape != shape:
            raise GameError(
                f"payoffs have shape {raw.shape}, expected {shape} "
                "(one entry per strategy of each player, then one payoff per player)"
            )
        payoffs, kind = _normalise_payoffs(raw, players, strategies)
        parameters = self.parameters
        if kind == "symbolic":
            free = set().union(*(entry.free_symbols for entry in payoffs.flat))
            # a symbol is the parameter of its name in NFKC (as formulas read it): ``ﬁ`` is ``fi``
            normalise_labels(sorted({s.name for s in free}), where="payoffs", what="parameter name", error=GameError)
            names = {normal_form(symbol.name) for symbol in free}
            if not parameters.parameters:
                parameters = ParameterSpace.from_names(sorted(names))
            undeclared = sorted(names - set(parameters.names))
            if undeclared:
                raise GameError(
                    f"payoffs use undeclared parameter {undeclared[0]!r} "
                    f"(declared: {', '.join(parameters.names) or 'none'})"
                )
            # Use the declared symbols (with their assumptions) everywhere.
            by_name = parameters.symbols
            replacement = {s: by_name[normal_form(s.name)] for s in free if s != by_name[normal_form(s.name)]}
            if replacement:
                payoffs = _map(payoffs, lambda e: e.xreplace(replacement), object)
        payoffs.setflags(write=False)
        object.__setattr__(self, "players", players)
        object.__setattr__(self, "strategies", strategies)
        object.__setattr__(self, "payoffs", payoffs)
        object.__setattr__(self, "parameters", parameters)
        object.__setattr__(self, "values", dict(self.values))
        object.__setattr__(self, "_arithmetic", kind)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_arrays(cls, *arrays, players=None, strategies=None, title="", **options) -> "Game":
        """Build a game from one payoff array per player (``A, B`` for a bimatrix game).

        Each array has shape ``(n_1, …, n_N)``. Labels default to ``"Player 1"``,
        … and ``"1"``, ``"2"``, … .

        Examples
        --------
        >>> Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]).strategies
        (('1', '2'), ('1', '2'))
        """
        if not arrays:
            raise GameError("from_arrays needs one payoff array per player")
        try:
            stacked = [np.asarray(a, dtype=object) for a in arrays]
        except ValueError as error:
            raise GameError(f"payoff arrays are ragged: {error}") from None
        for index, array in enumerate(stacked):
            if any(isinstance(e, (list, tuple, np.ndarray)) for e in array.flat):
                raise GameError(f"payoff array {index + 1} is ragged: rows of different lengths")
        shape = stacked[0].shape
        for index, array in enumerate(stacked):
            if array.shape != shape:
                raise GameError(
                    f"payoff array {index + 1} has shape {array.shape}, expected {shape}"
                )
        if len(shape) != len(arrays):
            raise GameError(
                f"{len(arrays)} payoff arrays need {len(arrays)} dimensions each, "
                f"got shape {shape}"
            )
        players = tuple(players) if players is not None else tuple(
            f"Player {i + 1}" for i in range(len(arrays))
        )
        if strategies is None:
            strategies = tuple(tuple(str(j + 1) for j in range(n)) for n in shape)
        payoffs = np.stack(stacked, axis=-1) if shape else np.array(stacked, dtype=object)
        return cls(players, strategies, payoffs, title=title, **options)

    @classmethod
    def from_table(cls, table: Mapping, strategies: Mapping[str, Sequence[str]],
                   title="", **options) -> "Game":
        """Build a game from ``{(strategy of player 1, …): (payoff 1, …)}``.

        ``strategies`` maps each player label to its strategy labels (in order).
        Every profile must appear exactly once.

        Examples
        --------
        >>> game = Game.from_table(
        ...     {("Restrain", "Restrain"): (0, 0), ("Restrain", "Deploy"): (-5, -1),
        ...      ("Deploy", "Restrain"): (-1, -5), ("Deploy", "Deploy"): (-2, -2)},
        ...     strategies={"NATO": ["Restrain", "Deploy"], "Russia": ["Restrain", "Deploy"]})
        >>> game.payoff_array("Russia")[0, 1]
        Fraction(-1, 1)
        """
        players = tuple(strategies)
        labels = tuple(tuple(strategies[p]) for p in players)
        players, labels = _check_labels(players, labels)
        index = [{label: i for i, label in enumerate(s)} for s in labels]
        shape = tuple(len(s) for s in labels) + (len(players),)
        check_profile_count(shape[:-1], "strategies")  # before the payoff array exists
        payoffs = np.empty(shape, dtype=object)
        filled = np.zeros(shape[:-1], dtype=bool)
        for profile, values in table.items():
            profile = (profile,) if isinstance(profile, str) else tuple(profile)
            if len(profile) != len(players):
                raise GameError(
                    f"profile {profile} names {len(profile)} strategies, expected one for "
                    f"each of {len(players)} players"
                )
            try:
                position = tuple(index[i][normal_form(s)] for i, s in enumerate(profile))
            except KeyError as error:
                raise GameError(f"profile {profile}: unknown strategy {error.args[0]!r}") from None
            values = tuple(values) if isinstance(values, (list, tuple)) else (values,)
            if len(values) != len(players):
                raise GameError(
                    f"profile {profile}: {len(values)} payoffs given, expected {len(players)}"
                )
            if filled[position]:
                raise GameError(f"profile {profile} is given twice")
            payoffs[position] = values
            filled[position] = True
        if not filled.all():
            missing = tuple(np.argwhere(~filled)[0])
            names = tuple(labels[i][j] for i, j in enumerate(missing))
            raise GameError(f"no payoffs given for profile {names}")
        return cls(players, labels, payoffs, title=title, **options)

    # ------------------------------------------------------------------ queries
    @property
    def shape(self) -> tuple[int, ...]:
        """Number of strategies of each player."""
        return self.payoffs.shape[:-1]

    @property
    def n_players(self) -> int:
        return len(self.players)

    #: The kind of model (the ``kind`` of its scenario files; ``kind`` always names the sort of a thing).
    kind = "normal-form"

    def player_index(self, player) -> int:
        if isinstance(player, int) and not isinstance(player, bool):
            if 0 <= player < self.n_players:
                return player
        elif player in self.players:
            return self.players.index(player)
        raise GameError(f"unknown player {player!r} (players: {', '.join(self.players)})")

    def strategy_index(self, player, strategy) -> int:
        p = self.player_index(player)
        if strategy in self.strategies[p]:
            return self.strategies[p].index(strategy)
        raise GameError(
            f"unknown strategy {strategy!r} of {self.players[p]} "
            f"(strategies: {', '.join(self.strategies[p])})"
        )

    def payoff_array(self, player) -> np.ndarray:
        """The payoff array ``(n_1, …, n_N)`` of one player (label or index)."""
        return self.payoffs[..., self.player_index(player)]

    def __getitem__(self, profile) -> dict:
        profile = (profile,) if isinstance(profile, str) else tuple(profile)
        if len(profile) != self.n_players:
            raise GameError(f"a profile names one strategy for each of {self.n_players} players")
        position = tuple(self.strategy_index(p, s) for p, s in enumerate(profile))
        return dict(zip(self.players, self.payoffs[position]))

    def is_zero_sum(self) -> bool:
        """Whether payoffs sum to zero in every profile (exactly, or for floats within 1e-12 times the largest
        absolute payoff: relative, so the answer does not depend on the scale of the payoffs)."""
        if self.is_symbolic:
            import sympy

            return all(sympy.simplify(sum(row)) == 0 for row in self.payoffs.reshape(-1, self.n_players))
        totals = self.payoffs.sum(axis=-1)
        if self.is_exact:
            return bool(np.all(totals == 0))
        scale = float(np.max(np.abs(self.payoffs.astype(float))))
        return bool(np.all(np.abs(totals.astype(float)) <= 1e-12 * scale))

    def profiles(self):
        """All pure profiles as tuples of strategy labels, player 1's strategy varying slowest."""
        return itertools.product(*self.strategies)

    # ------------------------------------------------------------------ transformations
    def substitute(self, values: Mapping | None = None, **kwargs) -> "Game":
        """Numeric game at the given parameter values (missing ones take their defaults).

        Examples
        --------
        >>> import sympy
        >>> c = sympy.Symbol("c")
        >>> game = Game.from_arrays([[0, -c], [1, 1 - c]], [[0, 1], [-c, 1 - c]])
        >>> game.substitute(c=2).payoff_array(0).tolist()
        [[Fraction(0, 1), Fraction(-2, 1)], [Fraction(1, 1), Fraction(-1, 1)]]
        """
        values = {**(values or {}), **kwargs}
        substitution = self.parameters.substitution(values, symbolic=self.is_symbolic, error=GameError, what="game")
        if substitution is None:
            return self
        resolved, replacement = substitution
        numeric = np.empty(self.payoffs.shape, dtype=object)
        exact = np.empty(self.payoffs.shape, dtype=object)
        for position, entry in np.ndenumerate(self.payoffs):
            value = exact[position] = entry.xreplace(replacement)
            if value.free_symbols:
                raise GameError(f"payoff {self._describe(position)} still depends on "
                                f"{', '.join(sorted(s.name for s in value.free_symbols))}")
            try:
                numeric[position] = coerce_number(value, where=f"payoff {self._describe(position)}")
            except ValueError as error:
                raise GameError(str(error)) from None
        _refuse_near_ties(exact, numeric, self.players, self.strategies)
        return Game(self.players, self.strategies, numeric, title=self.title,
                    parameters=self.parameters, values=resolved)

    def _describe(self, position) -> str:
        return _position_text(position, self.players, self.strategies)

    def relabel(self, players=None, strategies=None, title=None) -> "Game":
        """Same payoffs, new labels."""
        return Game(players or self.players, strategies or self.strategies, self.payoffs,
                    title=self.title if title is None else title,
                    parameters=self.parameters, values=self.values)

    def to_float(self) -> "Game":
        """The same game with float payoffs."""
        if self.is_symbolic:
            raise GameError("substitute parameter values before converting to floats")
        return Game(self.players, self.strategies, self.payoffs.astype(float), title=self.title,
                    parameters=self.parameters, values=self.values)

    # ------------------------------------------------------------------ conversion
    def to_dict(self) -> dict:
        """JSON-ready description (schema ``negotiation.models.game/1``): labels, and payoffs per profile.

        Exact payoffs are strings such as ``"3/4"``; floats stay numbers;
        symbolic payoffs are their sympy string form.
        """
        entries = []
        for profile in itertools.product(*(range(n) for n in self.shape)):
            entries.append({
                "profile": {p: self.strategies[i][j] for i, (p, j) in enumerate(zip(self.players, profile))},
                "payoffs": {p: json_number(self.payoffs[profile + (i,)]) for i, p in enumerate(self.players)},
            })
        data = {
            "schema": SCHEMA,
            "title": self.title,
            "players": list(self.players),
            "strategies": {p: list(s) for p, s in zip(self.players, self.strategies)},
            "payoffs": entries,
        }
        if self.is_symbolic:
            data["parameters"] = list(self.parameters.names)
        if self.values:
            data["values"] = {k: json_number(v) for k, v in self.values.items()}
        return data

    @classmethod
    def from_dict(cls, data: Mapping, *, source: str = "<dict>") -> "Game":
        """Inverse of :meth:`to_dict`. Symbolic payoffs go through the safe expression parser."""
        try:
            if data.get("schema", SCHEMA) != SCHEMA:
                raise GameError(f"{source}: schema {data.get('schema')!r}, expected {SCHEMA!r}")
            strategies = {p: list(data["strategies"][p]) for p in data["players"]}
            check_profile_count([len(s) for s in strategies.values()], f"{source}: strategies")
            names = data.get("parameters", [])
            space = ParameterSpace.from_names(names)
            symbols = space.symbols
            table = {}
            for entry in data["payoffs"]:
                profile = tuple(entry["profile"][p] for p in data["players"])
                if profile in table:  # a dict would keep the last silently
                    raise GameError(f"{source}: payoffs: profile {profile} is given twice")
                table[profile] = tuple(
                    _fromjson_number(entry["payoffs"][p], symbols, f"{source}: payoff of {p} at {profile}")
                    for p in data["players"]
                )
        except (KeyError, TypeError, AttributeError) as error:
            raise GameError(f"{source}: not a negotiation.models.game/1 object (missing or malformed {error})") from None
        return cls.from_table(table, strategies, title=data.get("title", ""), parameters=space)

    # ------------------------------------------------------------------ display
    def __repr__(self) -> str:
        sizes = "×".join(str(n) for n in self.shape)
        title = f"{self.title!r}, " if self.title else ""
        return f"Game({title}{sizes}, players={list(self.players)}, {self.arithmetic})"

    def payoff_table(self) -> Table:
        """The payoffs as a table of labels: for two players the row player's strategies down, the column
        player's across and ``u_row, u_column`` in each cell; for more players one row per profile.

        Examples
        --------
        >>> from negotiation.core.document import Document, render_text
        >>> game = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("NATO", "Russia"),
        ...                         strategies=(("Restrain", "Deploy"), ("Restrain", "Deploy")))
        >>> print(render_text(Document("Payoffs", (game.payoff_table(),))))
        Payoffs
        <BLANKLINE>
        NATO \\ Russia  Restrain  Deploy
        -------------  --------  ------
        Restrain       3, 3      0, 5
        Deploy         5, 0      1, 1
        """
        if self.n_players == 2:
            corner = Cell(f"{self.players[0]} \\ {self.players[1]}",
                          f"{latex_escape(self.players[0])} \\textbackslash{{}} {latex_escape(self.players[1])}")
            rows = tuple((label, *(_payoff_cell(self.payoffs[i, j]) for j in range(self.shape[1])))
                         for i, label in enumerate(self.strategies[0]))
            return Table((corner, *self.strategies[1]), rows)
        header = (*self.players, *(f"payoff {p}" for p in self.players))
        rows = tuple((*(self.strategies[i][j] for i, j in enumerate(position)), *self.payoffs[position])
                     for position in itertools.product(*(range(n) for n in self.shape)))
        return Table(header, rows)

    def document(self) -> Document:
        """The game as a :class:`~negotiation.core.document.Document`: its title and its payoff table."""
        return Document(self.title or "Game", (self.payoff_table(),))

    def _repr_html_(self) -> str:
        return render_html(self.document())

    def _repr_markdown_(self) -> str:
        return render_markdown(self.document())


# ---------------------------------------------------------------------- helpers
def _check_labels(players, strategies) -> tuple:
    """``(players, strategies)`` checked and in NFKC (:mod:`negotiation.core.labels`)."""
    if not players:
        raise GameError("a game needs at least one player")
    for player in players:
        if not isinstance(player, str) or not player.strip():
            raise GameError(f"player labels must be non-empty strings, got {player!r}")
    players = normalise_labels(players, where="players", what="player label", error=GameError)
    if len(set(players)) != len(players):
        dup = next(p for p in players if players.count(p) > 1)
        raise GameError(f"duplicate player label {dup!r}")
    if len(strategies) != len(players):
        raise GameError(f"{len(players)} players but strategy labels for {len(strategies)}")
    for player, labels in zip(players, strategies):
        if not labels:
            raise GameError(f"player {player!r} has no strategies")
        for label in labels:
            if not isinstance(label, str) or not label.strip():
                raise GameError(f"strategy labels of {player!r} must be non-empty strings, got {label!r}")
        if len(set(labels)) != len(labels):
            dup = next(s for s in labels if labels.count(s) > 1)
            raise GameError(f"duplicate strategy label {dup!r} for player {player!r}")
    strategies = tuple(normalise_labels(labels, where=f"strategies of {player}", what="strategy label", error=GameError)
                       for player, labels in zip(players, strategies))
    return players, strategies


def _map(array, function, dtype):
    out = np.empty(array.shape, dtype=dtype)
    for position, entry in np.ndenumerate(array):
        out[position] = function(entry)
    return out


def _normalise_payoffs(raw, players, strategies):
    """Coerce every entry; return (array, kind)."""
    symbolic = any(_is_sympy(e) and getattr(e, "free_symbols", None) for e in raw.flat)
    entries = np.empty(raw.shape, dtype=object)
    any_float = False
    for position, entry in np.ndenumerate(raw):
        where = "payoff " + _position_text(position, players, strategies)
        if symbolic and _is_sympy(entry):
            import sympy

            if entry.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
                raise GameError(f"{where}: {entry} is not finite")
            entries[position] = entry
            continue
        try:
            value = coerce_number(entry, where=where)
        except ValueError as error:
            raise GameError(str(error)) from None
        any_float |= isinstance(value, float)
        entries[position] = value
    if any_float:
        _refuse_near_ties(raw, entries, players, strategies)
    if symbolic:
        import sympy

        def to_sympy(value):
            if _is_sympy(value):
                return value
            if isinstance(value, Fraction):
                return sympy.Rational(value.numerator, value.denominator)
            return sympy.Float(value)

        return _map(entries, to_sympy, object), "symbolic"
    if any_float:
        for position, value in np.ndenumerate(entries):
            if isinstance(value, Fraction) and abs(value) > _FLOAT_MAX:  # a float game holds every payoff as a float
                digits = len(str(abs(int(value)))) - 1
                raise GameError(f"payoff {_position_text(position, players, strategies)}: about 1e{digits} is "
                                "beyond the float range, and other payoffs are floats (irrational or written as "
                                "floats): give them all as exact rationals, or rescale the payoffs")
        return entries.astype(float), "float"
    return entries, "exact"


def _refuse_near_ties(exact, numeric, players, strategies) -> None:
    """A one-line error where two of a player's payoffs differ exactly but by less than the float solvers'
    tolerance (``exp(1/1000)`` and ``1 + 1/1000 + 1/2000000``): the float game would tie them and report a
    dominated strategy as an equilibrium."""
    for player in range(exact.shape[-1]):
        positions = list(np.ndindex(exact.shape[:-1]))
        tie = find_near_tie([exact[(*p, player)] for p in positions], [numeric[(*p, player)] for p in positions])
        if tie is not None:
            first, second = ("(" + ", ".join(strategies[i][j] for i, j in enumerate(positions[k])) + ")"
                             for k in tie[:2])
            raise GameError(f"the payoffs of {players[player]} at {first} and {second} differ by {tie[2]}, less than "
                            "the tolerance of float arithmetic, which would take them as equal; give the payoffs as "
                            "exact rationals (fractions or decimals) to solve the game exactly")


def _payoff_cell(payoffs) -> Cell:
    """``3/4, -1`` (in LaTeX ``$\\frac{3}{4}$, $-1$``): each player's payoff in one profile."""
    return Cell(", ".join(format_number(v) for v in payoffs), ", ".join(f"${latex_number(v)}$" for v in payoffs))


def _position_text(position, players, strategies) -> str:
    labels = ", ".join(strategies[i][j] for i, j in enumerate(position[:-1]))
    return f"({labels}) of {players[position[-1]]}"


def _fromjson_number(value, symbols, where):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            number = fraction_from_text(value, where)  # its size checked before it is computed
        except ZeroDivisionError:
            raise GameError(f"{where}: {value!r} divides by zero") from None
        if number is not None:
            return number
        # The expression parser is imported by name, on the first formula: it imports sympy (about 0.3 s), which
        # a game of numbers never needs (ARCHITECTURE.md, "Layers": the fifth by-name place).
        return importlib.import_module("negotiation.core.expressions").parse_expression(value, symbols, where=where)
    raise GameError(f"{where}: expected a number or an expression string, got {value!r}")
