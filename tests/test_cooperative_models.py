"""The cooperative scenario kind and its two bundled models, through the library and the command line.

Expected values are computed here independently: the Talmud rule by hand (half-claims, equal awards or equal
losses) and O'Neill's (1982) random-arrival rule, which is the Shapley value of a bankruptcy game, by walking
through every order of arrival.
"""

from __future__ import annotations

import itertools
import json
import math
from fractions import Fraction as F

import pytest

import negotiation as ng
from negotiation.cli import main
from negotiation.report.catalogue import write_catalogue
from negotiation.scenario import bundled_models
from negotiation.scenario.cooperative import parse_cooperative
from negotiation.scenario.model import ScenarioError

CFE_CLAIMS = {"Germany": 3444, "France": 1226, "Czech Republic": 957, "Denmark": 335, "Belgium": 300, "Canada": 77}
NATO_SHARES = {"Croatia": F("1.81"), "Portugal": F("1.55"), "Italy": F("1.49"), "Canada": F("1.37"),
               "Belgium": F("1.30"), "Luxembourg": F("1.29"), "Slovenia": F("1.29"), "Spain": F("1.28")}


def random_arrival(estate, claims: dict) -> dict:
    """O'Neill (1982): claimants arrive in a random order and each is paid in full while the estate lasts.

    Walks through all n! orders in whole numbers (everything times the common denominator) for speed."""
    scale = math.lcm(F(estate).denominator, *(F(c).denominator for c in claims.values()))
    whole = {name: int(F(c) * scale) for name, c in claims.items()}
    totals = dict.fromkeys(claims, 0)
    count = 0
    for order in itertools.permutations(claims):
        left = int(F(estate) * scale)
        count += 1
        for name in order:
            paid = min(whole[name], left)
            totals[name] += paid
            left -= paid
    return {name: F(total, count * scale) for name, total in totals.items()}


def test_cfe2_ceiling_division_is_the_talmud_rule_at_a_cut_of_one_third():
    result = ng.load("cfe2_ceiling_division").solve()
    # estate = 2/3 · 6,339 = 4,226 > half the claims (3,169½): every ally loses min(half claim, μ) with the total
    # loss 2,113. Half-claims 38½ (Canada), 150, 167½, 478½, 613 (France), 1,722 (Germany): the five smallest sum to
    # 1,447½ < 2,113, so they lose exactly half; Germany loses the rest, 2,113 − 1,447½ = 665½ (below its 1,722).
    assert result.solution("nucleolus") == {"Germany": F(3444) - F(1331, 2), "France": F(613),
                                            "Czech Republic": F(957, 2), "Denmark": F(335, 2), "Belgium": F(150),
                                            "Canada": F(77, 2)}
    assert result.solution("shapley") == random_arrival(4226, CFE_CLAIMS)
    assert result.core_empty is False


def test_cfe2_deeper_cut_gives_each_ally_what_it_lost_before():
    # self-duality of the Talmud rule (Aumann and Maschler 1985): the award at estate E' = Σc − E is the loss at E
    scenario = ng.load("cfe2_ceiling_division")
    third = scenario.solve().solution("nucleolus")
    two_thirds = scenario.solve({"cut": F(2, 3)}).solution("nucleolus")
    assert two_thirds == {name: claim - third[name] for name, claim in CFE_CLAIMS.items()}


def test_nato_burden_sharing_splits_the_step_equally_up_to_half_gaps():
    result = ng.load("nato_burden_sharing").solve()
    gaps = {name: 2 - share for name, share in NATO_SHARES.items()}
    # step 3/2 < half the combined gap (2.31): equal awards capped at half a gap. Croatia's half gap 0.095 is the only
    # one below the level λ with 0.095 + 7λ = 1.5, so λ = 1.405/7 = 281/1400 ≈ 0.2007 (< Portugal's half gap 0.225).
    expected = {name: (F(19, 200) if name == "Croatia" else F(281, 1400)) for name in gaps}
    assert result.solution("nucleolus") == expected
    assert result.solution("shapley") == random_arrival(F(3, 2), gaps)
    assert result.core_empty is False
    assert all(result.solution("nucleolus")[name] <= gaps[name] for name in gaps)


def test_both_bundled_models_are_listed_and_take_their_ranges():
    models = bundled_models()
    assert {"nato_burden_sharing", "cfe2_ceiling_division"} <= set(models)
    scenario = ng.load("nato_burden_sharing")
    with pytest.raises(ScenarioError, match="estate") as caught:  # a step beyond the combined gap
        scenario.solve({"step": F("4.62"), "share_Spain": F(2)})
    assert "\n" not in str(caught.value)


