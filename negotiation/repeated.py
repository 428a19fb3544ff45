"""Repeated games: trigger strategies, minmax values, the folk theorem, finite repetition.

* Grim trigger (Friedman 1971): play the target profile until someone deviates,
  then play a stage-game Nash equilibrium forever. Player ``i`` (target payoff
  ``v_i``, best one-shot deviation ``d_i``, punishment payoff ``p_i``) does not
  deviate iff ``v_i/(1-δ) >= d_i + δ p_i/(1-δ)``, i.e. ``δ >= (d_i - v_i)/(d_i - p_i)``.
* Tit-for-tat (Axelrod 1984): collectively stable in the symmetric 2×2 game with
  cooperative payoff ``R``, temptation ``T``, punishment ``P`` and sucker's payoff
  ``S`` iff ``w >= max{(T-R)/(T-P), (T-R)/(R-S)}``.
* Folk theorem (Fudenberg & Maskin 1986): the feasible, individually rational
  payoffs are the convex hull of the pure payoff vectors intersected with
  ``{u >= minmax}``; with two players every feasible payoff strictly above the
  minmax values is a subgame-perfect equilibrium payoff for ``δ`` close to 1,
  with three or more players when that set is full-dimensional
  (:func:`folk_theorem`).
* Finite repetition (:func:`finitely_repeated`): with a unique stage
  equilibrium, backward induction gives a unique subgame-perfect equilibrium
  that plays it in every round; with several stage equilibria, the
  reward/punishment construction of Benoît & Krishna (1985) sustains other
  profiles in the early rounds.
* Scenario files: :func:`analyse_repetition` answers a ``[repetition]`` section
  (:mod:`negotiation.scenario.repeated`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from negotiation.results.base import Tabular
from negotiation.core.geometry import clip, convex_hull
from negotiation.core.linalg import rank_exact, solve_exact
from negotiation.core.numeric import coerce_number, format_number, json_number, is_sympy as _is_sympy
from negotiation.core.errors import NegotiationError, SolverLimitError

__all__ = ["grim_trigger_threshold", "tit_for_tat_threshold", "minmax_values",
           "feasible_individually_rational_set", "RepeatedGameError",
           "MinmaxProfile", "ProfileSustainability", "FolkTheoremResult", "folk_theorem",
           "FiniteTarget", "FiniteRepetitionResult", "finitely_repeated",
           "StrategyThreshold", "RepeatedAnalysis", "analyse_repetition", "FOLK_VERDICTS"]

TOLERANCE = 1e-7


class RepeatedGameError(NegotiationError):
    """Bad input to a repeated-game analysis (one line naming the argument and what was expected)."""


# ---------------------------------------------------------------------- comparisons
def _compare(a, b, at):
    """``a > b`` decided exactly, or for symbolic values by sympy, else at the sample point ``at``."""
    difference = a - b
    if not _is_sympy(difference):
        return difference > 0
    import sympy

    if at:  # the ordering at the sample point is the one the result is valid for; cheap to decide
        value = difference.xreplace(at)
        if value.is_number:
            return bool(value > 0)
    difference = sympy.simplify(difference)
    decided = (difference > 0)
    if decided in (sympy.true, sympy.false):
        return bool(decided)
    if at:
        value = difference.subs(at)
        if value.is_number:
            return bool(value > 0)
    raise RepeatedGameError(
        f"cannot decide whether {difference} > 0; pass parameter values `at=` (or declare defaults) "
        "for the ordering of payoffs"
    )


def _sample_point(game, at):
    if not game.is_symbolic:
        return {}
    point = dict(game.parameters.defaults)
    if at:
        point.update({str(k): v for k, v in at.items()})
    symbols = game.symbols
    return {symbols[k]: _sympy_number(v, k) for k, v in point.items() if k in symbols}


def _sympy_number(value, name):
    import sympy

    if _is_sympy(value):
        return value
    try:
        number = coerce_number(value, where=f"parameter {name}")
    except ValueError as error:
        raise RepeatedGameError(str(error)) from None
    if isinstance(number, Fraction):
        return sympy.Rational(number.numerator, number.denominator)
    return sympy.Float(number)


def _profile_position(game, profile):
    if isinstance(profile, str):
        profile = (profile,)
    profile = tuple(profile)
    if len(profile) != game.n_players:
        raise RepeatedGameError(f"a profile names one strategy for each of {game.n_players} players, "
                                f"got {profile}")
    return tuple(s if isinstance(s, int) and not isinstance(s, bool) else game.strategy_index(p, s)
                 for p, s in enumerate(profile))


def _labels(game, position) -> tuple:
    return tuple(game.strategies[i][k] for i, k in enumerate(position))


def _best_deviation(game, position, i, at):
    u = game.payoff_array(i)
    best = u[position]
    for k in range(game.shape[i]):
        other = position[:i] + (k,) + position[i + 1:]
        if _compare(u[other], best, at):
            best = u[other]
    return best


def _pure_nash(game, at):
    result = []
    for position in np.ndindex(*game.shape):
        if all(not _compare(_best_deviation(game, position, i, at), game.payoffs[position][i], at)
               for i in range(game.n_players)):
            result.append(position)
    return result


def _simplify(value):
    if _is_sympy(value):
        import sympy

        return sympy.simplify(value)
    return value


def _require_numeric(game, what):
    if game.is_symbolic:
        raise RepeatedGameError(f"{what}: substitute parameter values first (game.substitute(...))")


# ---------------------------------------------------------------------- grim trigger
def grim_trigger_threshold(game, target, punishment=None, *, at=None):
    """Critical discount factor for grim trigger to sustain a pure profile forever.

    Parameters
    ----------
    game : Game
        Exact, float or symbolic stage game.
    target : sequence of str
        The profile to sustain (one strategy label per player).
    punishment : sequence of str, optional
        A pure Nash equilibrium of the stage game played forever after a
        deviation. Default: for each deviator, the pure Nash equilibrium worst for
        that deviator.
    at : mapping, optional
        Parameter values used only to decide orderings of symbolic payoffs that
        sympy cannot decide (defaults: the parameters' declared defaults).

    Returns
    -------
    Fraction, float or sympy expression
        ``δ* = max_i (d_i - v_i)/(d_i - p_i)`` over players with a profitable
        deviation (``d_i > v_i``); ``0`` if no player has one.

    Raises
    ------
    RepeatedGameError
        If the stage game has no pure Nash equilibrium, ``punishment`` is not one,
        or a deviator's punishment payoff is not below its target payoff.

    Examples
    --------
    >>> from negotiation import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("A", "B"),
    ...     strategies=(("Cooperate", "Defect"), ("Cooperate", "Defect")))
    >>> grim_trigger_threshold(pd, ("Cooperate", "Cooperate"))
    Fraction(1, 2)
    """
    point = _sample_point(game, at)
    position = _profile_position(game, target)
    if punishment is not None:
        punish = _profile_position(game, punishment)
        if punish not in _pure_nash(game, point):
            raise RepeatedGameError(
                f"punishment {tuple(punishment)} is not a pure Nash equilibrium of the stage game")
        candidates = [punish]
    else:
        candidates = _pure_nash(game, point)
        if not candidates:
            raise RepeatedGameError(
                "the stage game has no pure Nash equilibrium to punish with; pass `punishment`")
    return _grim_threshold(game, position, candidates, point)


def tit_for_tat_threshold(game, cooperate=None, *, at=None):
    """Axelrod's critical continuation probability for tit-for-tat in a symmetric 2×2 game.

    ``w* = max{(T-R)/(T-P), (T-R)/(R-S)}`` with ``R`` = payoff of mutual
    cooperation, ``T`` = temptation, ``P`` = mutual defection, ``S`` = sucker's payoff.

    Parameters
    ----------
    game : Game
        Symmetric two-player game with two strategies each.
    cooperate : str, optional
        The cooperative strategy (default: the first).
    at : mapping, optional
        Values to decide orderings of symbolic payoffs (as in :func:`grim_trigger_threshold`).

    Examples
    --------
    >>> from negotiation import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...     strategies=(("C", "D"), ("C", "D")))
    >>> tit_for_tat_threshold(pd)
    Fraction(2, 3)
    """
    if game.n_players != 2 or game.shape != (2, 2):
        raise RepeatedGameError("tit_for_tat_threshold needs a two-player game with two strategies each")
    if game.strategies[0] != game.strategies[1]:
        raise RepeatedGameError("tit_for_tat_threshold needs both players to have the same strategy labels")
    A, B = game.payoff_array(0), game.payoff_array(1)
    for a in range(2):
        for b in range(2):
            if A[a, b] != B[b, a] and _simplify(A[a, b] - B[b, a]) != 0:
                raise RepeatedGameError("tit_for_tat_threshold needs a symmetric game (B = A transposed)")
    c = 0 if cooperate is None else game.strategy_index(0, cooperate)
    d = 1 - c
    R, S, T, P = A[c, c], A[c, d], A[d, c], A[d, d]
    point = _sample_point(game, at)
    if not (_compare(T, R, point) and _compare(R, P, point) and _compare(R, S, point)):
        raise RepeatedGameError("tit_for_tat_threshold needs T > R > P and R > S (a cooperation dilemma)")
    first = _simplify((T - R) / (T - P))
    second = _simplify((T - R) / (R - S))
    return first if not _compare(second, first, point) else second


# ---------------------------------------------------------------------- minmax
def minmax_values(game) -> dict:
    """Each player's mixed minmax value: the least payoff the others can hold it to.

    ``min over the others' (independently) mixed strategies of max over own pure
    strategies``. For two players this is a linear program, rebuilt exactly for
    exact games. For three or more players the others' mixing is taken as
    *correlated* (still an LP); that value can be below the minmax with
    independent mixing, so it is then a lower bound (:func:`folk_theorem`
    also reports the pure minmax, an upper bound).

    Examples
    --------
    >>> from negotiation import Game
    >>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], players=("H", "S"))
    >>> minmax_values(pennies)
    {'H': Fraction(0, 1), 'S': Fraction(0, 1)}
    """
    _require_numeric(game, "minmax_values")
    return {player: _minmax(_minmax_matrix(game, i), game.is_exact)[0]
            for i, player in enumerate(game.players)}


def _minmax_matrix(game, i):
    """Rows: player ``i``'s strategies; columns: the others' joint profiles (C order)."""
    u = np.moveaxis(np.asarray(game.payoff_array(i)), i, 0)
    return u.reshape(u.shape[0], -1)


def _minmax(matrix, exact):
    """``min_y max_r (M y)_r`` over distributions ``y`` on the columns: ``(value, y, rebuilt exactly)``.

    Solved by HiGHS on payoffs scaled to [0, 1]; for exact games the optimal
    vertex is rebuilt from its tight rows and support and checked exactly.
    """
    from scipy.optimize import linprog

    M = [[_exact(v) for v in row] for row in matrix]
    F = np.array([[float(v) for v in row] for row in M])
    m, n = F.shape
    low, span = F.min(), max(F.max() - F.min(), 1.0)
    S = (F - low) / span
    cost = np.zeros(n + 1)
    cost[-1] = 1.0  # minimise w
    upper = np.hstack([S, -np.ones((m, 1))])  # (S y)_r - w <= 0
    equality = np.hstack([np.ones((1, n)), np.zeros((1, 1))])
    solution = linprog(cost, A_ub=upper, b_ub=np.zeros(m), A_eq=equality, b_eq=[1.0],
                       bounds=[(0, None)] * n + [(None, None)], method="highs")
    if solution.status != 0:
        raise SolverLimitError(f"HiGHS failed on the minmax LP: {solution.message}")
    y, w = np.maximum(solution.x[:n], 0), solution.x[-1]
    y = y / y.sum()
    value_float = float(low + span * w)
    if exact:
        support = [k for k in range(n) if y[k] > TOLERANCE]
        rows = S @ y
        tight = [r for r in range(m) if rows[r] >= w - TOLERANCE]
        equations = [[M[r][k] for k in support] + [Fraction(-1)] for r in tight]
        equations.append([Fraction(1)] * len(support) + [Fraction(0)])
        solved = solve_exact(equations, [Fraction(0)] * len(tight) + [Fraction(1)])
        if solved is not None:
            *weights, value = solved
            if all(q >= 0 for q in weights) and all(
                    sum(M[r][k] * q for k, q in zip(support, weights)) <= value for r in range(m)):
                full = [Fraction(0)] * n
                for k, q in zip(support, weights):
                    full[k] = q
                return value, full, True
    return value_float, [float(q) for q in y], False


def _exact(value):
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    return Fraction(float(value))
# ---------------------------------------------------------------------- folk theorem region
def _clip(polygon, axis, bound):
    """The part of a convex polygon where coordinate ``axis`` is at least ``bound``."""
    return convex_hull(clip(polygon, (1, 0) if axis == 0 else (0, 1), bound))


def feasible_individually_rational_set(game, minmax=None) -> list:
    """Feasible, individually rational payoffs of a two-player game as a convex polygon.

    The convex hull of the pure payoff vectors, clipped to ``u_1 >= m_1`` and
    ``u_2 >= m_2`` where ``m`` are the mixed minmax values, in exact arithmetic
    for exact games.

    Parameters
    ----------
    game : Game
        Two-player exact or float game.
    minmax : mapping, optional
        Minmax value per player label (default :func:`minmax_values`).

    Returns
    -------
    list of tuple
        Vertices ``(u_1, u_2)`` in counterclockwise order starting from the
        lexicographically smallest; empty if the set is empty; a segment or point
        if degenerate.

    Examples
    --------
    >>> from negotiation import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("A", "B"))
    >>> [tuple(str(v) for v in vertex) for vertex in feasible_individually_rational_set(pd)]
    [('1', '1'), ('13/3', '1'), ('3', '3'), ('1', '13/3')]
    """
    if game.n_players != 2:
        raise RepeatedGameError("feasible_individually_rational_set needs a two-player game")
    if game.is_symbolic:
        raise RepeatedGameError("substitute parameter values first (game.substitute(...))")
    if minmax is None:
        minmax = minmax_values(game)
    convert = _exact if game.is_exact else float
    points = [tuple(convert(v) for v in game.payoffs[position])
              for position in np.ndindex(*game.shape)]
    polygon = convex_hull(points)
    for axis, player in enumerate(game.players):
        polygon = _clip(polygon, axis, convert(minmax[player]))
    return polygon


# ---------------------------------------------------------------------- shared helpers
def _check_discount(discount, *, finite: bool, where: str = "discount"):
    """``None`` or an exact/float discount factor: in [0, 1) for infinite play, (0, 1] for finite play."""
    if discount is None:
        return None
    try:
        value = coerce_number(discount, where=where)
    except ValueError as error:
        raise RepeatedGameError(str(error)) from None
    if finite and not 0 < value <= 1:
        raise RepeatedGameError(f"{where}: expected a discount factor in (0, 1], got {format_number(value)}")
    if not finite and not 0 <= value < 1:
        raise RepeatedGameError(
            f"{where}: expected a discount factor in [0, 1) for infinite repetition, got {format_number(value)}")
    return value


#: Exact numbers with more digits than this are shown (and written to JSON) as floats.
MAX_SHOWN_DIGITS = 60


def _huge(value) -> bool:
    return isinstance(value, Fraction) and max(abs(value.numerator), value.denominator).bit_length() > 3.33 * MAX_SHOWN_DIGITS


def _text(value) -> str:
    if _huge(value):
        return f"≈{float(value):.6g}"
    return format_number(value) if not _is_sympy(value) else str(value)


def _json(value):
    """:func:`json_number`, except exact numbers too long to read are written as JSON floats."""
    return float(value) if _huge(value) else json_number(value)


def _vector(values) -> str:
    return "(" + ", ".join(_text(v) for v in values) + ")"


def _profile_text(labels) -> str:
    return "(" + ", ".join(labels) + ")"


def _align(header, rows) -> list:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
    return lines


def _markdown_table(header, rows) -> list:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |")
    return lines


_LATEX_SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
                  "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "δ": r"$\delta$",
                  "≥": r"$\geq$", "≤": r"$\leq$", "→": r"$\to$", "—": "---", "–": "--"}


def _latex_text(text) -> str:
    return "".join(_LATEX_SPECIAL.get(c, c) for c in str(text))


def _latex_number(value) -> str:
    from negotiation.report.tables import latex_number

    return "$" + latex_number(value) + "$"


def _latex_table(header, rows, comments=()) -> str:
    lines = [f"% {_latex_text(c)}" for c in comments]
    lines.append("\\begin{tabular}{" + "l" * len(header) + "}")
    lines.append("\\toprule")
    lines.append(" & ".join(header) + " \\\\")
    lines.append("\\midrule")
    for row in rows:
        lines.append(" & ".join(row) + " \\\\")
    lines.append("\\bottomrule")
    lines.append("\\end{tabular}")
    return "\n".join(lines)


def _csv(records) -> str:
    import csv
    import io

    if not records:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: "" if v is None else (_text(v) if not isinstance(v, (bool, str, int)) else v)
                         for k, v in record.items()})
    return buffer.getvalue()


def _game_header(game) -> dict:
    return {"title": game.title, "players": list(game.players),
            "strategies": {p: list(s) for p, s in zip(game.players, game.strategies)}}


# ---------------------------------------------------------------------- folk theorem
#: Verdicts of :func:`folk_theorem` on a pure profile played every period: code -> (short, long).
FOLK_VERDICTS = {
    "stage-nash": ("yes, every δ (stage Nash)",
                   "a stage Nash equilibrium: playing it in every period is subgame perfect for every δ"),
    "sustainable": ("yes, for δ near 1",
                    "strictly above every minmax value: a subgame-perfect equilibrium payoff for δ close "
                    "to 1 (Fudenberg & Maskin 1986)"),
    "below-minmax": ("no (below minmax)",
                     "below a player's minmax value: no equilibrium of the repeated game has this payoff"),
    "boundary": ("not covered (at minmax)",
                 "a payoff equals a minmax value: the folk theorem does not apply"),
    "not-full-dimensional": ("not covered (not full-dimensional)",
                             "the feasible, individually rational set is not full-dimensional: the "
                             "n-player folk theorem does not apply"),
    "undetermined": ("undetermined",
                     "only bounds on the 3+-player minmax values are known, and they do not decide"),
}


@dataclass(frozen=True)
class MinmaxProfile:
    """How the other players hold one player down to its minmax value.

    Attributes
    ----------
    player : str
        The punished player.
    value : Fraction or float
        Its minmax value. For three or more players this is the value with
        *correlated* punishers (an LP), a lower bound on the minmax with
        independently mixing punishers.
    punishers : tuple of str
        The other players, in game order.
    distribution : dict
        ``{punishers' strategy labels (tuple): probability}``, positive entries
        only. For two players: the opponent's minmaxing mixed strategy.
    best_responses : tuple of str
        The punished player's strategies that attain ``value`` against it.
    correlated : bool
        ``True`` for three or more players (the distribution may not be a
        product of independent mixed strategies).
    pure_value : Fraction or float
        Minmax over the punishers' pure profiles: an upper bound on the minmax.
    exact : bool
        Whether value and distribution were rebuilt and verified exactly.
    """

    player: str
    value: Any
    punishers: tuple
    distribution: dict
    best_responses: tuple
    correlated: bool
    pure_value: Any
    exact: bool

    @property
    def determined(self) -> bool:
        """Whether ``value`` is the minmax with independent mixing (always for two players)."""
        return not self.correlated or self.value == self.pure_value

    def describe(self) -> str:
        """One line: who plays what, the value, and the best replies."""
        if len(self.punishers) == 1:
            mix = " + ".join(f"{_text(q)} {labels[0]}" if q != 1 else labels[0]
                             for labels, q in self.distribution.items())
            how = f"{self.punishers[0]} plays {mix}"
        else:
            mix = " + ".join(f"{_text(q)} {_profile_text(labels)}" if q != 1 else _profile_text(labels)
                             for labels, q in self.distribution.items())
            how = f"{', '.join(self.punishers)} play {'(correlated) ' if self.correlated else ''}{mix}"
        text = f"{self.player}: {_text(self.value)} ({how}; best replies: {', '.join(self.best_responses)})"
        if self.correlated and not self.determined:
            text += (f"; with independent mixing the minmax lies in [{_text(self.value)}, "
                     f"{_text(self.pure_value)}]")
        return text

    def to_dict(self) -> dict:
        return {
            "player": self.player,
            "value": json_number(self.value),
            "punishers": list(self.punishers),
            "distribution": [{"profile": dict(zip(self.punishers, labels)), "probability": json_number(q)}
                             for labels, q in self.distribution.items()],
            "best_responses": list(self.best_responses),
            "correlated": self.correlated,
            "pure_minmax": json_number(self.pure_value),
            "exact": self.exact,
        }


@dataclass(frozen=True)
class ProfileSustainability:
    """Whether playing one pure profile in every period can be an equilibrium of the repeated game.

    Attributes
    ----------
    profile : tuple of str
        One strategy label per player.
    payoffs : tuple
        The stage payoffs of the profile.
    stage_nash : bool
        Whether the profile is a Nash equilibrium of the stage game.
    individually_rational, strictly_individually_rational : bool or None
        ``payoffs >= minmax`` (``>``) for every player; ``None`` when only
        bounds on a 3+-player minmax are known and they do not decide.
    folk : str
        A key of :data:`FOLK_VERDICTS`.
    grim_threshold : Fraction, float or None
        Smallest δ at which grim trigger with Nash reversion sustains the
        profile (condition ``δ ≥ grim_threshold``); ``None`` if it cannot (see
        ``grim_note``).
    grim_note : str
        Why grim trigger does not apply, if it does not.
    sustained : bool or None
        Whether grim trigger sustains the profile at the given discount factor
        (``None`` without one, or without a threshold).
    """

    profile: tuple
    payoffs: tuple
    stage_nash: bool
    individually_rational: bool | None
    strictly_individually_rational: bool | None
    folk: str
    grim_threshold: Any = None
    grim_note: str = ""
    sustained: bool | None = None

    @property
    def sustainable_near_one(self) -> bool | None:
        """``True`` if sustainable for δ close to 1, ``False`` if never, ``None`` if not covered."""
        if self.folk in ("stage-nash", "sustainable"):
            return True
        if self.folk == "below-minmax":
            return False
        return None

    @property
    def grim_condition(self) -> str:
        """``"δ ≥ 1/2"``, or ``"—"`` when grim trigger cannot sustain the profile."""
        return "—" if self.grim_threshold is None else f"δ ≥ {_text(self.grim_threshold)}"

    def to_dict(self, players) -> dict:
        return {
            "profile": dict(zip(players, self.profile)),
            "payoffs": {p: json_number(v) for p, v in zip(players, self.payoffs)},
            "stage_nash": self.stage_nash,
            "individually_rational": self.individually_rational,
            "strictly_individually_rational": self.strictly_individually_rational,
            "folk_theorem": self.folk,
            "folk_theorem_text": FOLK_VERDICTS[self.folk][1],
            "grim_trigger": {
                "critical_discount": None if self.grim_threshold is None else json_number(self.grim_threshold),
                "condition": self.grim_condition,
                "note": self.grim_note,
            },
            "sustained_at_discount": self.sustained,
        }


@dataclass(frozen=True, eq=False)
class FolkTheoremResult(Tabular):
    """What the folk theorem says about an infinitely repeated game, and how it was obtained.

    Attributes
    ----------
    game : Game
        The numeric stage game.
    exact : bool
        All numbers exact (exact game, minmax LPs rebuilt exactly).
    minmax : dict
        Minmax value per player (for three or more players: the correlated
        lower bound, see :class:`MinmaxProfile`).
    minmax_profiles : tuple of MinmaxProfile
    feasible_vertices : tuple
        Two players: vertices of the convex hull of the pure payoff vectors,
        counterclockwise. Empty for three or more players.
    individually_rational_vertices : tuple
        Two players: vertices of the feasible payoffs with ``u >= minmax``.
    strictly_individually_rational : bool or None
        Whether some feasible payoff is strictly above every minmax value (for
        two players its closure is then the polygon above; ``None``: undecided).
    dimension : int
        Affine dimension of the feasible set.
    full_dimensional : bool or None
        ``dimension == number of players`` and the strictly individually
        rational part is nonempty: the condition of the n-player folk theorem.
    stage_equilibria : SolveResult
        Equilibria of the stage game (:func:`negotiation.solve`).
    profiles : tuple of ProfileSustainability
        One entry per pure profile.
    discount : Fraction, float or None
    method : str
    messages : tuple of str
        The theorem as applied, and notes on how numbers were obtained.
    """

    game: Any = field(repr=False)
    exact: bool
    minmax: dict
    minmax_profiles: tuple
    feasible_vertices: tuple
    individually_rational_vertices: tuple
    strictly_individually_rational: bool | None
    dimension: int
    full_dimensional: bool | None
    stage_equilibria: Any = field(repr=False)
    profiles: tuple = field(repr=False, default=())
    discount: Any = None
    method: str = "folk theorem (Fudenberg-Maskin 1986) and grim trigger with Nash reversion (Friedman 1971)"
    messages: tuple = ()

    @property
    def players(self) -> tuple:
        return self.game.players

    def profile(self, labels) -> ProfileSustainability:
        """The entry of one pure profile (strategy labels)."""
        labels = tuple(labels)
        for entry in self.profiles:
            if entry.profile == labels:
                return entry
        raise RepeatedGameError(f"profile: unknown pure profile {labels}")

    @property
    def sustainable(self) -> tuple:
        """Pure profiles sustainable for δ close to 1 (including stage equilibria)."""
        return tuple(e.profile for e in self.profiles if e.sustainable_near_one)

    # ------------------------------------------------------------------ output
    def to_records(self) -> list:
        """One flat dict per pure profile, keyed by labels."""
        records = []
        for entry in self.profiles:
            record = {}
            if self.discount is not None:
                record["discount"] = self.discount
            record.update(zip(self.players, entry.profile))
            record.update({f"payoff {p}": v for p, v in zip(self.players, entry.payoffs)})
            record["stage Nash"] = entry.stage_nash
            record["strictly individually rational"] = entry.strictly_individually_rational
            record["folk theorem"] = entry.folk
            record["grim trigger critical discount"] = entry.grim_threshold
            if self.discount is not None:
                record["sustained by grim trigger"] = entry.sustained
            records.append(record)
        return records

    def to_csv(self) -> str:
        return _csv(self.to_records())

    def to_dict(self) -> dict:
        return {
            "game": _game_header(self.game),
            "parameters": {k: json_number(v) for k, v in self.game.values.items()},
            "method": self.method,
            "exact": self.exact,
            "minmax": {p: json_number(v) for p, v in self.minmax.items()},
            "minmax_profiles": [m.to_dict() for m in self.minmax_profiles],
            "feasible_set": [[json_number(x) for x in v] for v in self.feasible_vertices],
            "individually_rational_set": [[json_number(x) for x in v]
                                          for v in self.individually_rational_vertices],
            "strictly_individually_rational": self.strictly_individually_rational,
            "dimension": self.dimension,
            "full_dimensional": self.full_dimensional,
            "stage_equilibria": [e.to_dict() for e in self.stage_equilibria],
            "discount": json_number(self.discount) if self.discount is not None else None,
            "profiles": [e.to_dict(self.players) for e in self.profiles],
            "messages": list(self.messages),
        }

    def _summary_lines(self) -> list:
        lines = ["Minmax values:"]
        lines.extend(f"  {m.describe()}" for m in self.minmax_profiles)
        if self.feasible_vertices:
            lines.append("Feasible payoffs: convex hull of " + ", ".join(_vector(v) for v in self.feasible_vertices))
            if self.individually_rational_vertices:
                lines.append("Individually rational part (u ≥ minmax): vertices "
                             + ", ".join(_vector(v) for v in self.individually_rational_vertices))
            else:
                lines.append("Individually rational part (u ≥ minmax): empty")
        lines.append(f"Affine dimension of the feasible set: {self.dimension} (of {len(self.players)})")
        strict = {True: "nonempty", False: "empty", None: "undecided"}[self.strictly_individually_rational]
        lines.append(f"Strictly individually rational part (u > minmax): {strict}")
        nash = "; ".join(f"{e.profile.describe()} -> {_vector(e.payoffs)}" for e in self.stage_equilibria)
        lines.append(f"Stage equilibria ({self.stage_equilibria.method}): {nash or 'none found'}")
        return lines

    def _rows(self, number=_text, condition=None):
        header = ["profile", "payoffs", "folk theorem", "grim trigger"]
        if self.discount is not None:
            header.append(f"at δ = {_text(self.discount)}")
        rows = []
        for entry in self.profiles:
            row = [_profile_text(entry.profile), "(" + ", ".join(number(v) for v in entry.payoffs) + ")",
                   FOLK_VERDICTS[entry.folk][0],
                   (condition or (lambda e: e.grim_condition))(entry)]
            if self.discount is not None:
                row.append({True: "sustained", False: "not sustained", None: "—"}[entry.sustained])
            rows.append(row)
        return header, rows

    def to_text(self) -> str:
        lines = [f"Folk theorem: {self.game.title or 'repeated game'}"]
        if self.game.values:
            lines.append("Parameters: " + ", ".join(f"{k} = {_text(v)}" for k, v in self.game.values.items()))
        lines.append(f"Method: {self.method} ({'exact' if self.exact else 'floating point'})")
        lines.extend(self._summary_lines())
        lines.append("")
        lines.extend(_align(*self._rows()))
        notes = [e for e in self.profiles if e.grim_note]
        if notes:
            lines.append("")
            lines.extend(f"Grim trigger, {_profile_text(e.profile)}: {e.grim_note}" for e in notes)
        lines.append("")
        lines.extend(f"Note: {m}" for m in self.messages)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def to_markdown(self) -> str:
        lines = [f"**Folk theorem: {self.game.title or 'repeated game'}**. Method: {self.method} "
                 f"({'exact' if self.exact else 'floating point'}).", ""]
        lines.extend(f"- {line.strip()}" for line in self._summary_lines() if line.strip() != "Minmax values:")
        lines.append("")
        lines.extend(_markdown_table(*self._rows()))
        lines.append("")
        lines.extend(f"- {m}" for m in self.messages)
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def to_latex(self) -> str:
        """A booktabs ``tabular`` of the pure profiles (needs ``\\usepackage{booktabs}``)."""
        header, rows = self._rows(number=lambda v: _latex_number(v),
                                  condition=lambda e: "---" if e.grim_threshold is None
                                  else f"$\\delta \\geq {_latex_number(e.grim_threshold)[1:-1]}$")
        header = [_latex_text(h) for h in header]
        rows = [[_latex_text(c) if k in (0, 2) or k == 4 else c for k, c in enumerate(row)] for row in rows]
        comments = [f"{self.game.title or 'repeated game'}: {self.method}",
                    "minmax: " + ", ".join(f"{p} = {_text(v)}" for p, v in self.minmax.items())]
        return _latex_table(header, rows, comments)

    # ------------------------------------------------------------------ figure
    def plot(self, ax=None, *, title: str | None = None):
        """The payoff space of a two-player game: feasible set, minmax lines, IR region, profiles, stage equilibria.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Draw here (default: a new figure).
        title : str, optional
            Default: ``"Folk theorem: <game title>"``.

        Returns
        -------
        matplotlib.figure.Figure

        Examples
        --------
        >>> from negotiation import Game
        >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("A", "B"),
        ...     strategies=(("C", "D"), ("C", "D")))
        >>> figure = folk_theorem(pd).plot()
        >>> figure.axes[0].get_xlabel(), figure.axes[0].get_ylabel()
        ('payoff of A', 'payoff of B')
        """
        if len(self.players) != 2:
            raise RepeatedGameError(
                f"plot: the payoff-space figure needs two players, this game has {len(self.players)}")
        if ax is None:
            from negotiation.report.figures import new_figure as Figure

            figure = Figure(figsize=(7, 5.6), layout="constrained")
            ax = figure.add_subplot()
        else:
            figure = ax.figure
        feasible = np.array([[float(x) for x in v] for v in self.feasible_vertices])
        ir = np.array([[float(x) for x in v] for v in self.individually_rational_vertices])
        if len(feasible) >= 3:
            ax.fill(feasible[:, 0], feasible[:, 1], facecolor="0.88", edgecolor="0.35", linewidth=1.2,
                    label="feasible payoffs (convex hull)", zorder=1)
        elif len(feasible):
            ax.plot(feasible[:, 0], feasible[:, 1], color="0.35", linewidth=2,
                    label="feasible payoffs (convex hull)", zorder=1)
        if len(ir) >= 3:
            ax.fill(ir[:, 0], ir[:, 1], facecolor="tab:blue", alpha=0.35, edgecolor="tab:blue",
                    linewidth=1.5, label="individually rational (u ≥ minmax)", zorder=2)
        elif len(ir):
            ax.plot(ir[:, 0], ir[:, 1], color="tab:blue", marker="o", markersize=9, linewidth=3,
                    label="individually rational (u ≥ minmax)", zorder=2)
        m1, m2 = (float(self.minmax[p]) for p in self.players)
        ax.axvline(m1, color="tab:red", linestyle="--", linewidth=1.3,
                   label=f"minmax values ({_text(self.minmax[self.players[0]])}, "
                         f"{_text(self.minmax[self.players[1]])})", zorder=3)
        ax.axhline(m2, color="tab:red", linestyle="--", linewidth=1.3, zorder=3)
        labels = {}
        for entry in self.profiles:
            point = tuple(float(v) for v in entry.payoffs)
            labels.setdefault(point, []).append(_profile_text(entry.profile))
        points = np.array(list(labels))
        ax.scatter(points[:, 0], points[:, 1], color="black", s=28, zorder=5, label="pure profiles")
        span = max(float(np.ptp(points[:, 0])), float(np.ptp(points[:, 1])), 1.0)
        size = 10 if len(labels) <= 12 else 8
        for point, names in labels.items():
            ax.annotate("\n".join(names), point, xytext=(6, 6), textcoords="offset points", fontsize=size,
                        zorder=6)
        nash = np.array([[float(v) for v in e.payoffs] for e in self.stage_equilibria])
        if len(nash):
            ax.scatter(nash[:, 0], nash[:, 1], marker="*", s=260, facecolor="gold", edgecolor="black",
                       linewidth=0.8, zorder=7, label="stage Nash equilibria")
        ax.set_xlabel(f"payoff of {self.players[0]}", fontsize=12)
        ax.set_ylabel(f"payoff of {self.players[1]}", fontsize=12)
        ax.tick_params(labelsize=11)
        ax.set_title(title if title is not None else f"Folk theorem: {self.game.title or 'repeated game'}",
                     fontsize=13)
        ax.margins(0.12 if span else 0.5)
        ax.grid(True, linewidth=0.4, alpha=0.5)
        ax.legend(fontsize=9, loc="best", framealpha=0.9)
        return figure


def _affine_dimension(points, exact) -> int:
    if len(points) <= 1:
        return 0
    differences = [[a - b for a, b in zip(p, points[0])] for p in points[1:]]
    if exact:
        return rank_exact(differences)
    array = np.array(differences, dtype=float)
    scale = max(1.0, float(np.abs(array).max()))
    return int(np.linalg.matrix_rank(array, tol=1e-9 * scale))


def _strict_margin(points, bounds) -> float:
    """``max s`` with a convex combination of ``points`` at least ``bounds + s`` in every coordinate (scaled)."""
    from scipy.optimize import linprog

    P = np.array(points, dtype=float)
    b = np.array(bounds, dtype=float)
    scale = max(1.0, float(np.abs(P).max()), float(np.abs(b).max()))
    P, b = P / scale, b / scale
    k, n = P.shape
    cost = np.zeros(k + 1)
    cost[-1] = -1.0
    upper = np.hstack([-P.T, np.ones((n, 1))])  # s - sum λ p_i <= -b_i
    solution = linprog(cost, A_ub=upper, b_ub=-b, A_eq=np.hstack([np.ones((1, k)), [[0.0]]]), b_eq=[1.0],
                       bounds=[(0, None)] * k + [(None, 1.0)], method="highs")
    if solution.status != 0:
        raise SolverLimitError(f"HiGHS failed on the individual-rationality LP: {solution.message}")
    return float(solution.x[-1])


def _grim_for(game, position, candidates):
    """Grim-trigger threshold of a pure profile with Nash reversion, or ``(None, reason)``."""
    if not candidates:
        return None, "the stage game has no pure Nash equilibrium to revert to"
    try:
        return _grim_threshold(game, position, candidates, {}), ""
    except RepeatedGameError as error:
        return None, str(error)


def _grim_threshold(game, position, candidates, point):
    thresholds = []
    for i, player in enumerate(game.players):
        v = game.payoffs[position][i]
        d = _best_deviation(game, position, i, point)
        if not _compare(d, v, point):
            continue
        p = game.payoffs[candidates[0]][i]
        for other in candidates[1:]:
            if _compare(p, game.payoffs[other][i], point):
                p = game.payoffs[other][i]
        if not _compare(v, p, point):
            raise RepeatedGameError(
                f"{player}'s punishment payoff {_text(p)} is not below its target payoff "
                f"{_text(v)}: grim trigger cannot deter its deviation"
            )
        thresholds.append(_simplify((d - v) / (d - p)))
    if not thresholds:
        return Fraction(0) if game.is_exact else (0.0 if game.arithmetic == "float" else _simplify(0 * game.payoffs.flat[0]))
    best = thresholds[0]
    for t in thresholds[1:]:
        if _compare(t, best, point):
            best = t
    return best


def folk_theorem(game, *, discount=None) -> FolkTheoremResult:
    """The folk theorem for the infinitely repeated game, and grim trigger per pure profile.

    Computes each player's minmax value and the (mixed) profile that attains
    it, the feasible payoffs (convex hull of the pure payoff vectors) and
    their individually rational part, and for every pure profile whether
    playing it in every period is sustainable:

    * for δ close to 1, by the folk theorem of Fudenberg & Maskin (1986): two
      players — every feasible payoff strictly above both minmax values;
      three or more players — the same if the feasible, individually rational
      set is full-dimensional (dimension = number of players);
    * at a given δ, by grim trigger with Nash reversion (Friedman 1971): after
      a deviation the worst pure stage equilibrium for the deviator is played
      forever; sustained iff ``δ ≥ max_i (d_i − v_i)/(d_i − p_i)``.

    Parameters
    ----------
    game : Game
        Numeric (exact or float) stage game.
    discount : number, optional
        A discount factor in [0, 1) at which to check grim trigger.

    Returns
    -------
    FolkTheoremResult

    Raises
    ------
    RepeatedGameError
        For a symbolic game or a discount factor outside [0, 1).

    Examples
    --------
    >>> from negotiation import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("A", "B"),
    ...     strategies=(("C", "D"), ("C", "D")))
    >>> result = folk_theorem(pd, discount="3/5")
    >>> result.minmax
    {'A': Fraction(1, 1), 'B': Fraction(1, 1)}
    >>> [_vector(v) for v in result.individually_rational_vertices]
    ['(1, 1)', '(13/3, 1)', '(3, 3)', '(1, 13/3)']
    >>> entry = result.profile(("C", "C"))
    >>> entry.folk, entry.grim_condition, entry.sustained
    ('sustainable', 'δ ≥ 1/2', True)
    """
    _require_numeric(game, "folk_theorem")
    delta = _check_discount(discount, finite=False)
    from negotiation.solvers import solve

    n = game.n_players
    exact = game.is_exact
    convert = _exact if exact else float
    stage = solve(game)
    messages = []

    # minmax values and profiles
    minmax_profiles = []
    all_rebuilt = True
    for i, player in enumerate(game.players):
        matrix = _minmax_matrix(game, i)
        value, weights, rebuilt = _minmax(matrix, exact)
        all_rebuilt = all_rebuilt and (rebuilt or not exact)
        others = [j for j in range(n) if j != i]
        other_shape = [game.shape[j] for j in others]
        rows = [[convert(v) for v in row] for row in matrix]
        distribution = {}
        for k, q in enumerate(weights):
            if (q > 0) if rebuilt else (q > TOLERANCE):
                index = np.unravel_index(k, other_shape)
                distribution[tuple(game.strategies[j][int(index[t])] for t, j in enumerate(others))] = q
        against = [sum((row[k] * q for k, q in enumerate(weights) if q), convert(0)) for row in rows]
        best = max(against)
        scale = max(1.0, max(abs(float(v)) for row in rows for v in row))
        best_responses = tuple(game.strategies[i][r] for r, v in enumerate(against)
                               if (v == best if rebuilt else float(v) >= float(best) - 1e-9 * scale))
        pure_value = min(max(row[k] for row in rows) for k in range(len(rows[0])))
        minmax_profiles.append(MinmaxProfile(
            player=player, value=value, punishers=tuple(game.players[j] for j in others),
            distribution=distribution, best_responses=best_responses, correlated=n > 2,
            pure_value=pure_value, exact=rebuilt))
    if exact and not all_rebuilt:
        messages.append("a minmax LP vertex could not be rebuilt exactly; that value is HiGHS's floating-point answer")
    minmax = {m.player: m.value for m in minmax_profiles}
    lower = [m.value for m in minmax_profiles]
    upper = [m.value if n == 2 else m.pure_value for m in minmax_profiles]

    # feasible set
    positions = list(np.ndindex(*game.shape))
    points = [tuple(convert(v) for v in game.payoffs[p]) for p in positions]
    dimension = _affine_dimension(sorted(set(points)), exact)
    if n == 2:
        feasible = tuple(convex_hull(points))
        ir = tuple(feasible_individually_rational_set(game, minmax))
        strict = bool(ir) and all(sum(v[k] for v in ir) / len(ir) > minmax[p]
                                  for k, p in enumerate(game.players))
    else:
        feasible, ir = (), ()
        if _strict_margin(points, upper) > TOLERANCE:
            strict = True
        elif _strict_margin(points, lower) < TOLERANCE:
            strict = False
        else:
            strict = None
        messages.append("with three or more players the feasible set is not drawn as a polygon; whether some "
                        "feasible payoff is strictly above the minmax values is decided by a floating-point LP")
    full = (dimension == n and strict) if strict is not None else (False if dimension < n else None)

    # pure profiles
    nash = set(_pure_nash(game, {}))
    profiles = []
    for position, point in zip(positions, points):
        stage_nash = position in nash
        payoffs = tuple(game.payoffs[position])
        if any(u < lo for u, lo in zip(point, lower)):
            rational = False
        elif all(u >= hi for u, hi in zip(point, upper)):
            rational = True
        else:
            rational = None
        if any(u <= lo for u, lo in zip(point, lower)):
            strictly = False
        elif all(u > hi for u, hi in zip(point, upper)):
            strictly = True
        else:
            strictly = None
        if stage_nash:
            verdict = "stage-nash"
        elif rational is False:
            verdict = "below-minmax"
        elif strictly is True:
            verdict = "sustainable" if (n == 2 or full is True) else (
                "not-full-dimensional" if full is False else "undetermined")
        elif strictly is False and rational is True:
            verdict = "boundary"
        else:
            verdict = "undetermined"
        threshold, note = _grim_for(game, position, sorted(nash))
        sustained = None if (delta is None or threshold is None) else bool(delta >= threshold)
        profiles.append(ProfileSustainability(
            profile=_labels(game, position), payoffs=payoffs, stage_nash=stage_nash,
            individually_rational=rational, strictly_individually_rational=strictly, folk=verdict,
            grim_threshold=threshold, grim_note=note, sustained=sustained))

    if n == 2:
        messages.append(
            "Fudenberg & Maskin (1986), two players: every feasible payoff vector strictly above both minmax "
            "values is the average payoff of a subgame-perfect equilibrium of the infinitely repeated game for "
            "every δ close enough to 1 (perfect monitoring; payoffs that are not those of a pure profile need "
            "public randomisation or a time-varying path)")
    else:
        status = {True: "holds", False: "fails", None: "is undecided"}[full]
        messages.append(
            f"Fudenberg & Maskin (1986), n ≥ 3 players: the conclusion needs full dimensionality, i.e. the "
            f"feasible, individually rational set has dimension n = {n}; here its feasible set has dimension "
            f"{dimension}, so the condition {status}. Without it the conclusion can fail (their three-player "
            "counterexample with identical payoffs); Abreu, Dutta & Smith (1994) weaken it to 'no two players "
            "have equivalent payoffs' [U]")
        if any(not m.determined for m in minmax_profiles):
            messages.append(
                "3+ players: the minmax with independently mixing punishers is only bracketed between the "
                "correlated minmax (LP, lower bound) and the pure minmax (upper bound); verdicts use the bound "
                "that is safe")
    messages.append("repeating a stage Nash equilibrium in every period is subgame perfect for every δ")
    messages.append(
        "grim trigger with Nash reversion (Friedman 1971): after any deviation the pure stage equilibrium worst "
        "for the deviator is played forever; it sustains the profile iff δ ≥ max_i (d_i − v_i)/(d_i − p_i) "
        "(d: best one-shot deviation, v: target, p: punishment payoff)")
    return FolkTheoremResult(
        game=game, exact=exact and all_rebuilt,
        minmax=minmax, minmax_profiles=tuple(minmax_profiles), feasible_vertices=feasible,
        individually_rational_vertices=ir, strictly_individually_rational=strict, dimension=dimension,
        full_dimensional=full, stage_equilibria=stage, profiles=tuple(profiles), discount=delta,
        messages=tuple(messages))


# ---------------------------------------------------------------------- finite repetition
def _partial_sum(delta, count):
    """``1 + δ + … + δ^(count-1)`` (``count`` when δ = 1)."""
    if delta == 1:
        return count * delta
    return (1 - delta ** count) / (1 - delta)


@dataclass(frozen=True)
class FiniteTarget:
    """A pure profile sustained in the early rounds of a finitely repeated game (Benoît & Krishna 1985).

    On the path the target is played in rounds ``1 … target_rounds`` and the
    stage equilibrium ``reward`` in the last ``equilibrium_rounds`` rounds;
    after a deviation by a player in the target phase, the pure stage
    equilibrium worst for that player (``punishments``) is played in every
    remaining round.

    Attributes
    ----------
    profile, payoffs : tuple
        The target (labels) and its stage payoffs.
    sustainable : bool
        Whether the construction sustains the target in at least round 1.
    target_rounds : int
        Rounds (from the first) in which the target is played (0 if not sustainable).
    equilibrium_rounds : int or None
        Number of final rounds in which stage equilibria are played (the
        smallest that works).
    reward : tuple of str or None
        Stage equilibrium played in the last rounds on the path.
    punishments : dict
        Player -> stage equilibrium (labels) played after its deviation.
    conditions : tuple of str
        Each player's incentive condition, exactly: one-round gain ≤ future loss
        at the most tempting round of deviation.
    total_payoffs : tuple or None
        Discounted sums of stage payoffs along the path (plain sums for δ = 1).
    reason : str
        Why the target cannot be sustained, if it cannot.
    """

    profile: tuple
    payoffs: tuple
    sustainable: bool
    target_rounds: int = 0
    equilibrium_rounds: int | None = None
    reward: tuple | None = None
    punishments: dict = field(default_factory=dict)
    conditions: tuple = ()
    total_payoffs: tuple | None = None
    reason: str = ""

    @property
    def switch_round(self) -> int | None:
        """First round in which the stage equilibrium is played on the path."""
        if not self.sustainable or not self.equilibrium_rounds:
            return None
        return self.target_rounds + 1

    def to_dict(self, players) -> dict:
        return {
            "profile": dict(zip(players, self.profile)),
            "payoffs": {p: _json(v) for p, v in zip(players, self.payoffs)},
            "sustainable": self.sustainable,
            "target_rounds": self.target_rounds,
            "equilibrium_rounds": self.equilibrium_rounds,
            "switch_round": self.switch_round,
            "reward": dict(zip(players, self.reward)) if self.reward else None,
            "punishments": {p: dict(zip(players, labels)) for p, labels in self.punishments.items()},
            "conditions": list(self.conditions),
            "total_payoffs": ({p: _json(v) for p, v in zip(players, self.total_payoffs)}
                              if self.total_payoffs is not None else None),
            "reason": self.reason,
        }


@dataclass(frozen=True, eq=False)
class FiniteRepetitionResult(Tabular):
    """Subgame-perfect play of a finitely repeated game, and how it was obtained.

    Attributes
    ----------
    game : Game
        The numeric stage game.
    rounds : int
    discount : Fraction or float
        Weight ``δ`` of each later round (1: plain sums).
    exact : bool
    stage_equilibria : SolveResult
        The stage game's equilibria (:func:`negotiation.solve`).
    unique : bool or None
        Whether the stage game has exactly one equilibrium (``None``: not
        established, e.g. mixed equilibria of 3+-player games are not enumerated).
    equilibrium : Equilibrium or None
        The unique stage equilibrium, if ``unique``.
    total_payoffs : tuple or None
        Its discounted total over all rounds, if ``unique``.
    targets : tuple of FiniteTarget
        Reward/punishment analysis of non-equilibrium pure profiles.
    method : str
    messages : tuple of str
        What the result states and what is not covered.
    """

    game: Any = field(repr=False)
    rounds: int
    discount: Any
    exact: bool
    stage_equilibria: Any = field(repr=False)
    unique: bool | None
    equilibrium: Any = None
    total_payoffs: tuple | None = None
    targets: tuple = ()
    method: str = ""
    messages: tuple = ()

    @property
    def players(self) -> tuple:
        return self.game.players

    def target(self, labels) -> FiniteTarget:
        """The analysis of one target profile (labels)."""
        labels = tuple(labels)
        for entry in self.targets:
            if entry.profile == labels:
                return entry
        raise RepeatedGameError(f"target: {labels} was not analysed")

    def to_records(self) -> list:
        """One flat dict per analysed target (or one for the unique equilibrium)."""
        base = {"rounds": self.rounds, "discount": self.discount}
        if self.unique:
            record = dict(base)
            record["play"] = "unique stage equilibrium every round"
            record.update({f"{p}": _mix(self.equilibrium.profile, p) for p in self.players})
            record.update({f"total payoff {p}": v for p, v in zip(self.players, self.total_payoffs)})
            return [record]
        records = []
        for entry in self.targets:
            record = dict(base)
            record.update(zip(self.players, entry.profile))
            record["sustainable"] = entry.sustainable
            record["target rounds"] = entry.target_rounds
            record["equilibrium rounds"] = entry.equilibrium_rounds
            record["reward"] = _profile_text(entry.reward) if entry.reward else None
            if entry.total_payoffs is not None:
                record.update({f"total payoff {p}": v for p, v in zip(self.players, entry.total_payoffs)})
            records.append(record)
        return records

    def to_csv(self) -> str:
        return _csv(self.to_records())

    def to_dict(self) -> dict:
        return {
            "game": _game_header(self.game),
            "parameters": {k: _json(v) for k, v in self.game.values.items()},
            "rounds": self.rounds,
            "discount": _json(self.discount),
            "method": self.method,
            "exact": self.exact,
            "stage_equilibria": [e.to_dict() for e in self.stage_equilibria],
            "stage_equilibria_complete": self.stage_equilibria.complete,
            "unique": self.unique,
            "equilibrium": self.equilibrium.to_dict() if self.equilibrium is not None else None,
            "total_payoffs": ({p: _json(v) for p, v in zip(self.players, self.total_payoffs)}
                              if self.total_payoffs is not None else None),
            "targets": [t.to_dict(self.players) for t in self.targets],
            "messages": list(self.messages),
        }

    def _rows(self):
        header = ["target", "payoffs", "sustained", "target in rounds", "then", "reward", "total payoffs"]
        rows = []
        for t in self.targets:
            if t.sustainable:
                span = f"1–{t.target_rounds}" if t.target_rounds > 1 else "1"
                then = (f"rounds {t.switch_round}–{self.rounds}" if t.switch_round is not None
                        and t.switch_round < self.rounds else
                        (f"round {t.switch_round}" if t.switch_round is not None else "—"))
                rows.append([_profile_text(t.profile), _vector(t.payoffs), "yes", span, then,
                             _profile_text(t.reward) if t.reward else "—", _vector(t.total_payoffs)])
            else:
                rows.append([_profile_text(t.profile), _vector(t.payoffs), "no", "—", "—", "—", "—"])
        return header, rows

    def _head(self) -> list:
        lines = [f"Finitely repeated game: {self.game.title or 'stage game'}, {self.rounds} rounds, "
                 f"δ = {_text(self.discount)}"]
        if self.game.values:
            lines.append("Parameters: " + ", ".join(f"{k} = {_text(v)}" for k, v in self.game.values.items()))
        lines.append(f"Method: {self.method} ({'exact' if self.exact else 'floating point'})")
        listed = "; ".join(f"{e.profile.describe()} -> {_vector(e.payoffs)}" for e in self.stage_equilibria)
        flag = "complete" if self.stage_equilibria.complete else "not necessarily complete"
        lines.append(f"Stage equilibria ({self.stage_equilibria.method}, {flag}): {listed or 'none found'}")
        if self.unique:
            lines.append(f"Subgame-perfect equilibrium: {self.equilibrium.profile.describe()} in every round; "
                         f"total payoffs {_vector(self.total_payoffs)}")
        return lines

    def to_text(self) -> str:
        lines = self._head()
        if self.targets:
            lines.append("")
            lines.extend(_align(*self._rows()))
            for t in self.targets:
                lines.append("")
                if t.sustainable:
                    lines.append(f"{_profile_text(t.profile)}: punish a deviation by "
                                 + "; ".join(f"{p} with {_profile_text(labels)}" for p, labels in t.punishments.items()))
                    lines.extend(f"  {c}" for c in t.conditions)
                else:
                    lines.append(f"{_profile_text(t.profile)}: {t.reason}")
        lines.append("")
        lines.extend(f"Note: {m}" for m in self.messages)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def to_markdown(self) -> str:
        head = self._head()
        lines = [f"**{head[0]}**", ""]
        lines.extend(f"- {line}" for line in head[1:])
        if self.targets:
            lines.append("")
            lines.extend(_markdown_table(*self._rows()))
        lines.append("")
        lines.extend(f"- {m}" for m in self.messages)
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def to_latex(self) -> str:
        """A booktabs ``tabular`` (needs ``\\usepackage{booktabs}``)."""
        comments = [f"{self.game.title or 'stage game'}: {self.method}, {self.rounds} rounds, "
                    f"delta = {_text(self.discount)}"]
        if self.unique:
            header = ["play"] + [_latex_text(f"total payoff {p}") for p in self.players]
            rows = [[_latex_text(self.equilibrium.profile.describe() + " in every round")]
                    + [_latex_number(v) for v in self.total_payoffs]]
            return _latex_table(header, rows, comments)
        header, rows = self._rows()
        header = [_latex_text(h) for h in header]
        latex_rows = []
        for t, row in zip(self.targets, rows):
            cells = [_latex_text(c) for c in row]
            cells[1] = "(" + ", ".join(_latex_number(v) for v in t.payoffs) + ")"
            if t.total_payoffs is not None:
                cells[6] = "(" + ", ".join(_latex_number(v) for v in t.total_payoffs) + ")"
            latex_rows.append(cells)
        return _latex_table(header, latex_rows, comments)


def _mix(profile, player) -> str:
    support = [(s, p) for s, p in profile[player].items() if p > 0]
    if len(support) == 1:
        return support[0][0]
    return " + ".join(f"{_text(p)} {s}" for s, p in support)


def _sustain(game, position, equilibria, rounds, delta):
    """Benoît–Krishna reward/punishment construction for one pure target; a :class:`FiniteTarget`.

    Incentive condition of player ``i`` deviating with ``j`` target rounds still
    to come after the deviation round (``K`` target rounds, ``L`` final rounds):

        d_i − v_i ≤ (v_i − p_i)·S(j) + δ^j (r_i − p_i)·S(L),   S(m) = δ + … + δ^m,

    where ``d_i`` is its best payoff from another strategy, ``r_i`` its reward
    and ``p_i`` its punishment payoff. The right side equals
    ``c − δ^j (c − (r_i − p_i) S(L))`` with ``c = (v_i − p_i) δ/(1 − δ)`` for δ < 1, and is
    linear in ``j`` for δ = 1, so it is monotone in ``j``: checking ``j = 0``
    (the last target round) and ``j = K − 1`` (round 1) checks every round.
    """
    n = game.n_players
    labels = _labels(game, position)
    v = tuple(game.payoffs[position])
    best_other = []
    for i in range(n):
        if game.shape[i] == 1:
            best_other.append(None)
            continue
        u = game.payoff_array(i)
        best_other.append(max(u[position[:i] + (k,) + position[i + 1:]]
                              for k in range(game.shape[i]) if k != position[i]))
    if not equilibria:
        return FiniteTarget(profile=labels, payoffs=v, sustainable=False,
                            reason="the stage game has no pure equilibrium to reward or punish with")
    punish = {}
    for i, player in enumerate(game.players):
        punish[i] = min(equilibria, key=lambda e: game.payoffs[e][i])
    punishments = {game.players[i]: _labels(game, e) for i, e in punish.items()}

    def conditions_for(reward, L, describe=False, number=None):
        """Each player's incentive condition: ``None`` if one fails, else the texts (if ``describe``)."""
        d = delta if number is None else number(delta)
        K = rounds - L

        def S(m):  # δ + … + δ^m
            return _partial_sum(d, m + 1) - 1

        texts = []
        for i, player in enumerate(game.players):
            if best_other[i] is None:
                continue
            values = (best_other[i], v[i], game.payoffs[punish[i]][i], game.payoffs[reward][i])
            best, own, p, r = values if number is None else (number(x) for x in values)
            gain = best - own
            losses = [((own - p) * S(j) + d ** j * (r - p) * S(L), K - j) for j in {0, K - 1}]
            loss, when = min(losses, key=lambda item: item[0])
            if gain > loss + (0 if number is None else TOLERANCE * (1 + abs(loss))):
                return None
            if describe:
                texts.append(
                    f"{player}: one-round gain {_text(best)} − {_text(own)} = {_text(gain)} ≤ "
                    f"{_text(loss)} = future loss when deviating in round {when} (punishment payoff {_text(p)} "
                    f"instead of {_text(own)} in later target rounds and of {_text(r)} in the last {L})")
        return tuple(texts)

    plain = float if not game.is_exact or isinstance(delta, float) else (lambda x: x)
    # Exact games: screen every L in floating point (with a tolerance, so no candidate is lost),
    # then decide the candidates exactly, smallest L first.
    screen = float if game.is_exact else None
    for L in range(1, rounds):
        K = rounds - L
        if screen is not None and all(conditions_for(r, L, number=screen) is None for r in equilibria):
            continue
        found = []
        for reward in equilibria:
            if conditions_for(reward, L) is not None:
                totals = tuple(plain(v[i] * _partial_sum(delta, K) + delta ** K * game.payoffs[reward][i]
                                     * _partial_sum(delta, L)) for i in range(n))
                found.append((totals, reward))
        if found:
            totals, reward = max(found, key=lambda item: sum(item[0]))
            return FiniteTarget(profile=labels, payoffs=v, sustainable=True, target_rounds=K,
                                equilibrium_rounds=L, reward=_labels(game, reward), punishments=punishments,
                                conditions=conditions_for(reward, L, describe=True), total_payoffs=totals)
    if rounds == 1:
        reason = "a one-round game: only stage equilibria are subgame perfect"
    elif len(equilibria) < 2:
        reason = "needs two pure stage equilibria (a reward and a punishment); the stage game has fewer"
    else:
        reason = (f"no reward/punishment pair of pure stage equilibria deters every deviation within "
                  f"{rounds} rounds at δ = {_text(delta)}")
    return FiniteTarget(profile=labels, payoffs=v, sustainable=False, punishments=punishments, reason=reason)


