"""Classic-game regions of symmetric 2×2 games, and the thresholds where equilibria change.

For a symmetric 2×2 game with a cooperative strategy ``C`` (the other is ``D``), the row
player's payoffs ``R = u(C, C)``, ``S = u(C, D)``, ``T = u(D, C)``, ``P = u(D, D)`` decide the
class ([@Jervis1978]; the same rules as :mod:`negotiation.solvers.classification`):

==================  =================================
class               region
==================  =================================
Harmony             R > T and S > P
Prisoner's Dilemma  T > R and P > S and R > P
Stag Hunt           R > T and P > S
Chicken             T > R and S > P
Deadlock            T > R and P > S and P >= R
boundary case       T = R or P = S
==================  =================================

With parametric payoffs each comparison is an inequality in the parameters; the regions
are returned as :class:`~negotiation.symbolic.inequalities.Condition` objects, simplified
under the parameter ranges and the scenario's assumptions.

A *threshold* is where the two sides of one of the derived comparisons are equal, solved
for one parameter (``omega = (k - v)/G``) and evaluated with the other parameters at their
defaults.
"""

from __future__ import annotations


import sympy

from negotiation.results.thresholds import Threshold
from negotiation.symbolic.conditions import Context
from negotiation.symbolic.inequalities import Inequality
from negotiation.symbolic.simplify import evaluate, tidy

__all__ = ["BOUNDARY", "CLASSES", "Threshold", "boundary_labels", "classic_payoffs", "classification_regions",
           "find_thresholds"]

#: Class name -> comparisons that define it, each ``(left, relation, right)`` in R, S, T, P.
CLASSES = {
    "Harmony": [("R", ">", "T"), ("S", ">", "P")],
    "Prisoner's Dilemma": [("T", ">", "R"), ("P", ">", "S"), ("R", ">", "P")],
    "Stag Hunt": [("R", ">", "T"), ("P", ">", "S")],
    "Chicken": [("T", ">", "R"), ("S", ">", "P")],
    "Deadlock": [("T", ">", "R"), ("P", ">", "S"), ("P", ">=", "R")],
}
BOUNDARY = "boundary case"
#: The comparisons whose equality changes the class, with their labels.
BOUNDARIES = (("T", "R"), ("P", "S"), ("R", "P"))


def classic_payoffs(game, cooperate: str | None) -> dict | None:
    """``{"R": …, "S": …, "T": …, "P": …}`` of a symmetric 2×2 game, or ``None`` if it is not one.

    Symmetric means: both players have the same strategy labels and the column player's
    payoff at ``(s, t)`` equals the row player's at ``(t, s)`` identically in the parameters.

    Examples
    --------
    >>> import sympy
    >>> from negotiation.models.game import Game
    >>> c = sympy.Symbol("c")
    >>> labels = (("C", "D"), ("C", "D"))
    >>> game = Game.from_arrays([[3, 0], [5, c]], [[3, 5], [0, c]], strategies=labels)
    >>> classic_payoffs(game, "C")
    {'R': 3, 'S': 0, 'T': 5, 'P': c}
    """
    if game.n_players != 2 or game.shape != (2, 2) or cooperate is None:
        return None
    if game.strategies[0] != game.strategies[1] or cooperate not in game.strategies[0]:
        return None
    A, B = game.payoffs[..., 0], game.payoffs[..., 1]
    for i in range(2):
        for j in range(2):
            if sympy.expand(sympy.sympify(A[i, j]) - sympy.sympify(B[j, i])) != 0:
                return None
    c = game.strategies[0].index(cooperate)
    d = 1 - c
    return {"R": sympy.sympify(A[c, c]), "S": sympy.sympify(A[c, d]),
            "T": sympy.sympify(A[d, c]), "P": sympy.sympify(A[d, d])}


def classification_regions(payoffs: dict, context: Context) -> dict:
    """Class name -> :class:`Condition` (Harmony, Prisoner's Dilemma, Stag Hunt, Chicken,
    Deadlock, boundary case), simplified in ``context``.

    The regions partition the parameter box: at every point exactly one holds.

    Examples
    --------
    >>> import sympy
    >>> c = sympy.Symbol("c", nonnegative=True)
    >>> regions = classification_regions({"R": 3, "S": 0, "T": 5, "P": c}, Context([c], {c: (0, 10)}))
    >>> {name: str(region) for name, region in regions.items()}  # doctest: +NORMALIZE_WHITESPACE
    {'Harmony': 'never (under the parameter ranges and assumptions)',
     "Prisoner's Dilemma": 'c > 0 and c < 3',
     'Stag Hunt': 'never (under the parameter ranges and assumptions)',
     'Chicken': 'never (under the parameter ranges and assumptions)',
     'Deadlock': 'c >= 3',
     'boundary case': 'c = 0'}
    """
    values = {name: sympy.sympify(value) for name, value in payoffs.items()}
    regions = {}
    for name, comparisons in CLASSES.items():
        regions[name] = context.condition([[(values[left] - values[right], relation)
                                            for left, relation, right in comparisons]])
    regions[BOUNDARY] = context.condition([[(values["T"] - values["R"], "==")],
                                           [(values["P"] - values["S"], "==")]])
    return regions


