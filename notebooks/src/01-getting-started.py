# %% [markdown]
# # 1. Getting started: games, equilibria, tables
#
# **Learning goal.** After this class you can write down a two-player strategic game with the
# `negotiation` toolkit, compute *all* its Nash equilibria exactly, turn the result into a table
# for a paper or a slide, and draw how the equilibria change when one assumption changes.
#
# **How to use this notebook.** Run the cells from top to bottom (Shift+Enter). Every code cell
# is explained in the text just above it. Lines starting with `assert` check a number that the
# text states: if the toolkit ever disagreed with the hand calculation, the notebook would stop
# there with an error. Exercises are at the end; click **Answer** to unfold an answer (answer
# code cells are collapsed too: click the "…" to show them).
#
# **Set-up.** Install the toolkit once, from the repository folder:
# `pip install -e '.[notebook]'` (or `pip install .`), then start Jupyter in the `notebooks/` folder.

# %% [markdown]
# ## The story
#
# In spring 2021 NATO ran DEFENDER-Europe 21, with more than 28,000 personnel from 26 nations
# (figure checked against the source; US Army releases said "more than 30,000"). On 9–10 April
# 2021 Ukraine invoked the Vienna Document's chapter III mechanism on unusual military
# activities (checked against the source), in response to Russian troop movements near its
# borders (press coverage; not checked against a source here). Each side
# described its own moves as defensive reactions to the other's. This is the **security
# dilemma** (Jervis 1978): the measures one state takes for its own security reduce the
# security of the other, who responds in kind, and both can end up worse off.
#
# Game theory makes the argument precise. We reduce the choice to two options per side:
#
# * **Restrain**: no new forward deployments;
# * **Deploy**: add forces and infrastructure near the line of contact.
#
# Both decide at the same time, once, and each knows the other's payoffs (*complete
# information*). The numbers below are *utilities*: they only rank outcomes for each side, and
# their scale is an assumption of the model, not a measurement.

# %% [markdown]
# ## Step 1: import the toolkit
#
# `negotiation` is imported as `ng`, the way `numpy` is imported as `np`.
# We also prepare a folder for figures: `figures/` next to this notebook (it is ignored by git),
# or the folder named in the environment variable `NEGOTIATION_FIGURES` if it is set.
# The small helper `show(figure)` displays a figure once at the end of a cell (matplotlib
# would otherwise sometimes draw it twice).

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


print("toolkit version", ng.__version__, "- figures go to", FIGURES)

# %% [markdown]
# ## Step 2: write down a game as a table
#
# `ng.Game.from_table` takes
#
# 1. a dictionary that maps each *profile* (one strategy per player, in player order) to the
#    *payoffs* (one number per player, in the same order), and
# 2. `strategies`: a dictionary from each player's name to the names of its strategies. The
#    first player is the **row** player, the second the **column** player.
#
# We use the classic Prisoner's Dilemma numbers of Axelrod (1984): mutual restraint 3 each,
# deploying alone 5 (the other gets 0), both deploying 1 each.
# Payoffs may be integers, fractions such as `"3/4"`, decimals or floats; integers and fractions
# are kept exact.

# %%
arms_race = ng.Game.from_table(
    {
        ("Restrain", "Restrain"): (3, 3),
        ("Restrain", "Deploy"): (0, 5),
        ("Deploy", "Restrain"): (5, 0),
        ("Deploy", "Deploy"): (1, 1),
    },
    strategies={"NATO": ["Restrain", "Deploy"], "Russia": ["Restrain", "Deploy"]},
    title="Arms race as a Prisoner's Dilemma",
)
arms_race

# %% [markdown]
# Jupyter shows the game as a payoff table: in each cell, NATO's payoff first, then Russia's.
# A single cell is looked up by its labels:

# %%
arms_race["Deploy", "Restrain"]

# %% [markdown]
# ## Step 3: solve it
#
# `ng.solve(game)` returns **every** Nash equilibrium of a two-player game (for a degenerate
# game: every extreme equilibrium). The printout says how the result was obtained: the
# method, whether the numbers are *exact* rationals, and whether the list is *complete*.

