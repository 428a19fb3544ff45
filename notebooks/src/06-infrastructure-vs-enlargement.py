# %% [markdown]
# # 6. Infrastructure versus enlargement: where a zone of agreement exists
#
# **Learning goal.** You can compute a *zone of possible agreement* (ZOPA) for a negotiation,
# explain why bargaining over NATO enlargement itself leaves no room for mutual gains while a
# package of limits on military infrastructure does, derive the package solutions by hand
# from the issue weights (logrolling), and find the parameter values at which the zone opens
# or closes.
#
# *Models used.* `nato_enlargement` (the outcomes of the enlargement game, as packages),
# `infrastructure_limits` (a five-issue infrastructure package) and, in Part D,
# `enlargement_vs_infrastructure` (membership and stationing in one negotiation; that model
# was added while this notebook was being written).

# %% [markdown]
# ## The story
#
# In a widely read 2021 op-ed, Andrey Kortunov proposed to stop arguing about enlargement and
# instead negotiate about **military infrastructure**: a buffer zone along the line of contact,
# a revived NATO–Russia Council and Open Skies, and a legally binding CFE-2 [@Kortunov2021].
# Why might that be easier? A bargaining theorist's answer: enlargement is close to a pure
# conflict of interest (what one side gains the other loses), while a package of
# infrastructure issues contains issues the two sides value *differently*, which creates joint
# gains by trading concessions (Raiffa 1982, Sebenius 1983: logrolling).
#
# Real anchors of the infrastructure package [@NATO2022; @VD2011]: NATO's enhanced Forward Presence of
# four battalion-size battlegroups, "some 4,000 troops" in early 2017 and "just over 4,500" in
# mid-2018 (checked against sources); the Vienna Document notification threshold of 9,000 troops
# (secondary sources); DEFENDER-Europe 21 with more than 28,000 personnel.

# %%
import os
from fractions import Fraction
from pathlib import Path

import matplotlib.pyplot as plt

import negotiation as ng
from negotiation.report.figures import save_figure

FIGURES = Path(os.environ.get("NEGOTIATION_FIGURES") or "figures")


def show(figure):
    """Show a figure once below the cell (closed in pyplot, so that it is not drawn a second time)."""
    plt.close(plt.figure())  # load pyplot's display backend, which matplotlib loads only on first use
    plt.close(figure)
    return figure

# %% [markdown]
# ## Part A: bargaining over enlargement itself
#
# Take the outcomes of the enlargement game of notebook 5 at its defaults (m = 4, t = 5, k = 3,
# c = 10, l = 3/5), payoffs (NATO, Russia): status quo (0, 0); full membership accepted (4, −5);
# membership with limits accepted (8/5, −2); full membership with a militarised border (1, −3).
# Without a deal the game is played: its subgame-perfect outcome (8/5, −2) is the no-deal point.
# Let the parties agree on any of these outcomes or on lotteries over them
# (`lotteries=True`; think of time-sharing or a probabilistic membership path).
#
# **By hand.** Full membership accepted lies at (m, −t) and the status quo at (0, 0); limits
# remove the same share l of NATO's value and of Russia's threat, so membership with limits
# ((1 − l)m, −(1 − l)t) lies *on the segment between them*: along it, every unit NATO gains
# costs Russia t/m = 5/4 units. The no-deal point is on the Pareto frontier itself, so **no
# agreement gives both a strict gain**.

# %%
enlargement = ng.load("nato_enlargement")
spe = enlargement.solve()[0]
outcomes = {
    "Status quo (defer)": (0, 0),
    "Full membership, accepted": (4, -5),
    "Membership with limits, accepted": (Fraction(8, 5), -2),
    "Full membership, militarised border": (1, -3),
}
enlargement_deal = ng.BargainingProblem.from_packages(
    outcomes, parties=("NATO", "Russia"), disagreement=spe.payoffs, lotteries=True,
    title="Bargaining over enlargement")
over_enlargement = ng.bargain(enlargement_deal)
print(over_enlargement)
assert spe.payoffs == (Fraction(8, 5), -2)
assert over_enlargement.zone.max_min_gain == 0          # a boundary case: no strict gains

