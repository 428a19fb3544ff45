"""Scenario files: the TOML loader, the :class:`Scenario` type and the safe expression parser."""

from .expressions import ExpressionError, parse_condition, parse_expression
from .loader import SCHEMA, bundled_models, load, load_scenario, models_directory, parse_scenario
from .model import Assumption, Scenario, ScenarioError

__all__ = ["Assumption", "ExpressionError", "SCHEMA", "Scenario", "ScenarioError", "bundled_models",
           "load", "load_scenario", "models_directory", "parse_condition", "parse_expression",
           "parse_scenario"]
