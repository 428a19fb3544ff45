# %% [markdown]
# # 4. The shadow of the future: repeated games and arms control
#
# **Learning goal.** You can explain why a Prisoner's Dilemma that is hopeless when played once
# can support restraint when it is played again and again, compute the critical discount factor
# for grim trigger and tit-for-tat, state the folk theorem and draw the set of payoffs it
# covers, and explain why a known last round unravels cooperation.

# %% [markdown]
# ## The story
#
# Arms control is a repeated relationship. The CFE Treaty (1990) was implemented through
# thousands of on-site inspections: by November 1995 nearly 50,000 items of equipment had been
# destroyed and more than 2,300 inspections carried out (UK House of Commons Defence
# Committee; checked against the source). Each side could observe the other's holdings and
# respond in the next period. The regime eroded when that repetition weakened: Russia
# "suspended" CFE in 2007, stopped attending its Joint Consultative Group in 2015 and withdrew
# on 7 November 2023 (checked against the source).
#
# Axelrod (*The Evolution of Cooperation*, 1984) and Oye (ed., *Cooperation under Anarchy*,
# *World Politics* 38(1), 1985) called the effect of future interaction the **shadow of the
# future**: a state that deploys today gains once but loses the other's restraint in every
# later period.
#
# **Model** (bundled `security_dilemma_repeated`, [@Axelrod1984; @Friedman1971]): the stage game of notebook 2
# (toolkit parametrisation: T = ωG + v − k, S = −ωL(1 − φ), P = v − k − ωW, R = 0), played every
# period with perfect monitoring; a payoff one period ahead is worth δ times a payoff now (or δ is
# the probability that the relationship continues).

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


repeated = ng.load("security_dilemma_repeated")
stage = repeated.game_at()
stage

# %% [markdown]
# At the defaults (ω = 1/2, φ = 1/4, k = 1, G = 4, L = 10, W = 2, v = 0) the stage game is the
# Prisoner's Dilemma of notebook 1: T = 1 > R = 0 > P = −2 > S = −15/4. Played once, both deploy.

# %%
one_shot = repeated.solve()
print(one_shot)
assert [e.payoffs for e in one_shot] == [(-2, -2)]

# %% [markdown]
# ## Grim trigger and tit-for-tat
#
# **Grim trigger**: restrain as long as the other has always restrained; after any deployment,
# deploy forever. Deviating once gains T − R now and loses R − P in every later period, so
# restraint is sustained iff (T − R) ≤ δ/(1 − δ)·(R − P), i.e.
#
# δ ≥ δ* = (T − R)/(T − P) = 1/(1 + 2) = **1/3** (Friedman 1971).
#
# **Tit-for-tat** (copy the other's last move) is collectively stable iff
# δ ≥ max{(T − R)/(T − P), (T − R)/(R − S)} = max{1/3, 1/(15/4)} = max{1/3, 4/15} = **1/3**
# (Axelrod 1984).
#
# The scenario's `[repetition]` table asks for exactly this analysis; `scenario.analyses()`
# runs it at the scenario's discount factor (δ = 9/10 by default) and also returns the formula.

# %%
analysis = repeated.analyses()["repetition"]
print(analysis)
thresholds = {t.strategy: t for t in analysis.thresholds}
assert thresholds["grim_trigger"].threshold == Fraction(1, 3) and thresholds["grim_trigger"].sustained
assert thresholds["tit_for_tat"].threshold == Fraction(1, 3)
assert str(thresholds["grim_trigger"].formula) == "(G*omega - k + v)/(omega*(G + W))"

# %% [markdown]
# The same functions work on any game. With Axelrod's tournament payoffs T = 5, R = 3, P = 1,
# S = 0: grim trigger needs δ ≥ (5 − 3)/(5 − 1) = **1/2**, tit-for-tat
# δ ≥ max{1/2, 2/3} = **2/3**.

# %%
axelrod = ng.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("NATO", "Russia"),
                              strategies=(("Restrain", "Deploy"), ("Restrain", "Deploy")))
assert ng.grim_trigger_threshold(axelrod, ("Restrain", "Restrain")) == Fraction(1, 2)
assert ng.tit_for_tat_threshold(axelrod, "Restrain") == Fraction(2, 3)

