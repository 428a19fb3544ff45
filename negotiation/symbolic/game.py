"""Symbolic analysis of strategic-form games: where each equilibrium holds.

:func:`derive_game` (``derive(game)``) returns a :class:`Derivation`: for each pure profile the
region where it is a Nash equilibrium (:func:`pure_conditions`, any number of players), for each
pair of equal-size supports of a two-player game the mixed equilibrium in closed form with its
region (:func:`mixed_solutions`), the classic-game regions of a symmetric 2×2 game and the
thresholds where the equilibria change (:mod:`negotiation.symbolic.regions`). Regions are
simplified soundly in a :class:`~negotiation.symbolic.conditions.Context`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import sympy

from negotiation.core.document import Cell, Document, Table, Text, latex_escape
from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import format_number, json_number
from negotiation.core.parameters import ParameterSpace
from negotiation.models.game import Game
from negotiation.results.base import Result
from negotiation.symbolic.conditions import Context, fix_parameters
from negotiation.symbolic.front_door import derive
from negotiation.symbolic.inequalities import Condition
from negotiation.symbolic.regions import (BOUNDARY, CLASSES, boundary_labels, classic_payoffs, classification_regions,
                                          find_thresholds)
from negotiation.symbolic.simplify import bounded_derivation, evaluate, expand_for_derivation, tidy, to_sympy_number

__all__ = ["Derivation", "derive_game", "PureCondition", "MixedSolution", "pure_conditions", "mixed_solutions"]

#: At most this many support pairs get closed forms (a 6×6 game has 923).
MAX_SUPPORT_PAIRS = 1000
#: The schema of :meth:`Derivation.to_dict`.
SCHEMA = "negotiation.derivation/1"


# ---------------------------------------------------------------------- the result
@dataclass(frozen=True, eq=False)
class Derivation(Result):
    """The symbolic equilibrium conditions of a parameterised game (result of :func:`derive`).

    Attributes
    ----------
    title : str
    players : tuple of str
    strategies : dict
        Player label -> tuple of strategy labels.
    free : ParameterSpace
        The free parameters (those not fixed by ``values``), with ranges and defaults.
    parameters : dict
        Parameters fixed before deriving (name -> number); also :attr:`values`.
    assumptions : tuple of str
        The scenario's assumptions that still constrain the free parameters.
    pure : tuple of PureCondition
        One per pure profile: labelled profile, payoffs, condition.
    mixed : tuple of MixedSolution
        One per pair of equal-size supports (two-player games): probabilities, payoffs, condition.
    classification : dict
        Class name -> Condition, for symmetric 2×2 games with a cooperative strategy; else empty.
    classic_payoffs : dict or None
        ``{"R": …, "S": …, "T": …, "P": …}`` when ``classification`` is given.
    cooperate : str or None
        The cooperative strategy used for the classification.
    thresholds : tuple of Threshold
    notes : tuple of str
        What was not derived, and why (also :attr:`messages`).
    complete : bool
        Every region was derived (no note).
    """

    title: str
    players: tuple
    strategies: dict
    free: ParameterSpace
    assumptions: tuple
    pure: tuple
    mixed: tuple
    parameters: Mapping = field(default_factory=dict)
    classification: dict = field(default_factory=dict)
    classic_payoffs: dict | None = None
    cooperate: str | None = None
    thresholds: tuple = ()
    notes: tuple = ()
    complete: bool = True

    method = "symbolic"
    exact = True
    _leading = ("schema", "title", "players", "strategies")

    @property
    def values(self) -> Mapping:
        """The parameters fixed before deriving (the same as :attr:`parameters`)."""
        return self.parameters

    @property
    def messages(self) -> tuple:
        return tuple(self.notes)

    def classify(self, values: Mapping) -> str | None:
        """The class whose region contains ``values`` (``None`` without a classification)."""
        for name, region in self.classification.items():
            if region.holds(values):
                return name
        return None

    def equilibria_at(self, values: Mapping) -> list:
        """The equilibria the derivation predicts at ``values``: ``{player: {strategy: probability}}`` each."""
        out = []
        for pure in self.pure:
            if pure.condition.holds(values):
                out.append({p: {s: (1 if s == pure.profile[p] else 0) for s in labels}
                            for p, labels in self.strategies.items()})
        for mixed in self.mixed:
            if mixed.condition.holds(values):
                out.append(mixed.profile_at(values))
        return out

    def on_boundary(self, values: Mapping) -> bool:
        """Whether ``values`` lies on the border of some derived region (an equality holds)."""
        regions = [p.condition for p in self.pure] + [m.condition for m in self.mixed]
        regions += list(self.classification.values())
        return any(region.on_boundary(values) for region in regions)

    # ------------------------------------------------------------------ the protocol
    def to_records(self) -> list[dict]:
        """One dict per derived region (``kind``: classification, pure, mixed) and per threshold."""
        records = [{"kind": "classification", "label": name, "holds where": str(region)}
                   for name, region in self.classification.items()]
        for entry in self.pure:
            records.append({"kind": "pure", "label": entry.label,
                            **{f"payoff {p}": sympy.sstr(v) for p, v in entry.payoffs.items()},
                            "holds where": str(entry.condition)})
        for entry in self.mixed:
            records.append({"kind": "mixed", "label": entry.label,
                            **{f"{p}: {s}": sympy.sstr(x) for p, mix in entry.probabilities.items() for s, x in mix.items()},
                            **{f"payoff {p}": sympy.sstr(v) for p, v in entry.payoffs.items()},
                            "holds where": str(entry.condition)})
        for t in self.thresholds:
            records.append({"kind": "threshold", "label": t.label, "parameter": t.parameter,
                            "expression": sympy.sstr(t.expression), "value": t.value, "holds where": t.boundary})
        return records

    def document(self) -> Document:
        """What ``negotiation derive`` prints: the ranges and assumptions, the classic-game regions, the pure and
        mixed equilibria with their regions, and the thresholds (regions in LaTeX math in every table)."""
        blocks = [Text(tuple(_heading(self)))]
        if self.classification:
            blocks.append(_classification_table(self))
        blocks.append(_pure_table(self))
        if self.mixed:
            blocks.append(_mixed_table(self))
        if self.thresholds:
            blocks.append(Text(tuple(_threshold_lines(self))))
        return Document(f"{self.title or 'Game'}: where each equilibrium holds", tuple(blocks), notes=self.messages)

    def _content(self) -> dict:
        """The JSON object of schema ``negotiation.derivation/1``; expressions and exact numbers as strings.

        Examples
        --------
        >>> import negotiation as ng
        >>> data = ng.derive(ng.load("security_dilemma")).to_dict()
        >>> data["classification"]["regions"]["Prisoner's Dilemma"]["text"]
        'G*phi*(-omega**2*v + omega*v) < G*omega*v - k and omega*(L*(1 - phi) - W) > k and W*omega + k > 0'
        """
        classification = None
        if self.classification:
            classification = {
                "cooperate": self.cooperate,
                "payoffs": {k: sympy.sstr(v) for k, v in self.classic_payoffs.items()},
                "regions": {name: region.to_dict() for name, region in self.classification.items()},
            }
        return {
            "schema": SCHEMA,
            "title": self.title,
            "players": list(self.players),
            "strategies": {p: list(s) for p, s in self.strategies.items()},
            "parameters": {p.name: {"low": _number(p.low), "high": _number(p.high), "default": _number(p.default)}
                           for p in self.free},
            "values": {k: _number(v) for k, v in self.parameters.items()},
            "assumptions": list(self.assumptions),
            "classification": classification,
            "pure": [{"profile": dict(entry.profile),
                      "payoffs": {p: sympy.sstr(v) for p, v in entry.payoffs.items()},
                      "condition": entry.condition.to_dict()} for entry in self.pure],
            "mixed": [{"support": {p: list(s) for p, s in entry.support.items()},
                       "probabilities": {p: {s: sympy.sstr(x) for s, x in mix.items()}
                                         for p, mix in entry.probabilities.items()},
                       "payoffs": {p: sympy.sstr(v) for p, v in entry.payoffs.items()},
                       "condition": entry.condition.to_dict()} for entry in self.mixed],
            "thresholds": [t.to_dict() for t in self.thresholds],
            "notes": list(self.notes),
        }


# ---------------------------------------------------------------------- what a derivation says
# The sections keep the layout of the terminal report (indented labels, the region on its own line);
# each line is a cell, so that LaTeX, HTML and Markdown show the regions as formulas.
def _number(value):
    return None if value is None else (float(value) if isinstance(value, float) else json_number(value))


def _range_text(parameter) -> str:
    low = "-oo" if parameter.low is None else format_number(parameter.low)
    high = "oo" if parameter.high is None else format_number(parameter.high)
    return f"[{low}, {high}]"


def _heading(derivation) -> list:
    lines = []
    if len(derivation.free):
        lines.append("Parameters: " + ", ".join(f"{p.name} in {_range_text(p)}" for p in derivation.free))
    if derivation.parameters:
        lines.append("Fixed: " + ", ".join(f"{k} = {format_number(v)}" for k, v in derivation.parameters.items()))
    if derivation.assumptions:
        lines.append("Assumptions: " + "; ".join(derivation.assumptions))
    if len(derivation.free):
        lines.append("Conditions are simplified under these ranges and assumptions.")
    return lines


def _region(condition, prefix: str = "") -> Cell:
    """The region on its own indented line (``holds where: …`` with a prefix)."""
    return Cell(f"      {prefix}{condition}", f"{latex_escape(prefix)}${condition.to_latex()}$")


def _ordering(name: str) -> tuple[str, str]:
    if name == BOUNDARY:
        return "T = R or P = S", r"T = R \text{ or } P = S"
    text = ", ".join(f"{a} {r} {b}" for a, r, b in CLASSES[name])
    return text, text.replace(">=", r"\geq")


def _classification_table(derivation) -> Table:
    cooperate = derivation.cooperate
    other = next(s for s in derivation.strategies[derivation.players[0]] if s != cooperate)
    names = {"R": (cooperate, cooperate), "S": (cooperate, other), "T": (other, cooperate), "P": (other, other)}
    width = max(len(f"u({a}, {b})") for a, b in names.values())
    rows = []
    for letter, (a, b) in names.items():
        value = derivation.classic_payoffs[letter]
        rows.append((Cell(f"  {letter} = {f'u({a}, {b})'.ljust(width)} = {sympy.sstr(value)}",
                          f"${letter} = u(\\text{{{latex_escape(a)}}}, \\text{{{latex_escape(b)}}}) = "
                          f"{sympy.latex(value)}$"),))
    rows.append(("Regions:",))
    for name, region in derivation.classification.items():
        text, latex = _ordering(name)
        rows.append((Cell(f"  {name} ({text}):", f"{latex_escape(name)} (${latex}$)"),))
        rows.append((_region(region),))
    heading = Cell(f"Classic game (symmetric 2×2; C = {cooperate}, D = {other}; row player's payoffs):",
                   f"Classic game (symmetric $2 \\times 2$; C = {latex_escape(cooperate)}, D = {latex_escape(other)}; "
                   "row player's payoffs)")
    return Table((heading,), tuple(rows))


def _payoffs(payoffs: dict) -> Cell:
    return Cell(", ".join(f"{p} {sympy.sstr(v)}" for p, v in payoffs.items()),
                ", ".join(f"{latex_escape(p)} ${sympy.latex(v)}$" for p, v in payoffs.items()))


def _pure_table(derivation) -> Table:
    rows = []
    for entry in derivation.pure:
        payoffs = _payoffs(entry.payoffs)
        rows.append((Cell(f"  {entry.label}, payoffs {payoffs.text}:", f"{latex_escape(entry.label)}, payoffs {payoffs.latex}"),))
        rows.append((_region(entry.condition),))
    return Table(("Pure equilibria (no player gains by deviating):",), tuple(rows))


def _mixed_table(derivation) -> Table:
    rows = []
    impossible = [entry for entry in derivation.mixed if entry.condition.never]
    for entry in (entry for entry in derivation.mixed if not entry.condition.never):
        rows.append((Cell(f"  {entry.label}:", latex_escape(entry.label)),))
        for player, mix in entry.probabilities.items():
            shown = [(s, x) for s, x in mix.items() if x != 0]
            rows.append((Cell(f"      {player}: " + ", ".join(f"{s} {sympy.sstr(x)}" for s, x in shown),
                              f"{latex_escape(player)}: " + ", ".join(
                                  f"$\\Pr(\\text{{{latex_escape(s)}}}) = {sympy.latex(x)}$" for s, x in shown)),))
        if _is_classic_mix(derivation, entry):
            rows.append((Cell(f"      (each: {derivation.cooperate} with probability (P - S)/((R - T) + (P - S)))",
                              f"(each: {latex_escape(derivation.cooperate)} with probability $\\frac{{P - S}}{{(R - T) + (P - S)}}$)"),))
        payoffs = _payoffs(entry.payoffs)
        rows.append((Cell(f"      payoffs: {payoffs.text}", f"payoffs: {payoffs.latex}"),))
        rows.append((_region(entry.condition, "holds where: "),))
    if impossible:
        rows.append((f"  No equilibrium under the parameter ranges and assumptions on {len(impossible)} other "
                     "support pair(s): " + "; ".join(f"({entry.label})" for entry in impossible[:5])
                     + (" …" if len(impossible) > 5 else ""),))
    return Table(("Mixed equilibria (probabilities make the other player indifferent on its support):",), tuple(rows))


def _threshold_lines(derivation) -> list:
    lines = ["Thresholds (where the two sides of a condition are equal; "
             "value with the other parameters at their defaults):"]
    rows = []
    for t in derivation.thresholds:
        value = "undefined at the defaults" if t.value is None else format_number(t.value)
        if t.in_range is False:
            value += f" (outside {_range_text(derivation.free[t.parameter])})"
        where = f"{t.label}: {t.boundary}" if t.label else t.boundary
        rows.append((f"{t.parameter} = {sympy.sstr(t.expression)}", value, where))
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    lines += [f"  {formula.ljust(widths[0])}  = {value.ljust(widths[1])}  where {where}" for formula, value, where in rows]
    defaults = [f"{p.name} = {format_number(p.default)}" for p in derivation.free if p.default is not None]
    if defaults:
        lines.append("  Defaults: " + ", ".join(defaults))
    return lines


def _is_classic_mix(derivation, entry) -> bool:
    """Whether both players' probability of cooperating is q* = (P−S)/((R−T)+(P−S)) [@Jervis1978]."""
    if not derivation.classic_payoffs:
        return False
    R, S, T, P = (derivation.classic_payoffs[k] for k in "RSTP")
    q_star = (P - S) / ((R - T) + (P - S))
    try:
        return all(sympy.cancel(mix[derivation.cooperate] - q_star) == 0 for mix in entry.probabilities.values())
    except (sympy.PolynomialError, TypeError):
        return False