# %% [markdown]
# ## Part B: a package of limits on infrastructure
#
# The bundled `infrastructure_limits` scenario has five issues: a ceiling on NATO rotational
# troops in the Baltic states and Poland (0–10,000), a ceiling on exercises near the border
# (9,000–40,000), the Vienna Document notification threshold (3,000–13,000), inspections per
# year (3–12), and intermediate-range missiles (verified ban, moratorium, no limit). Each party
# scores each issue from 0 (the other side's ideal) to 1 (its own) with weights (a Raiffa
# additive model); the total score s is mapped onto the security-dilemma scale, u = S + (T − S)s − c,
# with c a domestic cost of a treaty (1/2). Without a deal: the arms race of `security_dilemma`,
# (−2, −2). All weights, scores and costs are illustrative assumptions (toolkit
# parametrisation).

# %%
infrastructure = ng.load("infrastructure_limits")
package = infrastructure.solve()
print(package)

# %% [markdown]
# **Why the frontier looks like this (logrolling by hand).** The ratio of NATO's weight to
# Russia's says who values an issue relatively more: notification 0.15/0.05 = 3, inspections
# 0.10/0.05 = 2, troops 0.30/0.35 ≈ 0.86, exercises 0.20/0.25 = 0.8. Efficient packages give
# NATO the issues with high ratios (notification at 3,000, 12 inspections), Russia those with
# low ratios (exercise ceiling 9,000), and split at most one issue: the troop ceiling. Missiles:
# a verified ban is NATO's ideal and worth 3/5 of Russia's ideal to Russia.
#
# With T − S = 1 + 15/4 = 19/4, base S − c = −17/4 and troops τ = ceiling/10,000, the gains over
# the arms race (−2) are
#
# * NATO: −9/4 + 19/4 · (0.30τ + 0.15 + 0.10 + 0.25) = 1/8 + (57/40)τ,
# * Russia: −9/4 + 19/4 · (0.35(1 − τ) + 0.25 + 0.3 · 3/5) = 291/200 − (133/80)τ.
#
# *Egalitarian* (equal gains): 1/8 + 57τ/40 = 291/200 − 133τ/80 ⇒ τ = 28/65, a ceiling of
# **56,000/13 ≈ 4,308 troops**, gains **1921/2600** each. *Nash* (maximise the product of
# gains): for a straight frontier the gains g_N = 1/8 + aτ, g_R = b − cτ give
# τ = (ab − c/8)/(2ac). *Utilitarian* (maximise the sum): τ = 0 (Russia values troops more).

# %%
a, b, c = Fraction(57, 40), Fraction(291, 200), Fraction(133, 80)
tau_nash = (a * b - c / 8) / (2 * a * c)
nash = package.solutions["nash"]
egalitarian = package.solutions["egalitarian"]
print("Nash troop ceiling:", nash.agreement.terms["troops"], "≈", round(float(nash.agreement.terms["troops"])))
assert nash.agreement.terms["troops"] == 10000 * tau_nash
assert egalitarian.agreement.terms["troops"] == Fraction(56000, 13)
assert egalitarian.utilities == (-2 + Fraction(1921, 2600), -2 + Fraction(1921, 2600))
assert package.solutions["utilitarian"].agreement.terms["troops"] == 0
assert nash.agreement.terms["notification"] == 3000 and nash.agreement.terms["exercise"] == 9000

# %% [markdown]
# The Nash ceiling, about 3,937 troops, is close to the eFP level of 2017–18 (about 4,000–4,500).
# That is a coincidence of the illustrative weights, not a finding, but it shows how such a model
# can be confronted with numbers that were actually negotiated or deployed.

# %%
figure, (left, right) = plt.subplots(1, 2, figsize=(12, 5), layout="constrained")
ng.plot_agreement_set(over_enlargement, ax=left, title="Over enlargement: no strict gains")
ng.plot_agreement_set(package, ax=right, title="Over infrastructure: a zone of agreement")
save_figure(figure, FIGURES / "06-enlargement-vs-infrastructure")
show(figure)

# %% [markdown]
# ## Part C: when does the zone open or close?
#
# Only the no-deal point depends on the war-risk cost W of an arms race: d = P = −1 − W/2 for
# both. The most even package on the frontier gives both −2 + 1921/2600 = −3279/2600, so a zone
# with strict gains for both exists iff −1 − W/2 < −3279/2600, i.e. **W > 679/1300 ≈ 0.52**.
# `scenario.sensitivity("W", grid=...)` solves on a grid and locates the threshold exactly.