# %% [markdown]
# ## How much shadow does offence dominance require?
#
# In the parameters, δ* = (ωG + v − k)/(ω(G + W)) = (4ω − 1)/(6ω) for ω > 1/4 (below 1/4 the stage
# game is not a Prisoner's Dilemma and no shadow is needed). It rises from 0 at ω = 1/4 to
# **1/2** at ω = 1: the more offence dominates, the more the future must weigh.

# %%
omegas = [Fraction(i, 20) for i in range(6, 21)]
critical = [repeated.analyses({"omega": w})["repetition"].thresholds[0].threshold for w in omegas]
assert critical == [(4 * w - 1) / (6 * w) for w in omegas]
assert critical[-1] == Fraction(1, 2)

figure, axes = plt.subplots(figsize=(7, 4), layout="constrained")
axes.plot([float(w) for w in omegas], [float(d) for d in critical], "o-")
axes.fill_between([float(w) for w in omegas], [float(d) for d in critical], 1, alpha=0.15,
                  label="restraint sustained by grim trigger")
axes.set_xlabel("offence dominance ω")
axes.set_ylabel("discount factor δ")
axes.set_ylim(0, 1)
axes.set_title("Critical shadow of the future δ*(ω) = (4ω − 1)/(6ω)")
axes.legend(loc="lower right")
save_figure(figure, FIGURES / "04-critical-discount")
show(figure)

# %% [markdown]
# ## Play: how long a shadow?
#
# (The explorer needs `pip install -e '.[notebook]'`; when you release a slider it solves the
# model again and redraws its tables and figure.)
#
# The explorer shows the stage game, its equilibria and, under the payoff table, the repeated-game
# analysis at the current δ (column "at this δ"). The map is ω × δ, coloured by the stage game:
# its bands are vertical, because δ does not change the stage game, only what repetition can sustain.
#
# **Predict, then move the slider.** At ω = 1/2 and δ = 1/4 grim trigger does not sustain
# restraint. Write down your prediction first: from which δ on does it? Then raise offence
# dominance to ω = 1: is that δ still enough? Move δ, then ω.
#
# <details><summary>Answer</summary>
#
# δ* = (4ω − 1)/(6ω) = **1/3** at ω = 1/2: "not sustained" at δ = 0.330, "sustained" from
# δ = 0.335 on the slider. At ω = 1, δ* = 3/6 = **1/2**: a δ between 1/3 and 1/2 no longer
# sustains restraint. The stage game stays a Prisoner's Dilemma with the single equilibrium
# (Deploy, Deploy) all along.
#
# </details>

# %%
from negotiation.report.explorer import explorer

app = explorer("security_dilemma_repeated", values={"delta": "1/4"}, map_axes=("omega", "delta"))
app

# %% [answer]
def grim(values):
    return repeated.analyses(values)["repetition"].thresholds[0]

assert not grim({"delta": "33/100"}).sustained and grim({"delta": "335/1000"}).sustained
assert grim({"omega": 1, "delta": "2/5"}).threshold == Fraction(1, 2) and not grim({"omega": 1, "delta": "2/5"}).sustained

# %% [markdown]
# ## The folk theorem
#
# Grim trigger is one strategy among many. The folk theorem (Fudenberg and Maskin 1986) says
# that for δ close enough to 1 *every* feasible payoff vector strictly above each player's
# **minmax** value (the least the other can hold it to; here P = −2, by deploying) is the
# average payoff of some subgame-perfect equilibrium. The feasible payoffs are the convex hull
# of the four outcomes; its individually rational part has the vertices (−2, −2), (8/15, −2),
# (0, 0), (−2, 8/15): for instance (8/15, −2) lies on the segment from (0, 0) to (1, −15/4),
# where u_Russia = −15/4 · u_NATO = −2 ⇒ u_NATO = 8/15.

# %%
folk = ng.folk_theorem(stage, discount="9/10")
print(folk)
assert folk.minmax == {"NATO": -2, "Russia": -2}
assert set(folk.individually_rational_vertices) == {(-2, -2), (Fraction(8, 15), -2), (0, 0), (-2, Fraction(8, 15))}

# %%
def closed(points):
    points = [tuple(float(c) for c in p) for p in points]
    return [p[0] for p in points + points[:1]], [p[1] for p in points + points[:1]]

