"""Finitely repeated games: backward induction with a unique stage equilibrium, the reward/punishment
construction of Benoît & Krishna (1985) with several.

With a unique stage equilibrium, backward induction gives a unique subgame-perfect equilibrium that
plays it in every round. With several, a pure target can be played in the early rounds: a pure stage
equilibrium rewards in the last rounds, and a deviator gets its worst pure stage equilibrium in every
remaining round.
"""

from __future__ import annotations

import numpy as np

from negotiation.results.finite_repetition import FiniteRepetitionResult, FiniteTarget
from negotiation.results.repeated import RepeatedGameError, number_text
from negotiation.solvers.methods import solve_game
from negotiation.solvers.pure import pure_equilibrium_mask
from negotiation.solvers.trigger_strategies import check_discount, labels_of, profile_position, require_numeric

__all__ = ["finitely_repeated"]

TOLERANCE = 1e-7


def partial_sum(delta, count):
    """``1 + δ + … + δ^(count-1)`` (``count`` when δ = 1)."""
    if delta == 1:
        return count * delta
    return (1 - delta ** count) / (1 - delta)


def _best_other_payoffs(game, position) -> list:
    """Each player's best payoff from a strategy other than its own in ``position`` (``None``: it has no other)."""
    best = []
    for i in range(game.n_players):
        if game.shape[i] == 1:
            best.append(None)
            continue
        u = game.payoff_array(i)
        best.append(max(u[position[:i] + (k,) + position[i + 1:]] for k in range(game.shape[i]) if k != position[i]))
    return best


def _incentives(game, position, best_other, punish, reward, rounds, final, delta, *, number=None, describe=False):
    """Each player's incentive condition with ``final`` reward rounds: ``None`` if one fails, else the
    conditions as text (if ``describe``).

    Player ``i`` deviating with ``j`` target rounds still to come after the deviation round
    (``K = rounds − final`` target rounds) gains ``d_i − v_i`` once and loses

        (v_i − p_i)·S(j) + δ^j (r_i − p_i)·S(final),   S(m) = δ + … + δ^m,

    where ``d_i`` is its best payoff from another strategy, ``r_i`` its reward and ``p_i`` its
    punishment payoff. The loss equals ``c − δ^j (c − (r_i − p_i) S(final))`` with
    ``c = (v_i − p_i) δ/(1 − δ)`` for δ < 1, and is linear in ``j`` for δ = 1, so it is monotone in
    ``j``: checking ``j = 0`` (the last target round) and ``j = K − 1`` (round 1) checks every round.
    ``number`` (e.g. ``float``) evaluates with a tolerance, for screening.
    """
    d = delta if number is None else number(delta)
    target_rounds = rounds - final
    v = game.payoffs[position]

    def S(m):  # δ + … + δ^m
        return partial_sum(d, m + 1) - 1

    texts = []
    for i, player in enumerate(game.players):
        if best_other[i] is None:
            continue
        values = (best_other[i], v[i], game.payoffs[punish[i]][i], game.payoffs[reward][i])
        best, own, p, r = values if number is None else (number(x) for x in values)
        gain = best - own
        losses = [((own - p) * S(j) + d ** j * (r - p) * S(final), target_rounds - j) for j in {0, target_rounds - 1}]
        loss, when = min(losses, key=lambda item: item[0])
        if gain > loss + (0 if number is None else TOLERANCE * (1 + abs(loss))):
            return None
        if describe:
            texts.append(
                f"{player}: one-round gain {number_text(best)} − {number_text(own)} = {number_text(gain)} ≤ "
                f"{number_text(loss)} = future loss when deviating in round {when} (punishment payoff "
                f"{number_text(p)} instead of {number_text(own)} in later target rounds and of {number_text(r)} "
                f"in the last {final})")
    return tuple(texts)


