# %% [markdown]
# # 2. The security dilemma and the four worlds of offence–defence
#
# **Learning goal.** You can state Jervis's (1978) four worlds of offence–defence, place each of
# them in the space of 2×2 games (Harmony, Stag Hunt, Chicken, Prisoner's Dilemma) for security
# seekers and for greedy states, derive the
# exact parameter thresholds between them with `negotiation.symbolic.derive`, and explain why
# the same military facts can produce a spiral in one world and stability in another — and why,
# between two pure security seekers, the dilemma is a Stag Hunt (a problem of trust), never a
# Prisoner's Dilemma.

# %% [markdown]
# ## The story
#
# Jervis's "Cooperation under the Security Dilemma" [@Jervis1978, pp. 167-214] argues that the
# dilemma is eased when **defence has the advantage** and when **defensive postures can be told
# apart** from offensive ones. His four worlds [@Jervis1978, p. 211]:
#
# | | offence has the advantage | defence has the advantage |
# | --- | --- | --- |
# | postures indistinguishable | "doubly dangerous" | security dilemma, but security requirements may be compatible |
# | postures distinguishable | no security dilemma, but aggression possible; warning given | "doubly stable" |
#
# The NATO–Russia debate of 2021 was largely about these two variables. The Vienna Document's
# notification (9,000 troops) and observation (13,000 troops) thresholds, and proposals to
# limit "snap" exercises, aim at *distinguishability*: making a defensive exercise look like one.
# Limits on forward infrastructure and on intermediate-range missiles aim at the
# *offence–defence balance*: reducing what a first move could achieve.
#
# **Model.** The bundled scenario `security_dilemma` (a toolkit parametrisation; Jervis gives no
# formulas): relative to mutual restraint (R = 0),
#
# * T = vGω(1 − φ(1 − ω)) − k (deploy while the other restrains),
# * S = −ωL(1 − φ) (restrain while the other deploys: a loss that warning time reduces),
# * P = −k − ωW (both deploy).
#
# ω is offence dominance, φ distinguishability, k the cost of deploying, G the gain a fully greedy
# state takes from deploying alone, L the loss from being caught alone, W the war risk of an arms
# race, v greed. Both ω and φ act on the temptation: a visible offensive build-up gives the target
# warning, which it can use in proportion to the advantage of defence, 1 − ω. A **pure security
# seeker** (v = 0) gains nothing from exploiting a restrained neighbour, so T = −k < R: it prefers
# mutual restraint to exploitation, the security seeker of Kydd [@Kydd2005, ch. 2] and of
# notebook 3. Magnitudes (k = 1, G = 4, L = 10, W = 2; greedy states v = 1) are illustrative
# assumptions.

# %%
import os
from fractions import Fraction
from pathlib import Path

import matplotlib.pyplot as plt
from IPython.display import Markdown

import negotiation as ng
from negotiation.report.figures import save_figure
from negotiation.report.maps import equilibrium_map

FIGURES = Path(os.environ.get("NEGOTIATION_FIGURES") or "figures")


def show(figure):
    """Show a figure once below the cell (closed in pyplot, so that it is not drawn a second time)."""
    plt.close(plt.figure())  # load pyplot's display backend, which matplotlib loads only on first use
    plt.close(figure)
    return figure


scenario = ng.load("security_dilemma")
scenario.game

# %% [markdown]
# ## The four worlds as four parameter points
#
# We let "offence has the advantage" be ω = 3/4 and "defence has the advantage" ω = 1/4;
# "indistinguishable" φ = 1/4 and "distinguishable" φ = 3/4 (our choice of illustrative points).
# First for two **security seekers** (v = 0), so T = −k = −1 everywhere. By hand, with k = 1,
# L = 10, W = 2:
#
# | world | T | S | P | ordering | game |
# | --- | --- | --- | --- | --- | --- |
# | offence, indistinguishable (ω = 3/4, φ = 1/4) | −1 | −45/8 | −5/2 | R > T > P > S | Stag Hunt |
# | defence, indistinguishable (ω = 1/4, φ = 1/4) | −1 | −15/8 | −3/2 | R > T > P > S | Stag Hunt |
# | offence, distinguishable (ω = 3/4, φ = 3/4) | −1 | −15/8 | −5/2 | R > T, S > P | Harmony |
# | defence, distinguishable (ω = 1/4, φ = 3/4) | −1 | −5/8 | −3/2 | R > T, S > P | Harmony |

