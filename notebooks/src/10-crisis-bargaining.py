# %% [markdown]
# # 10. Crisis bargaining and war: Fearon, Powell, Rubinstein
#
# **Learning goal.** You can explain why rational states should always be able to find a deal
# they both prefer to a costly war (Fearon's bargaining range), and the two rationalist
# reasons why they sometimes fight anyway: **private information** with incentives to bluff
# (the risk–return trade-off) and **commitment problems** under shifting power (Powell). You
# can also compute how patience divides the gains from a deal (Rubinstein's alternating offers).

# %% [markdown]
# ## The story
#
# James Fearon's "Rationalist Explanations for War" (*International Organization* 49(3), 1995;
# abstract and bargaining-range statement checked against the source) asks why war happens if
# it is costly for both sides: any war outcome could have been agreed in advance without the
# costs. His answer: private information plus incentives to misrepresent, and commitment
# problems (plus, rarely, indivisible issues). Robert Powell ("War as a Commitment Problem",
# *IO* 60(1), 2006; abstract checked) argues that large, rapid shifts in the distribution of
# power are the common core of preventive war and related puzzles.
#
# These ideas structure much of the debate about European security after 2014: the
# enlargement "red line" as a claimed shift in power, Russia's suspension (2007) and final
# withdrawal (7 November 2023) from the CFE Treaty (checked against the source) as the loss of
# a device that capped shifts in conventional forces, and uncertainty about resolve on both
# sides. The models below are stylised: shares of an abstract "good" (influence, security
# arrangements), probabilities and costs chosen for teaching.

# %%
import os
from fractions import Fraction
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from negotiation.bargaining import (bargaining_range, commitment_problem, risk_return_tradeoff,
                                    rubinstein, rubinstein_continuous_time)
from negotiation.report.figures import save_figure

FIGURES = Path(os.environ.get("NEGOTIATION_FIGURES") or "figures")


def show(figure):
    """Show a figure once below the cell (closed in pyplot, so that it is not drawn a second time)."""
    plt.close(plt.figure())  # load pyplot's display backend, which matplotlib loads only on first use
    plt.close(figure)
    return figure

# %% [markdown]
# ## Part A: the bargaining range (Fearon 1995)
#
# Two states divide a good; x is state A's share. War gives A the whole good with probability
# p and costs A c_A and B c_B (in utility units). So war is worth p − c_A to A and 1 − p − c_B to
# B, and every split x ∈ [p − c_A, p + c_B] is preferred by both to war.
#
# With p = 1/2, c_A = 1/10, c_B = 1/5: the range is **[2/5, 7/10]**, of width c_A + c_B = 3/10.
# Risk aversion widens it: with u(x) = √x for both, A is indifferent at √x = 2/5, x = 4/25, and B
# at √(1 − x) = 3/10, x = 1 − 9/100 = 91/100.

# %%
neutral = bargaining_range("1/2", "1/10", "1/5", players=("A", "B"))
print(neutral)
assert (neutral.low, neutral.high) == (Fraction(2, 5), Fraction(7, 10))
averse = bargaining_range("1/2", "1/10", "1/5", utility_exponents="1/2", players=("A", "B"))
assert (averse.low, averse.high) == (Fraction(4, 25), Fraction(91, 100))

# %%
x = np.linspace(0, 1, 401)
figure, axes = plt.subplots(figsize=(7, 4), layout="constrained")
axes.plot(x, x, color="tab:blue", label="A's utility of the deal, x")
axes.plot(x, 1 - x, color="tab:red", label="B's utility of the deal, 1 − x")
axes.axhline(0.5 - 0.1, color="tab:blue", linestyle="--", label="A's war value p − c_A")
axes.axhline(1 - 0.5 - 0.2, color="tab:red", linestyle="--", label="B's war value 1 − p − c_B")
axes.axvspan(float(neutral.low), float(neutral.high), color="tab:green", alpha=0.2, label="bargaining range")
axes.set_xlabel("A's share x")
axes.set_ylabel("utility")
axes.set_title("Fearon's bargaining range (p = 1/2, c_A = 1/10, c_B = 1/5)")
axes.legend(loc="upper left", bbox_to_anchor=(1.02, 1), frameon=False)
save_figure(figure, FIGURES / "10-bargaining-range")
show(figure)

