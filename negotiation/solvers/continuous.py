"""Pure Nash equilibria of continuous games: the KKT enumeration (exact, symbolic) and numeric methods.

:func:`solve_continuous` (``ng.solve(game)`` for a :class:`~negotiation.models.continuous.ContinuousGame`):

``first_order_conditions`` (exact, symbolic)
    Every equilibrium of a game with differentiable payoffs satisfies the
    Karush–Kuhn–Tucker conditions: each player either is inside its interval
    with ``∂u_i/∂x_i = 0``, at its lower bound with ``∂u_i/∂x_i <= 0``, or at
    its upper bound with ``∂u_i/∂x_i >= 0``. All ``3^n`` combinations are
    enumerated and the first-order conditions solved with sympy. This is done
    only when every first-order condition is a rational function of the
    choices (numerator and denominator polynomials), for which sympy's
    polynomial solver returns every solution of a finite system; the list is
    then *complete*. At numbers, each candidate is verified exactly: for every
    player, the supremum of its payoff over its whole interval (critical
    points, end points, the limit at infinity) is computed and compared with
    its payoff at the candidate, so a KKT point that is a local minimum or only
    a local maximum is discarded (this global check implies the second-order
    condition). With symbolic parameters, each candidate comes with the
    conditions on the parameters under which it is an equilibrium, and the
    second-order condition ``∂²u_i/∂x_i² <= 0`` (concavity in the own choice)
    is proved or added to those conditions.
``best_response_iteration`` (floating point)
    The fallback when sympy cannot solve the first-order conditions (payoffs
    with ``exp``, ``log``, ``sqrt`` of the choices, ...): damped simultaneous
    best-response iteration from several starting points (each best response by
    a grid search refined by scipy's bounded scalar minimisation), together
    with the complementarity formulation (a root of the projected first-order
    conditions ``x - clip(x + ∇u(x), low, high) = 0`` by scipy's bounded least
    squares). Every candidate is verified: no player gains more than
    ``tolerance`` (relative to the size of its payoff) by deviating anywhere in
    its interval (grid plus local optimisation). Never claimed complete.
``complementarity``
    Only the complementarity formulation, verified the same way.

Examples
--------
Cournot duopoly with inverse demand ``P = 10 - (q1 + q2)`` and unit costs 1 and 2
(Gibbons 1992, §1.2.A: ``q_i = (a - 2 c_i + c_j) / (3 b)``):

>>> import sympy
>>> q1, q2 = sympy.symbols("q1 q2")
>>> game = ContinuousGame(("Firm 1", "Firm 2"), (q1, q2), ((0, sympy.oo), (0, sympy.oo)),
...                       ((10 - q1 - q2 - 1) * q1, (10 - q1 - q2 - 2) * q2), title="Cournot")
>>> result = solve_continuous(game)
>>> result[0]["Firm 1"], result[0]["Firm 2"], result.method, result.exact, result.complete
(Fraction(10, 3), Fraction(7, 3), 'first_order_conditions', True, True)
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Mapping

import numpy as np
import sympy

from negotiation.models.continuous import (ContinuousGame, ContinuousGameError, show_value, sympy_value,
                                           to_number)
from negotiation.results.continuous import ContinuousEquilibrium, ContinuousResult
from negotiation.solvers.front_door import solve

__all__ = ["solve_continuous", "best_response_function", "best_response", "best_response_curve", "METHODS",
           "TOLERANCE", "GRID_POINTS", "MAX_KKT_AGENTS"]

#: ``method=`` names of :func:`solve_continuous`.
METHODS = ("auto", "first_order_conditions", "best_response_iteration", "complementarity")
#: Default relative tolerance of the numeric verification (gain from deviating / max(payoff scale, |payoff|); the
#: payoff scale of a player is its largest |payoff| at a few fixed points: relative, so any scale works).
TOLERANCE = 1e-7
#: Payoffs given as floats (about 16 digits): values within this of their size are equal (relative: any scale).
_FLOAT_TIE = 1e-12
#: Points of the grid on which a numeric best response is searched before local refinement.
GRID_POINTS = 257
#: Largest number of agents (players × types) for which the KKT cases are enumerated.
MAX_KKT_AGENTS = 6


class _SympyCannot(Exception):
    """The symbolic KKT enumeration cannot be carried out (the reason is the message)."""


def _tidy(relation):
    """``(a - c)/(2*b) >= 0`` -> ``a - c >= 0`` when the denominator is provably positive."""
    if not isinstance(relation, sympy.core.relational.Relational) or isinstance(relation, (sympy.Eq, sympy.Ne)):
        return relation
    numerator, denominator = sympy.fraction(sympy.together(relation.lhs - relation.rhs))
    if denominator.is_positive:
        return relation.func(sympy.expand(numerator), 0)
    if denominator.is_negative:
        return relation.reversed.func(sympy.expand(numerator), 0)
    return relation


def _decide(relation) -> bool | None:
    """Truth of a relation between numbers (exactly where sympy can, else to 50 digits); None if symbolic.

    Sides within 1e-40 of their size are equal; with a float in the relation (payoffs given as floats carry
    about 16 digits) within 1e-12 of their size. Both are relative, so a relation between payoffs does not
    depend on their scale."""
    relation = sympy.sympify(relation)
    if relation in (sympy.true, True):
        return True
    if relation in (sympy.false, False):
        return False
    if relation.free_symbols:
        return None
    if isinstance(relation, sympy.core.relational.Relational):
        difference = sympy.nsimplify(relation.lhs - relation.rhs) if relation.has(sympy.Float) else (
            relation.lhs - relation.rhs)
        value = sympy.N(difference, 50)
        scale = abs(sympy.N(relation.lhs, 50)) + abs(sympy.N(relation.rhs, 50))  # relative: no floor
        zero = abs(value) <= scale * sympy.Float(_FLOAT_TIE if relation.has(sympy.Float) else 1e-40)
        if zero:
            value = 0
        return bool(relation.func(value, 0))
    return bool(relation)


# ---------------------------------------------------------------------------- symbolic KKT enumeration
def _first_order(agents):
    """Per agent: derivative, its numerator/denominator (polynomials in the choices) and second derivative."""
    variables = [a.variable for a in agents]
    out = []
    for agent in agents:
        if agent.payoff.has(sympy.Piecewise, sympy.Min, sympy.Max, sympy.Abs):
            raise _SympyCannot(f"the payoff of {agent.label} is not differentiable everywhere (Min/Max/Abs/Piecewise)")
        derivative = sympy.diff(agent.payoff, agent.variable)
        numerator, denominator = sympy.fraction(sympy.together(derivative))
        if not (numerator.is_polynomial(*variables) and denominator.is_polynomial(*variables)):
            raise _SympyCannot(f"the first-order condition of {agent.label} is not a rational function of the "
                               "choices")
        out.append((derivative, sympy.expand(numerator), denominator, sympy.diff(derivative, agent.variable)))
    return out


def _kkt_candidates(agents, symbolic: bool):
    """Every solution of the KKT conditions (list of (point dict, case tuple, condition list)); raises _SympyCannot."""
    n = len(agents)
    if n > MAX_KKT_AGENTS:
        raise _SympyCannot(f"{n} agents: more than {MAX_KKT_AGENTS} for the enumeration of KKT cases")
    conditions = _first_order(agents)
    options = []
    for agent in agents:
        cases = ["interior"]
        if agent.low.is_finite is not False:
            cases.append("lower")
        if agent.high.is_finite is not False:
            cases.append("upper")
        options.append(cases)
    candidates = []
    for case in itertools.product(*options):
        fixed = {}
        for agent, kind in zip(agents, case):
            if kind == "lower":
                fixed[agent.variable] = agent.low
            elif kind == "upper":
                fixed[agent.variable] = agent.high
        unknowns = [a.variable for a, kind in zip(agents, case) if kind == "interior"]
        equations = [sympy.expand(c[1].xreplace(fixed)) for c, kind in zip(conditions, case) if kind == "interior"]
        if any(e == 0 for e in equations):
            raise _SympyCannot("a first-order condition holds identically (a continuum of best responses)")
        if unknowns:
            try:
                solutions = sympy.solve(equations, unknowns, dict=True)
            except NotImplementedError as error:
                raise _SympyCannot(f"sympy cannot solve the first-order conditions ({error})") from None
        else:
            solutions = [{}]
        for solution in solutions:
            if set(solution) != set(unknowns) or any(
                    v.free_symbols & set(unknowns) for v in solution.values()):
                raise _SympyCannot("the first-order conditions have a continuum of solutions")
            point = _real_point(agents, {**fixed, **solution}, symbolic)
            if point is None:
                continue
            requirements = _kkt_requirements(agents, case, conditions, point)
            if requirements is None:
                continue
            if not symbolic:
                if not all(_decide(r) for r in requirements):
                    continue
                requirements = []
            candidates.append((point, case, requirements))
    return candidates, conditions


def _real_point(agents, point, symbolic: bool):
    """``point`` with numerically real choices made real; None if a choice is not real."""
    for agent in agents:
        value = point[agent.variable]
        if symbolic:
            if value.is_real is False:
                return None
            continue
        if abs(sympy.N(sympy.im(value), 50)) > 1e-40:
            return None
        if value.has(sympy.I):
            point[agent.variable] = sympy.re(value)
    return point


def _kkt_requirements(agents, case, conditions, point):
    """What must hold for ``point`` to satisfy the KKT conditions of ``case`` (None: a pole, never)."""
    requirements = []
    for agent, kind, (derivative, _, denominator, _) in zip(agents, case, conditions):
        value = point[agent.variable]
        denominator_at = denominator.xreplace(point)
        if denominator_at.free_symbols:
            requirements.append(sympy.Ne(denominator_at, 0))
        elif denominator_at == 0 or _decide(sympy.Eq(denominator_at, 0)):
            return None
        if kind == "interior":
            if agent.low.is_finite is not False:
                requirements.append(sympy.Ge(value, agent.low))
            if agent.high.is_finite is not False:
                requirements.append(sympy.Le(value, agent.high))
        else:
            slope = sympy.together(derivative.xreplace(point))
            requirements.append(sympy.Le(slope, 0) if kind == "lower" else sympy.Ge(slope, 0))
    return requirements


def _exact_regret(agent, point):
    """Largest exact gain of ``agent`` from deviating at ``point`` (None if it cannot be computed exactly)."""
    x = agent.variable
    others = {v: value for v, value in point.items() if v != x}
    f = agent.payoff.xreplace(others)
    current = f.xreplace({x: point[x]})
    if f.free_symbols - {x}:
        return None
    derivative = sympy.together(sympy.diff(f, x))
    numerator, denominator = sympy.fraction(derivative)
    try:
        if not numerator.is_polynomial(x) or not denominator.is_polynomial(x):
            return None
        if not denominator.free_symbols:
            poles = []
        else:
            poles = [r for r in sympy.solve(denominator, x) if _in_interval(r, agent)]
        if poles:
            return None
        if numerator == 0:
            return Fraction(0)
        critical = [r for r in sympy.solve(numerator, x) if _in_interval(r, agent)]
    except NotImplementedError:
        return None
    values = [f.xreplace({x: r}) for r in critical]
    for bound in (agent.low, agent.high):
        if bound.is_finite:
            values.append(f.xreplace({x: bound}))
        else:
            limit = sympy.limit(f, x, bound)
            if limit is sympy.oo:
                return math.inf
            if limit.has(sympy.oo, sympy.zoo, sympy.nan, sympy.AccumBounds):
                return None
            values.append(limit)
    best = current
    for value in values:
        if _decide(sympy.Gt(value, best)):
            best = value
    floats = (best - current).has(sympy.Float)
    gain = sympy.nsimplify(best - current) if floats else sympy.simplify(best - current)
    if _decide(sympy.Le(gain, 0)):
        return Fraction(0)
    if floats and abs(sympy.N(gain)) <= _FLOAT_TIE * max(abs(sympy.N(best)), abs(sympy.N(current))):
        return Fraction(0)  # float payoffs: a gain at their rounding level (relative to the payoffs) is none
    return to_number(gain, True)


def _in_interval(root, agent) -> bool:
    root = sympy.sympify(root)
    if abs(sympy.N(sympy.im(root), 50)) > 1e-40:
        return False
    root = sympy.re(root) if root.has(sympy.I) else root
    low_ok = agent.low.is_finite is False or _decide(sympy.Ge(root, agent.low))
    high_ok = agent.high.is_finite is False or _decide(sympy.Le(root, agent.high))
    return bool(low_ok and high_ok)


def _binding(agent, value, case_kind, symbolic) -> str:
    if symbolic:
        return case_kind
    if agent.low.is_finite and _decide(sympy.Eq(value, agent.low)):
        return "lower"
    if agent.high.is_finite and _decide(sympy.Eq(value, agent.high)):
        return "upper"
    return "interior"


def _solve_symbolic(game: ContinuousGame):
    agents = game.agents()
    symbolic = game.is_symbolic
    exact = not any(a.payoff.has(sympy.Float) or a.low.has(sympy.Float) or a.high.has(sympy.Float) for a in agents)
    candidates, conditions = _kkt_candidates(agents, symbolic)
    messages = []
    equilibria = []
    if symbolic:
        concave = []
        for agent, (_, _, _, second) in zip(agents, conditions):
            if second.is_nonpositive:
                concave.append(None)
            elif not (second.free_symbols & {a.variable for a in agents}):
                concave.append(sympy.Le(second, 0))
            else:
                concave.append(False)
                messages.append(f"second-order condition of {agent.label} not verified symbolically "
                                "(payoff not provably concave in its own choice): solve at numbers for a verified "
                                "answer")
        for point, case, requirements in candidates:
            extra = [c for c in concave if c not in (None, False)]
            condition = sympy.And(*(_tidy(r) for r in (*requirements, *extra)))
            if condition is sympy.false:
                continue
            choices = tuple(sympy.factor(sympy.cancel(point[a.variable])) for a in agents)
            payoffs = tuple(sympy.factor(sympy.cancel(a.payoff.xreplace(point))) for a in agents)
            binding = tuple(_binding(a, v, kind, True) for a, v, kind in zip(agents, choices, case))
            equilibria.append(ContinuousEquilibrium(tuple((a.player, a.type) for a in agents), choices, payoffs,
                                                    binding, conditions=condition, regret=Fraction(0)))
        return equilibria, exact, True, messages
    inexact_check = False
    for point, case, _ in candidates:
        regrets = []
        for agent in agents:
            regret = _exact_regret(agent, point)
            if regret is None:
                regret = _float_regret(game, agent, point)
                inexact_check = True
            regrets.append(regret)
        worst = max(regrets, key=float)
        if float(worst) > 0 and not (isinstance(worst, float) and worst <= TOLERANCE):
            shown = ", ".join(f"{a.label} = {show_value(to_number(point[a.variable], exact))}" for a in agents)
            messages.append(f"KKT point ({shown}) is not an equilibrium: some player gains "
                            f"{show_value(worst)} by deviating")
            continue
        choices = tuple(to_number(sympy.nsimplify(point[a.variable]) if not exact else
                                   sympy.radsimp(point[a.variable]), exact) for a in agents)
        payoffs = tuple(to_number(sympy.simplify(a.payoff.xreplace(point)), exact) for a in agents)
        binding = tuple(_binding(a, point[a.variable], kind, False) for a, kind in zip(agents, case))
        candidate = ContinuousEquilibrium(tuple((a.player, a.type) for a in agents), choices, payoffs, binding,
                                          regret=Fraction(0) if all(isinstance(r, Fraction) for r in regrets)
                                          else max(float(r) for r in regrets))
        if not any(_same_point(candidate, other) for other in equilibria):
            equilibria.append(candidate)
    if inexact_check:
        exact = False
        messages.append("some deviations could not be checked exactly; checked numerically "
                        f"(relative tolerance {TOLERANCE:g})")
    return equilibria, exact, True, messages


def _same_point(first, second) -> bool:
    for a, b in zip(first.choices, second.choices):
        if isinstance(a, float) or isinstance(b, float):
            if abs(float(a) - float(b)) > 1e-9 * (1 + abs(float(a))):
                return False
        elif sympy.simplify(sympy_value(a) - sympy_value(b)) != 0:
            return False
    return True


# ---------------------------------------------------------------------------- numeric methods
class _Numeric:
    """Lambdified payoffs and gradients of a numeric game's agents."""

    def __init__(self, game: ContinuousGame):
        if game.is_symbolic:
            raise ContinuousGameError(
                f"numeric methods need numbers for every parameter; missing: {', '.join(game.free_parameters)}")
        self.agents = game.agents()
        self.variables = [a.variable for a in self.agents]
        self.low = np.array([float(a.low) for a in self.agents])
        self.high = np.array([float(a.high) for a in self.agents])
        self.payoff = [sympy.lambdify(self.variables, a.payoff, modules="numpy") for a in self.agents]
        self.gradient = [sympy.lambdify(self.variables, sympy.diff(a.payoff, a.variable), modules="numpy")
                         for a in self.agents]
        # each agent's payoff scale: the largest finite |payoff| at a few fixed points of the box (1.0 if all are
        # zero). Gains and gradients are measured in it, so multiplying the payoffs by c > 0 changes nothing.
        samples = _starts(self, 8, 0)
        self.scale = []
        for k in range(len(self.agents)):
            sizes = [abs(v) for v in (self.value(k, x) for x in samples) if math.isfinite(v)]
            self.scale.append(max(sizes, default=0.0) or 1.0)

    def value(self, k, x) -> float:
        with np.errstate(all="ignore"):
            return float(self.payoff[k](*x))

    def _evaluate(self, k, x, grid):
        args = [np.full_like(grid, x[j]) if j != k else grid for j in range(len(x))]
        with np.errstate(all="ignore"):
            values = np.asarray(self.payoff[k](*args), dtype=float) * np.ones_like(grid)
        return np.where(np.isfinite(values), values, -np.inf)

    def best_response(self, k, x, points: int = GRID_POINTS):
        """(best choice, best value) of agent k against x: grid search refined by bounded minimisation."""
        from scipy.optimize import minimize_scalar

        low, high = self.low[k], self.high[k]
        scale = max(1.0, 4 * abs(x[k]), 4 * abs(low) if math.isfinite(low) else 0, 4 * abs(high) if math.isfinite(high) else 0)
        lo = low if math.isfinite(low) else x[k] - scale
        hi = high if math.isfinite(high) else x[k] + scale
        for _ in range(60):
            grid = np.linspace(lo, hi, points)
            values = self._evaluate(k, x, grid)
            index = int(np.argmax(values))
            grow_high = index == points - 1 and not math.isfinite(high)
            grow_low = index == 0 and not math.isfinite(low)
            if not (grow_high or grow_low):
                break
            width = hi - lo
            if grow_high:
                hi = hi + width
            if grow_low:
                lo = lo - width
            if max(abs(lo), abs(hi)) > 1e15:
                return (math.inf if grow_high else -math.inf), math.inf
        left, right = grid[max(index - 1, 0)], grid[min(index + 1, points - 1)]
        best_x, best_value = float(grid[index]), float(values[index])
        polished = self._stationary_point(k, x, float(left), float(right))
        if polished is not None:
            y = list(x)
            y[k] = polished
            value = self.value(k, y)
            if math.isfinite(value) and value >= best_value - 1e-14 * max(self.scale[k], abs(best_value)):
                return polished, value
        if right > left:
            def negative(z):
                y = list(x)
                y[k] = z
                value = self.value(k, y)
                return -value if math.isfinite(value) else math.inf

            refined = minimize_scalar(negative, bounds=(left, right), method="bounded",
                                      options={"xatol": 1e-13 * max(1.0, abs(best_x))})
            if refined.success and -refined.fun >= best_value:
                best_x, best_value = float(refined.x), float(-refined.fun)
        return best_x, best_value

    def _stationary_point(self, k, x, left, right):
        """A root of the own derivative in [left, right] where it falls from + to - (Brent's method), or None."""
        from scipy.optimize import brentq

        def slope(z):
            y = list(x)
            y[k] = z
            with np.errstate(all="ignore"):
                return float(self.gradient[k](*y))

        try:
            at_left, at_right = slope(left), slope(right)
        except (TypeError, ValueError, ZeroDivisionError):
            return None
        if not (math.isfinite(at_left) and math.isfinite(at_right)) or not (at_left > 0 > at_right):
            return None
        try:
            return float(brentq(slope, left, right, xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=200))
        except (ValueError, RuntimeError):
            return None

    def residual(self, x):
        with np.errstate(all="ignore"):  # gradients in units of each agent's payoff scale: same roots at any scale
            gradient = np.array([float(g(*x)) / scale for g, scale in zip(self.gradient, self.scale)])
        return x - np.clip(x + gradient, self.low, self.high)

    def regret(self, x) -> float:
        """Largest relative gain of an agent from deviating (grid + local optimisation)."""
        return max((self.gain(k, x) for k in range(len(self.agents))), default=0.0)

    def gain(self, k, x) -> float:
        """Agent ``k``'s gain from its best deviation, relative to ``max(payoff scale, |payoff|)`` (no floor)."""
        current = self.value(k, x)
        _, best = self.best_response(k, x)
        if not math.isfinite(current):
            return math.inf
        return max(0.0, (best - current) / max(self.scale[k], abs(current)))


