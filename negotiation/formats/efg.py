"""Read and write Gambit ``.efg`` extensive-form game files.

The format (Gambit manual, "The extensive game (.efg) file format"): a header
``EFG 2 R "title" { "Player 1" "Player 2" }`` with an optional quoted comment,
then the nodes in prefix (depth-first) order, one entry each:

* chance node: ``c "name" event [ "event name" { "action" probability … } ] outcome [ "outcome name" { payoffs } ]``
* decision node: ``p "name" player infoset [ "infoset name" { "action" … } ] outcome [ … ]``
* terminal node: ``t "name" outcome [ "outcome name" { payoffs } ]``

Information sets are numbered within each player, chance events and outcomes
within the file; the description in brackets may be left out when the number
appeared before (and must match if repeated). Outcome ``0`` is the null outcome.
Outcomes at non-terminal nodes add up along the path to the terminal node.

Numbers (integers, decimals, ``p/q``, scientific notation) are read exactly as
:class:`fractions.Fraction`. The reader builds a :class:`negotiation.models.tree.GameTree`:
information-set names become information-set labels (empty names get the
default path labels), terminal outcome names become terminal labels; node names
are not kept. Player names and every label (actions, information sets, outcomes,
chance events, nodes) are read in Unicode normal form NFKC and the title as written;
a control or bidirectional formatting character in any of them, or two actions (or
players) of one list that NFKC makes equal, is refused (:mod:`negotiation.core.labels`).
Strings are quoted as in ``.nfg`` files: ``\\"`` and ``\\\\`` are the only escapes.
The writer gives every chance node its own event and every terminal
node its own outcome, and writes every description in full.

This implementation is independent of Gambit's code.
"""

from __future__ import annotations

import os
import re
from fractions import Fraction
from typing import NamedTuple, Union

from negotiation.models.tree import CHANCE, DECISION, GameTree, TreeError
from negotiation.formats.nfg import format_payoff, quote_label
from negotiation.formats.text import read_label, read_labels, read_text
from negotiation.core.errors import NegotiationError
from negotiation.core.labels import visible

__all__ = ["EfgFormatError", "parse_efg", "read_efg", "format_efg", "write_efg"]

PathLike = Union[str, "os.PathLike[str]"]


class EfgFormatError(NegotiationError):
    """A ``.efg`` file could not be read: ``"<source>: line L: expected …, found '…'"``.

    Attributes
    ----------
    source : str or None
    line : int or None
    """

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        super().__init__(" ".join(str(message).splitlines()))
        self.source = source
        self.line = line


class _Token(NamedTuple):
    kind: str  # "{", "}", ",", "string", "word", "eof"
    text: str
    line: int


_NUMBER = re.compile(r"[+-]?(?:\d+/\d+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\Z")
_UINT = re.compile(r"\+?\d+\Z")
_WHITESPACE = " \t\n\r\f\v"
_DELIMITERS = _WHITESPACE + '{}",'
_MAX_NUMBER_DIGITS = 4000


def _tokens(text: str, source: str) -> list:
    out = []
    n = len(text)
    i = 0
    line = 1
    while True:
        while i < n and text[i] in _WHITESPACE:
            if text[i] == "\n":
                line += 1
            i += 1
        if i >= n:
            out.append(_Token("eof", "", out[-1].line if out else 1))  # reported on the last line with text
            return out
        c = text[i]
        if c in "{},":
            out.append(_Token(c, c, line))
            i += 1
        elif c == '"':
            start = line
            i += 1
            parts = []
            while True:
                if i >= n:
                    raise EfgFormatError(f"{source}: line {start}: expected closing '\"' of the string opened "
                                         f"on line {start}, found end of file", source=source, line=start)
                c = text[i]
                if c == '"':
                    i += 1
                    break
                if c == "\\" and i + 1 < n and text[i + 1] in '"\\':
                    parts.append(text[i + 1])
                    i += 2
                    continue
                if c == "\n":
                    line += 1
                parts.append(c)
                i += 1
            out.append(_Token("string", "".join(parts), start))
        else:
            j = i
            while j < n and text[j] not in _DELIMITERS:
                j += 1
            out.append(_Token("word", text[i:j], line))
            i = j


