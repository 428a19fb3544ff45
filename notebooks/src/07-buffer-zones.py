# %% [markdown]
# # 7. Buffer zones
#
# **Learning goal.** You can treat a demilitarised zone as a bargaining problem over two
# continuous issues (how far each side pulls back), compute the zone of possible agreement and
# the Nash, Kalai–Smorodinsky, egalitarian and utilitarian solutions, check one of them
# against a closed form, and explain how verification and the cost of withdrawal shape the
# zone.

# %% [markdown]
# ## The story
#
# Among the proposals of the 2021 debate, Andrey Kortunov suggested a buffer zone along the
# NATO–Russia line of contact, together with reviving the NATO–Russia Council and Open Skies
# [@Kortunov2021]. Buffer zones have a mixed record: Atzili and Kim (2023, *International
# Affairs*; abstract checked against the source) distinguish nominal from active buffers;
# Fortna's work on ceasefires finds that demilitarised zones help agreements last
# (details unverified). Two features matter for NATO and Russia:
#
# * **asymmetric depth**: the Baltic states are 200–300 km wide, so every kilometre NATO pulls
#   back is expensive; Russia has depth behind its Western Military District;
# * **verification**: each side believes the other's withdrawal only as far as it can see it.
#   The Open Skies Treaty gave Russia–Belarus and the US passive quotas of 42 observation
#   flights a year (checked against the source). Both the US and Russia later left the treaty
#   (2020 and 2021; general knowledge, not checked against a source here).
#
# **Model** (bundled `buffer_zone`, a toolkit parametrisation of the proposal of [@Kortunov2021], not from the
# literature). NATO withdraws z_NATO km, Russia z_Russia km. The risk that an incident escalates
# falls exponentially with the *effective* depth, own withdrawal plus the verified share ν of the
# other's:
#
# u_NATO = −L·p0·exp(−(z_NATO + ν·z_Russia)/s) − κ_NATO·z_NATO (and symmetrically for Russia),
# with ν = 1 − (1 − detect)^flights.
#
# Defaults (all illustrative): p0 = 1/10, depth scale s = 30 km, L = 100, κ_NATO = 1/2,
# κ_Russia = 1/5 per km, 12 flights, each detecting a violation with probability 1/10.
#
# **No deal is not "no zone".** Without a treaty each side still picks its own depth, and a side
# whose depth is cheap withdraws some way on its own. The no-deal point is the *unilateral
# equilibrium* of this withdrawal game. By hand: a side pulls back until a kilometre more removes
# less risk than it costs, (L·p0/s)·e^(−(own + ν·other)/s) = κ. For NATO, L·p0/s = 1/3 < 1/2
# already at z = 0: NATO stays. For Russia, (1/3)·e^(−z/30) = 1/5 gives
# z = 30·ln(5/3) ≈ **15.3 km**. No deal is therefore NATO −10·(3/5)^ν ≈ −6.93 and Russia
# −6 − 6·ln(5/3) ≈ −9.06, not (−10, −10); the file computes it in `[derived]`.

# %%
import os
from fractions import Fraction
from math import log
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


buffer = ng.load("buffer_zone")
result = buffer.solve()
print(result)
nu = 1 - (1 - 1 / 10) ** 12
alone_russia = 30 * log(5 / 3)
no_deal = (-10 * 0.6 ** nu, -6 - 6 * log(5 / 3))
assert all(abs(float(d) - h) < 1e-9 for d, h in zip(result.problem.disagreement, no_deal))

# %% [markdown]
# The result lists the zone of possible agreement (depth pairs that both prefer to no deal),
# the four bargaining solutions and the depths that implement them. The computation is
# numerical (floating point: Newton's method on the first-order conditions, each utility proven concave,
# so every optimum is global), and the result says so.
#
# **An independent check of the Nash solution.** The Nash solution maximises the product of the
# two gains over no deal. We evaluate that product on a fine grid of depth pairs with numpy,
# without the toolkit, and compare the best grid point with the toolkit's answer.

