"""Dynamics: how play or armament levels move over time.

* :mod:`negotiation.dynamics.learning` — learning rules on a finite game: :func:`fictitious_play`,
  :func:`best_response_dynamics`, :func:`replicator_dynamics`, :func:`logit_dynamics`;
* :mod:`negotiation.dynamics.richardson` — Richardson's arms race: :func:`steady_state`,
  :func:`stability`, :func:`trajectory`;
* :mod:`negotiation.dynamics.evolution`, :mod:`negotiation.dynamics.replicator_mutator` and
  :mod:`negotiation.dynamics.stochastic_stability` — evolution in a population (issue 18): the Moran
  process (:func:`fixation_probabilities`, :func:`moran_process`), the replicator–mutator equation
  (:func:`replicator_mutator`, :func:`replicator_mutator_rest_points`) and stochastic stability
  (:func:`stochastically_stable`).

Every path is a :class:`~negotiation.results.dynamics.Trajectory` (a result); its figure is in
:mod:`negotiation.report.dynamics`.

Examples
--------
>>> import negotiation as ng
>>> from negotiation.dynamics import replicator_dynamics
>>> hawk_dove = ng.Game.from_arrays([[-2, 2], [0, 1]], [[-2, 0], [2, 1]],
...     strategies=(("Hawk", "Dove"), ("Hawk", "Dove")))
>>> round(replicator_dynamics(hawk_dove, 60).final["Player 1"]["Hawk"], 6)
0.333333
"""

from __future__ import annotations

from negotiation.dynamics.learning import (RULES, best_response_dynamics, fictitious_play, logit_dynamics,
                                           replicator_dynamics)
from negotiation.dynamics.richardson import stability, steady_state, trajectory
# issue 18: evolutionary dynamics
from negotiation.dynamics.evolution import (fixation_probabilities, moran_process, pair_fixation,
                                            rare_mutation_distribution, symmetric_payoffs)
from negotiation.dynamics.replicator_mutator import (field_and_jacobian, mutation_matrix, replicator_mutator,
                                                     replicator_mutator_rest_points, selected_payoffs)
from negotiation.dynamics.stochastic_stability import kmr_stationary_distribution, stochastically_stable
from negotiation.results.dynamics import DynamicsError, Stability, Trajectory

__all__ = ["fictitious_play", "best_response_dynamics", "replicator_dynamics", "logit_dynamics", "RULES",
           "steady_state", "stability", "trajectory", "DynamicsError", "Stability", "Trajectory",
           # issue 18: evolutionary dynamics
           "fixation_probabilities", "moran_process", "pair_fixation", "rare_mutation_distribution",
           "symmetric_payoffs", "field_and_jacobian", "mutation_matrix", "replicator_mutator",
           "replicator_mutator_rest_points", "selected_payoffs", "kmr_stationary_distribution",
           "stochastically_stable"]