class _Reader:
    def __init__(self, text: str, source: str):
        self.source = source
        self.tokens = _tokens(text, source)
        self.pos = 0

    def error(self, line, message) -> EfgFormatError:
        return EfgFormatError(f"{self.source}: line {line}: {message}", source=self.source, line=line)

    def unexpected(self, token, expected) -> EfgFormatError:
        if token.kind == "eof":
            shown = "end of file"
        elif token.kind == "string":
            shown = "'\"" + visible(token.text[:37]) + "\"'"
        else:
            shown = f"'{visible(token.text[:40])}'"
        return self.error(token.line, f"expected {expected}, found {shown}")

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def next(self) -> _Token:
        token = self.tokens[self.pos]
        if token.kind != "eof":
            self.pos += 1
        return token

    def expect(self, kind, expected) -> _Token:
        token = self.next()
        if token.kind != kind:
            raise self.unexpected(token, expected)
        return token

    def label(self, what: str, normalise: bool = True) -> str:
        """The next token, a string, as a label (:func:`negotiation.formats.text.read_label`)."""
        token = self.expect("string", f"quoted {what}")
        return read_label(token.text, source=self.source, line=token.line, what=what, error=EfgFormatError,
                          normalise=normalise)

    def integer(self, expected, minimum=0) -> tuple[int, _Token]:
        token = self.next()
        if token.kind != "word" or not _UINT.match(token.text) or len(token.text) > 18 \
                or int(token.text) < minimum:
            raise self.unexpected(token, expected)
        return int(token.text), token

    def number(self, expected) -> Fraction:
        token = self.next()
        if token.kind != "word" or not _NUMBER.match(token.text):
            raise self.unexpected(token, expected)
        mantissa, _, exponent = token.text.lower().partition("e")
        if len(exponent.lstrip("+-")) > 6 or len(mantissa) + abs(int(exponent or "0")) > _MAX_NUMBER_DIGITS:
            raise self.unexpected(token, f"{expected} of at most {_MAX_NUMBER_DIGITS} digits")
        try:
            return Fraction(token.text)
        except ZeroDivisionError:
            raise self.unexpected(token, f"{expected} with a nonzero denominator") from None


def _parse(text: str, source: str):
    """The parts of a ``.efg`` file: title, player names, comment, and the nodes as flat lists in prefix order."""
    reader = _Reader(text, source)
    title, names, comment = _header(reader)
    nodes = _Nodes(len(names))
    # stack of [node index, remaining children, labels, probabilities, accumulated payoffs, line]
    stack: list = []
    first = True
    while True:
        token = reader.peek()
        if token.kind == "eof":
            if first:
                raise reader.unexpected(token, "a node entry ('c', 'p' or 't')")
            if stack:
                raise reader.error(token.line, f"expected {stack[-1][1]} more child node(s) of the node opened on "
                                   f"line {stack[-1][5]}, found end of file")
            break
        if not first and not stack:
            raise reader.unexpected(token, "end of file (the tree is complete)")
        first = False
        kind_token = reader.next()
        if kind_token.kind != "word" or kind_token.text not in ("c", "p", "t"):
            raise reader.unexpected(kind_token, "node type 'c', 'p' or 't'")
        kind = kind_token.text
        reader.label("node name")
        index, accumulated = nodes.add(stack)
        if kind == "c":
            actions, probs = nodes.chance(reader)
        elif kind == "p":
            actions, probs = nodes.personal(reader)
        else:
            actions, probs = (), None
            nodes.mark(-1, None)
        outcome, accumulated = nodes.outcome(reader, accumulated)
        while stack and stack[-1][1] == 0:
            stack.pop()
        if kind == "t":
            nodes.rows.append(accumulated)
            if outcome and nodes.outcomes[outcome][0]:
                nodes.leaf_labels[index] = nodes.outcomes[outcome][0]
        else:
            stack.append([index, len(actions), actions, probs, accumulated, kind_token.line])
    infoset_names = {key: name for key, (name, _, _) in nodes.infosets.items() if name}
    return title, names, comment, nodes.parent, nodes.node_player, nodes.action_labels, nodes.probabilities, \
        nodes.keys, infoset_names, nodes.rows, nodes.leaf_labels


