"""Allow-list parser for payoff formulas and conditions in scenario files.

Scenario files are untrusted data.  Their formulas (``"omega*G + v - k"``,
``"Max(0, p - c_A)"``, ``"0 <= omega <= 1"``) are read with :func:`ast.parse`
and the resulting syntax tree is walked node by node; every node type, operator
and function name must be on an explicit allow-list, and the sympy object is
built directly from the allowed pieces.  The text itself never reaches
``eval``, ``exec``, ``compile``, :func:`sympy.sympify`, :func:`sympy.parse_expr`
or ``sympy.S(str)``.

What is allowed
---------------
* numeric literals: integers (at most :data:`MAX_INT_DIGITS` digits) and
  decimal / scientific literals (at most :data:`MAX_INT_DIGITS` significant
  digits), which are converted *exactly* from their source text (``0.1`` is
  ``Rational(1, 10)``, ``1e-3`` is ``Rational(1, 1000)``); no sympy ``Float``
  ever appears in a result;
* names declared in the ``symbols`` mapping, and the constants ``pi``, ``E``,
  ``True`` and ``False`` (a declared name shadows ``pi`` and ``E``);
* binary ``+ - * / **``, unary ``-``, ``+`` and ``not``;
* comparisons ``< <= > >= == !=``, including chains (``0 <= x <= 1`` is
  ``And(0 <= x, x <= 1)``), and ``and`` / ``or``;
* calls of the functions ``Min, Max, Abs, exp, log, sqrt, Piecewise, And, Or,
  Not`` (and the aliases ``min, max, abs``) with positional arguments only;
  ``Piecewise`` takes ``(value, condition)`` pairs.  ``Min`` and ``Max`` are
  evaluated only when all their arguments are exact numbers; otherwise they
  are built unevaluated (``evaluate=False``), because sympy's pairwise
  simplification of their arguments can take seconds.  They evaluate as soon
  as numbers are substituted.

Values that are undefined (``1/0``, ``log(0)``) or not real (``sqrt(-1)``,
``(-8)**(1/3)``, ``log(-2)``) are rejected.

Resource limits
---------------
Input is rejected, before anything expensive is computed, when the text is
longer than :data:`MAX_TEXT_LENGTH` characters, the tree has more than
:data:`MAX_NODES` nodes or is nested more than :data:`MAX_DEPTH` levels deep
(a flat chain such as ``a + b - c + d`` counts as one level), a numeric
exponent is not a rational number with absolute value at most
:data:`MAX_EXPONENT` and denominator at most :data:`MAX_EXPONENT_DENOMINATOR`,
an exact number would have more than :data:`MAX_NUMBER_DIGITS` digits, or a
function call has more than :data:`MAX_FUNCTION_ARGS` arguments.  Numeric
exponents are checked before sympy computes a power, and powers that combine
(``(x**10)**20`` is ``x**200``, ``x*x*...*x``) are checked after.

Every failure raises :class:`ExpressionError` (a :class:`ValueError`) whose
message is a single line starting with the caller's ``where`` prefix.
"""

from __future__ import annotations

import ast
import difflib
import re
import warnings
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Mapping

import sympy
from sympy.logic.boolalg import Boolean
from negotiation.core.errors import NegotiationError

__all__ = [
    "ExpressionError",
    "parse_expression",
    "parse_condition",
    "ALLOWED_FUNCTIONS",
    "MAX_TEXT_LENGTH",
    "MAX_NODES",
    "MAX_DEPTH",
    "MAX_INT_DIGITS",
    "MAX_NUMBER_DIGITS",
    "MAX_EXPONENT",
    "MAX_EXPONENT_DENOMINATOR",
    "MAX_FUNCTION_ARGS",
]

#: Longest accepted formula, in characters (checked before parsing).
MAX_TEXT_LENGTH = 10_000
#: Largest accepted number of syntax-tree nodes.
MAX_NODES = 2_000
#: Deepest accepted nesting (brackets, or syntax-tree levels).
MAX_DEPTH = 60
#: Most digits in an integer literal.
MAX_INT_DIGITS = 30
#: Most digits in the numerator or denominator of any exact number.
MAX_NUMBER_DIGITS = 1_000
#: Largest accepted absolute value of a numeric exponent.
MAX_EXPONENT = 100
#: Largest accepted denominator of a rational exponent.
MAX_EXPONENT_DENOMINATOR = 100
#: Most arguments of one function call (``Min``, ``Max``, ``Piecewise``, ...).
MAX_FUNCTION_ARGS = 100

