"""Builds sympy objects from an already size-checked syntax tree of a formula, node by node.

Every node type, operator and function must be on the allow-lists of
:mod:`negotiation.core.expression_rules`; anything else fails with an :class:`ExpressionError`
naming what was found. Numbers are exact (decimal literals are read from their source text), and
sizes are checked as values are built (digits, exponents, powers that combine).
"""

from __future__ import annotations

import ast
import difflib
from fractions import Fraction

import sympy
from sympy.logic.boolalg import Boolean

from negotiation.core.expression_rules import (ADDITIVE, ALLOWED_BINARY, BINARY_HINTS, BINARY_OPERATORS,
                                               COMPARISON_NAMES, COMPARISONS, CONDITION, CONSTANTS, DECIMAL,
                                               EXPRESSION, FORBIDDEN_NODES, FUNCTION_LIST, FUNCTIONS, INT_LIMIT,
                                               MAX_EXPONENT, MAX_EXPONENT_DENOMINATOR, MAX_FUNCTION_ARGS,
                                               MAX_INT_DIGITS, MAX_LISTED_NAMES, MAX_NUMBER_DIGITS,
                                               MAX_DEGREE, MAX_EXPONENTIAL_NESTING, MAX_LOGARITHM_NESTING, MAX_SIZE,
                                               MULTIPLICATIVE,
                                               NUMBER_BITS, NUMBER_LIMIT, ExpressionError, one_line, snippet)
from negotiation.core.shared_expressions import Measure, measure

__all__ = ["Builder", "too_many_digits"]


def too_many_digits(number: sympy.Rational) -> bool:
    return abs(number.p) >= NUMBER_LIMIT or number.q >= NUMBER_LIMIT


