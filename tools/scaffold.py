#!/usr/bin/env python3
"""Create a new plugin folder ``plugins/<backend>/`` from ``tools/templates/plugin/``.

Every plugin folder looks alike because this script renders it (as haystack-core-integrations'
``create_new_integration.py`` does); ``tools/check_plugins.py`` then keeps it from drifting.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from string import Template

from plugin_layout import (
    ALL_PYPROJECT,
    CORE_DISTRIBUTION,
    CORE_PIN,
    HATCH_PLUGIN_GLOB,
    HATCH_TOML,
    KINDS,
    NAME_RE,
    TEMPLATES,
    TESTKIT_PACKAGE,
    distribution_name,
    import_name,
    normalize_distribution,
    store_class_name,
)

__all__ = ["ScaffoldError", "add_to_all", "enable_hatch_plugins", "main", "render_plugin", "write_plugin"]

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_SUFFIX = ".tmpl"
#: Placeholder in template paths, replaced by the backend name.
PATH_PLACEHOLDER = "BACKEND"

_REQUIREMENT_NAME = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
_MODULE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\Z")
_DEPENDENCIES = re.compile(r"^dependencies\s*=\s*\[", re.MULTILINE)
_SECTION = re.compile(r"^\[", re.MULTILINE)
_QUOTED = re.compile(r'"([^"]*)"')


class ScaffoldError(Exception):
    """The plugin cannot be created as asked; the message says why and what to do."""


def _client_module_guess(client: str) -> str:
    """Import name a client distribution most likely has (``qdrant-client`` -> ``qdrant_client``)."""
    match = _REQUIREMENT_NAME.match(client)
    if not match:
        raise ScaffoldError(f"--client {client!r} is not a requirement such as 'qdrant-client>=1.9'.")
    return match.group(1).lower().replace("-", "_").replace(".", "_")


def _python_imports(kind_name: str, with_client: bool) -> tuple[str, str]:
    """Standard-library and core import lines of the skeleton store, sorted as isort wants them."""
    kind = KINDS[kind_name]
    stdlib = "from typing import Any"
    if kind.uses_sequence:
        stdlib = "from collections.abc import Sequence\n" + stdlib
    names = sorted({kind.abc, *kind.models, *(("BackendNotInstalledError",) if with_client else ())})
    line = f"from praisonai_persist import {', '.join(names)}"
    if len(line) > 120:  # ruff.toml line-length
        line = "from praisonai_persist import (\n" + "".join(f"    {n},\n" for n in names) + ")"
    return stdlib, line


def _client_block(backend: str, kind: str, module: str) -> str:
    distribution = distribution_name(backend)
    return (
        f'\nDISTRIBUTION = "{distribution}"\n\n\n'
        "def _client() -> Any:\n"
        '    """Import the client library on first use; a missing one is reported with the install line."""\n'
        "    try:\n"
        f"        import {module} as client\n"
        "    except ImportError as exc:\n"
        "        raise BackendNotInstalledError(\n"
        f'            "{kind}",\n'
        f'            "{backend}",\n'
        "            DISTRIBUTION,\n"
        f'            missing_module="{module}",\n'
        "            detail=str(exc),\n"
        "        ) from exc\n"
        "    return client\n"
    )


def render_plugin(
    backend: str, kind: str, client: str | None = None, client_module: str | None = None
) -> dict[Path, str]:
    """Files of the plugin folder, relative path -> text, rendered from the templates."""
    if not NAME_RE.match(backend):
        raise ScaffoldError(
            f"Backend name {backend!r} is not valid: use lower-case letters, digits and '_', "
            "starting with a letter (for example 'qdrant' or 'async_mongodb')."
        )
    if kind not in KINDS:
        raise ScaffoldError(f"Unknown kind {kind!r}; choose one of: {', '.join(KINDS)}.")
    if client is not None and any(c in client for c in "\"'\n\\"):
        raise ScaffoldError(f"--client {client!r} must be a plain requirement such as 'qdrant-client>=1.9'.")
    if client is not None and client_module is None:
        client_module = _client_module_guess(client)
    if client_module is not None and not _MODULE.match(client_module):
        raise ScaffoldError(f"--client-module {client_module!r} is not a dotted Python module name.")

    store_class = store_class_name(backend, kind)
    stdlib_imports, core_imports = _python_imports(kind, client_module is not None)
    requirements = [f"{CORE_DISTRIBUTION}{CORE_PIN}"] + ([client] if client else [])
    values = {
        "backend": backend,
        "kind": kind,
        "title": backend.replace("_", " ").title(),
        "distribution": distribution_name(backend),
        "package": import_name(backend),
        "store_class": store_class,
        "abc": KINDS[kind].abc,
        "testkit_class": KINDS[kind].testkit_class,
        "dependencies": "".join(f'  "{r}",\n' for r in requirements),
        "client_install_note": f"the client library `{client}`" if client else "no client library yet (TODO)",
        "client_note": f"`{client_module}`" if client_module else "its client library (TODO)",
        "stdlib_imports": stdlib_imports,
        "core_imports": core_imports,
        "client_block": _client_block(backend, kind, client_module) if client_module else "",
        # Both are third-party to isort here, so they sort together by module name.
        "test_imports": "\n".join(
            sorted(
                [
                    f"from {import_name(backend)} import {store_class}",
                    f"from {TESTKIT_PACKAGE} import {KINDS[kind].testkit_class}",
                ]
            )
        ),
        "client_init": "        self._client = _client()\n" if client_module else "",
    }
    methods = Template((TEMPLATES / "plugin_kinds" / f"{kind}.py.tmpl").read_text(encoding="utf-8"))
    values["methods"] = methods.substitute(values)

    files: dict[Path, str] = {}
    root = TEMPLATES / "plugin"
    for source in sorted(root.rglob(f"*{TEMPLATE_SUFFIX}")):
        relative = source.relative_to(root)
        target = Path(*(part.replace(PATH_PLACEHOLDER, backend) for part in relative.parts))
        target = target.with_name(target.name[: -len(TEMPLATE_SUFFIX)])
        text = Template(source.read_text(encoding="utf-8")).substitute(values)
        files[target] = text.rstrip("\n") + "\n" if text.strip() else ""
    return files


def write_plugin(folder: Path, files: dict[Path, str]) -> list[Path]:
    """Write the rendered files under ``folder``, which must not exist yet; return the paths."""
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists; the scaffold never overwrites. Pick another name.")
    written = []
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _dependencies_span(text: str) -> tuple[int, int] | None:
    """Start and end offsets of ``dependencies = [...]`` in the ``[project]`` table."""
    header = re.search(r"^\[project\]\s*$", text, re.MULTILINE)
    if header is None:
        return None
    following = _SECTION.search(text, header.end())
    table_end = following.start() if following else len(text)
    match = _DEPENDENCIES.search(text, header.end(), table_end)
    if match is None:
        return None
    in_string = False
    for index in range(match.end(), len(text)):
        char = text[index]
        if char == '"':
            in_string = not in_string
        elif char == "]" and not in_string:
            return match.start(), index + 1
    return None


def add_to_all(root: Path, backend: str) -> Path | None:
    """Add the plugin to ``packages/all``'s dependencies, kept sorted; ``None`` if there is no such file."""
    pyproject = root / ALL_PYPROJECT
    if not pyproject.is_file():
        return None
    text = pyproject.read_text(encoding="utf-8")
    span = _dependencies_span(text)
    if span is None:
        raise ScaffoldError(f"{pyproject} has no [project] 'dependencies = [...]' list to add the plugin to.")
    start, end = span
    requirements = _QUOTED.findall(text[start:end])
    wanted = distribution_name(backend)

    def name_of(requirement: str) -> str:
        found = _REQUIREMENT_NAME.match(requirement)
        return normalize_distribution(found.group(1)) if found else requirement

    if wanted not in {name_of(r) for r in requirements}:
        requirements.append(f"{wanted}{CORE_PIN}")
    requirements.sort(key=name_of)
    block = "dependencies = [\n" + "".join(f'  "{r}",\n' for r in requirements) + "]"
    pyproject.write_text(text[:start] + block + text[end:], encoding="utf-8")
    return pyproject


