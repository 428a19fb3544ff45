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
    "TreeError": "negotiation.models.tree_nodes",
    "decision": "negotiation.models.tree_nodes",
    "chance": "negotiation.models.tree_nodes",
    "terminal": "negotiation.models.tree_nodes",
    "BehaviourProfile": "negotiation.results.tree",
    "TreeEquilibrium": "negotiation.results.tree",
    "TreeSolveResult": "negotiation.results.tree",
    "backward_induction": "negotiation.solvers.backward_induction",
    "SubgamePerfectConditions": "negotiation.symbolic.tree",
    # private information
    "BayesianGame": "negotiation.models.bayesian",
    "BayesianError": "negotiation.models.bayesian",
    "BayesianSolveResult": "negotiation.results.bayesian",
    "harsanyi": "negotiation.models.bayesian",
    "agent_form": "negotiation.models.bayesian",
    "solve_bayesian": "negotiation.solvers.bayesian",
    "bayesian_conditions": "negotiation.symbolic.bayesian",
    "SignalingGame": "negotiation.models.signaling",
    "pure_pbe": "negotiation.solvers.signaling",
    "intuitive_criterion": "negotiation.solvers.signaling",
    # repeated games and verification
    "grim_trigger_threshold": "negotiation.solvers.repeated",
    "tit_for_tat_threshold": "negotiation.solvers.repeated",
    "minmax_values": "negotiation.solvers.repeated",
    "folk_theorem": "negotiation.solvers.repeated",
    "finitely_repeated": "negotiation.solvers.repeated",
    "recursive_inspection": "negotiation.solvers.inspection",
    # continuous choices and dynamics
    "ContinuousGame": "negotiation.models.continuous",
    "solve_continuous": "negotiation.solvers.continuous",
    "best_response_function": "negotiation.solvers.continuous",
    "plot_best_responses": "negotiation.report.continuous",
    "RichardsonModel": "negotiation.models.richardson",
    "steady_state": "negotiation.dynamics.richardson",
    "stability": "negotiation.dynamics.richardson",
    "trajectory": "negotiation.dynamics.richardson",
    "plot_phase": "negotiation.report.dynamics",
    "fictitious_play": "negotiation.dynamics.learning",
    "best_response_dynamics": "negotiation.dynamics.learning",
    "replicator_dynamics": "negotiation.dynamics.learning",
    "logit_dynamics": "negotiation.dynamics.learning",
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
    # issue 18: negotiation-domain import (Genius XML)
    "read_genius": "negotiation.formats.genius",
    "write_genius": "negotiation.formats.genius_writer",
    # issue 18: evolutionary dynamics
    "fixation_probabilities": "negotiation.dynamics.evolution",
    "moran_process": "negotiation.dynamics.evolution",
    "replicator_mutator": "negotiation.dynamics.replicator_mutator",
    "replicator_mutator_rest_points": "negotiation.dynamics.replicator_mutator",
    "stochastically_stable": "negotiation.dynamics.stochastic_stability",
    "FixationProbabilities": "negotiation.results.evolution",
    "RestPoints": "negotiation.results.evolution",
    "StochasticStability": "negotiation.results.evolution",
    "EvolutionError": "negotiation.results.evolution",
    # issue 18: cooperative games
    "CooperativeGame": "negotiation.models.cooperative",
    "CooperativeError": "negotiation.models.cooperative",
    "CooperativeResult": "negotiation.results.cooperative",
    "CooperativeScenario": "negotiation.scenario.cooperative",
    "shapley_value": "negotiation.solvers.cooperative",
    "banzhaf_index": "negotiation.solvers.cooperative",
    "core_vertices": "negotiation.solvers.cooperative",
    "least_core": "negotiation.solvers.nucleolus",
    "nucleolus": "negotiation.solvers.nucleolus",
    "plot_cooperative": "negotiation.report.cooperative",
    # issue 18: noisy repeated games
    "Automaton": "negotiation.models.automata",
    "standard_automaton": "negotiation.models.automata",
    "noisy_payoffs": "negotiation.solvers.noisy_repetition",
    "noisy_equilibria": "negotiation.solvers.noisy_repetition",
    "critical_discount_under_noise": "negotiation.solvers.noisy_thresholds",
    "plot_critical_discount": "negotiation.report.noisy_repetition",
    # issue 18: the equilibrium payoff set
    "equilibrium_payoff_set": "negotiation.solvers.payoff_set",
    # issue 18: QRE estimation and strategic choice
    "estimate_qre": "negotiation.solvers.qre_estimation",
    "read_counts": "negotiation.solvers.qre_estimation",
    "EstimationError": "negotiation.solvers.qre_estimation",
    "QREEstimate": "negotiation.results.estimation",
    "estimate_strategic_choice": "negotiation.solvers.strategic_choice",
    "StrategicChoiceEstimate": "negotiation.results.estimation",
    # issue 17: equilibrium selection
    "select_equilibrium": "negotiation.solvers.selection",
    "SelectionResult": "negotiation.results.selection",
    "perfect_equilibria": "negotiation.solvers.refinements",
    "PerfectEquilibria": "negotiation.results.refinement",
    # issue 13: robustness of claims
    "robustness": "negotiation.sweeps.robustness",
    "RobustnessResult": "negotiation.results.robustness",
    "ClaimRobustness": "negotiation.results.robustness",
    "Claim": "negotiation.scenario.claims",
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
