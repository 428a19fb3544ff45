# %% [markdown]
# # 8. CFE-2: trade-offs and logrolling
#
# **Learning goal.** You can explain why a multi-issue treaty can succeed where issue-by-issue
# talks fail, compute the Pareto frontier of package deals from the parties' issue weights
# (a fractional knapsack), find the packages that make both sides better off than splitting
# every issue, and recognise when logrolling has nothing to offer.
#
# *Models used.* The four-issue example uses `negotiation.bargaining.logrolling` directly, with
# illustrative weights you can change; the last part uses the bundled `cfe2` scenario (parity
# ceilings on the five CFE equipment categories; added while this notebook was being written).

# %% [markdown]
# ## The story
#
# The Treaty on Conventional Armed Forces in Europe (CFE, Paris, 19 November 1990) set equal
# ceilings for the two groups of states parties in the Atlantic-to-the-Urals area (Art. IV(1);
# checked against the source):
#
# | category | group ceiling | both groups (ATTU) | "sufficiency rule", one state (Art. VI) |
# | --- | --- | --- | --- |
# | battle tanks | 20,000 | 40,000 | 13,300 |
# | armoured combat vehicles | 30,000 | 60,000 | 20,000 |
# | artillery | 20,000 | 40,000 | 13,700 |
# | combat aircraft | 6,800 | 13,600 | 5,150 |
# | attack helicopters | 2,000 | 4,000 | 1,500 |
#
# The 1999 Adapted CFE Treaty (Istanbul) replaced bloc ceilings with national and territorial
# ceilings (for Russia: 6,350 tanks, from secondary sources only) but never entered into force.
# Russia "suspended" the treaty in 2007 and withdrew in 2023 (checked against the source).
# Disputes around the treaty included the **flank limits** on Russian forces in the north and
# south (a first Flank Agreement was reached in 1996, checked against the source) and new NATO
# members outside the regime: the Baltic states were never CFE parties (checked). Which
# disputes blocked ratification is general background, not checked against a source here. Kortunov's 2021 proposal of a legally binding **CFE-2** would have put these
# issues back into one negotiation [@Kortunov2021].
#
# A single treaty on several issues allows **logrolling** (Raiffa 1982; Sebenius 1983;
# Tollison and Willett 1979): each side concedes what it cares about less in exchange for what
# it cares about more.

# %%
import os
from fractions import Fraction
from pathlib import Path

import matplotlib.pyplot as plt

from negotiation.bargaining import logrolling
from negotiation.report.figures import save_figure

FIGURES = Path(os.environ.get("NEGOTIATION_FIGURES") or "figures")


def show(figure):
    """Show a figure once below the cell (closed in pyplot, so that it is not drawn a second time)."""
    plt.close(plt.figure())  # load pyplot's display backend, which matplotlib loads only on first use
    plt.close(figure)
    return figure

ceilings = {"battle tanks": (20000, 40000, 13300), "armoured combat vehicles": (30000, 60000, 20000),
            "artillery": (20000, 40000, 13700), "combat aircraft": (6800, 13600, 5150),
            "attack helicopters": (2000, 4000, 1500)}
for category, (group, total, sufficiency) in ceilings.items():
    assert total == 2 * group      # equal ceilings for the two groups
    print(f"{category:26} one state may hold {sufficiency / total:.1%} of the ATTU total")

# %% [markdown]
# The sufficiency rule lets one state hold about a third of each category: a cap on how far
# power can shift towards any single state (compare the commitment problem of notebook 10).

