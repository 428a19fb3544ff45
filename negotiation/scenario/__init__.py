"""The scenario layer: scenario files (TOML, data only) become scenarios — a parametric model with its
parameters, sources, assumptions and references. Paths become objects here (and in the CLI), nowhere lower.

:func:`load` reads a file or a bundled model by name; each kind of scenario file has its own module
(``game``, ``tree``, ``bayesian``, ``signaling``, ``continuous``, ``bargaining``) that registers its
parser with the loader when this package is imported.
"""

# Each kind's module registers its parser (and file types) with the loader when imported.
from negotiation.scenario import bargaining, bayesian, continuous, game, signaling, tree  # noqa: F401
from negotiation.core.expressions import ExpressionError, parse_condition, parse_expression
from negotiation.scenario.loader import (SCHEMA, bundled_models, load, load_scenario, models_directory,
                                         parse_scenario)
from negotiation.scenario.model import Assumption, Scenario, ScenarioError

__all__ = ["Assumption", "ExpressionError", "SCHEMA", "Scenario", "ScenarioError", "bundled_models",
           "load", "load_scenario", "models_directory", "parse_condition", "parse_expression",
           "parse_scenario"]