def _scenario(game, **extra):
    return {"schema": "negotiation.scenario/1", "id": "x", "title": "X", "kind": "cooperative",
            "players": ["A", "B", "C"], "game": game, **extra}


def test_explicit_and_glove_and_voting_forms_parse():
    explicit = parse_cooperative(_scenario({"form": "explicit", "worth": {"A, B": "a", "A, B, C": 1}},
                                           parameters={"a": {"default": "1/2", "range": [0, 1]}}), "x.toml")
    assert explicit.solve().shapley == (F(1, 3) + F(1, 12), F(1, 3) + F(1, 12), F(1, 3) - F(1, 6))
    glove = parse_cooperative(_scenario({"form": "glove", "left": {"A": 1}, "right": {"B": 1, "C": 1}}), "x.toml")
    assert glove.solve().shapley == (F(2, 3), F(1, 6), F(1, 6))
    voting = parse_cooperative(_scenario({"form": "weighted_voting", "quota": 2, "weights": [1, 1, 1]}), "x.toml")
    assert voting.solve().core_empty is True


@pytest.mark.parametrize("game, message", [
    ({"form": "coalitions"}, "game.form: expected one of"),
    ({"form": "bankruptcy", "estate": 1}, "game.claims: missing"),
    ({"form": "bankruptcy", "estate": 1, "claims": [1, 2]}, "2 numbers given for 3 players"),
    ({"form": "glove", "left": {"D": 1}}, "unknown player 'D'"),
    ({"form": "explicit", "worth": {"A, A": 1}}, "listed twice"),
    ({"form": "explicit", "worth": {"A, B": 1, "B, A": 2}}, "same coalition"),
    ({"form": "weighted_voting", "quota": 9, "weights": [1, 1, 1]}, "quota"),
    ({"form": "bankruptcy", "estate": "x", "claims": [1, 2, 3]}, "x"),
])
def test_bad_scenarios_are_one_line(game, message):
    with pytest.raises(ScenarioError, match=message) as caught:
        parse_cooperative(_scenario(game), "x.toml")
    assert "\n" not in str(caught.value) and "x.toml" in str(caught.value)


def test_too_many_players_are_refused_before_any_coalition_is_made():
    data = _scenario({"form": "glove"})
    data["players"] = [f"P{k}" for k in range(40)]
    with pytest.raises(ScenarioError, match="MAX_PLAYERS"):
        parse_cooperative(data, "x.toml")


@pytest.mark.parametrize("name", ["nato_burden_sharing", "cfe2_ceiling_division"])
def test_show_solve_and_json_on_the_command_line(name, capsys):
    assert main(["show", name]) == 0
    shown = capsys.readouterr().out
    assert "Characteristic function at the defaults" in shown and "Kind: cooperative (bankruptcy)" in shown
    assert main(["solve", name, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["game"]["form"] == "bankruptcy" and data["core"]["empty"] is False
    assert set(data["nucleolus"]) == set(data["players"])
    assert sum(F(v) for v in data["nucleolus"].values()) == F(data["game"]["worth"][", ".join(data["players"])])
    assert main(["derive", name]) == 1
    assert "use negotiation solve" in capsys.readouterr().err


def test_tables_render_both_models_with_a_figure(tmp_path):
    models = {name: path for name, path in bundled_models().items()
              if name in ("nato_burden_sharing", "cfe2_ceiling_division")}
    entries = write_catalogue(tmp_path, models, echo=lambda *args, **kwargs: None)
    assert {e["kind"] for e in entries} == {"cooperative"}
    for entry in entries:
        assert (tmp_path / entry["files"]["figure"]).stat().st_size > 0
        assert "nucleolus" in (tmp_path / entry["files"]["markdown"]).read_text(encoding="utf-8")


def test_three_player_figure_is_the_imputation_triangle():
    game = ng.CooperativeGame.glove(("L", "R1", "R2"), left={"L": 1}, right={"R1": 1, "R2": 1})
    figure = ng.solve(game).plot()
    assert figure.axes[0].get_title() == "Imputations, core and solutions"
    labels = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert labels == ["core", "Shapley–Shubik index", "nucleolus"]
    assert math.isclose(figure.axes[0].get_aspect(), 1.0)