# %% [markdown]
# ## The model
#
# Four divisible issues of a hypothetical CFE-2. For each issue, NATO's *share* x ∈ [0, 1] says
# how far the settlement goes NATO's way (1: NATO's position, 0: Russia's):
#
# * **flank limits** (NATO's way: keep limits on Russian forces on the flanks);
# * **stationing in new members** (NATO's way: no limits on allied forces in the Baltic states
#   and Poland);
# * **transparency** (NATO's way: intrusive inspections and data exchange);
# * **national tank ceilings** (NATO's way: a low ceiling for Russia relative to NATO states).
#
# Utilities are additive: u_NATO = Σ w_NATO,k · x_k and u_Russia = Σ w_Russia,k · (1 − x_k). The
# weights below (each side's sum to 1) are **illustrative assumptions**, chosen so that NATO
# cares most about transparency and Russia about stationing and the flanks.

# %%
weights = {
    "NATO": {"flank limits": Fraction(1, 10), "stationing in new members": Fraction(3, 10),
             "transparency": Fraction(4, 10), "national tank ceilings": Fraction(2, 10)},
    "Russia": {"flank limits": Fraction(3, 10), "stationing in new members": Fraction(4, 10),
               "transparency": Fraction(1, 10), "national tank ceilings": Fraction(2, 10)},
}
result = logrolling(weights)
print(result)

# %% [markdown]
# ## By hand
#
# *Issue-by-issue split*: half of every issue, so each side gets half its total weight: **1/2**.
#
# *The frontier* (a fractional knapsack): order the issues by NATO's relative weight
# w_NATO/w_Russia: transparency 4, tank ceilings 1, stationing 3/4, flank limits 1/3. Efficient
# packages give NATO the issues at the front of this list and Russia those at the back, splitting
# at most one. Starting from "everything Russia's way" (0, 1) and conceding in that order:
# transparency → (2/5, 9/10); tank ceilings → (3/5, 7/10); stationing → (9/10, 3/10); flanks →
# (1, 0).
#
# *Balanced package* (equal gains over the split): on the stationing segment, NATO gets
# 3/5 + (3/10)y and Russia 7/10 − (2/5)y for NATO's share y of stationing; equal gains
# 1/10 + 3y/10 = 1/5 − 2y/5 ⇒ **y = 1/7**, gains **1/7** each.
#
# *Largest gains* that leave the other side at its split utility: NATO 3/5 + (3/10)y with Russia
# 7/10 − (2/5)y = 1/2 ⇒ y = 1/2, NATO gains **1/4**; Russia: NATO needs 2/5 + (1/5)z = 1/2 ⇒ z = 1/2
# on the tank issue, Russia gets 9/10 − 1/10 = 4/5, gains **3/10**.

# %%
assert result.split.utilities == {"NATO": Fraction(1, 2), "Russia": Fraction(1, 2)}
assert result.issue_order == ("transparency", "national tank ceilings", "stationing in new members", "flank limits")
assert result.balanced.shares["stationing in new members"] == Fraction(1, 7)
assert result.balanced.gains == {"NATO": Fraction(1, 7), "Russia": Fraction(1, 7)}
assert result.max_gains == {"NATO": Fraction(1, 4), "Russia": Fraction(3, 10)}
assert [tuple(p.utilities.values()) for p in result.frontier] == [
    (0, 1), (Fraction(2, 5), Fraction(9, 10)), (Fraction(3, 5), Fraction(7, 10)),
    (Fraction(9, 10), Fraction(3, 10)), (1, 0)]

# %% [markdown]
# ## The picture
#
# The frontier of package deals (solid), the split (the "issue-by-issue" point), the part of
# the frontier that makes both better off (thick), and the balanced package.

# %%
def xy(packages):
    return ([float(p.utilities["NATO"]) for p in packages], [float(p.utilities["Russia"]) for p in packages])

figure, axes = plt.subplots(figsize=(6.5, 6), layout="constrained")
axes.plot(*xy(result.frontier), "-o", color="tab:blue", label="package deals (Pareto frontier)")
axes.plot(*xy(result.dominating_frontier), "-", color="tab:green", linewidth=5, alpha=0.6,
          label="packages better for both than the split")