# %%
result = ng.solve(arms_race)
print(result)

# %% [markdown]
# By hand: whatever Russia does, NATO gains by deploying (5 > 3 if Russia restrains, 1 > 0 if
# Russia deploys), so Deploy *strictly dominates* Restrain; by symmetry the same holds for
# Russia. The unique equilibrium is (Deploy, Deploy) with payoffs (1, 1), although both would
# prefer (Restrain, Restrain) with (3, 3). The `assert` lines check exactly this.
#
# A result behaves like a list of equilibria. `result[0]["NATO"]` is NATO's strategy in the
# first equilibrium, as probabilities by label; `result[0].payoffs` the expected payoffs.

# %%
equilibrium = result[0]
print(equilibrium["NATO"], equilibrium["Russia"], equilibrium.payoffs)
assert len(result) == 1 and result.exact and result.complete
assert equilibrium["NATO"]["Deploy"] == 1 and equilibrium["Russia"]["Deploy"] == 1
assert equilibrium.payoffs == (1, 1)

# %% [markdown]
# ## Step 4: a game from payoff matrices, and a mixed equilibrium
#
# `ng.Game.from_arrays(A, B, ...)` builds the same kind of object from one matrix per player:
# `A[i][j]` is the row player's payoff when it plays its strategy `i` and the column player its
# strategy `j`; `B[i][j]` the column player's payoff in that cell.
#
# Here is a **Stag Hunt** (an *assurance* game): both prefer mutual restraint (4) to deploying
# against a restrained rival (3), but restraining alone is the worst outcome (0).

# %%
stag_hunt = ng.Game.from_arrays(
    [[4, 0], [3, 2]],          # NATO's payoffs: rows = NATO's strategies, columns = Russia's
    [[4, 3], [0, 2]],          # Russia's payoffs in the same cells
    players=("NATO", "Russia"),
    strategies=(("Restrain", "Deploy"), ("Restrain", "Deploy")),
    title="Stag Hunt",
)
stag_result = ng.solve(stag_hunt)
print(stag_result)

# %% [markdown]
# There are three equilibria: mutual restraint, mutual deployment, and a **mixed** equilibrium
# in which each side restrains with probability 2/3. Why 2/3? In a mixed equilibrium each side
# must be indifferent between its strategies. If Russia restrains with probability q, NATO
# gets 4q from restraining and 3q + 2(1 − q) from deploying; these are equal when
# 4q = 2 + q, i.e. **q = 2/3**. NATO's expected payoff is then 4 · 2/3 = **8/3**.

# %%
mixed = [e for e in stag_result if e.kind == "mixed"][0]
assert len(stag_result) == 3
assert mixed["Russia"]["Restrain"] == Fraction(2, 3) and mixed["NATO"]["Restrain"] == Fraction(2, 3)
assert mixed.payoff("NATO") == Fraction(8, 3)

# %% [markdown]
# ## Step 5: tables for papers and slides
#
# Every result converts to a table:
#
# * `result.to_frame()`: a pandas DataFrame, one row per equilibrium (for your own analysis);
# * `result.to_markdown()`: a Markdown table (for a notebook, a wiki, a slide);
# * `result.to_latex()`: a booktabs LaTeX table (for a paper);
# * `result.to_csv()`, `result.to_dict()` (the JSON of the command line).

# %%
stag_result.to_frame()

# %%
from IPython.display import Markdown

Markdown(stag_result.to_markdown())

# %%
print(stag_result.to_latex())