def finitely_repeated(game, rounds, discount=1, *, target=None) -> FiniteRepetitionResult:
    """Subgame-perfect play of the stage game repeated a known, finite number of rounds.

    * If the stage game has a unique Nash equilibrium (complete enumeration by
      :func:`negotiation.solve`), backward induction gives a unique
      subgame-perfect equilibrium: that equilibrium in every round, whatever
      happened before; total payoffs are exact (Selten 1965; e.g. Gibbons 1992, §2.3.A).
    * If it has several, the reward/punishment construction of Benoît & Krishna
      (1985) is applied to each non-equilibrium pure target (or to ``target``):
      play the target in rounds ``1 … K``, then a pure stage equilibrium
      (reward) in the last ``L = rounds − K`` rounds; a deviator in the target
      phase is punished with its worst pure stage equilibrium in every
      remaining round. The smallest ``L`` whose exact incentive inequalities
      hold (see :class:`FiniteTarget`) is reported, i.e. the earliest round from
      which play switches to stage equilibria.

    Covered: pure targets, pure stage equilibria as rewards and punishments;
    two players with complete enumeration (the incentive check itself holds for
    any number of players, but with three or more only pure stage equilibria are
    enumerated). Not covered: mixed targets, mixed equilibria as rewards or
    punishments, paths mixing several targets, the full set of
    subgame-perfect payoffs and the limit folk theorem as rounds → ∞.

    Parameters
    ----------
    game : Game
        Numeric stage game.
    rounds : int
        Number of rounds, at least 1.
    discount : number
        Weight δ in (0, 1] of each later round (1: payoffs are plain sums).
    target : sequence of str, optional
        One pure profile to analyse (default: every non-equilibrium pure profile
        when the stage game has several equilibria).

    Returns
    -------
    FiniteRepetitionResult

    Examples
    --------
    >>> from negotiation import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("A", "B"),
    ...     strategies=(("C", "D"), ("C", "D")))
    >>> result = finitely_repeated(pd, 10)
    >>> result.unique, result.equilibrium.profile.describe(), result.total_payoffs
    (True, 'A: D; B: D', (Fraction(10, 1), Fraction(10, 1)))
    """
    _require_numeric(game, "finitely_repeated")
    if isinstance(rounds, bool) or not isinstance(rounds, (int, np.integer)) or rounds < 1:
        raise RepeatedGameError(f"rounds: expected a whole number of rounds ≥ 1, got {rounds!r}")
    rounds = int(rounds)
    delta = _check_discount(discount, finite=True)
    from negotiation.solvers import solve
    from negotiation.solvers.pure import pure_equilibrium_mask

    stage = solve(game)
    equilibria = [tuple(int(k) for k in p) for p in np.argwhere(pure_equilibrium_mask(game))]
    if stage.complete:
        unique = len(stage.equilibria) == 1
    else:
        unique = False if len(equilibria) > 1 else None
    messages = []
    equilibrium = totals = None
    if unique:
        equilibrium = stage.equilibria[0]
        totals = tuple(u * _partial_sum(delta, rounds) for u in equilibrium.payoffs)
        messages.append(
            "the stage game has a unique Nash equilibrium, so by backward induction the unique subgame-perfect "
            f"equilibrium of the {rounds}-round game plays it in every round, whatever happened before "
            "(Selten 1965; e.g. Gibbons 1992, §2.3.A); totals are sums of δ^(t−1) × stage payoff")
        method = "backward induction"
    else:
        method = "reward/punishment construction (Benoît & Krishna 1985)"
        if unique is None:
            messages.append(
                "uniqueness of the stage equilibrium is not established: mixed equilibria of games with three "
                "or more players are not enumerated; repeating any stage equilibrium in every round is "
                "subgame perfect")
        else:
            messages.append("the stage game has several equilibria; repeating any of them in every round is "
                            "subgame perfect, and other profiles can be sustained in early rounds by rewarding "
                            "with one stage equilibrium and punishing with another in the last rounds")
    if target is not None:
        positions = [_profile_position(game, target)]
    elif unique:
        positions = []
    else:
        nash = set(equilibria)
        positions = [p for p in np.ndindex(*game.shape) if p not in nash]
    targets = []
    for position in positions:
        if position in equilibria:
            v = tuple(game.payoffs[position])
            targets.append(FiniteTarget(
                profile=_labels(game, position), payoffs=v, sustainable=True, target_rounds=rounds,
                equilibrium_rounds=0, reward=_labels(game, position),
                total_payoffs=tuple(x * _partial_sum(delta, rounds) for x in v),
                reason="", conditions=("a stage equilibrium: playing it in every round is subgame perfect",)))
        elif unique:
            targets.append(FiniteTarget(
                profile=_labels(game, position), payoffs=tuple(game.payoffs[position]), sustainable=False,
                reason="the stage game has a unique equilibrium: the unique subgame-perfect equilibrium plays "
                       "it in every round"))
        else:
            targets.append(_sustain(game, position, equilibria, rounds, delta))
    if not unique:
        messages.append(
            "covered: pure targets; rewards and punishments are pure stage equilibria (a deviator gets its worst "
            "one in every remaining round); two players with complete equilibrium enumeration. Not covered: "
            "mixed targets or mixed equilibria as rewards/punishments, paths that alternate several targets, "
            "the full set of subgame-perfect payoffs, and the limit folk theorem as rounds grow "
            "(Benoît & Krishna 1985 need full dimensionality there)")
    exact = game.is_exact and not isinstance(delta, float)
    return FiniteRepetitionResult(
        game=game, rounds=rounds, discount=delta, exact=exact, stage_equilibria=stage, unique=unique,
        equilibrium=equilibrium, total_payoffs=totals, targets=tuple(targets), method=method,
        messages=tuple(messages))