axes.plot([0, 1], [1, 0], ":", color="grey", label="issue-by-issue compromises")
axes.plot(*xy([result.split]), "ks", markersize=9, label="split every issue")
axes.plot(*xy([result.balanced]), "r*", markersize=16, label="balanced package")
axes.set_xlabel("NATO's utility")
axes.set_ylabel("Russia's utility")
axes.set_title("CFE-2 as a package: gains from logrolling")
axes.legend(loc="lower left")
save_figure(figure, FIGURES / "08-logrolling-frontier")
show(figure)

# %% [markdown]
# ## Parity ceilings on the five CFE categories (`cfe2`)
#
# The bundled `cfe2` scenario (toolkit parametrisation, [@Raiffa1982; @Sebenius1983; @Schelling1960, ch. 3]) lets NATO and
# Russia agree on one **equal ceiling per CFE category** (tanks, ACVs, artillery, combat
# aircraft, attack helicopters) for NATO's Baltic/flank zone and Russia's Kaliningrad/Western
# Military District zone, chosen among "no limit" and seven to nine round numbers per category
# (focal points: 58,320 packages). A ceiling c leaves each side min(holdings, c). Each side values
#
# * the **force ratio** in the zone: w·log(own/other) (NATO weights Russian ground forces most,
#   Russia NATO air power);
# * its own holdings for other missions: s·log(own/today's);
# * the **upkeep saved** on every item cut, calibrated so that today's holdings are each side's
#   best choice without a treaty.
#
# Today's holdings in the zones are **illustrative assumptions** (CFE data exchanges lapsed in
# 2007, the Baltic states were never parties; each parameter's source says what is known; e.g.
# NATO 900 tanks against Russia's 2,000, but 450 combat aircraft against 300), as are all
# weights. "No limit" is the Adapted CFE national ceiling for Russia (6,350 tanks, …;
# secondary sources only). Without a treaty both keep today's holdings.

# %%
import itertools
from math import log

import negotiation as ng

cfe2 = ng.load("cfe2")
ceilings_result = cfe2.solve()
print(ceilings_result)

# %% [markdown]
# **An independent check.** We rewrite the two utility functions in plain Python from the
# formulas above, enumerate all 58,320 packages ourselves and look for the package that
# maximises the product of gains over no treaty (the Nash solution). It must be the toolkit's.

# %%
values = {parameter.name: float(parameter.default) for parameter in cfe2.parameters}
categories = ["tanks", "acv", "artillery", "aircraft", "helicopters"]
issues = {issue.name: issue for issue in cfe2.problem_at({}).agreements.issues}


def utility(side, package):
    own, other = ("N", "R") if side == "NATO" else ("R", "N")
    total = 0.0
    for k in categories:
        ceiling = float(issues[k].value_of(package[k]))
        held, held_other = values[f"H{own}_{k}"], values[f"H{other}_{k}"]
        mine, theirs = min(held, ceiling), min(held_other, ceiling)
        w, s_ = values[f"w{own}_{k}"], values[f"s_{side}"]
        total += w * log(mine / theirs) + s_ * log(mine / held) + values["upkeep_scale"] * (w + s_) * (held - mine) / held
    return total


no_treaty = {k: "no limit" for k in categories}
d_nato, d_russia = utility("NATO", no_treaty), utility("Russia", no_treaty)
best = max((dict(zip(categories, combination))
            for combination in itertools.product(*(issues[k].options for k in categories))),
           key=lambda package: (max(0, utility("NATO", package) - d_nato)
                                * max(0, utility("Russia", package) - d_russia)))
print("brute force Nash package:", best)
nash_package = ceilings_result.solutions["nash"]
assert best == nash_package.agreement.terms
assert abs(utility("NATO", best) - nash_package.utilities[0]) < 1e-9
assert abs(d_nato - ceilings_result.problem.disagreement[0]) < 1e-9
assert all(issues[k].value_of(best[k]) > min(issues[k].value_of(o) for o in issues[k].options) for k in categories)