# %%
z_nato, z_russia = np.meshgrid(np.arange(0, 15, 0.05), np.arange(0, 40, 0.05), indexing="ij")
u_nato = -100 * 0.1 * np.exp(-(z_nato + nu * z_russia) / 30) - 0.5 * z_nato
u_russia = -100 * 0.1 * np.exp(-(z_russia + nu * z_nato) / 30) - 0.2 * z_russia
inside = (u_nato >= no_deal[0]) & (u_russia >= no_deal[1])
gains = np.where(inside, (u_nato - no_deal[0]) * (u_russia - no_deal[1]), -np.inf)
best = np.unravel_index(np.argmax(gains), gains.shape)
grid_nash = (z_nato[best], z_russia[best])
nash = result.solutions["nash"].agreement.terms
print(f"grid search: z_NATO ≈ {grid_nash[0]:.2f} km, z_Russia ≈ {grid_nash[1]:.2f} km")
print(f"toolkit:     z_NATO = {nash['z_NATO']:.2f} km, z_Russia = {nash['z_Russia']:.2f} km")
assert abs(nash["z_NATO"] - grid_nash[0]) < 0.2 and abs(nash["z_Russia"] - grid_nash[1]) < 0.2
assert not result.zone.empty

# %% [markdown]
# Russia, for whom depth is cheaper, carries most of the withdrawal (about 21.7 km against
# NATO's 2.1 km in the Nash solution), but 15.3 of its 21.7 km it would withdraw anyway: the
# treaty adds about 6 km on Russia's side and 2 km on NATO's, and the gains over no deal are
# small (about 0.33 and 0.11). Measured from z = 0 they would have looked ten times larger
# (about 3.2 and 1.1), most of it Russia's own withdrawal.
#
# **Plots.** `plot_agreement_set` draws the feasible utilities, the zone and its Pareto
# frontier with the solutions; `plot_issue_space` the zone in the space of the two depths.

# %%
figure = ng.plot_agreement_set(result)
save_figure(figure, FIGURES / "07-buffer-agreement-set")
show(figure)

# %%
figure = ng.plot_issue_space(result, ["z_NATO", "z_Russia"])
save_figure(figure, FIGURES / "07-buffer-issue-space")
show(figure)

# %% [markdown]
# ## A closed form: perfect verification, symmetric sides
#
# With ν = 1 (detect = 1) and κ the same for both, the total depth D = z_NATO + z_Russia is
# all that matters for risk. The sum of utilities, −2·L·p0·e^(−D/s) − κD, is largest where
# its derivative vanishes: (2·L·p0/s)·e^(−D/s) = κ, i.e.
#
# D* = s·ln(2·L·p0/(s·κ)) = 30·ln(20/6) = 30·ln(10/3) ≈ **36.12 km**,
#
# and the symmetric solutions split it equally: **18.06 km** each. (With ν = 1 and equal sides
# every split of the unilateral total 30·ln(5/3) is an equilibrium of the withdrawal game; the
# model takes the equal split, 7.66 km each, as no deal, so the treaty adds about 10.4 km a side.)

# %%
symmetric = buffer.solve({"detect": 1, "kappa_NATO": "1/5", "kappa_Russia": "1/5"})
closed_form = 30 * log(10 / 3)
for name, solution in symmetric.solutions.items():
    terms = solution.agreement.terms
    print(f"{name:18} z_NATO = {terms['z_NATO']:.3f}, z_Russia = {terms['z_Russia']:.3f}")
for name in ("nash", "kalai_smorodinsky", "egalitarian"):
    terms = symmetric.solutions[name].agreement.terms
    assert abs(terms["z_NATO"] - closed_form / 2) < 0.05 and abs(terms["z_Russia"] - closed_form / 2) < 0.05

# %% [markdown]
# ## Verification and the depth of the zone
#
# Fewer or worse observation flights lower ν, so each side values the other's withdrawal
# less. We solve at three detection rates (12 flights) and plot the Nash depths.