# ---------------------------------------------------------------------- deriving
@derive.register(Game)
@bounded_derivation
def derive_game(game, values: Mapping | None = None, *, method: str = "auto", assumptions=(), name: str | None = None,
                title: str | None = None, cooperate: str | None = None, thresholds_for=None,
                budget: float = 3.0) -> Derivation:
    """Derive the equilibrium conditions of a parameterised strategic game.

    Parameters
    ----------
    game : Game
        A symbolic game; its declared parameter ranges are used. ``derive(scenario)`` passes the
        scenario's ``assumptions``, its file as ``name``, its ``title`` and its cooperative strategy.
    values : mapping, optional
        Parameters to fix first (name -> number, e.g. ``{"omega": "1/2"}``); the derivation
        is then in the others. Checked against the ranges and assumptions.
    method : str
        ``"auto"`` (there is one method).
    assumptions : tuple of Assumption
        Conditions on the parameters the regions are simplified under.
    name, title : str, optional
        What errors name (the scenario file) and the title of the derivation.
    cooperate : str, optional
        Cooperative strategy for the classification of a symmetric 2×2 game (a scenario
        declares its own).
    thresholds_for : iterable of str, optional
        Report thresholds for these parameters only (default: all free parameters).
    budget : float
        Seconds allowed for optional ``sympy.simplify`` calls (the result is correct without them).

    Returns
    -------
    Derivation

    Raises
    ------
    NegotiationError
        Unknown parameter, value outside its range, an assumption that fails at ``values``,
        or a model that is not a strategic game.

    Examples
    --------
    >>> import sympy
    >>> from negotiation import Game, Parameter, ParameterSpace
    >>> from negotiation.symbolic import derive
    >>> space = ParameterSpace((Parameter("c", 2, 0, 10),))
    >>> c = space.symbols["c"]
    >>> game = Game.from_arrays([[3, 0], [c, 1]], [[3, c], [0, 1]], parameters=space,
    ...                         strategies=(("Restrain", "Deploy"),) * 2)
    >>> derivation = derive(game, cooperate="Restrain")
    >>> str(derivation.classification["Stag Hunt"])
    'c < 3'
    >>> mixed = derivation.mixed[0]
    >>> mixed.probabilities["Player 1"]["Restrain"], str(mixed.condition)
    (1/(4 - c), 'c < 3')
    """
    space = game.parameters
    title = title if title is not None else game.title
    name = name or title or "game"
    setting = fix_parameters(space, assumptions, values, name=name, error=NegotiationError, budget=budget)
    fixed, replacement, free, context = setting.fixed, setting.replacement, setting.free, setting.context

    payoffs = game.payoffs
    if game.is_symbolic:  # shared derived quantities expanded (size checked), fixed parameters replaced
        substituted = np.empty(payoffs.shape, dtype=object)
        for position, entry in np.ndenumerate(payoffs):
            entry = expand_for_derivation(entry, name)
            substituted[position] = entry.xreplace(replacement) if replacement else entry
        payoffs = substituted
    if any(isinstance(e, sympy.Basic) and e.free_symbols for e in payoffs.flat):
        game = Game(game.players, game.strategies, payoffs, title=game.title, parameters=free)
    elif replacement:
        game = Game(game.players, game.strategies, payoffs, title=game.title)

    notes = []
    pure = pure_conditions(game, context)
    mixed = mixed_solutions(game, context, notes)
    if game.n_players > 2:
        notes.append("mixed equilibria are derived for two-player games only; "
                     "pure-profile conditions are given for every profile")
    classic = classic_payoffs(game, cooperate)
    classification = classification_regions(classic, context) if classic else {}

    named = {}
    for name_, region in classification.items():
        named[f"classification: {name_}"] = region
    for entry in pure:
        named[f"pure {entry.label}"] = entry.condition
    for entry in mixed:
        named[f"mixed ({entry.label})"] = entry.condition
    if thresholds_for is not None:
        unknown = [p for p in thresholds_for if p not in space.names]
        if unknown:
            raise NegotiationError(f"{name}: unknown parameter {unknown[0]!r} (declared: {', '.join(space.names)})")
    defaults = {k: v for k, v in setting.reference.items() if k not in fixed}
    thresholds = find_thresholds(named, context, free, defaults, boundary_labels(classic, context), thresholds_for)
    return Derivation(
        title=title, players=game.players,
        strategies={p: tuple(s) for p, s in zip(game.players, game.strategies)},
        free=free, parameters=fixed, assumptions=setting.assumption_texts,
        pure=pure, mixed=mixed, classification=classification,
        classic_payoffs=({k: tidy(v, context.reference) for k, v in classic.items()} if classic else None),
        cooperate=cooperate if classic else None, thresholds=thresholds, notes=tuple(notes), complete=not notes,
    )


