"""Derived quantities as shared subexpressions, and the size of a formula after substitution.

A scenario file's ``[derived]`` quantities refer to each other (``d_2 = "Max(d_1, x) + Min(d_1, 1 - x)"``).
Copied into each other as trees they double at every level: sympy shares the nodes in memory, but
every walk over the tree (substitution, printing, ``atoms``, ``lambdify``) visits each copy, so a
chain of 16 such quantities took half a minute and one of 30 never ended.

A derived quantity whose expansion is larger than :data:`~negotiation.core.expression_rules.SHARE_ABOVE`
elements is therefore *shared*: :func:`share` turns it into an application ``d_2(x)`` of a sympy
function made for it (a subclass of :class:`Shared`) that holds its definition. Formulas use that
application like any other expression of the parameters:

* printed, it is its name (``d_2``), as the scenario file writes it;
* at numbers (``Game.substitute``, ``xreplace``) it evaluates its definition once per point and
  remembers the value, so a chain costs one evaluation per level;
* :func:`sympy.lambdify` calls its numeric implementation (``_imp_``), which evaluates the definition
  once per call;
* a symbolic derivation expands it (:func:`expand_shared`), after checking the size of the expansion.

:func:`measure` gives what the limits of :mod:`negotiation.core.expressions` bound, in one walk over
the shared nodes: the size of the tree a formula's consumers walk, the size of its full expansion,
its degree and its nesting of exponentials.

Examples
--------
>>> import sympy
>>> x = sympy.Symbol("x")
>>> inner = sympy.Max(x, 1 - x, evaluate=False) + x
>>> d = share("d", inner, where="file.toml: derived.d")
>>> d, d.xreplace({x: sympy.Rational(1, 4)})
(d, 1)
>>> expand_shared(d + 1, limit=100, where="file.toml") == inner + 1
True
"""

from __future__ import annotations

from typing import NamedTuple

import sympy

from negotiation.core.expression_rules import MAX_NUMBER_DIGITS, NUMBER_LIMIT, ExpressionError

__all__ = ["Shared", "share", "Measure", "measure", "expand_shared", "has_shared", "tree_size"]

# Values remembered per shared quantity (points of a sweep chunk, say); the memory is cleared when full.
_REMEMBERED_VALUES = 4096


class Measure(NamedTuple):
    """What the limits of a formula bound (see :func:`measure`)."""

    size: int  #: elements of the tree as walked (a shared quantity with its arguments counts 1 + arguments)
    expanded: int  #: elements of the tree with every shared quantity expanded
    degree: int  #: highest total degree (a bound), shared quantities expanded
    exponentials: int  #: deepest nesting of exp(...) and powers with a formula as exponent
    logarithms: int = 0  #: deepest nesting of log(...)


class Shared(sympy.Function):
    """An application of one shared derived quantity to its parameters (one subclass per quantity).

    Class attributes, set by :func:`share`: ``label`` (the derived name), ``definition`` (the
    expression, in ``variables``), ``variables`` (its parameter symbols), ``where`` (file and key,
    for messages) and ``expansion`` (the :class:`Measure` of the definition, expanded).
    """

    label = ""
    definition = sympy.Integer(0)
    variables: tuple = ()
    where = ""
    expansion = Measure(1, 1, 0, 0)
    _values: dict = {}

    @classmethod
    def eval(cls, *args):
        if not cls.variables or not all(getattr(arg, "is_number", False) for arg in args):
            return None
        value = cls._values.get(args)
        if value is None:
            value = cls.definition.xreplace(dict(zip(cls.variables, args)))
            if any(isinstance(n, sympy.Rational) and (abs(n.p) >= NUMBER_LIMIT or n.q >= NUMBER_LIMIT)
                   for n in (value, *value.args)):
                raise ExpressionError(cls.where, f"its value at {_point(cls.variables, args)} has more than "
                                      f"{MAX_NUMBER_DIGITS} digits (the limit)")
            if len(cls._values) >= _REMEMBERED_VALUES:
                cls._values.clear()
            cls._values[args] = value
        return value

    @property
    def unfolded(self):
        """The definition at this application's arguments (one level of expansion)."""
        if self.args == self.variables:
            return self.definition
        return self.definition.xreplace(dict(zip(self.variables, self.args)))

    def _printed(self, printer):
        if self.args == self.variables:
            return printer._print(sympy.Symbol(self.label))
        return printer._print(sympy.Function(self.label)(*self.args))

    def _sympystr(self, printer):
        return self._printed(printer)

    def _latex(self, printer):
        return self._printed(printer)

    def _pretty(self, printer):
        return self._printed(printer)

    def fdiff(self, argindex=1):
        return sympy.diff(self.definition, self.variables[argindex - 1]).xreplace(dict(zip(self.variables,
                                                                                               self.args)))

    def __reduce_ex__(self, protocol):
        cls = type(self)
        return _application, (cls.label, cls.definition, cls.variables, cls.where, tuple(cls.expansion), self.args)

    def __reduce__(self):
        return self.__reduce_ex__(2)


# (label, definition, variables, where) -> the class, so that unpickling gives the same class again
_CLASSES: dict = {}


def _shared_class(label: str, definition, variables: tuple, where: str, expansion: Measure) -> type:
    key = (label, definition, variables, where)
    cls = _CLASSES.get(key)
    if cls is None:
        name = f"derived_{label}" if label.isidentifier() else f"derived_{abs(hash(key))}"
        cls = type(name, (Shared,), {
            "label": label, "definition": definition, "variables": variables, "where": where,
            "expansion": Measure(*expansion), "nargs": len(variables), "_values": {},
            "__module__": __name__,
        })
        cls._imp_ = staticmethod(_numeric(cls))
        _CLASSES[key] = cls
    return cls


