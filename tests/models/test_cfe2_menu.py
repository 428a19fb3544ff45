"""cfe2: the Nash package against the menu floor, and the holdings the zone rests on (issue 13, item 3).

Brute force with the utility formula of the model description written out with math.log, independently
of the engine (as in test_cfe2.py), and the zone condition by hand:

A mutual ceiling c below NATO's holding HN (HN <= HR) changes Russia's utility in that category by
    g(c) = wR log(HN/HR) + s log(c/HR) + (wR + s)(1 - c/HR)
(the force ratio goes from HR/HN to 1, Russia's own holdings from HR to c, upkeep saved on HR - c);
g'(c) = s/c - (wR + s)/HR vanishes at c* = s HR/(wR + s), where
    g(c*) = s log(s/(wR + s)) + wR (1 + log(HN/HR)).
A ceiling between HN and HR changes Russia's utility by (wR + s)(log(c/HR) + 1 - c/HR) < 0 (log x < x - 1).
So Russia can gain in a category only if g(c*) > 0, i.e. HN/HR > exp(-1 - (s/wR) log(s/(wR + s))).
"""

import itertools
import math

import pytest

import negotiation as ng

CATEGORIES = ("tanks", "acv", "artillery", "aircraft", "helicopters")
HN = {"tanks": 900, "acv": 2500, "artillery": 800, "aircraft": 450, "helicopters": 150}
HR = {"tanks": 2000, "acv": 4500, "artillery": 1800, "aircraft": 300, "helicopters": 100}
WN = {"tanks": 1, "acv": 0.5, "artillery": 1, "aircraft": 0.25, "helicopters": 0.25}
WR = {"tanks": 0.25, "acv": 0.25, "artillery": 0.25, "aircraft": 1, "helicopters": 0.5}
S = 0.25
#: the earlier menu: no limit and five round numbers per category (its floor was the old Nash package)
OLD_MENU = {"tanks": [None, 2000, 1500, 1200, 900, 600], "acv": [None, 4500, 3500, 2500, 2000, 1500],
            "artillery": [None, 1800, 1400, 1000, 800, 600], "aircraft": [None, 450, 400, 350, 300, 250],
            "helicopters": [None, 150, 125, 100, 80, 60]}


def _utilities(ceilings, hn=HN, upkeep=1.0):
    u_n = u_r = 0.0
    for k in CATEGORIES:
        c = ceilings[k] if ceilings[k] is not None else math.inf
        n, r = min(hn[k], c), min(HR[k], c)
        u_n += WN[k] * math.log(n / r) + S * math.log(n / hn[k]) + upkeep * (WN[k] + S) * (hn[k] - n) / hn[k]
        u_r += WR[k] * math.log(r / n) + S * math.log(r / HR[k]) + upkeep * (WR[k] + S) * (HR[k] - r) / HR[k]
    return u_n, u_r


def _packages(menu, upkeep=1.0):
    """Every package with both gains over no treaty (the utilities are additive over categories:
    each category's gain over no limit is tabulated once)."""
    d = _utilities(dict.fromkeys(CATEGORIES), upkeep=upkeep)
    tables = []
    for k in CATEGORIES:
        rows = []
        for value in menu[k]:
            u = _utilities({**dict.fromkeys(CATEGORIES), k: value}, upkeep=upkeep)
            rows.append((value, u[0] - d[0], u[1] - d[1]))
        tables.append(rows)
    for combination in itertools.product(*tables):
        gains = (sum(row[1] for row in combination), sum(row[2] for row in combination))
        yield {k: row[0] for k, row in zip(CATEGORIES, combination)}, gains


def _nash_by_brute_force(menu, upkeep=1.0):
    best, best_product = None, -1.0
    for package, gains in _packages(menu, upkeep):
        if min(gains) >= 0 and gains[0] * gains[1] > best_product:
            best, best_product = package, gains[0] * gains[1]
    return best


def _menu(problem):
    issues = {k: problem.agreements.issue(k) for k in CATEGORIES}
    return {k: [None if label == "no limit" else int(issues[k].value_of(label)) for label in issues[k].options]
            for k in CATEGORIES}