# ---------------------------------------------------------------------- equilibrium conditions
@dataclass(frozen=True, eq=False)
class PureCondition:
    """Where one pure profile is a Nash equilibrium.

    Attributes
    ----------
    profile : dict
        Player label -> strategy label.
    payoffs : dict
        Player label -> payoff (sympy expression).
    condition : Condition
        Conjunction of "no player gains by deviating" (weak inequalities), simplified.
    """

    profile: dict
    payoffs: dict
    condition: Condition

    @property
    def label(self) -> str:
        return "(" + ", ".join(self.profile.values()) + ")"


@dataclass(frozen=True, eq=False)
class MixedSolution:
    """The equilibrium of a two-player game on one pair of supports, in closed form.

    Attributes
    ----------
    support : dict
        Player label -> tuple of strategy labels played with positive probability.
    probabilities : dict
        Player label -> {strategy label: probability (sympy expression)}; zero off the support.
    payoffs : dict
        Player label -> expected payoff (sympy expression).
    condition : Condition
        Where this is an equilibrium: every probability on the support positive and no
        strategy outside the support a profitable deviation.
    """

    support: dict
    probabilities: dict
    payoffs: dict
    condition: Condition

    @property
    def label(self) -> str:
        return "; ".join(f"{player} mixes {', '.join(labels)}" for player, labels in self.support.items())

    def profile_at(self, values: Mapping) -> dict:
        """``{player: {strategy: probability}}`` at ``values`` (exact where the values are)."""
        return {player: {s: evaluate(p, values) for s, p in mix.items()}
                for player, mix in self.probabilities.items()}


