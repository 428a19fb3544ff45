"""The Markov chain of two automata playing a repeated game with errors, and its exact long-run payoffs.

Two kinds of error (Fudenberg, Rand and Dreber 2012 call them execution and perception errors):

* **implementation errors** at rate ε: the action a player meant to play is replaced by another — in a
  two-action game, flipped — with probability ε (by each of the others alike with probability
  ε/(n − 1) when there are n actions). Both players see the action actually played, so monitoring is
  public: the joint state of two deterministic-transition automata is common knowledge.
* **perception errors** at rate ε': each player privately reads the other's action as another one with
  probability ε' (independently of the other player's reading). Monitoring is then private.

The joint automaton states form a Markov chain with transition matrix P, starting in the pair of initial
states (π0 a point mass). Each state has an expected stage payoff u_i. The discounted value is
``(1 − δ) π0 (I − δP)^{-1} u`` (Kemeny and Snell 1960, ch. 3 and 4: the fundamental matrix). The limit of
the means is the Cesàro limit ``π0 P* u``: the chain's closed communicating classes each have one
stationary distribution, and the start reaches each with its absorption probability (Kemeny and Snell
1960, Theorems 3.3.7 and 4.1.6) — a chain with one closed class (unichain) has one answer from every start;
with several the answer depends on the start, and the result says so.

Every number is exact: Fractions for rational inputs (floats are read as their exact binary value), sympy
expressions (simplified with ``cancel``) for a symbolic ε or δ.

References
----------
Kemeny, J. G. and Snell, J. L. (1960). *Finite Markov Chains*. Van Nostrand. Ch. 3–4.
Fudenberg, D., Rand, D. G. and Dreber, A. (2012). Slow to anger and fast to forgive: cooperation in an
uncertain world. *American Economic Review* 102(2), 720–749.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from negotiation.core.linalg import solve_exact
from negotiation.core.numeric import coerce_number, is_sympy
from negotiation.models.automata import Automaton
from negotiation.results.noisy_repetition import NoisyRepetitionError

__all__ = ["PairChain", "pair_chain", "exact", "is_zero", "simplify", "solve_linear", "solve_columns", "flip", "misread",
           "discounted_values", "start_values_in_field", "long_run"]


# ---------------------------------------------------------------------- the arithmetic
def exact(value, where: str = "value"):
    """A Fraction (floats by their exact binary value) or a sympy expression, for exact arithmetic."""
    if is_sympy(value):
        if value.free_symbols:
            return value
        import sympy  # a sympy number: sympy is loaded already

        if isinstance(value, sympy.Rational):
            return Fraction(int(value.p), int(value.q))
        return value
    number = coerce_number(value, where=where)
    return Fraction(number)


def is_zero(value) -> bool:
    """``value == 0``, for sympy expressions after cancelling (a symbolic rate is taken as generic)."""
    if is_sympy(value):
        import sympy  # symbolic values only

        return sympy.expand(value) == 0
    return value == 0


def simplify(value):
    """Cancelled sympy rational functions; numbers unchanged."""
    if is_sympy(value):
        import sympy  # symbolic values only

        return sympy.cancel(value)
    return value


def tidy(value):
    """Expanded sympy polynomials (the chain's probabilities and payoffs); numbers unchanged."""
    if is_sympy(value):
        import sympy  # symbolic values only

        return sympy.expand(value)
    return value


def solve_linear(matrix, rhs) -> list:
    """The solution of a square nonsingular system in exact arithmetic (one right-hand side)."""
    return [row[0] for row in solve_columns(matrix, [[b] for b in rhs])]


def solve_columns(matrix, columns) -> list:
    """``X`` with ``matrix · X = columns`` (rows of right-hand sides): exact Gauss–Jordan elimination on
    Fractions (``core.linalg.solve_exact``, one right-hand side at a time); with symbolic entries, sympy's LU
    solve over the field of rational functions (``DomainMatrix``), which keeps every entry a cancelled
    quotient of polynomials."""
    if any(is_sympy(v) for row in matrix for v in row) or any(is_sympy(v) for row in columns for v in row):
        return _solve_symbolic(matrix, columns)
    solutions = []
    for j in range(len(columns[0])):
        solution = solve_exact(matrix, [row[j] for row in columns])
        if solution is None:
            raise NoisyRepetitionError("singular linear system in a Markov chain (internal error)")
        solutions.append(solution)
    return [list(row) for row in zip(*solutions)]


def _solve_symbolic(matrix, columns) -> list:
    """The LU solve over the field of rational functions in the symbols of the system (sympy's ``DomainMatrix``):
    every entry stays a reduced quotient of polynomials, and is converted back to an expression once."""
    import sympy  # symbolic systems only
    from sympy.polys.domains import QQ
    from sympy.polys.matrices import DomainMatrix

    entries = [[sympy.sympify(v) for v in row] for row in matrix]
    rights = [[sympy.sympify(v) for v in row] for row in columns]
    symbols = sorted(set().union(*(v.free_symbols for row in entries + rights for v in row)), key=str)
    field = QQ.frac_field(*symbols)
    left = DomainMatrix([[field.from_sympy(v) for v in row] for row in entries], (len(entries), len(entries)), field)
    right = DomainMatrix([[field.from_sympy(v) for v in row] for row in rights], (len(rights), len(rights[0])), field)
    solution = left.lu_solve(right)
    return [[field.to_sympy(solution[i, j].element) for j in range(len(rights[0]))] for i in range(len(rights))]


# ---------------------------------------------------------------------- errors
def flip(row, noise) -> list:
    """Probabilities of the actions actually played, when the intended action (``row``) is replaced by
    each other action with probability ``noise/(n − 1)``."""
    n = len(row)
    if n == 1 or is_zero(noise):
        return list(row)
    share = noise / (n - 1)
    total = sum(row)
    return [tidy((1 - noise) * p + share * (total - p)) for p in row]


def misread(action: int, n: int, perception) -> list:
    """Probabilities of reading each of ``n`` actions when ``action`` was played."""
    if n == 1 or is_zero(perception):
        return [1 if b == action else 0 for b in range(n)]
    return [1 - perception if b == action else perception / (n - 1) for b in range(n)]


# ---------------------------------------------------------------------- the chain
@dataclass(frozen=True)
class PairChain:
    """The reachable joint states of two automata, the transition matrix and each state's expected payoffs."""

    states: tuple          # (state of the first, state of the second), indices
    matrix: tuple          # matrix[i][j]: probability of moving from states[i] to states[j]
    payoffs: tuple         # payoffs[player][i]: expected stage payoff in states[i]
    labels: tuple          # "(C, D)" per joint state

    @property
    def size(self) -> int:
        return len(self.states)


def pair_chain(first: Automaton, second: Automaton, payoffs, noise, perception) -> PairChain:
    """The chain of ``first`` (player 1) against ``second`` (player 2).

    ``payoffs[player][a][b]`` is the stage payoff of ``player`` when player 1 plays ``a`` and player 2
    ``b`` (action indices of the automata, which must be the game's strategy order)."""
    n1, n2 = len(first.actions), len(second.actions)
    start = (first.initial, second.initial)
    index, order, rows, stage = {start: 0}, [start], [], ([], [])
    position = 0
    while position < len(order):
        s1, s2 = order[position]
        q1, q2 = flip(first.play[s1], noise), flip(second.play[s2], noise)
        moves: dict = {}
        expected = [0, 0]
        for a in range(n1):
            for b in range(n2):
                joint = tidy(q1[a] * q2[b])
                if is_zero(joint):
                    continue
                expected[0] += joint * payoffs[0][a][b]
                expected[1] += joint * payoffs[1][a][b]
                for o1, r1 in enumerate(misread(b, n2, perception)):
                    for o2, r2 in enumerate(misread(a, n1, perception)):
                        weight = joint * r1 * r2
                        if is_zero(weight):
                            continue
                        target = (first.transitions[s1][a][o1], second.transitions[s2][b][o2])
                        moves[target] = moves.get(target, 0) + weight
        for target in moves:
            if target not in index:
                index[target] = len(order)
                order.append(target)
        rows.append(moves)
        stage[0].append(tidy(expected[0]))
        stage[1].append(tidy(expected[1]))
        position += 1
    matrix = tuple(tuple(tidy(row.get(t, 0)) for t in order) for row in rows)
    labels = tuple(f"({first.states[s1]}, {second.states[s2]})" for s1, s2 in order)
    return PairChain(tuple(order), matrix, (tuple(stage[0]), tuple(stage[1])), labels)


def discounted_values(chain: PairChain, discount) -> tuple:
    """Each player's discounted value ``(1 − δ)(I − δP)^{-1} u`` from every joint state: ``values[player][i]``."""
    n = chain.size
    system = [[(1 if i == j else 0) - discount * chain.matrix[i][j] for j in range(n)] for i in range(n)]
    columns = [[(1 - discount) * chain.payoffs[0][i], (1 - discount) * chain.payoffs[1][i]] for i in range(n)]
    solution = solve_columns(system, columns)
    return tuple(tuple(row[p] for row in solution) for p in range(2))


def start_values_in_field(chain: PairChain, discount, field) -> tuple:
    """The players' discounted values from the start as elements of ``field`` (a sympy fraction field holding the
    symbols of the chain and of ``discount``): no conversion back to expressions, for exact arithmetic on them."""
    from sympy.polys.matrices import DomainMatrix  # symbolic chains only

    n = chain.size
    delta = field.from_sympy(discount)
    one = field.one

    def element(value):
        return field.from_sympy(value) if is_sympy(value) else field.convert(value)

    left = DomainMatrix([[(one if i == j else field.zero) - delta * element(chain.matrix[i][j]) for j in range(n)]
                         for i in range(n)], (n, n), field)
    right = DomainMatrix([[(one - delta) * element(chain.payoffs[p][i]) for p in range(2)] for i in range(n)],
                         (n, 2), field)
    solution = left.lu_solve(right)
    return solution[0, 0].element, solution[0, 1].element


def _closed_classes(chain: PairChain) -> list:
    """The closed communicating classes (recurrent classes) of the chain, as sorted index lists."""
    n = chain.size
    successors = [[j for j in range(n) if not is_zero(chain.matrix[i][j])] for i in range(n)]
    reach = []
    for i in range(n):
        seen, stack = {i}, [i]
        while stack:
            for j in successors[stack.pop()]:
                if j not in seen:
                    seen.add(j)
                    stack.append(j)
        reach.append(seen)
    classes = []
    for i in range(n):
        own = sorted(j for j in reach[i] if i in reach[j])
        if set(reach[i]) == set(own) and own not in classes:
            classes.append(own)
    return classes


def _stationary(chain: PairChain, members: list) -> list:
    """The stationary distribution of one closed class: π(I − P) = 0 and Σπ = 1."""
    m = len(members)
    system = [[(1 if i == j else 0) - chain.matrix[members[i]][members[j]] for i in range(m)] for j in range(m)]
    system[-1] = [1] * m
    return solve_linear(system, [0] * (m - 1) + [1])


def long_run(chain: PairChain) -> dict:
    """The limit of the means from the start: each closed class's stationary distribution and the probability
    that the start reaches it.

    Returns a dict with ``values`` (per player), ``classes`` (lists of joint-state indices), ``reach`` (the
    absorption probability of each class from the start) and ``frequencies`` (the long-run share of each
    joint state from the start)."""
    classes = _closed_classes(chain)
    recurrent = {i for members in classes for i in members}
    transient = [i for i in range(chain.size) if i not in recurrent]
    reach = []
    for members in classes:
        if 0 in members:
            reach.append(Fraction(1))
        elif 0 not in transient:
            reach.append(Fraction(0))
        else:  # absorption probabilities h = P_TT h + P_TC 1 (Kemeny and Snell 1960, Theorem 3.3.7)
            system = [[(1 if i == j else 0) - chain.matrix[i][j] for j in transient] for i in transient]
            rhs = [sum((chain.matrix[i][j] for j in members), 0) for i in transient]
            reach.append(simplify(solve_linear(system, rhs)[transient.index(0)]))
    frequencies = [0] * chain.size
    for members, weight in zip(classes, reach):
        if is_zero(weight):
            continue
        for i, share in zip(members, _stationary(chain, members)):
            frequencies[i] = simplify(weight * share)
    values = tuple(simplify(sum((f * u for f, u in zip(frequencies, chain.payoffs[p])), 0)) for p in range(2))
    return {"values": values, "classes": classes, "reach": reach, "frequencies": tuple(frequencies)}
