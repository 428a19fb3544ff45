# %% [markdown]
# # 3. Trust, reassurance and costly signals
#
# **Learning goal.** You can model uncertainty about the other side's *motives* as a Bayesian
# game, compute the level of trust at which restraint becomes rational (Kydd's trust
# threshold), and explain when a costly gesture can reassure: why a signal must be cheap enough
# for a security seeker and too expensive for a greedy state to mimic.

# %% [markdown]
# ## The story
#
# The spiral model and the deterrence model (Jervis 1976) prescribe opposite policies:
# reassure a security seeker, stand firm against a greedy state. The trouble is that states do
# not know which one they face. Andrew Kydd (*Trust and Mistrust in International Relations*,
# 2005; "Trust, Reassurance, and Cooperation", *IO* 2000) defines **trust** as the belief that
# the other side is trustworthy, i.e. would reciprocate cooperation (checked against the
# source). His results (abstracts checked against the sources):
#
# * cooperation needs enough trust;
# * reassurance is possible "if trustworthy actors are more willing to take risks to attain
#   mutual cooperation than untrustworthy actors".
#
# In the NATO–Russia setting, reassurance gestures were on the table throughout 2021: extra
# Open Skies observation flights (the treaty's passive quota is 42 for Russia–Belarus and for
# the US; checked against the source), notifying exercises below the Vienna Document's
# 9,000-troop threshold, or pulling forces back from a zone along the line of contact.
#
# Both models below are **toolkit parametrisations** [@Kydd2005, ch. 2]: consistent with Kydd's
# verbal results, but not his own notation; all payoff magnitudes are illustrative assumptions.

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
# ## Part A: the Bayesian security dilemma (trust game)
#
# Each state privately knows its type. A **security seeker** has Assurance preferences
# R > T > P > S (here 4 > 3 > 2 > 0): it prefers mutual cooperation, but fears being exploited.
# A **greedy** type defects whatever the other does (T_u = 5). Each side believes the other is
# a security seeker with probability π (`pi_NATO`: Russia's trust in NATO; `pi_Russia`: NATO's
# trust in Russia). `ng.load` reads the scenario; `solve` computes every Bayesian Nash
# equilibrium (BNE) exactly, through the Harsanyi transformation.

# %%
trust_game = ng.load("security_dilemma_bayesian")
at_defaults = trust_game.solve()
print(at_defaults)

# %% [markdown]
# **The trust threshold by hand.** Suppose security seekers cooperate and greedy types defect.
# A security seeker facing a side that cooperates with probability π (its chance of being a
# security seeker) gets 4π from cooperating and 3π + 2(1 − π) = 2 + π from defecting;
# cooperating is a best reply iff 4π ≥ 2 + π, i.e.
# π ≥ π* = (P − S)/((R − T) + (P − S)) = 2/(1 + 2) = **2/3**.
#
# At π = 3/4 > 2/3 there are three BNE: security seekers cooperate; everybody defects; and a
# mixed one. In the mixed one a security seeker cooperates with probability x making the other
# indifferent: 4πx = 2 + πx ⇒ πx = 2/3 ⇒ x = (2/3)/(3/4) = **8/9**.

# %%
cooperative = [e for e in at_defaults if e.kind == "pure" and e["NATO"]["Security seeker"]["Cooperate"] == 1]
mixed = [e for e in at_defaults if e.kind == "mixed"][0]
assert len(at_defaults) == 3 and at_defaults.exact and at_defaults.complete
assert len(cooperative) == 1 and cooperative[0]["Russia"]["Greedy"]["Defect"] == 1
assert mixed["NATO"]["Security seeker"]["Cooperate"] == Fraction(8, 9)

below = trust_game.solve({"pi_NATO": "1/2", "pi_Russia": "1/2"})
print(below)
assert len(below) == 1 and below[0]["NATO"]["Security seeker"]["Defect"] == 1

# %% [markdown]
# `trust_game.derive()` gives the same threshold symbolically: the conditions on the
# parameters under which each pure BNE exists, and the thresholds.

# %%
conditions = trust_game.derive()
print(conditions)
pi_threshold = [t for t in conditions.thresholds if t.parameter == "pi_NATO"][0]
assert str(pi_threshold.expression) == "(P - S)/(P + R - S - T)" and pi_threshold.value == Fraction(2, 3)

# %% [markdown]
# **A plot against trust.** For π from 0 to 1 (both sides' trust equal), we solve the game
# and record the security seeker's ex-ante payoff in the best BNE and whether the cooperative
# BNE exists. Twelve small exact solves take well under a second.