# %% [markdown]
# ## Play: move the costs of war
#
# Part A as a bargaining scenario: one issue (A's share x), utilities x and 1 − x, no deal = war
# (p − c_A, 1 − p − c_B). `parse_scenario` reads a scenario written as text, in the format of the
# bundled files (models/README.md), so the explorer can show it.
#
# (The explorer needs `pip install -e '.[notebook]'`; when you release a slider it solves the
# model again and redraws its tables and figure.)
#
# **Predict, then move the slider.** The explorer starts at p = 1/2, c_A = 1/10, c_B = 1/5: the
# range [2/5, 7/10], and the Nash solution splits the surplus equally. Write down your prediction
# first: if war became cheap for B (c_B = 1/20), what would the range and the Nash split be? Then
# move c_B, and p.
#
# <details><summary>Answer</summary>
#
# The range is [p − c_A, p + c_B] = **[2/5, 11/20]**; the Nash solution gives each side half of
# the surplus c_A + c_B over its war value: x = p − c_A + (c_A + c_B)/2 = p + (c_B − c_A)/2 =
# **19/40**, down from 11/20. The side for whom war is cheaper gets more; moving p shifts the
# whole range one for one.
#
# </details>

# %%
from negotiation.report.explorer import explorer
from negotiation.scenario import parse_scenario

FEARON = """
schema = "negotiation.scenario/1"
id = "fearon_bargaining_range"
title = "Fearon's bargaining range: dividing a good instead of fighting over it"
kind = "bargaining"
description = '''
Two states divide a good of size 1; x is A's share. War gives A the whole good with
probability p and costs A c_A and B c_B, so war is worth p - c_A to A and 1 - p - c_B
to B (Fearon 1995). Every split with p - c_A <= x <= p + c_B is preferred by both to war.
'''
references = ["Fearon 1995"]
parties = ["A", "B"]

[parameters.p]
description = "probability that A wins a war"
default = "1/2"
range = [0, 1]
unit = "probability"
source = "illustrative (notebook 10, Part A)"
confidence = "assumption"

[parameters.c_A]
description = "A's cost of war"
default = "1/10"
range = [0, "1/2"]
unit = "share of the good"
source = "illustrative (notebook 10, Part A)"
confidence = "assumption"

[parameters.c_B]
description = "B's cost of war"
default = "1/5"
range = [0, "1/2"]
unit = "share of the good"
source = "illustrative (notebook 10, Part A)"
confidence = "assumption"

[issues.x]
label = "A's share of the good"
range = [0, 1]
unit = "share"
description = "what A gets; B gets 1 - x"
source = "Fearon 1995"
confidence = "toolkit"

[utilities]
A = "x"
B = "1 - x"

[disagreement]
A = "p - c_A"
B = "1 - p - c_B"
"""
fearon = parse_scenario(FEARON, source="fearon (notebook 10)")
app = explorer(fearon, values={"p": "1/2", "c_A": "1/10", "c_B": "1/5"})
app

# %% [answer]
cheap_for_b = bargaining_range("1/2", "1/10", "1/20", players=("A", "B"))
assert (cheap_for_b.low, cheap_for_b.high) == (Fraction(2, 5), Fraction(11, 20))
assert fearon.bargain({"c_B": "1/20"}).solutions["nash"].agreement.terms == {"x": Fraction(19, 40)}

# %% [markdown]
# ## Part B: private information and the risk–return trade-off
#
# Now A does not know B's cost of war: c_B is uniform on [0, c̄], known only to B. A makes a
# take-it-or-leave-it demand x; B accepts iff x ≤ p + c_B, so B fights with probability
# (x − p)/c̄. A's expected utility is
#
# U(x) = (1 − (x − p)/c̄)·x + ((x − p)/c̄)·(p − c_A).
#
# Setting U′(x) = 0 gives x* = p + (c̄ − c_A)/2 and Pr(war) = (c̄ − c_A)/(2c̄) when c_A < c̄
# ([@Fearon1995]: this closed form is a toolkit parametrisation of Fearon's verbal claim).
# With p = 1/2, c_A = 1/10, c̄ = 3/10: x* = 1/2 + 1/10 = **3/5** and Pr(war) = (2/10)/(6/10) = **1/3**.

# %%
tradeoff = risk_return_tradeoff("1/2", "1/10", "3/10")
print(tradeoff)
assert tradeoff.offer == Fraction(3, 5) and tradeoff.probability_of_war == Fraction(1, 3)

demands = np.linspace(0.5, 0.8, 301)
utility = (1 - (demands - 0.5) / 0.3) * demands + ((demands - 0.5) / 0.3) * (0.5 - 0.1)
best_demand = demands[np.argmax(utility)]
assert abs(best_demand - 0.6) < 1e-3          # a grid search agrees with x* = 3/5