# %% [markdown]
# ## Step 6: a bundled model with parameters
#
# Writing payoffs by hand hides where they come from. The bundled scenario
# `security_dilemma` derives them from Jervis's variables (a *toolkit parametrisation*, not
# Jervis's own formulas [@Jervis1978]):
#
# * `omega` ∈ [0, 1]: offence dominance; `phi` ∈ [0, 1]: how well defensive postures can be told
#   apart from offensive ones;
# * `k`: cost of deploying; `G`: gain a fully greedy state takes from deploying alone; `L`: loss
#   from being caught restraining alone; `W`: extra war-risk cost when both deploy; `v`: greed,
#   the weight on gains beyond security (0 for a pure security seeker, 1 at the defaults).
#
# Relative to mutual restraint (R = 0) the payoffs are T = vGω(1 − φ(1 − ω)) − k (deploy alone),
# S = −ωL(1 − φ) (restrain alone) and P = −k − ωW (both deploy). The magnitudes of k, G, L
# and W are illustrative assumptions. (Notebook 2 places Jervis's four worlds in this model and
# shows that two pure security seekers, v = 0, never face a Prisoner's Dilemma.)
#
# `ng.load(name)` reads the scenario; `scenario.game_at(values)` gives the numeric game at
# some parameter values (the others keep their defaults); `scenario.solve(values)` solves it
# and names the classic game.

# %%
scenario = ng.load("security_dilemma")
print(scenario)
for parameter in scenario.parameters:
    print(f"{parameter.name:6} default {ng.numeric.format_number(parameter.default):>4}  {parameter.description}")

# %%
scenario.game_at()

# %%
at_defaults = scenario.solve()
print(at_defaults)

# %% [markdown]
# At the defaults (ω = 1/2, φ = 1/4, k = 1, G = 4, L = 10, W = 2, v = 1):
# T = 1 · 4 · 1/2 · (1 − 1/4 · 1/2) − 1 = 7/4 − 1 = **3/4**, S = −1/2 · 10 · 3/4 = **−15/4**,
# P = −1 − 1/2 · 2 = **−2**.
# So T > R > P > S: a **Prisoner's Dilemma**, with the single equilibrium (Deploy, Deploy) and
# payoffs (−2, −2).

# %%
game = scenario.game_at()
assert game["Deploy", "Restrain"]["NATO"] == Fraction(3, 4)
assert game["Restrain", "Deploy"]["NATO"] == Fraction(-15, 4)
assert game["Deploy", "Deploy"]["NATO"] == -2
assert at_defaults.details["classification"].startswith("Prisoner's Dilemma")
assert len(at_defaults) == 1 and at_defaults[0].payoffs == (-2, -2)

# %% [markdown]
# ## Step 7: how the answer changes with offence dominance
#
# `ng.sweep(scenario, grid=[...])` solves the model at every point of a grid. A grid axis is
# written `"NAME=START:STOP:NUM"` (NUM points, both ends included, exact fractions). Here
# ω runs over 0, 1/40, …, 1 (41 points), the other parameters stay at their defaults.
# `sweep.summary_table()` groups neighbouring points with the same equilibria into regions.

# %%
omega_sweep = ng.sweep(scenario, grid=["omega=0:1:41"])
Markdown(omega_sweep.summary_table().to_markdown())

# %% [markdown]
# The class changes where T = R, i.e. 4ω(1 − (1 − ω)/4) = 1, ω² + 3ω − 1 = 0,
# ω = (√13 − 3)/2 ≈ **0.303**, and where P = S, i.e. ω = k/(L(1 − φ) − W) = 1/(10 · 3/4 − 2) =
# **2/11**. Below 2/11 the game is **Harmony** (restraint is dominant); between 2/11 and 0.303 a
# **Stag Hunt** (mutual restraint is an equilibrium, but so is the arms race); above 0.303 a
# **Prisoner's Dilemma**. We check three points of the sweep, one in each region, and the exact
# mixed equilibrium at ω = 1/5: there each side restrains with probability
# (P − S)/((R − T) + (P − S)); with T = 4 · 1/5 · (1 − 1/5) − 1 = −9/25, S = −3/2, P = −7/5 this is
# (1/10)/(9/25 + 1/10) = **5/23**.

