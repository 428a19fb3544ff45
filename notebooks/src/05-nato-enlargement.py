# %% [markdown]
# # 5. NATO enlargement under uncertainty
#
# **Learning goal.** You can model enlargement as a sequential game (NATO moves, Russia
# responds), solve it by backward induction, read off the window in which the Founding Act's
# stationing limits work, and see how uncertainty about Russia's threat perception, either
# as a parameter with a prior (Monte Carlo) or as Russia's private type (a chance move), changes
# NATO's choice.

# %% [markdown]
# ## The story
#
# Enlargement was the "red line" of the 2021 debate. Kydd ("Trust Building, Trust Breaking:
# The Dilemma of NATO Enlargement", *IO* 55(4), 2001; abstract checked against the source)
# argues that enlargement builds trust among members but breaks trust with the outsider. The
# NATO–Russia Founding Act (Paris, 27 May 1997) contains NATO's conditional pledge: "NATO
# reiterates that in the current and foreseeable security environment, the Alliance will carry
# out its collective defence and other missions by ensuring the necessary interoperability,
# integration, and capability for reinforcement rather than by additional permanent stationing
# of substantial combat forces" [@FoundingAct1997, sec. IV]. The Act defines no number for
# "substantial", and the pledge holds only in "the current and foreseeable security
# environment": the dispute over rotational deployments since 2014 turns on both. Russia's possible answers range from acceptance to militarising its side of the
# border to coercing the candidate.
#
# **Model** (bundled `nato_enlargement`, a toolkit parametrisation, [@Kydd2001]): NATO
# admits a candidate fully, admits it *with limits* on stationing, or defers. Russia observes
# and accepts, militarises, or coerces. Payoffs (NATO, Russia) relative to the status quo:
# full membership accepted (m, −t); with limits accepted ((1 − l)m, −(1 − l)t); Russia
# militarises: (NATO's membership value − k, −k); coercion (−c, −c). Defaults: value of
# membership m = 4, threat perception t = 5, cost of militarisation k = 3, cost of conflict
# c = 10, share of value and threat removed by limits l = 3/5, all illustrative.

# %%
import os
from fractions import Fraction
from math import log
from pathlib import Path

import matplotlib.pyplot as plt
from IPython.display import Markdown

import negotiation as ng
from negotiation.report.figures import save_figure

FIGURES = Path(os.environ.get("NEGOTIATION_FIGURES") or "figures")


def show(figure):
    """Show a figure once below the cell (closed in pyplot, so that it is not drawn a second time)."""
    plt.close(plt.figure())  # load pyplot's display backend, which matplotlib loads only on first use
    plt.close(figure)
    return figure


enlargement = ng.load("nato_enlargement")
result = enlargement.solve()
print(result)

# %% [markdown]
# ## Backward induction by hand
#
# Start at Russia's nodes. After full admission: accept −5, militarise −3, coerce −10 ⇒
# **militarise**. After admission with limits: accept −(1 − 3/5) · 5 = −2, militarise −3,
# coerce −10 ⇒ **accept**. After deferral: accept 0 ⇒ accept. NATO then compares full
# membership with a militarised border, m − k = 1, limited membership accepted,
# (1 − l)m = 8/5, and the status quo 0 ⇒ **admit with limits**; payoffs (8/5, −2).

# %%
spe = result[0]
assert len(result) == 1 and result.exact
assert spe.path == ("Admit with limits", "Accept")
assert spe["Russia"]["Admit"]["Militarise"] == 1
assert spe.payoffs == (Fraction(8, 5), -2)

figure = ng.plot_tree(enlargement.game_at(), result)
save_figure(figure, FIGURES / "05-enlargement-tree")
show(figure)

# %% [markdown]
# ## The window in which limits work
#
# Russia accepts limited membership iff (1 − l)t ≤ k, i.e. l ≥ 1 − k/t = **2/5**; NATO prefers
# limits to full membership with a militarised border iff (1 − l)m ≥ m − k, i.e.
# l ≤ k/m = **3/4**. A sweep of l over 0, 1/20, …, 1 (trees are solved point by point) shows
# the regions; at l = 2/5 and l = 3/4 exactly a player is indifferent and both equilibria are
# listed.

# %%
l_sweep = ng.sweep(enlargement, grid=["l=0:1:21"])
Markdown(l_sweep.summary_table().to_markdown())

# %% [markdown]
# In the sweep's table (one row per equilibrium and grid point) the column `outcome` gives
# the equilibrium path as `action/action`.