# %%
levels = [Fraction(i, 12) for i in range(1, 13)]
best_payoff, cooperation_possible = [], []
for pi in levels:
    result = trust_game.solve({"pi_NATO": pi, "pi_Russia": pi})
    best_payoff.append(max(float(e.interim_payoff("NATO", "Security seeker")) for e in result))
    cooperation_possible.append(any(e.kind == "pure" and e["NATO"]["Security seeker"]["Cooperate"] == 1
                                    for e in result))
assert cooperation_possible == [pi >= Fraction(2, 3) for pi in levels]

figure, axes = plt.subplots(figsize=(7, 4), layout="constrained")
axes.plot([float(pi) for pi in levels], best_payoff, "o-", label="security seeker's payoff, best BNE")
axes.axvline(2 / 3, color="grey", linestyle="--", label="trust threshold π* = 2/3")
axes.set_xlabel("trust π (probability that the other is a security seeker)")
axes.set_ylabel("expected payoff")
axes.set_title("Kydd trust game: cooperation needs trust above π*")
axes.legend()
save_figure(figure, FIGURES / "03-trust-threshold")
show(figure)

# %% [markdown]
# ## Part B: a costly gesture as a signal
#
# Now Russia moves first: it may make a **gesture** of cost s (e.g. withdrawing forces from a
# zone) or not. NATO sees the gesture (not Russia's type), updates its belief by Bayes' rule,
# and cooperates or defects; Russia then plays its best reply. NATO's prior trust is π = 2/5,
# *below* its cooperation threshold (P_N − S_N)/(R_N − S_N) = 2/4 = 1/2: without a signal NATO
# defects.
#
# **Separating condition by hand.** If only the trustworthy type gestures, NATO cooperates
# after a gesture and defects otherwise. The trustworthy type gestures iff R_t − s ≥ P_t
# (4 − s ≥ 2); the untrustworthy type abstains iff P_u ≥ T_u − s (2 ≥ 3 − s). So the gesture
# separates the types iff **T_u − P_u = 1 ≤ s ≤ 2 = R_t − P_t**.
#
# `solve()` lists every pure perfect Bayesian equilibrium (PBE) and applies Cho and Kreps's
# intuitive criterion.

# %%
signal = ng.load("reassurance_signal")
pbe = signal.solve()
print(pbe)

# %% [markdown]
# At s = 3/2 there are two PBE. In the **separating** one the trustworthy type gets
# 4 − 3/2 = **5/2**, the untrustworthy type 2, and NATO π·R_N + (1 − π)·P_N = 2/5 · 4 + 3/5 · 2
# = **14/5**. In the **pooling** one nobody gestures and NATO defects, propped up by the belief
# that a gesture would come from an untrustworthy Russia; it fails the intuitive criterion,
# because an untrustworthy Russia could never gain from the gesture (3 − 3/2 < 2).

# %%
separating = pbe.separating[0]
assert separating.sender_strategy == {"Trustworthy": "Gesture", "Untrustworthy": "No gesture"}
assert separating.sender_payoffs == (Fraction(5, 2), 2) and separating.receiver_payoff == Fraction(14, 5)
assert [e.kind for e in pbe.surviving] == ["separating"]

# %% [markdown]
# **Which costs separate?** We solve for s = 0, 1/4, …, 3 and plot where a separating PBE
# exists. The hand condition says exactly for 1 ≤ s ≤ 2.

# %%
costs = [Fraction(i, 4) for i in range(0, 13)]
separates = [bool(signal.solve({"s": s}).separating) for s in costs]
assert separates == [1 <= s <= 2 for s in costs]

figure, axes = plt.subplots(figsize=(7, 2.8), layout="constrained")
axes.scatter([float(s) for s in costs], [1 if x else 0 for x in separates], s=60,
             c=["tab:green" if x else "tab:red" for x in separates])
axes.axvspan(1, 2, color="tab:green", alpha=0.15, label="T_u − P_u ≤ s ≤ R_t − P_t")
axes.set_yticks([0, 1], ["no", "yes"])
axes.set_xlabel("cost of the gesture s")
axes.set_ylabel("separating PBE?")
axes.set_title("Reassurance works only in a window of costs")
axes.legend(loc="center right")
save_figure(figure, FIGURES / "03-signal-window")
show(figure)