# %%
table = omega_sweep.table()
# the table holds numbers as floats; the exact grid value of each row is in omega_exact
classes = dict(zip(table["omega_exact"].map(Fraction), table["classification"]))
assert classes[Fraction(1, 10)] == "Harmony"
assert classes[Fraction(1, 5)] == "Stag Hunt"
assert classes[Fraction(1, 2)] == "Prisoner's Dilemma"
at_one_fifth = scenario.solve({"omega": "1/5"})
assert [e for e in at_one_fifth if e.kind == "mixed"][0]["NATO"]["Restrain"] == Fraction(5, 23)

# %% [markdown]
# **A plot over one parameter.** `bifurcation_plot(sweep, "omega")` draws, for every
# equilibrium at every grid point, the probability of each player's first strategy (top) and the
# payoffs (bottom), coloured by the kind of equilibrium.

# %%
from negotiation.report.maps import bifurcation_plot, equilibrium_map

figure = bifurcation_plot(omega_sweep, "omega")
save_figure(figure, FIGURES / "01-omega-bifurcation")
show(figure)

# %% [markdown]
# **An equilibrium map over two parameters.** Sweep ω and φ together (a 21 × 21 grid) and
# colour the plane by the classic game (`by="classification"`) or by the set of equilibria
# (`by="equilibria"`). `boundaries` draws a curve where an expression in the parameters is 0:
# here T = R (vGω(1 − φ(1 − ω)) − k = 0) and P = S. `save_figure(figure, path)` writes PNG, SVG and PDF
# versions for slides and papers.

# %%
plane = ng.sweep(scenario, grid=["omega=0:1:21", "phi=0:1:21"])
figure = equilibrium_map(plane, "omega", "phi", by="classification",
                         boundaries=[("T = R", "v*G*omega*(1 - phi*(1 - omega)) - k"),
                                     ("P = S", "omega*(L*(1 - phi) - W) - k")])
written = save_figure(figure, FIGURES / "01-security-dilemma-map")
print("saved:", *[path.name for path in written])
assert {"Harmony", "Stag Hunt", "Prisoner's Dilemma", "Chicken"} <= set(figure.categories)
show(figure)

# %% [markdown]
# ## Step 8: play with the model
#
# The explorer below puts a slider on every parameter of `security_dilemma`; when you release a
# slider it solves the game again and redraws the equilibrium table, the classic game (in the
# line "Method: …") and the white star on the ω × φ map. (It needs `pip install -e
# '.[notebook]'`; on a static page such as GitHub's it shows no sliders.)
#
# **Predict, then move the slider.** The explorer starts at the defaults, ω = 1/2: a
# Prisoner's Dilemma. Write down your prediction first: as you *lower* ω, at which value does
# the game become a Stag Hunt, and at which value Harmony? What is the probability of restraint
# in the mixed equilibrium at ω = 0.20? Then move ω.
#
# <details><summary>Answer</summary>
#
# The temptation T = 4ω(1 − (1 − ω)/4) − 1 falls below R = 0 at ω = (√13 − 3)/2 ≈ **0.303**:
# from 0.30 down the game is a
# **Stag Hunt** (two pure equilibria and a mixed one). P = S at ω = **2/11 ≈ 0.182**: from 0.18
# down restraint is dominant, **Harmony**, with mutual restraint the only equilibrium. At
# ω = 0.20 = 1/5 the mixed equilibrium restrains with probability **5/23** (Step 7). The hidden
# cell below checks the slider positions around both thresholds.
#
# </details>

# %%
from negotiation.report.explorer import explorer

app = explorer("security_dilemma", values={"omega": "1/2"})
app

# %% [answer]
around = {omega: scenario.solve({"omega": omega}).details["classification"]
          for omega in ("18/100", "19/100", "30/100", "31/100")}
print(around)
assert around["18/100"].startswith("Harmony") and around["19/100"].startswith("Stag Hunt")
assert around["30/100"].startswith("Stag Hunt") and around["31/100"].startswith("Prisoner's Dilemma")