# %%
by_w = infrastructure.sensitivity("W", grid=["0", "1/4", "1/2", "3/4", "1", "3/2", "2"], solution="nash")
print([(t.value, t.opens) for t in by_w.thresholds])
assert by_w.thresholds[0].value == Fraction(679, 1300) and by_w.thresholds[0].opens
figure = ng.plot_sensitivity(by_w)
save_figure(figure, FIGURES / "06-zone-opens-with-W")
show(figure)

# %% [markdown]
# ## Play: the zone and the war-risk cost
#
# (The explorer needs `pip install -e '.[notebook]'`; when you release a slider it solves the
# model again and redraws its tables and figure.)
#
# **Predict, then move the slider.** The explorer shows the infrastructure package at W = 2:
# the agreement set, the zone and the four solutions. Write down your prediction first: what is
# each side's gain in the egalitarian solution at W = 1? Below which W does the zone close? Then
# move W.
#
# <details><summary>Answer</summary>
#
# Only the no-deal point −1 − W/2 moves with W; the most even package gives both −3279/2600. So the
# egalitarian gain is −3279/2600 + 1 + W/2, at W = 1 **621/2600 ≈ 0.24** for each side, and the zone
# closes at **W = 679/1300 ≈ 0.52**: at W = 0.5 on the slider there is no agreement with strict gains
# for both, at 0.6 there is.
#
# </details>

# %%
from negotiation.report.explorer import explorer

app = explorer("infrastructure_limits", values={"W": 2})
app

# %% [answer]
at_w1 = ng.bargain(infrastructure.problem_at({"W": 1}))
assert at_w1.solutions["egalitarian"].utilities == (Fraction(-3279, 2600), Fraction(-3279, 2600))
assert at_w1.zone.max_min_gain == Fraction(-3279, 2600) - (-1 - Fraction(1, 2)) == Fraction(621, 2600)
assert ng.bargain(infrastructure.problem_at({"W": "1/2"})).zone.max_min_gain <= 0
assert ng.bargain(infrastructure.problem_at({"W": "3/5"})).zone.max_min_gain > 0

# %% [markdown]
# ## Part D: membership and stationing in one negotiation
#
# The bundled `enlargement_vs_infrastructure` scenario puts Kortunov's choice into one model
# with two issues: **membership** of the next candidate (admitted; admitted with no permanent
# stationing above a cap of 4,000 troops, the Founding Act formula read as one brigade, an
# assumption; deferred) and a **stationing** ceiling for the Baltic states and Poland (0–10,000
# troops; 10,000 = no limit). Scores as in Part B: NATO weights membership 1/2, Russia 3/10;
# no deal is again the arms race (−2, −2). Without a treaty the candidate is admitted and there
# is no ceiling: that is the *status quo* in issue terms.
#
# **By hand.** A party accepts a package iff its score reaches
# τ = (P − S + c)/(T − S) = (−2 + 15/4 + 1/2)/(19/4) = **9/19**.
#
# * *Membership alone* (stationing left at no limit): Russia's best case, deferral, scores only
#   its membership weight 3/10 < 9/19. **No zone.**
# * *Stationing alone* (candidate admitted): with σ = ceiling/10,000, NATO scores 1/2 + σ/2 ≥ 9/19
#   always, Russia 7/10 · (1 − σ) ≥ 9/19 iff σ ≤ 43/133: a zone for ceilings up to
#   **430,000/133 ≈ 3,233 troops**. Gains over the arms race: NATO 1/8 + 19σ/8, Russia
#   43/40 − 133σ/40; their product is largest at σ = 18/133 (Nash: **180,000/133 ≈ 1,353
#   troops**), and they are equal at σ = 1/6 (egalitarian: **5,000/3 ≈ 1,667 troops**, gains 25/48).

# %%
two_issues = ng.load("enlargement_vs_infrastructure")
problem = two_issues.problem_at({})
status_quo = {"membership": "admitted", "stationing": 10000}
membership_alone = ng.bargain(ng.restrict(problem, "membership", status_quo))
stationing_alone = ng.bargain(ng.restrict(problem, "stationing", status_quo))
print("membership alone:", membership_alone.zone.description)
print("stationing alone: ceilings from",
      [point.agreement.terms["stationing"] for point in stationing_alone.zone.frontier.points])