def _starts(numeric: _Numeric, count: int, seed: int):
    low, high = numeric.low, numeric.high
    finite_low = np.where(np.isfinite(low), low, np.minimum(0.0, np.where(np.isfinite(high), high - 1, 0)))
    finite_high = np.where(np.isfinite(high), high, np.maximum(finite_low, 0) + 10.0)
    starts = [finite_low + (finite_high - finite_low) / 2, finite_low.copy(), finite_high.copy()]
    rng = np.random.default_rng(seed)
    while len(starts) < count:
        starts.append(finite_low + rng.random(len(low)) * (finite_high - finite_low))
    return starts[:max(count, 1)]


def _best_response_iteration(numeric, start, damping, max_iterations, tolerance):
    x = np.array(start, dtype=float)
    for _ in range(max_iterations):
        responses = np.array([numeric.best_response(k, x)[0] for k in range(len(x))])
        if not np.all(np.isfinite(responses)):
            return None
        step = responses - x
        if np.max(np.abs(step)) <= tolerance * max(1.0, float(np.max(np.abs(x)))):
            return responses
        x = x + damping * step
    return None


def _complementarity(numeric, start, tolerance):
    from scipy.optimize import least_squares

    x0 = np.clip(np.array(start, dtype=float), numeric.low, numeric.high)
    try:
        solution = least_squares(numeric.residual, x0, bounds=(numeric.low, numeric.high), xtol=1e-15, ftol=1e-15,
                                 gtol=1e-15, max_nfev=2000)
    except ValueError:
        return None
    best = None
    x = solution.x
    for _ in range(3):  # the bounded solver approaches a bound only asymptotically: snap with the projection
        residual = numeric.residual(x)
        if not np.all(np.isfinite(residual)):
            break
        size = float(np.max(np.abs(residual)))
        if best is None or size < best[1]:
            best = (x, size)
        x = x - residual
    if best is not None and best[1] <= tolerance * max(1.0, float(np.max(np.abs(best[0])))):
        return best[0]
    return None