def enable_hatch_plugins(root: Path) -> Path | None:
    """Uncomment ``"plugins/*"`` in hatch.toml's workspace members; ``None`` if nothing changed.

    Hatch refuses a member glob that matches no project, so the line stays commented out until
    the first plugin exists.
    """
    path = root / HATCH_TOML
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    commented = re.compile(rf'^(\s*)#\s*("{re.escape(HATCH_PLUGIN_GLOB)}",)\s*$', re.MULTILINE)
    new, count = commented.subn(r"\1\2", text)
    if not count:
        return None
    path.write_text(new, encoding="utf-8")
    return path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tools/scaffold.py",
        description="Create plugins/NAME/ (the distribution praisonai-persist-NAME) from the plugin template.",
        epilog=(
            "example:\n"
            "  python tools/scaffold.py qdrant --kind knowledge --client 'qdrant-client>=1.9'\n\n"
            "Then fill in src/praisonai_persist_NAME/store.py until tests/test_conformance.py passes,\n"
            "and run python tools/check_plugins.py."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("name", help="backend name: [a-z][a-z0-9_]*, e.g. qdrant")
    parser.add_argument("--kind", required=True, choices=sorted(KINDS), help="kind of store the plugin provides")
    parser.add_argument("--client", metavar="PKG", help="client library requirement, e.g. 'qdrant-client>=1.9'")
    parser.add_argument(
        "--client-module", metavar="MODULE", help="import name of the client when it differs from PKG's"
    )
    parser.add_argument("--dest", default="plugins", help="folder for plugins, relative to --root (default: plugins)")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root (default: this checkout)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    args = _parser().parse_args(argv)
    root: Path = args.root.resolve()
    folder = root / args.dest / args.name
    try:
        files = render_plugin(args.name, args.kind, args.client, args.client_module)
        written = write_plugin(folder, files)
        updated = add_to_all(root, args.name)
        hatch = enable_hatch_plugins(root)
    except ScaffoldError as exc:
        print(f"scaffold: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"created  {path.relative_to(root)}")
    if updated is not None:
        print(f"updated  {updated.relative_to(root)} (added {distribution_name(args.name)})")
    if hatch is not None:
        print(f'updated  {hatch.relative_to(root)} (workspace member "{HATCH_PLUGIN_GLOB}" enabled)')
    print(
        f"\nNext: implement {folder.relative_to(root)}/src/{import_name(args.name)}/store.py, fill in the "
        "README's TODOs, then run python tools/check_plugins.py and the plugin's tests."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