costs = [Fraction(i, 20) for i in range(1, 13)]
war_risk = [risk_return_tradeoff("1/2", "1/10", c).probability_of_war for c in costs]
assert war_risk == [max(Fraction(0), (c - Fraction(1, 10)) / (2 * c)) for c in costs]

figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
left.plot(demands, utility)
left.axvline(0.6, color="grey", linestyle="--", label="x* = 3/5")
left.set_xlabel("A's demand x")
left.set_ylabel("A's expected utility")
left.set_title("Demanding more risks war")
left.legend()
right.plot([float(c) for c in costs], [float(w) for w in war_risk], "o-")
right.set_xlabel("uncertainty about B's cost, c̄")
right.set_ylabel("probability of war")
right.set_title("More uncertainty, more war")
save_figure(figure, FIGURES / "10-risk-return")
show(figure)

# %% [markdown]
# ## Part C: shifting power and the commitment problem (Powell 2006)
#
# Each period a flow of 1 is divided. A declining state S offers a rising state D a share or
# attacks; war is absorbing and locks in the current odds. D's probability of winning rises from
# p_now to p_next after this period. In our specialisation ([@Powell2006], toolkit
# parametrisation), with discount factor δ, war is unavoidable iff
#
# δ·p_next − p_now > c_S + δ·c_D.
#
# Example: δ = 9/10, p: 3/10 → 6/10, costs 1/10 each: 9/10 · 6/10 − 3/10 = **6/25 = 0.24** >
# 1/10 + 9/100 = **0.19**: war. The largest shift that keeps the peace is
# (c_S + δc_D + (1 − δ)p_now)/δ = (0.1 + 0.09 + 0.03)/0.9 = **11/45**; as δ → 1 it tends to
# c_S + c_D = **1/5**: the shift must not exceed the bargaining range.

# %%
shift = commitment_problem("3/10", "6/10", "1/10", "1/10", discount="9/10")
print(shift)
assert shift.war and shift.threshold_shift == Fraction(11, 45)
assert commitment_problem("3/10", "6/10", "1/10", "1/10").threshold_shift == Fraction(1, 5)

discounts = [Fraction(i, 20) for i in range(10, 20)]
thresholds = [commitment_problem("3/10", "3/10", "1/10", "1/10", discount=d).threshold_shift for d in discounts]
assert thresholds == [(Fraction(1, 10) + d * Fraction(1, 10) + (1 - d) * Fraction(3, 10)) / d for d in discounts]

figure, axes = plt.subplots(figsize=(7, 4), layout="constrained")
axes.plot([float(d) for d in discounts], [float(t) for t in thresholds], "o-", label="largest peaceful shift")
axes.axhline(0.2, color="grey", linestyle="--", label="limit c_S + c_D = 1/5")
axes.axhline(0.3, color="tab:red", linestyle=":", label="shift 3/10 (example)")
axes.set_xlabel("discount factor δ")
axes.set_ylabel("shift in D's odds p_next − p_now")
axes.set_title("Commitment problem: how large a power shift peace survives")
axes.legend()
save_figure(figure, FIGURES / "10-commitment-problem")
show(figure)

# %% [markdown]
# ## Part D: who gets what in a deal? Rubinstein's alternating offers
#
# The bargaining range says *that* a deal exists, not *which*. In Rubinstein's (1982) model
# the sides alternate offers and discount delay by δ_1, δ_2 per round. The unique subgame
# perfect equilibrium gives the first proposer (1 − δ_2)/(1 − δ_1δ_2), immediately.
#
# * δ_1 = 9/10, δ_2 = 4/5: (1/5)/(1 − 18/25) = (1/5)/(7/25) = **5/7** to the first proposer.
# * Equal δ = 9/10: 1/(1 + δ) = **10/19**.
# * With finitely many rounds (Ståhl), T = 2: 1 − δ_2 = 1/5; T = 3: 1 − δ_2(1 − δ_1) = 23/25;
#   as T grows the shares converge to 5/7 (the gap shrinks by the factor δ_1δ_2 = 18/25 every two rounds).
# * Frequent offers with discount rates r_1 = 1, r_2 = 2: the first party gets r_2/(r_1 + r_2) = **2/3**,
#   the Nash bargaining solution with weights inversely proportional to impatience.

