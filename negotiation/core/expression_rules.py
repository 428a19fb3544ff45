"""The rules of the safe expression parser: its limits, its error, and the allow-lists.

Everything :mod:`negotiation.core.expressions` accepts is listed here — operators, comparisons,
constants, the callable functions (:data:`FUNCTIONS`) — with the syntax that is recognised but
never allowed (:data:`FORBIDDEN_NODES`) and the resource limits; the syntax tree is walked by
:class:`negotiation.core.expression_builder.Builder`. The module docstring of
:mod:`negotiation.core.expressions` describes what is allowed and why.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Callable

import sympy

from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import MAX_NUMBER_DIGITS  # most digits of any exact number (one limit for all)

__all__ = ["ExpressionError", "ALLOWED_FUNCTIONS", "MAX_TEXT_LENGTH", "MAX_NODES", "MAX_DEPTH", "MAX_INT_DIGITS",
           "MAX_NUMBER_DIGITS", "MAX_EXPONENT", "MAX_EXPONENT_DENOMINATOR", "MAX_FUNCTION_ARGS", "MAX_SIZE",
           "MAX_DEGREE", "MAX_EXPONENTIAL_NESTING", "MAX_LOGARITHM_NESTING", "SHARE_ABOVE"]

#: Longest accepted formula, in characters (checked before parsing).
MAX_TEXT_LENGTH = 10_000
#: Largest accepted number of syntax-tree nodes.
MAX_NODES = 2_000
#: Deepest accepted nesting (brackets, or syntax-tree levels).
MAX_DEPTH = 60
#: Most digits in an integer literal.
MAX_INT_DIGITS = 30
#: Largest accepted absolute value of a numeric exponent.
MAX_EXPONENT = 100
#: Largest accepted denominator of a rational exponent.
MAX_EXPONENT_DENOMINATOR = 100
#: Most arguments of one function call (``Min``, ``Max``, ``Piecewise``, ...).
MAX_FUNCTION_ARGS = 100
#: Largest formula after substituting derived quantities: elements of its tree, a shared derived
#: quantity counting as one element (what every later step walks through).
MAX_SIZE = 20_000
#: Highest total degree a formula may reach, derived quantities expanded (``((x**10 + 1)**10 + 1)**10``
#: has degree 1000): exact evaluation at a point grows the digits by this factor.
MAX_DEGREE = 1_000
#: Deepest nesting of exponentials (``exp(...)``, or a power whose exponent is a formula), derived
#: quantities expanded: ``exp(exp(exp(x)))`` is 3; evaluating more is astronomically large.
MAX_EXPONENTIAL_NESTING = 3
#: Deepest nesting of ``log(...)``, derived quantities included: sympy evaluates a logarithm's argument
#: again for its absolute value, so its numeric evaluation of ``log(log(...))`` grows exponentially with
#: the depth (10 deep: 0.2 s at a point, 12 deep: 7 s, 14 deep: a minute); no model needs more than a few.
MAX_LOGARITHM_NESTING = 6
#: A derived quantity whose expansion has more elements than this is shared: formulas refer to it by
#: name (a sympy function of its parameters, evaluated once per point) instead of copying its tree.
SHARE_ABOVE = 64

INT_LIMIT = 10**MAX_INT_DIGITS  # an integer with more than 30 digits is >= this
NUMBER_LIMIT = 10**MAX_NUMBER_DIGITS
# Bits of 10**MAX_NUMBER_DIGITS: a number with more bits has too many digits.
NUMBER_BITS = (10**MAX_NUMBER_DIGITS).bit_length()
_SNIPPET_LENGTH = 60
MAX_LISTED_NAMES = 25

# Characters that str.splitlines() treats as line boundaries.
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
DECIMAL = re.compile(r"([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?")


class ExpressionError(NegotiationError):
    """A formula from a scenario file is invalid or not allowed.

    The message is one line of the form ``"{where}: {reason}"``.

    Attributes
    ----------
    where : str
        Location prefix supplied by the caller (file and key).
    reason : str
        What is wrong, without the prefix.
    text : str or None
        The offending formula, if known.
    """

    def __init__(self, where: str, reason: str, text: str | None = None):
        where = one_line(where)
        reason = one_line(reason)
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason
        self.text = text

    def __reduce__(self):
        return (type(self), (self.where, self.reason, self.text))


def one_line(message: str) -> str:
    """``message`` on one line (every line break a space): error messages are one line."""
    return _LINE_BREAKS.sub(" ", str(message))


def snippet(text: str) -> str:
    """The formula, on one line and shortened, quoted for a message."""
    flat = " ".join(text.split())
    if len(flat) > _SNIPPET_LENGTH:
        flat = flat[: _SNIPPET_LENGTH - 3] + "..."
    return repr(flat)


# --------------------------------------------------------------------------
# Allow-lists
# --------------------------------------------------------------------------

EXPRESSION, CONDITION = "expression", "condition"

BINARY_OPERATORS: dict[type, str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
}
ALLOWED_BINARY = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
BINARY_HINTS = {
    ast.BitXor: "; use '**' for powers",
    ast.BitAnd: "; use 'and' or And(...)",
    ast.BitOr: "; use 'or' or Or(...)",
    ast.FloorDiv: "; use '/' (exact division)",
}

COMPARISONS: dict[type, Callable] = {
    ast.Lt: sympy.Lt,
    ast.LtE: sympy.Le,
    ast.Gt: sympy.Gt,
    ast.GtE: sympy.Ge,
    ast.Eq: sympy.Eq,
    ast.NotEq: sympy.Ne,
}
COMPARISON_NAMES = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}

CONSTANTS = {"pi": sympy.pi, "E": sympy.E}


@dataclass(frozen=True)
class Function:
    name: str  # canonical name, used in messages
    build: Callable
    min_args: int
    max_args: int | None
    arg_kind: str | None  # EXPRESSION, CONDITION, or None for Piecewise pairs
    result_kind: str


FUNCTIONS: dict[str, Function] = {
    "Min": Function("Min", sympy.Min, 1, None, EXPRESSION, EXPRESSION),
    "Max": Function("Max", sympy.Max, 1, None, EXPRESSION, EXPRESSION),
    "Abs": Function("Abs", sympy.Abs, 1, 1, EXPRESSION, EXPRESSION),
    "exp": Function("exp", sympy.exp, 1, 1, EXPRESSION, EXPRESSION),
    "log": Function("log", sympy.log, 1, 2, EXPRESSION, EXPRESSION),
    "sqrt": Function("sqrt", sympy.sqrt, 1, 1, EXPRESSION, EXPRESSION),
    "Piecewise": Function("Piecewise", sympy.Piecewise, 1, None, None, EXPRESSION),
    "And": Function("And", sympy.And, 1, None, CONDITION, CONDITION),
    "Or": Function("Or", sympy.Or, 1, None, CONDITION, CONDITION),
    "Not": Function("Not", sympy.Not, 1, 1, CONDITION, CONDITION),
}
FUNCTIONS["min"] = FUNCTIONS["Min"]
FUNCTIONS["max"] = FUNCTIONS["Max"]
FUNCTIONS["abs"] = FUNCTIONS["Abs"]

#: Names that may be called in a formula.
ALLOWED_FUNCTIONS = frozenset(FUNCTIONS)
FUNCTION_LIST = ", ".join(sorted(FUNCTIONS, key=lambda n: (n.lower(), n)))

# Descriptions of syntax that is recognised but never allowed.
FORBIDDEN_NODES: dict[type, str] = {
    ast.Attribute: "attribute access ('.') is not allowed",
    ast.Subscript: "subscripts ('[...]') are not allowed",
    ast.Slice: "slices are not allowed",
    ast.Lambda: "lambda expressions are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "generator expressions are not allowed",
    ast.List: "lists ('[...]') are not allowed",
    ast.Set: "sets ('{...}') are not allowed",
    ast.Dict: "dictionaries ('{...}') are not allowed",
    ast.Starred: "starred arguments ('*') are not allowed",
    ast.NamedExpr: "assignment expressions (':=') are not allowed",
    ast.JoinedStr: "f-strings are not allowed; expected a number, a name or a formula",
    ast.FormattedValue: "f-strings are not allowed",
    ast.Await: "'await' is not allowed",
    ast.Yield: "'yield' is not allowed",
    ast.YieldFrom: "'yield' is not allowed",
    ast.IfExp: (
        "conditional expressions ('a if c else b') are not allowed; "
        "use Piecewise((a, c), (b, True))"
    ),
}

# Nodes that carry no content of their own and are not counted.
UNCOUNTED = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
ADDITIVE = (ast.Add, ast.Sub)
MULTIPLICATIVE = (ast.Mult, ast.Div)