# ---------------------------------------------------------------------- scenario [repetition] analysis
#: Strategies a ``[repetition]`` section may list, with their titles.
STRATEGY_TITLES = {"grim_trigger": "grim trigger (Nash reversion)", "tit_for_tat": "tit-for-tat (Axelrod)"}


@dataclass(frozen=True)
class StrategyThreshold:
    """The critical discount factor of one repeated-game strategy for the target profile.

    Attributes
    ----------
    strategy : str
        ``"grim_trigger"`` or ``"tit_for_tat"``.
    threshold : Fraction, float or None
        ``δ*`` at the parameter values; ``None`` if the strategy cannot sustain
        the target (see ``note``).
    formula : sympy expression or None
        ``δ*`` in the scenario's parameters (valid where the payoffs are ordered
        as at the given values).
    sustained : bool or None
        Whether the scenario's discount factor satisfies ``δ ≥ δ*`` (``None``:
        no discount given, no threshold, or a finite horizon).
    condition : str
        ``"δ ≥ 1/3"`` and, with a symbolic discount, the condition in the parameters.
    note : str
    """

    strategy: str
    threshold: Any
    formula: Any
    sustained: bool | None
    condition: str
    note: str = ""

    @property
    def title(self) -> str:
        return STRATEGY_TITLES.get(self.strategy, self.strategy)

    def to_dict(self) -> dict:
        return {
            "strategy": self.strategy,
            "critical_discount": json_number(self.threshold) if self.threshold is not None else None,
            "formula": str(self.formula) if self.formula is not None else None,
            "condition": self.condition,
            "sustained": self.sustained,
            "note": self.note,
        }


