"""Repeated two-player games with noise: long-run payoffs of automata and which pairs are equilibria.

* :func:`noisy_payoffs` — the exact discounted value and limit of the means of two automata under
  implementation errors (rate ε) and perception errors (rate ε'), from the Markov chain over their joint
  states (:mod:`negotiation.solvers.noisy_chain`).
* :func:`noisy_equilibria` — for every ordered pair of a set of automata, whether it is an equilibrium
  against every automaton of the set, and, where monitoring is public (implementation errors only) and
  a δ is given, against all strategies: a best reply to an automaton is a finite Markov decision problem
  on its states, solved exactly by policy iteration (Howard 1960; Puterman 1994, §6.4), whose optimal value
  is attained by a stationary policy (Puterman 1994, Theorem 6.2.10).

Automata are given by library name (``"TFT"``, ``"GTFT(1/3)"``, …; :data:`~negotiation.models.automata.
STANDARD_AUTOMATA`), or as :class:`~negotiation.models.automata.Automaton` objects.

References
----------
Howard, R. A. (1960). *Dynamic Programming and Markov Processes*. MIT Press.
Puterman, M. L. (1994). *Markov Decision Processes*. Wiley. §6.2 and §6.4.
Nowak, M. and Sigmund, K. (1992). Tit for tat in heterogeneous populations. *Nature* 355, 250–253.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import product

from negotiation.core.numeric import is_sympy
from negotiation.models.automata import Automaton, AutomatonError, standard_automaton
from negotiation.results.noisy_repetition import NoisyEquilibria, NoisyPayoffs, NoisyRepetitionError, PairVerdict
from negotiation.solvers.noisy_chain import discounted_values, exact, flip, long_run, pair_chain, simplify, solve_linear

__all__ = ["noisy_payoffs", "noisy_equilibria", "best_reply", "bind_automaton", "stage_payoffs", "check_rate",
           "mirror_policy", "DEFAULT_AUTOMATA", "MAX_COMPARED_AUTOMATA", "MAX_DEVIATION_POLICIES"]

#: The automata compared when none are named.
DEFAULT_AUTOMATA = ("ALLC", "ALLD", "GRIM", "TFT", "GTFT", "WSLS")
#: Most automata compared at once (their ordered pairs are that number squared: 144 chains; 12 library
#: automata take 0.15 s, 12 six-state automata about 2 s).
MAX_COMPARED_AUTOMATA = 12
#: Most stationary policies enumerated as one player's deviations (actions ** states of the other's automaton):
#: 16 (two actions, four states) symbolic chains of 4 states take about 1 s with a symbolic ε and δ.
MAX_DEVIATION_POLICIES = 16


# ---------------------------------------------------------------------- inputs
def check_rate(value, where: str):
    """An error rate in [0, 1] as an exact number (a sympy expression is kept)."""
    try:
        rate = exact(value, where)
    except ValueError as error:
        raise NoisyRepetitionError(str(error)) from None
    if not is_sympy(rate) and not 0 <= rate <= 1:
        raise NoisyRepetitionError(f"{where}: expected an error rate in [0, 1], found {rate}")
    return rate


def _check_discount(value):
    if value is None:
        return None
    try:
        delta = exact(value, "discount")
    except ValueError as error:
        raise NoisyRepetitionError(str(error)) from None
    if not is_sympy(delta) and not 0 <= delta < 1:
        raise NoisyRepetitionError(f"discount: expected a discount factor δ in [0, 1), found {delta}")
    return delta


def _two_players(game) -> None:
    if game.n_players != 2:
        raise NoisyRepetitionError(f"a noisy repeated game needs a two-player stage game, this one has "
                                   f"{game.n_players} players")


def stage_payoffs(game) -> tuple:
    """``payoffs[player][a][b]``: exact stage payoffs (player 1 plays ``a``, player 2 ``b``)."""
    _two_players(game)
    return tuple(tuple(tuple(exact(game.payoffs[a, b][p], f"payoff of {game.players[p]}")
                             for b in range(game.shape[1])) for a in range(game.shape[0])) for p in range(2))


def _cooperative(game, player: int, cooperate) -> tuple:
    """The player's two strategies, cooperative first."""
    own = tuple(game.strategies[player])
    if len(own) != 2:
        raise NoisyRepetitionError(f"the library automata need two strategies for each player, "
                                   f"{game.players[player]} has {len(own)}: define automata in the scenario")
    label = cooperate[player] if isinstance(cooperate, (tuple, list)) else cooperate
    if label is None or label not in own:
        if label is not None and isinstance(cooperate, (tuple, list)):
            raise NoisyRepetitionError(f"cooperate: {label!r} is not a strategy of {game.players[player]}")
        return own
    return (label, own[1 - own.index(label)])