def _float_regret(game, agent, point) -> float:
    numeric = _Numeric(game)
    x = [float(point[a.variable]) for a in numeric.agents]
    return numeric.gain([a.variable for a in numeric.agents].index(agent.variable), x)


def _solve_numeric(game, methods, *, tolerance, starts, seed, damping, max_iterations):
    numeric = _Numeric(game)
    agents = numeric.agents
    found = []  # (x, set of methods)
    for start in _starts(numeric, starts, seed):
        for method in methods:
            if method == "best_response_iteration":
                x = _best_response_iteration(numeric, start, damping, max_iterations, 1e-10)
            else:
                x = _complementarity(numeric, start, 1e-8)
            if x is None:
                continue
            for entry in found:
                if np.max(np.abs(entry[0] - x)) <= 1e-6 * (1 + float(np.max(np.abs(x)))):
                    entry[1].add(method)
                    break
            else:
                found.append([x, {method}])
    equilibria, messages = [], []
    for x, by in found:
        regret = numeric.regret(x)
        if regret > tolerance:
            shown = ", ".join(f"{a.label} = {v:.6g}" for a, v in zip(agents, x))
            messages.append(f"candidate ({shown}) rejected: a player gains {regret:.3g} (relative) by deviating")
            continue
        binding = []
        for k, value in enumerate(x):
            scale = 1e-9 * max(1.0, abs(value))
            binding.append("lower" if abs(value - numeric.low[k]) <= scale else
                           "upper" if abs(value - numeric.high[k]) <= scale else "interior")
        payoffs = tuple(numeric.value(k, x) for k in range(len(agents)))
        equilibria.append(ContinuousEquilibrium(tuple((a.player, a.type) for a in agents),
                                                tuple(float(v) for v in x), payoffs, tuple(binding),
                                                regret=float(regret), found_by=tuple(m for m in methods if m in by)))
    messages.append(f"numeric verification: no player gains more than {tolerance:g} (relative to its payoff scale) "
                    f"by deviating, checked on a {GRID_POINTS}-point grid refined by bounded local optimisation")
    return equilibria, messages