# %%
infinite = rubinstein("9/10", "4/5", players=("A", "B"))
print(infinite)
assert infinite.shares == {"A": Fraction(5, 7), "B": Fraction(2, 7)}
assert rubinstein("9/10", "9/10").shares["Player 1"] == Fraction(10, 19)
assert rubinstein("9/10", "4/5", horizon=2).shares["Player 1"] == Fraction(1, 5)
assert rubinstein("9/10", "4/5", horizon=3).shares["Player 1"] == Fraction(23, 25)
assert rubinstein_continuous_time(1, 2).shares["Player 1"] == Fraction(2, 3)

horizons = list(range(1, 41))
finite = [rubinstein("9/10", "4/5", horizon=T).shares["Player 1"] for T in horizons]
figure, axes = plt.subplots(figsize=(7, 4), layout="constrained")
axes.plot(horizons, [float(s) for s in finite], "o-", label="finite horizon T (Ståhl)")
axes.axhline(5 / 7, color="grey", linestyle="--", label="infinite horizon 5/7")
axes.set_xlabel("number of rounds T")
axes.set_ylabel("first proposer's share")
axes.set_title("Alternating offers, δ_1 = 9/10, δ_2 = 4/5")
axes.legend()
save_figure(figure, FIGURES / "10-rubinstein")
assert abs(float(finite[-1]) - 5 / 7) < 0.01
show(figure)

# %% [markdown]
# ## Interpretation
#
# * War is never "rational" for both sides with complete information and credible commitments:
#   the bargaining range is always non-empty because war destroys value.
# * **Information**: a state unsure of the other's resolve rationally demands more and accepts
#   some risk of war. Transparency measures (exercise notifications, observation, hotlines)
#   narrow c̄ and lower the risk of war (Part B, right panel).
# * **Commitment**: if one side expects the balance to shift sharply (enlargement seen as a
#   power shift, or a rapid build-up), no promise about the future is credible, and preventive
#   war can be rational. Arms-control ceilings, a CFE-2, or buffer zones can be read as caps on
#   the shift Δp: keeping it below the threshold keeps peace possible.
# * **Patience is power** at the table: the less patient side (lower δ) gets less.
#
# **Assumptions.** Risk-neutral states unless stated; a single divisible good; uniform
# uncertainty in Part B; one discrete power shift in Part C (our specialisation of Powell, not
# his general model); complete information in Part D.

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** In Part B, what happens when A's own cost of war is at least c̄ (say c_A = 2/5)?
#
# <details><summary>Answer</summary>
#
# Then x* = p: A demands only what every type of B accepts, and the probability of war is **0**.
# A state for which war is very costly does not gamble. (Check: U′(p) = 1 − (p − (p − c_A))/c̄ =
# 1 − c_A/c̄ ≤ 0.)
#
# </details>

# %% [answer]
cautious = risk_return_tradeoff("1/2", "2/5", "3/10")
assert cautious.offer == Fraction(1, 2) and cautious.probability_of_war == 0

# %% [markdown]
# **Exercise 2.** In the commitment problem with δ = 9/10 and costs 1/10 each, the rising state's
# odds go from 3/10 to 1/2. Is war unavoidable? What if the costs of war double?
#
# <details><summary>Answer</summary>
#
# Shift 1/5 < 11/45 ≈ 0.244: **peace** is possible (9/10 · 1/2 − 3/10 = 0.15 < 0.19). Doubling the
# costs raises the threshold to (0.2 + 0.18 + 0.03)/0.9 = 41/90 ≈ 0.456: costlier war makes
# commitment problems rarer.
#
# </details>

# %% [answer]
assert not commitment_problem("3/10", "1/2", "1/10", "1/10", discount="9/10").war
assert commitment_problem("3/10", "1/2", "1/5", "1/5", discount="9/10").threshold_shift == Fraction(41, 90)

# %% [markdown]
# **Exercise 3.** Equal patience δ = 9/10, but the responder has an outside option worth 1/2
# (it can walk away after rejecting). What are the shares?
#
# <details><summary>Answer</summary>
#
# Without the option the responder gets δ/(1 + δ) = 9/19 < 1/2, so the option **binds**: the
# proposer must offer exactly 1/2 (outside-option principle). An option worth less than 9/19
# would change nothing: it is not a disagreement point.
#
# </details>

# %% [answer]
with_option = rubinstein("9/10", "9/10", players=("A", "B"), outside_options={"B": "1/2"})
assert with_option.shares == {"A": Fraction(1, 2), "B": Fraction(1, 2)}
assert rubinstein("9/10", "9/10", players=("A", "B"), outside_options={"B": "2/5"}).shares["B"] == Fraction(9, 19)