def bind_automaton(game, spec, player: int, *, cooperate=None, defined=()) -> Automaton:
    """The automaton ``spec`` (a name or an :class:`Automaton`) for ``player``, its actions in the game's order.

    Examples
    --------
    >>> import negotiation as ng
    >>> pd = ng.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=(("C", "D"), ("C", "D")))
    >>> bind_automaton(pd, "GRIM", 1).states
    ('cooperate', 'punish')
    """
    own, other = tuple(game.strategies[player]), tuple(game.strategies[1 - player])
    if isinstance(spec, Automaton):
        return spec.relabelled(own, other)
    name = str(spec).strip()
    for automaton in defined:
        if automaton.name == name:
            return automaton.relabelled(own, other)
    try:
        automaton = standard_automaton(name, _cooperative(game, player, cooperate),
                                       _cooperative(game, 1 - player, cooperate))
    except AutomatonError as error:
        raise NoisyRepetitionError(str(error)) from None
    return automaton.relabelled(own, other)


def _is_exact(*values) -> bool:
    return not any(isinstance(v, float) for v in values)


# ---------------------------------------------------------------------- payoffs of a pair
def noisy_payoffs(game, first, second, *, noise=0, perception=0, discount=None, cooperate=None,
                  defined=()) -> NoisyPayoffs:
    """Long-run payoffs of two automata in the repeated game with implementation and perception errors.

    Parameters
    ----------
    game : Game
        A two-player stage game (exact, float — read as exact binary values — or symbolic).
    first, second : str or Automaton
        The automata of player 1 and player 2 (library names: ALLC, ALLD, GRIM, TFT, GTFT(g), WSLS).
    noise : number or sympy expression
        Implementation error rate ε: the intended action is flipped (replaced by each other action with
        probability ε/(n − 1)) with probability ε.
    perception : number or sympy expression
        Perception error rate ε': each player misreads the other's action with probability ε'.
    discount : number, sympy expression or None
        δ for the normalised discounted value ``(1 − δ) Σ δ^t u_t``; the limit of the means is always given.
    cooperate : str or pair of str, optional
        The cooperative strategy of the library automata (default: each player's first strategy).
    defined : sequence of Automaton
        Automata that ``first`` and ``second`` may name.

    Returns
    -------
    NoisyPayoffs

    Examples
    --------
    Tit-for-tat against itself with implementation errors averages (R + S + T + P)/4 for every ε in (0, 1):

    >>> import negotiation as ng
    >>> pd = ng.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=(("C", "D"), ("C", "D")))
    >>> ng.noisy_payoffs(pd, "TFT", "TFT", noise="1/10").limit_of_means
    (Fraction(9, 4), Fraction(9, 4))
    >>> ng.noisy_payoffs(pd, "ALLC", "ALLD", noise="1/10", discount="9/10").discounted[0]  # 0.09·(3 + 1) + 0.01·5
    Fraction(41, 100)
    """
    payoffs = stage_payoffs(game)
    noise, perception = check_rate(noise, "noise"), check_rate(perception, "perception")
    delta = _check_discount(discount)
    one = bind_automaton(game, first, 0, cooperate=cooperate, defined=defined)
    two = bind_automaton(game, second, 1, cooperate=cooperate, defined=defined)
    chain = pair_chain(one, two, payoffs, noise, perception)
    run = long_run(chain)
    values = None if delta is None else tuple(v[0] for v in discounted_values(chain, delta))
    messages = []
    exact_inputs = _is_exact(noise, perception, discount) and game.arithmetic != "float"
    if not exact_inputs:
        messages.append("float inputs were read as their exact binary values; the arithmetic is exact from there")
    return NoisyPayoffs(players=tuple(game.players), automata=(one.name, two.name), noise=noise,
                        perception=perception, discount=delta, discounted=values, limit_of_means=run["values"],
                        states=chain.labels, frequencies=run["frequencies"], classes=len(run["classes"]),
                        exact=exact_inputs, messages=tuple(messages), parameters=dict(game.values or {}))


