"""Interchange formats: Gambit ``.nfg`` (strategic form) and ``.efg`` (extensive form).

:func:`read_game` and :func:`write_game` connect :mod:`negotiation.formats.nfg`,
which works on a neutral :class:`~negotiation.formats.nfg.NfgData`, with
:class:`negotiation.Game`. JSON is :meth:`Game.to_dict` / :meth:`Game.from_dict`.
"""

from __future__ import annotations

from negotiation.core.errors import NegotiationError
from negotiation.formats.efg import EfgFormatError, format_efg, parse_efg, read_efg, write_efg
from negotiation.formats.nfg import format_nfg, NfgData, NfgFormatError, parse_nfg, read_nfg, write_nfg
from negotiation.models.game import Game

__all__ = ["EfgFormatError", "format_efg", "parse_efg", "read_efg", "write_efg", "NfgData", "NfgFormatError", "format_nfg", "parse_nfg", "read_nfg", "write_nfg",
           "read_game", "write_game", "game_to_nfg_data"]


def read_game(path):
    """Read a Gambit ``.nfg`` file into a :class:`negotiation.Game` (exact payoffs).

    Examples
    --------
    >>> from negotiation.formats.nfg import parse_nfg
    >>> data = parse_nfg('NFG 1 R "PD" { "A" "B" } { { "C" "D" } { "C" "D" } } 3 3 5 0 0 5 1 1')
    >>> from negotiation import Game
    >>> Game(data.players, data.strategies, data.payoffs, title=data.title)["D", "C"]
    {'A': Fraction(5, 1), 'B': Fraction(0, 1)}
    """
    data = read_nfg(path)
    return Game(data.players, data.strategies, data.payoffs, title=data.title)


def game_to_nfg_data(game, comment: str = "") -> NfgData:
    """A numeric game as :class:`NfgData` (symbolic games must be substituted first)."""
    if game.is_symbolic:
        raise NegotiationError("substitute parameter values before writing a .nfg file")
    return NfgData(title=game.title, players=game.players, strategies=game.strategies,
                   payoffs=game.payoffs, comment=comment)


def write_game(game, path, *, version: str = "outcome", comment: str = "") -> None:
    """Write a numeric game as a Gambit ``.nfg`` file (outcome or payoff version)."""
    write_nfg(game_to_nfg_data(game, comment), path, version=version)