_INT_LIMIT = 10**MAX_INT_DIGITS  # an integer with more than 30 digits is >= this
_NUMBER_LIMIT = 10**MAX_NUMBER_DIGITS
# Bits of 10**MAX_NUMBER_DIGITS: a number with more bits has too many digits.
_NUMBER_BITS = (10**MAX_NUMBER_DIGITS).bit_length()
_SNIPPET_LENGTH = 60
_MAX_LISTED_NAMES = 25

# Characters that str.splitlines() treats as line boundaries.
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_DECIMAL = re.compile(r"([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?")


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
        where = _one_line(where)
        reason = _one_line(reason)
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason
        self.text = text

    def __reduce__(self):
        return (type(self), (self.where, self.reason, self.text))


def _one_line(message: str) -> str:
    return _LINE_BREAKS.sub(" ", str(message))


def _snippet(text: str) -> str:
    """The formula, on one line and shortened, quoted for a message."""
    flat = " ".join(text.split())
    if len(flat) > _SNIPPET_LENGTH:
        flat = flat[: _SNIPPET_LENGTH - 3] + "..."
    return repr(flat)


# --------------------------------------------------------------------------
# Allow-lists
# --------------------------------------------------------------------------

_EXPR, _BOOL = "expression", "condition"

_BINARY_OPERATORS: dict[type, str] = {
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
_ALLOWED_BINARY = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
_BINARY_HINTS = {
    ast.BitXor: "; use '**' for powers",
    ast.BitAnd: "; use 'and' or And(...)",
    ast.BitOr: "; use 'or' or Or(...)",
    ast.FloorDiv: "; use '/' (exact division)",
}

_COMPARISONS: dict[type, Callable] = {
    ast.Lt: sympy.Lt,
    ast.LtE: sympy.Le,
    ast.Gt: sympy.Gt,
    ast.GtE: sympy.Ge,
    ast.Eq: sympy.Eq,
    ast.NotEq: sympy.Ne,
}
_COMPARISON_NAMES = {
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

_CONSTANTS = {"pi": sympy.pi, "E": sympy.E}


@dataclass(frozen=True)
class _Function:
    name: str  # canonical name, used in messages
    build: Callable
    min_args: int
    max_args: int | None
    arg_kind: str | None  # _EXPR, _BOOL, or None for Piecewise pairs
    result_kind: str


_FUNCTIONS: dict[str, _Function] = {
    "Min": _Function("Min", sympy.Min, 1, None, _EXPR, _EXPR),
    "Max": _Function("Max", sympy.Max, 1, None, _EXPR, _EXPR),
    "Abs": _Function("Abs", sympy.Abs, 1, 1, _EXPR, _EXPR),
    "exp": _Function("exp", sympy.exp, 1, 1, _EXPR, _EXPR),
    "log": _Function("log", sympy.log, 1, 2, _EXPR, _EXPR),
    "sqrt": _Function("sqrt", sympy.sqrt, 1, 1, _EXPR, _EXPR),
    "Piecewise": _Function("Piecewise", sympy.Piecewise, 1, None, None, _EXPR),
    "And": _Function("And", sympy.And, 1, None, _BOOL, _BOOL),
    "Or": _Function("Or", sympy.Or, 1, None, _BOOL, _BOOL),
    "Not": _Function("Not", sympy.Not, 1, 1, _BOOL, _BOOL),
}
_FUNCTIONS["min"] = _FUNCTIONS["Min"]
_FUNCTIONS["max"] = _FUNCTIONS["Max"]
_FUNCTIONS["abs"] = _FUNCTIONS["Abs"]

#: Names that may be called in a formula.
ALLOWED_FUNCTIONS = frozenset(_FUNCTIONS)
_FUNCTION_LIST = ", ".join(sorted(_FUNCTIONS, key=lambda n: (n.lower(), n)))

# Descriptions of syntax that is recognised but never allowed.
_FORBIDDEN_NODES: dict[type, str] = {
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
_UNCOUNTED = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
_ADDITIVE = (ast.Add, ast.Sub)
_MULTIPLICATIVE = (ast.Mult, ast.Div)


# --------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------


def parse_expression(
    text: str,
    symbols: Mapping[str, sympy.Basic],
    *,
    where: str = "<expression>",
) -> sympy.Expr | Boolean:
    """Parse a formula from untrusted text into a sympy object.

    Parameters
    ----------
    text : str
        The formula, in Python syntax restricted to the allow-list of this
        module (see the module docstring).
    symbols : Mapping[str, sympy.Symbol]
        The declared parameter names and the symbols they stand for (values
        may also be sympy expressions or conditions, e.g. previously parsed
        derived quantities, or ints and Fractions).  A name
        that is not a key of this mapping is an error (except ``pi`` and
        ``E``).  Function names such as ``exp`` may be declared as parameters:
        a bare name is looked up here, a called name among the functions.
    where : str, optional
        Location of the formula (file and key) used as the prefix of error
        messages, e.g. ``'models/x.toml: payoffs."Deploy,Restrain"[0]'``.

    Returns
    -------
    sympy.Expr or sympy.logic.boolalg.Boolean
        The formula; a condition (comparison, ``and``, ``or``, ``not``) gives a
        sympy boolean, anything else a sympy expression.  Decimal literals are
        exact rationals.

    Raises
    ------
    ExpressionError
        If the text is not valid syntax, uses anything not on the allow-list,
        uses an undeclared name, or exceeds a resource limit.  The message is
        one line starting with ``where``.

    See Also
    --------
    parse_condition : the same, but the result must be a condition.

    Examples
    --------
    >>> import sympy
    >>> g, k = sympy.symbols("g k")
    >>> parse_expression("2*g - k/2", {"g": g, "k": k})
    2*g - k/2
    >>> parse_expression("0.1 + 0.2", {})
    3/10
    >>> parse_expression("Max(0, g - 1e-3)", {"g": g})
    Max(0, g - 1/1000)
    >>> parse_expression("Piecewise((1, g > 0), (0, True))", {"g": g})
    Piecewise((1, g > 0), (0, True))
    >>> parse_expression("__import__('os')", {}, where="x.toml: k")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    negotiation.core.expressions.ExpressionError: x.toml: k: function '__import__' ...
    """
    value, _kind = _parse(text, symbols, where)
    return value


def parse_condition(
    text: str,
    symbols: Mapping[str, sympy.Basic],
    *,
    where: str = "<condition>",
) -> Boolean:
    """Parse a condition (an assumption such as ``"0 <= omega <= 1"``).

    Parameters
    ----------
    text : str
        A comparison (``< <= > >= == !=``, possibly chained), or ``and`` /
        ``or`` / ``not`` / ``And`` / ``Or`` / ``Not`` of conditions.
    symbols : Mapping[str, sympy.Symbol]
        The declared parameter names and their symbols.
    where : str, optional
        Prefix of error messages.

    Returns
    -------
    sympy.logic.boolalg.Boolean
        A sympy relational or boolean combination of relationals.  A condition
        that sympy can decide on its own (``"1 < 2"``) comes back as
        ``sympy.true`` or ``sympy.false``.

    Raises
    ------
    ExpressionError
        As :func:`parse_expression`, and also when the text is a value rather
        than a condition (``"G + 1"``).

    Examples
    --------
    >>> import sympy
    >>> omega, G = sympy.symbols("omega G")
    >>> parse_condition("0 <= omega <= 1", {"omega": omega})
    (0 <= omega) & (omega <= 1)
    >>> parse_condition("G > 0 and omega != 1/2", {"G": G, "omega": omega})
    (G > 0) & Ne(omega, 1/2)
    >>> parse_condition("G + 1", {"G": G}, where="a.toml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    negotiation.core.expressions.ExpressionError: a.toml: expected a condition ...
    """
    value, kind = _parse(text, symbols, where)
    if kind != _BOOL:
        raise ExpressionError(
            where,
            "expected a condition (a comparison such as 'G > 0', or and/or/not "
            f"of comparisons), got the value {_snippet(text)}",
            text,
        )
    return value


# --------------------------------------------------------------------------
# Implementation
# --------------------------------------------------------------------------


def _parse(text: object, symbols: Mapping[str, sympy.Basic], where: str):
    if not isinstance(text, str):
        raise ExpressionError(
            where, f"expected a formula as a string, got {type(text).__name__}"
        )
    if len(text) > MAX_TEXT_LENGTH:
        raise ExpressionError(
            where,
            f"expression is {len(text)} characters long, "
            f"more than the limit of {MAX_TEXT_LENGTH}",
        )
    source = text.strip()
    if not source:
        raise ExpressionError(where, "empty expression; expected a formula", text)
    _check_bracket_depth(source, where, text)
    tree = _ast_parse(source, where, text)
    _check_size(tree, where, text)
    builder = _Builder(source, text, symbols, where)
    value, kind = builder.build(tree.body)
    builder.check_result(value)
    return value, kind


def _check_bracket_depth(source: str, where: str, text: str) -> None:
    """Reject deep bracket nesting before the Python parser sees it."""
    depth = 0
    for char in source:
        if char in "([{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ExpressionError(
                    where,
                    f"brackets are nested more than {MAX_DEPTH} levels deep "
                    "(the limit); simplify the formula",
                    text,
                )
        elif char in ")]}":
            depth -= 1


def _ast_parse(source: str, where: str, text: str) -> ast.Expression:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(source, mode="eval")
    except SyntaxError as error:
        raise ExpressionError(
            where,
            f"invalid expression {_snippet(text)}: {_describe_syntax_error(error, source)}",
            text,
        ) from None
    except (RecursionError, MemoryError):
        raise ExpressionError(
            where,
            f"expression {_snippet(text)} is too deeply nested or too complex "
            f"(nesting limit {MAX_DEPTH})",
            text,
        ) from None
    except (ValueError, OverflowError) as error:
        raise ExpressionError(
            where, f"invalid expression {_snippet(text)}: {_one_line(error)}", text
        ) from None


def _describe_syntax_error(error: SyntaxError, source: str) -> str:
    message = error.msg or "invalid syntax"
    if "never closed" in message:
        return f"unexpected end of expression ({message})"
    if "source code" in message and "null" in message:
        return "the text contains a null character"
    if "digits" in message and "integer" in message:  # > 4300-digit literal
        return f"integer literal has more than {MAX_INT_DIGITS} digits (the limit)"
    if not (message.startswith("invalid syntax") or "unexpected EOF" in message):
        return message
    lines = source.splitlines() or [""]
    lineno = error.lineno or 1
    offset = error.offset or 0
    line = lines[lineno - 1] if 1 <= lineno <= len(lines) else ""
    at_end = lineno >= len(lines) and (offset <= 0 or offset > len(line))
    if at_end or "unexpected EOF" in message:
        return "unexpected end of expression"
    end = error.end_offset if error.end_offset and error.end_offset > offset else offset + 1
    if error.end_lineno not in (None, lineno):
        end = offset + 1
    token = line[offset - 1 : end - 1].strip() or line[offset - 1 : offset]
    position = f"column {offset}" if len(lines) == 1 else f"line {lineno}, column {offset}"
    hint = message[len("invalid syntax") :].lstrip(". ")
    result = f"unexpected {token!r} at {position}"
    return f"{result} ({hint})" if hint else result


def _check_size(tree: ast.Expression, where: str, text: str) -> None:
    """Count nodes and nesting depth without recursion."""
    count = 0
    stack: list[tuple[ast.AST, int]] = [(tree.body, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ExpressionError(
                where,
                f"expression has more than {MAX_NODES} elements (the limit); "
                "split it or simplify it",
                text,
            )
        if depth > MAX_DEPTH:
            raise ExpressionError(
                where,
                f"expression is nested more than {MAX_DEPTH} levels deep (the limit)",
                text,
            )
        for child in ast.iter_child_nodes(node):
            if isinstance(child, _UNCOUNTED):
                continue
            child_depth = depth + 1
            # A flat chain a + b - c + ... (or a * b / c * ...) is one level.
            if (
                isinstance(node, ast.BinOp)
                and child is node.left
                and isinstance(child, ast.BinOp)
                and _same_group(node.op, child.op)
            ):
                child_depth = depth
            stack.append((child, child_depth))


def _same_group(a: ast.operator, b: ast.operator) -> bool:
    return (isinstance(a, _ADDITIVE) and isinstance(b, _ADDITIVE)) or (
        isinstance(a, _MULTIPLICATIVE) and isinstance(b, _MULTIPLICATIVE)
    )


def _too_many_digits(number: sympy.Rational) -> bool:
    return abs(number.p) >= _NUMBER_LIMIT or number.q >= _NUMBER_LIMIT


class _Builder:
    """Builds sympy objects from an already size-checked syntax tree."""

    def __init__(self, source, text, symbols, where):
        self.source = source
        self.text = text
        self.symbols = symbols
        self.where = where

    # -- helpers ----------------------------------------------------------

    def fail(self, reason: str):
        raise ExpressionError(self.where, reason, self.text)

    def check_number(self, value):
        """Reject exact numbers that are too large, here or as direct arguments."""
        numbers = [value] if isinstance(value, sympy.Rational) else []
        if isinstance(value, (sympy.Add, sympy.Mul)):
            numbers = [arg for arg in value.args if isinstance(arg, sympy.Rational)]
        if any(_too_many_digits(number) for number in numbers):
            self.fail_digits()
        return value

    def fail_digits(self):
        self.fail(
            f"a number in the expression has more than {MAX_NUMBER_DIGITS} "
            "digits (the limit)"
        )

    def check_value(self, value):
        """Check sizes of a newly built value (numbers and combined exponents)."""
        # Powers combine ((x**10)**20 is x**200, sqrt(sqrt(x)) is x**(1/4)).
        if isinstance(value, sympy.Pow) and isinstance(value.exp, sympy.Rational):
            self.check_exponent(value.exp)
        return self.check_number(value)

    def check_real(self, value):
        """Reject values that sympy has turned complex (sqrt(-1), log(-2))."""
        if value.has(sympy.I):
            self.fail(
                "expression takes a complex (non-real) value, e.g. the square root "
                "or logarithm of a negative number"
            )

    def check_result(self, value):
        """Final checks on the whole result."""
        if any(_too_many_digits(number) for number in value.atoms(sympy.Rational)):
            self.fail_digits()
        self.check_real(value)
        if value.has(sympy.zoo, sympy.nan):
            self.fail(
                "expression is undefined (division by zero, log(0) or similar)"
            )

    def sympy_call(self, what: str, function, *args):
        try:
            return function(*args)
        except ExpressionError:
            raise
        except (
            TypeError,
            ValueError,
            ArithmeticError,
            AttributeError,
            NotImplementedError,
        ) as error:
            self.fail(f"cannot build {what}: {_one_line(error)}")
        except RecursionError:
            self.fail(f"cannot build {what}: expression too complex")

    def expect(self, node: ast.AST, wanted: str, context: str):
        value, kind = self.build(node)
        if kind != wanted:
            segment = ast.get_source_segment(self.source, node) or "?"
            if wanted == _EXPR:
                self.fail(
                    f"{context} expects a value, got the condition {_snippet(segment)}"
                )
            self.fail(
                f"{context} expects a condition (a comparison such as 'x > 0'), "
                f"got the value {_snippet(segment)}"
            )
        return value

    # -- dispatch ---------------------------------------------------------

    def build(self, node: ast.AST):
        method = getattr(self, "build_" + type(node).__name__, None)
        if method is not None:
            return method(node)
        if type(node) in _FORBIDDEN_NODES:
            self.fail(_FORBIDDEN_NODES[type(node)])
        self.fail(f"syntax '{type(node).__name__}' is not allowed in a formula")

    # -- leaves -----------------------------------------------------------

    def build_Constant(self, node: ast.Constant):
        value = node.value
        if isinstance(value, bool):
            return (sympy.true if value else sympy.false), _BOOL
        if isinstance(value, int):
            if abs(value) >= _INT_LIMIT:
                self.fail(
                    f"integer literal has more than {MAX_INT_DIGITS} digits (the limit)"
                )
            return sympy.Integer(value), _EXPR
        if isinstance(value, float):
            return self.decimal_literal(node), _EXPR
        if isinstance(value, complex):
            self.fail("complex (imaginary) literals like '1j' are not allowed")
        if isinstance(value, str):
            self.fail(
                f"string literal {_snippet(value)} is not allowed; "
                "expected a number, a declared name or a formula"
            )
        if isinstance(value, bytes):
            self.fail("bytes literals are not allowed; expected a number or a name")
        if value is None:
            self.fail("'None' is not allowed; expected a number or a declared name")
        if value is Ellipsis:
            self.fail("'...' is not allowed; expected a number or a declared name")
        self.fail(f"literal of type {type(value).__name__} is not allowed")

    def decimal_literal(self, node: ast.Constant) -> sympy.Rational:
        segment = ast.get_source_segment(self.source, node)
        cleaned = (segment or "").replace("_", "")
        match = _DECIMAL.fullmatch(cleaned)
        if not cleaned or match is None:
            self.fail(f"cannot read the numeric literal {segment!r} exactly")
        whole, fraction, exponent = match.group(1), match.group(2) or "", match.group(3)
        digits = (whole + fraction).lstrip("0")
        if len(digits.rstrip("0")) > MAX_INT_DIGITS:
            self.fail(
                f"numeric literal {_snippet(segment)} has more than {MAX_INT_DIGITS} "
                "significant digits (the limit)"
            )
        if exponent is not None and len(exponent.lstrip("+-").lstrip("0")) > 5:
            self.fail(f"exponent of the numeric literal {segment!r} is too large")
        scale = (int(exponent) if exponent else 0) - len(fraction)
        if digits and (
            scale + len(digits) > MAX_NUMBER_DIGITS or -scale >= MAX_NUMBER_DIGITS
        ):
            self.fail(
                f"numeric literal {_snippet(segment)} has more than "
                f"{MAX_NUMBER_DIGITS} digits (the limit)"
            )
        exact = Fraction(cleaned)
        return self.check_number(sympy.Rational(exact.numerator, exact.denominator))

    def build_Name(self, node: ast.Name):
        name = node.id
        if name in self.symbols:
            value = self.symbols[name]
            if isinstance(value, sympy.Expr):
                return value, _EXPR
            if isinstance(value, Boolean):  # e.g. a named condition
                return value, _BOOL
            if isinstance(value, int) and not isinstance(value, bool):
                return sympy.Integer(value), _EXPR
            if isinstance(value, Fraction):
                return sympy.Rational(value.numerator, value.denominator), _EXPR
            # A programming error of the caller, not of the scenario file.
            raise TypeError(
                f"symbols[{name!r}] must be a sympy expression (normally a "
                f"Symbol) or condition, got {type(value).__name__}"
            )
        if name in _CONSTANTS:
            return _CONSTANTS[name], _EXPR
        if name in _FUNCTIONS:
            self.fail(
                f"name {name!r} is a function and must be called, e.g. "
                f"{_FUNCTIONS[name].name}(...); it is not a declared parameter"
            )
        declared = sorted(self.symbols)
        if declared:
            listed = ", ".join(declared[:_MAX_LISTED_NAMES])
            if len(declared) > _MAX_LISTED_NAMES:
                listed += f", ... ({len(declared) - _MAX_LISTED_NAMES} more)"
            reason = f"name {name!r} is not a declared parameter (declared: {listed})"
        else:
            reason = (
                f"name {name!r} is not a declared parameter (no parameters are declared)"
            )
        close = difflib.get_close_matches(name, list(self.symbols) + list(_CONSTANTS), n=1)
        if close:
            reason += f"; did you mean {close[0]!r}?"
        self.fail(reason)

    # -- operators --------------------------------------------------------

    def build_BinOp(self, node: ast.BinOp):
        op = type(node.op)
        if op not in _ALLOWED_BINARY:
            symbol = _BINARY_OPERATORS.get(op, op.__name__)
            self.fail(
                f"operator {symbol!r} is not allowed (allowed: + - * / **)"
                + _BINARY_HINTS.get(op, "")
            )
        if op is ast.Pow:
            return self.power(node), _EXPR
        # Flatten a left-leaning chain of the same group into one Add / Mul.
        group = _ADDITIVE if op in _ADDITIVE else _MULTIPLICATIVE
        chain: list[tuple[type, ast.AST]] = []
        current: ast.AST = node
        while isinstance(current, ast.BinOp) and isinstance(current.op, group):
            chain.append((type(current.op), current.right))
            current = current.left
        chain.reverse()
        symbol = "+" if group is _ADDITIVE else "*"
        first = self.expect(current, _EXPR, f"operator {symbol!r}")
        operands = [first]
        for op_type, right in chain:
            name = _BINARY_OPERATORS[op_type]
            value = self.expect(right, _EXPR, f"operator {name!r}")
            if op_type is ast.Sub:
                value = self.sympy_call("a difference", lambda v: -v, value)
            elif op_type is ast.Div:
                if value == 0:
                    self.fail("division by zero")
                value = self.sympy_call("a quotient", lambda v: sympy.Integer(1) / v, value)
                self.check_number(value)
            operands.append(value)
        if group is _ADDITIVE:
            result = self.sympy_call("a sum", sympy.Add, *operands)
        else:
            result = self.sympy_call("a product", sympy.Mul, *operands)
        return self.check_value(result), _EXPR

    def power(self, node: ast.BinOp):
        base = self.expect(node.left, _EXPR, "operator '**'")
        exponent = self.expect(node.right, _EXPR, "operator '**'")
        if exponent.is_number:
            if not isinstance(exponent, sympy.Rational):
                self.fail(
                    f"exponent {_short(exponent)} is not allowed; a numeric exponent "
                    f"must be a rational number with absolute value at most {MAX_EXPONENT}"
                )
            self.check_exponent(exponent)
            if exponent.is_negative and base == 0:
                self.fail("division by zero (0 raised to a negative power)")
            if isinstance(base, sympy.Rational):
                # 2**(bits - 1) <= |p| or q, so the power has at least
                # (bits - 1) * |exponent| bits: reject before computing it.
                bits = max(abs(base.p).bit_length(), base.q.bit_length()) - 1
                if bits * abs(exponent.p) > _NUMBER_BITS * exponent.q:
                    self.fail(
                        f"the power {_pow_text(base, exponent)} would have more "
                        f"than {MAX_NUMBER_DIGITS} digits (the limit)"
                    )
            if (
                isinstance(base, sympy.Rational)
                and base.is_negative
                and not exponent.is_integer
            ):
                self.fail(
                    f"the power {_pow_text(base, exponent)} is not a real "
                    "number (negative base, fractional exponent)"
                )
        result = self.sympy_call("a power", sympy.Pow, base, exponent)
        self.check_real(result)
        return self.check_value(result)

    def check_exponent(self, exponent: sympy.Rational) -> None:
        if abs(exponent) > MAX_EXPONENT:
            self.fail(f"exponent {_short(exponent)} exceeds the limit of {MAX_EXPONENT}")
        if exponent.q > MAX_EXPONENT_DENOMINATOR:
            self.fail(
                f"exponent {_short(exponent)} has a denominator larger than "
                f"the limit of {MAX_EXPONENT_DENOMINATOR}"
            )

    def build_UnaryOp(self, node: ast.UnaryOp):
        if isinstance(node.op, ast.USub):
            value = self.expect(node.operand, _EXPR, "unary '-'")
            negated = self.sympy_call("a negation", lambda v: -v, value)
            return self.check_number(negated), _EXPR
        if isinstance(node.op, ast.UAdd):
            return self.expect(node.operand, _EXPR, "unary '+'"), _EXPR
        if isinstance(node.op, ast.Not):
            value = self.expect(node.operand, _BOOL, "'not'")
            return self.sympy_call("a negation", sympy.Not, value), _BOOL
        self.fail("operator '~' is not allowed; use 'not' or Not(...) for conditions")

    def build_Compare(self, node: ast.Compare):
        for op in node.ops:
            if type(op) not in _COMPARISONS:
                name = _COMPARISON_NAMES.get(type(op), type(op).__name__)
                self.fail(
                    f"comparison operator {name!r} is not allowed "
                    "(allowed: < <= > >= == !=)"
                )
        left = self.expect(node.left, _EXPR, "comparison")
        relations = []
        for op, right_node in zip(node.ops, node.comparators):
            context = f"comparison {_COMPARISON_NAMES[type(op)]!r}"
            right = self.expect(right_node, _EXPR, context)
            relations.append(
                self.sympy_call("a comparison", _COMPARISONS[type(op)], left, right)
            )
            left = right
        if len(relations) == 1:
            return relations[0], _BOOL
        return self.sympy_call("a chained comparison", sympy.And, *relations), _BOOL

    def build_BoolOp(self, node: ast.BoolOp):
        name = "and" if isinstance(node.op, ast.And) else "or"
        values = [self.expect(v, _BOOL, f"{name!r}") for v in node.values]
        function = sympy.And if isinstance(node.op, ast.And) else sympy.Or
        return self.sympy_call(f"an {name!r}", function, *values), _BOOL

    # -- calls ------------------------------------------------------------

    def build_Call(self, node: ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute):
            self.fail(
                "attribute access ('.') is not allowed; only plain calls such as "
                f"Max(a, b) are (allowed: {_FUNCTION_LIST})"
            )
        if not isinstance(func, ast.Name):
            if type(func) in _FORBIDDEN_NODES:
                self.fail(_FORBIDDEN_NODES[type(func)])
            self.fail(
                "only calls of allowed function names are allowed "
                f"(allowed: {_FUNCTION_LIST})"
            )
        spec = _FUNCTIONS.get(func.id)
        if spec is None:
            self.fail(f"function {func.id!r} is not allowed (allowed: {_FUNCTION_LIST})")
        if node.keywords:
            keyword = node.keywords[0]
            label = f"'{keyword.arg}=...'" if keyword.arg else "'**...'"
            self.fail(
                f"keyword arguments are not allowed in {spec.name}(...) (got {label}); "
                "use positional arguments only"
            )
        if any(isinstance(arg, ast.Starred) for arg in node.args):
            self.fail(f"starred arguments ('*') are not allowed in {spec.name}(...)")
        count = len(node.args)
        if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
            if spec.max_args is None:
                expected = f"at least {spec.min_args}"
            elif spec.max_args == spec.min_args:
                expected = f"exactly {spec.min_args}"
            else:
                expected = f"{spec.min_args} to {spec.max_args}"
            self.fail(
                f"{spec.name}(...) takes {expected} argument"
                f"{'' if expected.endswith(' 1') else 's'}, got {count}"
            )
        if count > MAX_FUNCTION_ARGS:
            self.fail(
                f"{spec.name}(...) has {count} arguments, more than the limit of "
                f"{MAX_FUNCTION_ARGS}"
            )
        if spec.arg_kind is None:
            args = [self.piecewise_pair(arg) for arg in node.args]
        else:
            args = [
                self.expect(arg, spec.arg_kind, f"{spec.name}(...)") for arg in node.args
            ]
        if spec.name == "log" and args and args[0] == 0:
            self.fail("log(0) is undefined")
        if spec.name == "log" and len(args) == 2 and args[1] in (0, 1):
            self.fail(f"log with base {args[1]} is undefined")
        if spec.name in ("Min", "Max") and not all(
            isinstance(arg, sympy.Rational) for arg in args
        ):
            # sympy's simplification of Min/Max compares every pair of
            # arguments through the assumptions system, which can take seconds
            # even for a few dozen arguments: keep the call unevaluated.  It
            # evaluates as soon as numbers are substituted.
            result = self.sympy_call(
                f"{spec.name}(...)", lambda *a: spec.build(*a, evaluate=False), *args
            )
        else:
            result = self.sympy_call(f"{spec.name}(...)", spec.build, *args)
        self.check_real(result)
        return self.check_value(result), spec.result_kind

    def piecewise_pair(self, node: ast.AST):
        if not isinstance(node, ast.Tuple):
            segment = ast.get_source_segment(self.source, node) or "?"
            self.fail(
                "Piecewise(...) expects pairs '(value, condition)', "
                f"got {_snippet(segment)}"
            )
        if len(node.elts) != 2:
            self.fail(
                "Piecewise(...) expects pairs '(value, condition)' of exactly 2 "
                f"elements, got a tuple of {len(node.elts)}"
            )
        value = self.expect(node.elts[0], _EXPR, "the value of a Piecewise pair")
        condition = self.expect(node.elts[1], _BOOL, "the condition of a Piecewise pair")
        return (value, condition)

    def build_Tuple(self, node: ast.Tuple):
        self.fail(
            "tuples '(a, b)' are only allowed as the (value, condition) pairs "
            "of Piecewise(...)"
        )


def _short(value: sympy.Basic) -> str:
    """A sympy value as text, shortened for a message."""
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _pow_text(base: sympy.Basic, exponent: sympy.Basic) -> str:
    """``base**exponent`` for a message, with brackets where needed."""

    def atom(value):
        text = _short(value)
        return text if (isinstance(value, sympy.Integer) and value >= 0) or (
            isinstance(value, sympy.Symbol)
        ) else f"({text})"

    return f"{atom(base)}**{atom(exponent)}"