# ---------------------------------------------------------------------------- the front door
@solve.register(ContinuousGame, methods=METHODS[1:])
def solve_continuous(game, values: Mapping | None = None, method: str = "auto", *, tolerance: float = TOLERANCE,
                     starts: int = 8, seed: int = 0, damping: float = 0.5,
                     max_iterations: int = 2000) -> ContinuousResult:
    """Pure Nash equilibria of a continuous game.

    Parameters
    ----------
    game : ContinuousGame
    values : mapping, optional
        Parameter values to substitute first. Parameters left free are kept
        symbolic (``first_order_conditions`` only): each equilibrium then
        carries the conditions under which it holds.
    method : str
        ``"auto"`` (symbolic, numeric fallback when sympy cannot), ``"first_order_conditions"``,
        ``"best_response_iteration"`` (also runs the complementarity formulation) or ``"complementarity"``.
    tolerance : float
        Relative tolerance of the numeric verification.
    starts, seed : int
        Number of starting points of the numeric methods (centre, lower and upper
        corners, then uniform random ones from ``seed``).
    damping : float
        Step of the best-response iteration, ``x <- x + damping * (BR(x) - x)``, in (0, 1].
    max_iterations : int
        Limit of the best-response iteration per start.

    Returns
    -------
    ContinuousResult

    Raises
    ------
    ContinuousGameError
        Unknown method, bad values, or ``first_order_conditions`` requested where sympy cannot solve.

    Examples
    --------
    Corner solution: firm 2's cost is so high that its closed form is negative and it produces nothing.

    >>> q1, q2 = sympy.symbols("q1 q2")
    >>> game = ContinuousGame(("Firm 1", "Firm 2"), (q1, q2), ((0, sympy.oo),) * 2,
    ...                       ((10 - q1 - q2 - 1) * q1, (10 - q1 - q2 - 8) * q2))
    >>> equilibrium = solve_continuous(game)[0]
    >>> equilibrium["Firm 1"], equilibrium["Firm 2"], equilibrium.binding
    (Fraction(9, 2), Fraction(0, 1), ('interior', 'lower'))
    """
    if method not in METHODS:
        raise ContinuousGameError(f"method: unknown method {method!r} (expected one of: {', '.join(METHODS)})")
    if not isinstance(game, ContinuousGame):
        raise ContinuousGameError(f"expected a ContinuousGame, found {type(game).__name__}")
    if values:
        game = game.substitute(values)
    if not 0 < damping <= 1:
        raise ContinuousGameError(f"damping: expected a number in (0, 1], found {damping}")
    messages = []
    if method in ("auto", "first_order_conditions"):
        try:
            equilibria, exact, complete, notes = _solve_symbolic(game)
            return ContinuousResult(game, tuple(equilibria), "first_order_conditions", exact, complete,
                                    parameters=dict(game.values), messages=tuple(notes))
        except _SympyCannot as reason:
            if method == "first_order_conditions" or game.is_symbolic:
                raise ContinuousGameError(f"first_order_conditions: {reason}; use method='best_response_iteration' "
                                          "at numeric parameter values") from None
            messages.append(f"symbolic solution not possible ({reason}); numeric fallback")
    methods = ("complementarity",) if method == "complementarity" else ("best_response_iteration", "complementarity")
    equilibria, notes = _solve_numeric(game, methods, tolerance=tolerance, starts=starts, seed=seed, damping=damping,
                                       max_iterations=max_iterations)
    name = "complementarity" if method == "complementarity" else "best_response_iteration"
    return ContinuousResult(game, tuple(equilibria), name, False, False, parameters=dict(game.values),
                            messages=tuple(messages + notes), details={"methods": list(methods)})