class Builder:
    """Builds sympy objects from an already size-checked syntax tree."""

    def __init__(self, source, text, symbols, where):
        self.source = source
        self.text = text
        self.symbols = symbols
        self.where = where
        # Nodes already checked to be real: each check walks only what is new (derived quantities are
        # shared subtrees, so walking them again for every operator would be quadratic or worse).
        self.real_nodes: set = set()
        # Measures of the nodes met so far (node -> Measure), for the degree bound before each power.
        self.measures: dict = {}

    # -- helpers ----------------------------------------------------------

    def fail(self, reason: str):
        raise ExpressionError(self.where, reason, self.text)

    def check_number(self, value):
        """Reject exact numbers that are too large, here or as direct arguments."""
        numbers = [value] if isinstance(value, sympy.Rational) else []
        if isinstance(value, (sympy.Add, sympy.Mul)):
            numbers = [arg for arg in value.args if isinstance(arg, sympy.Rational)]
        if any(too_many_digits(number) for number in numbers):
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
        seen = self.real_nodes
        stack = [value] if value not in seen else []
        while stack:
            node = stack.pop()
            if node is sympy.I:
                self.fail(
                    "expression takes a complex (non-real) value, e.g. the square root "
                    "or logarithm of a negative number"
                )
            seen.add(node)
            stack.extend(arg for arg in node.args if arg not in seen)

    def check_result(self, value):
        """Final checks on the whole result: numbers, real and defined values, and its size after
        substituting derived quantities (one walk over its distinct nodes)."""
        seen, stack = {value}, [value]
        while stack:
            node = stack.pop()
            if isinstance(node, sympy.Rational) and too_many_digits(node):
                self.fail_digits()
            if node is sympy.zoo or node is sympy.nan:
                self.fail("expression is undefined (division by zero, log(0) or similar)")
            for arg in node.args:
                if arg not in seen:
                    seen.add(arg)
                    stack.append(arg)
        self.check_real(value)
        self.check_measure(measure(value, self.measures))  # the parts measured while building are not walked again

    def check_measure(self, size: Measure):
        """The limits on a formula with its derived quantities substituted."""
        if size.size > MAX_SIZE:
            self.fail(f"expression has {size.size:,} elements with its derived quantities substituted, more than "
                      f"the limit of {MAX_SIZE:,}; split it into derived quantities or simplify it")
        if size.exponentials > MAX_EXPONENTIAL_NESTING:
            self.fail(f"exponentials are nested {size.exponentials} deep (exp(exp(...)), or powers with a formula "
                      f"as exponent, derived quantities included), more than the limit of {MAX_EXPONENTIAL_NESTING}")
        if size.logarithms > MAX_LOGARITHM_NESTING:
            self.fail(f"logarithms are nested {size.logarithms} deep (log(log(...)), derived quantities included), "
                      f"more than the limit of {MAX_LOGARITHM_NESTING}")
        if size.degree > MAX_DEGREE:
            self.fail(f"expression reaches degree {size.degree:,} (powers of powers, derived quantities included), "
                      f"more than the limit of {MAX_DEGREE:,}")

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
            self.fail(f"cannot build {what}: {one_line(error)}")
        except RecursionError:
            self.fail(f"cannot build {what}: expression too complex")

    def expect(self, node: ast.AST, wanted: str, context: str):
        value, kind = self.build(node)
        if kind != wanted:
            segment = ast.get_source_segment(self.source, node) or "?"
            if wanted == EXPRESSION:
                self.fail(
                    f"{context} expects a value, got the condition {snippet(segment)}"
                )
            self.fail(
                f"{context} expects a condition (a comparison such as 'x > 0'), "
                f"got the value {snippet(segment)}"
            )
        return value

    # -- dispatch ---------------------------------------------------------

    def build(self, node: ast.AST):
        method = getattr(self, "build_" + type(node).__name__, None)
        if method is not None:
            return method(node)
        if type(node) in FORBIDDEN_NODES:
            self.fail(FORBIDDEN_NODES[type(node)])
        self.fail(f"syntax '{type(node).__name__}' is not allowed in a formula")

    # -- leaves -----------------------------------------------------------

    def build_Constant(self, node: ast.Constant):
        value = node.value
        if isinstance(value, bool):
            return (sympy.true if value else sympy.false), CONDITION
        if isinstance(value, int):
            if abs(value) >= INT_LIMIT:
                self.fail(
                    f"integer literal has more than {MAX_INT_DIGITS} digits (the limit)"
                )
            return sympy.Integer(value), EXPRESSION
        if isinstance(value, float):
            return self.decimal_literal(node), EXPRESSION
        if isinstance(value, complex):
            self.fail("complex (imaginary) literals like '1j' are not allowed")
        if isinstance(value, str):
            self.fail(
                f"string literal {snippet(value)} is not allowed; "
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
        match = DECIMAL.fullmatch(cleaned)
        if not cleaned or match is None:
            self.fail(f"cannot read the numeric literal {segment!r} exactly")
        whole, fraction, exponent = match.group(1), match.group(2) or "", match.group(3)
        digits = (whole + fraction).lstrip("0")
        if len(digits.rstrip("0")) > MAX_INT_DIGITS:
            self.fail(
                f"numeric literal {snippet(segment)} has more than {MAX_INT_DIGITS} "
                "significant digits (the limit)"
            )
        if exponent is not None and len(exponent.lstrip("+-").lstrip("0")) > 5:
            self.fail(f"exponent of the numeric literal {segment!r} is too large")
        scale = (int(exponent) if exponent else 0) - len(fraction)
        if digits and (
            scale + len(digits) > MAX_NUMBER_DIGITS or -scale >= MAX_NUMBER_DIGITS
        ):
            self.fail(
                f"numeric literal {snippet(segment)} has more than "
                f"{MAX_NUMBER_DIGITS} digits (the limit)"
            )
        exact = Fraction(cleaned)
        return self.check_number(sympy.Rational(exact.numerator, exact.denominator))

    def build_Name(self, node: ast.Name):
        name = node.id
        if name in self.symbols:
            value = self.symbols[name]
            if isinstance(value, sympy.Expr):
                return value, EXPRESSION
            if isinstance(value, Boolean):  # e.g. a named condition
                return value, CONDITION
            if isinstance(value, int) and not isinstance(value, bool):
                return sympy.Integer(value), EXPRESSION
            if isinstance(value, Fraction):
                return sympy.Rational(value.numerator, value.denominator), EXPRESSION
            # A programming error of the caller, not of the scenario file.
            raise TypeError(
                f"symbols[{name!r}] must be a sympy expression (normally a "
                f"Symbol) or condition, got {type(value).__name__}"
            )
        if name in CONSTANTS:
            return CONSTANTS[name], EXPRESSION
        if name in FUNCTIONS:
            self.fail(
                f"name {name!r} is a function and must be called, e.g. "
                f"{FUNCTIONS[name].name}(...); it is not a declared parameter"
            )
        declared = sorted(self.symbols)
        if declared:
            listed = ", ".join(declared[:MAX_LISTED_NAMES])
            if len(declared) > MAX_LISTED_NAMES:
                listed += f", ... ({len(declared) - MAX_LISTED_NAMES} more)"
            reason = f"name {name!r} is not a declared parameter (declared: {listed})"
        else:
            reason = (
                f"name {name!r} is not a declared parameter (no parameters are declared)"
            )
        close = difflib.get_close_matches(name, list(self.symbols) + list(CONSTANTS), n=1)
        if close:
            reason += f"; did you mean {close[0]!r}?"
        self.fail(reason)

    # -- operators --------------------------------------------------------

    def build_BinOp(self, node: ast.BinOp):
        op = type(node.op)
        if op not in ALLOWED_BINARY:
            symbol = BINARY_OPERATORS.get(op, op.__name__)
            self.fail(
                f"operator {symbol!r} is not allowed (allowed: + - * / **)"
                + BINARY_HINTS.get(op, "")
            )
        if op is ast.Pow:
            return self.power(node), EXPRESSION
        # Flatten a left-leaning chain of the same group into one Add / Mul.
        group = ADDITIVE if op in ADDITIVE else MULTIPLICATIVE
        chain: list[tuple[type, ast.AST]] = []
        current: ast.AST = node
        while isinstance(current, ast.BinOp) and isinstance(current.op, group):
            chain.append((type(current.op), current.right))
            current = current.left
        chain.reverse()
        symbol = "+" if group is ADDITIVE else "*"
        first = self.expect(current, EXPRESSION, f"operator {symbol!r}")
        operands = [first]
        for op_type, right in chain:
            name = BINARY_OPERATORS[op_type]
            value = self.expect(right, EXPRESSION, f"operator {name!r}")
            if op_type is ast.Sub:
                value = self.sympy_call("a difference", lambda v: -v, value)
            elif op_type is ast.Div:
                if value == 0:
                    self.fail("division by zero")
                value = self.sympy_call("a quotient", lambda v: sympy.Integer(1) / v, value)
                self.check_number(value)
            operands.append(value)
        if group is ADDITIVE:
            result = self.sympy_call("a sum", sympy.Add, *operands)
        else:
            result = self.sympy_call("a product", sympy.Mul, *operands)
        return self.check_value(result), EXPRESSION

    def power(self, node: ast.BinOp):
        base = self.expect(node.left, EXPRESSION, "operator '**'")
        exponent = self.expect(node.right, EXPRESSION, "operator '**'")
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
                if bits * abs(exponent.p) > NUMBER_BITS * exponent.q:
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
        if isinstance(exponent, sympy.Rational) and not base.is_number:
            # The degree bound first: building the power can cost more than the degree itself.
            degree = measure(base, self.measures).degree * abs(int(exponent.p))
            if degree > MAX_DEGREE:
                self.check_measure(Measure(1, 1, degree, 0))
        if isinstance(base, sympy.Add) and not base.is_number and isinstance(exponent, sympy.Rational) \
                and exponent not in (0, 1):
            # Unevaluated, which is the same object for a formula's sum (sympy only rewrites a power of a sum
            # of numbers or of infinities, and the powers 0 and 1): evaluating asks the sign of the sum, which
            # for a polynomial in one nonnegative parameter expands it and isolates the real roots of its
            # derivative, seconds at degree 256 ((p + 1)**2 squared eight times).
            result = self.sympy_call("a power", lambda b, e: sympy.Pow(b, e, evaluate=False), base, exponent)
        else:
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
            value = self.expect(node.operand, EXPRESSION, "unary '-'")
            negated = self.sympy_call("a negation", lambda v: -v, value)
            return self.check_number(negated), EXPRESSION
        if isinstance(node.op, ast.UAdd):
            return self.expect(node.operand, EXPRESSION, "unary '+'"), EXPRESSION
        if isinstance(node.op, ast.Not):
            value = self.expect(node.operand, CONDITION, "'not'")
            return self.sympy_call("a negation", sympy.Not, value), CONDITION
        self.fail("operator '~' is not allowed; use 'not' or Not(...) for conditions")

    def build_Compare(self, node: ast.Compare):
        for op in node.ops:
            if type(op) not in COMPARISONS:
                name = COMPARISON_NAMES.get(type(op), type(op).__name__)
                self.fail(
                    f"comparison operator {name!r} is not allowed "
                    "(allowed: < <= > >= == !=)"
                )
        left = self.expect(node.left, EXPRESSION, "comparison")
        relations = []
        for op, right_node in zip(node.ops, node.comparators):
            context = f"comparison {COMPARISON_NAMES[type(op)]!r}"
            right = self.expect(right_node, EXPRESSION, context)
            for side in (left, right):  # before sympy compares them: comparing exp towers never finishes
                self.check_measure(measure(side, self.measures))
            relations.append(
                self.sympy_call("a comparison", COMPARISONS[type(op)], left, right)
            )
            left = right
        if len(relations) == 1:
            return relations[0], CONDITION
        return self.sympy_call("a chained comparison", sympy.And, *relations), CONDITION

    def build_BoolOp(self, node: ast.BoolOp):
        name = "and" if isinstance(node.op, ast.And) else "or"
        values = [self.expect(v, CONDITION, f"{name!r}") for v in node.values]
        function = sympy.And if isinstance(node.op, ast.And) else sympy.Or
        return self.sympy_call(f"an {name!r}", function, *values), CONDITION

    # -- calls ------------------------------------------------------------

    def build_Call(self, node: ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute):
            self.fail(
                "attribute access ('.') is not allowed; only plain calls such as "
                f"Max(a, b) are (allowed: {FUNCTION_LIST})"
            )
        if not isinstance(func, ast.Name):
            if type(func) in FORBIDDEN_NODES:
                self.fail(FORBIDDEN_NODES[type(func)])
            self.fail(
                "only calls of allowed function names are allowed "
                f"(allowed: {FUNCTION_LIST})"
            )
        spec = FUNCTIONS.get(func.id)
        if spec is None:
            self.fail(f"function {func.id!r} is not allowed (allowed: {FUNCTION_LIST})")
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
        # the nesting limits before the call is built: sympy evaluates a call of constants (sqrt of an exp
        # tower asks whether it is an integer) and such towers never finish
        for arg in args:
            if isinstance(arg, sympy.Expr):
                self.check_measure(measure(arg, self.measures))
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
                f"got {snippet(segment)}"
            )
        if len(node.elts) != 2:
            self.fail(
                "Piecewise(...) expects pairs '(value, condition)' of exactly 2 "
                f"elements, got a tuple of {len(node.elts)}"
            )
        value = self.expect(node.elts[0], EXPRESSION, "the value of a Piecewise pair")
        condition = self.expect(node.elts[1], CONDITION, "the condition of a Piecewise pair")
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