def _header(reader: _Reader) -> tuple:
    """``EFG 2 R "title" { "player" … } "comment"``: ``(title, player names, comment)``."""
    token = reader.next()
    if token.kind != "word" or token.text != "EFG":
        raise reader.unexpected(token, "'EFG' file type indicator")
    token = reader.next()
    if token.kind != "word" or token.text != "2":
        raise reader.unexpected(token, "EFG format version '2' after 'EFG'")
    token = reader.next()
    if token.kind != "word" or token.text not in ("R", "D"):
        raise reader.unexpected(token, "data type 'R' after 'EFG 2'")
    title = reader.label("game title", normalise=False)
    reader.expect("{", "'{' opening the list of player names")
    players = []
    while reader.peek().kind == "string":
        players.append(reader.next())
    end = reader.next()
    if end.kind != "}":
        raise reader.unexpected(end, "quoted player name or '}'")
    if not players:
        raise reader.unexpected(end, "at least one quoted player name")
    names = list(read_labels(((t.text, t.line) for t in players), source=reader.source, what="player name",
                             error=EfgFormatError))
    for t, name in zip(players, names):
        if names.count(name) > 1:
            raise reader.error(t.line, f"expected distinct player names, found duplicate '\"{t.text}\"'")
    comment = reader.next().text if reader.peek().kind == "string" else ""
    return title, names, comment


class _Nodes:
    """The nodes read so far (flat lists in prefix order) and the numbered descriptions met on the way:
    information sets ``(player, number) -> (name, actions, line)``, chance events ``number -> (name,
    actions, probabilities, line)`` and outcomes ``number -> (name, payoffs, line)``."""

    def __init__(self, n_players: int):
        self.n_players = n_players
        self.parent, self.node_player, self.action_labels, self.probabilities, self.keys, self.rows = \
            [], [], [], [], [], []
        self.leaf_labels: dict = {}
        self.infosets: dict = {}
        self.events: dict = {}
        self.outcomes: dict = {}

    def add(self, stack) -> tuple:
        """A new node below the open node on top of ``stack``: ``(its index, the payoffs accumulated above it)``."""
        index = len(self.parent)
        if not stack:
            self.parent.append(-1)
            self.action_labels.append("")
            self.probabilities.append(None)
            return index, tuple(Fraction(0) for _ in range(self.n_players))
        top = stack[-1]
        position = len(top[2]) - top[1]
        self.parent.append(top[0])
        self.action_labels.append(top[2][position])
        self.probabilities.append(top[3][position] if top[3] is not None else None)
        top[1] -= 1
        return index, top[4]

    def mark(self, player: int, key) -> None:
        self.node_player.append(player)
        self.keys.append(key)

    def chance(self, reader: _Reader) -> tuple:
        """``event [ "name" { "action" probability … } ]``: the chance node's actions and probabilities."""
        number, number_token = reader.integer("chance event number (a positive integer)", 1)
        events = self.events
        if reader.peek().kind == "string":
            name = reader.label("chance event name")
            actions, probs = _actions(reader, with_probabilities=True)
            if number in events and (events[number][0], events[number][1], events[number][2]) != (name, actions, probs):
                raise reader.error(number_token.line, f"chance event {number} is described differently on "
                                   f"line {events[number][3]}")
            events.setdefault(number, (name, actions, probs, number_token.line))
        elif number not in events:
            raise reader.unexpected(reader.peek(), f"the description of chance event {number} "
                                    "(its first appearance)")
        self.mark(-1, None)
        return events[number][1], events[number][2]

    def personal(self, reader: _Reader) -> tuple:
        """``player infoset [ "name" { "action" … } ]``: the decision node's actions (and no probabilities)."""
        n_players = self.n_players
        player, player_token = reader.integer(f"player number (1 to {n_players})", 1)
        if player > n_players:
            raise reader.unexpected(player_token, f"player number (1 to {n_players})")
        number, number_token = reader.integer("information set number (a positive integer)", 1)
        key = (player, number)
        infosets = self.infosets
        if reader.peek().kind == "string":
            name = reader.label("information set name")
            actions, _ = _actions(reader, with_probabilities=False)
            if key in infosets and (infosets[key][0], infosets[key][1]) != (name, actions):
                raise reader.error(number_token.line, f"information set {number} of player {player} is "
                                   f"described differently on line {infosets[key][2]}")
            infosets.setdefault(key, (name, actions, number_token.line))
        elif key not in infosets:
            raise reader.unexpected(reader.peek(), f"the description of information set {number} of player "
                                    f"{player} (its first appearance)")
        self.mark(player - 1, key)
        return infosets[key][1], None

    def outcome(self, reader: _Reader, accumulated: tuple) -> tuple:
        """``outcome [ "name" { payoffs } ]``: ``(its number, the payoffs accumulated down to here)``."""
        outcome, outcome_token = reader.integer("outcome number (0 for none)", 0)
        outcomes = self.outcomes
        if reader.peek().kind == "string":
            if outcome == 0:
                raise reader.error(outcome_token.line, "expected no name or payoffs after outcome 0 (the null outcome)")
            name = reader.label("outcome name")
            payoffs = _payoffs(reader, self.n_players, outcome)
            if outcome in outcomes and (outcomes[outcome][0], outcomes[outcome][1]) != (name, payoffs):
                raise reader.error(outcome_token.line, f"outcome {outcome} is described differently on line "
                                   f"{outcomes[outcome][2]}")
            outcomes.setdefault(outcome, (name, payoffs, outcome_token.line))
        elif outcome and outcome not in outcomes:
            raise reader.unexpected(reader.peek(), f"the name and payoffs of outcome {outcome} (its first appearance)")
        if outcome:
            accumulated = tuple(a + b for a, b in zip(accumulated, outcomes[outcome][1]))
        return outcome, accumulated


