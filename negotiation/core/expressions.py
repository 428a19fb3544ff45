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
(``(x**10)**20`` is ``x**200``, ``x*x*...*x``) are checked after. With derived
quantities substituted, a formula may reach the degree
:data:`~negotiation.core.expression_rules.MAX_DEGREE` (checked before each power is
built), nest ``exp`` :data:`~negotiation.core.expression_rules.MAX_EXPONENTIAL_NESTING`
deep and ``log`` :data:`~negotiation.core.expression_rules.MAX_LOGARITHM_NESTING` deep
(checked on the result, before anything evaluates it), and have
:data:`~negotiation.core.expression_rules.MAX_SIZE` elements.

Every failure raises :class:`ExpressionError` (a :class:`ValueError`) whose
message is a single line starting with the caller's ``where`` prefix.
"""

from __future__ import annotations

import ast
import warnings
from typing import Mapping

import sympy
from sympy.logic.boolalg import Boolean

from negotiation.core.expression_builder import Builder
from negotiation.core.expression_rules import (ADDITIVE, ALLOWED_FUNCTIONS, CONDITION, MAX_DEPTH,
                                               MAX_EXPONENT, MAX_EXPONENT_DENOMINATOR, MAX_FUNCTION_ARGS,
                                               MAX_INT_DIGITS, MAX_NODES, MAX_NUMBER_DIGITS, MAX_TEXT_LENGTH,
                                               MULTIPLICATIVE, UNCOUNTED, ExpressionError, one_line, snippet)

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
    negotiation.core.expression_rules.ExpressionError: x.toml: k: function '__import__' ...
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
    negotiation.core.expression_rules.ExpressionError: a.toml: expected a condition ...
    """
    value, kind = _parse(text, symbols, where)
    if kind != CONDITION:
        raise ExpressionError(
            where,
            "expected a condition (a comparison such as 'G > 0', or and/or/not "
            f"of comparisons), got the value {snippet(text)}",
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
    builder = Builder(source, text, symbols, where)
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
            f"invalid expression {snippet(text)}: {_describe_syntax_error(error, source)}",
            text,
        ) from None
    except (RecursionError, MemoryError):
        raise ExpressionError(
            where,
            f"expression {snippet(text)} is too deeply nested or too complex "
            f"(nesting limit {MAX_DEPTH})",
            text,
        ) from None
    except (ValueError, OverflowError) as error:
        raise ExpressionError(
            where, f"invalid expression {snippet(text)}: {one_line(error)}", text
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
            if isinstance(child, UNCOUNTED):
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
    return (isinstance(a, ADDITIVE) and isinstance(b, ADDITIVE)) or (
        isinstance(a, MULTIPLICATIVE) and isinstance(b, MULTIPLICATIVE)
    )