def _sustain(game, position, equilibria, rounds, delta) -> FiniteTarget:
    """Benoît–Krishna reward/punishment construction for one pure target (see :func:`_incentives`): the
    smallest number of final reward rounds that deters every deviation, with the reward that pays most."""
    labels = labels_of(game, position)
    v = tuple(game.payoffs[position])
    if not equilibria:
        return FiniteTarget(profile=labels, payoffs=v, sustainable=False,
                            reason="the stage game has no pure equilibrium to reward or punish with")
    best_other = _best_other_payoffs(game, position)
    punish = {i: min(equilibria, key=lambda e: game.payoffs[e][i]) for i in range(game.n_players)}
    punishments = {game.players[i]: labels_of(game, e) for i, e in punish.items()}
    plain = float if not game.is_exact or isinstance(delta, float) else (lambda x: x)
    # Exact games: screen every number of final rounds in floating point (with a tolerance, so no candidate
    # is lost), then decide the candidates exactly, fewest final rounds first.
    screen = float if game.is_exact else None
    for final in range(1, rounds):
        target_rounds = rounds - final

        def check(reward, **options):
            return _incentives(game, position, best_other, punish, reward, rounds, final, delta, **options)

        if screen is not None and all(check(r, number=screen) is None for r in equilibria):
            continue
        found = [(tuple(plain(v[i] * partial_sum(delta, target_rounds) + delta ** target_rounds
                              * game.payoffs[reward][i] * partial_sum(delta, final)) for i in range(game.n_players)),
                  reward) for reward in equilibria if check(reward) is not None]
        if found:
            totals, reward = max(found, key=lambda item: sum(item[0]))
            return FiniteTarget(profile=labels, payoffs=v, sustainable=True, target_rounds=target_rounds,
                                equilibrium_rounds=final, reward=labels_of(game, reward), punishments=punishments,
                                conditions=check(reward, describe=True), total_payoffs=totals)
    return FiniteTarget(profile=labels, payoffs=v, sustainable=False, punishments=punishments,
                        reason=_why_not(rounds, equilibria, delta))


def _why_not(rounds, equilibria, delta) -> str:
    if rounds == 1:
        return "a one-round game: only stage equilibria are subgame perfect"
    if len(equilibria) < 2:
        return "needs two pure stage equilibria (a reward and a punishment); the stage game has fewer"
    return (f"no reward/punishment pair of pure stage equilibria deters every deviation within "
            f"{rounds} rounds at δ = {number_text(delta)}")


def _check_rounds(rounds) -> int:
    if isinstance(rounds, bool) or not isinstance(rounds, (int, np.integer)) or rounds < 1:
        raise RepeatedGameError(f"rounds: expected a whole number of rounds ≥ 1, got {rounds!r}")
    return int(rounds)


def _uniqueness_messages(unique, rounds) -> tuple[str, list]:
    """The method and what it states, given whether the stage equilibrium is unique (``None``: unknown)."""
    if unique:
        return "backward induction", [
            "the stage game has a unique Nash equilibrium, so by backward induction the unique subgame-perfect "
            f"equilibrium of the {rounds}-round game plays it in every round, whatever happened before "
            "(Selten 1965; e.g. Gibbons 1992, §2.3.A); totals are sums of δ^(t−1) × stage payoff"]
    method = "reward/punishment construction (Benoît & Krishna 1985)"
    if unique is None:
        return method, [
            "uniqueness of the stage equilibrium is not established: mixed equilibria of games with three "
            "or more players are not enumerated; repeating any stage equilibrium in every round is "
            "subgame perfect"]
    return method, ["the stage game has several equilibria; repeating any of them in every round is "
                    "subgame perfect, and other profiles can be sustained in early rounds by rewarding "
                    "with one stage equilibrium and punishing with another in the last rounds"]


def _target(game, position, equilibria, unique, rounds, delta) -> FiniteTarget:
    """What finite repetition can do with one pure target."""
    labels, v = labels_of(game, position), tuple(game.payoffs[position])
    if position in equilibria:
        return FiniteTarget(
            profile=labels, payoffs=v, sustainable=True, target_rounds=rounds, equilibrium_rounds=0, reward=labels,
            total_payoffs=tuple(x * partial_sum(delta, rounds) for x in v),
            conditions=("a stage equilibrium: playing it in every round is subgame perfect",))
    if unique:
        return FiniteTarget(profile=labels, payoffs=v, sustainable=False,
                            reason="the stage game has a unique equilibrium: the unique subgame-perfect equilibrium "
                                   "plays it in every round")
    return _sustain(game, position, equilibria, rounds, delta)