# ---------------------------------------------------------------------------- best responses
def best_response_function(game: ContinuousGame, player, values: Mapping | None = None):
    """Player's best response as a sympy expression in the other players' choices (and parameters).

    Available when the first-order condition has a single solution and the
    payoff is provably concave in the own choice; the interior solution is then
    clipped to the interval with ``Min``/``Max``.

    Raises
    ------
    ContinuousGameError
        When no closed form is available (use :func:`best_response` for numbers).

    Examples
    --------
    >>> q1, q2 = sympy.symbols("q1 q2")
    >>> a, c = sympy.symbols("a c", positive=True)
    >>> game = ContinuousGame(("Firm 1", "Firm 2"), (q1, q2), ((0, sympy.oo),) * 2,
    ...                       ((a - q1 - q2 - c) * q1, (a - q1 - q2 - c) * q2))
    >>> best_response_function(game, "Firm 1")
    Max(0, a/2 - c/2 - q2/2)
    """
    if values:
        game = game.substitute(values)
    name = game.player_label(player)
    if game.is_bayesian:
        raise ContinuousGameError("best_response_function: not available for games with types")
    agent = game.agents()[game.players.index(name)]
    x = agent.variable
    derivative = sympy.diff(agent.payoff, x)
    second = sympy.diff(derivative, x)
    try:
        roots = sympy.solve(derivative, x)
    except NotImplementedError:
        roots = None
    if not roots or len(roots) != 1 or not second.is_nonpositive:
        raise ContinuousGameError(f"best_response_function: no closed-form best response for {name} (payoff not "
                                  "provably concave with a single stationary point); use best_response() for numbers")
    response = roots[0]
    if agent.low.is_finite:
        response = sympy.Max(agent.low, response)
    if agent.high.is_finite:
        response = sympy.Min(agent.high, response)
    return response


