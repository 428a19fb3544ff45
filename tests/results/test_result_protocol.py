"""The one result protocol (ARCHITECTURE.md, results/base.py), checked on every result type.

The result types are found by subclass discovery after importing every module of the package; each
needs a factory in one of ``tests/results/examples_*.py`` (``EXAMPLES = {ResultClass: factory}``) that
builds a real instance through the toolkit's front doors. A result type without a factory fails here,
so a new one cannot slip past the contract.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import inspect
import json
import pkgutil
import sys
from pathlib import Path

import pandas
import pytest

import negotiation
from negotiation.results.base import Result

HERE = Path(__file__).resolve().parent
#: Written once in results/base.py; no result type defines its own.
WRITTEN_ONCE = ("to_text", "to_markdown", "to_latex", "to_csv", "to_frame", "to_dict", "_repr_html_",
                "_repr_markdown_", "__str__", "plot", "summary")


def _import_everything():
    for module in pkgutil.walk_packages(negotiation.__path__, "negotiation."):
        if module.name.startswith("negotiation.report.app") or module.name.endswith("__main__"):
            continue
        importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _examples() -> dict:
    found = {}
    for path in sorted(HERE.glob("examples_*.py")):
        spec = importlib.util.spec_from_file_location(f"result_examples_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found.update(module.EXAMPLES)
    return found


_import_everything()
RESULT_TYPES = sorted({cls for cls in _subclasses(Result) if cls.__module__.startswith("negotiation.")},
                      key=lambda cls: (cls.__module__, cls.__name__))
EXAMPLES = _examples()


def test_every_result_type_has_an_example():
    missing = [f"{cls.__module__}.{cls.__name__}" for cls in RESULT_TYPES if cls not in EXAMPLES]
    assert missing == [], f"result types without a factory in tests/results/examples_*.py: {missing}"


#: A public class with one of these (or named *Result) renders rows: it is a result and follows the protocol.
RESULT_METHODS = ("to_records", "to_markdown", "to_csv")


def test_every_public_class_that_renders_rows_is_a_result():
    """No result type outside the protocol (model types, which show themselves, aside)."""
    strays = []
    for module in list(sys.modules.values()):
        if not getattr(module, "__name__", "").startswith("negotiation."):
            continue
        for name, cls in vars(module).items():
            if (not inspect.isclass(cls) or cls.__module__ != module.__name__ or name.startswith("_")
                    or issubclass(cls, Result) or isinstance(getattr(cls, "kind", None), str)):
                continue
            if any(method in vars(cls) for method in RESULT_METHODS) or name.endswith("Result"):
                strays.append(f"{module.__name__}.{name}")
    assert strays == [], f"classes that render rows but do not follow the Result protocol: {sorted(strays)}"


@pytest.mark.parametrize("cls", RESULT_TYPES, ids=lambda cls: cls.__name__)
def test_result_type_follows_the_protocol(cls):
    assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen, f"{cls.__name__} is not a frozen dataclass"
    overridden = [name for name in WRITTEN_ONCE if name in vars(cls)]
    assert overridden == [], f"{cls.__name__} redefines what results/base.py writes once: {overridden}"
    if cls not in EXAMPLES:
        pytest.skip("no example (reported by test_every_result_type_has_an_example)")
    result = EXAMPLES[cls]()
    assert type(result) is cls
    # how it was obtained
    assert isinstance(result.method, str) and result.method
    assert isinstance(result.exact, bool) and isinstance(result.complete, bool)
    assert result.degenerate in (True, False, None)
    assert isinstance(result.messages, tuple) and all(isinstance(m, str) for m in result.messages)
    assert hasattr(result.parameters, "items") and hasattr(result.details, "items")
    # rows and every rendering
    records = result.to_records()
    assert isinstance(records, list) and all(isinstance(r, dict) for r in records)
    text = result.to_text()
    assert isinstance(text, str) and text.strip() and str(result) == text
    document = result.document()
    assert document.title and document.title in text
    markdown = result.to_markdown()
    assert markdown.startswith(f"**{document.title}**") and result._repr_markdown_() == markdown
    latex = result.to_latex()
    assert latex.startswith("%") and latex.count("\\begin{tabular}") == latex.count("\\end{tabular}")
    html = result._repr_html_()
    assert html.startswith("<p><strong>") and html.count("<table>") == html.count("</table>")
    csv_text = result.to_csv()
    assert (csv_text == "") == (records == [])
    frame = result.to_frame()
    assert isinstance(frame, pandas.DataFrame) and len(frame) == len(records)
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data, "to_dict() is not plain JSON"
    for key in ("method", "exact", "complete", "degenerate", "parameters"):
        assert key in data
    assert data["method"] == result.method and data["exact"] == result.exact