# %%
table = l_sweep.table()
outcomes = table.groupby(table["l_exact"].map(Fraction))["outcome"].apply(set).to_dict()  # exact grid values
assert outcomes[Fraction(1, 4)] == {"Admit/Militarise"}
assert outcomes[Fraction(1, 2)] == {"Admit with limits/Accept"}
assert outcomes[Fraction(4, 5)] == {"Admit/Militarise"}
assert outcomes[Fraction(2, 5)] == outcomes[Fraction(3, 4)] == {"Admit with limits/Accept", "Admit/Militarise"}

# %% [markdown]
# The symbolic version (`derive`) gives the regions in the cost of militarisation k, with the
# other parameters fixed: full membership with a militarised border for k ≤ lm = 12/5, limited
# membership accepted for 12/5 ≤ k ≤ t = 5, full membership accepted for k ≥ 5.

# %%
regions = enlargement.derive({"m": 4, "t": 5, "c": 10, "l": "3/5"})
print(regions)
assert sorted({t.value for t in regions.thresholds if t.parameter == "k"}) == [2, Fraction(12, 5), 5]

# %% [markdown]
# ## Play: open and close the window
#
# (The explorer needs `pip install -e '.[notebook]'`; when you release a slider it solves the
# model again and redraws its tables and figure.)
#
# **Predict, then move the slider.** The explorer shows the tree at the defaults (l = 3/5) with
# the equilibrium path highlighted. Write down your prediction first: what happens at l = 0.30,
# and at l = 0.80? Which player changes its move, and what are the payoffs? Then move l (and
# try Russia's cost of militarising, k: where does the window close?).
#
# <details><summary>Answer</summary>
#
# At **l = 0.30** limits take too little away for Russia: accepting costs (1 − 3/10) · 5 = 7/2 >
# k = 3, so Russia would militarise after limited membership, and NATO admits fully: path
# Admit → Militarise, payoffs (m − k, −k) = **(1, −3)**. At **l = 0.80** limits cost NATO more than
# the militarised border: (1 − 4/5) · 4 = 4/5 < m − k = 1, same path and payoffs. The window is
# 2/5 ≤ l ≤ 3/4 = k/m. In k (at l = 3/5) limits work only for lm = 12/5 ≤ k ≤ t = 5, as `derive`
# said above: try k = 2 (NATO admits fully, Russia militarises) and k = 6 (Russia accepts full membership).
#
# </details>

# %%
from negotiation.report.explorer import explorer

app = explorer("nato_enlargement", values={"l": "3/5"})
app

# %% [answer]
for l in ("3/10", "4/5"):
    equilibria = enlargement.solve({"l": l})
    assert [(e.path, e.payoffs) for e in equilibria] == [(("Admit", "Militarise"), (1, -3))]

# %% [markdown]
# ## Uncertainty 1: a prior over the parameters (Monte Carlo)
#
# NATO does not know Russia's threat perception t, and nobody knows how much of the threat
# "limits" would remove. Put uniform priors on t ∈ [0, 10] and l ∈ [0, 1] and sample 300
# points (`samples=300, seed=1`; the seed makes the run reproducible).
#
# By hand (m = 4, k = 3, c = 10): Russia accepts full membership iff t < 3; otherwise NATO
# chooses limits iff Russia accepts them ((1 − l)t < 3) and l < 3/4. So the probability of
# "admit with limits, accepted" is
# (1/10)∫₃¹⁰ (3/t − 1/4) dt = (3 ln(10/3) − 7/4)/10 ≈ **0.186**, and of full membership
# accepted 3/10.

# %%
mc = ng.sweep(enlargement, samples=300, seed=1, priors={"t": "uniform", "l": "uniform"})
Markdown(mc.summary_table().to_markdown())

# %%
def predicted(t, l):
    if t < 3:
        return "Admit/Accept"
    if (1 - l) * t < 3 and l < 0.75:
        return "Admit with limits/Accept"
    return "Admit/Militarise"

sampled = mc.table()
assert all(predicted(float(t), float(l)) == outcome
           for t, l, outcome in zip(sampled["t"], sampled["l"], sampled["outcome"]))
limits_share = (sampled["outcome"] == "Admit with limits/Accept").mean()
closed_form = (3 * log(10 / 3) - 7 / 4) / 10
print(f"share with limits accepted: sample {limits_share:.3f}, closed form {closed_form:.3f}")
assert abs(limits_share - closed_form) < 0.05

# %%
figure, axes = plt.subplots(figsize=(7, 5), layout="constrained")
colours = {"Admit/Accept": "tab:blue", "Admit with limits/Accept": "tab:green",
           "Admit/Militarise": "tab:red"}