# %% [markdown]
# **Whose holdings carry the zone?** The defaults give NATO *more* aircraft and helicopters than
# Russia. By hand: where NATO holds less than Russia (HN ≤ HR), Russia gains from a mutual cut
# in that category only if HN/HR exceeds exp(−1 − (s/w_R)·ln(s/(w_R + s))), about 55 % for
# aircraft and 64 % for helicopters here (2/e ≈ 74 % for ground forces). With NATO below
# Russia everywhere and below those shares in the air, no package helps Russia and the zone
# vanishes; with NATO only slightly below, a smaller zone remains.

# %%
from math import exp

threshold = {k: exp(-1 - (values["s_Russia"] / values[f"wR_{k}"])
                    * log(values["s_Russia"] / (values[f"wR_{k}"] + values["s_Russia"]))) for k in categories}
print({k: round(t, 3) for k, t in threshold.items()})
far_below = cfe2.solve({"HN_aircraft": 150, "HN_helicopters": 60})
slightly_below = cfe2.solve({"HN_aircraft": 250, "HN_helicopters": 80})
print("far below:", far_below.zone.description)
print("slightly below:", slightly_below.zone.description)
assert 150 / 300 < threshold["aircraft"] < 250 / 300 and 60 / 100 < threshold["helicopters"] < 80 / 100
assert far_below.zone.gains[1] < 1e-12 < slightly_below.zone.gains[1]

# %% [markdown]
# The Nash package cuts **both** sides' ground forces (450 tanks, 1,500 ACVs, 450 artillery:
# Russia cuts more, since it holds more) and both sides' air power (100 aircraft,
# 40 helicopters: NATO cuts more). Each side accepts deep cuts in what it holds more of because
# the other cuts what it fears most: logrolling across categories, as in the four-issue example
# above, but now with the real treaty's categories and CFE's parity principle.
#
# **Is this the floor of the menu?** It must not be, or the "finding" would only repeat the
# lowest level offered. An earlier menu stopped at 600 / 1,500 / 600 / 250 / 60, and the Nash
# package was exactly that floor. With lower levels the package moves down in four categories
# and every category still offers lower levels: the ceilings are chosen, not bounded.

# %% [markdown]
# ## Play: take one item off the table
#
# (The explorer needs `pip install -e '.[notebook]'`; when you release a slider it solves the
# model again and redraws its tables and figure.)
#
# **Predict, then move the slider.** The explorer shows `cfe2` at its defaults (table: the four
# solutions and their packages). Russia's weight on NATO's combat aircraft is `wR_aircraft` = 1.
# Write down your prediction first: if Russia stopped fearing NATO's aircraft (`wR_aircraft` = 0),
# what happens to the aircraft ceiling in the Nash package, and to the ceilings on Russia's
# ground forces (tanks, ACVs, artillery)? Then move `wR_aircraft`.
#
# <details><summary>Answer</summary>
#
# NATO no longer gets anything for cutting aircraft, so the Nash package leaves aircraft at
# **no limit**; with less to trade, Russia also cuts less: **tanks 600**, **ACVs 3,500** and
# **artillery 1,400** instead of 450, 1,500 and 450. Helicopters stay at 40 (Russia still fears
# NATO's attack helicopters). Logrolling needs something to trade: take one item off the table and the
# whole package shrinks. The hidden cell checks it with the brute-force search above.
#
# </details>

# %%
from negotiation.report.explorer import explorer

app = explorer("cfe2", values={"wR_aircraft": 1})
app

# %% [answer]
values["wR_aircraft"] = 0.0
best_without_aircraft = max((dict(zip(categories, combination))
                             for combination in itertools.product(*(issues[k].options for k in categories))),
                            key=lambda package: (max(0, utility("NATO", package) - d_nato)
                                                 * max(0, utility("Russia", package) - utility("Russia", no_treaty))))
