# %% [markdown]
# # 11. How robust is a conclusion? Claims, their share of the assumption space, and where they flip
#
# **Learning goal.** You can read a model's headline claim as a statement about a *region* of its
# parameter space, not about one point; measure the share of the documented assumption space where
# the claim holds (with its 95 % interval), find the exact values at which it flips when one
# assumption moves, and say which assumptions the claim hangs on.

# %% [markdown]
# ## The story
#
# Notebook 2 found that the NATO–Russia security dilemma is a **Prisoner's Dilemma** at the
# defaults of `security_dilemma`: both deploy although both prefer mutual restraint. But four of the
# model's magnitudes — the cost of deploying `k`, the gain from deploying alone `G`, the loss from
# being caught alone `L` and the war-risk cost of a mutual build-up `W` — are *illustrative
# assumptions*, tagged `assumption` in the scenario file with a documented range. A reader who
# teaches Jervis (1978) will ask: is "it is a Prisoner's Dilemma" a finding about the world, or
# about the numbers we happened to type?
#
# The scenario file states its claim as data, in a `[[claims]]` table: the sentence a reader sees
# and the predicates that must hold on the result (here: the classic-game class, the equilibrium
# profile, the number of equilibria). `ng.robustness` then asks where in the documented space the
# predicates hold.

# %%
import os
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


scenario = ng.load("security_dilemma")
claim = scenario.claims[0]
print(claim.id, "—", claim.text)
print("predicates:", claim.describe())
print("assumption-tagged:", [(p.name, str(p.low), str(p.high)) for p in scenario.parameters
                             if p.confidence == "assumption"])

# %% [markdown]
# ## One assumption at a time: exact flip points
#
# Hold every parameter at its default but one, say the cost of deploying `k`. At ω = 1/2, φ = 1/4,
# G = 4, L = 10, W = 2, v = 1 the payoffs are R = 0, T = vGω(1 − φ(1 − ω)) − k = 7/4 − k, S = −15/4,
# P = −1 − k. The game is a Prisoner's Dilemma when T > R > P > S: T > R needs **k < 7/4**, P > S
# needs k < 11/4, and R > P always holds. So over k's documented range [0, 10] the claim holds on
# [0, 7/4): an exact share of **(7/4)/10 = 7/40**. `ng.robustness` finds these flip points exactly (they are roots of the payoff
# differences, solved with sympy) for every assumption-tagged parameter.

# %%
result = ng.robustness("security_dilemma", samples=400, seed=0)
figures = result.claim("prisoners_dilemma")
flips = {f.parameter: f for f in figures.flips}
for f in figures.flips:
    print(f"{f.parameter} alone: holds on {f.describe_holding()}, flips at {list(map(str, f.flips))}, "
          f"exact share {f.share}")
assert [str(v) for v in flips["k"].flips] == ["7/4"] and str(flips["k"].share) == "7/40"
assert [str(v) for v in flips["G"].flips] == ["16/7"]  # T > R needs 7G/16 > k = 1

# %% [markdown]
# ## Play: push one assumption until the claim flips
#
# (The explorer needs `pip install -e '.[notebook]'`; when you release a slider it solves the
# model again and redraws its tables and figure.)
#
# **Predict, then move the slider.** The explorer starts at the defaults (k = 1): a Prisoner's
# Dilemma. Write down your prediction first: how far must the cost of deploying `k` rise before the
# claim fails, and which game does the security dilemma become? What happens beyond k = 11/4? Then
# move `k`.
#
# <details><summary>Answer</summary>
#
# T = 7/4 − k falls below R = 0 for **k > 7/4**: the game becomes a **Stag Hunt** (R > T > P > S) as
# long as P = −1 − k stays above S = −15/4, i.e. k < 11/4. Beyond **k = 11/4** S > P as well: the
# game is **Harmony**, mutual restraint the only equilibrium.
#
# </details>

# %%
from negotiation.report.explorer import explorer

