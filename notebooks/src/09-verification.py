# %% [markdown]
# # 9. Verification and inspection games
#
# **Learning goal.** You can model verification of an arms-control rule as an inspection
# game, derive its mixed equilibrium by the indifference conditions, explain the *paradox of
# inspection* (penalties change how often inspectors must inspect, not how often states
# cheat), and compute how a yearly inspection quota, such as the Vienna Document's three
# inspections, deters violations over a calendar (Dresher's recursive game).

# %% [markdown]
# ## The story
#
# The Vienna Document 2011 (OSCE) requires prior notification of military activities above
# 9,000 troops (figure from secondary sources: US and Estonian officials) and observation
# above 13,000 (secondary sources on Zapad-2017). Each participating state must accept at most
# three inspections a year (**not verified** against the text; indirectly corroborated by the
# Russian MoD's statement in March 2014 that all inspection quotas on its territory for that
# year were exhausted). Zapad-2017 was declared at 12,700 troops, just under the observation
# threshold, while Western estimates ran far higher: the classic "threshold gaming" worry.
#
# Verification is strategic. An inspector cannot inspect everything; a state tempted to hide
# an activity knows this. Neither side should be predictable, so equilibrium behaviour is
# **mixed**: inspect sometimes, cheat sometimes.
#
# **Model** (bundled `vienna_document_inspection`; Avenhaus, von Stengel and Zamir 2002;
# imperfect detection as in [@AvenhausVonStengelZamir2002], a toolkit parametrisation). The exercising state
# notifies (complies) or conceals; the inspecting states inspect or not; an inspection detects
# concealment with probability q. Payoffs (exercising, inspecting):
#
# | | Inspect | Do not inspect |
# | --- | --- | --- |
# | Notify | 0, −e | 0, 0 |
# | Conceal | −qb + (1 − q)d, −qa − (1 − q)(c + e) | d, −c |
#
# d: gain from an undetected violation (1); b: penalty when caught (2); e: cost of an inspection
# (1/10); c: inspectors' loss from an undetected violation (2); a: their loss from a detected one
# (1); q = 4/5. All magnitudes are illustrative assumptions.

# %%
import os
from fractions import Fraction
from math import comb
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import negotiation as ng
from negotiation.report.figures import save_figure

FIGURES = Path(os.environ.get("NEGOTIATION_FIGURES") or "figures")


def show(figure):
    """Show a figure once below the cell (closed in pyplot, so that it is not drawn a second time)."""
    plt.close(plt.figure())  # load pyplot's display backend, which matplotlib loads only on first use
    plt.close(figure)
    return figure


inspection = ng.load("vienna_document_inspection")
one_shot = inspection.solve()
print(one_shot)

# %% [markdown]
# ## The equilibrium by hand
#
# *The inspectors' probability r of inspecting* makes the exercising state indifferent:
# concealing gives r(−qb + (1 − q)d) + (1 − r)d = d − rq(b + d), notifying 0, so
# r = d/(q(d + b)) = 1/((4/5) · 3) = **5/12**.
#
# *The exercising state's probability x of concealing* makes the inspectors indifferent:
# inspecting costs −e + x(e − qa − (1 − q)(c + e)), not inspecting −xc; equal when
# x = e/(q(c − a + e)) = (1/10)/((4/5)(11/10)) = **5/44**. The inspectors then expect
# −xc = **−5/22**.

# %%
equilibrium = one_shot[0]
assert len(one_shot) == 1 and one_shot.exact and one_shot.complete
assert equilibrium["Inspecting states"]["Inspect"] == Fraction(5, 12)
assert equilibrium["Exercising state"]["Conceal"] == Fraction(5, 44)
assert equilibrium.payoff("Inspecting states") == Fraction(-5, 22)

# %% [markdown]
# ## The paradox of inspection
#
# Look at the formulas again: the penalty b appears only in r, the inspectors' probability,
# and not in x, the probability of concealment (Tsebelis 1989). Harsher penalties let the
# inspectors inspect less; they do not make cheating rarer. We solve the game for b = 1, …, 10.

# %%
penalties = list(range(1, 11))
solved = [inspection.solve({"b": b})[0] for b in penalties]
inspect = [e["Inspecting states"]["Inspect"] for e in solved]
conceal = [e["Exercising state"]["Conceal"] for e in solved]
assert all(x == Fraction(5, 44) for x in conceal)
assert inspect == [Fraction(1) / (Fraction(4, 5) * (1 + b)) for b in penalties]

