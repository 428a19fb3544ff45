"""Exact rational linear algebra on small systems.

The solvers find candidates in floating point and rebuild them here in exact
arithmetic. Integer matrices are eliminated fraction-free (Bareiss), so the
intermediate numbers stay integers and the only divisions are the final ones.
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm
from typing import Sequence

__all__ = ["integerise", "determinant", "solve_cramer", "solve_exact", "solve_integer_system", "rank_exact"]


def integerise(values: Sequence[Fraction]) -> tuple[list[int], Fraction, int]:
    """Map exact numbers affinely onto positive integers.

    Returns ``(integers, low, scale)`` with ``integers[k] = (values[k] - low) * scale + 1``,
    so every entry is ``>= 1``. Best responses (and therefore equilibria) are
    unchanged by such a positive affine map.

    Examples
    --------
    >>> integerise([Fraction(1, 2), Fraction(-1, 3), Fraction(2)])
    ([6, 1, 15], Fraction(-1, 3), 6)
    """
    low = min(values)
    shifted = [v - low for v in values]
    scale = 1
    for v in shifted:
        scale = lcm(scale, v.denominator)
    return [int(v * scale) + 1 for v in shifted], low, scale


def solve_integer_system(matrix: Sequence[Sequence[int]], rhs: Sequence[int]) -> list[Fraction] | None:
    """Solve the square system ``matrix @ z = rhs`` exactly; ``None`` if singular.

    Fraction-free Gaussian elimination (Bareiss) with row pivoting on integer
    entries, then exact back-substitution.

    Examples
    --------
    >>> solve_integer_system([[2, 1], [1, 3]], [1, 1])
    [Fraction(2, 5), Fraction(1, 5)]
    >>> solve_integer_system([[1, 2], [2, 4]], [1, 1]) is None
    True
    """
    k = len(matrix)
    rows = [list(map(int, row)) + [int(b)] for row, b in zip(matrix, rhs)]
    previous = 1
    for col in range(k):
        pivot = next((r for r in range(col, k) if rows[r][col] != 0), None)
        if pivot is None:
            return None
        if pivot != col:
            rows[col], rows[pivot] = rows[pivot], rows[col]
        p = rows[col][col]
        top = rows[col]
        for r in range(col + 1, k):
            row = rows[r]
            factor = row[col]
            for c in range(col + 1, k + 1):
                row[c] = (row[c] * p - factor * top[c]) // previous
            row[col] = 0
        previous = p
    solution = [Fraction(0)] * k
    for r in reversed(range(k)):
        total = Fraction(rows[r][k])
        for c in range(r + 1, k):
            if rows[r][c]:
                total -= rows[r][c] * solution[c]
        solution[r] = total / rows[r][r]
    return solution


def solve_exact(equations: Sequence[Sequence[Fraction]], rhs: Sequence[Fraction]) -> list[Fraction] | None:
    """Unique exact solution of a (possibly over-determined) consistent system, else ``None``.

    Examples
    --------
    >>> F = Fraction
    >>> solve_exact([[F(1), F(1)], [F(1), F(-1)], [F(2), F(0)]], [F(1), F(0), F(1)])
    [Fraction(1, 2), Fraction(1, 2)]
    """
    rows = [[Fraction(v) for v in eq] + [Fraction(b)] for eq, b in zip(equations, rhs)]
    if not rows:
        return None
    n = len(rows[0]) - 1
    pivot_row = 0
    pivots = []
    for col in range(n):
        pivot = next((r for r in range(pivot_row, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[pivot_row], rows[pivot] = rows[pivot], rows[pivot_row]
        lead = rows[pivot_row][col]
        rows[pivot_row] = [v / lead for v in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row])]
        pivots.append(col)
        pivot_row += 1
        if pivot_row == len(rows):
            break
    if len(pivots) < n:
        return None
    if any(row[n] != 0 for row in rows[pivot_row:]):
        return None
    return [rows[i][n] for i in range(n)]


def rank_exact(rows: Sequence[Sequence[Fraction]]) -> int:
    """Rank of a matrix with exact entries."""
    matrix = [[Fraction(v) for v in row] for row in rows]
    rank = 0
    cols = len(matrix[0]) if matrix else 0
    for col in range(cols):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(rank + 1, len(matrix)):
            if matrix[r][col] != 0:
                factor = matrix[r][col] / matrix[rank][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank])]
        rank += 1
    return rank


def determinant(matrix: Sequence[Sequence[int]]) -> int:
    """Exact determinant of a square integer matrix (Bareiss elimination).

    Examples
    --------
    >>> determinant([[2, 1], [1, 3]])
    5
    """
    rows = [list(row) for row in matrix]
    k = len(rows)
    sign = 1
    previous = 1
    for col in range(k):
        pivot = next((r for r in range(col, k) if rows[r][col] != 0), None)
        if pivot is None:
            return 0
        if pivot != col:
            rows[col], rows[pivot] = rows[pivot], rows[col]
            sign = -sign
        p = rows[col][col]
        top = rows[col]
        for r in range(col + 1, k):
            row = rows[r]
            factor = row[col]
            for c in range(col + 1, k):
                row[c] = (row[c] * p - factor * top[c]) // previous
            row[col] = 0
        previous = p
    return sign * rows[k - 1][k - 1] if k else 1


def solve_cramer(matrix: Sequence[Sequence[int]], rhs: Sequence[int]) -> tuple[list[int], int] | None:
    """Integer solution ``z = numerators / denominator`` of a small square system (Cramer's rule).

    The denominator is positive; ``None`` if the matrix is singular. Meant for
    systems of size up to about 5, where it avoids fractions altogether.

    Examples
    --------
    >>> solve_cramer([[2, 1], [1, 3]], [1, 1])
    ([2, 1], 5)
    """
    det = determinant(matrix)
    if det == 0:
        return None
    k = len(matrix)
    numerators = []
    for j in range(k):
        replaced = [list(row[:j]) + [b] + list(row[j + 1:]) for row, b in zip(matrix, rhs)]
        numerators.append(determinant(replaced))
    if det < 0:
        return [-v for v in numerators], -det
    return numerators, det