# %%
worlds = {
    "offence, indistinguishable": {"omega": "3/4", "phi": "1/4"},
    "defence, indistinguishable": {"omega": "1/4", "phi": "1/4"},
    "offence, distinguishable": {"omega": "3/4", "phi": "3/4"},
    "defence, distinguishable": {"omega": "1/4", "phi": "3/4"},
}
seekers = {name: scenario.solve({**values, "v": 0}) for name, values in worlds.items()}
for name, result in seekers.items():
    print(f"{name:28} {result.details['classification']:35} equilibria: {len(result)}")

expected = {"offence, indistinguishable": "Stag Hunt", "defence, indistinguishable": "Stag Hunt",
            "offence, distinguishable": "Harmony", "defence, distinguishable": "Harmony"}
for name, game_class in expected.items():
    assert seekers[name].details["classification"].startswith(game_class), name

# %% [markdown]
# Both indistinguishable worlds are Stag Hunts: mutual deployment is an equilibrium out of
# *fear* alone. What separates "doubly dangerous" from "security requirements may be
# compatible" is **how much trust restraint needs**. The mixed equilibrium restrains with
# probability q* = (P − S)/((R − T) + (P − S)), the belief about the other above which restraint
# is the best reply:
#
# * offence, indistinguishable: (−5/2 + 45/8)/(1 + 25/8) = (25/8)/(33/8) = **25/33** > 1/2: mutual
#   deployment is *risk dominant*; restraint needs near-certainty about the other;
# * defence, indistinguishable: (−3/2 + 15/8)/(1 + 3/8) = (3/8)/(11/8) = **3/11** < 1/2: mutual
#   restraint is risk dominant; a modest belief in the other's restraint suffices.

# %%
def restraint_in_mixed(result):
    mixed = [e for e in result if e.kind == "mixed"]
    return mixed[0]["NATO"]["Restrain"] if mixed else None

print(seekers["offence, indistinguishable"])
assert restraint_in_mixed(seekers["offence, indistinguishable"]) == Fraction(25, 33)
assert restraint_in_mixed(seekers["defence, indistinguishable"]) == Fraction(3, 11)
assert [e.payoffs for e in seekers["offence, distinguishable"]] == [(0, 0)]
assert [e.payoffs for e in seekers["defence, distinguishable"]] == [(0, 0)]

# %% [markdown]
# **Greedy states** (v = 1, the file's default) value the gain of exploiting a restrained
# neighbour: T = 4ω(1 − φ(1 − ω)) − 1. By hand:
#
# | world | T | ordering | game |
# | --- | --- | --- | --- |
# | offence, indistinguishable | 3(15/16) − 1 = 29/16 | T > R > P > S | Prisoner's Dilemma |
# | defence, indistinguishable | 1(13/16) − 1 = −3/16 | R > T > P > S | Stag Hunt |
# | offence, distinguishable | 3(13/16) − 1 = 23/16 | T > R > S > P | Chicken |
# | defence, distinguishable | 1(7/16) − 1 = −9/16 | R > T, S > P | Harmony |
#
# This is Jervis's second row: with distinguishable postures and offence advantage there is
# "no security dilemma, but aggression possible" — Harmony for security seekers, Chicken for a
# greedy state that may deploy against a restrained neighbour, who at least gets *warning*;
# with defence advantage as well, even the greedy state restrains: "doubly stable".

# %%
greedy = {name: scenario.solve({**values, "v": 1}) for name, values in worlds.items()}
for name, result in greedy.items():
    print(f"{name:28} {result.details['classification']}")
expected_greedy = {"offence, indistinguishable": "Prisoner's Dilemma", "defence, indistinguishable": "Stag Hunt",
                   "offence, distinguishable": "Chicken", "defence, distinguishable": "Harmony"}
for name, game_class in expected_greedy.items():
    assert greedy[name].details["classification"].startswith(game_class), name

