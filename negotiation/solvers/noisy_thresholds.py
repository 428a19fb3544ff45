"""The critical discount factor of an automaton played by both sides, as a function of the error rate ε.

Both players use the same automaton A. A player's gain from keeping A rather than a deviation D is the
rational function ``g(δ, ε) = V(A, A) − V(D, A)`` of the chain values (:mod:`negotiation.solvers.noisy_chain`),
computed with sympy symbols for δ and ε. Its denominator divides a power of ``det(I − δP)`` times a constant,
which has no root for δ in [0, 1) (the eigenvalues of δP lie inside the unit disc), so on [0, 1) the sign of g
is the sign of its numerator times the (constant) sign of the denominator at δ = 0. At a rational ε the
numerators are polynomials in δ with rational coefficients: their exact real roots (sympy) cut [0, 1) into
intervals on which every condition has one sign, and δ*(ε) is the left end of the last run of intervals, up
to 1, on which all of them hold.

The deviations are either named automata, or — with implementation errors only, where the other's state is
public — all strategies: the optimal value of a discounted Markov decision problem is attained by a
stationary deterministic policy on its states (Puterman 1994, Theorem 6.2.10), so comparing with each of the
finitely many stationary policies on the other's automaton states is comparing with the best reply.

At ε = 0 this gives back the perfect-monitoring thresholds: ``(T − R)/(T − P)`` for grim trigger (Friedman
1971) and ``max{(T − R)/(T − P), (T − R)/(R − S)}`` for tit-for-tat (Axelrod 1984)
(:mod:`negotiation.solvers.trigger_strategies`).

References
----------
Puterman, M. L. (1994). *Markov Decision Processes*. Wiley. Theorem 6.2.10.
Axelrod, R. (1984). *The Evolution of Cooperation*. Basic Books. Proposition 2, p. 207.
Friedman, J. W. (1971). A non-cooperative equilibrium for supergames. *Review of Economic Studies* 38, 1–12.
"""

from __future__ import annotations

from fractions import Fraction

from negotiation.core.numeric import is_sympy
from negotiation.results.noisy_repetition import CriticalDiscount, NoisyRepetitionError
from negotiation.solvers.noisy_chain import pair_chain, start_values_in_field
from negotiation.solvers.noisy_repetition import all_policies, bind_automaton, check_rate, stage_payoffs

__all__ = ["critical_discount_under_noise", "MAX_CURVE_POINTS", "MAX_SYMBOLIC_JOINT_STATES"]

#: Most error rates on the curve δ*(ε) (each is a root isolation of a few polynomials of low degree:
#: 101 points of tit-for-tat take about 2 s).
MAX_CURVE_POINTS = 101
#: Most joint states of one chain solved with symbolic ε and δ (LU over the field of rational functions):
#: 4 states (two 2-state automata) take 0.05 s, 9 states about 1 s, 16 states about 20 s on a laptop core.
MAX_SYMBOLIC_JOINT_STATES = 9


