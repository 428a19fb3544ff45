"""Genius XML domains and profiles (issue 18, item 6): reading, the bargaining solutions of what is read,
hostile files, and writing back.

Independent sources: every expected value is computed here from the evaluation tables written in the
test (Genius's rule, ``sum_k weight_k * evaluation / largest evaluation``), by enumerating every
outcome with ``itertools.product`` -- the Nash product, Kalai and Smorodinsky's lexicographic max-min
of normalised gains (Imai 1983 for finite sets), the Pareto frontier by pairwise dominance -- or from
a closed form written out in the test. Genius agreements are single outcomes (no lotteries), which
is what the reader builds by default; the lottery test maximises the Nash product over every segment
between two outcomes, by hand.
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction as F
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.cli import main
from negotiation.formats.genius import (
    MAX_GENIUS_BYTES,
    MAX_GENIUS_ISSUES,
    MAX_GENIUS_LOTTERY_OUTCOMES,
    MAX_GENIUS_OUTCOMES,
    MAX_GENIUS_VALUES,
    GeniusFormatError,
    genius_problem,
    parse_genius_domain,
    parse_genius_profile,
    read_genius,
)
from negotiation.formats.genius_writer import (
    GeniusExportError,
    genius_files,
    write_genius,
)

# ---------------------------------------------------------------------- a party domain, written by hand
ISSUES = {"Food": ["Chips and Nuts", "Finger-Food", "Catering"],
          "Drinks": ["Beer Only", "Soda", "Cocktails"],
          "Music": ["MP3", "Band"]}

# the evaluations as Genius files give them (integers; Genius divides by the issue's largest)
BUYER = {"weights": {"Food": "0.5", "Drinks": "0.3", "Music": "0.2"},
         "items": {"Food": [3, 6, 9], "Drinks": [10, 4, 2], "Music": [5, 10]}, "reservation": "0.25"}
SELLER = {"weights": {"Food": "0.25", "Drinks": "0.25", "Music": "0.5"},
          "items": {"Food": [8, 4, 1], "Drinks": [2, 8, 4], "Music": [10, 1]}, "reservation": "0.2"}


def domain_xml(issues=ISSUES) -> str:
    body = []
    for k, (name, items) in enumerate(issues.items(), start=1):
        body.append(f'<issue index="{k}" etype="discrete" type="discrete" vtype="discrete" name="{name}">')
        body += [f'  <item index="{j}" value="{item}" cost="0" description=""/>' for j, item in enumerate(items, 1)]
        body.append("</issue>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<negotiation_template>\n'
            f'<utility_space number_of_issues="{len(issues)}">\n'
            '<objective description="" etype="objective" index="0" name="root" type="objective">\n'
            + "\n".join(body) + "\n</objective>\n</utility_space>\n</negotiation_template>\n")


def profile_xml(profile, issues=ISSUES, discount="0.9") -> str:
    body = []
    for k, (name, items) in enumerate(issues.items(), start=1):
        body.append(f'<issue index="{k}" etype="discrete" type="discrete" vtype="discrete" name="{name}">')
        body += [f'  <item index="{j}" value="{item}" evaluation="{e}"/>'
                 for j, (item, e) in enumerate(zip(items, profile["items"][name]), 1)]
        body.append("</issue>")
    body += [f'<weight index="{k}" value="{profile["weights"][name]}"/>' for k, name in enumerate(issues, 1)]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<utility_space type="domain">\n'
            '<objective description="" etype="objective" index="0" name="root" type="objective">\n'
            + "\n".join(body) + "\n</objective>\n"
            f'<reservation value="{profile["reservation"]}"/>\n<discount_factor value="{discount}"/>\n'
            "</utility_space>\n")


@pytest.fixture
def party(tmp_path):
    paths = (tmp_path / "party-domain.xml", tmp_path / "party-buyer.xml", tmp_path / "party-seller.xml")
    for path, text in zip(paths, (domain_xml(), profile_xml(BUYER), profile_xml(SELLER))):
        path.write_text(text, encoding="utf-8")
    return paths


def hand_utility(profile, outcome) -> F:
    """Genius's additive utility of an outcome, computed from the test's own tables."""
    total = F(0)
    for name, item in zip(ISSUES, outcome):
        evaluations = profile["items"][name]
        largest = max(evaluations)
        total += F(profile["weights"][name]) * F(evaluations[ISSUES[name].index(item)], largest)
    return total


def hand_outcomes(profiles=(BUYER, SELLER)):
    """Every outcome with its utilities and the no-deal point, by enumeration."""
    d = tuple(F(p["reservation"]) for p in profiles)
    rows = [(outcome, tuple(hand_utility(p, outcome) for p in profiles))
            for outcome in itertools.product(*ISSUES.values())]
    return rows, d


def zone_of(rows, d):
    return [(o, u) for o, u in rows if all(x >= y for x, y in zip(u, d))]


# ---------------------------------------------------------------------- reading
def test_the_domain_loads_with_its_issues_scores_and_no_deal_point(party):
    problem = read_genius(party[0], party[1:])
    assert problem.parties == ("buyer", "seller")
    assert problem.title == "party"
    assert [(i.name, i.title, i.options) for i in problem.agreements.issues] == [
        ("food", "Food", tuple(ISSUES["Food"])), ("drinks", "Drinks", tuple(ISSUES["Drinks"])),
        ("music", "Music", tuple(ISSUES["Music"]))]
    # 0.5 * 6/9 for Finger-Food: the evaluations divided by the largest, times the weight
    assert problem.agreements.scores[0]["food"]["Finger-Food"] == F(1, 3)
    assert problem.agreements.scores[1]["music"] == {"MP3": F(1, 2), "Band": F(1, 20)}
    assert problem.disagreement == (F(1, 4), F(1, 5))
    assert problem.agreements.lotteries is False
    assert any("discount factors (buyer 9/10, seller 9/10) are not applied" in n for n in problem.notes)


def test_nash_point_equals_brute_force_over_every_outcome(party):
    rows, d = hand_outcomes()
    zone = zone_of(rows, d)
    products = {o: (u[0] - d[0]) * (u[1] - d[1]) for o, u in zone}
    best = max(products.values())
    winners = [o for o in products if products[o] == best]
    assert best > 0 and len(winners) == 1
    result = ng.solve(read_genius(party[0], party[1:]))
    nash = result.solutions["nash"]
    assert nash.exact
    assert tuple(nash.agreement.terms.values()) == winners[0]
    assert nash.utilities == dict(zone)[winners[0]]


def test_kalai_smorodinsky_equals_brute_force_lexicographic_max_min(party):
    rows, d = hand_outcomes()
    zone = zone_of(rows, d)
    ideal = tuple(max(u[i] for _, u in zone) for i in range(2))

    def key(u):
        return sorted((u[i] - d[i]) / (ideal[i] - d[i]) for i in range(2))

    best = max(key(u) for _, u in zone)
    expected = {u for _, u in zone if key(u) == best}
    result = ng.solve(read_genius(party[0], party[1:]))
    ks = result.solutions["kalai_smorodinsky"]
    assert ks.utilities in expected
    assert result.zone.ideal == ideal


def test_pareto_frontier_equals_brute_force_dominance(party):
    rows, d = hand_outcomes()
    zone = zone_of(rows, d)
    points = {u for _, u in zone}

    def dominated(u):
        return any(all(a >= b for a, b in zip(v, u)) and v != u for v in points)

    expected = {u for u in points if not dominated(u)}
    frontier = ng.solve(read_genius(party[0], party[1:])).zone.frontier
    assert frontier.kind == "points"
    assert {tuple(p.utilities) for p in frontier.points} == expected


def test_lotteries_allowed_give_the_nash_point_of_the_convex_hull(party):
    """With lotteries the Nash point maximises (x - d1)(y - d2) over every segment between two outcomes:
    on the segment a + t (b - a) the product is a quadratic in t, maximised at its vertex or an end."""
    rows, d = hand_outcomes()
    points = sorted({u for _, u in rows})
    best = F(0)
    for a, b in itertools.combinations_with_replacement(points, 2):
        p, q = (a[0] - d[0], a[1] - d[1]), (b[0] - a[0], b[1] - a[1])
        # (p0 + t q0)(p1 + t q1) = p0 p1 + t (p0 q1 + p1 q0) + t^2 q0 q1
        candidates = [F(0), F(1)]
        if q[0] * q[1] < 0:
            candidates.append(-(p[0] * q[1] + p[1] * q[0]) / (2 * q[0] * q[1]))
        for t in candidates:
            if 0 <= t <= 1:
                x, y = p[0] + t * q[0], p[1] + t * q[1]
                if x >= 0 and y >= 0:
                    best = max(best, x * y)
    nash = ng.solve(read_genius(party[0], party[1:], lotteries=True)).solutions["nash"]
    assert (nash.utilities[0] - d[0]) * (nash.utilities[1] - d[1]) == best
    pure = max((u[0] - d[0]) * (u[1] - d[1]) for _, u in zone_of(rows, d))
    assert best > pure  # here mixing two outcomes really helps


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.data())
def test_nash_point_equals_enumeration_for_random_domains(data):
    sizes = data.draw(st.lists(st.integers(2, 3), min_size=2, max_size=3))
    issues = {f"Issue {k}": [f"v{k}.{j}" for j in range(n)] for k, n in enumerate(sizes)}
    profiles = []
    for _ in range(2):
        weights = data.draw(st.lists(st.sampled_from(["0.1", "0.2", "0.25", "0.5", "1"]), min_size=len(sizes),
                                     max_size=len(sizes)))
        profiles.append({"weights": dict(zip(issues, weights)),
                         "items": {name: data.draw(st.lists(st.integers(0, 9), min_size=len(items),
                                                            max_size=len(items)).filter(any))
                                   for name, items in issues.items()},
                         "reservation": data.draw(st.sampled_from(["0", "0.1", "0.25"]))})
    domain = parse_genius_domain(domain_xml(issues), "random.xml")
    read = [parse_genius_profile(profile_xml(p, issues), domain, f"p{k}.xml") for k, p in enumerate(profiles)]
    problem = genius_problem(domain, read, ["A", "B"])

    def utility(profile, outcome):
        return sum((F(profile["weights"][name]) * F(profile["items"][name][issues[name].index(item)],
                                                    max(max(profile["items"][name]), 1))
                    for name, item in zip(issues, outcome)), F(0))

    d = tuple(F(p["reservation"]) for p in profiles)
    products = [(u[0] - d[0]) * (u[1] - d[1]) for u in
                (tuple(utility(p, o) for p in profiles) for o in itertools.product(*issues.values()))
                if u[0] >= d[0] and u[1] >= d[1]]
    result = ng.solve(problem)
    if not products:
        assert result.zone.empty
        return
    nash = result.solutions["nash"]
    if max(products) > 0:
        assert (nash.utilities[0] - d[0]) * (nash.utilities[1] - d[1]) == max(products)


def test_integer_and_real_issues_follow_genius_evaluators():
    """Integer: offset + slope * (x - lowerbound), clipped to [0, 1]; real: parameter0 + parameter1 * x.
    One real issue, buyer 1 - x/10, seller x/10, no-deal 0: the Nash and Kalai–Smorodinsky price is 5
    (the maximiser of (1 - x/10)(x/10)), utilities 1/2 each."""
    domain = parse_genius_domain('''<negotiation_template><utility_space><objective name="root">
        <issue index="1" name="Price" type="real"><range lowerbound="0" upperbound="10"/></issue>
        <issue index="2" name="Guests" type="integer" lowerbound="10" upperbound="14"/>
        </objective></utility_space></negotiation_template>''', "d.xml")

    def profile(p0, p1, offset, slope):
        return parse_genius_profile(f'''<utility_space><objective name="root">
            <issue index="1" name="Price" type="real"><evaluator ftype="linear" parameter0="{p0}" parameter1="{p1}"/></issue>
            <issue index="2" name="Guests" type="integer"><evaluator ftype="linear" offset="{offset}" slope="{slope}"/></issue>
            <weight index="1" value="1"/><weight index="2" value="0"/></objective></utility_space>''', domain, "p.xml")

    buyer, seller = profile(1, "-0.1", "0.2", "0.5"), profile(0, "0.1", 1, "-0.25")
    assert [buyer.evaluate(domain.issues[1], x) for x in range(10, 15)] == [F(1, 5), F(7, 10), 1, 1, 1]  # clipped
    assert [seller.evaluate(domain.issues[1], x) for x in range(10, 15)] == [1, F(3, 4), F(1, 2), F(1, 4), 0]
    problem = genius_problem(domain, [buyer, seller], ["buyer", "seller"])
    assert problem.agreements.issue("guests").options == ("10", "11", "12", "13", "14")
    result = ng.solve(problem)
    for name in ("nash", "kalai_smorodinsky"):
        assert result.solutions[name].utilities == (F(1, 2), F(1, 2))
        assert result.solutions[name].agreement.terms["price"] == 5


# ---------------------------------------------------------------------- hostile and malformed files
BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<negotiation_template>&lol2;</negotiation_template>')
EXTERNAL = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><negotiation_template>&e;</negotiation_template>'


def _domain_with(issue_xml: str) -> str:
    return f'<negotiation_template><utility_space><objective name="root">{issue_xml}</objective></utility_space></negotiation_template>'


def _items(n):
    return "".join(f'<item value="v{k}"/>' for k in range(n))


DOMAIN_CASES = [
    (BOMB, "document type declaration"),
    (EXTERNAL, "document type declaration"),
    ("<!doctype negotiation_template><negotiation_template/>", "document type declaration"),
    ("<negotiation_template><utility_space>", "well-formed XML"),
    ("<negotiation_template>&undefined;</negotiation_template>", "well-formed XML"),
    ("not xml at all", "well-formed XML"),
    ("<game/>", "root element negotiation_template or utility_space"),
    ("<negotiation_template/>", "expected a utility_space"),
    ("<utility_space/>", "expected an objective"),
    (_domain_with(""), "at least one issue"),
    (_domain_with('<issue type="discrete"><item value="a"/></issue>'), "issue 1: expected attribute 'name'"),
    (_domain_with('<issue name="A" type="discrete"/>'), "at least one item"),
    (_domain_with('<issue name="A" type="discrete"><item value="a"/><item value="a"/></issue>'), "used by another item"),
    (_domain_with('<issue name="A" type="fuzzy"/>'), "attribute 'type': expected one of discrete, integer, real"),
    (_domain_with('<issue name="A" type="integer" lowerbound="1"/>'), "expected attribute 'upperbound'"),
    (_domain_with('<issue name="A" type="integer" lowerbound="1" upperbound="x"/>'), "expected a number, found 'x'"),
    (_domain_with('<issue name="A" type="real" lowerbound="nan" upperbound="1"/>'), "expected a number, found 'nan'"),
    (_domain_with('<issue name="A" type="real" lowerbound="1e99999" upperbound="1"/>'), "exponent beyond"),
    (_domain_with('<issue name="A" type="real" lowerbound="2" upperbound="1"/>'), "is above 'upperbound'"),
    (_domain_with('<issue name="A" type="integer" lowerbound="0.5" upperbound="1"/>'), "expected integer bounds"),
    (_domain_with('<issue name="A" type="integer" lowerbound="0" upperbound="100000000000"/>'), "per issue are read"),
    (_domain_with(f'<issue name="A" type="discrete">{_items(MAX_GENIUS_VALUES + 1)}</issue>'), "per issue are read"),
    (_domain_with("".join(f'<issue name="I{k}" type="discrete"><item value="a"/></issue>'
                          for k in range(MAX_GENIUS_ISSUES + 1))), f"at most {MAX_GENIUS_ISSUES} are read"),
    (_domain_with("".join(f'<issue index="{k}" name="I{k}" type="discrete">{_items(10)}</issue>' for k in range(7))),
     f"at most {MAX_GENIUS_OUTCOMES:,} are analysed"),
    (_domain_with('<objective name="sub"><issue name="A" type="discrete"><item value="a"/></issue></objective>'),
     "nested objectives are not read"),
    (_domain_with('<issue name="De\u202eploy" type="discrete"><item value="a"/></issue>'), "bidirectional"),
    (_domain_with('<issue index="1" name="A" type="discrete"><item value="a"/></issue>'
                  '<issue index="1" name="B" type="discrete"><item value="a"/></issue>'), "used by another issue"),
    ("<a>" * 300_000, "elements"),
]


@pytest.mark.parametrize("text, expected", DOMAIN_CASES, ids=[f"domain-{k}" for k in range(len(DOMAIN_CASES))])
def test_malformed_and_hostile_domains_give_one_line(tmp_path, text, expected):
    path = tmp_path / "bad-domain.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GeniusFormatError) as caught:
        read_genius(path, [path, path])
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path)), message
    assert expected in message, message


def _profile_with(food: str, weights='<weight index="1" value="1"/>', tail="") -> str:
    return (f'<utility_space><objective index="0" name="root">{food}{weights}</objective>{tail}</utility_space>')


FOOD = '<issue index="1" name="Food"><item value="a" evaluation="1"/><item value="b" evaluation="2"/></issue>'
PROFILE_CASES = [
    (_profile_with(FOOD.replace('evaluation="2"', 'evaluation="lots"')), "expected a number, found 'lots'"),
    (_profile_with(FOOD.replace(' evaluation="2"', "")), "expected attribute 'evaluation'"),
    (_profile_with(FOOD.replace('value="b"', 'value="c"')), "not an item of the domain's issue"),
    (_profile_with(FOOD.replace('<item value="b" evaluation="2"/>', "")), "no evaluation of this item"),
    (_profile_with(FOOD.replace('name="Food"', 'name="Drink"')), "not an issue of the domain"),
    (_profile_with(""), "no evaluation of this issue"),
    (_profile_with(FOOD, weights=""), "no weight element with index '1'"),
    (_profile_with(FOOD, weights='<weight index="1" value="1"/><weight index="7" value="1"/>'), "no issue has index"),
    (_profile_with(FOOD, weights='<weight index="1" value="-1"/>'), "a weight of at least 0"),
    (_profile_with(FOOD, tail='<discount_factor value="1.5"/>'), "expected a number in [0, 1]"),
    (_profile_with(FOOD, tail='<reservation value="1/0"/>'), "expected a number"),
    (BOMB, "document type declaration"),
]


@pytest.mark.parametrize("text, expected", PROFILE_CASES, ids=[f"profile-{k}" for k in range(len(PROFILE_CASES))])
def test_malformed_profiles_give_one_line(tmp_path, text, expected):
    domain = tmp_path / "d.xml"
    domain.write_text(_domain_with('<issue index="1" name="Food" type="discrete"><item value="a"/><item value="b"/>'
                                   "</issue>"), encoding="utf-8")
    good = tmp_path / "good.xml"
    good.write_text(_profile_with(FOOD), encoding="utf-8")
    bad = tmp_path / "bad.xml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(GeniusFormatError) as caught:
        read_genius(domain, [good, bad])
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(bad)), message
    assert expected in message, message


def test_lotteries_over_too_many_outcomes_are_refused_before_the_hull():
    issues = {f"I{k}": [f"v{j}" for j in range(10)] for k in range(5)}
    domain = parse_genius_domain(domain_xml(issues), "big.xml")
    profile = {"weights": dict.fromkeys(issues, "0.2"), "items": {n: list(range(1, 11)) for n in issues},
               "reservation": "0"}
    read = [parse_genius_profile(profile_xml(profile, issues), domain, "p.xml")] * 2
    assert genius_problem(domain, read, ["A", "B"]).representation == "issues"
    with pytest.raises(GeniusFormatError, match=f"at most {MAX_GENIUS_LOTTERY_OUTCOMES:,} \\(the limit"):
        genius_problem(domain, read, ["A", "B"], lotteries=True)


def test_real_evaluator_leaving_zero_one_is_refused():
    domain = parse_genius_domain(_domain_with('<issue index="1" name="P" type="real" lowerbound="0" upperbound="10"/>'))
    with pytest.raises(GeniusFormatError, match="outside \\[0, 1\\]; Genius clips it"):
        parse_genius_profile(_profile_with('<issue index="1" name="P"><evaluator ftype="linear" parameter0="0" '
                                           'parameter1="0.2"/></issue>'), domain, "p.xml")


def test_files_too_large_or_not_utf8_are_refused(tmp_path):
    big = tmp_path / "big.xml"
    big.write_bytes(b" " * (MAX_GENIUS_BYTES + 1))
    with pytest.raises(GeniusFormatError, match="more than 4,194,304 bytes"):
        read_genius(big, [big, big])
    latin = tmp_path / "latin.xml"
    latin.write_bytes(b"<negotiation_template>\xe9</negotiation_template>")
    with pytest.raises(GeniusFormatError, match="expected UTF-8 text"):
        read_genius(latin, [latin, latin])
    with pytest.raises(GeniusFormatError, match="no such file"):
        read_genius(tmp_path / "missing.xml", [])


# ---------------------------------------------------------------------- writing
def test_export_then_import_gives_the_same_problem(party, tmp_path):
    first = read_genius(party[0], party[1:])
    written = write_genius(first, tmp_path / "out", name="party")
    assert [p.name for p in written.paths] == ["party-domain.xml", "party-buyer.xml", "party-seller.xml"]
    assert written.notes == ()  # every number had an exact decimal
    second = read_genius(written.paths[0], written.paths[1:])
    assert second.parties == first.parties
    assert [(i.name, i.options) for i in second.agreements.issues] == [(i.name, i.options) for i in first.agreements.issues]
    assert second.agreements.scores == first.agreements.scores
    assert second.disagreement == first.disagreement
    # so the same agreements
    one, two = ng.solve(first), ng.solve(second)
    for name in ("nash", "kalai_smorodinsky"):
        assert one.solutions[name].agreement.terms == two.solutions[name].agreement.terms
    # and writing the imported problem again gives the same files
    again = genius_files(second)
    assert again.domain == written.domain and again.profiles == written.profiles


def test_export_maps_utilities_affinely_into_genius_ranges(tmp_path):
    """By hand: NATO's package utilities 2, 1, -2 span [-2, 2] (0 included), so evaluations (u + 2)/4 =
    1, 3/4, 0 and the reservation (0 + 2)/4; Russia's 1, 4, 2 span [0, 4]: u/4, reservation 1/4."""
    problem = ng.BargainingProblem.from_packages({"freeze": (2, 1), "cuts": (1, 4), "talks": (-2, 2)},
                                                 ("NATO", "Russia"), (0, 1))
    written = write_genius(problem, tmp_path)
    assert written.notes == ()
    back = read_genius(written.paths[0], written.paths[1:], parties=problem.parties)
    assert back.agreements.scores[0]["package"] == {"freeze": 1, "cuts": F(3, 4), "talks": 0}
    assert back.agreements.scores[1]["package"] == {"freeze": F(1, 4), "cuts": 1, "talks": F(1, 2)}
    assert back.disagreement == (F(1, 2), F(1, 4))
    assert ng.solve(back).solutions["nash"].agreement.terms == {"package": "cuts"}
    assert ng.solve(problem).solutions["nash"].agreement.package == "cuts"