for outcome, colour in colours.items():
    rows = sampled[sampled["outcome"] == outcome]
    axes.scatter(rows["t"].astype(float), rows["l"].astype(float), s=14, color=colour, label=outcome.replace("/", " → "))
ts = [3 + i * 7 / 100 for i in range(101)]
axes.plot(ts, [1 - 3 / t for t in ts], "k--", label="(1 − l)t = k")
axes.axhline(0.75, color="k", linestyle=":", label="l = k/m")
axes.set_xlabel("Russia's threat perception t")
axes.set_ylabel("share l removed by stationing limits")
axes.set_title("Enlargement outcomes under uncertainty (300 samples)")
axes.legend(loc="upper left", bbox_to_anchor=(1.02, 1), frameon=False)
save_figure(figure, FIGURES / "05-enlargement-monte-carlo")
show(figure)

# %% [markdown]
# ## Uncertainty 2: Russia's private type
#
# Now suppose Russia knows its own threat perception but NATO does not: with probability p
# Russia is *hawkish* (t = 8), otherwise *moderate* (t = 5). NATO moves first; nature then
# draws Russia's type; Russia responds knowing it. We build this tree in Python with
# `ng.GameTree.from_nested`: `ng.decision(player, {action: child})`, `ng.chance({label:
# (probability, child)})` and `ng.terminal(payoff NATO, payoff Russia)`.
#
# By hand: a hawkish Russia militarises against *both* forms of admission (accepting limits
# costs it (2/5) · 8 = 16/5 > 3), which leaves NATO with 8/5 − 3 = −7/5 after limited
# admission. NATO's expected payoff from limits is (1 − p) · 8/5 + p · (−7/5) = 8/5 − 3p, from
# full admission 1 (always militarised), from deferral 0. Limits remain best iff
# 8/5 − 3p ≥ 1, i.e. **p ≤ 1/5**.

# %%
M, K, C, L = 4, 3, 10, Fraction(3, 5)


def russia(value_to_nato, threat):
    return ng.decision("Russia", {"Accept": ng.terminal(value_to_nato, -threat),
                                  "Militarise": ng.terminal(value_to_nato - K, -K),
                                  "Coerce": ng.terminal(-C, -C)})


def enlargement_with_types(p):
    def types(value_to_nato, share_of_threat):
        return ng.chance({"Hawkish": (p, russia(value_to_nato, share_of_threat * 8)),
                          "Moderate": (1 - p, russia(value_to_nato, share_of_threat * 5))})
    return ng.GameTree.from_nested(("NATO", "Russia"), ng.decision("NATO", {
        "Admit": types(M, 1),
        "Admit with limits": types((1 - L) * M, 1 - L),
        "Defer": types(0, 0)}), title=f"Enlargement, Russia hawkish with probability {p}")


def nato_choices(p):
    """NATO's first move in every subgame-perfect equilibrium, and its expected payoff."""
    return {(e.profile.choice("NATO", "root"), e.payoffs[0])
            for e in ng.backward_induction(enlargement_with_types(p))}


for p in (Fraction(1, 10), Fraction(1, 5), Fraction(3, 10)):
    print(f"p = {p}: (NATO's move, NATO's expected payoff) = {nato_choices(p)}")

assert nato_choices(Fraction(1, 10)) == {("Admit with limits", Fraction(13, 10))}   # 8/5 - 3/10
assert nato_choices(Fraction(1, 5)) == {("Admit", 1), ("Admit with limits", 1)}      # a tie at p = 1/5
assert nato_choices(Fraction(3, 10)) == {("Admit", 1)}

# %% [markdown]
# ## Uncertainty 3: a security seeker or a revisionist (the bundled model)
#
# The bundled scenario `nato_enlargement_bayesian` asks a different question about Russia's
# type: not *how threatened* Russia feels, but *what it wants*. With probability p Russia is a
# security seeker (the payoffs above); otherwise it is a revisionist that gains g from
# dominating a candidate left outside NATO, l·g from pressuring a member that has no allied
# forces on its soil (admission with limits), and nothing from a full member.
#
# By hand, at the defaults (g = 15): a revisionist coerces a limited member (l·g − c = 9 − 10 = −1
# beats accepting, −2) and a candidate left outside (g − c = 5 > 0), so limits are worth
# p · 8/5 − (1 − p) · 10 to NATO against 1 for full membership with a militarised border. NATO
# offers limits only if p ≥ 11/(58/5) = **55/58**. `derive` finds this threshold symbolically.

