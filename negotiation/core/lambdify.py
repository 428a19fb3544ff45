"""Formulas made into numpy functions: :func:`lambdify_numpy`, shared by the bargaining and sweep layers."""

from __future__ import annotations

import dis

import numpy as np
import sympy

__all__ = ["lambdify_numpy"]


class _Broadcasting:
    """``logical_or`` / ``logical_and`` whose ``reduce`` broadcasts its operands first.

    sympy prints ``Or(p > 2, q > 5)`` as ``logical_or.reduce((greater(p, 2), greater(q, 5)))``; with one
    operand an array (a swept parameter) and the other a scalar (a fixed one) numpy refuses the tuple as
    inhomogeneous. Broadcasting the operands first computes what the formula says.
    """

    def __init__(self, ufunc):
        self.ufunc = ufunc

    def __call__(self, *arguments, **options):
        return self.ufunc(*arguments, **options)

    def reduce(self, operands, *arguments, **options):
        return self.ufunc.reduce(np.broadcast_arrays(*operands), *arguments, **options)


def _broadcasting(function):
    """``function`` with the broadcasting ``logical_or`` and ``logical_and`` in its own namespace (lambdify
    gives every function a namespace of its own, so nothing else is touched)."""
    namespace = function.__globals__
    for name in ("logical_or", "logical_and"):
        if name in namespace:
            namespace[name] = _Broadcasting(getattr(np, name))
    return function


def lambdify_numpy(arguments, expression):
    """``sympy.lambdify(arguments, expression, modules="numpy")``, without its namespace import when possible.

    ``modules="numpy"`` builds its namespace with ``from numpy import *; from numpy.linalg import *``,
    which imports ``numpy.testing`` and ``numpy.f2py`` (about 0.1 s per process).  The same printer
    (NumPyPrinter) is chosen for ``modules=[numpy]``, whose namespace is ``numpy.__dict__``; the
    function is kept only if every global name it uses resolves to the same object in both
    namespaces (names exported by numpy and not replaced by sympy's numpy defaults, translations or
    ``numpy.linalg``), so it computes the same floats.  Otherwise the reference call is made.
    ``expression`` may be one expression or a nested list of them, as for :func:`sympy.lambdify`.

    Examples
    --------
    >>> x, y = sympy.symbols("x y")
    >>> f = lambdify_numpy([x, y], x / y - sympy.sqrt(y))
    >>> float(f(1.0, 4.0))
    -1.75
    """
    try:
        from sympy.utilities.lambdify import NUMPY_DEFAULT, NUMPY_TRANSLATIONS

        function = sympy.lambdify(arguments, expression, modules=[np])
        names = {i.argval for i in dis.get_instructions(function.__code__) if i.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
        exported = set(getattr(np, "__all__", ())) & set(vars(np))
        replaced = set(NUMPY_DEFAULT) | set(NUMPY_TRANSLATIONS) | set(getattr(np.linalg, "__all__", ()))
        if all((name in exported and name not in replaced) or name in ("builtins", "range") for name in names) \
                and not any(isinstance(c, type(function.__code__)) for c in function.__code__.co_consts):
            return _broadcasting(function)
    except Exception:  # pragma: no cover - the reference call below reports it
        pass
    return _broadcasting(sympy.lambdify(arguments, expression, modules="numpy"))