def test_bundled_linear_additive_model_round_trips_with_stated_rounding(tmp_path):
    problem = ng.load("enlargement_vs_infrastructure").problem_at({})
    written = write_genius(problem, tmp_path, name="enlargement")
    assert any("reservation value" in n and "20 significant digits" in n for n in written.notes)
    assert "no exact decimal" in written.paths[1].read_text(encoding="utf-8")  # the note is in the file too
    back = read_genius(written.paths[0], written.paths[1:], parties=problem.parties)
    one, two = ng.solve(problem), ng.solve(back)
    for name in ("nash", "kalai_smorodinsky"):
        a, b = one.solutions[name].agreement.terms, two.solutions[name].agreement.terms
        assert a["membership"] == b["membership"]
        assert abs(float(a["stationing"]) - float(b["stationing"])) < 1e-9 * 10000


def test_non_linear_additive_utility_and_polytope_are_refused():
    with pytest.raises(GeniusExportError, match="^utility of NATO: not linear-additive: the term .* depends on two "
                                                "issues \\(z_NATO, z_Russia\\)"):
        genius_files(ng.load("buffer_zone").problem_at({}))
    with pytest.raises(GeniusExportError, match="polytope in utility space has no issues"):
        genius_files(ng.BargainingProblem.from_vertices([(0, 0), (1, 0), (0, 1)], ("A", "B"), (0, 0)))


