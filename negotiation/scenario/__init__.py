"""Scenario files: the TOML loader, the :class:`Scenario` type and the safe expression parser."""

from negotiation.core.expressions import ExpressionError, parse_condition, parse_expression
from negotiation.scenario.loader import SCHEMA, bundled_models, load, load_scenario, models_directory, parse_scenario
from negotiation.scenario.model import Assumption, Scenario, ScenarioError

__all__ = ["Assumption", "ExpressionError", "SCHEMA", "Scenario", "ScenarioError", "bundled_models",
           "load", "load_scenario", "models_directory", "parse_condition", "parse_expression",
           "parse_scenario"]
