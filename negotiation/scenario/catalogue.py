"""The bundled scenario files and their table of contents, read without building a model.

``negotiation models`` lists every bundled scenario by name, kind and title. Building each model
would parse every formula (sympy) and run every option's analysis, about 1.5 s for thirteen files;
the list needs none of that. :func:`catalogue` reads only the head of each file (``id``, ``title``,
``kind``, the names of ``[parameters]``) with the standard library's ``tomllib``. This module
imports nothing heavier, so that importing it (and the lazy :mod:`negotiation.scenario` package)
stays instant.

Only the bundled files are listed this way: they are part of the package and their full loading is
checked by the tests (``tests/scenario/test_catalogue.py`` compares every entry with the loaded
model). A user's file always goes through :func:`negotiation.scenario.load`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CatalogueEntry", "bundled_models", "catalogue", "models_directory"]


def models_directory() -> Path:
    """Folder of the bundled scenario files (inside the installed package, or the source tree's ``models/``)."""
    installed = Path(__file__).resolve().parent / "bundled"  # pip install . copies models/ here
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "models"


def bundled_models() -> dict[str, Path]:
    """Bundled scenarios by name (file stem), sorted."""
    folder = models_directory()
    if not folder.is_dir():
        return {}
    return {path.stem: path for path in sorted(folder.glob("*.toml"))}


@dataclass(frozen=True)
class CatalogueEntry:
    """The head of one bundled scenario file: what ``negotiation models`` shows.

    Attributes
    ----------
    name : str
        The file's stem, by which the CLI and :func:`~negotiation.scenario.load` find it.
    id, title, kind : str
        The file's ``id``, ``title`` and ``kind`` keys.
    parameters : tuple of str
        The names of its ``[parameters]`` table, in the file's order.
    path : Path
        The file.
    """

    name: str
    id: str
    title: str
    kind: str
    parameters: tuple
    path: Path

    def to_dict(self) -> dict:
        """The entry as ``negotiation models --format json`` prints it."""
        return {"name": self.name, "id": self.id, "title": self.title, "kind": self.kind,
                "parameters": list(self.parameters), "path": str(self.path)}


def catalogue() -> list[CatalogueEntry]:
    """The bundled scenarios' heads, sorted by name, read without building the models.

    Examples
    --------
    >>> entries = {entry.name: entry for entry in catalogue()}
    >>> entries["security_dilemma"].kind, entries["security_dilemma"].parameters[:2]
    ('normal-form', ('omega', 'phi'))
    """
    entries = []
    for name, path in bundled_models().items():
        with open(path, "rb") as file:
            data = tomllib.load(file)
        entries.append(CatalogueEntry(name=name, id=data["id"], title=data["title"], kind=data["kind"],
                                      parameters=tuple(data.get("parameters", {})), path=path))
    return entries