assert membership_alone.zone.empty
assert max(point.agreement.terms["stationing"] for point in stationing_alone.zone.frontier.points) == Fraction(430000, 133)

both = two_issues.solve()
print(both)
assert both.solutions["nash"].agreement.terms == {"membership": "admitted", "stationing": Fraction(180000, 133)}
assert both.solutions["egalitarian"].agreement.terms["stationing"] == Fraction(5000, 3)
assert both.solutions["egalitarian"].utilities == (-2 + Fraction(25, 48), -2 + Fraction(25, 48))

# %% [markdown]
# `issue_by_issue` negotiates each issue on its own (the other at its status quo) and compares
# the combination with the package. Here linking the issues adds nothing: the package's Nash
# solution admits the candidate and caps stationing exactly as the stationing talks alone would.

# %%
linkage = two_issues.issue_by_issue(status_quo=status_quo)
print(linkage)
assert linkage.package_utilities == linkage.issue_by_issue_utilities

# %% [markdown]
# ## Part E: which status quo?
#
# Everything in Part D held the candidate *admitted* while stationing was negotiated. In 2021
# Ukraine and Georgia were promised membership at Bucharest in 2008 [@NATO2008, para. 23] but
# not admitted: the status quo was *deferred*. The conclusion turns on this choice.
#
# **By hand** (deferred, stationing alone). NATO's membership score is now 0, so it needs
# (1/2)σ ≥ 9/19, a ceiling of at least **180,000/19 ≈ 9,474 troops**; Russia already scores
# 3/10 and accepts 3/10 + (7/10)(1 − σ) ≥ 9/19, a ceiling of at most
# **1,000,000/133 ≈ 7,519 troops**. NATO's floor lies above Russia's ceiling: **no zone**.
# Membership alone fails as before, so issue by issue nothing is agreed and the talks end in
# no deal. The package (admitted, 180,000/133 troops) trades admission for a ceiling; its gain
# over no deal, (−87/56 + 2, −11/8 + 2) = **(25/56, 5/8)**, is the whole gain from linkage.
# (Measuring it from the status-quo *point*, a deferral treaty with no ceiling that nobody
# signed, gave the wrong (9/28, 29/20).)

# %%
deferred = {"membership": "deferred", "stationing": 10000}
assert ng.bargain(ng.restrict(problem, "stationing", deferred)).zone.empty
deferred_linkage = two_issues.issue_by_issue(status_quo={"membership": "deferred"})
print(deferred_linkage)
assert deferred_linkage.issue_by_issue_utilities == problem.disagreement
assert deferred_linkage.linkage_gains == (Fraction(25, 56), Fraction(5, 8))

# %% [markdown]
# ## Interpretation
#
# * Over enlargement alone, the outcome of the game (membership with limits) already sits on
#   the Pareto frontier: any further deal is a transfer, not a joint gain. This is one precise
#   sense in which enlargement was a "red line": there was nothing to trade *within* the issue.
# * A package of infrastructure issues has joint gains because the parties care about different
#   things (here: NATO about transparency, Russia about exercises and forward troops).
#   Everything beyond the split issue goes to the side that values it relatively more.
# * In the two-issue model with the candidate *admitted*, talks about membership alone fail
#   while talks about stationing alone succeed, and putting membership on the table adds
#   nothing at these weights: a formal version of Kortunov's advice to negotiate infrastructure
#   rather than enlargement [@Kortunov2021] (under these illustrative weights; Exercise 4 shows
#   when membership does become tradeable).
# * With the candidate *deferred* — the 2021 situation — the advice reverses: stationing limits
#   alone find no agreement, and only a package trading admission for a ceiling works.
#   Which conclusion holds depends on the status quo, an input the analyst must state.
# * The zone exists only because the arms race is costly: if mutual deployment were cheap
#   (W < 0.52 here) there would be nothing to agree on. Negotiating capital comes from the
#   shared danger.
#
# **Assumptions.** Additive linear scores; illustrative weights and costs; no-deal point taken
# from the one-shot security dilemma; enlargement outcomes at the defaults of notebook 5.

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** Give NATO more bargaining power: Nash weight α = 3/4. How does the troop
# ceiling move, and why do the other issues not move?
#
# <details><summary>Answer</summary>
#
# The asymmetric Nash solution maximises g_N^α · g_R^(1−α). On the frontier segment
# (g_N = 1/8 + aτ, g_R = b − cτ) the first-order condition α·a·g_R = (1 − α)·c·g_N gives
# τ = (α·a·b − (1 − α)·c/8)/(a·c) (for α = 1/2 this is the formula above). With α = 3/4 the
# ceiling rises to 2,531,500/399 ≈ 6,345 troops. Notification, inspections, exercises and missiles stay at
# the efficient settlement: bargaining power moves only the split issue.
#
# </details>

