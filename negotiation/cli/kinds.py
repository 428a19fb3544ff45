"""Which command takes which kind of model, and the one line that refuses the others.

Every command loads its PATH first and then calls :func:`require`: a model of a kind the command does
not take is refused in one line that names the kind found, what the command takes and the command to
use instead, e.g. ``security_dilemma is a strategic-form game, not a continuous game with a [dynamics]
section, which arms-race takes: use negotiation solve security_dilemma (or derive, learn, sweep)``.

==============  ==========================================================================
command         kinds of model it takes
==============  ==========================================================================
``solve``       every kind (a bargaining model gives its zone of agreement; a cooperative game its
                Shapley value, core, nucleolus and power indices)
``derive``      strategic-form games, game trees, Bayesian games, continuous games
``agree``       bargaining models
``learn``       finite games: strategic form, trees, Bayesian and signaling games
``arms-race``   continuous games with a ``[dynamics]`` section (Richardson)
``sweep``       strategic-form games and game trees
``evolve``      symmetric two-player strategic-form games
``noisy``       strategic-form games (two players), repeated with errors
``payoff-set``  two-player strategic-form games (the stage game of the repetition)
``estimate``    strategic-form games (with observed choice counts)
``robustness``  every kind whose scenario file declares ``[[claims]]``
==============  ==========================================================================
"""

from __future__ import annotations

import shlex

from negotiation.cli.arguments import UserError
from negotiation.models.signaling import SignalingGame

__all__ = ["KIND_NAMES", "TAKES", "model_kind", "commands_for", "refusal", "require"]

#: How each kind of model is called in a message (``model_kind`` of a scenario).
KIND_NAMES = {
    "normal-form": "a strategic-form game",
    "extensive-form": "a game tree (extensive form)",
    "bayesian": "a Bayesian game",
    "signaling": "a signaling game",
    "continuous": "a continuous game without a [dynamics] section",
    "arms-race": "a continuous game with Richardson arms-race dynamics",
    "bargaining": "a bargaining model",
    # issue 18: cooperative games
    "cooperative": "a cooperative game (a characteristic function)",
}

#: command -> (the kinds it takes, what it takes in words). ``solve`` and ``show`` take every kind.
TAKES = {
    "solve": (tuple(KIND_NAMES), "any model"),
    "derive": (("normal-form", "extensive-form", "bayesian", "continuous", "arms-race"),
               "a model with closed-form equilibrium conditions (a strategic-form game, game tree, Bayesian or "
               "continuous game)"),
    "agree": (("bargaining",), "a bargaining model"),
    "learn": (("normal-form", "extensive-form", "bayesian", "signaling"),
              "a finite game (strategic form, game tree, Bayesian or signaling game)"),
    "arms-race": (("arms-race",), "a continuous game with a [dynamics] section"),
    "sweep": (("normal-form", "extensive-form"), "a strategic-form game or a game tree"),
    # issue 18: evolutionary dynamics
    "evolve": (("normal-form",), "a symmetric two-player strategic-form game"),
    # issue 18: noisy repeated games
    "noisy": (("normal-form",), "a two-player strategic-form game (repeated with errors)"),
    # issue 18: the equilibrium payoff set
    "payoff-set": (("normal-form",), "a two-player strategic-form game"),
    # issue 18: QRE estimation
    "estimate": (("normal-form",), "a strategic-form game"),
    # issue 13: robustness of claims
    "robustness": (tuple(KIND_NAMES), "any model whose file declares [[claims]]"),
}

#: Commands that take only some models of their kinds, so a refusal never suggests them for a whole kind
#: (issue 18): ``evolve`` takes symmetric two-player games, ``noisy`` and ``payoff-set`` two-player games
#: (``payoff-set`` also needs ``--delta``), and ``estimate`` needs observed data besides the model.
PARTIAL = ("evolve", "noisy", "payoff-set", "estimate",
           "robustness")  # issue 13: only files that declare [[claims]]

#: The command to use first for each kind (the others that take it follow in a message).
_FIRST = {"bargaining": "agree", "arms-race": "arms-race"}
#: A better suggestion than the first command for one refused (command, kind) pair.
_INSTEAD = {
    ("sweep", "bargaining"): "agree {path} --sweep NAME=START:STOP:NUM",
    ("sweep", "bayesian"): "derive {path}",
    ("sweep", "continuous"): "derive {path}",
    ("sweep", "arms-race"): "derive {path}",
}


def model_kind(scenario) -> str:
    """The kind of a loaded scenario, as :data:`KIND_NAMES` names it: the scenario's ``kind``, with
    signaling games (``kind = "bayesian"``, ``form = "signaling"``) and continuous games with a
    ``[dynamics]`` section told apart."""
    if isinstance(scenario.game, SignalingGame):
        return "signaling"
    if scenario.kind == "continuous" and getattr(scenario, "dynamics", None) is not None:
        return "arms-race"
    return scenario.kind


def commands_for(kind: str) -> list[str]:
    """The commands that take a model of ``kind``, the one to use first leading."""
    taking = [command for command, (kinds, _) in TAKES.items() if kind in kinds and command not in PARTIAL]
    first = _FIRST.get(kind, "solve")
    return [first, *(command for command in taking if command != first)]


def refusal(command: str, kind: str, path: str) -> str | None:
    """Why ``command`` refuses a model of ``kind`` read from ``path`` (``None``: it takes it).

    Examples
    --------
    >>> refusal("arms-race", "normal-form", "security_dilemma")
    'security_dilemma is a strategic-form game, not a continuous game with a [dynamics] section, which arms-race takes: use negotiation solve security_dilemma (or derive, learn, sweep)'
    >>> refusal("derive", "normal-form", "security_dilemma") is None
    True
    """
    kinds, wanted = TAKES[command]
    if kind in kinds:
        return None
    shown = "standard input (-)" if path == "-" else path
    quoted = shlex.quote(path)
    others = [name for name in commands_for(kind) if name != command]
    instead = _INSTEAD.get((command, kind), f"{others[0]} {{path}}").format(path=quoted)
    rest = [name for name in others if not instead.startswith(name + " ")]
    return (f"{shown} is {KIND_NAMES.get(kind, f'a {kind} model')}, not {wanted}, which {command} takes: "
            f"use negotiation {instead}" + (f" (or {', '.join(rest)})" if rest else ""))


def require(scenario, command: str, path: str) -> None:
    """Refuse, in one line (:func:`refusal`), a loaded scenario of a kind ``command`` does not take."""
    message = refusal(command, model_kind(scenario), str(path))
    if message is not None:
        raise UserError(message)