def pure_conditions(game, context: Context) -> tuple:
    """For every pure profile, the region where it is a Nash equilibrium (any number of players).

    The condition is the conjunction over players ``i`` and strategies ``t`` of
    ``u_i(s) - u_i(t, s_-i) >= 0``, simplified in ``context``.

    Examples
    --------
    >>> import sympy
    >>> from negotiation.models.game import Game
    >>> c = sympy.Symbol("c", nonnegative=True)
    >>> game = Game.from_arrays([[2, 0], [c, 1]], [[2, c], [0, 1]])
    >>> context = Context([c], {c: (0, 5)})
    >>> [(p.label, str(p.condition)) for p in pure_conditions(game, context)]  # doctest: +NORMALIZE_WHITESPACE
    [('(1, 1)', 'c <= 2'), ('(1, 2)', 'never (under the parameter ranges and assumptions)'),
     ('(2, 1)', 'never (under the parameter ranges and assumptions)'),
     ('(2, 2)', 'always (under the parameter ranges and assumptions)')]
    """
    payoffs = game.payoffs
    out = []
    for position in itertools.product(*(range(n) for n in game.shape)):
        comparisons = []
        for player in range(game.n_players):
            own = payoffs[position + (player,)]
            for alternative in range(game.shape[player]):
                if alternative == position[player]:
                    continue
                deviation = list(position)
                deviation[player] = alternative
                comparisons.append((_sym(own) - _sym(payoffs[tuple(deviation) + (player,)]), ">="))
        profile = {p: game.strategies[i][j] for i, (p, j) in enumerate(zip(game.players, position))}
        shown = {p: tidy(_sym(payoffs[position + (i,)]), context.reference) for i, p in enumerate(game.players)}
        out.append(PureCondition(profile, shown, context.condition([comparisons])))
    return tuple(out)


