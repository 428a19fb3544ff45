"""negotiation: game-theoretic analysis of security negotiations.

``import negotiation as ng``; the front doors are :class:`ng.Game`,
:func:`ng.solve` and :func:`ng.load`.
"""

from negotiation.models.game import Game, GameError
from negotiation.core.parameters import Parameter, ParameterSpace
from negotiation.models.profile import MixedProfile
from negotiation.results.game import Equilibrium, SolveResult
from negotiation.solvers import solve
from negotiation.sweeps import sweep
from negotiation.models.tree import GameTree, TreeError
from negotiation.results.tree import BehaviourProfile, TreeEquilibrium, TreeSolveResult

__all__ = ["Game", "GameError", "Parameter", "ParameterSpace", "MixedProfile",
           "Equilibrium", "SolveResult", "solve", "sweep", "load", "__version__",
           "GameTree", "TreeError", "BehaviourProfile", "TreeEquilibrium", "TreeSolveResult"]

__version__ = "0.1.0"

#: Names exported lazily (their modules import sympy or scipy pieces only when used).
_LAZY = {
    "SignalingGame": "negotiation.signaling",
    "pure_pbe": "negotiation.signaling",
    "intuitive_criterion": "negotiation.signaling",
    "recursive_inspection": "negotiation.inspection",
    "BayesianGame": "negotiation.bayesian",
    "BayesianError": "negotiation.bayesian",
    "BayesianSolveResult": "negotiation.bayesian",
    "harsanyi": "negotiation.bayesian",
    "agent_form": "negotiation.bayesian",
    "solve_bayesian": "negotiation.bayesian",
    "bayesian_conditions": "negotiation.bayesian",
    "logit_branch": "negotiation.solvers.quantal_response",
    "logit_qre": "negotiation.solvers.quantal_response",
    "fictitious_play": "negotiation.dynamics",
    "best_response_dynamics": "negotiation.dynamics",
    "replicator_dynamics": "negotiation.dynamics",
    "logit_dynamics": "negotiation.dynamics",
    "correlated_equilibria": "negotiation.solvers.correlated",
    "ContinuousGame": "negotiation.continuous",
    "solve_continuous": "negotiation.continuous",
    "best_response_function": "negotiation.continuous",
    "plot_best_responses": "negotiation.continuous",
    "RichardsonModel": "negotiation.richardson",
    "steady_state": "negotiation.richardson",
    "stability": "negotiation.richardson",
    "trajectory": "negotiation.richardson",
    "plot_phase": "negotiation.richardson",
}
__all__ += list(_LAZY)

#: Modules reachable as attributes under their earlier names (``ng.numeric.format_number``).
_MODULES = {"numeric": "negotiation.core.numeric"}


def __getattr__(name):
    import importlib

    if name in _MODULES:
        return importlib.import_module(_MODULES[name])
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'negotiation' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def load(path_or_name):
    """Load a scenario (``.toml``, by path or bundled name) or a Gambit ``.nfg`` game."""
    from negotiation.scenario import load as _load

    return _load(path_or_name)
