"""Catalogue trees with published equilibria: finite alternating offers (Ståhl 1972; Rubinstein 1982)
and Selten's (1975) horse."""

from fractions import Fraction as F

from negotiation.models.tree import GameTree, decision, terminal
from negotiation.solvers.backward_induction import backward_induction
from negotiation.solvers.tree import solve_tree

PLAYERS = ("Proposer", "Responder")


def _grid(n):
    # offers (k + 1/2)/n, k = 0..n-1: no offer is worth exactly 0, so a responder's
    # "reject" (worth 0 in the last round) is never tied with "accept"
    return [F(2 * k + 1, 2 * n) for k in range(n)]


def alternating_offers(rounds, delta, n):
    """``rounds`` rounds; the Proposer offers in odd rounds, the Responder in even ones; the offer is
    the share of a pie of 1 given to the other side; payoffs in round t are discounted by
    delta[player]**(t-1); disagreement after the last round gives 0 to both."""
    def node(t):
        mover = (t - 1) % 2
        other = 1 - mover
        actions = {}
        for offer in _grid(n):
            shares = [None, None]
            shares[mover], shares[other] = 1 - offer, offer
            accept = terminal(*(delta[i] ** (t - 1) * shares[i] for i in range(2)))
            reject = node(t + 1) if t < rounds else terminal(0, 0)
            actions[f"offer {offer}"] = decision(PLAYERS[other], {"Accept": accept, "Reject": reject})
        return decision(PLAYERS[mover], actions)

    return GameTree.from_nested(PLAYERS, node(1), title=f"Alternating offers, {rounds} rounds")


def _smallest_offer_at_least(value, n):
    # the responder accepts an offer worth at least its continuation value (strictly more on this
    # grid, where no offer equals it), so the proposer offers the smallest such grid point
    return min(x for x in _grid(n) if x >= value)


def test_two_rounds_proposer_gets_one_minus_delta2():
    # Closed form (continuous offers): round 2 is an ultimatum, the Responder keeps the pie,
    # worth delta2 today; so the Proposer offers delta2 and keeps 1 - delta2.
    delta, n = (F(1, 2), F(2, 3)), 24
    result = backward_induction(alternating_offers(2, delta, n))
    assert result.exact and len(result) == 1
    (equilibrium,) = result
    # On the grid, by hand: round 2 offers the smallest share 1/(2n) to the Proposer; the Responder's
    # continuation is delta2 * (1 - 1/(2n)); round 1 offers the smallest grid point above it.
    continuation = delta[1] * (1 - F(1, 2 * n))
    offer = _smallest_offer_at_least(continuation, n)
    assert equilibrium.payoffs == (1 - offer, offer)
    assert equilibrium.path == (f"offer {offer}", "Accept")
    assert abs(equilibrium.payoffs[0] - (1 - delta[1])) <= F(1, n)


def test_three_rounds_proposer_gets_one_minus_delta2_times_one_minus_delta1():
    # Closed form: 1 - delta2 * (1 - delta1) (Rubinstein 1982, finite horizon; domain.md §M7).
    delta, n = (F(3, 4), F(1, 2)), 12
    result = solve_tree(alternating_offers(3, delta, n))
    (equilibrium,) = result
    # On the grid, by hand from the last round backwards:
    round3_responder = F(1, 2 * n)                                    # Proposer offers the least in round 3
    proposer_at_3 = delta[0] ** 2 * (1 - round3_responder)            # the Proposer's value, in round-1 units
    offer2 = _smallest_offer_at_least(proposer_at_3 / delta[0], n)  # Responder's round-2 offer to the Proposer
    responder_at_2 = delta[1] * (1 - offer2)
    offer1 = _smallest_offer_at_least(responder_at_2, n)
    assert equilibrium.payoffs == (1 - offer1, offer1)
    closed_form = 1 - delta[1] * (1 - delta[0])
    assert abs(equilibrium.payoffs[0] - closed_form) <= F(2, n)


def selten_horse():
    """Selten (1975), the horse: player 3 cannot tell whether 1 went Down or 1 went Across and 2 Down."""
    return GameTree.from_nested(("1", "2", "3"), decision("1", {
        "Across": decision("2", {
            "Across": terminal(1, 1, 1),
            "Down": decision("3", {"Left": terminal(4, 4, 0), "Right": terminal(0, 0, 1)}, information_set="3"),
        }),
        "Down": decision("3", {"Left": terminal(3, 3, 2), "Right": terminal(0, 0, 0)}, information_set="3"),
    }), title="Selten's horse")


def test_selten_horse_pure_equilibria():
    # Nash equilibria (Selten 1975; Fudenberg & Tirole 1991, §8.3): the component
    # {(Down, q ≥ 1/3 Across, Left)} with payoffs (3, 3, 2) and the component
    # {(Across, Across, p ≤ 1/4 Left)} with payoffs (1, 1, 1). By hand, the pure ones:
    # (Down, Across, Left): 1 gets 3 ≥ 1 from Across; 2 unreached; 3 reached after Down: Left 2 > 0.
    # (Across, Across, Right): 1 gets 1 ≥ 0 from Down; 2 gets 1 ≥ 0 from Down; 3 unreached.
    # (Down, Down, Left) fails: 1 would get 4 from Across. (Across, Across, Left) fails: 2 gets 4 from Down.
    result = solve_tree(selten_horse(), method="enumerate_pure")
    found = {(eq.profile.choice("1", "root"), eq.profile.choice("2", "Across"), eq.profile.choice("3", "3"),
              eq.payoffs) for eq in result}
    assert found == {("Down", "Across", "Left", (F(3), F(3), F(2))),
                     ("Across", "Across", "Right", (F(1), F(1), F(1)))}


def test_selten_horse_components_are_found_by_the_n_player_solver():
    # The two Nash components (hand-derived above) are continua: (Down, q ≥ 1/3 Across, Left) and
    # (Across, Across, p ≤ 1/4 Left); the exact n-player support enumeration lists their pure vertices
    # and reports a non-isolated component on exactly those supports.
    import negotiation as ng

    result = ng.solve(selten_horse().to_strategic_form(), method="support_enumeration_polynomial")
    assert not result.complete
    assert {eq.profile.describe() for eq in result} == {"1: Across; 2: Across; 3: Right",
                                                        "1: Down; 2: Across; 3: Left"}
    supports = " | ".join(result.messages)
    assert "(1: Across; 2: Across; 3: Left, Right)" in supports
    assert "(1: Down; 2: Across, Down; 3: Left)" in supports