@dataclass(frozen=True, eq=False)
class RepeatedAnalysis(Tabular):
    """The answer to a scenario's ``[repetition]`` section at one parameter point.

    Attributes
    ----------
    game : Game
        The numeric stage game at the parameter values.
    repetition : Repetition
        The section as parsed (:func:`negotiation.scenario.repeated.parse_repetition`).
    parameters : dict
        Parameter values used.
    discount : Fraction, float or None
        The discount factor at those values.
    thresholds : tuple of StrategyThreshold
        One per listed strategy.
    folk : FolkTheoremResult
    finite : FiniteRepetitionResult or None
        When ``rounds`` is a number.
    messages : tuple of str
    """

    game: Any = field(repr=False)
    repetition: Any
    parameters: dict
    discount: Any
    thresholds: tuple
    folk: Any = field(repr=False)
    finite: Any = field(repr=False, default=None)
    messages: tuple = ()

    @property
    def target(self) -> tuple:
        return tuple(self.repetition.target)

    def plot(self, ax=None):
        """The folk-theorem picture of the stage game (two players): see :meth:`FolkTheoremResult.plot`."""
        return self.folk.plot(ax=ax) if ax is not None else self.folk.plot()

    def threshold(self, strategy) -> StrategyThreshold:
        for entry in self.thresholds:
            if entry.strategy == strategy:
                return entry
        raise RepeatedGameError(f"strategy: {strategy!r} was not analysed")

    def _discount_text(self) -> str:
        text = getattr(self.repetition, "discount_text", None)
        if self.discount is None:
            return "not given"
        if text and text != _text(self.discount):
            return f"{text} = {_text(self.discount)}"
        return _text(self.discount)

    def _horizon(self) -> str:
        rounds = self.repetition.rounds
        return "infinitely repeated" if rounds is None else f"{rounds} rounds"

    def to_records(self) -> list:
        records = []
        for entry in self.thresholds:
            record = dict(self.parameters)
            record.update({f"target {p}": s for p, s in zip(self.game.players, self.target)})
            record["rounds"] = "infinite" if self.repetition.rounds is None else self.repetition.rounds
            record["discount"] = self.discount
            record["strategy"] = entry.strategy
            record["critical discount"] = entry.threshold
            record["formula"] = str(entry.formula) if entry.formula is not None else None
            record["sustained"] = entry.sustained
            records.append(record)
        return records

    def to_csv(self) -> str:
        return _csv(self.to_records())

    def to_dict(self) -> dict:
        punishment = self.repetition.punishment
        return {
            "target": dict(zip(self.game.players, self.target)),
            "rounds": "infinite" if self.repetition.rounds is None else self.repetition.rounds,
            "discount": {"expression": getattr(self.repetition, "discount_text", None),
                         "value": json_number(self.discount) if self.discount is not None else None},
            "punishment": punishment if isinstance(punishment, str) else dict(zip(self.game.players, punishment)),
            "parameters": {k: json_number(v) for k, v in self.parameters.items()},
            "strategies": [t.to_dict() for t in self.thresholds],
            "folk_theorem": self.folk.to_dict(),
            "finite": self.finite.to_dict() if self.finite is not None else None,
            "messages": list(self.messages),
        }

    def _rows(self, latex=False):
        header = ["strategy", "critical δ", "in the parameters", "at this δ"]
        rows = []
        for t in self.thresholds:
            value = "—" if t.threshold is None else (_latex_number(t.threshold) if latex else _text(t.threshold))
            formula = "—" if t.formula is None else (f"${_sympy_latex(t.formula)}$" if latex else str(t.formula))
            verdict = {True: "sustained", False: "not sustained", None: "—"}[t.sustained]
            rows.append([_latex_text(t.title) if latex else t.title, value, formula, verdict])
        return header, rows

    def _target_line(self) -> str:
        entry = self.folk.profile(self.target)
        return (f"Folk theorem for {_profile_text(self.target)} {_vector(entry.payoffs)}: "
                f"{FOLK_VERDICTS[entry.folk][1]}")

    def _head(self) -> list:
        lines = [f"Repeated game: {self.game.title or 'stage game'}, target {_profile_text(self.target)}, "
                 f"{self._horizon()}, δ = {self._discount_text()}"]
        if self.parameters:
            lines.append("Parameters: " + ", ".join(f"{k} = {_text(v)}" for k, v in self.parameters.items()))
        punishment = self.repetition.punishment
        lines.append("Punishment: " + ("the worst pure stage equilibrium for the deviator (Nash reversion)"
                                       if punishment == "nash" else _profile_text(punishment)))
        return lines

    def to_text(self) -> str:
        lines = self._head() + [""]
        lines.extend(_align(*self._rows()))
        for t in self.thresholds:
            if t.note:
                lines.append(f"{t.title}: {t.note}")
            if t.threshold is not None and t.condition:
                lines.append(f"{t.title}: {t.condition}")
        lines.append("")
        lines.append(self._target_line())
        lines.extend(self.folk._summary_lines())
        if self.finite is not None:
            lines.append("")
            lines.append(self.finite.to_text())
        if self.messages:
            lines.append("")
            lines.extend(f"Note: {m}" for m in self.messages)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def to_markdown(self) -> str:
        head = self._head()
        lines = [f"**{head[0]}**", ""]
        lines.extend(f"- {line}" for line in head[1:])
        lines.append("")
        lines.extend(_markdown_table(*self._rows()))
        lines.append("")
        lines.append(f"- {self._target_line()}")
        lines.extend(f"- {t.title}: {t.note}" for t in self.thresholds if t.note)
        lines.extend(f"- {m}" for m in self.messages)
        if self.finite is not None:
            lines.append("")
            lines.append(self.finite.to_markdown())
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def to_latex(self) -> str:
        """A booktabs ``tabular`` of the strategies' critical discount factors."""
        header, rows = self._rows(latex=True)
        header = [_latex_text(h) for h in header]
        rows = [[row[0], row[1], row[2], _latex_text(row[3])] for row in rows]
        comments = [self._head()[0]]
        return _latex_table(header, rows, comments)