figure, axes = plt.subplots(figsize=(7, 4), layout="constrained")
axes.plot(penalties, [float(r) for r in inspect], "o-", label="Pr(inspect) = d/(q(d + b))")
axes.plot(penalties, [float(x) for x in conceal], "s-", label="Pr(conceal) = e/(q(c − a + e))")
axes.set_xlabel("penalty b when a concealed activity is caught")
axes.set_ylabel("equilibrium probability")
axes.set_title("The paradox of inspection")
axes.legend()
save_figure(figure, FIGURES / "09-paradox-of-inspection")
show(figure)

# %% [markdown]
# **When detection is too weak.** If q < d/(d + b) = 1/3, even certain inspection cannot
# deter: concealing gives −qb + (1 − q)d = 1 − 3q > 0 against 0 from notifying, so concealment
# is dominant.

# %%
weak = inspection.solve({"q": "1/4"})
print(weak)
assert [e["Exercising state"]["Conceal"] for e in weak] == [1]

# %% [markdown]
# ## Play: the paradox with sliders
#
# (The explorer needs `pip install -e '.[notebook]'`; when you release a slider it solves the
# model again and redraws its tables and figure.)
#
# The map is penalty b × detection probability q, coloured by the set of equilibria.
#
# **Predict, then move the slider.** At the defaults the inspectors inspect with probability 5/12
# and the exercising state conceals with probability 5/44. Write down your prediction first: if
# the penalty b doubles from 2 to 4, what are the two probabilities? Then move b. Finally lower q:
# where on the map does concealment become dominant?
#
# <details><summary>Answer</summary>
#
# Pr(inspect) = d/(q(d + b)) = 1/((4/5) · 5) = **1/4** (down from 5/12); Pr(conceal) =
# e/(q(c − a + e)) stays **5/44**: b is not in it. Concealment is dominant below q = d/(d + b), the
# curve q = 1/(1 + b) on the map (1/3 at b = 2, 1/5 at b = 4).
#
# </details>

# %%
from negotiation.report.explorer import explorer

app = explorer("vienna_document_inspection", values={"b": 2}, map_axes=("b", "q"))
app

# %% [answer]
harsher = inspection.solve({"b": 4})[0]
assert harsher["Inspecting states"]["Inspect"] == Fraction(1, 4)
assert harsher["Exercising state"]["Conceal"] == Fraction(5, 44)
assert [e["Exercising state"]["Conceal"] for e in inspection.solve({"b": 4, "q": "19/100"})] == [1]

# %% [markdown]
# ## Bounded rationality: the logit quantal response equilibrium
#
# The paradox rests on perfectly calibrated mixing. In a *logit quantal response equilibrium*
# (McKelvey and Palfrey 1995) players choose better actions more often but not always; the
# precision λ says how sharply. `logit_qre(game, λ)` traces the principal branch. We check
# the result independently: at a QRE each player's probabilities must equal the logit
# choice probabilities exp(λu)/Σexp(λu) given the other's mix.

# %%
from negotiation.solvers.quantal_response import logit_qre


def qre_conceal(b, precision):
    game = inspection.game_at({"b": b}).to_float()
    profile = logit_qre(game, precision)[0].profile
    x = profile["Exercising state"]["Conceal"]
    r = profile["Inspecting states"]["Inspect"]
    # independent check of the logit fixed point for the exercising state
    A = game.payoff_array("Exercising state").astype(float)
    utilities = A @ np.array([r, 1 - r])
    logit = np.exp(precision * utilities) / np.exp(precision * utilities).sum()
    assert abs(logit[1] - x) < 1e-6
    return x


noisy = [qre_conceal(b, 2.0) for b in (1, 2, 5, 10)]
print("Pr(conceal) at λ = 2 for b = 1, 2, 5, 10:", [round(x, 3) for x in noisy])
assert all(later < earlier for earlier, later in zip(noisy, noisy[1:]))
assert abs(qre_conceal(2, 1000.0) - 5 / 44) < 0.005

# %% [markdown]
# With noisy decision makers (λ = 2), harsher penalties *do* reduce concealment; as λ grows,
# behaviour approaches the Nash equilibrium and the paradox returns (at λ = 1000 concealment is
# within 0.005 of 5/44).

# %% [markdown]
# ## A year of inspections: Dresher's recursive game
#
# Over a year of n = 12 months the inspectors have m = 3 inspections; the state may violate
# once, in any month, and sees how many inspections are left. With gain = penalty = 1 and
# perfect detection, Dresher (1962) gave the value to the violator in closed form:
#
# v(n, m) = C(n − 1, m) / Σ_{i ≤ m} C(n, i) = C(11, 3)/(1 + 12 + 66 + 220) = **165/299**.
#
# `inspection.analyses()` solves the scenario's `[inspection]` table (gain 1, penalty 2,
# detection 4/5 by default); `recursive_inspection` solves any calendar directly.