# %% [markdown]
# ## Where exactly does each world begin? Symbolic derivation
#
# `derive(scenario)` works with the formulas instead of numbers: it returns the exact
# conditions under which each classic game holds and the **thresholds**, each solved for one
# parameter and evaluated at the defaults of the others (the same as `negotiation derive
# security_dilemma` on the command line). For security seekers (v = 0) the Prisoner's Dilemma
# and Chicken regions are **empty**: T = −k < R whatever ω and φ are.

# %%
from negotiation.symbolic import derive

for name, condition in derive(scenario, {"v": 0}).classification.items():
    print(f"{name:20} {condition}")
assert not derive(scenario, {"v": 0}).classification["Prisoner's Dilemma"].alternatives

# %%
derivation = derive(scenario)
thresholds = {(t.parameter, str(t.expression)): t.value for t in derivation.thresholds}
for (parameter, expression), value in thresholds.items():
    print(f"{parameter:6} = {expression:40} = {value}  (others at defaults)")

# %% [markdown]
# Some thresholds lie outside the parameter ranges and never bind. At the defaults (greedy
# states, v = 1, φ = 1/4) T = R is quadratic in ω, ω² + 3ω − 1 = 0, so the Prisoner's Dilemma
# begins at ω = (√13 − 3)/2 ≈ **0.303**; P = S at ω = k/(L(1 − φ) − W) = 1/(15/2 − 2) = **2/11**;
# in φ at φ = 1 − (k/ω + W)/L = 1 − 4/10 = **3/5**; and the Prisoner's Dilemma needs greed above
# v = k/(Gω(1 − φ(1 − ω))) = 1/(7/4) = **4/7**.

# %%
assert thresholds[("omega", "k/(L*(1 - phi) - W)")] == Fraction(2, 11)
# (√13 − 3)/2 = 0.30277…: the class flips between ω = 30/100 and 31/100
assert scenario.solve({"omega": "30/100"}).details["classification"].startswith("Stag Hunt")
assert scenario.solve({"omega": "31/100"}).details["classification"].startswith("Prisoner's Dilemma")
assert Fraction(3, 5) in [t.value for t in derivation.thresholds if t.parameter == "phi"]
assert Fraction(4, 7) in [t.value for t in derivation.thresholds if t.parameter == "v"]

# %% [markdown]
# ## The map of the four worlds
#
# A sweep over ω × φ (21 × 21 points; small enough to run in seconds) for security seekers,
# coloured by the classic game, with P = S (Stag Hunt above it, Harmony below) and the line where
# mutual deployment becomes risk dominant (q* = 1/2, i.e. ω(L(1 − φ) − W) = 2k) drawn as curves,
# and the four illustrative worlds marked.

# %%
plane = ng.sweep(scenario, grid=["omega=0:1:21", "phi=0:1:21"], values={"v": 0})
figure = equilibrium_map(plane, "omega", "phi", by="classification",
                         boundaries=[("P = S", "omega*(L*(1 - phi) - W) - k"),
                                     ("q* = 1/2", "omega*(L*(1 - phi) - W) - 2*k")],
                         title="Four worlds of offence–defence, security seekers (k=1, L=10, W=2, v=0)")
axes = figure.axes[0]
for name, values in worlds.items():
    x, y = float(Fraction(values["omega"])), float(Fraction(values["phi"]))
    axes.plot(x, y, "k*", markersize=14)
    right = x > 0.5
    axes.annotate(name, (x, y), textcoords="offset points", xytext=(-8 if right else 8, 8),
                  ha="right" if right else "left", fontsize=9)
save_figure(figure, FIGURES / "02-four-worlds")
assert set(figure.categories) <= {"Harmony", "Stag Hunt", "boundary case"}
show(figure)