def find_thresholds(conditions: dict, context: Context, parameters, defaults: dict,
                    labels: dict | None = None, only=None) -> tuple:
    """Solve every boundary of the given conditions for each parameter in it.

    Parameters
    ----------
    conditions : dict
        Name of a derived condition (``"pure (Restrain, Restrain)"``) -> :class:`Condition`.
    context : Context
    parameters : ParameterSpace
        Free parameters (their ranges decide ``in_range``).
    defaults : dict
        Parameter name -> default value.
    labels : dict, optional
        Canonical boundary expression -> label (``"T = R"``).
    only : iterable of str, optional
        Report thresholds of these parameters only.

    Returns
    -------
    tuple of Threshold
        Ordered by parameter (declaration order), then by first appearance of the boundary.

    Examples
    --------
    >>> import sympy
    >>> from negotiation.core.parameters import ParameterSpace, Parameter
    >>> c = sympy.Symbol("c", nonnegative=True)
    >>> space = ParameterSpace((Parameter("c", 1, 0, 10),))
    >>> context = Context([c], {c: (0, 10)})
    >>> region = classification_regions({"R": 3, "S": 0, "T": 5, "P": c}, context)
    >>> [(t.parameter, str(t.expression), t.value) for t in find_thresholds(region, context, space, {"c": 1})]
    [('c', '0', Fraction(0, 1)), ('c', '3', Fraction(3, 1))]
    """
    labels = labels or {}
    boundaries: dict = {}
    for name, condition in conditions.items():
        for atom in condition.inequalities:
            entry = boundaries.setdefault(atom.expression, {"atom": atom, "used_by": []})
            if name not in entry["used_by"]:
                entry["used_by"].append(name)
    wanted = set(only) if only is not None else None
    out = []
    for parameter in parameters:
        if wanted is not None and parameter.name not in wanted:
            continue
        symbol = context_symbol(context, parameter.name)
        if symbol is None:
            continue
        others = {name: value for name, value in defaults.items() if name != parameter.name}
        for key, entry in boundaries.items():
            if symbol not in key.free_symbols:
                continue
            for solution in _solve_for(key, symbol, context):
                expression = tidy(solution, defaults, context.budget)
                value = evaluate(expression, others)
                in_range = None
                if value is not None:
                    low, high = parameter.low, parameter.high
                    in_range = (low is None or value >= low) and (high is None or value <= high)
                atom: Inequality = entry["atom"]
                boundary = f"{sympy.sstr(atom.lhs)} = {sympy.sstr(atom.rhs)}"
                latex = f"{sympy.latex(atom.lhs)} = {sympy.latex(atom.rhs)}"
                out.append(Threshold(parameter.name, expression, value, boundary, labels.get(key, ""), in_range,
                                     tuple(entry["used_by"]), latex, exact=not isinstance(value, float),
                                     method="solved for the parameter with sympy"))
    return tuple(out)


def context_symbol(context: Context, name: str):
    for symbol in context.symbols:
        if symbol.name == name:
            return symbol
    return None


def _solve_for(expression, symbol, context: Context) -> list:
    """Roots of ``expression = 0`` in ``symbol``: direct for linear equations, ``sympy.solve`` otherwise."""
    try:
        polynomial = sympy.Poly(expression, symbol)
    except sympy.PolynomialError:
        polynomial = None
    if polynomial is not None and polynomial.degree() == 1:
        a, b = polynomial.all_coeffs()
        return [-b / a]
    solutions = context.budget.run(sympy.solve, sympy.Eq(expression, 0), symbol)
    if not solutions:
        return []
    return [s for s in solutions if s.is_real is not False]


def boundary_labels(payoffs: dict | None, context: Context) -> dict:
    """Canonical boundary expression -> ``"T = R"`` etc. for a classic 2×2 game."""
    if not payoffs:
        return {}
    labels = {}
    for left, right in BOUNDARIES:
        key, _ = context._normalise(sympy.sympify(payoffs[left]) - sympy.sympify(payoffs[right]),
                                    frozenset({0}))
        if key is not None:
            labels.setdefault(key, f"{left} = {right}")
    return labels