# %% [answer]
alpha = Fraction(3, 4)
# first-order condition alpha*a*(b - c*tau) = (1 - alpha)*c*(1/8 + a*tau), solved for tau:
tau_alpha = (alpha * a * b - (1 - alpha) * c / 8) / (a * c)
powerful = infrastructure.solve({"alpha": alpha}).solutions["nash"].agreement.terms
print(powerful)
assert powerful["troops"] == 10000 * tau_alpha and powerful["troops"] > nash.agreement.terms["troops"]
assert powerful["inspections"] == 12 and powerful["exercise"] == 9000

# %% [markdown]
# **Exercise 2.** Suppose limits on stationing removed *more* of Russia's threat than of NATO's
# military value: Russia's loss with limits is −1 instead of −2 (NATO still 8/5). Is there a
# zone of agreement over enlargement now?
#
# <details><summary>Answer</summary>
#
# **No.** The no-deal outcome (8/5, −1) is now itself a corner of the Pareto frontier: the
# frontier runs from (0, 0) to (8/5, −1) with slope −5/8 and on to (4, −5) with slope −5/3, so
# every other agreement hurts one side. Better-designed limits make the outcome of the game
# efficient; they do not create room for a further deal about enlargement.
#
# </details>

# %% [answer]
asymmetric = dict(outcomes, **{"Membership with limits, accepted": (Fraction(8, 5), -1)})
asymmetric_deal = ng.BargainingProblem.from_packages(asymmetric, parties=("NATO", "Russia"),
                                                     disagreement=(Fraction(8, 5), -1), lotteries=True)
assert ng.bargain(asymmetric_deal).zone.max_min_gain == 0

# %% [markdown]
# **Exercise 3.** At which domestic treaty cost c_NATO does the infrastructure zone close (other
# parameters at defaults)? Derive it from the utilitarian package and check with `sensitivity`.
#
# <details><summary>Answer</summary>
#
# A higher c_NATO lowers NATO's gains by the same amount everywhere. The zone closes when NATO's
# largest gain that leaves Russia at least its no-deal value reaches 0. At the defaults NATO's
# largest gain is 1921/1400 (τ where Russia's gain is 0: τ = (291/200)/(133/80) = 582/665, gain
# 1/8 + (57/40)(582/665) = 1921/1400), so the zone closes at c_NATO = 1/2 + 1921/1400 = **2621/1400 ≈ 1.87**.
#
# </details>

# %% [answer]
tau_max = b / c
largest_nato_gain = Fraction(1, 8) + a * tau_max
assert largest_nato_gain == Fraction(1921, 1400)
by_cost = infrastructure.sensitivity("c_NATO", grid=["0", "1", "3/2", "2", "5/2"], solution="nash")
print([(t.value, t.opens) for t in by_cost.thresholds])
assert by_cost.thresholds[0].value == Fraction(1, 2) + largest_nato_gain and not by_cost.thresholds[0].opens

# %% [markdown]
# **Exercise 4.** In the two-issue model, how much weight must Russia put on membership before
# talks about membership *alone* (stationing at no limit) can succeed?
#
# <details><summary>Answer</summary>
#
# Deferral must score at least τ = 9/19 for Russia, i.e. its membership weight must reach
# **9/19 ≈ 0.47** (NATO, with stationing unlimited, still scores 1/2 ≥ 9/19 after a deferral).
# Above it, a moratorium on membership becomes a possible deal on its own.
#
# </details>

# %% [answer]
for weight, opens in (("9/20", False), ("1/2", True)):
    alone = ng.bargain(ng.restrict(two_issues.problem_at({"wR_membership": weight}), "membership", status_quo))
    assert alone.zone.empty is not opens, weight
