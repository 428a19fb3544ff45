# %% [markdown]
# # 2. The security dilemma and the four worlds of offence–defence
#
# **Learning goal.** You can state Jervis's (1978) four worlds of offence–defence, place each of
# them in the space of 2×2 games (Harmony, Stag Hunt, Chicken, Prisoner's Dilemma), derive the
# exact parameter thresholds between them with `negotiation.symbolic.derive`, and explain why
# the same military facts can produce a spiral in one world and stability in another.

# %% [markdown]
# ## The story
#
# Jervis's "Cooperation under the Security Dilemma" (*World Politics* 30(2), 1978; abstract
# checked against the source) argues that the dilemma is eased when **defence has the
# advantage** and when **defensive postures can be told apart** from offensive ones. His four
# worlds (summaries checked against secondary sources):
#
# | | offence has the advantage | defence has the advantage |
# | --- | --- | --- |
# | postures indistinguishable | "doubly dangerous" | security dilemma, but requirements may be compatible |
# | postures distinguishable | no security dilemma, but aggression possible | "doubly stable" |
#
# The NATO–Russia debate of 2021 was largely about these two variables. The Vienna Document's
# notification (9,000 troops) and observation (13,000 troops) thresholds, and proposals to
# limit "snap" exercises, aim at *distinguishability*: making a defensive exercise look like one.
# Limits on forward infrastructure and on intermediate-range missiles aim at the
# *offence–defence balance*: reducing what a first move could achieve.
#
# **Model.** The bundled scenario `security_dilemma` (a toolkit parametrisation, [@Jervis1978];
# Jervis gives no formulas): relative to mutual restraint (R = 0),
#
# * T = ωG + v − k (deploy while the other restrains),
# * S = −ωL(1 − φ) (restrain while the other deploys: a loss that warning time reduces),
# * P = v − k − ωW (both deploy).
#
# ω is offence dominance, φ distinguishability, k the cost of deploying, G the gain from
# deploying alone, L the loss from being caught alone, W the war risk of an arms race, v greed.
# Magnitudes (k = 1, G = 4, L = 10, W = 2, v = 0) are illustrative assumptions.

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
# We let "offence has the advantage" be ω = 3/4 and "defence has the advantage" ω = 1/5;
# "indistinguishable" φ = 0 and "distinguishable" φ = 4/5 (our choice of illustrative points).
# By hand, with k = 1, G = 4, L = 10, W = 2, v = 0:
#
# | world | T | S | P | ordering | game |
# | --- | --- | --- | --- | --- | --- |
# | offence, indistinguishable (ω = 3/4, φ = 0) | 2 | −15/2 | −5/2 | T > R > P > S | Prisoner's Dilemma |
# | offence, distinguishable (ω = 3/4, φ = 4/5) | 2 | −3/2 | −5/2 | T > R > S > P | Chicken |
# | defence, indistinguishable (ω = 1/5, φ = 0) | −1/5 | −2 | −7/5 | R > T > P > S | Stag Hunt |
# | defence, distinguishable (ω = 1/5, φ = 4/5) | −1/5 | −2/5 | −7/5 | R > T, S > P | Harmony |

# %%
worlds = {
    "offence, indistinguishable": {"omega": "3/4", "phi": 0},
    "offence, distinguishable": {"omega": "3/4", "phi": "4/5"},
    "defence, indistinguishable": {"omega": "1/5", "phi": 0},
    "defence, distinguishable": {"omega": "1/5", "phi": "4/5"},
}
results = {name: scenario.solve(values) for name, values in worlds.items()}
for name, result in results.items():
    print(f"{name:28} {result.details['classification']:35} equilibria: {len(result)}")

expected = {"offence, indistinguishable": "Prisoner's Dilemma", "offence, distinguishable": "Chicken",
            "defence, indistinguishable": "Stag Hunt", "defence, distinguishable": "Harmony"}
for name, game_class in expected.items():
    assert results[name].details["classification"].startswith(game_class), name

# %% [markdown]
# The mixed equilibria have the closed form q* = (P − S)/((R − T) + (P − S)) for the probability
# of restraint:
#
# * Stag Hunt world: (−7/5 + 2)/((1/5) + (3/5)) = (3/5)/(4/5) = **3/4**: restraint is an
#   equilibrium, but only a belief above 3/4 that the other restrains makes it a best reply.
# * Chicken world: (−5/2 + 3/2)/((−2) + (−1)) = **1/3**.

# %%
def restraint_in_mixed(result):
    mixed = [e for e in result if e.kind == "mixed"]
    return mixed[0]["NATO"]["Restrain"] if mixed else None

print(results["defence, indistinguishable"])
assert restraint_in_mixed(results["defence, indistinguishable"]) == Fraction(3, 4)
assert restraint_in_mixed(results["offence, distinguishable"]) == Fraction(1, 3)
assert [e.payoffs for e in results["defence, distinguishable"]] == [(0, 0)]