def _sympy_latex(value) -> str:
    import sympy

    return sympy.latex(value)


def _evaluate(expression, values, where):
    """A number from a discount given as a number or a sympy expression in the parameters."""
    if expression is None:
        return None
    if _is_sympy(expression) and expression.free_symbols:
        import sympy

        names = {s.name: s for s in expression.free_symbols}
        missing = sorted(set(names) - set(values))
        if missing:
            raise RepeatedGameError(f"{where}: no value for parameter {missing[0]!r}")
        replacement = {names[k]: (sympy.Rational(v.numerator, v.denominator) if isinstance(v, Fraction)
                                  else sympy.Float(v)) for k, v in values.items() if k in names}
        expression = expression.xreplace(replacement)
    try:
        return coerce_number(expression, where=where)
    except ValueError as error:
        raise RepeatedGameError(str(error)) from None


def analyse_repetition(game, repetition, values=None) -> RepeatedAnalysis:
    """Answer a scenario's ``[repetition]`` section at one parameter point.

    For the target profile: each listed strategy's critical discount factor at
    the values and, for a parametric game, as a formula in the parameters;
    whether the section's discount factor sustains the target; the folk-theorem
    summary (:func:`folk_theorem`); and, when ``rounds`` is a number, the
    finite-horizon result (:func:`finitely_repeated`).

    Parameters
    ----------
    game : Game
        The scenario's (symbolic or numeric) stage game.
    repetition : Repetition
        From :func:`negotiation.scenario.repeated.parse_repetition`.
    values : mapping, optional
        Parameter values (others at their defaults).

    Returns
    -------
    RepeatedAnalysis

    Examples
    --------
    >>> from negotiation import Game
    >>> from negotiation.scenario.repeated import parse_repetition
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("A", "B"),
    ...     strategies=(("C", "D"), ("C", "D")))
    >>> section = {"discount": "0.6", "target": ["C", "C"], "strategies": ["grim_trigger", "tit_for_tat"]}
    >>> repetition = parse_repetition(section, pd.players, pd.strategies, {}, "pd.toml")
    >>> analysis = analyse_repetition(pd, repetition)
    >>> [(t.strategy, t.condition, t.sustained) for t in analysis.thresholds]
    [('grim_trigger', 'δ ≥ 1/2', True), ('tit_for_tat', 'δ ≥ 2/3', False)]
    """
    source = getattr(repetition, "source", "") or "repetition"
    if game.is_symbolic:
        try:
            numeric = game.substitute(values or {})
        except ValueError as error:
            raise RepeatedGameError(f"{source}: {error}") from None
    else:
        numeric = game
    parameters = dict(numeric.values) if numeric.values else {
        k: coerce_number(v, where=f"parameter {k}") for k, v in (values or {}).items()}
    rounds = repetition.rounds
    discount = _evaluate(repetition.discount, parameters, f"{source}: repetition.discount")
    discount = _check_discount(discount, finite=rounds is not None, where=f"{source}: repetition.discount")
    target = tuple(repetition.target)
    punishment = None if repetition.punishment == "nash" else tuple(repetition.punishment)
    symbolic_discount = (_is_sympy(repetition.discount) and bool(repetition.discount.free_symbols))
    messages = []
    thresholds = []
    for strategy in repetition.strategies:
        if strategy not in STRATEGY_TITLES:
            raise RepeatedGameError(f"{source}: repetition.strategies: unknown strategy {strategy!r} "
                                    f"(expected: {', '.join(STRATEGY_TITLES)})")
        note = ""
        if strategy == "tit_for_tat":
            if numeric.n_players != 2 or target[0] != target[1]:
                thresholds.append(StrategyThreshold(
                    strategy, None, None, None, "",
                    "tit-for-tat sustains mutual cooperation: the target must be the same strategy for both "
                    "players of a symmetric 2×2 game"))
                continue
            if punishment is not None:
                note = "tit-for-tat punishes by copying the deviation; the section's punishment is not used. "

            def compute(g, at=None):
                return tit_for_tat_threshold(g, target[0], at=at)
        else:
            def compute(g, at=None):
                return grim_trigger_threshold(g, target, punishment, at=at)
        try:
            threshold = compute(numeric)
        except (RepeatedGameError, ValueError) as error:
            thresholds.append(StrategyThreshold(strategy, None, None, None, "", note + str(error)))
            continue
        formula = None
        if game.is_symbolic:
            try:
                formula = compute(game, at=parameters)
            except (RepeatedGameError, ValueError) as error:
                note += f"no closed form: {error}. "
        condition = f"δ ≥ {_text(threshold)}"
        parametric = formula is not None and _is_sympy(formula) and bool(formula.free_symbols)
        if symbolic_discount and parametric:
            condition += f"; in the parameters: {repetition.discount_text} ≥ {formula}"
        elif parametric:
            condition += f"; δ* = {formula} in the parameters"
        sustained = None
        if discount is not None and rounds is None:
            sustained = bool(discount >= threshold)
        if strategy == "tit_for_tat":
            note += ("Axelrod's condition for tit-for-tat to be collectively stable (δ read as the "
                     "probability of another round)")
        thresholds.append(StrategyThreshold(strategy, threshold, formula, sustained, condition, note.strip()))
    if game.is_symbolic and any(t.formula is not None for t in thresholds):
        messages.append("formulas hold where the stage payoffs are ordered as at these parameter values")
    if rounds is not None:
        messages.append(f"critical discount factors are for the infinitely repeated game; with {rounds} rounds "
                        "the finite-horizon result applies")
    folk = folk_theorem(numeric, discount=discount if rounds is None else None)
    finite = None
    if rounds is not None:
        finite = finitely_repeated(numeric, rounds, 1 if discount is None else discount, target=target)
    return RepeatedAnalysis(game=numeric, repetition=repetition, parameters=parameters, discount=discount,
                            thresholds=tuple(thresholds), folk=folk, finite=finite, messages=tuple(messages))