# ---------------------------------------------------------------------- best replies
def _reply_model(stage, opponent: Automaton, noise) -> dict:
    """``(state, intended action) -> (expected payoff, transition row)`` of the Markov decision problem."""
    n_own, size = len(opponent.observed), opponent.size
    model = {}
    for s in range(size):
        theirs = flip(opponent.play[s], noise)
        for a in range(n_own):
            mine = flip([1 if k == a else 0 for k in range(n_own)], noise)
            reward, row = 0, [0] * size
            for played, p in enumerate(mine):
                for b, q in enumerate(theirs):
                    weight = p * q
                    if weight == 0:
                        continue
                    reward += weight * stage[played][b]
                    row[opponent.transitions[s][b][played]] += weight
            model[s, a] = (reward, row)
    return model


def best_reply(stage, opponent: Automaton, noise, discount) -> tuple:
    """The optimal discounted value against ``opponent`` from each of its states, and a best policy.

    Policy iteration (Howard 1960; Puterman 1994, §6.4) in exact arithmetic: evaluate the policy by solving
    ``(I − δ P_σ) v = (1 − δ) r_σ``, switch each state to an action that does strictly better, stop when none
    does. ``stage[a][b]`` is the replying player's payoff when it plays ``a`` and the opponent ``b``; the
    opponent observes the action actually played (public monitoring).

    Returns
    -------
    (tuple of values, tuple of action indices)
    """
    if any(is_sympy(v) for v in (noise, discount)):
        raise NoisyRepetitionError("the best reply needs numeric ε and δ (use critical_discount_under_noise for "
                                   "formulas)")
    model = _reply_model(stage, opponent, noise)
    n_own, size = len(opponent.observed), opponent.size
    policy = [max(range(n_own), key=lambda a: model[s, a][0]) for s in range(size)]
    for _ in range(n_own ** size + 1):  # policy iteration never returns to a policy: this bound is never met
        system = [[(1 if i == j else 0) - discount * model[i, policy[i]][1][j] for j in range(size)]
                  for i in range(size)]
        values = solve_linear(system, [(1 - discount) * model[s, policy[s]][0] for s in range(size)])
        improved = False
        for s in range(size):
            q = [(1 - discount) * model[s, a][0] + discount * sum(p * v for p, v in zip(model[s, a][1], values))
                 for a in range(n_own)]
            best = max(range(n_own), key=lambda a: q[a])
            if q[best] > q[policy[s]]:
                policy[s], improved = best, True
        if not improved:
            return tuple(values), tuple(policy)
    raise NoisyRepetitionError("policy iteration did not end (internal error)")


def mirror_policy(opponent: Automaton, policy) -> Automaton:
    """A stationary policy on the opponent's states as an automaton that tracks them (public monitoring)."""
    own, other = opponent.observed, opponent.actions
    play = tuple(tuple(Fraction(1 if k == policy[s] else 0) for k in range(len(own))) for s in range(opponent.size))
    moves = tuple(tuple(tuple(opponent.transitions[s][b][a] for b in range(len(other))) for a in range(len(own)))
                  for s in range(opponent.size))
    name = "reply " + ", ".join(f"{own[policy[s]]} in {state}" for s, state in enumerate(opponent.states))
    return Automaton(name, own, other, opponent.states, play, moves, opponent.initial)


def all_policies(opponent: Automaton) -> list:
    """Every stationary deterministic policy on the opponent's states (bounded by MAX_DEVIATION_POLICIES)."""
    count = len(opponent.observed) ** opponent.size
    if count > MAX_DEVIATION_POLICIES:
        raise NoisyRepetitionError(f"{count} stationary policies against {opponent.name} exceed "
                                   f"MAX_DEVIATION_POLICIES = {MAX_DEVIATION_POLICIES}; compare with named automata")
    return [mirror_policy(opponent, p) for p in product(range(len(opponent.observed)), repeat=opponent.size)]


