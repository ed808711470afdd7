"""Make real, installed-looking distributions (``*.dist-info`` + modules) in a directory.

A directory on ``sys.path`` holding ``name-version.dist-info/`` is exactly what
``importlib.metadata`` reads for an installed distribution, so discovery sees these plugins
the way it sees any pip-installed plugin.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def make_distribution(
    root: Path,
    name: str,
    version: str,
    entry_points: dict[str, dict[str, str]],
    modules: dict[str, str],
) -> Path:
    """Write distribution ``name`` with ``entry_points`` ({group: {name: value}}) and ``modules`` ({dotted: source})."""
    root.mkdir(parents=True, exist_ok=True)
    dist_info = root / f"{name.replace('-', '_')}-{version}.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    lines = []
    for group, eps in entry_points.items():
        lines.append(f"[{group}]")
        lines += [f"{k} = {v}" for k, v in eps.items()]
        lines.append("")
    (dist_info / "entry_points.txt").write_text("\n".join(lines))
    for dotted, source in modules.items():
        path = root.joinpath(*dotted.split(".")).with_suffix(".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.parents:
            if parent == root:
                break
            (parent / "__init__.py").touch()
        path.write_text(source)
    (dist_info / "RECORD").write_text("")
    return root


def run_python(code: str, *paths: Path, env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter with ``paths`` prepended to ``sys.path``."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PRAISONAI_PERSIST_") or k == "PRAISONAI_PERSIST_CACHE_DIR"}
    full_env["PYTHONPATH"] = os.pathsep.join([*map(str, paths), full_env.get("PYTHONPATH", "")]).strip(os.pathsep)
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full_env, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"subprocess failed ({proc.returncode}):\nSTDOUT:\n{proc.stdout}\nSTDERR:\n{proc.stderr}")
    return proc