# %%
bayesian = ng.load("nato_enlargement_bayesian")
print(bayesian.solve())
derivation = bayesian.derive({"m": 4, "t": 5, "k": 3, "c": 10, "l": Fraction(3, 5), "g": 15})
print(derivation)

(at_defaults,) = bayesian.solve()
assert at_defaults.profile.choice("NATO", "root") == "Admit"
assert any("55/58" in str(threshold) for threshold in derivation.thresholds)
(trusting,) = bayesian.solve({"p": Fraction(19, 20)})
assert trusting.profile.choice("NATO", "root") == "Admit with limits"
assert trusting.payoffs[0] == Fraction(19, 20) * Fraction(8, 5) - Fraction(1, 20) * 10   # = 51/50

# %% [markdown]
# ## Interpretation
#
# * Limits on stationing can buy acceptance, but only inside a window: they must remove enough
#   of the threat for Russia (l ≥ 1 − k/t) and leave enough military value for NATO (l ≤ k/m).
#   If Russia's threat perception is high, limits no longer reassure, and NATO is better off
#   with full membership and a militarised border, the outcome of the years after 2014.
# * Uncertainty is not neutral: with even a 1-in-5 chance of a hawkish Russia, NATO abandons
#   limits, because limits are wasted exactly when they are most needed. This is the
#   "dilemma of enlargement" in miniature. Uncertainty about *motives* cuts the other way
#   too: if a revisionist would exploit a member without allied forces, limits are worth
#   offering only when trust is very high (p ≥ 55/58 at the defaults).
# * The Monte Carlo summary is a way to report a model whose parameters are uncertain: not
#   one answer, but the probability of each outcome under stated priors.
#
# **Assumptions.** Perfect information in the bundled model; Russia a security seeker (no
# intrinsic gain from militarising); illustrative magnitudes; uniform priors chosen for
# teaching, not estimated.

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** Cheap conflict: set c = 1 in the bundled model. What does NATO do, and why?
#
# <details><summary>Answer</summary>
#
# With c = 1 < (1 − l)t = 2 Russia would coerce the candidate after either form of admission
# (−1 beats −2 and −3), which leaves NATO with −1; deferral gives 0. **NATO defers.** A cheap
# threat of coercion is a credible veto.
#
# </details>

# %% [answer]
cheap = enlargement.solve({"c": 1})
print(cheap)
assert [e.path for e in cheap] == [("Defer", "Accept")]

# %% [markdown]
# **Exercise 2.** In the typed model, let a hawkish Russia have t = 7 instead of 8. Up to which
# probability p of a hawkish Russia do limits remain NATO's choice?
#
# <details><summary>Answer</summary>
#
# A hawkish Russia now compares accepting limits, −(2/5) · 7 = −14/5, with militarising, −3:
# it **accepts**. Limits then give NATO 8/5 whatever the type, more than full admission (1):
# limits are chosen for **every** p. Small changes in the worst case matter more than the
# probability attached to it.
#
# </details>

# %% [answer]
def typed_tree(p, hawkish_t):
    def types(value_to_nato, share):
        return ng.chance({"Hawkish": (p, russia(value_to_nato, share * hawkish_t)),
                          "Moderate": (1 - p, russia(value_to_nato, share * 5))})
    return ng.GameTree.from_nested(("NATO", "Russia"), ng.decision("NATO", {
        "Admit": types(M, 1), "Admit with limits": types((1 - L) * M, 1 - L), "Defer": types(0, 0)}))

for p in (Fraction(1, 5), Fraction(1, 2), Fraction(9, 10)):
    assert [e.profile.choice("NATO", "root")
            for e in ng.backward_induction(typed_tree(p, 7))] == ["Admit with limits"]

# %% [markdown]
# **Exercise 3.** Using the bundled model and `derive`, find the threat perception t above which
# limits no longer reassure (other parameters at defaults).
#
# <details><summary>Answer</summary>
#
# Russia accepts limits iff (1 − l)t ≤ k, i.e. t ≤ k/(1 − l) = 3/(2/5) = **15/2**. Above it
# the outcome is full membership with a militarised border (e.g. t = 8).
#
# </details>

# %% [answer]
t_regions = enlargement.derive({"m": 4, "k": 3, "c": 10, "l": "3/5"})
assert Fraction(15, 2) in {t.value for t in t_regions.thresholds if t.parameter == "t"}
assert [e.path for e in enlargement.solve({"t": 8})] == [("Admit", "Militarise")]