def finitely_repeated(game, rounds, discount=1, *, target=None) -> FiniteRepetitionResult:
    """Subgame-perfect play of the stage game repeated a known, finite number of rounds.

    * If the stage game has a unique Nash equilibrium (complete enumeration by
      :func:`negotiation.solve`), backward induction gives a unique
      subgame-perfect equilibrium: that equilibrium in every round, whatever
      happened before; total payoffs are exact (Selten 1965; e.g. Gibbons 1992, §2.3.A).
    * If it has several, the reward/punishment construction of Benoît & Krishna
      (1985) is applied to each non-equilibrium pure target (or to ``target``):
      play the target in rounds ``1 … K``, then a pure stage equilibrium
      (reward) in the last ``L = rounds − K`` rounds; a deviator in the target
      phase is punished with its worst pure stage equilibrium in every
      remaining round. The smallest ``L`` whose exact incentive inequalities
      hold (see :class:`~negotiation.results.finite_repetition.FiniteTarget`) is reported,
      i.e. the earliest round from which play switches to stage equilibria.

    Covered: pure targets, pure stage equilibria as rewards and punishments;
    two players with complete enumeration (the incentive check itself holds for
    any number of players, but with three or more only pure stage equilibria are
    enumerated). Not covered: mixed targets, mixed equilibria as rewards or
    punishments, paths mixing several targets, the full set of
    subgame-perfect payoffs and the limit folk theorem as rounds → ∞.

    Parameters
    ----------
    game : Game
        Numeric stage game.
    rounds : int
        Number of rounds, at least 1.
    discount : number
        Weight δ in (0, 1] of each later round (1: payoffs are plain sums).
    target : sequence of str, optional
        One pure profile to analyse (default: every non-equilibrium pure profile
        when the stage game has several equilibria).

    Returns
    -------
    FiniteRepetitionResult

    Examples
    --------
    >>> import negotiation as ng
    >>> pd = ng.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("A", "B"),
    ...     strategies=(("C", "D"), ("C", "D")))
    >>> result = ng.finitely_repeated(pd, 10)
    >>> result.unique, result.equilibrium.profile.describe(), result.total_payoffs
    (True, 'A: D; B: D', (Fraction(10, 1), Fraction(10, 1)))
    """
    require_numeric(game, "finitely_repeated")
    rounds = _check_rounds(rounds)
    delta = check_discount(discount, finite=True)
    stage = solve_game(game)
    equilibria = [tuple(int(k) for k in p) for p in np.argwhere(pure_equilibrium_mask(game))]
    if stage.complete:
        unique = len(stage.equilibria) == 1
    else:
        unique = False if len(equilibria) > 1 else None
    method, messages = _uniqueness_messages(unique, rounds)
    equilibrium = totals = None
    if unique:
        equilibrium = stage.equilibria[0]
        totals = tuple(u * partial_sum(delta, rounds) for u in equilibrium.payoffs)
    if target is not None:
        positions = [profile_position(game, target)]
    elif unique:
        positions = []
    else:
        nash = set(equilibria)
        positions = [p for p in np.ndindex(*game.shape) if p not in nash]
    targets = tuple(_target(game, position, equilibria, unique, rounds, delta) for position in positions)
    if not unique:
        messages.append(
            "covered: pure targets; rewards and punishments are pure stage equilibria (a deviator gets its worst "
            "one in every remaining round); two players with complete equilibrium enumeration. Not covered: "
            "mixed targets or mixed equilibria as rewards/punishments, paths that alternate several targets, "
            "the full set of subgame-perfect payoffs, and the limit folk theorem as rounds grow "
            "(Benoît & Krishna 1985 need full dimensionality there)")
    return FiniteRepetitionResult(
        game=game, rounds=rounds, discount=delta, exact=game.is_exact and not isinstance(delta, float),
        stage_equilibria=stage, unique=unique, equilibrium=equilibrium, total_payoffs=totals, targets=targets,
        method=method, messages=tuple(messages))