values["wR_aircraft"] = 1.0
print(best_without_aircraft)
assert best_without_aircraft == cfe2.solve({"wR_aircraft": 0}).solutions["nash"].agreement.terms
assert best_without_aircraft["aircraft"] == "no limit" and best_without_aircraft["tanks"] == "600"

# %% [markdown]
# ## Interpretation
#
# * Splitting every issue leaves value on the table: the balanced package gives both sides
#   9/14 instead of 1/2. The gains come from the *differences* in priorities, not from either
#   side caring less.
# * Efficient packages are lopsided issue by issue: NATO gets its way on transparency (and
#   ceilings), Russia on the flanks and mostly on stationing. Each concession is only
#   acceptable as part of the package, which is why a single CFE-2 negotiation could do what
#   separate talks on each grievance could not.
# * The "efficient trade" (each issue to the side that values it more) maximises the sum of
#   utilities, but here gives NATO nothing over the split: it compares weights across parties,
#   which is only meaningful on a common scale.
#
# **Assumptions.** Additive, linear utilities; issues are divisible; weights are illustrative;
# the fallback is the issue-by-issue split, not the absence of any treaty (compare notebook 6,
# where the fallback is the arms race).

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** Suppose Russia's priorities were the same as NATO's (identical weights). What
# do package deals add over the split?
#
# <details><summary>Answer</summary>
#
# Nothing: with equal weight ratios on every issue, every package lies on the line
# u_Russia = 1 − u_NATO, the same line as the issue-by-issue compromises. No package makes
# both better off (`logrolling_gains` is False). Logrolling needs different priorities.
#
# </details>

# %% [answer]
same = logrolling({"NATO": weights["NATO"], "Russia": weights["NATO"]})
assert not same.logrolling_gains and same.max_gains == {"NATO": 0, "Russia": 0}

# %% [markdown]
# **Exercise 2.** Russia puts more weight on the flanks (1/2) and less on stationing (1/5),
# keeping transparency 1/10 and tank ceilings 1/5. Which issue is split in the balanced
# package now, and what are the gains?
#
# <details><summary>Answer</summary>
#
# Ratios: transparency 4, stationing 3/2, tank ceilings 1, flanks 1/5. Conceding in that order
# from (0, 1): transparency → (2/5, 9/10), stationing → (7/10, 7/10), tanks → (9/10, 1/2). At
# (7/10, 7/10) both already gain 1/5, and moving along either neighbouring segment makes one side
# lose more than the other gains, so the balanced package gives NATO transparency and
# stationing, Russia the flanks and the tank ceilings, with **no issue split**: gains **1/5** each.
#
# </details>

# %% [answer]
flanks_first = logrolling({"NATO": weights["NATO"],
                           "Russia": {"flank limits": Fraction(1, 2), "stationing in new members": Fraction(1, 5),
                                      "transparency": Fraction(1, 10), "national tank ceilings": Fraction(1, 5)}})
print(flanks_first.balanced)
assert flanks_first.balanced.gains == {"NATO": Fraction(1, 5), "Russia": Fraction(1, 5)}
assert flanks_first.balanced.shares["stationing in new members"] == 1
assert flanks_first.balanced.shares["national tank ceilings"] == 0

# %% [markdown]
# **Exercise 3.** Why does the sufficiency rule (about one third of the ATTU total per state)
# matter for the shadow of the future and for commitment problems?
#
# <details><summary>Answer</summary>
#
# It caps how much military power any single state can accumulate within the treaty area, i.e.
# the size of a possible shift in the balance (Δp in notebook 10's commitment problem) and the
# temptation T of deploying alone (notebooks 2 and 4). Caps that are focal and verifiable
# (equal ceilings, "a third") are easier to monitor and to defend politically (Schelling's focal
# points, [@Schelling1960, ch. 3]).
#
# </details>