# %% [markdown]
# ## Play: walk between the worlds
#
# (The explorer needs `pip install -e '.[notebook]'`; when you release a slider it solves the
# model again and redraws its tables and figure.)
#
# **Predict, then move the slider.** The explorer starts in the defence, indistinguishable world
# with security seekers (ω = 1/4, φ = 1/4, v = 0). Write down your prediction first: how far must
# distinguishability φ rise before the game becomes **Harmony**? And, back at φ = 1/4, how greedy
# must the states become (v) before it is a **Prisoner's Dilemma**? Then move φ, and v.
#
# <details><summary>Answer</summary>
#
# Harmony needs S > P: −ωL(1 − φ) > −1 − ωW, at ω = 1/4 −(5/2)(1 − φ) > −3/2, i.e. **φ > 2/5**
# (at exactly 2/5, S = P). The Prisoner's Dilemma needs T > R *and* P > S: at ω = φ = 1/4,
# T = v·4·(1/4)(1 − 3/16) − 1 = 13v/16 − 1 > 0, i.e. **v > 16/13**. In Harmony the only
# equilibrium is mutual restraint, payoffs (0, 0).
#
# </details>

# %%
from negotiation.report.explorer import explorer

app = explorer("security_dilemma", values={"omega": "1/4", "phi": "1/4", "v": 0})
app

# %% [answer]
for phi, expected_class in (("39/100", "Stag Hunt"), ("41/100", "Harmony")):
    assert scenario.solve({"omega": "1/4", "phi": phi, "v": 0}).details["classification"].startswith(expected_class)
for v, expected_class in (("6/5", "Stag Hunt"), ("5/4", "Prisoner's Dilemma")):
    assert scenario.solve({"omega": "1/4", "phi": "1/4", "v": v}).details["classification"].startswith(expected_class)
assert [e.payoffs for e in scenario.solve({"omega": "1/4", "phi": "41/100", "v": 0})] == [(0, 0)]

# %% [markdown]
# ## Which equilibrium? Learning in the two Stag Hunt worlds
#
# In both indistinguishable worlds mutual restraint and the arms race are equilibria. A simple
# story of how states might get to one of them: each side adjusts toward what has been doing
# well (replicator dynamics, `negotiation.dynamics.replicator_dynamics`). The mixed equilibrium
# is the watershed: if more of the "population of decision makers" than q* start with
# restraint, restraint spreads; below q* the arms race takes over. From the same start, 65 %
# restraining, restraint wins when defence has the advantage (q* = 3/11) and loses when offence
# has it (q* = 25/33): the same trust is enough in one world and not in the other.

# %%
from negotiation.dynamics import replicator_dynamics

start = 0.65
runs = {name: replicator_dynamics(scenario.game_at({**worlds[name], "v": 0}), 80,
                                  {"NATO": {"Restrain": start, "Deploy": 1 - start}})
        for name in ("defence, indistinguishable", "offence, indistinguishable")}
figure, axes = plt.subplots(figsize=(7, 4), layout="constrained")
for (name, run), watershed in zip(runs.items(), (Fraction(3, 11), Fraction(25, 33))):
    line, = axes.plot(run.times, run.probabilities[0][:, 0], label=f"{name}")
    axes.axhline(float(watershed), color=line.get_color(), linestyle="--",
                 label=f"watershed q* = {watershed}")
axes.set_xlabel("time")
axes.set_ylabel("share restraining")
axes.set_title(f"Replicator dynamics from {start:.0%} restraint, security seekers")
axes.legend()
save_figure(figure, FIGURES / "02-stag-hunt-dynamics")
assert runs["defence, indistinguishable"].final["NATO"]["Restrain"] > 0.99
assert runs["offence, indistinguishable"].final["NATO"]["Restrain"] < 0.01
show(figure)

