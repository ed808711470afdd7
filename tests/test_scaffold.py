"""tools/scaffold.py renders plugin folders that tools/check_plugins.py accepts, and the check catches drift."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import tomllib

REPO = Path(__file__).resolve().parents[1]
SCAFFOLD = REPO / "tools" / "scaffold.py"
CHECK = REPO / "tools" / "check_plugins.py"

KIND_ABC = {"conversation": "ConversationStore", "knowledge": "KnowledgeStore", "state": "StateStore"}


def run(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, timeout=120, check=False
    )


def pristine_all_pyproject() -> str:
    """packages/all/pyproject.toml as it was before any plugin: core is its only dependency."""
    text = (REPO / "packages" / "all" / "pyproject.toml").read_text(encoding="utf-8")
    head, rest = text.split("dependencies = [\n", 1)
    return head + 'dependencies = [\n  "praisonai-persist>=0.1,<1",\n' + rest[rest.index("]") :]


def pristine_hatch_toml() -> str:
    """hatch.toml as it was before any plugin: the plugins/* member glob commented out."""
    text = (REPO / "hatch.toml").read_text(encoding="utf-8")
    return text.replace('  "plugins/*",', '  # "plugins/*",')


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The minimal repository layout the scaffold and the check need, as before any plugin."""
    (tmp_path / "plugins").mkdir()
    (tmp_path / "packages" / "all").mkdir(parents=True)
    (tmp_path / "packages" / "all" / "pyproject.toml").write_text(pristine_all_pyproject(), encoding="utf-8")
    (tmp_path / "hatch.toml").write_text(pristine_hatch_toml(), encoding="utf-8")
    return tmp_path


def scaffold(root: Path, name: str, kind: str = "knowledge", *extra: str) -> Path:
    result = run(SCAFFOLD, name, "--kind", kind, "--root", str(root), *extra)
    assert result.returncode == 0, result.stderr
    return root / "plugins" / name


def check(root: Path) -> subprocess.CompletedProcess[str]:
    return run(CHECK, "--root", str(root))


def all_dependencies(root: Path) -> list[str]:
    data = tomllib.loads((root / "packages" / "all" / "pyproject.toml").read_text(encoding="utf-8"))
    deps: list[str] = data["project"]["dependencies"]
    return deps


@pytest.mark.parametrize("kind", ["conversation", "knowledge", "state"])
def test_scaffolded_plugin_passes_the_check(root: Path, kind: str) -> None:
    folder = scaffold(root, "acme_db", kind, "--client", "acme-client>=2")

    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    pkg = "src/praisonai_persist_acme_db"
    assert files == sorted(
        [
            "CHANGELOG.md",
            "README.md",
            "pyproject.toml",
            f"{pkg}/__init__.py",
            f"{pkg}/plugin.py",
            f"{pkg}/py.typed",
            f"{pkg}/store.py",
            "tests/test_conformance.py",
        ]
    )
    pyproject = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["name"] == "praisonai-persist-acme-db"
    assert pyproject["project"]["dependencies"] == ["praisonai-persist>=0.1,<1", "acme-client>=2"]
    assert pyproject["project"]["entry-points"]["praisonai_persist.plugins"] == {
        "acme_db": "praisonai_persist_acme_db.plugin"
    }
    for source in folder.rglob("*.py"):
        ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
    store = (folder / pkg / "store.py").read_text(encoding="utf-8")
    assert f"class AcmeDb{kind.title()}Store({KIND_ABC[kind]}):" in store
    assert "import acme_client as client" in store
    assert f"{KIND_ABC[kind]}Tests" in (folder / "tests" / "test_conformance.py").read_text(encoding="utf-8")

    result = check(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 plugin folder(s) match the template" in result.stdout


def test_scaffold_adds_plugins_to_the_meta_distribution_sorted(root: Path) -> None:
    scaffold(root, "zeta")
    scaffold(root, "alpha", "state")
    assert all_dependencies(root) == [
        "praisonai-persist>=0.1,<1",
        "praisonai-persist-alpha>=0.1,<1",
        "praisonai-persist-zeta>=0.1,<1",
    ]
    assert check(root).returncode == 0


def test_check_requires_every_plugin_in_the_meta_distribution(root: Path) -> None:
    scaffold(root, "qdrant")
    (root / "packages" / "all" / "pyproject.toml").write_text(pristine_all_pyproject(), encoding="utf-8")
    result = check(root)
    assert result.returncode == 1
    assert (
        "packages/all/pyproject.toml: [project] dependencies must include 'praisonai-persist-qdrant'" in result.stdout
    )


def test_scaffold_enables_the_plugins_glob_in_hatch_toml(root: Path) -> None:
    """Hatch refuses a member glob matching nothing, so the first plugin switches it on."""
    hatch = root / "hatch.toml"
    assert '  # "plugins/*",' in hatch.read_text(encoding="utf-8")
    scaffold(root, "qdrant")
    members = tomllib.loads(hatch.read_text(encoding="utf-8"))["envs"]["default"]["workspace"]["members"]
    assert "plugins/*" in members
    assert check(root).returncode == 0

    _replace(hatch, '  "plugins/*",', '  # "plugins/*",')
    result = check(root)
    assert result.returncode == 1
    assert 'hatch.toml: [envs.default] workspace.members must include "plugins/*"' in result.stdout


def _drop_section(path: Path, heading: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert heading in text
    path.write_text(text.replace(heading, "## Notes"), encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


PKG = "src/praisonai_persist_qdrant"
DRIFTS: dict[str, tuple[Callable[[Path], object], str]] = {
    "missing py.typed": (
        lambda f: (f / PKG / "py.typed").unlink(),
        f"plugins/qdrant/{PKG}/py.typed: missing",
    ),
    "entry point changed": (
        lambda f: _replace(
            f / "pyproject.toml", 'qdrant = "praisonai_persist_qdrant.plugin"', 'qdrant = "other.plugin"'
        ),
        'plugins/qdrant/pyproject.toml: [project.entry-points."praisonai_persist.plugins"] must be exactly',
    ),
    "README section dropped": (
        lambda f: _drop_section(f / "README.md", "## Options"),
        "plugins/qdrant/README.md: missing section '## Options'",
    ),
    "core pin changed": (
        lambda f: _replace(f / "pyproject.toml", '"praisonai-persist>=0.1,<1"', '"praisonai-persist>=0.1"'),
        "plugins/qdrant/pyproject.toml: core must be pinned as 'praisonai-persist>=0.1,<1'",
    ),
    "build backend changed": (
        lambda f: _replace(f / "pyproject.toml", '"hatchling.build"', '"setuptools.build_meta"'),
        "plugins/qdrant/pyproject.toml: [build-system] build-backend must be 'hatchling.build'",
    ),
    "distribution renamed": (
        lambda f: _replace(f / "pyproject.toml", 'name = "praisonai-persist-qdrant"', 'name = "qdrant-persist"'),
        "plugins/qdrant/pyproject.toml: [project] name must be 'praisonai-persist-qdrant'",
    ),
    "package path changed": (
        lambda f: _replace(
            f / "pyproject.toml", 'packages = ["src/praisonai_persist_qdrant"]', 'packages = ["src/qdrant"]'
        ),
        "plugins/qdrant/pyproject.toml: [tool.hatch.build.targets.wheel] packages must be",
    ),
    "import package renamed": (
        lambda f: (f / PKG).rename(f / "src" / "praisonai_persist_qdrnt"),
        "plugins/qdrant/src: must hold only the package praisonai_persist_qdrant",
    ),
    "conformance test without the testkit": (
        lambda f: (f / "tests" / "test_conformance.py").write_text("def test_nothing():\n    assert True\n"),
        "plugins/qdrant/tests/test_conformance.py: must import a conformance class from praisonai_persist_testkit",
    ),
    "hook module imports a client": (
        lambda f: _replace(
            f / PKG / "plugin.py",
            "from praisonai_persist import hookimpl",
            "import qdrant_client\nfrom praisonai_persist import hookimpl",
        ),
        f"plugins/qdrant/{PKG}/plugin.py:11: imports 'qdrant_client' at module level",
    ),
    "API version missing": (
        lambda f: _replace(f / PKG / "plugin.py", "PERSIST_API_VERSION = 1", "PERSIST_API = 1"),
        f"plugins/qdrant/{PKG}/plugin.py: must define PERSIST_API_VERSION = 1",
    ),
    "changelog without the version": (
        lambda f: _replace(f / "CHANGELOG.md", "## 0.1.0", "## Unreleased"),
        "plugins/qdrant/CHANGELOG.md: has no heading for version 0.1.0",
    ),
}


@pytest.mark.parametrize("drift", sorted(DRIFTS))
def test_check_names_the_drift(root: Path, drift: str) -> None:
    folder = scaffold(root, "qdrant", "knowledge", "--client", "qdrant-client>=1.9")
    assert check(root).returncode == 0
    introduce, expected = DRIFTS[drift]
    introduce(folder)

    result = check(root)
    assert result.returncode == 1
    assert expected in result.stdout, result.stdout
    assert "problem(s) in 1 plugin folder(s)" in result.stderr


@pytest.mark.parametrize("name", ["Qdrant", "1db", "my-db", "db!", "_db"])
def test_scaffold_refuses_bad_names(root: Path, name: str) -> None:
    result = run(SCAFFOLD, name, "--kind", "state", "--root", str(root))
    assert result.returncode == 2
    assert f"Backend name {name!r} is not valid" in result.stderr
    assert list((root / "plugins").iterdir()) == []


def test_scaffold_refuses_an_existing_folder(root: Path) -> None:
    folder = scaffold(root, "qdrant")
    readme = folder / "README.md"
    readme.write_text("edited by hand\n", encoding="utf-8")

    result = run(SCAFFOLD, "qdrant", "--kind", "state", "--root", str(root))
    assert result.returncode == 2
    assert "already exists" in result.stderr
    assert readme.read_text(encoding="utf-8") == "edited by hand\n"
    assert all_dependencies(root).count("praisonai-persist-qdrant>=0.1,<1") == 1


def test_scaffold_help_shows_an_example() -> None:
    result = run(SCAFFOLD, "--help")
    assert result.returncode == 0
    assert "python tools/scaffold.py qdrant --kind knowledge" in result.stdout


def test_check_passes_on_empty_plugins_folder(root: Path) -> None:
    result = check(root)
    assert result.returncode == 0
    assert "0 plugin folder(s)" in result.stdout


def test_check_passes_on_the_repository() -> None:
    result = check(REPO)
    assert result.returncode == 0, result.stdout + result.stderr


_REGISTER = textwrap.dedent(
    """
    import sys
    from praisonai_persist import BackendNotInstalledError, {abc}
    from praisonai_persist.registry import StoreRegistry

    import praisonai_persist_acme.plugin as hooks
    # Discovery imports the hook module only: neither the store nor a client may come with it.
    assert "praisonai_persist_acme.store" not in sys.modules, sorted(sys.modules)
    assert hooks.PERSIST_API_VERSION == 1
    registries = {{k: StoreRegistry(k) for k in ("conversation", "knowledge", "state")}}
    hooks.persist_register_stores(registries)
    registry = registries["{kind}"]
    assert "acme" in registry.list_names(), registry.list_names()
    try:
        store = registry.create("acme", url="acme://localhost")
    except BackendNotInstalledError as exc:
        print("NOT-INSTALLED", exc)
    else:
        assert isinstance(store, {abc}), type(store)
        print("CREATED", type(store).__name__, store.backend_name, store.url)
    """
)


@pytest.mark.parametrize("kind", ["conversation", "knowledge", "state"])
def test_scaffolded_plugin_registers_with_core(root: Path, kind: str) -> None:
    """The rendered hook module and store work with the real registry: lazy, instantiable."""
    folder = scaffold(root, "acme", kind)
    script = _REGISTER.format(abc=KIND_ABC[kind], kind=kind)
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PYTHONPATH": str(folder / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert f"CREATED Acme{kind.title()}Store acme acme://localhost" in result.stdout


def test_scaffolded_store_reports_a_missing_client_with_the_install_line(root: Path) -> None:
    folder = scaffold(root, "acme", "state", "--client", "acme-client-that-does-not-exist>=1")
    script = _REGISTER.format(abc="StateStore", kind="state")
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PYTHONPATH": str(folder / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert "NOT-INSTALLED" in result.stdout
    assert "acme_client_that_does_not_exist" in result.stdout
    assert "pip install praisonai-persist-acme" in result.stdout


@pytest.mark.parametrize("kind", ["conversation", "knowledge", "state"])
def test_scaffolded_conformance_tests_run_the_testkit(root: Path, kind: str) -> None:
    """The rendered tests hook into the real testkit: its contract runs and fails on the skeleton."""
    folder = scaffold(root, "acme", kind)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONPATH": str(folder / "src")},
    )
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 1, result.stdout + result.stderr
    match = re.search(r"(\d+) failed, (\d+) passed", summary)
    assert match is not None, summary
    assert int(match.group(1)) >= 10  # every contract test reached the skeleton store
    assert "error" not in summary  # the fixture itself (construction, close) works
    assert f"NotImplementedError: Acme{kind.title()}Store." in result.stdout
