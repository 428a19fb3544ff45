"""Solutions of cooperative games: the Shapley value, the core, the nucleolus, Banzhaf and Shapley–Shubik indices.

``ng.solve(game)`` on a :class:`~negotiation.models.cooperative.CooperativeGame` computes every solution that
applies (``method="auto"``) or one of them (``"shapley"``, ``"core"``, ``"nucleolus"``, ``"power"``) and returns a
:class:`~negotiation.results.cooperative.CooperativeResult`. Everything is exact for exact worths: the Shapley
value and the power indices by their closed forms over all coalitions, the core and the nucleolus by exact linear
programs (:mod:`negotiation.solvers.nucleolus`).

References
----------
Shapley, L. S. (1953). "A value for n-person games". In Kuhn and Tucker (eds.), *Contributions to the
Theory of Games II*, Annals of Mathematics Studies 28: 307–317 (the formula for φ_i).
Shapley, L. S. and Shubik, M. (1954). "A method for evaluating the distribution of power in a committee
system". *American Political Science Review* 48(3): 787–792.
Banzhaf, J. F. (1965). "Weighted voting doesn't work: a mathematical analysis". *Rutgers Law Review*
19(2): 317–343.
Gillies, D. B. (1959). "Solutions to general non-zero-sum games". In Tucker and Luce (eds.),
*Contributions to the Theory of Games IV*, Annals of Mathematics Studies 40: 47–85 (the core).
Dubey, P. and Shapley, L. S. (1979). "Mathematical properties of the Banzhaf power index".
*Mathematics of Operations Research* 4(2): 99–131 (raw and normalised Banzhaf indices).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from fractions import Fraction

from negotiation.core.errors import SolverLimitError
from negotiation.core.linalg import solve_exact
from negotiation.models.cooperative import CooperativeError, CooperativeGame, factorial_weights
from negotiation.results.cooperative import CooperativeResult
from negotiation.solvers.front_door import solve
from negotiation.solvers.nucleolus import MAX_LP_PLAYERS, MAX_PIVOTS, least_core, nucleolus

__all__ = [
    "COOPERATIVE_METHODS",
    "MAX_CORE_VERTEX_PLAYERS",
    "banzhaf_index",
    "core_vertices",
    "shapley_value",
    "solve_cooperative",
]

#: Most players for which the core's vertices are listed: every choice of n − 1 coalition constraints is solved
#: (364 systems of 4 equations for 4 players, 27,405 of 5 for 5).
MAX_CORE_VERTEX_PLAYERS = 4
#: The methods of ``ng.solve`` for a cooperative game (``"auto"``: every one that applies).
COOPERATIVE_METHODS = ("shapley", "core", "nucleolus", "power")


def _numeric(game: CooperativeGame) -> None:
    if game.is_symbolic:
        raise CooperativeError("substitute parameter values before solving (game.substitute(...))")


def _scaled(game: CooperativeGame):
    """The worths as integers times a common denominator (exact games), or floats: fast exact sums."""
    if game.is_exact:
        scale = math.lcm(*(v.denominator for v in game.worth))
        return [v.numerator * (scale // v.denominator) for v in game.worth], scale
    return list(game.worth), None


def shapley_value(game: CooperativeGame) -> tuple:
    """``φ_i = Σ_{S ∌ i} |S|!(n−|S|−1)!/n! · (v(S ∪ {i}) − v(S))`` for every player (Shapley 1953), exactly.

    One pass over the ``2^n`` coalitions adds up each player's marginal contributions by coalition size.

    Examples
    --------
    The glove game with one left-glove holder and two right-glove holders:

    >>> game = CooperativeGame.glove(("L", "R1", "R2"), left={"L": 1}, right={"R1": 1, "R2": 1})
    >>> shapley_value(game)
    (Fraction(2, 3), Fraction(1, 6), Fraction(1, 6))
    """
    _numeric(game)
    n = game.n_players
    worth, scale = _scaled(game)
    by_size = [[0] * n for _ in range(n)]
    for mask in range(1, len(worth)):
        size = mask.bit_count() - 1
        value = worth[mask]
        rest = mask
        while rest:
            low = rest & -rest
            rest ^= low
            by_size[low.bit_length() - 1][size] += value - worth[mask ^ low]
    weights = factorial_weights(n)
    if scale is None:
        return tuple(sum(float(w) * t for w, t in zip(weights, totals)) for totals in by_size)
    return tuple(sum((w * t for w, t in zip(weights, totals)), Fraction(0)) / scale for totals in by_size)


def banzhaf_index(game: CooperativeGame) -> tuple:
    """``(raw, normalised)`` Banzhaf indices of a simple game: each player's swings over ``2^(n−1)``, and over all
    players' swings (Banzhaf 1965; Dubey and Shapley 1979).

    A swing of player ``i`` is a losing coalition ``S ∌ i`` that ``S ∪ {i}`` makes winning.

    Examples
    --------
    ``[3; 2, 1, 1]``: A swings in {A}∪{B}, {A}∪{C}, {A}∪{B, C}; B and C once each (with A alone):

    >>> raw, normalised = banzhaf_index(CooperativeGame.weighted_voting(("A", "B", "C"), [2, 1, 1], 3))
    >>> raw, normalised
    ((Fraction(3, 4), Fraction(1, 4), Fraction(1, 4)), (Fraction(3, 5), Fraction(1, 5), Fraction(1, 5)))
    """
    _numeric(game)
    if not game.is_simple:
        raise CooperativeError("power indices are defined for simple games (worths 0 or 1, v(N) = 1, monotone)")
    n = game.n_players
    swings = [0] * n
    worth = game.worth
    for mask in range(1, len(worth)):
        if worth[mask] != 1:
            continue
        rest = mask
        while rest:
            low = rest & -rest
            rest ^= low
            if worth[mask ^ low] == 0:
                swings[low.bit_length() - 1] += 1
    total = sum(swings)
    raw = tuple(Fraction(s, 1 << (n - 1)) for s in swings)
    normalised = tuple(Fraction(s, total) for s in swings)
    return raw, normalised


def core_vertices(game: CooperativeGame, *, max_players: int = MAX_CORE_VERTEX_PLAYERS) -> tuple:
    """The vertices of the core ``{x : x(N) = v(N), x(S) ≥ v(S) for all S}``, exactly (``()`` if it is empty).

    Every vertex is the unique solution of ``x(N) = v(N)`` and ``n − 1`` tight coalition constraints: each such
    system is solved exactly and its solution kept when it satisfies every constraint.

    Examples
    --------
    >>> game = CooperativeGame.glove(("L", "R1", "R2"), left={"L": 1}, right={"R1": 1, "R2": 1})
    >>> core_vertices(game)
    ((Fraction(1, 1), Fraction(0, 1), Fraction(0, 1)),)
    """
    _numeric(game)
    if not game.is_exact:
        raise CooperativeError("the core's vertices are computed exactly: give the worths as exact numbers")
    n = game.n_players
    if n > max_players:
        raise SolverLimitError(f"{n} players is more than MAX_CORE_VERTEX_PLAYERS = {max_players} for listing the "
                               "core's vertices (raise it with max_vertex_players=)")
    full = game.n_coalitions - 1
    rows = {mask: [Fraction(mask >> i & 1) for i in range(n)] for mask in range(1, full + 1)}
    vertices = []
    for chosen in itertools.combinations(range(1, full), n - 1):
        point = solve_exact([rows[full], *(rows[m] for m in chosen)],
                            [game.grand_value, *(game.worth[m] for m in chosen)])
        if point is None or tuple(point) in vertices:
            continue
        if all(sum(x for x, a in zip(point, rows[m]) if a) >= game.worth[m] for m in range(1, full)):
            vertices.append(tuple(point))
    return tuple(sorted(vertices, reverse=True))


def _wanted(method: str, game: CooperativeGame) -> tuple:
    if method == "auto":
        return ("shapley", "core", "nucleolus", "power") if game.is_simple else ("shapley", "core", "nucleolus")
    return (method,)


@solve.register(CooperativeGame, methods=COOPERATIVE_METHODS)
def solve_cooperative(game: CooperativeGame, method: str = "auto", values: Mapping | None = None, *,
                      max_players: int = MAX_LP_PLAYERS, max_vertex_players: int = MAX_CORE_VERTEX_PLAYERS,
                      max_pivots: int = MAX_PIVOTS) -> CooperativeResult:
    """The front door's handler: the solutions ``method`` names (``"auto"``: all that apply), exactly.

    ``"auto"`` computes the Shapley value, the core (least core value; vertices up to four players) and the
    nucleolus, and for simple games the Banzhaf indices; a solution beyond a limit or undefined for the game
    is left out with a message saying why.

    Examples
    --------
    >>> import negotiation as ng
    >>> result = ng.solve(CooperativeGame.bankruptcy(("A", "B", "C"), 300, [100, 200, 300]))
    >>> result.solution("nucleolus")
    {'A': Fraction(50, 1), 'B': Fraction(100, 1), 'C': Fraction(150, 1)}
    >>> result.core_empty
    False
    """
    if values:
        game = game.substitute(values)
    _numeric(game)
    wanted = _wanted(method, game)
    found: dict = {}
    messages = []
    details: dict = {}
    if "shapley" in wanted:
        found["shapley"] = shapley_value(game)
    if "power" in wanted:
        found["banzhaf"], found["banzhaf_normalised"] = banzhaf_index(game)
        found["shapley"] = found.get("shapley") or shapley_value(game)
    lp = [name for name in ("core", "nucleolus") if name in wanted]
    if lp and not game.is_exact:
        messages.append("The core and the nucleolus are computed only for exact worths (these are floats); the "
                        "Shapley value is floating point.")
        lp = []
    if lp and game.n_players > max_players:
        if method != "auto":
            raise SolverLimitError(f"{game.n_players} players is more than MAX_LP_PLAYERS = {max_players} for the "
                                   "exact linear programs (raise it with max_players=)")
        messages.append(f"The core and the nucleolus are left out: {game.n_players} players is more than "
                        f"MAX_LP_PLAYERS = {max_players} (raise it with max_players=).")
        lp = []
    if "core" in lp:
        found.update(_core(game, max_players, max_vertex_players, max_pivots, messages))
        details["least core point"] = found.pop("least_core_point")
    if "nucleolus" in lp:
        try:
            found["nucleolus"], levels = nucleolus(game, max_players=max_players, max_pivots=max_pivots)
            details["nucleolus programs"] = len(levels)
        except CooperativeError as error:
            if method != "auto":
                raise
            messages.append(f"Nucleolus: {error}.")
    if "nucleolus" in found and found.get("least_core") is not None and found["least_core"] <= 0:
        messages.append("The nucleolus lies in the core (the core is non-empty).")
    names = [name for name in ("shapley", "core", "nucleolus") if name in wanted and
             (name != "core" or "least_core" in found) and (name != "nucleolus" or "nucleolus" in found)]
    if "banzhaf" in found:
        names.append("banzhaf")
    return CooperativeResult(game=game, method="+".join(names) or method, exact=game.is_exact,
                             parameters=dict(game.values), messages=tuple(messages), details=details, **found)


def _core(game, max_players, max_vertex_players, max_pivots, messages) -> dict:
    outcome = least_core(game, max_players=max_players, max_pivots=max_pivots)
    found = {"least_core": outcome.epsilon, "least_core_point": outcome.point}
    if outcome.core_empty:
        found["core_vertices"] = ()
    elif game.n_players <= max_vertex_players:
        found["core_vertices"] = core_vertices(game, max_players=max_vertex_players)
    else:
        messages.append(f"The core's vertices are listed for up to MAX_CORE_VERTEX_PLAYERS = {max_vertex_players} "
                        "players.")
    return found
