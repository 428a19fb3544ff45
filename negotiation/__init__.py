"""negotiation: game-theoretic analysis of security negotiations.

``import negotiation as ng``. The front doors are :func:`ng.load` (a scenario file or a bundled
model), :func:`ng.solve` and :func:`ng.derive` (one per verb, for every kind of model) and
:func:`ng.sweep`; the model types are :class:`ng.Game`, :class:`ng.GameTree`,
:class:`ng.BayesianGame`, :class:`ng.SignalingGame`, :class:`ng.ContinuousGame` and
:class:`ng.BargainingProblem`.

This module is the facade: every name below is imported from its layer on first use, so that
``import negotiation`` (and ``negotiation --help``) costs almost nothing. The layers are
described in ``ARCHITECTURE.md``.
"""

import importlib

from negotiation.core.version import __version__

#: Public name -> the module that defines it (imported on first use).
_EXPORTS = {
    # front doors
    "load": "negotiation.scenario",
    "solve": "negotiation.solvers",
    "derive": "negotiation.symbolic",
    "sweep": "negotiation.sweeps",
    # errors and parameters
    "NegotiationError": "negotiation.core.errors",
    "Parameter": "negotiation.core.parameters",
    "ParameterSpace": "negotiation.core.parameters",
    # strategic-form games
    "Game": "negotiation.models.game",
    "GameError": "negotiation.models.game",
    "MixedProfile": "negotiation.models.profile",
    "Equilibrium": "negotiation.results.game",
    "SolveResult": "negotiation.results.game",
    "Result": "negotiation.results.base",
    "correlated_equilibria": "negotiation.solvers.correlated",
    "logit_branch": "negotiation.solvers.quantal_response",
    "logit_qre": "negotiation.solvers.quantal_response",
    # game trees
    "GameTree": "negotiation.models.tree",
    "TreeError": "negotiation.models.tree",
    "decision": "negotiation.models.tree",
    "chance": "negotiation.models.tree",
    "terminal": "negotiation.models.tree",
    "BehaviourProfile": "negotiation.results.tree",
    "TreeEquilibrium": "negotiation.results.tree",
    "TreeSolveResult": "negotiation.results.tree",
    "backward_induction": "negotiation.solvers.backward_induction",
    # private information
    "BayesianGame": "negotiation.bayesian",
    "BayesianError": "negotiation.bayesian",
    "BayesianSolveResult": "negotiation.bayesian",
    "harsanyi": "negotiation.bayesian",
    "agent_form": "negotiation.bayesian",
    "solve_bayesian": "negotiation.bayesian",
    "bayesian_conditions": "negotiation.bayesian",
    "SignalingGame": "negotiation.signaling",
    "pure_pbe": "negotiation.signaling",
    "intuitive_criterion": "negotiation.signaling",
    # repeated games and verification
    "grim_trigger_threshold": "negotiation.repeated",
    "tit_for_tat_threshold": "negotiation.repeated",
    "minmax_values": "negotiation.repeated",
    "folk_theorem": "negotiation.repeated",
    "finitely_repeated": "negotiation.repeated",
    "recursive_inspection": "negotiation.inspection",
    # continuous choices and dynamics
    "ContinuousGame": "negotiation.continuous",
    "solve_continuous": "negotiation.continuous",
    "best_response_function": "negotiation.continuous",
    "plot_best_responses": "negotiation.continuous",
    "RichardsonModel": "negotiation.richardson",
    "steady_state": "negotiation.richardson",
    "stability": "negotiation.richardson",
    "trajectory": "negotiation.richardson",
    "plot_phase": "negotiation.richardson",
    "fictitious_play": "negotiation.dynamics",
    "best_response_dynamics": "negotiation.dynamics",
    "replicator_dynamics": "negotiation.dynamics",
    "logit_dynamics": "negotiation.dynamics",
    # bargaining
    "BargainingProblem": "negotiation.models.bargaining",
    "Issue": "negotiation.models.bargaining",
    "BargainingError": "negotiation.models.bargaining",
    "BargainingResult": "negotiation.results.bargaining",
    "bargain": "negotiation.bargaining.solutions",
    "sensitivity": "negotiation.bargaining.sensitivity",
    "zone_thresholds": "negotiation.bargaining.sensitivity",
    "issue_by_issue": "negotiation.bargaining.issue_by_issue",
    "restrict": "negotiation.bargaining.issue_by_issue",
    "logrolling": "negotiation.bargaining.logrolling",
    "rubinstein": "negotiation.bargaining.rubinstein",
    "rubinstein_continuous_time": "negotiation.bargaining.rubinstein",
    "bargaining_range": "negotiation.bargaining.crisis",
    "risk_return_tradeoff": "negotiation.bargaining.crisis",
    "commitment_problem": "negotiation.bargaining.crisis",
    # figures and maps
    "save_figure": "negotiation.report.figures",
    "plot_tree": "negotiation.report.trees",
    "equilibrium_map": "negotiation.report.maps",
    "bifurcation_plot": "negotiation.report.maps",
    "plot_agreement_set": "negotiation.report.bargaining",
    "plot_issue_space": "negotiation.report.bargaining",
    "plot_sensitivity": "negotiation.report.bargaining",
}

#: Modules reachable as attributes under their earlier names (``ng.numeric.format_number``).
_MODULES = {"numeric": "negotiation.core.numeric"}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name):
    # The facade's lazy attributes: one of the two places (with the command registry) where the
    # package imports its own modules by name, so that start-up stays instant.
    if name in _MODULES:
        return importlib.import_module(_MODULES[name])
    if name not in _EXPORTS:
        raise AttributeError(f"module 'negotiation' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted([*globals(), *_EXPORTS])