def _sym(value):
    return to_sympy_number(value) if not isinstance(value, sympy.Basic) else value


def _cramer(matrix):
    """Determinants ``D`` and ``N_k`` (column ``k`` replaced by the last unit vector) of a square system."""
    size = matrix.shape[0]
    rhs = sympy.Matrix([0] * (size - 1) + [1])
    determinant = sympy.expand(matrix.det(method="berkowitz"))
    numerators = []
    for column in range(size):
        replaced = matrix.copy()
        replaced[:, column] = rhs
        numerators.append(sympy.expand(replaced.det(method="berkowitz")))
    return determinant, numerators


def mixed_solutions(game, context: Context, notes: list | None = None) -> tuple:
    """Closed-form mixed equilibria of a two-player game, one per pair of equal-size supports (≥ 2).

    For supports ``I`` (player 1) and ``J`` (player 2), player 2's probabilities ``y`` make
    player 1 indifferent on ``I``: ``(A y)_i = u`` for ``i`` in ``I``, ``sum(y) = 1``.
    By Cramer's rule ``y_j = N_j / D`` and ``u = U / D`` with polynomial ``N_j, U, D`` and
    ``sum(N_j) = D``, so "``y_j > 0`` for all ``j``" is "all ``N_j > 0`` or all ``N_j < 0``"
    and "no ``i`` outside ``I`` is better" is ``(A N)_i - U <= 0`` (times the sign of ``D``).
    The same for player 1's probabilities ``x``. Supports whose indifference equations are
    singular for all parameter values are not listed; a sentence naming them is appended to
    ``notes`` (a list) if given.

    Examples
    --------
    >>> import sympy
    >>> from negotiation.models.game import Game
    >>> c = sympy.Symbol("c", nonnegative=True)
    >>> game = Game.from_arrays([[2, 0], [c, 1]], [[2, c], [0, 1]])
    >>> (solution,) = mixed_solutions(game, Context([c], {c: (0, 5)}))
    >>> solution.probabilities["Player 1"], str(solution.condition)
    ({'1': 1/(3 - c), '2': (2 - c)/(3 - c)}, 'c < 2')
    """
    if game.n_players != 2:
        return ()
    A = game.payoffs[..., 0]
    B = game.payoffs[..., 1]
    rows, columns = game.shape
    pairs = [(I, J) for size in range(2, min(rows, columns) + 1)
             for I in itertools.combinations(range(rows), size)
             for J in itertools.combinations(range(columns), size)]
    if len(pairs) > MAX_SUPPORT_PAIRS:
        if notes is not None:
            notes.append(f"{len(pairs)} support pairs exceed the limit of {MAX_SUPPORT_PAIRS} for closed forms; "
                         "mixed equilibria not derived (fix some parameters or solve numerically)")
        return ()
    out, singular = [], []
    for I, J in pairs:
        solution = _support_pair(game, A, B, I, J, context)
        if solution is not None:
            out.append(solution)
        else:
            singular.append("(" + "; ".join(f"{p}: {', '.join(game.strategies[k][i] for i in S)}"
                                            for k, (p, S) in enumerate(zip(game.players, (I, J)))) + ")")
    if singular and notes is not None:
        shown = ", ".join(singular[:3]) + (f" and {len(singular) - 3} more" if len(singular) > 3 else "")
        notes.append(f"{len(singular)} support pair(s) with indifference equations singular for every parameter "
                     f"value, not derived (equilibria there, if any, form a continuum): {shown}")
    return tuple(out)