# %%
rates = ["1/50", "1/10", "1/5"]
depths = {rate: buffer.solve({"detect": rate}).solutions["nash"].agreement.terms for rate in rates}
verified = [1 - (1 - float(Fraction(rate))) ** 12 for rate in rates]
figure, axes = plt.subplots(figsize=(7, 4), layout="constrained")
axes.plot(verified, [depths[r]["z_NATO"] for r in rates], "o-", label="NATO withdraws")
axes.plot(verified, [depths[r]["z_Russia"] for r in rates], "s-", label="Russia withdraws")
axes.set_xlabel("verified share ν of the other's withdrawal (12 flights)")
axes.set_ylabel("Nash depth (km)")
axes.set_title("Better verification, deeper NATO withdrawal")
axes.legend()
save_figure(figure, FIGURES / "07-buffer-verification")
assert depths["1/50"]["z_NATO"] < 0.5 < depths["1/10"]["z_NATO"] < depths["1/5"]["z_NATO"]
show(figure)

# %% [markdown]
# ## Play: verification and who withdraws
#
# (The explorer needs `pip install -e '.[notebook]'`; when you release a slider it solves the
# model again and redraws its tables and figure.)
#
# Each solve is numerical and takes a few seconds.
#
# **Predict, then move the slider.** The explorer shows `buffer_zone` at its defaults (detect =
# 1/10 per flight, 12 flights). Write down your prediction first: if each flight detected a
# violation with probability 1/50 only, would NATO's Nash depth grow, shrink or vanish? And
# Russia's? Then move `detect` (and `flights`).
#
# <details><summary>Answer</summary>
#
# With detect = 1/50, ν = 1 − (49/50)^12 ≈ 0.22 instead of ≈ 0.72: Russia values NATO's
# unverifiable withdrawal little, so NATO's depth **almost vanishes** (≈ 0.4 km), and Russia's
# falls to about **17 km**, barely beyond the 15.3 km it withdraws on its own: with poor
# verification a treaty adds almost nothing. The hidden cell checks this with the grid search
# of the independent check above (no deal: NATO at 0, Russia at 15.3 km, as before).
#
# </details>

# %%
from negotiation.report.explorer import explorer

app = explorer("buffer_zone", values={"detect": "1/10"})
app

# %% [answer]
nu_low = 1 - (1 - 1 / 50) ** 12
u_nato_low = -100 * 0.1 * np.exp(-(z_nato + nu_low * z_russia) / 30) - 0.5 * z_nato
u_russia_low = -100 * 0.1 * np.exp(-(z_russia + nu_low * z_nato) / 30) - 0.2 * z_russia
no_deal_low = (-10 * np.exp(-nu_low * alone_russia / 30), no_deal[1])
inside_low = (u_nato_low >= no_deal_low[0]) & (u_russia_low >= no_deal_low[1])
gains_low = np.where(inside_low, (u_nato_low - no_deal_low[0]) * (u_russia_low - no_deal_low[1]), -np.inf)
best_low = np.unravel_index(np.argmax(gains_low), gains_low.shape)
print(f"grid search at detect = 1/50: z_NATO ≈ {z_nato[best_low]:.2f} km, z_Russia ≈ {z_russia[best_low]:.2f} km")
assert z_nato[best_low] < 0.7 and 16 < z_russia[best_low] < 18.5

# %% [markdown]
# ## When withdrawal is too expensive
#
# With κ = 1 per km for both, nobody withdraws alone (L·p0/s = 1/3 < 1), so no deal is z = 0,
# and no depth pair gives both a strict gain. By hand, at z = 0 one km of one's own withdrawal removes risk worth L·p0/s = 1/3 to oneself and ν/3 to the
# other, at a cost of 1. A small trade (a km from one, b km from the other) helps NATO iff
# (ν/3)·b > (2/3)·a and Russia iff (ν/3)·a > (2/3)·b; both together need ν² > 4, impossible
# since ν ≤ 1. The utilities are concave, so no larger trade helps either.

# %%
expensive = buffer.solve({"kappa_NATO": 1, "kappa_Russia": 1})
print(expensive.zone.description)
assert expensive.zone.max_min_gain < 1e-6
assert all(abs(v) < 1e-6 for v in expensive.solutions["nash"].agreement.terms.values())

