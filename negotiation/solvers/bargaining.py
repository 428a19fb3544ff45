"""``solve`` on a bargaining problem: its zone of possible agreement, Pareto frontier and solutions.

``ng.solve(problem, values=…)`` (and ``ng.solve(scenario)`` on a ``kind = "bargaining"`` file, through
the scenario layer) returns :func:`negotiation.bargaining.bargain`'s
:class:`~negotiation.results.bargaining.BargainingResult`. Options are those of ``bargain``
(``solution``, ``weights``, ``utilitarian_weights``).
"""

from __future__ import annotations

from negotiation.bargaining.solutions import bargain
from negotiation.models.bargaining import BargainingProblem
from negotiation.results.bargaining import BargainingResult
from negotiation.solvers.front_door import solve

__all__ = ["solve_bargaining"]


@solve.register(BargainingProblem, methods=())
def solve_bargaining(problem: BargainingProblem, method: str = "auto", values=None, **options) -> BargainingResult:
    """The bargaining analysis of ``problem`` at ``values`` (its parameters' defaults for the others).

    Examples
    --------
    >>> import negotiation as ng
    >>> problem = ng.BargainingProblem.from_inequalities([((1, 1), 1)], ("NATO", "Russia"), (0, 0))
    >>> ng.solve(problem, solution="nash")["nash"].utilities
    (Fraction(1, 2), Fraction(1, 2))
    """
    return bargain(problem, values=values, **options)