# %% [markdown]
# ## Interpretation
#
# * With these (illustrative) magnitudes, the security dilemma bites once offence is even
#   moderately dominant and the states are greedy (v = 1): above ω ≈ 0.303 both sides deploy
#   although both prefer restraint.
# * Between 2/11 and 0.303 the problem is not a conflict of interest but **assurance**: mutual
#   restraint is an equilibrium, yet so is the arms race. Which one happens depends on
#   expectations, which is where confidence-building measures (notification, observation,
#   inspections under the Vienna Document) enter. Notebooks 2 and 3 take this up.
# * High distinguishability (φ) turns the dilemma of greedy states into Chicken (upper right of
#   the map): the danger is then aggression with warning rather than a spiral; for pure security
#   seekers it removes the dilemma altogether (notebook 2).
#
# **Assumptions to keep in mind.** One shot (no future), simultaneous moves, complete
# information, utilities on an interval scale, and an illustrative mapping from Jervis's
# variables to payoffs.

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** In the Stag Hunt of Step 4, change NATO's payoff for (Deploy, Restrain) from
# 3 to 1 (and Russia's for (Restrain, Deploy) likewise). Predict the mixed equilibrium by the
# indifference condition, then check with `ng.solve`.
#
# <details><summary>Answer</summary>
#
# NATO is indifferent when 4q = q + 2(1 − q), i.e. 4q = 2 − q, so q = **2/5**: with a smaller
# temptation, less assurance is needed; each side restrains with probability 2/5 in the mixed
# equilibrium (the two pure equilibria remain). The hidden cell below checks it.
#
# </details>

# %% [answer]
exercise_1 = ng.solve(ng.Game.from_arrays(
    [[4, 0], [1, 2]], [[4, 1], [0, 2]], players=("NATO", "Russia"),
    strategies=(("Restrain", "Deploy"), ("Restrain", "Deploy"))))
mixed_1 = [e for e in exercise_1 if e.kind == "mixed"][0]
print(exercise_1)
assert mixed_1["Russia"]["Restrain"] == Fraction(2, 5)

# %% [markdown]
# **Exercise 2.** At the defaults of `security_dilemma`, above which distinguishability φ does
# the game become Chicken? Derive the threshold from P = S, then check with
# `scenario.solve({"phi": "4/5"})`.
#
# <details><summary>Answer</summary>
#
# P = S ⇔ −1 − ωW = −ωL(1 − φ) ⇔ 1 − φ = (k/ω + W)/L = (2 + 2)/10 = 2/5, so **φ = 3/5**. Above
# it the loss from restraining alone is smaller than the cost of an arms race: the game is
# Chicken, with two pure equilibria (one side deploys, the other restrains) and a mixed one.
#
# </details>

# %% [answer]
chicken = scenario.solve({"phi": "4/5"})
print(chicken)
assert chicken.details["classification"].startswith("Chicken")
assert {(e["NATO"]["Deploy"], e["Russia"]["Deploy"]) for e in chicken.pure} == {(0, 1), (1, 0)}

# %% [markdown]
# **Exercise 3.** Greed: from which value of `v` is the game a Prisoner's Dilemma rather than a
# Stag Hunt (other parameters at their defaults)? Can greed make it a Deadlock (both *prefer*
# mutual deployment to mutual restraint)?
#
# <details><summary>Answer</summary>
#
# The Prisoner's Dilemma needs T > R = 0: v · 4 · 1/2 · (1 − 1/4 · 1/2) − 1 > 0, i.e. v > **4/7**;
# below it (down to the pure security seeker, v = 0) the game is a Stag Hunt: a problem of
# trust, not of conflicting goals. Deadlock would need P > R, but P = −k − ωW = −2 < 0 whatever
# v is: in this model greed is the wish to exploit a restrained neighbour, not a taste for arms
# as such, so even greedy states prefer mutual restraint to a mutual build-up. (Notebook 3's
# greedy type may have P > R.)
#
# </details>

# %% [answer]
for v, expected_class in (("1/2", "Stag Hunt"), ("3/5", "Prisoner's Dilemma"), ("10", "Prisoner's Dilemma")):
    greed = scenario.solve({"v": v})
    print(v, greed.details["classification"])
    assert greed.details["classification"].startswith(expected_class)