# %% [markdown]
# ## Where exactly does each world begin? Symbolic derivation
#
# `derive(scenario)` works with the formulas instead of numbers: it returns the exact
# conditions under which each classic game holds and the **thresholds**, each solved for one
# parameter and evaluated at the defaults of the others (the same as `negotiation derive
# security_dilemma` on the command line).

# %%
from negotiation.symbolic import derive

derivation = derive(scenario)
for name, condition in derivation.classification.items():
    print(f"{name:20} {condition}")

# %%
thresholds = {(t.parameter, str(t.expression)): t.value for t in derivation.thresholds}
for (parameter, expression), value in thresholds.items():
    print(f"{parameter:6} = {expression:40} = {value}  (others at defaults)")

# %% [markdown]
# Some thresholds are negative (e.g. ω = (v − k)/W = −1/2): they lie outside the parameter
# ranges and never bind. At the defaults the class changes at ω = (k − v)/G = 1/4 (T = R) and at
# ω = (k − v)/(L(1 − φ) − W) = 1/(15/2 − 2) = **2/11** (P = S); in φ at
# φ = 1 − (k/ω + W)/L = 1 − 4/10 = **3/5**; greed turns the game into Deadlock at v = k + ωW = **2**.

# %%
assert thresholds[("omega", "(k - v)/G")] == Fraction(1, 4)
assert thresholds[("omega", "(k - v)/(L*(1 - phi) - W)")] == Fraction(2, 11)
assert Fraction(3, 5) in [t.value for t in derivation.thresholds if t.parameter == "phi"]
assert Fraction(2) in [t.value for t in derivation.thresholds if t.parameter == "v"]

# %% [markdown]
# ## The map of the four worlds
#
# A sweep over ω × φ (21 × 21 points; small enough to run in seconds) coloured by the classic
# game, with the two boundaries T = R and P = S drawn as curves and the four illustrative worlds
# marked.

# %%
plane = ng.sweep(scenario, grid=["omega=0:1:21", "phi=0:1:21"])
figure = equilibrium_map(plane, "omega", "phi", by="classification",
                         boundaries=[("T = R", "omega*G + v - k"),
                                     ("P = S", "omega*(L*(1 - phi) - W) - (k - v)")],
                         title="Four worlds of offence–defence (k=1, G=4, L=10, W=2, v=0)")
axes = figure.axes[0]
for name, values in worlds.items():
    x, y = float(Fraction(values["omega"])), float(Fraction(values["phi"]))
    axes.plot(x, y, "k*", markersize=14)
    right = x > 0.5
    axes.annotate(name, (x, y), textcoords="offset points", xytext=(-8 if right else 8, 8),
                  ha="right" if right else "left", fontsize=9)
save_figure(figure, FIGURES / "02-four-worlds")
show(figure)

# %% [markdown]
# ## Play: walk between the worlds
#
# (The explorer needs `pip install -e '.[notebook]'`; when you release a slider it solves the
# model again and redraws its tables and figure.)
#
# **Predict, then move the slider.** The explorer starts in the Stag Hunt world (ω = 1/5,
# φ = 0), the white star on the map. Write down your prediction first: how far must
# distinguishability φ rise before the game becomes **Harmony**? And, back at φ = 0, how far must
# offence dominance ω rise before it is a **Prisoner's Dilemma**? Then move φ, and ω.
#
# <details><summary>Answer</summary>
#
# Harmony needs S > P: −ωL(1 − φ) > −1 − ωW, at ω = 1/5 −2(1 − φ) > −7/5, i.e. **φ > 3/10**
# (from φ = 0.31 on the slider; at exactly 3/10, S = P). The Prisoner's Dilemma needs T > R:
# 4ω − 1 > 0, i.e. **ω > 1/4** whatever φ is (the T = R line on the map is vertical). In Harmony
# the only equilibrium is mutual restraint, payoffs (0, 0).
#
# </details>

# %%
from negotiation.report.explorer import explorer

app = explorer("security_dilemma", values={"omega": "1/5", "phi": 0})
app

# %% [answer]
for phi, expected in (("29/100", "Stag Hunt"), ("31/100", "Harmony")):
    assert scenario.solve({"omega": "1/5", "phi": phi}).details["classification"].startswith(expected)
for omega, expected in (("24/100", "Stag Hunt"), ("26/100", "Prisoner's Dilemma")):
    assert scenario.solve({"omega": omega, "phi": 0}).details["classification"].startswith(expected)
assert [e.payoffs for e in scenario.solve({"omega": "1/5", "phi": "31/100"})] == [(0, 0)]

# %% [markdown]
# ## Which equilibrium? Learning in the Stag Hunt world
#
# In the Stag Hunt world both mutual restraint and the arms race are equilibria. A simple
# story of how states might get to one of them: each side adjusts toward what has been doing
# well (replicator dynamics, `negotiation.dynamics.replicator_dynamics`). The mixed equilibrium
# q* = 3/4 is the watershed: if more than 3/4 of the "population of decision makers" start with
# restraint, restraint spreads; below 3/4 the arms race takes over.

