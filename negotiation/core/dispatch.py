"""Front doors: one function per verb that dispatches by the type of its first argument.

:func:`front_door` turns a documented function into a generic one, as
:func:`functools.singledispatch` does, with two additions the toolkit needs: every
registration declares the ``method=`` names it understands (so ``ng.solve.methods(model)``
can list them and an unknown method is refused with the list), and a type nobody registered
is refused with a one-line :class:`~negotiation.core.errors.NegotiationError` that names the
types the verb does take.

A lower layer defines the verb; the layers above register their types with it
(``solve.register(BayesianGame, methods=…)``), so dispatch never imports upwards.

A family may also be *declared* instead of imported: ``solve.declare("negotiation.models.tree.GameTree",
"negotiation.solvers.tree")`` says which module registers that type, and the module is imported by name
the first time a model of the type (or of a subclass) arrives. Solving a strategic-form game then never
imports the bargaining, continuous or signaling families (nor sympy, which they need at import).

Examples
--------
>>> @front_door
... def area(shape, method="auto", values=None, **options):
...     '''The area of a shape.'''
>>> class Square:
...     side = 3
>>> @area.register(Square, methods=("exact",))
... def _(square, method="auto", values=None, **options):
...     return square.side ** 2
>>> area(Square()), area.methods(Square())
(9, ('auto', 'exact'))
>>> area(Square(), method="float")
Traceback (most recent call last):
    ...
negotiation.core.errors.NegotiationError: unknown method 'float' for a Square model (expected one of: auto, exact)
>>> area(3.5)
Traceback (most recent call last):
    ...
negotiation.core.errors.NegotiationError: area takes a Square, not a float
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
from dataclasses import dataclass
from typing import Callable

from negotiation.core.errors import NegotiationError

__all__ = ["front_door", "Registration", "Registry", "with_assumption_tags"]


@dataclass(frozen=True)
class Registration:
    """One type a verb takes: the function that handles it and the ``method=`` names it understands.

    ``methods`` is a tuple, or a function of the model returning one (a scenario's methods are
    those of the model it holds).
    """

    type: type
    function: Callable
    methods: tuple | Callable = ()
    check: bool = True

    def methods_for(self, model) -> tuple:
        return tuple(self.methods(model) if callable(self.methods) else self.methods)


class Registry:
    """The types one verb takes: registered (their module imported) or declared (imported on first use)."""

    def __init__(self, verb: str):
        self.verb = verb
        self.registered: dict[type, Registration] = {}
        self.declared: dict[str, str] = {}  # "package.module.Type" -> the module that registers it

    def register(self, model_type: type, *, methods=(), check: bool = True):
        """Register ``function`` for ``model_type``; ``check=False`` leaves refusing an unknown method to
        the function (to name a file in the message, say)."""
        def decorator(function):
            self.registered[model_type] = Registration(model_type, function, methods, check)
            return function

        return decorator

    def declare(self, type_name: str, module: str) -> None:
        """Say that importing ``module`` registers the type named ``type_name`` (``"package.module.Type"``);
        the module is imported the first time a model of that type arrives."""
        self.declared[type_name] = module

    def registrations(self) -> dict[type, Registration]:
        """Every registration, the declared modules imported first (listings and refusals need them all)."""
        while self.declared:
            importlib.import_module(self.declared.pop(next(iter(self.declared))))
        return self.registered

    def find(self, model) -> Registration | None:
        for cls in type(model).__mro__:
            if cls not in self.registered and (name := f"{cls.__module__}.{cls.__qualname__}") in self.declared:
                importlib.import_module(self.declared.pop(name))
            if cls in self.registered:
                return self.registered[cls]
        return None

    def registration(self, model) -> Registration:
        """The registration for ``model``'s type (or a base), or a one-line refusal naming what the verb takes."""
        entry = self.find(model)
        if entry is None and self.declared:  # a module declared under another name may register a base
            self.registrations()
            entry = self.find(model)
        if entry is not None:
            return entry
        verb = self.verb
        if isinstance(model, (str, os.PathLike)):  # paths become objects only at ng.load (and in the CLI)
            raise NegotiationError(f"{verb} takes a model or a scenario, not the path {str(model)!r}: "
                                   f"load it first, e.g. {verb}(ng.load({str(model)!r}))")
        kinds = sorted({kind for cls in self.registered if isinstance(kind := getattr(cls, "kind", None), str)})
        kind = getattr(model, "kind", None)
        if isinstance(kind, str) and kinds:  # a model or scenario of a kind this verb does not take
            where = getattr(model, "id", None)
            raise NegotiationError(f"{where + ': ' if isinstance(where, str) else ''}{verb} does not apply "
                                   f"to a {kind} model (it takes {', '.join(kinds)} models and their scenarios)")
        taken = ", ".join(sorted(cls.__name__ for cls in self.registered)) or "nothing yet"
        raise NegotiationError(f"{verb} takes a {taken}, not a {type(model).__name__}")

    def methods(self, model) -> tuple:
        """The ``method=`` names this verb understands for ``model`` (``"auto"`` first)."""
        return ("auto", *self.registration(model).methods_for(model))

    def refusal(self, model, method: str, where: str = "") -> str:
        """Why ``method`` is refused for ``model``: a method of another kind of model "does not apply";
        a name no kind knows is "unknown"."""
        known = self.methods(model)
        every = {name for entry in self.registrations().values() if not callable(entry.methods)
                 for name in entry.methods}
        prefix = f"{where}: " if where else ""
        kind = getattr(model, "kind", None) or type(model).__name__
        if method in every:
            return f"{prefix}method {method!r} does not apply to a {kind} model (methods: {', '.join(known)})"
        return f"{prefix}unknown method {method!r} for a {kind} model (expected one of: {', '.join(known)})"


