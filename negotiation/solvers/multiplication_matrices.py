"""Exact solutions of small square polynomial systems by multiplication matrices (python-flint).

The eigenvalue method of Auzinger & Stetter (1988) and Möller & Stetter (1995), carried out in
exact rational arithmetic instead of floating point:

1. a Gröbner basis in degree-reverse-lexicographic order (FLINT's Buchberger over the integers,
   ``fmpz_mpoly_vec.buchberger_naive``, then autoreduced) decides at once whether the system has
   no solution (the basis is ``{1}``), a continuum (some variable has no pure power among the
   leading monomials), or finitely many;
2. the standard monomials (those no leading monomial divides) are a basis of the quotient ring
   ``Q[x]/I``, of dimension ``D`` = the number of complex solutions counted with multiplicity;
   the normal forms of ``x_j * m`` give the ``D × D`` multiplication matrix ``M_j`` of each variable;
3. for a separating form ``t`` (a coordinate, else a small integer combination of them) the exact
   characteristic polynomial ``f`` of ``M_t`` (FLINT's ``fmpq_mat.charpoly``) is the eliminant of
   ``t``: Stickelberger's theorem says its roots are the values of ``t`` at the solutions, with
   multiplicity. When ``f`` is square-free, ``t`` separates the ``D`` solutions and ``1, t, …, t^(D-1)``
   is a basis of ``Q[x]/I``; each coordinate ``x_j = g_j(t)`` then follows from one exact linear
   solve in that Krylov basis (the shape lemma, as FGLM would give it).

Completeness rests on exact arithmetic only: ``deg f = D`` counts every complex solution, so
no float stage can miss one. When no square-free ``f`` is found (a solution of multiplicity > 1)
or Buchberger exceeds its size limits, :func:`solve_by_multiplication_matrices` returns ``None``
and the caller uses the sympy path of :mod:`negotiation.solvers.polynomial_systems`
(which takes the radical first).

References
----------
Auzinger, W., & Stetter, H. J. (1988). An elimination algorithm for the computation of all zeros
of a system of multivariate polynomial equations. *Numerical Mathematics Singapore 1988*, 11–30.
Cox, D., Little, J., & O'Shea, D. (2005). *Using Algebraic Geometry* (2nd ed.), ch. 2 §4
(multiplication matrices, Stickelberger) and ch. 3 (the shape lemma).
"""

from __future__ import annotations

from fractions import Fraction

__all__ = ["BUCHBERGER_LIMITS", "solve_by_multiplication_matrices"]

#: Limits handed to FLINT's Buchberger (basis length, terms per polynomial, coefficient bits): past them
#: the sympy path takes over (a support system of a 3×3×3 game needs at most ~25, ~60 and ~400).
BUCHBERGER_LIMITS = (200, 2000, 20000)
#: Separating linear forms tried after the coordinates (small positive integer weights).
_LINEAR_FORMS = ((1, 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31), (3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8))


def solve_by_multiplication_matrices(equations, n_vars):
    """Solve ``equations`` (dicts ``{exponent tuple: int}``) exactly, or ``None`` to hand over.

    Returns ``("empty", None)``, ``("continuum", None)`` or
    ``("ok", (f, coordinates))`` with ``f`` the eliminant of a separating form ``t`` (Fractions, low to
    high, square-free, degree = number of complex solutions) and ``coordinates[j]`` the polynomial
    ``g_j`` (Fractions, low to high) with ``x_j = g_j(t)`` at every solution; ``None`` when this
    method cannot decide (then use the sympy path).
    """
    import flint

    names = tuple(f"x{j}" for j in range(n_vars))
    context = flint.fmpz_mpoly_ctx.get(names, "degrevlex")
    # the variables in reverse order: FLINT's Buchberger is 30-40 % faster on the support systems of
    # 3×3×3 games so (the last player's probabilities first); coordinates are reversed back at the end
    polys = [context.from_dict({monomial[::-1]: c for monomial, c in terms.items()}) for terms in equations]
    basis, finished = flint.fmpz_mpoly_vec(polys, context).buchberger_naive(limits=BUCHBERGER_LIMITS)
    if not finished:
        return None
    basis = [g for g in basis.autoreduction() if not g.is_zero()]
    if not basis or any(g.is_constant() for g in basis):
        return ("empty", None) if basis else ("continuum", None)
    leading = []
    tails = {}
    for g in basis:
        terms = g.to_dict()  # FLINT lists terms by the ordering, leading first
        monomials = g.monoms()
        lead = monomials[0]
        lead_coefficient = int(terms[lead])
        leading.append(lead)
        tails[lead] = [(m, flint.fmpq(-terms[m], lead_coefficient)) for m in monomials[1:]]  # FLINT rationals
    if not all(any(sum(m) == m[j] and m[j] > 0 for m in leading) for j in range(n_vars)):
        return "continuum", None
    standard = _standard_monomials(leading, n_vars)
    shape = _shape_from_matrices(leading, tails, standard, n_vars)
    if shape is None:
        return None
    eliminant, coordinates = shape
    return "ok", (eliminant, coordinates[::-1])


