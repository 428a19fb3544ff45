"""Dynamics: how play or armament levels move over time.

* :mod:`negotiation.dynamics.learning` — learning rules on a finite game: :func:`fictitious_play`,
  :func:`best_response_dynamics`, :func:`replicator_dynamics`, :func:`logit_dynamics`;
* :mod:`negotiation.dynamics.richardson` — Richardson's arms race: :func:`steady_state`,
  :func:`stability`, :func:`trajectory`.

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
from negotiation.results.dynamics import DynamicsError, Stability, Trajectory

__all__ = ["fictitious_play", "best_response_dynamics", "replicator_dynamics", "logit_dynamics", "RULES",
           "steady_state", "stability", "trajectory", "DynamicsError", "Stability", "Trajectory"]