# %% [markdown]
# ## Play: the price of a credible gesture
#
# (The explorer needs `pip install -e '.[notebook]'`; when you release a slider it solves the
# model again and redraws its tables and figure.)
#
# **Predict, then move the slider.** The explorer shows `reassurance_signal` at s = 3/2: a
# separating and a pooling PBE (the `kind` column). Write down your prediction first: move s to
# 1/2 and to 5/2; does a separating equilibrium survive? In the separating equilibrium at
# s = 1, what does the trustworthy Russia get? Then move s (and try the prior π too).
#
# <details><summary>Answer</summary>
#
# Separation needs T_u − P_u = 1 ≤ s ≤ 2 = R_t − P_t: at **s = 1/2** the untrustworthy type
# would copy the cheap gesture, at **s = 5/2** the trustworthy type would not pay for it; in
# both cases only pooling is left. At s = 1 the trustworthy type gets R_t − s = 4 − 1 = **3**.
# Moving π does not change the window: after a separating gesture NATO's belief is 1 or 0 whatever
# its prior. π decides what NATO does without a signal: above 1/2 it cooperates anyway, and
# pooling equilibria in which NATO cooperates appear.
#
# </details>

# %%
from negotiation.report.explorer import explorer

app = explorer("reassurance_signal", values={"s": "3/2"})
app

# %% [answer]
assert not signal.solve({"s": "1/2"}).separating and not signal.solve({"s": "5/2"}).separating
assert signal.solve({"s": 1}).separating[0].sender_payoffs[0] == 3

# %% [markdown]
# ## Interpretation
#
# * Trust matters discontinuously: below π* = 2/3 even two security seekers end in mutual
#   defection; above it, cooperation is possible (but not guaranteed: the all-defect BNE
#   always exists).
# * A reassurance gesture must be **costly enough** that a greedy state would not copy it and
#   **cheap enough** for a security seeker: cheap talk (s = 0) reassures nobody, and a gesture that
#   costs more than mutual cooperation is worth is not made. A withdrawal from a zone near the
#   border is credible precisely because it costs military value.
# * The pooling equilibrium shows a self-fulfilling pessimism ("any gesture is a trick"); the
#   intuitive criterion rules it out here.
#
# **Assumptions.** Two types only; the receiver's response after Russia's move is reduced to
# Russia's best reply; payoffs illustrative; pure-strategy PBE only.

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** In the trust game, make the security seeker less tempted: T = 2. What is the
# new trust threshold? Check with `trust_game.solve({...})` just above and below it.
#
# <details><summary>Answer</summary>
#
# π* = (P − S)/((R − T) + (P − S)) = 2/(2 + 2) = **1/2**. Lower temptation means less trust is
# needed: at π = 11/20 the cooperative BNE exists, at π = 9/20 it does not.
#
# </details>

# %% [answer]
def cooperative_bne(values):
    return any(e.kind == "pure" and e["NATO"]["Security seeker"]["Cooperate"] == 1
               for e in trust_game.solve(values))

assert cooperative_bne({"T": 2, "pi_NATO": "11/20", "pi_Russia": "11/20"})
assert not cooperative_bne({"T": 2, "pi_NATO": "9/20", "pi_Russia": "9/20"})

# %% [markdown]
# **Exercise 2.** In the signaling game, raise NATO's prior trust to π = 3/5. Does Russia still
# need the gesture? Which equilibrium does a trustworthy Russia prefer?
#
# <details><summary>Answer</summary>
#
# π = 3/5 exceeds NATO's threshold 1/2, so NATO cooperates even without a gesture: there are
# pooling PBE on "No gesture" with NATO cooperating, in which the trustworthy type gets
# R_t = 4 > 5/2. The separating equilibrium still exists, but the gesture is wasted money
# for the trustworthy type; NATO, however, gets 3/5 · 4 + 2/5 · 2 = 16/5 there against
# 3/5 · 4 + 2/5 · 0 = 12/5 when it cooperates blindly: NATO prefers being reassured.
#
# </details>

# %% [answer]
high_trust = signal.solve({"pi": "3/5"})
print(high_trust)
pooling_cooperate = [e for e in high_trust.pooling if e.receiver_strategy["No gesture"] == "Cooperate"]
assert pooling_cooperate and pooling_cooperate[0].sender_payoffs[0] == 4
assert high_trust.separating[0].receiver_payoff == Fraction(16, 5)
assert pooling_cooperate[0].receiver_payoff == Fraction(12, 5)

# %% [markdown]
# **Exercise 3.** A greedier Russia: T_u = 5. For which gesture costs (0 ≤ s ≤ 5) can Russia
# reassure NATO now?
#
# <details><summary>Answer</summary>
#
# Separation needs T_u − P_u = 3 ≤ s ≤ 2 = R_t − P_t: impossible. When the greedy type gains
# more from being trusted than the security seeker gains from cooperation, no costly signal
# separates them (Kydd's condition fails).
#
# </details>

# %% [answer]
assert not any(signal.solve({"T_u": 5, "s": Fraction(i, 2)}).separating for i in range(0, 11))
