"""docs/architecture.md matches the code: every module, class or function it names
by its dotted path exists, and its code snippets are Python."""

import ast
import importlib
import re
from pathlib import Path

from django.conf import settings

DOC = Path(settings.BASE_DIR) / "docs" / "architecture.md"
PACKAGES = (
    "core",
    "accounts",
    "notifications",
    "orders",
    "production",
    "delivery",
    "imports",
    "measure",
)
DOTTED = re.compile(r"`(" + "|".join(PACKAGES) + r")((?:\.[A-Za-z_]\w*)+)(?:\(|`)")


def resolves(path: str) -> bool:
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(obj, name):
                return False
            obj = getattr(obj, name)
        return True
    return False


def test_every_dotted_name_in_the_architecture_exists():
    text = DOC.read_text(encoding="utf-8")
    names = {first + rest for first, rest in DOTTED.findall(text)}
    assert len(names) > 40
    missing = sorted(name for name in names if not resolves(name))
    assert not missing, f"docs/architecture.md names what the code has not: {missing}"


def test_its_python_snippets_parse():
    text = DOC.read_text(encoding="utf-8")
    snippets = re.findall(r"```python\n(.*?)```", text, re.S)
    assert snippets
    for snippet in snippets:
        ast.parse(snippet)
