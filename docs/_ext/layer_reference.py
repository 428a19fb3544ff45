"""A Sphinx directive that documents one layer package of ``negotiation``: ``.. layer:: PACKAGE``.

A layer package that exports names (its ``__all__``: ``negotiation.sweeps``, ``negotiation.bargaining``,
…) is documented by those names, with a table of its modules (each module's first docstring line). A
layer that exports nothing itself (``negotiation.core``, ``models``, ``results``, ``report``) is
documented module by module, each module by the public names it defines.

Every object is documented once: names the facade ``negotiation`` exports are left to the facade's
pages (``ng.Game``), and an object that two layers export is documented at the first of them from the
top (:data:`LAYERS`). The pages follow the code: a new module or name appears without editing a page.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil

from docutils.statemachine import StringList
from sphinx.errors import PycodeError
from sphinx.pycode import ModuleAnalyzer
from sphinx.util.docutils import SphinxDirective

import negotiation

#: The layer packages, top to bottom (ARCHITECTURE.md); the order decides where a shared object is documented.
LAYERS = ("cli", "report", "sweeps", "scenario", "symbolic", "solvers", "bargaining", "dynamics", "formats",
          "results", "models", "core")


def submodules(package) -> list[str]:
    """The public modules of ``package`` (not subpackages, not ``_private`` ones), sorted."""
    return sorted(f"{package.__name__}.{info.name}" for info in pkgutil.iter_modules(package.__path__)
                  if not info.ispkg and not info.name.startswith("_"))


def _documented_constants(module) -> set[str]:
    """Module-level names with a ``#:`` comment or a docstring in ``module``'s own source."""
    try:
        return {name for (scope, name) in ModuleAnalyzer.for_module(module.__name__).find_attr_docs() if not scope}
    except PycodeError:  # no source to analyse
        return set()


def _public_names(module, *, own: bool) -> list[str]:
    """``module.__all__``: only what ``module`` itself defines when ``own``, else everything it exports
    (classes and functions, and constants documented where they are defined)."""
    constants = None
    names = []
    for name in getattr(module, "__all__", ()):
        value = getattr(module, name, None)
        if inspect.isclass(value) or inspect.isroutine(value) or callable(value):
            if not own or getattr(value, "__module__", None) == module.__name__:
                names.append(name)
            continue
        if constants is None:
            constants = _documented_constants(module)
        if name in constants:
            names.append(name)
    return names


@functools.cache
def plan() -> dict[str, list[tuple[str, list[str]]]]:
    """``package -> [(module, names to document there)]``: the package itself first, then (for a layer that
    exports nothing) each of its modules; every object once, facade names left out."""
    seen = {id(getattr(negotiation, name)) for name in negotiation.__all__ if name != "__version__"}
    result = {}
    for layer in LAYERS:
        package = importlib.import_module(f"negotiation.{layer}")
        exports = hasattr(package, "__all__")
        modules = [package.__name__] if exports else [package.__name__, *submodules(package)]
        entries = []
        for name in modules:
            module = importlib.import_module(name)
            kept = []
            for member in _public_names(module, own=not exports):
                value = getattr(module, member)
                # constants (ints, strings) are shared by value, not identity: keep each where it is named
                if inspect.isclass(value) or inspect.isroutine(value) or callable(value):
                    if id(value) in seen:
                        continue
                    seen.add(id(value))
                kept.append(member)
            entries.append((name, kept))
        result[package.__name__] = entries
    return result


def _automodule(name: str, members: list[str]) -> list[str]:
    # an empty ``:members:`` would mean every member: say none instead
    return [f".. automodule:: {name}", f"   :members: {', '.join(members)}" if members else "   :no-members:", ""]


class LayerDirective(SphinxDirective):
    """``.. layer:: PACKAGE``: the package's docstring and names, its modules, and (for a layer that exports
    nothing itself) a section per module."""

    required_arguments = 1

    def run(self):
        package_name = self.arguments[0]
        (_, names), *sections = plan()[package_name]
        lines = _automodule(package_name, names)
        modules = submodules(importlib.import_module(package_name))
        if modules:
            lines += [".. rubric:: Modules", "", ".. autosummary::", ""]
            lines += [f"   {name.rsplit('.', 1)[1]}" for name in modules]  # relative to the package
            lines.append("")
        for name, members in sections:
            title = f"``{name.rsplit('.', 1)[1]}``"
            lines += [title, "-" * len(title), "", *_automodule(name, members)]
        source = f"<layer {package_name}>"
        self.state_machine.insert_input(StringList(lines, source=source), source)
        return []


def setup(app):
    app.add_directive("layer", LayerDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