def critical_discount_under_noise(game, automaton="TFT", *, noise=None, perception=0, against=None,
                                  cooperate=None, defined=(), curve_to="1/4", points: int = 26) -> CriticalDiscount:
    """δ*(ε): the smallest discount factor from which both players keeping ``automaton`` is an equilibrium.

    Parameters
    ----------
    game : Game
        A numeric two-player stage game.
    automaton : str or Automaton
        The automaton both players use (``"TFT"``, ``"GRIM"``, ``"WSLS"``, ``"GTFT(1/3)"``, …).
    noise : number, optional
        The implementation error rate at which δ* is wanted (default: only the formula and the curve).
    perception : number
        Perception error rate ε' (fixed along the curve). Must be 0 when ``against`` is not given.
    against : sequence of str or Automaton, optional
        The deviations to compare with (default: all strategies, through the stationary policies on the
        automaton's states).
    cooperate, defined
        As in :func:`negotiation.solvers.noisy_repetition.noisy_payoffs`.
    curve_to : number
        The largest ε of the curve; ``points`` error rates from 0 to it (at most :data:`MAX_CURVE_POINTS`).

    Returns
    -------
    CriticalDiscount
        ``threshold`` at ``noise``; ``formula`` (δ* in the symbol ``epsilon`` on the branch binding near
        ``noise``, or near ε = 1/100); ``curve``.

    Examples
    --------
    With T, R, P, S = 5, 3, 1, 0 and no noise, the perfect-monitoring answers (1/2 for grim trigger against
    always-defect; 2/3 for tit-for-tat against all strategies, Axelrod 1984):

    >>> import negotiation as ng
    >>> pd = ng.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=(("C", "D"), ("C", "D")))
    >>> ng.critical_discount_under_noise(pd, "GRIM", noise=0, against=["ALLD"], points=2).threshold
    Fraction(1, 2)
    >>> ng.critical_discount_under_noise(pd, "TFT", noise=0, points=2).threshold
    Fraction(2, 3)
    """
    import sympy  # the conditions are rational functions of δ and ε

    payoffs = stage_payoffs(game)
    if game.is_symbolic:
        raise NoisyRepetitionError("critical_discount_under_noise: substitute parameter values first "
                                   "(game.substitute(...))")
    perception = check_rate(perception, "perception")
    at = None if noise is None else check_rate(noise, "noise")
    if is_sympy(at):
        raise NoisyRepetitionError("noise: give a number (the formula in ε is always computed)")
    top = check_rate(curve_to, "curve_to")
    if not (isinstance(points, int) and 2 <= points <= MAX_CURVE_POINTS):
        raise NoisyRepetitionError(f"points: expected 2 to {MAX_CURVE_POINTS} error rates (MAX_CURVE_POINTS), "
                                   f"found {points!r}")
    epsilon, delta = sympy.Symbol("epsilon"), sympy.Symbol("delta")
    pair = [bind_automaton(game, automaton, p, cooperate=cooperate, defined=defined) for p in (0, 1)]
    conditions, described = _conditions(game, payoffs, pair, against, perception, epsilon, delta,
                                        cooperate, defined)
    sample = at if at else Fraction(1, 100)
    threshold = _threshold_at(conditions, epsilon, delta, at) if at is not None else None
    near = _threshold_at(conditions, epsilon, delta, sample)
    formula = _formula(conditions, epsilon, delta, sample, near)
    curve = tuple((eps, _threshold_at(conditions, epsilon, delta, eps))
                  for eps in (top * Fraction(k, points - 1) for k in range(points)))
    texts = tuple(f"{game.players[p]} against {name}: {sympy.factor(n)}" + (" (−1 × this)" if s < 0 else "")
                  for p, name, n, s in conditions if n != 0)
    messages = [("δ* is exact: a rational number or a root of a polynomial with rational coefficients (shown "
                 "with its value)")]
    if near is None:
        messages.append(f"no formula: no δ < 1 sustains the pair near ε = {sample}")
    elif formula is None:
        messages.append(f"no closed form: the condition binding near ε = {sample} is not of degree 1 or 2 in δ")
    return CriticalDiscount(automaton=pair[0].name, players=tuple(game.players), deviations=described, noise=at,
                            perception=perception, threshold=threshold, formula=formula, formula_at=sample,
                            curve=curve, conditions=texts, messages=tuple(messages),
                            parameters=dict(game.values or {}))


def _conditions(game, payoffs, pair, against, perception, epsilon, delta, cooperate, defined) -> tuple:
    """``[(player, deviation name, numerator, sign of the denominator)]`` and what the deviations are."""
    import sympy  # symbolic conditions
    from sympy.polys.domains import QQ

    if against is None:
        if perception != 0:
            raise NoisyRepetitionError("against: with perception errors monitoring is private; name the automata "
                                       "to compare with (against=[...])")
        deviations = [all_policies(pair[1]), all_policies(pair[0])]
        described = "all strategies (every stationary policy on the other's automaton states)"
    else:
        names = [against] if isinstance(against, str) else list(against)
        deviations = [[bind_automaton(game, n, p, cooperate=cooperate, defined=defined) for n in names]
                      for p in (0, 1)]
        described = ", ".join(d.name for d in deviations[0])
    field = QQ.frac_field(epsilon, delta)
    keep = _start_values(pair[0], pair[1], payoffs, epsilon, perception, delta, field)
    conditions = []
    for player in (0, 1):
        for deviation in deviations[player]:
            one, two = (deviation, pair[1]) if player == 0 else (pair[0], deviation)
            value = _start_values(one, two, payoffs, epsilon, perception, delta, field)[player]
            gain = keep[player] - value
            numerator, denominator = gain.numer.as_expr(), gain.denom.as_expr()
            sign = 1 if denominator.subs({delta: 0, epsilon: Fraction(1, 100)}) > 0 else -1
            conditions.append((player, deviation.name, sympy.expand(numerator), sign))
    return conditions, described


def _start_values(first, second, payoffs, epsilon, perception, delta, field):
    chain = pair_chain(first, second, payoffs, epsilon, perception)
    if chain.size > MAX_SYMBOLIC_JOINT_STATES:
        raise NoisyRepetitionError(
            f"{first.name} against {second.name}: {chain.size} joint states exceed MAX_SYMBOLIC_JOINT_STATES = "
            f"{MAX_SYMBOLIC_JOINT_STATES} for the symbolic critical discount; use noisy_equilibria at given δ and ε")
    return start_values_in_field(chain, delta, field)


