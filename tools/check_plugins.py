#!/usr/bin/env python3
"""Fail when a plugin folder ``plugins/<backend>/`` has drifted from the scaffold's template.

Prints one line per problem, ``path: what was expected``, and exits 1 if there is any; CI runs it
so every plugin keeps the shape ``tools/scaffold.py`` gives it (DESIGN §2).
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from plugin_layout import (
    ALL_PYPROJECT,
    BUILD_BACKEND,
    CORE_DISTRIBUTION,
    CORE_PIN,
    ENTRY_POINT_GROUP,
    HATCH_PLUGIN_GLOB,
    HATCH_TOML,
    KINDS,
    NAME_RE,
    PERSIST_API_VERSION,
    README_SECTIONS,
    TESTKIT_PACKAGE,
    distribution_name,
    import_name,
    normalize_distribution,
    required_files,
)

__all__ = ["check_plugin", "check_repository", "main", "plugin_folders"]

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser from PyPI
    import tomli as tomllib

REPO_ROOT = Path(__file__).resolve().parent.parent
_REQUIREMENT = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;]*)")
_HEADING = re.compile(r"^#{2,3}\s+(.+?)\s*#*\s*$", re.MULTILINE)
#: Modules the hook module and ``__init__`` may import at module level: nothing that loads a client.
_LIGHT_MODULES = frozenset(sys.stdlib_module_names) | {"praisonai_persist"}


def _parse_requirement(text: str) -> tuple[str, set[str]]:
    """Normalized name and set of specifier clauses of a PEP 508 requirement."""
    match = _REQUIREMENT.match(text)
    if not match:
        return text, set()
    clauses = {c.replace(" ", "") for c in match.group(3).split(",") if c.strip()}
    return normalize_distribution(match.group(1)), clauses


def _dig(data: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _check_pyproject(rel: Path, path: Path, backend: str) -> Iterator[str]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        yield f"{rel}: cannot be parsed as TOML ({exc})"
        return
    package = import_name(backend)
    if _dig(data, "build-system", "build-backend") != BUILD_BACKEND:
        yield f"{rel}: [build-system] build-backend must be {BUILD_BACKEND!r} (hatchling, as every distribution here)"
    requires = _dig(data, "build-system", "requires") or []
    if not any(_parse_requirement(r)[0] == "hatchling" for r in requires):
        yield f"{rel}: [build-system] requires must list hatchling"
    name = _dig(data, "project", "name")
    if not isinstance(name, str) or normalize_distribution(name) != distribution_name(backend):
        yield f"{rel}: [project] name must be {distribution_name(backend)!r} for folder plugins/{backend}, not {name!r}"
    if not isinstance(_dig(data, "project", "version"), str):
        yield f"{rel}: [project] version must be a static string (each plugin is released on its own)"
    if _dig(data, "project", "readme") != "README.md":
        yield f"{rel}: [project] readme must be 'README.md'"
    if not isinstance(_dig(data, "project", "requires-python"), str):
        yield f"{rel}: [project] requires-python must be set (the template has '>=3.10')"
    dependencies = _dig(data, "project", "dependencies") or []
    core = [spec for n, spec in map(_parse_requirement, dependencies) if n == CORE_DISTRIBUTION]
    expected_pin = set(CORE_PIN.split(","))
    if not core:
        yield f"{rel}: [project] dependencies must include '{CORE_DISTRIBUTION}{CORE_PIN}'"
    elif core[0] != expected_pin:
        yield f"{rel}: core must be pinned as '{CORE_DISTRIBUTION}{CORE_PIN}', not with {','.join(sorted(core[0]))!r}"
    entry_points = _dig(data, "project", "entry-points", ENTRY_POINT_GROUP)
    expected_ep = {backend: f"{package}.plugin"}
    if entry_points != expected_ep:
        yield (
            f'{rel}: [project.entry-points."{ENTRY_POINT_GROUP}"] must be exactly '
            f'{backend} = "{package}.plugin", found {entry_points!r}'
        )
    packages = _dig(data, "tool", "hatch", "build", "targets", "wheel", "packages")
    if packages != [f"src/{package}"]:
        yield f'{rel}: [tool.hatch.build.targets.wheel] packages must be ["src/{package}"], found {packages!r}'


def _module_level_imports(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, module) of imports that run at import time (``if TYPE_CHECKING:`` blocks excluded)."""
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            yield node.lineno, "." * node.level + (node.module or "")


