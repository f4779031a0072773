"""The import picture: dependencies point one way.

`core/` is the ground (it imports no app and not the project), the apps stand on it, and
`weidu/` is the roof (settings and URLs import the apps; no app imports `weidu`). Read from the
source with `ast`, so an import inside a function counts too.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(
    path.parent.name for path in ROOT.glob("*/apps.py") if path.parent.name not in {"core", "weidu"}
)


def _imported_packages(package: str) -> dict[str, set[str]]:
    """Each module of `package` (migrations aside) → the top-level packages it imports."""
    found = {}
    for path in (ROOT / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_the_apps_are_found():
    assert {"communities", "grids", "petitions", "jobs"} <= set(APPS)


@pytest.mark.parametrize("app", APPS)
def test_no_app_imports_the_project_package(app):
    upward = {module for module, names in _imported_packages(app).items() if "weidu" in names}
    assert upward == set()


def test_core_imports_no_app_and_not_the_project():
    forbidden = set(APPS) | {"weidu"}
    upward = {
        module: sorted(names & forbidden)
        for module, names in _imported_packages("core").items()
        if names & forbidden
    }
    assert upward == {}


def test_trails_stand_on_core_alone():
    """The tamper-evident trails are beneath every app: the apps' records inherit from them."""
    others = set(APPS) - {"trails"}
    upward = {
        module: sorted(names & others)
        for module, names in _imported_packages("trails").items()
        if names & others
    }
    assert upward == {}


def test_communities_stands_on_core_and_the_trails_alone():
    """The map and the scope are the lowest app with pages: grids and petitions build on them
    (its audit log is chained by `trails`, beneath it)."""
    others = set(APPS) - {"communities", "trails"}
    upward = {
        module: sorted(names & others)
        for module, names in _imported_packages("communities").items()
        if names & others
    }
    assert upward == {}


def test_the_cadres_pages_stand_on_top():
    """The cadres' pages add up what the other apps record (visits, petitions, activities):
    they may import those apps, so no app imports them (only the project's settings and URLs)."""
    others = set(APPS) - {"cadres"}
    upward = {
        module: "cadres"
        for app in others
        for module, names in _imported_packages(app).items()
        if "cadres" in names
    }
    assert upward == {}


@pytest.mark.parametrize(
    ("app", "above"),
    [("petitions", {"disputes", "safety"}), ("disputes", {"safety"})],
)
def test_the_casework_does_not_import_the_apps_built_on_it(app, above):
    """petitions opens its pages to disputes through panel registries; safety counts the
    disputes of a police-down day, disputes does not know safety."""
    upward = {
        module: sorted(names & above)
        for module, names in _imported_packages(app).items()
        if names & above
    }
    assert upward == {}
