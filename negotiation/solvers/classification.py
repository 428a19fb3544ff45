"""Which classic game a symmetric 2×2 game is: Harmony, Prisoner's Dilemma, Stag Hunt, Chicken, Deadlock.

Notation (row player's payoffs; the game is symmetric): ``R = u(C, C)``,
``S = u(C, D)``, ``T = u(D, C)``, ``P = u(D, D)``, where ``C`` is the
cooperative strategy (restraint) and ``D`` the other (deploy, arm, defect).
The class follows from the two best-response comparisons, as in the table of
[@Jervis1978] (Rapoport and Guyer 1966; Jervis 1978; Snyder 1971):

=======================  ===========================  ======================
comparison               class                        pure equilibria
=======================  ===========================  ======================
R > T and S > P          Harmony                      (C, C)
T > R, P > S, R > P      Prisoner's Dilemma           (D, D)
T > R, P > S, P ≥ R      Deadlock                     (D, D)
R > T and P > S          Stag Hunt (Assurance)        (C, C), (D, D)
T > R and S > P          Chicken                      (C, D), (D, C)
=======================  ===========================  ======================

A tie in a best-response comparison (``T = R`` or ``P = S``) is a boundary
between classes; it is reported as such.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Classification", "classify_symmetric_2x2", "classify_values"]


@dataclass(frozen=True)
class Classification:
    """The class of a symmetric 2×2 game and the payoffs it was read from."""

    name: str
    ordering: str
    R: object
    S: object
    T: object
    P: object

    def __str__(self) -> str:
        return f"{self.name} ({self.ordering})"


def classify_values(R, S, T, P) -> Classification:
    """Classify from the four payoffs.

    Examples
    --------
    >>> str(classify_values(3, 0, 5, 1))
    "Prisoner's Dilemma (T > R > P > S)"
    >>> classify_values(4, 0, 3, 2).name
    'Stag Hunt'
    >>> classify_values(0, -1, 1, -10).name
    'Chicken'
    """
    def cmp(a, b, left, right):
        return f"{left} > {right}" if a > b else (f"{left} < {right}" if a < b else f"{left} = {right}")

    if T == R or P == S:
        ties = [t for t in (cmp(T, R, "T", "R"), cmp(P, S, "P", "S")) if "=" in t]
        return Classification("boundary case", ", ".join(ties) + ": on the border between classes", R, S, T, P)
    if R > T and S > P:
        return Classification("Harmony", "R > T, S > P", R, S, T, P)
    if T > R and P > S:
        if R > P:
            return Classification("Prisoner's Dilemma", _order(R, S, T, P), R, S, T, P)
        return Classification("Deadlock", _order(R, S, T, P), R, S, T, P)
    if R > T and P > S:
        return Classification("Stag Hunt", _order(R, S, T, P), R, S, T, P)
    return Classification("Chicken", _order(R, S, T, P), R, S, T, P)


def _order(R, S, T, P) -> str:
    items = sorted({"R": R, "S": S, "T": T, "P": P}.items(), key=lambda kv: kv[1], reverse=True)
    text = items[0][0]
    for (_, previous), (name, value) in zip(items, items[1:]):
        text += (" = " if value == previous else " > ") + name
    return text


def classify_symmetric_2x2(game, cooperate: str | None = None) -> Classification | None:
    """Classify a numeric symmetric 2×2 game; ``None`` if it is not one.

    ``cooperate`` names the cooperative strategy (default: the first).
    """
    if game.n_players != 2 or game.shape != (2, 2) or game.is_symbolic:
        return None
    if game.strategies[0] != game.strategies[1]:
        return None
    c = game.strategies[0].index(cooperate) if cooperate else 0
    d = 1 - c
    A, B = game.payoff_array(0), game.payoff_array(1)
    if any(A[i, j] != B[j, i] for i in range(2) for j in range(2)):
        return None
    return classify_values(A[c, c], A[c, d], A[d, c], A[d, d])