def _threshold_at(conditions, epsilon, delta, eps):
    """δ* at the error rate ``eps``: a Fraction, an algebraic number (sympy) or ``None``."""
    import sympy  # exact real roots

    polynomials = []
    roots = set()
    at = sympy.Rational(eps.numerator, eps.denominator)
    for numerator, sign in dict.fromkeys((n, s) for _, _, n, s in conditions):
        # evaluated as a polynomial in (δ, ε) at ε (dense arithmetic: subs on the expression cost 0.4 s a curve)
        poly = sympy.Poly(numerator, delta, epsilon).eval(epsilon, at) if numerator.has(epsilon) else \
            sympy.Poly(numerator, delta)
        if poly.is_zero or (poly, sign) in polynomials:
            continue
        polynomials.append((poly, sign))
        # roots as CRootOf, not radicals: their isolating intervals decide 0 < root < 1 without evaluating them
        roots.update(r for r in poly.real_roots(radicals=False) if _inside(r))
    cuts, points = _cuts_and_points(roots)

    def holds(x) -> bool:
        return all(sign * poly.eval(x) >= 0 for poly, sign in polynomials)

    if not holds(points[-1]):
        return None
    start = len(cuts) - 2
    while start > 0 and holds(points[start - 1]):
        start -= 1
    value = cuts[start]
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    return value


def _inside(root) -> bool:
    """``0 < root < 1``, exactly: a rational root by comparison, an irrational one (a ``CRootOf``, or a rational
    multiple of one, as sympy writes some) by its isolating interval, refined until it lies on one side of each
    bound, which it does since an irrational root is neither bound. Evaluating every root to 30 digits instead
    took half of a curve's time."""
    import sympy  # exact real roots

    if isinstance(root, sympy.Rational):
        return bool(0 < root < 1)
    scale, algebraic = root.as_coeff_Mul()
    if not (isinstance(algebraic, sympy.CRootOf) and isinstance(scale, sympy.Rational) and scale != 0):
        return bool(0 < sympy.N(root, 60) < 1)  # another closed form (radicals): evaluate it
    low, high = sorted((sympy.Integer(0), 1 / scale))  # 0 < scale * r < 1, as bounds on r
    interval = algebraic._get_interval()
    for _ in range(400):  # each refinement shrinks the interval; 2^-400 separates any bound we meet here
        a, b = interval.a, interval.b
        if b <= low or a >= high:
            return False
        if a >= low and b <= high:
            return True
        interval = interval.refine()
    return bool(0 < sympy.N(root, 120) < 1)


class _Isolated:
    """A real algebraic number with a rational interval around it that can be refined (exact)."""

    def __init__(self, number):
        import sympy  # exact real roots

        self.number = number
        if isinstance(number, sympy.Rational):
            self.scale, self.interval = None, None
            self.low = self.high = number
            return
        self.scale, root = number.as_coeff_Mul()
        self.interval = root._get_interval()
        self._bounds()

    def _bounds(self):
        a, b = self.scale * self.interval.a, self.scale * self.interval.b
        self.low, self.high = min(a, b), max(a, b)

    def refine(self) -> None:
        if self.interval is not None:
            self.interval = self.interval.refine()
            self._bounds()


def _cuts_and_points(roots) -> tuple:
    """The roots in increasing order between 0 and 1, and a rational point strictly inside each gap.

    Exact: each root's isolating interval is refined until the intervals of neighbours (0 and 1 included)
    are disjoint; a point between two disjoint intervals lies strictly between the roots. Two intervals
    that still overlap after 400 refinements hold the same number found as roots of two polynomials.
    Evaluating every root to 60 digits to sort them took most of a curve's time.
    """
    import sympy  # exact real roots

    isolated = [_Isolated(sympy.Integer(0)), *(_Isolated(r) for r in roots), _Isolated(sympy.Integer(1))]
    for _ in range(400):
        isolated.sort(key=lambda item: (item.low, item.high))
        overlapping = [(left, right) for left, right in zip(isolated, isolated[1:]) if right.low <= left.high]
        if not overlapping:
            break
        for left, right in overlapping:
            left.refine()
            right.refine()
    else:  # the same algebraic number twice: keep one
        isolated.sort(key=lambda item: (item.low, item.high))
        merged = [isolated[0]]
        for item in isolated[1:]:
            if item.low <= merged[-1].high:
                continue
            merged.append(item)
        isolated = merged
    cuts = [item.number for item in isolated]
    points = [(left.high + right.low) / 2 for left, right in zip(isolated, isolated[1:])]
    return cuts, points


def _formula(conditions, epsilon, delta, sample, near):
    """δ* in ε on the branch of the condition that binds at ``sample`` (``None`` without a closed form)."""
    import sympy  # symbolic roots

    if near is None:
        return None
    target = sympy.N(near if not isinstance(near, Fraction) else sympy.Rational(near.numerator, near.denominator),
                     40)
    point = sympy.Rational(sample.numerator, sample.denominator)
    if target == 0:
        return sympy.Integer(0)
    for _, _, numerator, _ in conditions:
        if numerator == 0 or sympy.Poly(numerator, delta).degree() > 2:
            continue
        if abs(sympy.N(numerator.subs({epsilon: point, delta: target}), 40)) > sympy.Float("1e-25"):
            continue
        for root in sympy.solve(numerator, delta):
            value = sympy.N(root.subs(epsilon, point), 40)
            if value.is_real and abs(value - target) < sympy.Float("1e-25"):
                return sympy.factor(root)
    return None
