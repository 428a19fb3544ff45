"""Sources inside the project (issue 13, item 5): one bibliography, every citation resolves to it, no citation
points at a file users do not have, ``show`` prints each confidence tag once."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from negotiation.core.parameters import CONFIDENCE_TAGS
from negotiation.scenario import load_scenario
from negotiation.scenario.bibliography import (
    BibliographyError,
    bibliography,
    cited_keys,
    format_entry,
    parse_bibtex,
)

ROOT = Path(__file__).resolve().parents[1]
SEARCHED = ("negotiation", "models", "notebooks", "docs")  # what the issue's `grep -r` covers
TEXT_SUFFIXES = {".py", ".toml", ".md", ".rst", ".ipynb", ".txt", ".bib", ".j2", ".json", ".cfg"}


def _text_files():
    for folder in SEARCHED:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in TEXT_SUFFIXES and "_build" not in path.parts:
                yield path


def test_no_file_cites_the_background_notes_users_do_not_have():
    # the check: `grep -r "domain.md"` over the package, models, notebooks and docs finds nothing
    offenders = [str(path.relative_to(ROOT)) for path in _text_files()
                 if "domain" + ".md" in path.read_text(encoding="utf-8", errors="replace")]
    assert offenders == []


def test_every_citation_and_every_references_key_resolves():
    entries = bibliography()
    unresolved = {}
    for path in _text_files():
        if path.name == "references.bib":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        keys = list(cited_keys(text))
        if path.suffix == ".toml" and path.parent.name == "models":
            keys += tomllib.loads(text).get("references", [])
        missing = sorted({key for key in keys if key not in entries})
        if missing:
            unresolved[str(path.relative_to(ROOT))] = missing
    assert unresolved == {}


def test_every_entry_is_cited_or_marked_further_reading():
    cited = set()
    for path in _text_files():
        if path.name != "references.bib":
            text = path.read_text(encoding="utf-8", errors="replace")
            cited.update(cited_keys(text))
            if path.suffix == ".toml" and path.parent.name == "models":
                cited.update(tomllib.loads(text).get("references", []))
    uncited = sorted(key for key, entry in bibliography().items() if key not in cited and not entry.further_reading)
    assert uncited == []


def test_bundled_references_fields_are_keys_not_free_text():
    for path in sorted((ROOT / "models").glob("*.toml")):
        for reference in tomllib.loads(path.read_text(encoding="utf-8")).get("references", []):
            assert re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", reference), (path.name, reference)


def test_entries_have_what_a_reader_needs():
    for key, entry in bibliography().items():
        fields = entry.fields
        assert "title" in fields and "year" in fields, key
        if entry.kind == "article":  # a journal article: authors, journal, volume and pages
            assert {"author", "journal", "volume"} <= set(fields), key
            assert "pages" in fields or "pages" in fields.get("note", ""), key  # or says they are unverified
        if entry.kind == "misc" and "author" not in fields:  # a treaty or official document: symbol/place and date
            assert re.search(r"\d{1,2} \w+ \d{4}", fields.get("howpublished", "")), key


def test_the_founding_act_entry_quotes_the_conditional_clause():
    # the clause as it stands in section IV of the Act (quoted by the issue, checked against a quotation)
    clause = ("NATO reiterates that in the current and foreseeable security environment, the Alliance will carry out "
              "its collective defence and other missions by ensuring the necessary interoperability, integration, and "
              "capability for reinforcement rather than by additional permanent stationing of substantial combat forces")
    assert clause in bibliography()["FoundingAct1997"].fields["note"]
    for model in ("infrastructure_limits", "enlargement_vs_infrastructure"):
        text = " ".join((ROOT / "models" / f"{model}.toml").read_text(encoding="utf-8").split())
        assert clause in text and "[@FoundingAct1997, sec. IV]" in text, model


def test_citation_syntax_with_locators():
    text = "see [@Jervis1978, p. 211], [@CFE1990, art. IV(1)]; [@Wales2014, para. 14] and [@Nash1950; @Kalai1977, eq. 3]"
    assert cited_keys(text) == ("Jervis1978", "CFE1990", "Wales2014", "Nash1950", "Kalai1977")
    assert cited_keys("a Python list [x, y] or an e-mail a@b.org cites nothing") == ()


def test_parser_reads_fields_and_formats_an_article_by_hand():
    entries = parse_bibtex("% a comment with [@Key]\n@article{Doe2001,\n author = {Doe, Jane and Roe, Richard},\n"
                           " title = {A {Title}}, journal = \"J. Things\", volume = 3, number = {2},\n"
                           " pages = {10--20}, year = {2001}, doi = {10.1/x}}\n")
    assert list(entries) == ["Doe2001"]
    assert format_entry(entries["Doe2001"]) == "Doe, Jane and Roe, Richard (2001). A Title. J. Things 3(2), 10–20. doi:10.1/x."


@pytest.mark.parametrize("text, message", [
    ("@article{A1, title = {x}", "unbalanced braces"),
    ("@article{A1, title = {x}} @book{A1, title = {y}}", "key defined twice"),
    ("@article{A1, title = {x}, title = {y}}", "field 'title' given twice"),
    ("@article A1", "expected '@type{key,'"),
])
def test_parser_errors_are_one_line(text, message):
    with pytest.raises(BibliographyError, match=re.escape(message)) as caught:
        parse_bibtex(text, "x.bib")
    assert "\n" not in str(caught.value) and str(caught.value).startswith("x.bib")


def test_confidence_meanings_do_not_repeat_their_tag():
    # `show` prints "[tag: meaning]": the meaning once began with its own tag ("[assumption: assumption: …]")
    for tag, meaning in CONFIDENCE_TAGS.items():
        assert not meaning.lower().startswith(tag), tag


def test_show_prints_each_tag_once_and_resolves_references():
    text = load_scenario(ROOT / "models" / "security_dilemma.toml").describe()
    tags = re.findall(r"\[(published|computed|toolkit|assumption): ", text)
    assert tags and all(f"[{tag}: {tag}" not in text for tag in CONFIDENCE_TAGS)
    assert len(tags) == len(re.findall(r"^      source: ", text, flags=re.MULTILINE))  # one tag per parameter
    assert "[@Jervis1978] Jervis, Robert (1978). Cooperation under the Security Dilemma. World Politics 30(2)" in text


def test_a_list_where_a_tag_is_expected_is_a_one_line_error(tmp_path):
    text = (ROOT / "models" / "security_dilemma.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('confidence = "toolkit"', 'confidence = ["assumption"]', 1), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "negotiation", "show", str(bad)], capture_output=True, text=True,
                            check=False, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "confidence: expected one of" in result.stderr


def test_the_rendered_page_is_the_bib_file():
    sys.path.insert(0, str(ROOT / "docs" / "_ext"))
    try:
        import bibliography_page
    finally:
        sys.path.remove(str(ROOT / "docs" / "_ext"))
    assert (ROOT / "docs" / "reference" / "bibliography.md").read_text(encoding="utf-8") == bibliography_page.render()