# %% [markdown]
# ## Interpretation
#
# * **Between security seekers the dilemma is about trust.** With T < R neither side wants to
#   exploit the other, yet mutual deployment is an equilibrium whenever fear of being caught
#   alone (S) is worse than an arms race (P): a Stag Hunt. Offence dominance and
#   indistinguishability raise the trust that restraint needs, from 3/11 to 25/33 in our two
#   worlds: Jervis's "doubly dangerous" world is the one where fear alone makes the arms race
#   the safer bet. Confidence-building measures (Vienna Document notification and observation,
#   notebook 9) work on beliefs and on φ.
# * **Greed turns the doubly dangerous world into a Prisoner's Dilemma**: then no amount of
#   trust helps in a one-shot game; only changing the payoffs (arms control that lowers ω) or
#   the shadow of the future (notebook 4) does.
# * **Distinguishable postures remove the security dilemma** (Harmony for security seekers).
#   With offence advantage a greedy state can still gain by moving first (Chicken): the risk is
#   aggression, with warning, not a spiral. With defence advantage too, even greedy states
#   restrain: doubly stable.
# * On the map, better distinguishability (moving up) and defence advantage (moving left) turn
#   the Stag Hunt into Harmony: Jervis's comparative statics.
#
# **Assumptions.** The mapping from (ω, φ, v) to payoffs is ours; illustrative magnitudes;
# one shot; complete information (uncertainty about motives — is the other a security seeker?
# — is notebook 3).

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** At the defaults (ω = 1/2, φ = 1/4), how greedy must both states be for the
# game to be a Prisoner's Dilemma? Check with `derive` and `thresholds_for=["v"]`.
#
# <details><summary>Answer</summary>
#
# T = R ⇔ v·G·ω(1 − φ(1 − ω)) = k ⇔ v = 1/(4 · 1/2 · 7/8) = **4/7**. Below it the game is a
# Stag Hunt (P = −2 > S = −15/4 in both cases); above it a Prisoner's Dilemma. Moderate greed
# is enough to turn an assurance problem into a conflict of interest.
#
# </details>

# %% [answer]
exercise_1 = derive(scenario, thresholds_for=["v"])
print([(t.parameter, str(t.expression), t.value) for t in exercise_1.thresholds])
assert Fraction(4, 7) in [t.value for t in exercise_1.thresholds]
assert scenario.solve({"v": "1/2"}).details["classification"].startswith("Stag Hunt")
assert scenario.solve({"v": "3/5"}).details["classification"].startswith("Prisoner's Dilemma")

# %% [markdown]
# **Exercise 2.** Greedy states (v = 1). Does better distinguishability (φ from 1/4 to 3/4) cure
# the dilemma when offence has the advantage (ω = 3/4)? When defence has it (ω = 1/4)?
#
# <details><summary>Answer</summary>
#
# At ω = 3/4: T = 29/16 → 23/16, still above R = 0; S rises from −45/8 to −15/8 above
# P = −5/2: the Prisoner's Dilemma becomes **Chicken**, not Harmony. At ω = 1/4: T = −3/16 →
# −9/16 and S = −15/8 → −5/8 > P = −3/2: the Stag Hunt becomes **Harmony**. Distinguishability
# cures fear; it cures greed only when defence also has the advantage (Glaser's point: motives
# matter [@Glaser1997]).
#
# </details>

# %% [answer]
for omega, before, after in (("3/4", "Prisoner's Dilemma", "Chicken"), ("1/4", "Stag Hunt", "Harmony")):
    for phi, game_class in (("1/4", before), ("3/4", after)):
        found = scenario.solve({"omega": omega, "phi": phi, "v": 1}).details["classification"]
        print(omega, phi, found)
        assert found.startswith(game_class)

# %% [markdown]
# **Exercise 3.** In the Chicken world of greedy states (ω = 3/4, φ = 3/4, v = 1), what is each
# side's expected payoff in the mixed equilibrium, and how does it compare with mutual restraint?
#
# <details><summary>Answer</summary>
#
# T = 23/16, S = −15/8, P = −5/2. Each restrains with probability
# q* = (P − S)/((R − T) + (P − S)) = (−5/8)/(−23/16 − 5/8) = **10/33**, so NATO's payoff from
# restraining is 10/33 · 0 + 23/33 · (−15/8) = **−115/88** (equal to that of deploying,
# 10/33 · 23/16 + 23/33 · (−5/2) = −115/88). Both are worse off than under mutual restraint (0):
# the mixed equilibrium is the brinkmanship outcome, with mutual deployment happening with
# probability (23/33)² = 529/1089.
#
# </details>

# %% [answer]
chicken_mixed = [e for e in greedy["offence, distinguishable"] if e.kind == "mixed"][0]
print(chicken_mixed.payoffs)
assert chicken_mixed.payoffs == (Fraction(-115, 88), Fraction(-115, 88))
