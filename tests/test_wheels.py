"""Built wheels installed into a fresh virtualenv: metadata complete, core free of database clients."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UV = shutil.which("uv") or shutil.which("uv", path=str(Path(sys.executable).parent))



def run(*args: str | Path, cwd: Path | None = None) -> str:
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=600)
    assert proc.returncode == 0, f"{args} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    assert UV is not None, "uv is installed by tools/test.sh; run the tests through it"
    out = tmp_path_factory.mktemp("dist")
    for member in ("core", "packages/testkit"):
        run(UV, "build", "--wheel", "--quiet", "--out-dir", out, ROOT / member)  # type: ignore[arg-type]
    found = {p.name.split("-")[0]: p for p in out.glob("*.whl")}
    assert set(found) == {"praisonai_persist", "praisonai_persist_testkit"}, found
    return found


def test_core_wheel_ships_types_and_entry_points(wheels: dict[str, Path]) -> None:
    with zipfile.ZipFile(wheels["praisonai_persist"]) as whl:
        names = whl.namelist()
        assert "praisonai_persist/py.typed" in names
        meta = whl.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        entry_points = whl.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    requires = sorted(line.split(":", 1)[1].strip().split(">")[0].split("=")[0] for line in meta.splitlines()
                      if line.startswith("Requires-Dist:") and "extra ==" not in line)
    assert requires == ["click", "filelock", "pluggy", "rich"], "core must not depend on a database client"
    assert "Provides-Extra: yaml" in meta, "PersistenceConfig.from_file names the [yaml] extra"
    assert "[praisonai_persist.plugins]\ncore = praisonai_persist.builtin_plugin" in entry_points
    assert "praisonai-persist = praisonai_persist.cli.main:main" in entry_points


def test_fresh_venv_runs_demo_and_cli_from_wheels(wheels: dict[str, Path], tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    run(UV, "venv", "--quiet", "--python", sys.executable, venv)  # type: ignore[arg-type]
    python = venv / "bin" / "python"
    run(UV, "pip", "install", "--quiet", "--python", python, *wheels.values())  # type: ignore[arg-type]
    demo = run(python, "-m", "praisonai_persist.demo", "--dir", tmp_path / "demo", cwd=tmp_path)
    assert "resumed 'demo-session'" in demo and "Teal is a blue-green colour." in demo
    data = json.loads(run(venv / "bin" / "praisonai-persist", "backends", "--json", cwd=tmp_path))
    installed = {(r["kind"], r["name"]) for r in data["backends"] if r["installed"]}
    assert {("conversation", "sqlite"), ("state", "memory"), ("knowledge", "memory")} <= installed
    assert data["plugin_errors"] == []
    import_check = "import praisonai_persist_testkit, praisonai_persist; print(praisonai_persist.__version__)"
    assert run(python, "-c", import_check, cwd=tmp_path).strip() == "0.1.0"