def _actions(reader: _Reader, with_probabilities: bool):
    reader.expect("{", "'{' opening the list of actions")
    texts, probs = [], []
    while True:
        token = reader.peek()
        if token.kind == "}":
            reader.next()
            break
        if token.kind != "string":
            raise reader.unexpected(token, "quoted action name or '}'")
        action = reader.label("action name")
        texts.append((token.text, token.line))
        if with_probabilities:
            probs.append(reader.number(f"probability of action '{action}'"))
    if not texts:
        raise reader.unexpected(token, "at least one action")
    actions = read_labels(texts, source=reader.source, what="action name", error=EfgFormatError)  # ﬁ and fi
    return actions, (tuple(probs) if with_probabilities else None)


def _payoffs(reader: _Reader, n_players: int, outcome: int) -> tuple:
    opening = reader.expect("{", f"'{{' opening the payoffs of outcome {outcome}")
    values = []
    after_number = False
    while True:
        token = reader.peek()
        if token.kind == "}":
            reader.next()
            break
        if token.kind == "," and after_number:
            reader.next()
            after_number = False
            continue
        values.append(reader.number(f"number (payoff in outcome {outcome}) or '}}'"))
        after_number = True
    if len(values) != n_players:
        raise reader.error(opening.line, f"expected {n_players} payoffs in outcome {outcome} (one per player), "
                           f"found {len(values)}")
    return tuple(values)


def parse_efg(text: str, *, source: str = "<string>", with_comment: bool = False):
    """Parse the text of a Gambit ``.efg`` file into a :class:`GameTree` (exact numbers).

    Parameters
    ----------
    text : str
    source : str
        Name used in error messages (for example the file path).
    with_comment : bool
        Also return the file's comment: ``(tree, comment)``.

    Raises
    ------
    EfgFormatError
        One line naming ``source``, the line number, what was expected and what was found
        (also for inconsistent trees: probabilities that do not sum to one, information
        sets whose nodes differ).

    Examples
    --------
    >>> tree = parse_efg('''EFG 2 R "Treaty offer" { "NATO" "Russia" } ""
    ... p "" 1 1 "NATO move" { "Offer" "No offer" } 0
    ... p "" 2 1 "Russia reply" { "Accept" "Reject" } 0
    ... t "" 1 "Treaty" { 3 2 }
    ... t "" 2 "Breakdown" { -1 -1 }
    ... t "" 3 "Status quo" { 0 0 }''')
    >>> tree.information_set_labels, tree.leaf_payoffs("Offer/Accept")
    (('NATO move', 'Russia reply'), {'NATO': Fraction(3, 1), 'Russia': Fraction(2, 1)})
    """
    (title, players, comment, parent, node_player, action_labels, probabilities, keys, infoset_names,
     rows, leaf_labels) = _parse(text, source)
    try:
        tree = GameTree.from_arrays(players, parent, node_player, action_labels, rows,
                                    probabilities=probabilities, information_sets=keys,
                                    information_set_labels=infoset_names, leaf_labels=leaf_labels, title=title)
    except TreeError as error:
        raise EfgFormatError(f"{source}: {error}", source=source) from None
    return (tree, comment) if with_comment else tree


