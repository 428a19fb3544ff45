"""Pure perfect Bayesian equilibria of signaling games, and Cho & Kreps's intuitive criterion.

A pure *perfect Bayesian equilibrium* (PBE) of a :class:`~negotiation.models.signaling.SignalingGame`
is a sender strategy (type → message), a receiver strategy (message → response) and beliefs (for each
message, a distribution over types) such that

* every type's message is optimal given the receiver's strategy;
* after every message, the receiver's response is optimal given its belief;
* beliefs after messages that some type with positive prior sends (*on the
  path*) follow from the prior by Bayes' rule; beliefs after the other
  messages (*off the path*) are unrestricted.

In a signaling game every off-path belief can be reached by trembles, so these
PBE are also the sequential equilibria of the game (Fudenberg & Tirole, *Game
Theory*, 1991, ch. 8). :func:`pure_pbe` lists all of them: for each off-path
message it gives the whole *set* of beliefs that support the receiver's
response there (a polytope in the type simplex: an interval for each type's
probability when there are two types, linear inequalities in general), and the
equilibrium exists iff every such set is non-empty and no type gains by
changing its message. :func:`intuitive_criterion` applies Cho & Kreps's
(1987) refinement. ``ng.solve`` on a signaling game (or its scenario) comes here.

Mixed (and hybrid, semi-separating-in-mixed-strategies) equilibria are not
searched: results say "pure PBE only" and are complete for pure strategies.

Examples
--------
The beer–quiche game (Cho & Kreps 1987, QJE 102(2):179–221): the sender is strong
with probability 9/10, the receiver wants to duel only the weak type.

>>> from negotiation.models.signaling import beer_quiche
>>> game = beer_quiche()
>>> result = pure_pbe(game)
>>> [(e.kind, e.sender_strategy["Strong"], e.intuitive.survives) for e in result]
[('pooling', 'Beer', True), ('pooling', 'Quiche', False)]
>>> result[1].belief("Beer").describe()
'μ(Weak | Beer) ∈ [1/2, 1]'
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace
from fractions import Fraction
from typing import Mapping

from negotiation.core.numeric import format_number
from negotiation.models.signaling import TOLERANCE, SignalingError, SignalingGame
from negotiation.results.signaling import (SCOPE, BeliefSet, IntuitiveCriterionResult, MessageTest,
                                           SignalingEquilibrium, SignalingResult)
from negotiation.solvers.front_door import solve
from negotiation.solvers.verify import payoff_exponent

__all__ = ["pure_pbe", "intuitive_criterion", "solve_signaling", "MAX_PROFILES"]

#: Largest number of pure strategy profiles (sender strategies × receiver strategies) :func:`pure_pbe` enumerates.
MAX_PROFILES = 2_000_000


@solve.register(SignalingGame, methods=("pure_pbe",))
def solve_signaling(game: SignalingGame, method: str = "auto", values: Mapping | None = None,
                    **options) -> SignalingResult:
    """The front door's handler: :func:`pure_pbe` of the game at ``values`` (``method`` is ``pure_pbe``).

    Examples
    --------
    >>> import negotiation as ng
    >>> from negotiation.models.signaling import beer_quiche
    >>> len(ng.solve(beer_quiche(), method="pure_pbe")), ng.solve.methods(beer_quiche())
    (2, ('auto', 'pure_pbe'))
    """
    if values:
        game = game.substitute(values)
    return pure_pbe(game, **options)


# ---------------------------------------------------------------------- belief polytopes
class _Solver:
    """Numbers of one numeric game and cached belief polytopes."""

    def __init__(self, game: SignalingGame):
        if game.is_symbolic:
            raise SignalingError("substitute parameter values before solving (game.substitute(...))")
        self.game = game
        self.exact = game.is_exact
        # floats: ties within TOLERANCE times the largest |payoff| (relative: no floor, so any scale works)
        everything = [v for t in game.payoffs for m in t for pair in m for v in pair]
        largest = max([abs(v) for v in everything], default=0) or 1
        self.tolerance = 0 if self.exact else TOLERANCE * float(largest)
        # belief polytopes of float games are computed on the payoffs divided by their unit 2**exponent
        self.exponent = 0 if self.exact else payoff_exponent(everything)
        self.unit_tolerance = 0 if self.exact else math.ldexp(self.tolerance, -self.exponent)
        self.zero = Fraction(0) if self.exact else 0.0
        self.one = Fraction(1) if self.exact else 1.0
        self.sender_u = [[[pair[0] for pair in row] for row in by_type] for by_type in game.payoffs]
        self.receiver_u = [[[pair[1] for pair in row] for row in by_type] for by_type in game.payoffs]
        self._cache: dict = {}

    def polytope(self, m: int, a: int, support: tuple) -> tuple:
        """Vertices and constraint rows of the beliefs (on ``support``, as full-length vectors) under
        which response ``a`` is a best reply after message ``m``."""
        key = (m, a, support)
        if key in self._cache:
            return self._cache[key]
        game = self.game
        n_types = len(game.types)
        u = self.receiver_u
        alternatives, rows = [], []
        for b in range(len(game.responses[m])):
            if b != a:
                alternatives.append(game.responses[m][b])
                rows.append(tuple(u[t][m][a] - u[t][m][b] for t in range(n_types)))
        unit_rows = rows
        if not self.exact:
            # the corners are found on the payoffs divided by their unit (a power of two, which keeps each
            # inequality), so that the payoff rows and the probability rows share one tolerance at any scale;
            # where differences near the float maximum overflow, the set is described by those rows too
            unit_rows = tuple(tuple(math.ldexp(u[t][m][a], -self.exponent) - math.ldexp(u[t][m][b], -self.exponent)
                                    for t in range(n_types)) for b in range(len(game.responses[m])) if b != a)
            if not all(math.isfinite(c) for row in rows for c in row):
                rows = unit_rows
        vertices = _vertices(unit_rows, support, n_types, self.unit_tolerance, self.zero, self.one)
        result = (tuple(vertices), tuple(alternatives), tuple(rows))
        self._cache[key] = result
        return result

    def supportable(self, m: int, support: tuple) -> list:
        """Responses after ``m`` that are best replies to some belief concentrated on ``support``."""
        return [a for a in range(len(self.game.responses[m])) if self.polytope(m, a, support)[0]]

    def at_least(self, x, y) -> bool:
        return x >= y - self.tolerance

    def above(self, x, y) -> bool:
        return x > y + self.tolerance


def _vertices(rows, support, n_types, tolerance, zero, one) -> list:
    """Corners of ``{μ ≥ 0 on support, μ = 0 elsewhere, Σ μ = 1, row · μ ≥ 0 for every row}``."""
    k = len(support)
    restricted = [[row[t] for t in support] for row in rows]
    inequalities = [[one if s == j else zero for s in range(k)] for j in range(k)] + restricted
    found = []
    for chosen in itertools.combinations(range(len(inequalities)), k - 1):
        matrix = [inequalities[i] for i in chosen] + [[one] * k]
        rhs = [zero] * (k - 1) + [one]
        point = _solve_square(matrix, rhs, tolerance)
        if point is None:
            continue
        if not all(sum(c * p for c, p in zip(row, point)) >= -tolerance for row in inequalities):
            continue
        if tolerance:
            point = [max(0.0, p) for p in point]
            if any(all(abs(a - b) <= tolerance for a, b in zip(point, other)) for other in found):
                continue
        elif point in found:
            continue
        found.append(point)
    out = []
    for point in sorted(found, key=lambda p: tuple(-x for x in p)):
        full = [zero] * n_types
        for s, t in enumerate(support):
            full[t] = point[s]
        out.append(tuple(full))
    return out


def _solve_square(matrix, rhs, tolerance):
    """Gaussian elimination with partial pivoting; exact for Fractions (``tolerance`` 0); ``None`` if singular."""
    n = len(matrix)
    rows = [list(r) + [b] for r, b in zip(matrix, rhs)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        if (rows[pivot][col] == 0) if tolerance == 0 else (abs(rows[pivot][col]) <= tolerance):
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        lead = rows[col][col]
        rows[col] = [v / lead for v in rows[col]]
        for r in range(n):
            if r != col and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [x - factor * y for x, y in zip(rows[r], rows[col])]
    return [rows[i][n] for i in range(n)]


# ---------------------------------------------------------------------- equilibria
def pure_pbe(game: SignalingGame, *, intuitive: bool = True) -> SignalingResult:
    """All pure perfect Bayesian equilibria of a numeric signaling game.

    Every sender strategy (type → message) is paired with the receiver's responses that can be
    part of an equilibrium: after an on-path message, the best replies to the Bayes posterior;
    after an off-path message, the responses that are best replies to *some* belief (the belief
    set, a polytope in the type simplex, must be non-empty). A profile is an equilibrium iff,
    in addition, no type gains by sending another message. Ties count as best replies.

    Parameters
    ----------
    game : SignalingGame
        Numeric (``game.substitute(values)`` first for a symbolic game).
    intuitive : bool
        Also apply :func:`intuitive_criterion` to each equilibrium.

    Returns
    -------
    SignalingResult
        Method ``"pure_pbe"``, complete for pure strategies; exact for exact games.

    Examples
    --------
    >>> from negotiation.models.signaling import beer_quiche
    >>> result = pure_pbe(beer_quiche())
    >>> len(result), result.exact, result.complete
    (2, True, True)
    >>> first = result[0]
    >>> first.receiver_strategy, first.belief("Beer")
    ({'Beer': 'NotDuel', 'Quiche': 'Duel'}, {'Strong': Fraction(9, 10), 'Weak': Fraction(1, 10)})
    >>> first.sender_payoffs, first.receiver_payoff
    ((Fraction(3, 1), Fraction(2, 1)), Fraction(9, 10))
    """
    if not isinstance(game, SignalingGame):
        raise SignalingError(f"game: expected a SignalingGame, got {type(game).__name__}")
    solver = _Solver(game)
    if game.n_profiles > MAX_PROFILES:
        raise SignalingError(f"the game has {game.n_profiles} pure strategy profiles (more than {MAX_PROFILES}); "
                             "pure_pbe enumerates them all")
    n_types, n_messages = len(game.types), len(game.messages)
    everyone = tuple(range(n_types))
    prior = game.prior
    su, ru = solver.sender_u, solver.receiver_u
    equilibria = []
    for sigma in itertools.product(range(n_messages), repeat=n_types):
        allowed, posteriors = [], []
        for m in range(n_messages):
            senders = [t for t in everyone if sigma[t] == m]
            mass = sum((prior[t] for t in senders), solver.zero)
            if mass > 0 if solver.exact else mass > TOLERANCE:
                posterior = tuple(prior[t] / mass if sigma[t] == m else solver.zero for t in everyone)
                values = [sum(posterior[t] * ru[t][m][a] for t in senders) for a in range(len(game.responses[m]))]
                best = max(values)
                allowed.append([a for a, v in enumerate(values) if solver.at_least(v, best)])
                posteriors.append(posterior)
            else:
                allowed.append(solver.supportable(m, everyone))
                posteriors.append(None)
        for rho in itertools.product(*allowed):
            payoffs = tuple(su[t][sigma[t]][rho[sigma[t]]] for t in everyone)
            if not all(solver.at_least(payoffs[t], su[t][m][rho[m]]) for t in everyone for m in range(n_messages)):
                continue
            beliefs = []
            for m in range(n_messages):
                if posteriors[m] is not None:
                    beliefs.append(posteriors[m])
                else:
                    vertices, alternatives, rows = solver.polytope(m, rho[m], everyone)
                    beliefs.append(BeliefSet(game.messages[m], game.responses[m][rho[m]], game.types, vertices,
                                             alternatives, rows))
            receiver = sum((prior[t] * ru[t][sigma[t]][rho[sigma[t]]] for t in everyone), solver.zero)
            equilibria.append(SignalingEquilibrium(game, tuple(sigma), tuple(rho), tuple(beliefs), payoffs, receiver))
    if intuitive:
        equilibria = [replace(e, intuitive=_intuitive(solver, e)) for e in equilibria]
    messages = [SCOPE]
    if not game.is_exact:
        messages.append(f"floating point: payoffs within {solver.tolerance:.3g} ({TOLERANCE:g} times the largest "
                        "|payoff|: relative to the payoff scale) count as ties")
    return SignalingResult(game=game, equilibria=tuple(equilibria), method="pure_pbe", exact=game.is_exact,
                           complete=True, parameters=dict(game.values), messages=tuple(messages))


def intuitive_criterion(game: SignalingGame, equilibrium: SignalingEquilibrium) -> IntuitiveCriterionResult:
    """Cho & Kreps's (1987) intuitive criterion for one pure equilibrium.

    For each off-path message ``m``, let ``BR(S, m)`` be the receiver's responses that are best
    replies to some belief concentrated on the types ``S``. Type ``t`` is *equilibrium-dominated*
    at ``m`` if its equilibrium payoff ``u*(t)`` exceeds ``max over a in BR(T, m) of u_S(t, m, a)``;
    let ``J(m)`` be those types. The equilibrium *fails* the test if some type ``t'`` has
    ``u*(t') < min over a in BR(T \\ J(m), m) of u_S(t', m, a)`` — it would send ``m`` and expect
    the receiver, reasoning that only types outside ``J(m)`` would, to reward it (Cho & Kreps 1987,
    QJE 102(2):179–221; Fudenberg & Tirole 1991, ch. 11). If every type is equilibrium-dominated at
    ``m``, the test puts no restriction there. Pure best replies suffice: the maximum and minimum
    of the sender's payoff over mixed best replies are attained at pure ones.

    Examples
    --------
    >>> from negotiation.models.signaling import beer_quiche
    >>> game = beer_quiche()
    >>> quiche_pooling = pure_pbe(game, intuitive=False)[1]
    >>> test = intuitive_criterion(game, quiche_pooling)
    >>> test.survives, test.tests[0].dominated, test.tests[0].deviators
    (False, ('Weak',), ('Strong',))
    """
    if equilibrium.game is not game and (equilibrium.game.types != game.types
                                         or equilibrium.game.messages != game.messages):
        raise SignalingError("equilibrium: it belongs to another game (types or messages differ)")
    return _intuitive(_Solver(game), equilibrium)


def _intuitive(solver: _Solver, equilibrium: SignalingEquilibrium) -> IntuitiveCriterionResult:
    game = solver.game
    everyone = tuple(range(len(game.types)))
    u_star = equilibrium.sender_payoffs
    su = solver.sender_u
    tests = []
    for m, value in enumerate(equilibrium.beliefs):
        if not isinstance(value, BeliefSet):
            continue
        message = game.messages[m]
        possible = solver.supportable(m, everyone)
        best = [max(su[t][m][a] for a in possible) for t in everyone]
        dominated = tuple(t for t in everyone if solver.above(u_star[t], best[t]))
        rest = tuple(t for t in everyone if t not in dominated)
        names = [game.types[t] for t in dominated]
        if not rest:
            tests.append(MessageTest(message, tuple(names), (), (),
                                     f"{message}: every type is equilibrium-dominated (its equilibrium payoff "
                                     f"beats anything {message} can bring), so the test puts no restriction"))
            continue
        responses = solver.supportable(m, rest)
        worst = [min(su[t][m][a] for a in responses) for t in everyone]
        deviators = tuple(t for t in everyone if solver.above(worst[t], u_star[t]))
        response_names = tuple(game.responses[m][a] for a in responses)
        if dominated:
            why = "; ".join(f"{game.types[t]} gets {format_number(u_star[t])} in equilibrium, at most "
                            f"{format_number(best[t])} from {message}" for t in dominated)
            lead = f"{message}: {_join(names)} {'is' if len(names) == 1 else 'are'} equilibrium-dominated ({why})"
        else:
            lead = f"{message}: no type is equilibrium-dominated"
        support = _join([game.types[t] for t in rest])
        if deviators:
            gains = "; ".join(f"{game.types[t]} would get at least {format_number(worst[t])} instead of "
                              f"{format_number(u_star[t])}" for t in deviators)
            reason = (f"{lead}; with beliefs on {support} only, {game.receiver} answers {message} with "
                      f"{_join(response_names, 'or')}, so {gains}: the equilibrium fails")
        else:
            reason = (f"{lead}; with beliefs on {support} only, {game.receiver} may answer {message} with "
                      f"{_join(response_names, 'or')}, and no type gains for sure by sending it")
        tests.append(MessageTest(message, tuple(names), response_names,
                                 tuple(game.types[t] for t in deviators), reason))
    failed = [t for t in tests if t.fails]
    if not tests:
        reason = "every message is on the path: the criterion puts no restriction"
    elif failed:
        reason = "fails the intuitive criterion at " + "; at ".join(t.reason for t in failed)
    else:
        reason = "survives the intuitive criterion: " + "; ".join(t.reason for t in tests)
    return IntuitiveCriterionResult(survives=not failed, tests=tuple(tests), reason=reason,
                                    equilibrium=equilibrium.describe_strategies(), exact=solver.exact)


def _join(items, word: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]