def best_response(game: ContinuousGame, player, others: Mapping) -> float:
    """Numeric best response of ``player`` to the other players' choices ``{player: number}``.

    Examples
    --------
    >>> game = ContinuousGame(("A", "B"), ("x", "y"), ((0, 10), (0, 10)), ("-(x - y)**2", "-(y - 3)**2"))
    >>> round(best_response(game, "A", {"B": 2}), 9)
    2.0
    """
    name = game.player_label(player)
    if game.is_bayesian:
        raise ContinuousGameError("best_response: not available for games with types")
    numeric = _Numeric(game)
    k = game.players.index(name)
    x = []
    for j, other in enumerate(game.players):
        if j == k:
            low, high = numeric.low[k], numeric.high[k]
            x.append(low if math.isfinite(low) else min(0.0, high) if math.isfinite(high) else 0.0)
        elif other not in others:
            raise ContinuousGameError(f"best_response: no choice given for {other!r}")
        else:
            x.append(float(others[other]))
    return numeric.best_response(k, x)[0]


def best_response_curve(game: ContinuousGame, player, grid, *, start: float | None = None,
                        points: int = 129) -> np.ndarray:
    """Best responses of ``player`` in a two-player game to each choice of the other player in ``grid``.

    The closed form of :func:`best_response_function` where it exists, numeric best responses
    otherwise (a ``points``-point grid search from ``start``, refined by local optimisation).

    Examples
    --------
    >>> game = ContinuousGame(("A", "B"), ("x", "y"), ((0, 10), (0, 10)), ("-(x - y/2 - 1)**2", "-(y - 3)**2"))
    >>> best_response_curve(game, "A", [0, 2, 4]).tolist()
    [1.0, 2.0, 3.0]
    """
    name = game.player_label(player)
    if game.n_players != 2 or game.is_bayesian:
        raise ContinuousGameError("best_response_curve: needs a two-player game without types")
    k = game.players.index(name)
    other = 1 - k
    grid = np.asarray(grid, dtype=float)
    try:
        formula = best_response_function(game, name)
    except ContinuousGameError:
        formula = None
    if formula is not None:
        function = sympy.lambdify([game.agents()[other].variable], formula, modules="numpy")
        with np.errstate(all="ignore"):
            return np.asarray(function(grid), dtype=float) * np.ones_like(grid)
    numeric = _Numeric(game)
    if start is None:
        start = numeric.low[k] if math.isfinite(numeric.low[k]) else 0.0
    response = np.empty_like(grid)
    for j, value in enumerate(grid):
        x = [0.0, 0.0]
        x[other] = float(value)
        x[k] = start
        response[j] = numeric.best_response(k, x, points=points)[0]
    return response