# %% [markdown]
# ## Interpretation
#
# * A buffer zone is feasible when the risk it removes is worth more than the forward defence
#   it costs. With these numbers the bargain is lopsided: the side with strategic depth carries
#   most of the withdrawal, which matches the intuition that a zone "on NATO's side" of the
#   Baltic border is hard to sell.
# * What a treaty adds must be measured from what each side would do without one. Russia's
#   cheap depth means it withdraws 15 km on its own; the treaty's value is the extra 6 km on
#   Russia's side and 2 km on NATO's, about a tenth of the gains measured from the line of
#   contact.
# * Verification is part of the price: with poor verification NATO's share of the withdrawal
#   shrinks to nothing. Open Skies-style observation is therefore not an add-on but the
#   condition for a symmetric zone.
# * The solutions differ by how they trade gains between the parties (Nash vs. egalitarian);
#   the choice of solution concept is itself a normative decision.
#
# **Assumptions.** Exponential risk in depth; linear cost per km; no deal = the unilateral
# equilibrium of the withdrawal game;
# illustrative magnitudes; numerical optimisation (local optima, not certified globally).

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** Check the no-deal point numerically: how far would Russia withdraw *on its
# own* at the defaults (NATO staying at 0)? And how much of the Nash solution's gains would a
# model with "no zone" (z = 0, utilities −10 each) as no deal have credited to the treaty?
#
# <details><summary>Answer</summary>
#
# Russia alone maximises −10·e^(−z/30) − z/5: the derivative (1/3)·e^(−z/30) = 1/5 gives
# z = 30·ln(5/3) ≈ **15.3 km**. From z = 0 the Nash agreement's gains would be larger by the
# difference of the two no-deal points, 10 − 10·(3/5)^ν ≈ 3.07 for NATO and
# 4 − 6·ln(5/3) ≈ 0.94 for Russia: about nine tenths of what would have been reported.
#
# </details>

# %% [answer]
z = np.arange(0, 60, 0.01)
alone = z[np.argmax(-10 * np.exp(-z / 30) - z / 5)]
print(f"Russia's unilateral withdrawal ≈ {alone:.2f} km; closed form {30 * log(5 / 3):.2f} km")
assert abs(alone - 30 * log(5 / 3)) < 0.02
nash_gains = [float(u) - d for u, d in zip(result.solutions["nash"].utilities, no_deal)]
from_the_line = [g + 10 + d for g, d in zip(nash_gains, no_deal)]  # the same agreement measured from -10
print("share of the gains from z = 0 that no treaty is needed for:",
      [round(1 - g / f, 2) for g, f in zip(nash_gains, from_the_line)])
assert all(0.85 < 1 - g / f < 0.95 for g, f in zip(nash_gains, from_the_line))

# %% [markdown]
# **Exercise 2.** With perfect verification and κ = 1/5 for both, how does the efficient total
# depth change if the risk of escalation p0 doubles to 1/5?
#
# <details><summary>Answer</summary>
#
# D* = s·ln(2·L·p0/(s·κ)) grows by s·ln 2 = 30·ln 2 ≈ **20.8 km**, to 30·ln(20/3) ≈ 56.9 km:
# a riskier line of contact justifies a deeper zone, but only logarithmically.
#
# </details>

# %% [answer]
riskier = buffer.solve({"detect": 1, "kappa_NATO": "1/5", "kappa_Russia": "1/5", "p0": "1/5"})
total = sum(riskier.solutions["nash"].agreement.terms.values())
print(f"total Nash depth {total:.2f} km; closed form {30 * log(20 / 3):.2f} km")
assert abs(total - 30 * log(20 / 3)) < 0.1

# %% [markdown]
# **Exercise 3.** Which solution gives NATO the most, and which one Russia? Use
# `result.solutions[name].utilities`.
#
# <details><summary>Answer</summary>
#
# The utilitarian solution maximises the sum; here it gives NATO its largest gain (≈ 0.65) and
# leaves Russia at its no-deal utility, since Russia's withdrawal is the cheaper way to reduce
# total risk. The egalitarian solution gives Russia the most among the four (equal gains ≈ 0.17).
# The Nash and Kalai–Smorodinsky solutions lie in between.
#
# </details>

# %% [answer]
by_nato = max(result.solutions, key=lambda name: result.solutions[name].utilities[0])
by_russia = max(result.solutions, key=lambda name: result.solutions[name].utilities[1])
print(by_nato, by_russia)
assert (by_nato, by_russia) == ("utilitarian", "egalitarian")