# %%
from negotiation.dynamics import replicator_dynamics

stag_world = scenario.game_at(worlds["defence, indistinguishable"])
runs = {start: replicator_dynamics(stag_world, 80, {"NATO": {"Restrain": start, "Deploy": 1 - start}})
        for start in (0.85, 0.65)}
figure, axes = plt.subplots(figsize=(7, 4), layout="constrained")
for start, run in runs.items():
    axes.plot(run.times, run.probabilities[0][:, 0], label=f"start: {start:.0%} restrain")
axes.axhline(0.75, color="grey", linestyle="--", label="watershed q* = 3/4")
axes.set_xlabel("time")
axes.set_ylabel("share restraining")
axes.set_title("Replicator dynamics in the Stag Hunt world (ω = 1/5, φ = 0)")
axes.legend()
save_figure(figure, FIGURES / "02-stag-hunt-dynamics")
assert runs[0.85].final["NATO"]["Restrain"] > 0.99
assert runs[0.65].final["NATO"]["Restrain"] < 0.01
show(figure)

# %% [markdown]
# ## Interpretation
#
# * **Offence and indistinguishability together** make the dilemma a Prisoner's Dilemma: no
#   amount of trust helps in a one-shot game; only changing the payoffs (arms control that
#   lowers ω) or the shadow of the future (notebook 4) does.
# * **Defence advantage with indistinguishable postures** gives a Stag Hunt: the problem is
#   *assurance*, and the watershed belief 3/4 says how much trust restraint needs. Confidence-building
#   measures (Vienna Document notification and observation, notebook 9) work on beliefs.
# * **Distinguishable postures with offence advantage** gives Chicken: warning removes the
#   spiral, but a state can still gain by moving first; the risk is coercion, not fear.
# * On the map, better distinguishability (moving up) turns the Prisoner's Dilemma into Chicken
#   and the Stag Hunt into Harmony, while more offence dominance (moving right) turns Harmony
#   into a Stag Hunt and then a Prisoner's Dilemma: Jervis's comparative statics.
#
# **Assumptions.** The mapping from (ω, φ) to payoffs is ours; illustrative magnitudes;
# one shot; complete information (no uncertainty about motives: that is notebook 3).

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** Suppose arms control halves the gain from deploying alone (G = 2). At φ = 1/4,
# where is the threshold between Stag Hunt and Prisoner's Dilemma now? Check with `derive`
# and `values={"G": 2}`.
#
# <details><summary>Answer</summary>
#
# T = R ⇔ ω = (k − v)/G = **1/2**: the Prisoner's Dilemma now starts only at ω = 1/2 (it
# started at 1/4). The Stag Hunt region (2/11 < ω < 1/2) widens: lowering the temptation turns
# a conflict of interest into an assurance problem.
#
# </details>

# %% [answer]
exercise_1 = derive(scenario, {"G": 2}, thresholds_for=["omega"])
print([(t.parameter, str(t.expression), t.value) for t in exercise_1.thresholds])
assert Fraction(1, 2) in [t.value for t in exercise_1.thresholds]
assert scenario.solve({"G": 2, "omega": "2/5"}).details["classification"].startswith("Stag Hunt")

# %% [markdown]
# **Exercise 2.** A greedy Russia: set v = 3 at the defaults. Which game is it, and does better
# distinguishability (φ = 4/5) help?
#
# <details><summary>Answer</summary>
#
# With v = 3: T = 2 + 3 − 1 = 4, P = 3 − 1 − 1 = 1 > R = 0, so both *prefer* mutual
# deployment: **Deadlock**. At φ = 4/5, S = −1 < P = 1, still Deadlock. Distinguishability
# cures fear, not greed (Glaser's point: motives matter).
#
# </details>

# %% [answer]
for phi in ("1/4", "4/5"):
    greedy = scenario.solve({"v": 3, "phi": phi})
    print(phi, greedy.details["classification"])
    assert greedy.details["classification"].startswith("Deadlock")

# %% [markdown]
# **Exercise 3.** In the Chicken world (ω = 3/4, φ = 4/5), what is each side's expected payoff
# in the mixed equilibrium, and how does it compare with mutual restraint?
#
# <details><summary>Answer</summary>
#
# Each restrains with probability 1/3, so NATO's payoff from restraining is
# 1/3 · 0 + 2/3 · (−3/2) = **−1** (equal to that of deploying, 1/3 · 2 + 2/3 · (−5/2) = −1).
# Both are worse off than under mutual restraint (0): the mixed equilibrium is the
# brinkmanship outcome, with mutual deployment happening with probability 4/9.
#
# </details>

# %% [answer]
chicken_mixed = [e for e in results["offence, distinguishable"] if e.kind == "mixed"][0]
print(chicken_mixed.payoffs)
assert chicken_mixed.payoffs == (-1, -1)