def _divides(a, b) -> bool:
    return all(x <= y for x, y in zip(a, b))


def _standard_monomials(leading, n_vars):
    """Monomials no leading monomial divides (an order ideal: grown from 1 by one variable at a time)."""
    one = (0,) * n_vars
    standard, frontier = [one], [one]
    seen = {one}
    while frontier:
        grown = []
        for m in frontier:
            for j in range(n_vars):
                next_monomial = m[:j] + (m[j] + 1,) + m[j + 1:]
                if next_monomial in seen:
                    continue
                seen.add(next_monomial)
                if not any(_divides(lead, next_monomial) for lead in leading):
                    grown.append(next_monomial)
        standard.extend(grown)
        frontier = grown
    return standard


def _normal_form(monomial, leading, tails, standard_index, memo):
    """The normal form of ``monomial``: ``{standard monomial index: rational}`` (division by the basis)."""
    if monomial in memo:
        return memo[monomial]
    if monomial in standard_index:
        result = {standard_index[monomial]: 1}
    else:
        lead = next(lead for lead in leading if _divides(lead, monomial))
        quotient = tuple(a - b for a, b in zip(monomial, lead))
        result = {}
        # monomial = quotient * lead ≡ quotient * (tail of the basis element): every term is smaller
        # in the monomial order, so the recursion ends
        for term, coefficient in tails[lead]:
            product = tuple(a + b for a, b in zip(quotient, term))
            for index, value in _normal_form(product, leading, tails, standard_index, memo).items():
                total = result.get(index, 0) + coefficient * value
                if total:
                    result[index] = total
                else:
                    result.pop(index, None)
    memo[monomial] = result
    return result


def _shape_from_matrices(leading, tails, standard, n_vars):
    """``(f, coordinates)`` from the multiplication matrices, or ``None`` when no form separates.

    Only what is used is computed: the matrix of each variable a form needs (a coordinate needs one),
    and the normal form of each variable (its coordinates: ``M_j e = NF(x_j)`` for the class ``e`` of 1).
    """
    import flint

    size = len(standard)
    standard_index = {m: k for k, m in enumerate(standard)}
    memo = {}
    matrices = {}

    def matrix(j):
        if j not in matrices:
            entries = [0] * (size * size)
            for column, m in enumerate(standard):
                product = m[:j] + (m[j] + 1,) + m[j + 1:]
                for row, value in _normal_form(product, leading, tails, standard_index, memo).items():
                    entries[row * size + column] = _fmpq(value)
            matrices[j] = flint.fmpq_mat(size, size, entries)
        return matrices[j]

    # NF(x_j) of every variable, as the columns of one matrix (one exact solve for all of them)
    images = [0] * (size * n_vars)
    for j in range(n_vars):
        variable = tuple(int(k == j) for k in range(n_vars))
        for row, value in _normal_form(variable, leading, tails, standard_index, memo).items():
            images[row * n_vars + j] = _fmpq(value)
    images = flint.fmpq_mat(size, n_vars, images)
    forms = [tuple(1 if k == j else 0 for k in range(n_vars)) for j in reversed(range(n_vars))]
    forms += [tuple(weights[k % len(weights)] for k in range(n_vars)) for weights in _LINEAR_FORMS]
    for weights in forms:
        form = None
        for j, weight in enumerate(weights):
            if weight:
                form = matrix(j) * weight if form is None else form + matrix(j) * weight
        eliminant = form.charpoly()
        if eliminant.degree() > 0 and eliminant.gcd(eliminant.derivative()).degree() > 0:
            continue  # a repeated root: t does not separate, or a solution has multiplicity
        # Krylov basis e, M e, …, M^(D-1) e of the class e of 1 (the standard monomial of index 0)
        columns, vector = [], flint.fmpq_mat(size, 1, [1] + [0] * (size - 1))
        for _ in range(size):
            columns.append(vector)
            vector = form * vector
        krylov = flint.fmpq_mat(size, size, [columns[c][r, 0] for r in range(size) for c in range(size)])
        solution = krylov.solve(images)
        coordinates = [_trim([_fraction(solution[k, j]) for k in range(size)]) for j in range(n_vars)]
        return [_fraction(c) for c in eliminant.coeffs()], coordinates
    return None


def _fmpq(value):
    import flint

    if isinstance(value, (int, flint.fmpq)):
        return value
    return flint.fmpq(value.numerator, value.denominator)


def _fraction(value) -> Fraction:
    return Fraction(int(value.p), int(value.q))


def _trim(values):
    while len(values) > 1 and values[-1] == 0:
        values.pop()
    return values