app = explorer("security_dilemma", values={"k": 1})
app

# %% [answer]
for cost, expected in (("5/2", "Stag Hunt"), ("3", "Harmony"), ("3/2", "Prisoner's Dilemma")):
    assert scenario.solve({"k": cost}).details["classification"].startswith(expected)

# %% [markdown]
# ## All assumptions at once: the share of the assumption space
#
# Now draw all four magnitudes together, each uniformly over its documented range, and keep only
# draws that respect the file's assumption L ≥ W (the others are discarded and redrawn, so the
# share is conditional on the assumption; the acceptance rate is reported). The share where the
# claim holds comes with a Wilson 95 % interval.

# %%
print(result.to_text())
figure = result.plot()
save_figure(figure, FIGURES / "11-robustness")
show(figure)

# %% [markdown]
# ## Check it by hand
#
# The claim is a set of inequalities, so we can estimate the same share with a few lines of
# numpy, independently of the toolkit's solver: with ω = 1/2, φ = 1/4, v = 1 it is a Prisoner's
# Dilemma iff 7G/16 > k (T > R) and k + W/2 < 3L/8 (P > S). Draw (k, G, L, W) uniformly, keep L ≥ W.

# %%
rng = np.random.default_rng(2026)
k, G, L, W = (rng.uniform(0, high, 200_000) for high in (10, 20, 20, 10))
kept = L >= W
by_hand = np.mean(((7 * G / 16 > k) & (k + W / 2 < 3 * L / 8))[kept])
low, high = figures.interval
print(f"by hand: {by_hand:.3f} (acceptance {kept.mean():.3f}); toolkit: {figures.share:.3f} "
      f"(95 % {low:.3f}–{high:.3f})")
assert low - 0.01 < by_hand < high + 0.01
assert abs(kept.mean() - 3 / 4) < 0.01  # P(L >= W) = 1 - (1/2)(10/20) = 3/4

# %% [markdown]
# ## Interpretation
#
# * At the defaults the claim holds, but over the documented ranges of the four illustrative
#   magnitudes it holds in only about a fifth of the space: "a Prisoner's Dilemma" is a
#   conclusion *about the numbers chosen*, unless those numbers can be defended.
# * The flip points say what would have to be believed: the cost of deploying below 7/4 (the
#   gain from deploying alone, 7G/16), the loss from being caught alone above 16/3, the war-risk cost
#   below 11/2. Each is a question for the empirical literature, not for the model.
# * The sensitivity column names the assumptions the verdict hangs on most (a variance-based
#   first-order index, Saltelli et al. 2008, ch. 4): argue about those first.
#
# **Assumptions.** Uniform draws over documented ranges are themselves a choice: a declared prior
# (`prior = "beta:2:5"` on a parameter) changes the shares, not the exact flip points.

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** By hand: over W's range [0, 10], with the other parameters at their defaults,
# where does the claim flip and what is its exact share? Check with `flips["W"]`.
#
# <details><summary>Answer</summary>
#
# P > S ⇔ −1 − W/2 > −15/4 ⇔ **W < 11/2**, and T > R holds at the defaults (T = 3/4). The assumption
# L = 10 ≥ W holds over the whole range, so the exact share is (11/2)/10 = **11/20**.
#
# </details>
#
# **Exercise 2.** Over L's range [0, 20] the claim holds for L > 16/3. Why is its exact share
# 22/27 rather than (20 − 16/3)/20 = 11/15?
#
# <details><summary>Answer</summary>
#
# Draws with L < W = 2 break the assumption L ≥ W and are discarded, so L is effectively uniform
# on [2, 20]: the share is (20 − 16/3)/(20 − 2) = (44/3)/18 = **22/27**.
#
# </details>

# %% [answer]
from fractions import Fraction

assert flips["W"].share == Fraction(11, 20) and flips["W"].flips == (Fraction(11, 2),)
assert flips["L"].share == Fraction(22, 27) and flips["L"].flips == (Fraction(16, 3),)