# %%
year = inspection.analyses()["recursive_inspection"]
print(year)
dresher = ng.recursive_inspection(12, 3, gain=1, penalty=1, detection=1)
assert dresher.value == Fraction(comb(11, 3), sum(comb(12, i) for i in range(4))) == Fraction(165, 299)
assert inspection.analyses({"b": 1, "q": 1})["recursive_inspection"].value == Fraction(165, 299)

# %%
quotas = list(range(0, 7))
values = [ng.recursive_inspection(12, m, gain=1, penalty=2, detection=Fraction(4, 5)).value for m in quotas]
dresher_values = [Fraction(comb(11, m), sum(comb(12, i) for i in range(m + 1))) for m in quotas]
figure, axes = plt.subplots(figsize=(7, 4), layout="constrained")
axes.plot(quotas, [float(v) for v in values], "o-", label="penalty 2, detection 4/5 (scenario)")
axes.plot(quotas, [float(v) for v in dresher_values], "s--", label="Dresher: penalty 1, detection 1")
axes.axvline(3, color="grey", linestyle=":", label="Vienna Document quota (3 a year)")
axes.set_xlabel("inspections per year")
axes.set_ylabel("violator's equilibrium value")
axes.set_title("How much a yearly quota deters (12 months)")
axes.legend()
save_figure(figure, FIGURES / "09-inspection-quota")
assert values[0] == 1 and all(later < earlier for earlier, later in zip(values, values[1:]))
show(figure)

# %% [markdown]
# ## Interpretation
#
# * Inspections deter only probabilistically; in equilibrium some violations happen and some
#   inspections find nothing. "Inspections found nothing" is not evidence that they are useless.
# * The paradox of inspection suggests a policy lesson for the Vienna Document debate: raising
#   penalties (or the political cost of being caught) mainly saves inspections; to reduce
#   cheating, make inspections cheaper (e) or the inspectors care more about missing a
#   violation (c), or improve detection (q).
# * A quota of three inspections a year over twelve months leaves the violator about half the
#   value of an undetected violation (6875/14111 ≈ 0.49 with the scenario's numbers): a modest
#   deterrent. Each additional inspection helps, with diminishing returns.
#
# **Assumptions.** One violation at most; the inspectee observes the remaining quota;
# zero-sum stage games in the recursion; illustrative magnitudes.

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** Halve the cost of an inspection (e = 1/20). What happens to the probability of
# concealment and to the probability of inspection?
#
# <details><summary>Answer</summary>
#
# x = e/(q(c − a + e)) = (1/20)/((4/5)(21/20)) = **5/84**: concealment falls by about half. The
# inspection probability r = d/(q(d + b)) = 5/12 is unchanged: now the inspectors' costs matter
# for the state's behaviour, the mirror image of the paradox.
#
# </details>

# %% [answer]
cheaper = inspection.solve({"e": "1/20"})[0]
assert cheaper["Exercising state"]["Conceal"] == Fraction(5, 84)
assert cheaper["Inspecting states"]["Inspect"] == Fraction(5, 12)

# %% [markdown]
# **Exercise 2.** Dresher's game with 2 months and 1 inspection: compute the value and the
# first-month probabilities by hand, then check with `recursive_inspection(2, 1)`.
#
# <details><summary>Answer</summary>
#
# Last month: with no inspection left the violator violates and gets 1; with one left it is
# caught for sure, so it waits (0). First month, violator's payoffs (rows: violate, wait;
# columns: inspect, do not):
#
# | | inspect | do not inspect |
# | --- | --- | --- |
# | violate | −1 | 1 |
# | wait | 1 (quota used up) | 0 (one inspection left) |
#
# With inspection probability r: violate 1 − 2r, wait r ⇒ **r = 1/3** and value **1/3**
# (= C(1, 1)/(1 + 2)). With violation probability y the columns give 1 − 2y and y ⇒
# **y = 1/3**. Over the two months a violation happens with probability
# 1/3 + (2/3)·(1/3) = **5/9** (wait, then violate in month 2 if the inspection was spent).
#
# </details>

# %% [answer]
small = ng.recursive_inspection(2, 1)
print(small)
start = small.state()
assert small.value == Fraction(1, 3) and start.inspect == Fraction(1, 3) and start.violate == Fraction(1, 3)
assert small.violation_probability() == Fraction(5, 9)

# %% [markdown]
# **Exercise 3.** How many inspections a year would push the violator's value (scenario numbers)
# below 1/4?
#
# <details><summary>Answer</summary>
#
# Read it off the list `values` computed above (quota 0 to 6): the first quota with a value
# below 1/4 is printed by the hidden cell.
#
# </details>

# %% [answer]
needed = next(m for m, v in zip(quotas, values) if v < Fraction(1, 4))
print(f"{needed} inspections a year: value {values[needed]} ≈ {float(values[needed]):.3f}")
assert values[needed] < Fraction(1, 4) <= values[needed - 1]
