"""The project's one bibliography, ``models/references.bib``, and the citations that point into it.

Every scenario file, models/README.md, notebook, documentation page and the command-line output cite sources
as ``[@Key]`` or with a locator, ``[@Key, p. 211]``, ``[@Key, art. IV(1)]``, ``[@Key, para. 14]``,
``[@Key, eq. 3]``; several in one bracket are separated by ``;`` (``[@Nash1950; @Kalai1977]``). A scenario's
``references = [...]`` lists bare keys. This module reads the BibTeX file shipped with the scenario files (a
small reader for the subset the file uses: ``@type{key, field = {value} or "value" or number, ...}``), renders
an entry as one line of text, and finds the keys a text cites.

>>> entry = bibliography()["Jervis1978"]
>>> entry.fields["journal"], entry.fields["pages"]
('World Politics', '167--214')
>>> format_entry(entry)
'Jervis, Robert (1978). Cooperation under the Security Dilemma. World Politics 30(2), 167–214. doi:10.2307/2009958.'
>>> cited_keys("as [@Jervis1978, p. 211] and [@Nash1950; @Kalai1977] show")
('Jervis1978', 'Nash1950', 'Kalai1977')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from negotiation.core.errors import NegotiationError
from negotiation.scenario.catalogue import models_directory

__all__ = [
    "CITATION_PATTERN",
    "BibEntry",
    "BibliographyError",
    "bibliography",
    "bibliography_path",
    "cited_keys",
    "format_entry",
    "parse_bibtex",
]

#: One citation bracket: ``[@Key]``, ``[@Key, p. 3]``, ``[@A; @B, eq. 2]``.
CITATION_PATTERN = re.compile(r"\[(@[A-Za-z][\w\-]*[^\[\]]*)\]")
#: A key is AuthorYear or TreatyYear (``Jervis1978``, ``Kydd2000b``, ``CFE1990``); ``[@Key]`` in a text that
#: explains the syntax is not a citation.
_KEY_IN_BRACKET = re.compile(r"@([A-Za-z][A-Za-z\-]*\d{4}[a-z]?)\b")
_ENTRY_START = re.compile(r"@(\w+)\s*\{\s*([^,\s]+)\s*,")
_FIELD_NAME = re.compile(r"\s*,?\s*(\w+)\s*=\s*")

#: BibTeX accents and escapes the file uses, and what a reader sees.
_LATEX = (("{\\aa}", "å"), ('{\\"a}', "ä"), ('{\\"u}', "ü"), ('{\\"o}', "ö"), ("{\\u{g}}", "ğ"),
          ("{\\i}", "ı"), ("\\&", "&"), ("\\,", " "), ("\\%", "%"),
          ("--", "–"), ("``", "“"), ("''", "”"), ("$2 \\times 2$", "2×2"), ("$n$", "n"))


class BibliographyError(NegotiationError):
    """The bibliography file is malformed (names the file, the entry and what was expected)."""


@dataclass(frozen=True)
class BibEntry:
    """One BibTeX entry: its ``kind`` (article, book, misc …), ``key`` and fields (lower-case names)."""

    kind: str
    key: str
    fields: dict = field(default_factory=dict)

    @property
    def further_reading(self) -> bool:
        """Whether the entry is listed as further reading (``keywords = {further-reading}``), cited or not."""
        return "further-reading" in self.fields.get("keywords", "")


def _braced(text: str, start: int, where: str) -> tuple[str, int]:
    """The text inside the brace at ``text[start]`` and the index after its closing brace."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1:index], index + 1
    raise BibliographyError(f"{where}: unbalanced braces")


def _entry_fields(body: str, where: str) -> dict:
    """The ``name = value`` pairs of one entry's body (after ``key,``)."""
    fields, position = {}, 0
    while True:
        match = _FIELD_NAME.match(body, position)
        if not match:
            if body[position:].strip(" \t\n,"):
                raise BibliographyError(f"{where}: expected 'name = value', found {body[position:position + 30]!r}")
            return fields
        name, position = match.group(1).lower(), match.end()
        if body.startswith("{", position):
            value, position = _braced(body, position, f"{where}.{name}")
        elif body.startswith('"', position):
            end = body.find('"', position + 1)
            if end < 0:
                raise BibliographyError(f"{where}.{name}: unterminated quoted value")
            value, position = body[position + 1:end], end + 1
        else:
            number = re.match(r"\d+", body[position:])
            if not number:
                raise BibliographyError(f"{where}.{name}: expected {{value}}, \"value\" or a number")
            value, position = number.group(0), position + number.end()
        if name in fields:
            raise BibliographyError(f"{where}: field {name!r} given twice")
        fields[name] = " ".join(value.split())