def test_the_old_menu_put_the_nash_package_at_its_floor():
    assert _nash_by_brute_force(OLD_MENU) == {k: min(v for v in OLD_MENU[k] if v) for k in CATEGORIES}


def test_with_lower_levels_the_nash_package_moves_inside_the_menu():
    problem = ng.load("cfe2").problem_at({})
    menu = _menu(problem)
    assert all(set(OLD_MENU[k]) <= set(menu[k]) for k in CATEGORIES)       # the menu only gained levels
    expected = {"tanks": 450, "acv": 1500, "artillery": 450, "aircraft": 100, "helicopters": 40}
    assert _nash_by_brute_force(menu) == expected
    terms = ng.load("cfe2").bargain()["nash"].agreement.terms
    assert {k: int(v.replace(",", "")) for k, v in terms.items()} == expected
    # every category still offers a lower level: the package is not the floor
    assert all(min(v for v in menu[k] if v) < expected[k] for k in CATEGORIES)


def _russias_best_mutual_cut(k, hn):
    return S * math.log(S / (WR[k] + S)) + WR[k] * (1 + math.log(hn / HR[k]))


def test_the_share_of_russias_holdings_nato_needs_for_russia_to_gain():
    shares = {k: math.exp(-1 - (S / WR[k]) * math.log(S / (WR[k] + S))) for k in CATEGORIES}
    assert shares["tanks"] == shares["acv"] == shares["artillery"] == pytest.approx(2 / math.e)
    assert shares["aircraft"] == pytest.approx(5 ** 0.25 / math.e)          # ≈ 0.550
    assert shares["helicopters"] == pytest.approx(3 ** 0.5 / math.e)        # ≈ 0.637
    for k in CATEGORIES:
        assert _russias_best_mutual_cut(k, shares[k] * HR[k]) == pytest.approx(0, abs=1e-12)


def test_zone_vanishes_when_nato_is_far_enough_below_in_every_category():
    hn = {**HN, "aircraft": 150, "helicopters": 60}
    assert all(hn[k] < HR[k] for k in CATEGORIES)
    # by hand: no category offers Russia a gain, so no package does (the utilities are additive)
    assert all(_russias_best_mutual_cut(k, hn[k]) < 0 for k in CATEGORIES)
    result = ng.load("cfe2").bargain({"HN_aircraft": 150, "HN_helicopters": 60})
    assert result.zone.gains[1] <= 1e-12
    assert "none gives every party a strict gain" in result.zone.description


def test_nato_only_slightly_below_keeps_a_smaller_zone():
    hn = {**HN, "aircraft": 250, "helicopters": 80}
    assert all(hn[k] < HR[k] for k in CATEGORIES)
    # aircraft: 250/300 ≈ 0.83 > 0.55, so a deep mutual air cut gains Russia something
    assert _russias_best_mutual_cut("aircraft", 250) > 0
    result = ng.load("cfe2").bargain({"HN_aircraft": 250, "HN_helicopters": 80})
    default = ng.load("cfe2").bargain()
    assert not result.zone.empty and all(g > 0 for g in result.zone.gains)
    assert result.zone.gains[1] < default.zone.gains[1]


def test_readme_share_and_dearer_equipment():
    problem = ng.load("cfe2").problem_at({})
    menu = _menu(problem)
    both_gain = sum(1 for _, gains in _packages(menu) if min(gains) > 0)
    assert both_gain / 58320 == pytest.approx(0.777, abs=0.001)     # "about 78 % of the packages"
    # upkeep_scale = 2: the Nash package sits at the menu floor in tanks, ACVs, artillery and aircraft
    dear = _nash_by_brute_force(menu, upkeep=2.0)
    floors = {k: min(v for v in menu[k] if v) for k in CATEGORIES}
    assert [k for k in CATEGORIES if dear[k] == floors[k]] == ["tanks", "acv", "artillery", "aircraft"]
    terms = ng.load("cfe2").bargain({"upkeep_scale": 2})["nash"].agreement.terms
    assert {k: int(v.replace(",", "")) for k, v in terms.items()} == dear
