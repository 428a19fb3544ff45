"""Exact solutions of square polynomial systems over the rationals, and the real algebraic numbers they give.

:func:`solve_polynomial_system` returns every real solution of a zero-dimensional system as a
point whose coordinates lie in a field ``Q(alpha)`` (:class:`RealAlgebraicField`), or says that the
solution set is empty, a continuum, or that no shape basis was found. The method — a Gröbner basis
in degree-reverse-lexicographic order, FGLM to a lexicographic shape basis of a coordinate or a
generic linear form, Seidenberg's lemma for multiple roots, and exact signs by interval refinement
of an isolating interval of ``alpha`` — is described in :mod:`negotiation.solvers.polynomial`,
whose support enumeration uses it. sympy is imported by the functions that need it.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

import numpy as np

from negotiation.solvers.multiplication_matrices import solve_by_multiplication_matrices

__all__ = ["RealAlgebraicField", "ring", "solve_polynomial_system", "solve_square_system"]

#: Generic linear forms tried for the shape basis before giving up on a support.
_LINEAR_FORM_ATTEMPTS = 4


@functools.lru_cache(maxsize=None)
def ring(n_gens):
    """The polynomial ring ``QQ[_x0, …]`` in grevlex order with ``n_gens`` generators, and its generators."""
    from sympy.polys.domains import QQ
    from sympy.polys.orderings import grevlex
    from sympy.polys.rings import ring as polynomial_ring

    R, *gens = polynomial_ring(",".join(f"_x{j}" for j in range(n_gens)), QQ, grevlex)
    return R, tuple(gens)


def solve_square_system(equations, n_vars, *, engine="flint", screen=None):
    """All real solutions of a square integer system given as dicts ``{exponent tuple: int}``.

    Returns what :func:`solve_polynomial_system` returns. ``engine="flint"`` (the default) solves by
    exact multiplication matrices (:mod:`negotiation.solvers.multiplication_matrices`) and hands the
    system to the sympy path only when that cannot decide (a multiple solution, or Buchberger past its
    limits); ``engine="sympy"`` runs the sympy path alone (Gröbner bases and FGLM; kept as an
    independent second implementation).

    ``screen(coordinate_balls)``, when given, sees each real solution of the flint path as FLINT ``arb``
    balls (rigorous enclosures) before its number field is built; ``False`` drops the solution (use it
    only for a certain verdict, e.g. a probability whose ball lies below 0).
    """
    if engine not in ("flint", "sympy"):
        raise ValueError(f"engine must be 'flint' or 'sympy', got {engine!r}")
    if engine == "flint" and all(sum(m) <= 1 for terms in equations for m in terms):
        return _solve_linear(equations, n_vars)
    if engine == "flint":
        answer = solve_by_multiplication_matrices(equations, n_vars)
        if answer is not None:
            status, shape = answer
            if status == "empty":
                return "ok", []
            if status == "continuum":
                return "continuum", []
            return "ok", _real_points_flint(*shape, screen=screen)
    from sympy.polys.domains import QQ

    R, _ = ring(n_vars)
    polys = [R.from_dict({m: QQ(c) for m, c in terms.items()}) for terms in equations]
    return solve_polynomial_system(polys, n_vars)


def _solve_linear(equations, n_vars):
    """A linear system (two mixing players, or any support whose equations have degree 1) by exact
    Gauss–Jordan elimination in Fractions: no solution, one (a rational point), or a continuum."""
    rows = []
    for terms in equations:
        row = [Fraction(0)] * (n_vars + 1)
        for monomial, c in terms.items():
            if any(monomial):
                row[monomial.index(1)] += c
            else:
                row[n_vars] -= c                        # constants to the right-hand side
        rows.append(row)
    pivots = []
    for column in range(n_vars):
        pivot = next((r for r in range(len(pivots), len(rows)) if rows[r][column]), None)
        if pivot is None:
            continue
        k = len(pivots)
        rows[k], rows[pivot] = rows[pivot], rows[k]
        lead = rows[k][column]
        rows[k] = [v / lead for v in rows[k]]
        for r in range(len(rows)):
            if r != k and rows[r][column]:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[k])]
        pivots.append(column)
    if any(row[n_vars] for row in rows[len(pivots):]):
        return "ok", []                                 # inconsistent
    if len(pivots) < n_vars:
        return "continuum", []
    field = RealAlgebraicField.rational(Fraction(0))
    return "ok", [(field, [field.element([rows[k][n_vars]]) for k in range(n_vars)])]


def _real_points_flint(eliminant, coordinates, screen=None):
    """:func:`_real_points` with FLINT: factors over the integers, certified real roots (Arb).

    FLINT's ``complex_roots`` isolates every root of a square-free integer polynomial in a ball that
    holds exactly one root, and gives real roots an exactly zero imaginary part; the real ball's
    endpoints (exact dyadic rationals) are the isolating interval, whose sign change is checked exactly.
    """
    import flint

    denominator = 1
    for c in eliminant:
        denominator = denominator * c.denominator // _gcd(denominator, c.denominator)
    integer = flint.fmpz_poly([int(c * denominator) for c in eliminant])
    polynomials = [[flint.fmpq(c.numerator, c.denominator) for c in values] for values in coordinates]

    def kept(ball):
        if screen is None:
            return True
        values = []
        for coefficients in polynomials:
            total = flint.arb(0)
            for c in reversed(coefficients):
                total = total * ball + c
            values.append(total)
        return screen(values) is not False

    points = []
    _, factors = integer.factor()
    for factor, _ in factors:
        values = [Fraction(int(c)) for c in factor.coeffs()]
        monic = [c / values[-1] for c in values]
        if len(monic) == 2:
            root = -monic[0]
            fields = [RealAlgebraicField.rational(root)] if kept(flint.arb(flint.fmpq(root.numerator,
                                                                                     root.denominator))) else []
        else:
            fields = []
            real = [root for root, _ in factor.complex_roots() if root.imag.is_exact() and root.imag == 0]
            for index, root in enumerate(sorted(real, key=lambda r: float(r.real.mid()))):
                if not kept(root.real):
                    continue
                middle = _dyadic(root.real.mid())
                radius = _dyadic(root.real.rad())
                field = RealAlgebraicField(tuple(monic), middle - radius, middle + radius, index)
                field.ball = root.real
                if field._minimal_sign(field.low) * field._minimal_sign(field.high) >= 0:
                    raise ArithmeticError("FLINT returned a real root interval without a sign change")
                fields.append(field)
        for field in fields:
            points.append((field, [field.element(values) for values in coordinates]))
    return points


def _square_part(n: int) -> tuple[int, int]:
    """``(k, r)`` with ``n = k**2 * r``: ``r`` square-free when ``n`` has at most 40 digits (FLINT factors it),
    else with the square factors below 2**12 taken out (full factoring of a float game's huge discriminants
    could take forever; the closed form is the same number either way, as sympy's ``sqrt`` also does).
    """
    import flint

    k, r = 1, 1
    if n < 10 ** 40:
        for prime, exponent in flint.fmpz(n).factor():
            k *= int(prime) ** (exponent // 2)
            r *= int(prime) ** (exponent % 2)
        return k, r
    for p in [2] + list(range(3, 2 ** 12, 2)):
        while n % (p * p) == 0:
            n //= p * p
            k *= p
    root = math.isqrt(n)
    if root * root == n:
        return k * root, 1
    return k, n


def _quadratic_text(rational: Fraction, coefficient: Fraction, radicand: int) -> str:
    """``rational + coefficient*sqrt(radicand)`` as sympy prints it (``1 - sqrt(2)/2``, ``3*sqrt(5)/4``)."""
    if radicand == 1:
        return str(rational + coefficient)
    magnitude = abs(coefficient)
    root = f"sqrt({radicand})"
    if magnitude.numerator != 1:
        root = f"{magnitude.numerator}*{root}"
    if magnitude.denominator != 1:
        root = f"{root}/{magnitude.denominator}"
    if coefficient == 0:
        return str(rational)
    if rational == 0:
        return root if coefficient > 0 else f"-{root}"
    return f"{rational} {'+' if coefficient > 0 else '-'} {root}"


def _gcd(a, b):
    while b:
        a, b = b, a % b
    return a


def _dyadic(value) -> Fraction:
    mantissa, exponent = value.man_exp()
    mantissa, exponent = int(mantissa), int(exponent)
    return Fraction(mantissa) * Fraction(2) ** exponent


def solve_polynomial_system(equations, n_vars):
    """All real solutions of a square rational system, as points over fields ``Q(alpha)``.

    Returns ``(status, solutions)`` with ``solutions`` a list of
    ``(field, coordinates)``; status ``"continuum"`` when the solution set is
    positive-dimensional, ``"unsolved"`` when no shape basis was found.

    A Gröbner basis in grevlex order decides consistency and dimension. Then,
    for each coordinate in turn, FGLM gives the lex basis with that coordinate
    last; generically it has the shape ``x_j - g_j(x_last), f(x_last)`` with
    ``f`` square-free. If no coordinate separates the solutions, a generic
    linear form ``t`` is appended; if ``f`` has multiple roots, the square-free
    parts of the coordinates' eliminants are added first (the radical ideal,
    by Seidenberg's lemma), which keeps the solution set.
    """
    from sympy.polys.groebnertools import groebner

    R, _ = ring(n_vars)
    basis = groebner(equations, R)
    if len(basis) == 1 and basis[0].is_ground:
        return "ok", []
    if not _zero_dimensional(basis, n_vars):
        return "continuum", []
    system = [dict(e.terms()) for e in equations]
    eliminants = {}
    for last in reversed(range(n_vars)):
        order = [j for j in range(n_vars) if j != last] + [last]
        shape, eliminants[last] = _lex_shape(system, order, None)
        if shape is not None and _square_free(shape[0]):
            return "ok", _real_points(*shape)
    if any(e is not None and not _square_free(e) for e in eliminants.values()):
        for j, eliminant in eliminants.items():
            if eliminant is None:
                continue
            part = _sympy_poly(eliminant).sqf_part()
            system.append({
                tuple(k if i == j else 0 for i in range(n_vars)): R.domain.convert(value)
                for k, value in enumerate(reversed(part.all_coeffs())) if value
            })
        for last in reversed(range(n_vars)):
            order = [j for j in range(n_vars) if j != last] + [last]
            shape, _ = _lex_shape(system, order, None)
            if shape is not None and _square_free(shape[0]):
                return "ok", _real_points(*shape)
    for attempt in range(_LINEAR_FORM_ATTEMPTS):
        shape, _ = _lex_shape(system, list(range(n_vars)), _linear_form(n_vars, attempt))
        if shape is not None and _square_free(shape[0]):
            return "ok", _real_points(*shape)
    return "unsolved", []


def _lex_shape(system, order, weights):
    """Lex basis of ``system`` (monomial dicts) with variables in ``order``, as a shape basis.

    With ``weights``, a new last variable ``t = sum(w_j x_j)`` is appended.
    Returns ``((f, coordinates), f)`` — ``coordinates[j]`` gives original
    variable ``j`` as a polynomial in the last variable — or ``(None, f)``
    when the basis has another shape (``f``, the eliminant of the last
    variable, may be ``None`` too).
    """
    from sympy.polys.fglmtools import matrix_fglm
    from sympy.polys.groebnertools import groebner
    from sympy.polys.orderings import lex

    n_vars = len(order)
    n_gens = n_vars + (1 if weights else 0)
    R, gens = ring(n_gens)
    padding = (0,) if weights else ()
    polys = [R.from_dict({tuple(m[j] for j in order) + padding: c for m, c in terms.items()})
             for terms in system]
    if weights:
        polys.append(gens[-1] - sum((w * gens[p] for p, w in enumerate(weights)), R.zero))
    basis = groebner(polys, R)
    if len(basis) == 1 and basis[0].is_ground:
        return None, None
    lex_basis = matrix_fglm(basis, R, lex)
    parsed = _shape_basis(lex_basis, n_gens)
    if parsed is None:
        eliminant = next((u for u in (_univariate(g, n_gens - 1) for g in lex_basis) if u is not None), None)
        return None, eliminant
    eliminant, coordinates = parsed
    values = [None] * n_vars
    for position, original in enumerate(order[:n_gens - 1]):
        values[original] = coordinates[position]
    if not weights:
        values[order[-1]] = [Fraction(0), Fraction(1)]
    return (eliminant, values), eliminant


def _linear_form(n_vars, attempt):
    rng = np.random.default_rng(attempt)
    return [int(w) for w in rng.integers(1, 10 * attempt + 10, size=n_vars)]


def _zero_dimensional(basis, n_gens) -> bool:
    bounded = [False] * n_gens
    for g in basis:
        used = [j for j, e in enumerate(g.LM) if e]
        if len(used) == 1:
            bounded[used[0]] = True
    return all(bounded)


def _to_fraction(value) -> Fraction:
    return Fraction(int(value.numerator), int(value.denominator))


def _univariate(g, last):
    """Coefficients (low to high) of a polynomial in generator ``last`` only, or ``None``."""
    coefficients = {}
    for monomial, value in g.terms():
        if any(monomial[:last]):
            return None
        coefficients[monomial[last]] = _to_fraction(value)
    degree = max(coefficients, default=0)
    return [coefficients.get(k, Fraction(0)) for k in range(degree + 1)]


def _shape_basis(lex_basis, n_gens):
    """``(f, [g_0, …, g_{n-2}])`` when the lex basis reads ``x_j - g_j(t), f(t)`` (``t`` last)."""
    last = n_gens - 1
    eliminant = None
    coordinates = [None] * last
    for g in lex_basis:
        leading = g.LM
        if not any(leading[:last]):
            if eliminant is not None:
                return None
            eliminant = _univariate(g, last)
            continue
        used = [j for j in range(last) if leading[j]]
        if len(used) != 1 or leading[used[0]] != 1 or leading[last] or coordinates[used[0]] is not None:
            return None
        j = used[0]
        monomials = dict(g.terms())
        lead_coefficient = _to_fraction(monomials.pop(leading))
        if any(any(m[:last]) for m in monomials):
            return None
        values = [Fraction(0)] * (max((m[last] for m in monomials), default=0) + 1)
        for m, v in monomials.items():
            values[m[last]] = -_to_fraction(v) / lead_coefficient
        coordinates[j] = values
    if eliminant is None or any(c is None for c in coordinates):
        return None
    return eliminant, coordinates


def _sympy_poly(coefficients):
    import sympy

    t = sympy.Symbol("t")
    return sympy.Poly([sympy.Rational(c.numerator, c.denominator) for c in reversed(coefficients)],
                      t, domain="QQ")


def _square_free(coefficients) -> bool:
    poly = _sympy_poly(coefficients)
    return poly.degree() < 1 or poly.gcd(poly.diff()).degree() == 0


def _real_points(eliminant, coordinates):
    """Each real root of ``f`` as a field ``Q(alpha)``, with the coordinates reduced into it."""
    points = []
    _, factors = _sympy_poly(eliminant).factor_list()
    for factor, _ in factors:
        monic = factor.monic()
        minimal = [_to_fraction(c) for c in reversed(monic.all_coeffs())]
        if len(minimal) == 2:
            fields = [RealAlgebraicField.rational(-minimal[0])]
        else:
            intervals = sorted(monic.intervals(), key=lambda item: item[0][0])
            fields = [
                RealAlgebraicField(tuple(minimal), _to_fraction(low), _to_fraction(high), index)
                for index, ((low, high), _) in enumerate(intervals)
            ]
        for field in fields:
            points.append((field, [field.element(values) for values in coordinates]))
    return points


# ---------------------------------------------------------------------- exact real algebraic numbers
class RealAlgebraicField:
    """The field ``Q(alpha)`` for one real root ``alpha`` of a monic irreducible polynomial.

    Elements are coefficient tuples (low to high) of polynomials of degree
    below the minimal polynomial's. Signs are exact: zero iff the reduced
    polynomial is zero, otherwise decided by interval arithmetic on an
    isolating interval of ``alpha`` refined by bisection.
    """

    def __init__(self, minimal, low, high, index=0):
        self.minimal = tuple(minimal)          # monic, low to high, degree >= 1
        self.degree = len(self.minimal) - 1
        self.low, self.high = low, high        # alpha in [low, high]; equal for a rational root
        self.index = index                     # rank among the real roots (for CRootOf)
        self.ball = None                       # alpha as a FLINT arb ball, when known (fast signs)
        self._square_part = None               # of a quadratic field's discriminant, once computed
        self.zero = _FieldElement(self, (Fraction(0),) * self.degree)
        self.one = self.element([Fraction(1)])
        self._closed_root = None

    @classmethod
    def rational(cls, value: Fraction) -> "RealAlgebraicField":
        return cls((-value, Fraction(1)), value, value)

    @property
    def is_rational(self) -> bool:
        return self.degree == 1

    def element(self, coefficients) -> "_FieldElement":
        return _FieldElement(self, self._reduce([Fraction(c) for c in coefficients]))

    def _reduce(self, values):
        d = self.degree
        values = list(values) + [Fraction(0)] * max(0, d - len(values))
        for k in range(len(values) - 1, d - 1, -1):
            c = values[k]
            if c:
                for j in range(d):
                    values[k - d + j] -= c * self.minimal[j]
            values[k] = Fraction(0)
        return tuple(values[:d])

    def multiply(self, a, b):
        product = [Fraction(0)] * (len(a) + len(b) - 1)
        for i, x in enumerate(a):
            if x:
                for j, y in enumerate(b):
                    if y:
                        product[i + j] += x * y
        return self._reduce(product)

    def _minimal_sign(self, x) -> int:
        value = Fraction(0)
        for c in reversed(self.minimal):
            value = value * x + c
        return (value > 0) - (value < 0)

    def _bisect(self):
        middle = (self.low + self.high) / 2
        at_middle = self._minimal_sign(middle)
        if at_middle == 0:  # only possible for a rational root, excluded for degree >= 2
            self.low = self.high = middle
        elif at_middle == self._minimal_sign(self.low):
            self.low = middle
        else:
            self.high = middle

    def _interval_value(self, values):
        low, high = Fraction(0), Fraction(0)
        for c in reversed(values):
            products = (low * self.low, low * self.high, high * self.low, high * self.high)
            low, high = min(products) + c, max(products) + c
        return low, high

    def sign(self, values) -> int:
        if not any(values):
            return 0
        if self.is_rational:
            return (values[0] > 0) - (values[0] < 0)
        while True:  # terminates: the element is nonzero (the minimal polynomial is irreducible)
            low, high = self._interval_value(values)
            if low > 0:
                return 1
            if high < 0:
                return -1
            self._bisect()

    def ball_value(self, values):
        """The element as a FLINT ``arb`` ball (rigorous enclosure), or ``None`` without a ball of alpha."""
        if self.ball is None:
            return None
        import flint

        total = flint.arb(0)
        for c in reversed(values):
            total = total * self.ball + flint.fmpq(c.numerator, c.denominator)
        return total

    def value(self, values):
        """Fraction for a rational field, else a float accurate to about 1e-15 relative."""
        if self.is_rational:
            return values[0]
        while self.high - self.low > Fraction(1, 2**64) * max(1, abs(self.low)):
            self._bisect()
        low, high = self._interval_value(values)
        return float((low + high) / 2)

    def closed_root(self):
        """``alpha`` as a sympy expression: radicals when sympy finds real ones, else ``CRootOf``."""
        if self._closed_root is None:
            import sympy

            poly = _sympy_poly(self.minimal)
            root = None
            if self.degree <= 4:
                for candidate in sympy.roots(poly, multiple=True):
                    # radicals only when short and visibly real (cubics and quartics often need
                    # complex intermediate terms: then CRootOf reads better)
                    if candidate.has(sympy.I) or (self.degree > 2 and len(str(candidate)) > 120):
                        continue
                    real, imaginary = candidate.evalf(30).as_real_imag()
                    if abs(imaginary) > 1e-25 or not real.is_number:
                        continue
                    if float(self.low) - 1e-12 <= float(real) <= float(self.high) + 1e-12:
                        root = candidate
                        break
            if root is None:
                root = sympy.CRootOf(poly.as_expr(), self.index)
            self._closed_root = root
        return self._closed_root

    def closed_form(self, values):
        import sympy

        alpha = self.closed_root()
        expression = sum((sympy.Rational(c.numerator, c.denominator) * alpha**k
                          for k, c in enumerate(values) if c), sympy.Integer(0))
        return sympy.radsimp(sympy.expand(expression))

    def closed_form_text(self, values) -> str:
        """The element as text sympy reads back: ``a + b*sqrt(d)`` for a quadratic field, radicals for a
        pure cubic or quartic (``t**3 - a``), else a polynomial in ``CRootOf(minimal polynomial, index)``.

        Written directly (the quadratic formula; no ``sympy.roots`` or printing of a ``CRootOf`` expression,
        which cost tens of milliseconds each); the same numbers :meth:`closed_form` gives.
        """
        if self.degree == 2:
            constant, linear = self.minimal[0], self.minimal[1]
            discriminant = linear * linear - 4 * constant   # > 0: the field is real and alpha irrational
            sign = -1 if self.index == 0 else 1              # real roots are ranked from the smallest
            values = tuple(values) + (Fraction(0),) * (2 - len(values))
            first = values[0] - values[1] * linear / 2
            # sqrt(n/d) = sqrt(n d)/d, and sqrt(n d) = k sqrt(r) with r square-free
            if self._square_part is None:
                self._square_part = _square_part(discriminant.numerator * discriminant.denominator)
            square, free = self._square_part
            second = sign * values[1] / 2 / discriminant.denominator * square
            return _quadratic_text(first, second, free)
        if self.degree <= 4 and not any(self.minimal[1:-1]):
            return str(self.closed_form(values))
        root = f"CRootOf({self.minimal_polynomial_text()}, {self.index})"
        terms = []
        for k, c in enumerate(values):
            if not c:
                continue
            power = "" if k == 0 else (root if k == 1 else f"{root}**{k}")
            text = str(c) if not power else (power if c == 1 else f"{c}*{power}")
            terms.append(text)
        return " + ".join(terms).replace("+ -", "- ") if terms else "0"

    def minimal_polynomial_text(self) -> str:
        """The monic minimal polynomial in ``t`` as sympy would print it, e.g. ``t**3 - 1/2``."""
        terms = []
        for k in reversed(range(len(self.minimal))):
            c = self.minimal[k]
            if not c:
                continue
            power = "" if k == 0 else ("t" if k == 1 else f"t**{k}")
            magnitude = abs(c)
            if not power:
                text = str(magnitude)
            elif magnitude.denominator == 1:
                text = power if magnitude == 1 else f"{magnitude.numerator}*{power}"
            else:
                text = f"{magnitude.numerator}*{power}/{magnitude.denominator}" if magnitude.numerator != 1 \
                    else f"{power}/{magnitude.denominator}"
            terms.append(("-" if c < 0 else "+", text))
        sign, text = terms[0]
        out = text if sign == "+" else f"-{text}"
        for sign, text in terms[1:]:
            out += f" {sign} {text}"
        return out


class _FieldElement:
    """One element of a :class:`RealAlgebraicField` (arithmetic with ints and Fractions too)."""

    __slots__ = ("field", "values")

    def __init__(self, field, values):
        self.field = field
        self.values = values

    def _coerce(self, other):
        if isinstance(other, _FieldElement):
            return other.values
        return self.field.element([Fraction(other)]).values

    def __add__(self, other):
        return _FieldElement(self.field, tuple(a + b for a, b in zip(self.values, self._coerce(other))))

    __radd__ = __add__

    def __sub__(self, other):
        return _FieldElement(self.field, tuple(a - b for a, b in zip(self.values, self._coerce(other))))

    def __rsub__(self, other):
        return _FieldElement(self.field, tuple(b - a for a, b in zip(self.values, self._coerce(other))))

    def __mul__(self, other):
        if isinstance(other, _FieldElement):
            return _FieldElement(self.field, self.field.multiply(self.values, other.values))
        factor = Fraction(other)
        return _FieldElement(self.field, tuple(a * factor for a in self.values))

    __rmul__ = __mul__

    def sign(self) -> int:
        return self.field.sign(self.values)

    def value(self):
        return self.field.value(self.values)