figure, axes = plt.subplots(figsize=(6, 6), layout="constrained")
axes.fill(*closed(folk.feasible_vertices), color="lightgrey", label="feasible payoffs")
axes.fill(*closed(folk.individually_rational_vertices), color="tab:green", alpha=0.5,
          label="individually rational (folk theorem)")
for profile in stage.profiles():
    payoff = stage[profile]
    axes.plot(float(payoff["NATO"]), float(payoff["Russia"]), "ko")
    axes.annotate(", ".join(profile), (float(payoff["NATO"]), float(payoff["Russia"])),
                  textcoords="offset points", xytext=(5, 5), fontsize=9)
axes.axvline(-2, color="grey", linestyle=":")
axes.axhline(-2, color="grey", linestyle=":")
axes.set_xlabel("NATO's average payoff")
axes.set_ylabel("Russia's average payoff")
axes.set_title("Folk theorem: payoffs of the repeated security dilemma")
axes.legend(loc="lower left")
save_figure(figure, FIGURES / "04-folk-theorem")
show(figure)

# %% [markdown]
# ## A known last round: unravelling
#
# If both know the relationship ends after n rounds (a treaty with a fixed expiry date and no
# prospect of renewal), then in the last round the game is one-shot: both deploy. In the round
# before, nothing done today changes tomorrow, so both deploy again, and so on back to the first
# round (Selten 1965). With a unique stage equilibrium the 5-round game gives (−2)·5 = **−10** each.

# %%
five_rounds = ng.finitely_repeated(stage, 5)
print(five_rounds)
assert five_rounds.unique and five_rounds.total_payoffs == (-10, -10)

# %% [markdown]
# ## Interpretation
#
# * A long shadow of the future can turn a Prisoner's Dilemma into a problem of coordination:
#   restraint becomes an equilibrium (but so does the arms race, which is always one).
# * The shadow needed grows with offence dominance; arms control that reduces offensive
#   potential (ω) and transparency that makes deviations visible (perfect monitoring is assumed
#   here) are complements.
# * The erosion of CFE and Open Skies can be read as a shortening of the shadow: fewer
#   observed interactions, less certainty of continuation, lower effective δ.
# * Fixed end dates matter: a treaty believed to be expiring invites unravelling. Open-ended
#   or renewable regimes keep the shadow long.
#
# **Assumptions.** Perfect monitoring, the same stage game every period (no shift in power:
# see notebook 10), equal discount factors, punishment by reversion to the arms race.

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** Raise the war-risk cost of an arms race to W = 4. What is the critical δ for
# grim trigger now? Interpret.
#
# <details><summary>Answer</summary>
#
# T − P = ω(G + W) = 1/2 · 8 = 4 and T − R = 1, so δ* = **1/4**. A more dangerous arms race
# makes the punishment harsher and cooperation easier to sustain: mutual vulnerability helps.
#
# </details>

# %% [answer]
assert repeated.analyses({"W": 4})["repetition"].thresholds[0].threshold == Fraction(1, 4)

# %% [markdown]
# **Exercise 2.** At δ = 1/5, is mutual restraint sustained by grim trigger at the defaults?
# What does the folk theorem say?
#
# <details><summary>Answer</summary>
#
# No: 1/5 < 1/3. The folk theorem is a statement about δ *close to 1*; at δ = 1/5 it promises
# nothing. `folk_theorem(stage, discount="1/5")` reports the profile as not sustained by grim trigger.
#
# </details>

# %% [answer]
impatient = ng.folk_theorem(stage, discount="1/5")
assert not impatient.profile(("Restrain", "Restrain")).sustained

# %% [markdown]
# **Exercise 3.** Greedy states: with v = 3 the stage game is Deadlock. Can repetition sustain
# mutual restraint?
#
# <details><summary>Answer</summary>
#
# No. With v = 3, P = 3 − 1 − 1 = 1 > R = 0: mutual restraint gives each side *less* than its
# minmax value 1, so it is not individually rational and no strategy can sustain it, however
# patient the states. The shadow of the future helps security seekers, not greedy states.
#
# </details>

# %% [answer]
greedy = ng.folk_theorem(repeated.game_at({"v": 3}))
print(greedy)
assert greedy.minmax["NATO"] == 1
assert greedy.profile(("Restrain", "Restrain")).folk != "sustainable"
