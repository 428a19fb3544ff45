"""The symbolic layer: where, in parameter space, each equilibrium holds — and one front door, :func:`derive`.

``derive(model, values=None, **options)`` dispatches by the type of the model
(:mod:`negotiation.symbolic.front_door`). For a strategic-form game it returns a
:class:`~negotiation.symbolic.game.Derivation`:

* ``pure`` — for each pure profile, the conjunction of inequalities in the parameters under
  which it is a Nash equilibrium (any number of players);
* ``mixed`` — for each pair of equal-size supports of a two-player game, the mixed
  equilibrium in closed form (probabilities and payoffs as sympy expressions) with the
  region where it is valid;
* ``classification`` — for a symmetric 2×2 game with a declared cooperative strategy, the
  regions where it is Harmony, a Prisoner's Dilemma, a Stag Hunt, Chicken or Deadlock;
* ``thresholds`` — the parameter values where a derived comparison turns, solved for each
  parameter and evaluated at the defaults of the others.

Every region is simplified soundly under the parameter ranges and the scenario's
assumptions (see :mod:`negotiation.symbolic.conditions`) and can be evaluated at a point
(``condition.holds(values)``), which is how the tests check them against the numeric solver.

Examples
--------
>>> import negotiation as ng
>>> from negotiation.symbolic import derive
>>> derivation = derive(ng.load("security_dilemma"), {"v": 0})  # pure security seekers
>>> str(derivation.classification["Stag Hunt"])
'omega*(L*(1 - phi) - W) > k and k > 0'
>>> [(t.parameter, str(t.expression), str(t.value)) for t in derivation.thresholds if t.parameter == "omega"]
[('omega', 'k/(L*(1 - phi) - W)', '2/11')]
"""

from __future__ import annotations

# Every family module registers its model type with derive when imported.
from negotiation.symbolic import bayesian, continuous, tree  # noqa: F401
from negotiation.symbolic.front_door import derive
from negotiation.symbolic.game import Derivation, MixedSolution, PureCondition, derive_game
from negotiation.symbolic.inequalities import Condition, Inequality
from negotiation.symbolic.regions import Threshold

__all__ = ["Derivation", "derive", "derive_game", "Condition", "Inequality", "PureCondition", "MixedSolution",
           "Threshold"]
