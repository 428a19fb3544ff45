"""negotiation: game-theoretic analysis of security negotiations.

``import negotiation as ng``; the front doors are :class:`ng.Game`,
:func:`ng.solve` and :func:`ng.load`.
"""

from .game import Game, GameError
from .params import Parameter, ParameterSpace
from .profile import MixedProfile
from .result import Equilibrium, SolveResult
from .solvers import solve
from .sweeps import sweep
from .tree import GameTree, TreeError
from .tree_result import BehaviourProfile, TreeEquilibrium, TreeSolveResult

__all__ = ["Game", "GameError", "Parameter", "ParameterSpace", "MixedProfile",
           "Equilibrium", "SolveResult", "solve", "sweep", "load", "__version__",
           "GameTree", "TreeError", "BehaviourProfile", "TreeEquilibrium", "TreeSolveResult"]

__version__ = "0.1.0"


def load(path_or_name):
    """Load a scenario (``.toml``, by path or bundled name) or a Gambit ``.nfg`` game."""
    from .scenario import load as _load

    return _load(path_or_name)