def _check_light_module(rel: Path, path: Path) -> Iterator[str]:
    """The hook module and ``__init__`` must import no client library, nor the store modules."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as exc:
        yield f"{rel}:{exc.lineno}: is not valid Python ({exc.msg})"
        return
    for line, module in _module_level_imports(tree):
        if module.split(".")[0] not in _LIGHT_MODULES:
            yield (
                f"{rel}:{line}: imports {module!r} at module level; discovery imports this module, so it must "
                "import only the standard library and praisonai_persist (import clients and stores lazily)"
            )


def _check_hook_module(rel: Path, path: Path) -> Iterator[str]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError:
        return  # reported by _check_light_module
    version = None
    hook = False
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "PERSIST_API_VERSION" for t in node.targets
        ):
            version = node.value.value if isinstance(node.value, ast.Constant) else None
        if isinstance(node, ast.FunctionDef) and node.name == "persist_register_stores":
            hook = any(
                (isinstance(d, ast.Name) and d.id == "hookimpl")
                or (isinstance(d, ast.Attribute) and d.attr == "hookimpl")
                for d in node.decorator_list
            )
    if version != PERSIST_API_VERSION:
        yield f"{rel}: must define PERSIST_API_VERSION = {PERSIST_API_VERSION} at module level"
    if not hook:
        yield f"{rel}: must define a @hookimpl function persist_register_stores(registries)"


def _check_readme(rel: Path, path: Path) -> Iterator[str]:
    headings = [h.lower() for h in _HEADING.findall(path.read_text(encoding="utf-8"))]
    for section in README_SECTIONS:
        if not any(h.startswith(section.lower()) for h in headings):
            yield f"{rel}: missing section '## {section}' (every plugin README has: {', '.join(README_SECTIONS)})"


def _check_changelog(rel: Path, path: Path, pyproject: Path) -> Iterator[str]:
    try:
        version = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError):
        return  # reported by _check_pyproject
    if not re.search(rf"^#+\s*\[?{re.escape(str(version))}\b", path.read_text(encoding="utf-8"), re.MULTILINE):
        yield f"{rel}: has no heading for version {version} (add '## {version}' with the changes)"


def _check_conformance(rel: Path, path: Path) -> Iterator[str]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as exc:
        yield f"{rel}:{exc.lineno}: is not valid Python ({exc.msg})"
        return
    suites = {k.testkit_class for k in KINDS.values()} | {f"Async{k.testkit_class}" for k in KINDS.values()}
    imported = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == TESTKIT_PACKAGE
        for alias in node.names
        if alias.name in suites
    }
    if not imported:
        yield f"{rel}: must import a conformance class from {TESTKIT_PACKAGE} ({', '.join(sorted(suites))})"
        return
    subclasses = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and any(isinstance(b, ast.Name) and b.id in imported for b in node.bases)
    ]
    if not subclasses:
        yield f"{rel}: must define a test class subclassing {' or '.join(sorted(imported))}"
    fixtures = [
        n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == "store"
    ]
    if not fixtures:
        yield f"{rel}: must define the 'store' fixture yielding an empty, isolated store"


def check_plugin(root: Path, folder: Path) -> list[str]:
    """Problems of one plugin folder, each as ``path: expectation`` with paths relative to ``root``."""
    backend = folder.name
    base = folder.relative_to(root)
    problems: list[str] = []
    if not NAME_RE.match(backend):
        problems.append(f"{base}: folder name must match [a-z][a-z0-9_]* (it is the backend and entry point name)")
    for relative in required_files(backend):
        if not (folder / relative).is_file():
            hint = " (marks the package as typed)" if relative.endswith("py.typed") else ""
            problems.append(
                f"{base / relative}: missing; every plugin folder has it{hint} (see tools/templates/plugin/)"
            )
    src = folder / "src"
    if src.is_dir():
        others = sorted(p.name for p in src.iterdir() if p.is_dir() and p.name != import_name(backend))
        others = [name for name in others if not name.endswith(".egg-info") and name != "__pycache__"]
        if others:
            problems.append(
                f"{base / 'src'}: must hold only the package {import_name(backend)} "
                f"(flat, named after the folder), found {', '.join(others)}"
            )

    def existing(relative: str) -> tuple[Path, Path] | None:
        path = folder / relative
        return (base / relative, path) if path.is_file() else None

    package = f"src/{import_name(backend)}"
    if found := existing("pyproject.toml"):
        problems.extend(_check_pyproject(*found, backend))
    for module in (f"{package}/__init__.py", f"{package}/plugin.py"):
        if found := existing(module):
            problems.extend(_check_light_module(*found))
    if found := existing(f"{package}/plugin.py"):
        problems.extend(_check_hook_module(*found))
    if found := existing("README.md"):
        problems.extend(_check_readme(*found))
    if (found := existing("CHANGELOG.md")) and (folder / "pyproject.toml").is_file():
        problems.extend(_check_changelog(*found, folder / "pyproject.toml"))
    if found := existing("tests/test_conformance.py"):
        problems.extend(_check_conformance(*found))
    return problems


def _check_meta_distribution(root: Path, backends: list[str]) -> Iterator[str]:
    path = root / ALL_PYPROJECT
    if not path.is_file():
        return
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        yield f"{ALL_PYPROJECT}: cannot be parsed as TOML ({exc})"
        return
    listed = {_parse_requirement(r)[0] for r in _dig(data, "project", "dependencies") or []}
    for backend in backends:
        if distribution_name(backend) not in listed:
            yield f"{ALL_PYPROJECT}: [project] dependencies must include {distribution_name(backend)!r} (plugins/{backend})"


def _check_hatch(root: Path, backends: list[str]) -> Iterator[str]:
    path = root / HATCH_TOML
    if not backends or not path.is_file():
        return
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        yield f"{HATCH_TOML}: cannot be parsed as TOML ({exc})"
        return
    members = _dig(data, "envs", "default", "workspace", "members") or []
    paths = {m if isinstance(m, str) else m.get("path") for m in members if isinstance(m, str | dict)}
    if HATCH_PLUGIN_GLOB not in paths:
        yield (
            f'{HATCH_TOML}: [envs.default] workspace.members must include "{HATCH_PLUGIN_GLOB}" '
            "now that plugins/ holds plugins (so the dev environment installs them)"
        )


def plugin_folders(root: Path) -> list[Path]:
    """Folders under ``plugins/`` (hidden folders and caches are not plugins)."""
    plugins = root / "plugins"
    if not plugins.is_dir():
        return []
    return sorted(p for p in plugins.iterdir() if p.is_dir() and not p.name.startswith((".", "__")))


def check_repository(root: Path) -> list[str]:
    """Problems of every plugin folder of the repository at ``root``."""
    folders = plugin_folders(root)
    problems = [problem for folder in folders for problem in check_plugin(root, folder)]
    problems.extend(_check_meta_distribution(root, [f.name for f in folders]))
    problems.extend(_check_hatch(root, [f.name for f in folders]))
    return problems


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns 1 when any plugin folder has drifted."""
    parser = argparse.ArgumentParser(
        prog="tools/check_plugins.py",
        description="Check that every plugins/*/ folder still matches the plugin template (tools/scaffold.py).",
    )
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root (default: this checkout)")
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    problems = check_repository(root)
    for problem in problems:
        print(problem)
    count = len(plugin_folders(root))
    if problems:
        print(f"check_plugins: {len(problems)} problem(s) in {count} plugin folder(s)", file=sys.stderr)
        return 1
    print(f"check_plugins: {count} plugin folder(s) match the template")
    return 0


if __name__ == "__main__":
    sys.exit(main())
