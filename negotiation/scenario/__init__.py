"""The scenario layer: scenario files (TOML, data only) become scenarios — a parametric model with its
parameters, sources, assumptions and references. Paths become objects here (and in the CLI), nowhere lower.

:func:`load` reads a file or a bundled model by name; each kind of scenario file has its own module
(``game``, ``tree``, ``bayesian``, ``signaling``, ``continuous``, ``bargaining``) that registers its
parser with the loader. The loader imports those modules (by name, :data:`~negotiation.scenario.loader.KIND_MODULES`)
the first time it reads a file, and this package's names are loaded on first use, so that importing a light
module of the layer (:mod:`negotiation.scenario.catalogue`, which ``negotiation models`` reads) does not
build the whole house.
"""

from __future__ import annotations

import importlib

#: Public name -> the module that defines it (loaded on first access).
_EXPORTS = {
    "Assumption": "negotiation.scenario.model",
    "Scenario": "negotiation.scenario.model",
    "ScenarioError": "negotiation.scenario.model",
    "ExpressionError": "negotiation.core.expressions",
    "parse_condition": "negotiation.core.expressions",
    "parse_expression": "negotiation.core.expressions",
    "SCHEMA": "negotiation.scenario.loader",
    "load": "negotiation.scenario.loader",
    "load_scenario": "negotiation.scenario.loader",
    "parse_scenario": "negotiation.scenario.loader",
    "bundled_models": "negotiation.scenario.catalogue",
    "models_directory": "negotiation.scenario.catalogue",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    # One of the lazy places of ARCHITECTURE.md: the layer's names are imported by name on first use.
    if name not in _EXPORTS:
        raise AttributeError(f"module 'negotiation.scenario' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