# ---------------------------------------------------------------------- equilibria of a set
def noisy_equilibria(game, automata=DEFAULT_AUTOMATA, *, noise=0, perception=0, discount=None, cooperate=None,
                     defined=()) -> NoisyEquilibria:
    """Which ordered pairs of automata are equilibria of the repeated game with errors at (δ, ε, ε').

    Each pair is checked against every automaton of ``automata`` (a player's payoff is at least what any of
    them earns against the other's automaton). Where monitoring is public (``perception = 0``) and ``discount``
    is given, it is also checked against all strategies: the best reply to an automaton is the optimal policy of
    a Markov decision problem on its states (:func:`best_reply`). Without ``discount`` the payoffs are the limits
    of the means.

    Examples
    --------
    >>> import negotiation as ng
    >>> pd = ng.Game.from_arrays([[3, 0], [4, 1]], [[3, 4], [0, 1]], strategies=(("C", "D"), ("C", "D")))
    >>> result = ng.noisy_equilibria(pd, ["ALLD", "GRIM", "TFT", "WSLS"], noise="1/100", discount="9/10")
    >>> [(p.first, p.second) for p in result.equilibria]
    [('ALLD', 'ALLD'), ('WSLS', 'WSLS')]
    """
    payoffs = stage_payoffs(game)
    names = [automata] if isinstance(automata, (str, Automaton)) else list(automata)
    if not 1 <= len(names) <= MAX_COMPARED_AUTOMATA:
        raise NoisyRepetitionError(f"automata: expected 1 to {MAX_COMPARED_AUTOMATA} automata "
                                   f"(MAX_COMPARED_AUTOMATA), found {len(names)}")
    noise, perception = check_rate(noise, "noise"), check_rate(perception, "perception")
    delta = _check_discount(discount)
    if any(is_sympy(v) for v in (noise, perception, delta)) or game.is_symbolic:
        raise NoisyRepetitionError("noisy_equilibria compares payoffs: give numbers for ε, ε', δ and the payoffs "
                                   "(critical_discount_under_noise takes a symbolic ε)")
    firsts = [bind_automaton(game, n, 0, cooperate=cooperate, defined=defined) for n in names]
    seconds = [bind_automaton(game, n, 1, cooperate=cooperate, defined=defined) for n in names]
    table = {}
    for i, one in enumerate(firsts):
        for j, two in enumerate(seconds):
            chain = pair_chain(one, two, payoffs, noise, perception)
            table[i, j] = (long_run(chain)["values"] if delta is None else
                           tuple(v[0] for v in discounted_values(chain, delta)))
    public = perception == 0 and delta is not None
    replies = {}
    if public:
        transposed = tuple(tuple(payoffs[1][a][b] for a in range(game.shape[0])) for b in range(game.shape[1]))
        for j, two in enumerate(seconds):
            replies[0, j] = best_reply(payoffs[0], two, noise, delta)[0][two.initial]
        for i, one in enumerate(firsts):
            replies[1, i] = best_reply(transposed, one, noise, delta)[0][one.initial]
    pairs = []
    for i, j in product(range(len(names)), repeat=2):
        values = table[i, j]
        against_set = (values[0] >= max(table[k, j][0] for k in range(len(names)))
                       and values[1] >= max(table[i, k][1] for k in range(len(names))))
        best = (replies[0, j], replies[1, i]) if public else None
        pairs.append(PairVerdict(firsts[i].name, seconds[j].name, tuple(simplify(v) for v in values), against_set,
                                 best, None if best is None else values[0] >= best[0] and values[1] >= best[1]))
    exact_inputs = _is_exact(noise, perception, delta) and game.arithmetic != "float"
    return NoisyEquilibria(players=tuple(game.players), automata=tuple(a.name for a in firsts), noise=noise,
                           perception=perception, discount=delta, pairs=tuple(pairs), all_strategies=public,
                           exact=exact_inputs, parameters=dict(game.values or {}),
                           messages=() if exact_inputs else ("float inputs were read as their exact binary values",))