def _application(label, definition, variables, where, expansion, args):
    """Unpickle a shared application."""
    return _shared_class(label, definition, variables, where, Measure(*expansion))(*args)


def _numeric(cls):
    """The numeric implementation of a shared quantity for :func:`sympy.lambdify` (made when first called)."""
    compiled = []

    def implementation(*values):
        if not compiled:
            compiled.append(sympy.lambdify(cls.variables, cls.definition, modules="numpy", cse=True))
        return compiled[0](*values)

    return implementation


def _point(variables, args) -> str:
    text = ", ".join(f"{v}={a}" for v, a in zip(variables, args))
    return text if len(text) <= 80 else text[:77] + "..."


def share(label: str, expression, *, where: str, expansion: Measure | None = None):
    """``expression`` as a shared quantity named ``label``: an application of a new :class:`Shared` class.

    ``where`` (file and key) names the quantity in messages; ``expansion`` is the :class:`Measure`
    of the expression (computed if not given). A closed expression (no parameters) is returned as it is.
    """
    variables = tuple(sorted(expression.free_symbols, key=lambda symbol: symbol.name))
    if not variables:
        return expression
    expansion = expansion or measure(expression)
    return _shared_class(label, expression, variables, where, expansion)(*variables)


def measure(expression, memo: dict | None = None) -> Measure:
    """The :class:`Measure` of a sympy expression, in one walk over its distinct nodes.

    ``memo`` (node -> Measure) may be shared between calls on expressions with common parts.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> measure((x + 1)**3 * sympy.exp(sympy.exp(x)))
    Measure(size=9, expanded=9, degree=4, exponentials=2, logarithms=0)
    """
    memo = {} if memo is None else memo
    stack = [(expression, False)]
    while stack:
        node, ready = stack.pop()
        if node in memo:
            continue
        if not ready:
            stack.append((node, True))
            stack.extend((arg, False) for arg in node.args if arg not in memo)
            continue
        memo[node] = _measure_node(node, [memo[arg] for arg in node.args])
    return memo[expression]


def _measure_node(node, parts: list) -> Measure:
    size = 1 + sum(part.size for part in parts)
    if not parts:
        return Measure(1, 1, 1 if isinstance(node, sympy.Symbol) else 0, 0)
    expanded = 1 + sum(part.expanded for part in parts)
    degree = max(part.degree for part in parts)
    exponentials = max(part.exponentials for part in parts)
    logarithms = max(part.logarithms for part in parts)
    if isinstance(node, Shared):
        inner = node.expansion
        return Measure(size, inner.expanded + expanded, inner.degree * max(1, degree),
                       inner.exponentials + exponentials, inner.logarithms + logarithms)
    if isinstance(node, sympy.Mul):
        degree = sum(part.degree for part in parts)
    elif isinstance(node, sympy.Pow):
        exponent = node.args[1]
        if isinstance(exponent, sympy.Rational):
            degree = parts[0].degree * max(1, abs(int(exponent.p)))
        elif not exponent.is_number:
            exponentials += 1
    elif isinstance(node, sympy.exp):
        exponentials += 1
    elif isinstance(node, sympy.log):
        logarithms += 1
    return Measure(size, expanded, degree, exponentials, logarithms)


def tree_size(expression) -> int:
    """Elements of the tree of ``expression`` as a walk visits them (shared quantities count as leaves)."""
    return measure(expression).size


def expand_shared(expression, *, limit: int, where: str, what: str = "a symbolic derivation"):
    """``expression`` with every shared quantity replaced by its definition (recursively).

    The size of the expansion is checked first: more than ``limit`` elements raise an
    :class:`~negotiation.core.expression_rules.ExpressionError` naming ``where``, the largest
    shared quantity and the limit, and suggesting numeric analysis.
    """
    found = _shared_classes(expression)
    if not found:
        return expression
    size = measure(expression).expanded
    if size > limit:
        largest = max(found, key=lambda cls: cls.expansion.expanded)
        raise ExpressionError(where, f"derived quantity {largest.label!r} expands to {size:,} elements, more than "
                              f"{limit:,} (the limit of {what}); analyse the model numerically instead "
                              "(negotiation solve --set, negotiation sweep)")
    definitions: dict = {}  # class -> its definition, expanded
    memo: dict = {}
    stack = [(expression, False)]
    while stack:
        node, ready = stack.pop()
        if node in memo:
            continue
        if not ready:
            stack.append((node, True))
            stack.extend((arg, False) for arg in node.args if arg not in memo)
            continue
        args = tuple(memo[arg] for arg in node.args)
        if isinstance(node, Shared):
            cls = type(node)
            if cls not in definitions:
                definitions[cls] = expand_shared(cls.definition, limit=limit, where=where, what=what)
            memo[node] = definitions[cls].xreplace(dict(zip(cls.variables, args)))
        elif args != node.args:  # Min and Max stay unevaluated, as the parser builds them
            memo[node] = node.func(*args, evaluate=False) if isinstance(node, (sympy.Min, sympy.Max)) \
                else node.func(*args)
        else:
            memo[node] = node
    return memo[expression]


def has_shared(expression) -> bool:
    """Whether ``expression`` contains an application of a shared quantity (a walk over distinct nodes)."""
    return bool(_shared_classes(expression))


def _shared_classes(expression) -> set:
    """The classes of the shared quantities applied in ``expression`` (not those inside their definitions)."""
    if not isinstance(expression, sympy.Basic):
        return set()
    found, seen, stack = set(), {expression}, [expression]
    while stack:
        node = stack.pop()
        if isinstance(node, Shared):
            found.add(type(node))
        for arg in node.args:
            if arg not in seen:
                seen.add(arg)
                stack.append(arg)
    return found