def read_efg(path: PathLike, *, with_comment: bool = False):
    """Read a Gambit ``.efg`` file (UTF-8) into a :class:`GameTree`; see :func:`parse_efg`."""
    text, source = read_text(path, EfgFormatError)
    return parse_efg(text, source=source, with_comment=with_comment)


def format_efg(tree: GameTree, *, comment: str = "") -> str:
    """The text of a Gambit ``.efg`` file for a numeric tree.

    Information sets are numbered per player in order of first appearance (prefix
    order), with their labels as names; every chance node is its own event and every
    terminal node its own outcome (named by its label, if any). Exact numbers are
    written as integers or ``p/q``, floats with ``repr``.

    Raises
    ------
    ValueError
        If the tree is symbolic.

    Examples
    --------
    >>> from negotiation.models.tree import GameTree, decision, terminal
    >>> tree = GameTree.from_nested(("A", "B"), decision("A", {"L": terminal(1, 0),
    ...                              "R": decision("B", {"l": terminal("1/2", 1), "r": terminal(0, 2)})}), title="T")
    >>> print(format_efg(tree))
    EFG 2 R "T" { "A" "B" }
    ""
    <BLANKLINE>
    p "" 1 1 "root" { "L" "R" } 0
    t "" 1 "" { 1, 0 }
    p "" 2 1 "R" { "l" "r" } 0
    t "" 2 "" { 1/2, 1 }
    t "" 3 "" { 0, 2 }
    <BLANKLINE>
    """
    if tree.is_symbolic:
        raise NegotiationError("substitute parameter values before writing a .efg file (tree.substitute(...))")
    players = " ".join(quote_label(p) for p in tree.players)
    lines = [f"EFG 2 R {quote_label(tree.title)} {{ {players} }}", quote_label(comment), ""]
    numbers: dict = {}
    per_player = [0] * tree.n_players
    labels = tree.information_set_labels
    actions = tree.information_set_actions
    leaf_of_node = tree._structure["leaf_of_node"]
    payoffs = tree.payoffs
    probability = tree._probability
    event = 0
    outcome = 0
    for node in tree._preorder():
        kind = tree.node_kind[node]
        if kind == DECISION:
            k = int(tree.node_information_set[node])
            player = int(tree.node_player[node])
            if k not in numbers:
                per_player[player] += 1
                numbers[k] = per_player[player]
            names = " ".join(quote_label(a) for a in actions[k])
            lines.append(f"p \"\" {player + 1} {numbers[k]} {quote_label(labels[k])} {{ {names} }} 0")
        elif kind == CHANCE:
            event += 1
            parts = " ".join(f"{quote_label(tree.action_label(c))} {format_payoff(probability[c])}"
                             for c in tree.children(node))
            lines.append(f"c \"\" {event} \"\" {{ {parts} }} 0")
        else:
            outcome += 1
            row = payoffs[int(leaf_of_node[node])]
            values = ", ".join(format_payoff(v) for v in row)
            lines.append(f"t \"\" {outcome} {quote_label(tree.leaf_label(node))} {{ {values} }}")
    return "\n".join(lines) + "\n"


def write_efg(tree: GameTree, path: PathLike, *, comment: str = "") -> None:
    """Write a numeric tree as a Gambit ``.efg`` file (UTF-8); see :func:`format_efg`."""
    text = format_efg(tree, comment=comment)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