# ---------------------------------------------------------------------- the command line
def test_cli_reads_genius_files_into_a_scenario_that_agree_solves(party, tmp_path, capsys):
    out = tmp_path / "problem.toml"
    assert main(["convert", str(party[0]), "--profiles", str(party[1]), str(party[2]), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["agree", str(out), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows, d = hand_outcomes()
    zone = zone_of(rows, d)
    best = max(zone, key=lambda row: (row[1][0] - d[0]) * (row[1][1] - d[1]))
    nash = data["solutions"]["nash"]
    assert nash["agreement"]["labels"] == dict(zip(("food", "drinks", "music"), best[0]))
    assert [F(str(v)) for v in nash["utilities"].values()] == list(best[1])


def test_cli_writes_a_bundled_model_as_genius_files_and_refuses_one_line(tmp_path, capsys):
    assert main(["convert", "infrastructure_limits", "--to", "genius", "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert sorted(Path(p).name for p in captured.out.split()) == [
        "infrastructure_limits-NATO.xml", "infrastructure_limits-Russia.xml", "infrastructure_limits-domain.xml"]
    assert "negotiation: note: profile of NATO: no exact decimal" in captured.err
    assert main(["convert", "buffer_zone", "--to", "genius", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not linear-additive" in err
    assert main(["convert", "security_dilemma", "--to", "genius", "--out", str(tmp_path)]) == 1
    assert "--to genius writes bargaining models" in capsys.readouterr().err
    assert main(["convert", str(tmp_path / "infrastructure_limits-domain.xml")]) == 1
    assert "--profiles: expected a Genius utility profile" in capsys.readouterr().err


def test_early_genius_files_without_objective_and_negmas_conventions_are_read():
    """Early Genius domains list the issues directly under utility_space; NegMAS writes negative
    evaluations (read as written: the largest, 1/2, does not exceed 1) and discount factor 0 (no discounting)."""
    domain = parse_genius_domain('<negotiation_template><utility_space><issue index="1" name="Food">'
                                 '<item value="a"/><item value="b"/></issue></utility_space></negotiation_template>')
    profile = parse_genius_profile('<utility_space><issue index="1" name="Food"><item value="a" evaluation="-0.25"/>'
                                   '<item value="b" evaluation="0.5"/></issue><weight index="1" value="1"/>'
                                   '<discount_factor value="0.0"/></utility_space>', domain, "negmas.xml")
    assert profile.evaluations["Food"] == {"a": F(-1, 4), "b": F(1, 2)}
    assert profile.discount == 1
    problem = genius_problem(domain, [profile, profile], ["A", "B"])
    assert not any("discount" in note for note in problem.notes)
