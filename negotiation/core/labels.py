"""Names and labels: one Unicode form, nothing invisible, no two that look the same.

Player names, strategy, action, type, message and response labels, issue names and option labels,
parameter and derived names all pass through :func:`normalise_label`:

* the text is put in Unicode normal form NFKC, the form Python gives identifiers: a formula that
  reads ``ﬁ`` (the ligature) reads the name ``fi``, so a parameter declared ``ﬁ`` *is* ``fi``;
* a character of the categories in :data:`REFUSED_CATEGORIES` is refused: control characters (Cc),
  format characters (Cf, which include the bidirectional controls U+200E, U+200F, U+202A–U+202E and
  U+2066–U+2069, and U+061C), lone surrogates (Cs) and line or paragraph separators (Zl, Zp). A
  label is shown on one line, exactly as it reads; these characters would hide or reorder text;
* :func:`normalise_labels` also refuses two different labels of one list that become the same
  label after normalisation (``ﬁ`` and ``fi``).

Every refusal is a :class:`~negotiation.core.errors.NegotiationError` (or the ``error`` class the
caller passes) with one line naming ``where``; :func:`visible` writes any refused character of a
text as an escape (``\\u202e``), so that no message prints one raw.

Examples
--------
>>> normalise_label("ﬁrst strike", where="players.A")
'first strike'
>>> normalise_label("Deploy\\u202e", where="players.A")
Traceback (most recent call last):
    ...
negotiation.core.errors.NegotiationError: players.A: label 'Deploy\\u202e' contains U+202E (RIGHT-TO-LEFT OVERRIDE); control and bidirectional formatting characters are not allowed in names and labels
>>> normalise_labels(["ﬁ", "fi"], where="parameters", what="parameter name")
Traceback (most recent call last):
    ...
negotiation.core.errors.NegotiationError: parameters: parameter names 'ﬁ' and 'fi' are the same after Unicode normalisation (NFKC: 'fi')
"""

from __future__ import annotations

import unicodedata
from typing import Iterable

from negotiation.core.errors import NegotiationError

__all__ = ["normalise_label", "normalise_labels", "normal_form", "visible", "refused_character", "character_name",
           "REFUSED_CATEGORIES", "NORMAL_FORM"]

#: The Unicode normal form of every name and label (the form of Python identifiers).
NORMAL_FORM = "NFKC"
#: Unicode general categories refused in names and labels: control (Cc), format (Cf: the bidirectional
#: controls and invisible joiners), surrogate (Cs), line separator (Zl) and paragraph separator (Zp).
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def _refused(character: str) -> bool:
    return unicodedata.category(character) in REFUSED_CATEGORIES


def refused_character(text: str) -> str | None:
    """The first character of ``text`` that no name or label may contain (``None``: there is none).

    Examples
    --------
    >>> refused_character("De\\u202eploy"), refused_character("Déploi")
    ('\\u202e', None)
    """
    return next((c for c in text if _refused(c)), None)


def character_name(character: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``: the code point and Unicode name of ``character``, for messages.

    Examples
    --------
    >>> character_name("\\u202e"), character_name("\\n")
    ('U+202E (RIGHT-TO-LEFT OVERRIDE)', 'U+000A (a control character)')
    """
    return f"U+{ord(character):04X} ({unicodedata.name(character, 'a control character')})"


def visible(text) -> str:
    """``text`` with every refused character written as an escape (``\\u202e``, ``\\n``), for messages.

    Examples
    --------
    >>> visible("a\\u202eb\\nc")
    'a\\\\u202eb\\\\nc'
    """
    text = str(text)
    if not any(_refused(c) for c in text):
        return text
    return "".join(c.encode("unicode_escape").decode("ascii") if _refused(c) else c for c in text)


def normalise_label(text, *, where: str, what: str = "label", error: type = NegotiationError,
                    normalise: bool = True) -> str:
    """``text`` in Unicode normal form NFKC, refusing control and bidirectional formatting characters.

    Parameters
    ----------
    text : str
        A name or label.
    where : str
        Where it comes from (``"game.toml: players.NATO"``), the start of the error message.
    what : str
        What it is (``"strategy label"``), for the message.
    error : type
        The exception class raised (a :class:`NegotiationError` subclass such as ``GameError``).
    normalise : bool
        ``False`` only checks the characters (for a title, whose typography is kept as written).

    Returns
    -------
    str
        The normalised text.

    Examples
    --------
    >>> normalise_label("Ｎａｔｏ", where="parties")
    'Nato'
    >>> normalise_label(3, where="parties", what="party name")
    Traceback (most recent call last):
        ...
    negotiation.core.errors.NegotiationError: parties: party name: expected a string, found 3
    """
    if not isinstance(text, str):
        raise error(f"{visible(where)}: {what}: expected a string, found {visible(repr(text))}")
    bad = refused_character(text)
    if bad is not None:
        raise error(f"{visible(where)}: {what} {visible(repr(text))} contains {character_name(bad)}; control "
                    "and bidirectional formatting characters are not allowed in names and labels")
    return unicodedata.normalize(NORMAL_FORM, text) if normalise else text


def normal_form(text):
    """``text`` in NFKC when it is a string (anything else unchanged), without checks: for looking a label
    up among labels that went through :func:`normalise_label`.

    Examples
    --------
    >>> normal_form("ﬁre"), normal_form(3)
    ('fire', 3)
    """
    return unicodedata.normalize(NORMAL_FORM, text) if isinstance(text, str) else text


def normalise_labels(texts: Iterable, *, where: str, what: str = "label", error: type = NegotiationError) -> tuple:
    """Each of ``texts`` through :func:`normalise_label`; two different texts that normalise to the same
    label are refused (identical duplicates are left to the caller, which names them in its own words).

    Examples
    --------
    >>> normalise_labels(["Ｄｅｐｌｏｙ", "Restrain"], where="players.NATO", what="strategy label")
    ('Deploy', 'Restrain')
    """
    texts = tuple(texts)
    labels = tuple(normalise_label(t, where=where, what=what, error=error) for t in texts)
    first = {}
    for text, label in zip(texts, labels):
        other = first.setdefault(label, text)
        if other != text:
            raise error(f"{visible(where)}: {what}s {visible(repr(other))} and {visible(repr(text))} are the same "
                        f"after Unicode normalisation ({NORMAL_FORM}: {visible(repr(label))})")
    return labels