def parse_bibtex(text: str, source: str = "<bibtex>") -> dict[str, BibEntry]:
    """Entries of a BibTeX text by key, in file order; ``%`` starts a comment line outside entries.

    >>> parse_bibtex("@book{A2000, title = {T}, year = 2000}")["A2000"].fields
    {'title': 'T', 'year': '2000'}
    """
    # comment lines (``%`` first) may mention ``@``: blank them, keeping character positions
    text = re.sub(r"(?m)^[ \t]*%.*$", lambda line: " " * len(line.group(0)), text)
    entries, position = {}, 0
    while (at := text.find("@", position)) >= 0:
        match = _ENTRY_START.match(text, at)
        if not match:
            raise BibliographyError(f"{source}: expected '@type{{key,' at character {at}")
        kind, key = match.group(1).lower(), match.group(2)
        where = f"{source}: entry {key}"
        if key in entries:
            raise BibliographyError(f"{where}: key defined twice")
        body, position = _braced(text, text.index("{", at), where)
        entries[key] = BibEntry(kind, key, _entry_fields(body[body.index(",") + 1:], where))
    return entries


def bibliography_path() -> Path:
    """Where the bundled bibliography is (next to the bundled scenario files)."""
    return models_directory() / "references.bib"


@lru_cache(maxsize=1)
def bibliography() -> dict[str, BibEntry]:
    """The bundled bibliography, read once."""
    path = bibliography_path()
    return parse_bibtex(path.read_text(encoding="utf-8"), str(path))


def _plain(text: str) -> str:
    """BibTeX markup turned into what a reader sees."""
    for latex, plain in _LATEX:
        text = text.replace(latex, plain)
    return text.replace("{", "").replace("}", "")


def _authors(entry: BibEntry) -> str:
    names = [_plain(name.strip()) for name in entry.fields.get("author", "").split(" and ") if name.strip()]
    if len(names) > 2:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return " and ".join(names)


def format_entry(entry: BibEntry) -> str:
    """One entry as a line of text: authors (year). Title. Venue volume(number), pages. doi / note-free."""
    fields = entry.fields
    head = f"{_authors(entry)} ({fields.get('year', 'n.d.')}). " if "author" in fields else ""
    title = _plain(fields.get("title", entry.key))
    if head:
        parts = [head + title + ("" if title.endswith(("?", ".")) else ".")]
    else:  # a treaty or document: its title is its name
        parts = [f"{title} ({fields.get('year', 'n.d.')})."]
    venue = fields.get("journal") or fields.get("booktitle")
    if venue:
        volume = _plain(fields.get("volume", ""))
        issue = f"({_plain(fields['number'])})" if "number" in fields and "journal" in fields else ""
        where = f"{_plain(venue)} {volume}{issue}".strip()
        chapter = f", ch. {fields['chapter']}" if "chapter" in fields else ""
        pages = f", {_plain(fields['pages'])}" if "pages" in fields else ""
        parts.append(f"{where}{chapter}{pages}.")
    for name in ("publisher", "institution", "howpublished"):
        if name in fields:
            number = f", {fields['number']}" if name == "institution" and "number" in fields else ""
            parts.append(_plain(fields[name]) + number + ".")
    if "doi" in fields:
        parts.append(f"doi:{fields['doi']}.")
    elif "url" in fields:
        parts.append(fields["url"])
    return " ".join(parts)


def cited_keys(text: str) -> tuple[str, ...]:
    """Keys cited in ``text`` with the ``[@Key…]`` syntax, in order of first citation, each once."""
    keys: dict[str, None] = {}
    for bracket in CITATION_PATTERN.finditer(text):
        for key in _KEY_IN_BRACKET.findall(bracket.group(1)):
            keys.setdefault(key, None)
    return tuple(keys)
