"""Work budgets of the exhaustive methods from the command line and through the front door (issue 16):
``--max-work`` / ``max_work=`` raise them, and an option a method does not take is a one-line error."""

import json

import pytest

import negotiation as ng
from negotiation.cli import main
from negotiation.core.errors import NegotiationError


def identity_nfg(path, size):
    payoffs = " ".join(f"{int(i == j)} {int(i == j)}" for j in range(size) for i in range(size))
    path.write_text(f'NFG 1 R "identity" {{ "P1" "P2" }} {{ {size} {size} }}\n{payoffs}\n')
    return str(path)


def test_max_work_on_the_command_line_raises_the_vertex_budget(tmp_path, capsys):
    # identity 7×7: each best-response polytope may have C(10, 7) + C(10, 7) = 240 vertices, 8 variables may
    # enter at each: 2 × 240 × 8 = 3840 basis steps;
    # its 2^7 - 1 = 127 equilibria are uniform play on each nonempty common support
    game = identity_nfg(tmp_path / "identity.nfg", 7)
    assert main(["solve", game, "--max-work", "3839"]) == 1
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "3,840 basis steps (more than 3,839" in error
    assert main(["solve", game, "--max-work", "3840", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["equilibria"]) == 127


def test_max_work_must_be_a_positive_whole_number(tmp_path, capsys):
    game = identity_nfg(tmp_path / "identity.nfg", 2)
    for bad in ("0", "-3", "many"):
        with pytest.raises(SystemExit) as stop:
            main(["solve", game, "--max-work", bad])
        assert stop.value.code == 2
        assert "--max-work: expected a positive whole number" in capsys.readouterr().err


def test_an_option_the_method_does_not_take_is_one_line(tmp_path, capsys):
    game = identity_nfg(tmp_path / "identity.nfg", 2)
    assert main(["solve", game, "--max-work", "10", "--method", "enumerate_pure"]) == 1
    assert capsys.readouterr().err.strip().endswith("method 'enumerate_pure' takes no option 'max_work' "
                                                    "(its options: none)")
    pennies = ng.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    with pytest.raises(NegotiationError, match="'lemke_howson' takes no option 'max_work' .*max_pivots"):
        ng.solve(pennies, method="lemke_howson", max_work=5)
    tree = ng.GameTree.from_nested(("A",), ng.decision("A", {"x": ng.terminal(1), "y": ng.terminal(0)}))
    with pytest.raises(NegotiationError, match="'backward_induction' takes no option 'max_work'"):
        ng.solve(tree, max_work=5)