def _branches(payoff, own, other, outside, transpose: bool):
    """Sign branches for the mixing player ("other") on its support, and the deviation tests.

    ``payoff[i][j]`` is the indifferent player's payoff; ``own`` its support (rows when
    ``transpose`` is False), ``other`` the mixing player's support.
    """
    size = len(own)
    matrix = sympy.zeros(size + 1, size + 1)
    for r, i in enumerate(own):
        for c, j in enumerate(other):
            matrix[r, c] = _sym(payoff[j, i] if transpose else payoff[i, j])
        matrix[r, size] = -1
    for c in range(size):
        matrix[size, c] = 1
    determinant, numerators = _cramer(matrix)
    if determinant == 0:
        return None
    probabilities = numerators[:size]
    value = numerators[size]
    deviations = []
    for i in outside:
        gain = sum(_sym(payoff[j, i] if transpose else payoff[i, j]) * n
                   for j, n in zip(other, probabilities)) - value
        deviations.append(sympy.expand(gain))
    plus = [(n, ">") for n in probabilities] + [(g, "<=") for g in deviations]
    minus = [(n, "<") for n in probabilities] + [(g, ">=") for g in deviations]
    return determinant, probabilities, value, plus, minus


def _support_pair(game, A, B, I, J, context):
    rows, columns = game.shape
    y = _branches(A, I, J, [i for i in range(rows) if i not in I], transpose=False)
    x = _branches(B, J, I, [j for j in range(columns) if j not in J], transpose=True)
    if y is None or x is None:
        return None
    d_y, n_y, u_y, y_plus, y_minus = y
    d_x, n_x, u_x, x_plus, x_minus = x
    alternatives = [y_branch + x_branch for y_branch in (y_plus, y_minus) for x_branch in (x_plus, x_minus)]
    condition = context.condition(alternatives)
    first, second = game.players
    probabilities = {
        first: {s: (tidy(n_x[I.index(k)] / d_x, context.reference, context.budget) if k in I else sympy.Integer(0))
                for k, s in enumerate(game.strategies[0])},
        second: {s: (tidy(n_y[J.index(k)] / d_y, context.reference, context.budget) if k in J else sympy.Integer(0))
                 for k, s in enumerate(game.strategies[1])},
    }
    payoffs = {first: tidy(u_y / d_y, context.reference, context.budget),
               second: tidy(u_x / d_x, context.reference, context.budget)}
    support = {first: tuple(game.strategies[0][i] for i in I), second: tuple(game.strategies[1][j] for j in J)}
    return MixedSolution(support, probabilities, payoffs, condition)
