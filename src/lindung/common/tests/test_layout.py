"""`common` is the ground floor: it imports no other Lindung app, so any app may use it and it
never drags the whole site in (ARCHITECTURE.md). Read with `ast`, so an import inside a function
counts as much as one at the top."""

from __future__ import annotations

import ast
from pathlib import Path

COMMON = Path(__file__).resolve().parents[1]


def _leaves_common(common: Path, module: Path, node: ast.AST) -> str | None:
    """The name of the Lindung module `node` imports from outside common, or None."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.startswith("lindung.") and not _in_common(alias.name):
                return alias.name
        return None
    if not isinstance(node, ast.ImportFrom):
        return None
    if node.level == 0:
        name = node.module or ""
        if name == "lindung":
            # `from lindung import registry`: each name is an app unless it is common.
            outside = [a.name for a in node.names if a.name != "common"]
            return f"lindung.{outside[0]}" if outside else None
        return name if name.startswith("lindung.") and not _in_common(name) else None
    # A relative import: walk up from the module's package and see where it lands.
    package = module.parent
    for _ in range(node.level - 1):
        package = package.parent
    if package == common or common in package.parents:
        return None
    return f"{'.' * node.level}{node.module or ''}"


def _in_common(name: str) -> bool:
    return name == "lindung.common" or name.startswith("lindung.common.")


def _offences(root: Path) -> list[str]:
    found = []
    for module in sorted(root.rglob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"), filename=str(module))
        for node in sorted(ast.walk(tree), key=lambda n: getattr(n, "lineno", 0)):
            name = _leaves_common(root, module, node)
            if name:
                found.append(f"{module.relative_to(root.parent)}:{node.lineno} imports {name}")
    return found


def test_common_imports_no_other_lindung_app():
    assert _offences(COMMON) == []


def test_the_check_sees_every_way_of_leaving_common(tmp_path):
    root = tmp_path / "common"
    (root / "inner").mkdir(parents=True)
    (root / "ok.py").write_text(
        "from lindung.common.errors import ApplicationError\nfrom . import text\n"
        "from lindung import common\n"
    )
    (root / "inner" / "bad.py").write_text(
        "import lindung.registry.models\n"
        "from lindung.audit import context\n"
        "from lindung import programs\n"
        "def later():\n    from lindung.accounts.scoping import can\n"
        "from .. import text\n"
        "from ...registry import models\n"
    )
    offences = _offences(root)
    assert [o.split(" imports ")[1] for o in offences] == [
        "lindung.registry.models",
        "lindung.audit",
        "lindung.programs",
        "lindung.accounts.scoping",
        "...registry",
    ]