def with_assumption_tags(result, model, arguments: dict, *, verb: str):
    """``result`` listing the ``assumption``-tagged parameters of ``model`` when ``model`` is a scenario (it has
    ``parameters``, ``assumptions`` and ``references``) and ``result`` follows the result protocol (it has
    ``with_assumption_tags``): once here, for every verb and every result type. Values are those the result
    was computed at (its ``parameters``; else the scenario's values at ``values=``); ``derive`` keeps every
    parameter the user did not fix symbolic (``None``)."""
    attach = getattr(result, "with_assumption_tags", None)
    space = getattr(model, "parameters", None)
    if attach is None or not hasattr(model, "references") or not hasattr(model, "assumptions") \
            or not hasattr(space, "parameters"):
        return result
    names = [p.name for p in space.parameters if getattr(p, "confidence", None) == "assumption"]
    if not names:
        return result
    if verb == "derive":  # a derivation holds over the ranges: only the values the user fixed are values
        values = dict(arguments.get("values") or {})
    else:
        values = dict(getattr(result, "parameters", None) or {})
        if not values and hasattr(model, "resolve"):
            values = model.resolve(arguments.get("values"))
    return attach({name: values.get(name) for name in names})


def front_door(base: Callable) -> Callable:
    """Make ``base`` (its name, signature and docstring) the front door of a verb dispatched by type."""
    types = Registry(base.__name__)
    signature = inspect.signature(base)
    if "method" in signature.parameters:
        variadic = [name for name, p in signature.parameters.items() if p.kind is inspect.Parameter.VAR_KEYWORD]

        @functools.wraps(base)
        def door(*args, **kwargs):
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError as error:
                raise TypeError(f"{base.__name__}: {error}") from None
            bound.apply_defaults()
            arguments = dict(bound.arguments)
            for name in variadic:  # **options are passed on as keywords
                arguments.update(arguments.pop(name))
            model = arguments.pop(next(iter(signature.parameters)))
            entry = types.registration(model)
            method = arguments["method"]
            if method != "auto" and entry.check and method not in entry.methods_for(model):
                raise NegotiationError(types.refusal(model, method))
            return with_assumption_tags(entry.function(model, **arguments), model, arguments, verb=types.verb)
    else:  # a verb without methods (drawing a figure)
        @functools.wraps(base)
        def door(model, *args, **options):
            return types.registration(model).function(model, *args, **options)

    door.register = types.register
    door.declare = types.declare
    door.methods = types.methods
    door.refusal = types.refusal
    door.registration = types.registration
    door.registrations = types.registrations
    door.registry = types.registered
    return door
