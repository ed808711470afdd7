"""Discovery against real distributions made in a temporary directory, each run in a fresh interpreter."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

from distmaker import make_distribution, run_python

GROUP = "praisonai_persist.plugins"

ACME_PLUGIN = textwrap.dedent(
    """
    from praisonai_persist import hookimpl
    PERSIST_API_VERSION = 1

    @hookimpl
    def persist_register_stores(registries):
        registries["knowledge"].register_store(
            "acme", "acme_persist.store:make", aliases=("acme_v",), schemes=("acme",))
    """
)
ACME_STORE = textwrap.dedent(
    """
    from praisonai_persist.backends.memory_knowledge import MemoryKnowledgeStore

    def make(url=None, **options):
        store = MemoryKnowledgeStore()
        store.acme_url = url
        return store
    """
)


def acme(root: Path, name: str = "acme-persist", version: str = "1.2.3") -> Path:
    return make_distribution(
        root, name, version, {GROUP: {"acme": "acme_persist.plugin"}},
        {"acme_persist.plugin": ACME_PLUGIN, "acme_persist.store": ACME_STORE},
    )


def broken(root: Path) -> Path:
    return make_distribution(
        root, "broken-persist", "0.0.1", {GROUP: {"broken": "broken_persist.plugin"}},
        {"broken_persist.plugin": "raise RuntimeError('boom at import')\n"},
    )


REPORT = textwrap.dedent(
    """
    import json, warnings, sys
    warnings.simplefilter("always")
    with warnings.catch_warnings(record=True) as caught:
        import praisonai_persist as p
        names = p.get_default_registry("knowledge").list_all_names()
        p.get_default_registry("state").list_names()
    r = p.discovery_report()
    print(json.dumps({
        "names": names,
        "loaded": [[i.distribution, i.version, i.name] for i in r.loaded],
        "failures": [[f.distribution, f.version, f.name, f.error] for f in r.failures],
        "duplicates": [[i.distribution, i.name] for i in r.duplicates],
        "skipped": [[i.distribution, i.name] for i in r.skipped],
        "warnings": [str(w.message) for w in caught if w.category.__name__ == "PluginLoadWarning"],
    }))
    """
)


def report(*paths: Path, env: dict[str, str] | None = None) -> dict:
    return json.loads(run_python(REPORT, *paths, env=env).stdout)


def test_third_party_plugin_is_discovered_and_used(tmp_path: Path) -> None:
    root = acme(tmp_path / "site")
    out = report(root)
    assert {"acme", "acme_v", "memory"} <= set(out["names"])
    assert ["acme-persist", "1.2.3", "acme"] in out["loaded"]
    code = textwrap.dedent(
        """
        import praisonai_persist as p
        s = p.create_knowledge_store("acme://host/x")
        assert s.acme_url == "acme://host/x", s.acme_url
        assert s.backend_name == "acme"
        e = p.get_default_registry("knowledge").entry("acme_v")
        print(e.name, e.distribution, e.version)
        """
    )
    assert run_python(code, root).stdout.split() == ["acme", "acme-persist", "1.2.3"]


def test_plugin_raising_on_import_is_recorded_and_skipped(tmp_path: Path) -> None:
    root = broken(acme(tmp_path / "site"))
    out = report(root)
    assert "acme" in out["names"], "a broken plugin must not break the others"
    assert len(out["failures"]) == 1
    dist, version, ep, error = out["failures"][0]
    assert (dist, version, ep) == ("broken-persist", "0.0.1", "broken")
    assert "RuntimeError: boom at import" in error
    assert len(out["warnings"]) == 1 and "broken-persist" in out["warnings"][0]


def test_strict_switch_turns_a_failure_into_an_error(tmp_path: Path) -> None:
    root = broken(tmp_path / "site")
    proc = run_python(REPORT, root, env={"PRAISONAI_PERSIST_STRICT_PLUGINS": "1"}, check=False)
    assert proc.returncode != 0
    assert "PluginLoadError" in proc.stderr and "broken-persist 0.0.1" in proc.stderr
    assert "PRAISONAI_PERSIST_STRICT_PLUGINS" in proc.stderr


def test_restrict_switch_loads_only_named_plugins(tmp_path: Path) -> None:
    root = broken(acme(tmp_path / "site"))
    out = report(root, env={"PRAISONAI_PERSIST_PLUGINS": "core"})
    assert "acme" not in out["names"] and "memory" in out["names"]
    assert out["failures"] == []
    # First-party plugins installed in this environment are skipped too; the test's own must be.
    skipped = sorted(d for d, _ in out["skipped"] if not d.startswith("praisonai-persist-"))
    assert skipped == ["acme-persist", "broken-persist"]
    out = report(root, env={"PRAISONAI_PERSIST_PLUGINS": "core,acme-persist"})
    assert "acme" in out["names"] and out["failures"] == []


def test_legacy_praisonai_group_is_honoured(tmp_path: Path) -> None:
    root = make_distribution(
        tmp_path / "site", "legacy-stores", "2.0", {"praisonai.state_stores": {"legacy_kv": "legacy_kv.impl:Store"}},
        {"legacy_kv.impl": "from praisonai_persist.backends.memory_state import MemoryStateStore as Store\n"},
    )
    code = textwrap.dedent(
        """
        import sys
        import praisonai_persist as p
        reg = p.get_default_registry("state")
        assert "legacy_kv" in reg.list_names()
        assert "legacy_kv.impl" not in sys.modules, "legacy factories are registered lazily"
        s = p.create_state_store("legacy_kv")
        s.set("k", [1, 2]); print(s.get("k"), reg.entry("legacy_kv").distribution)
        """
    )
    assert run_python(code, root).stdout.strip() == "[1, 2] legacy-stores"


def test_same_distribution_twice_on_sys_path_loads_once(tmp_path: Path) -> None:
    a, b = acme(tmp_path / "a"), acme(tmp_path / "b")
    out = report(a, b)
    assert [x for x in out["loaded"] if x[0] == "acme-persist"] == [["acme-persist", "1.2.3", "acme"]]
    assert out["failures"] == []
    code = "import praisonai_persist as p; print(p.get_default_registry('knowledge').entry('acme').conflicts)"
    assert run_python(code, a, b).stdout.strip() == "[]"


def test_two_distributions_claiming_one_name_are_reported(tmp_path: Path) -> None:
    root = make_distribution(
        acme(tmp_path / "site"), "other-acme", "9.9", {GROUP: {"acme": "other_acme.plugin"}},
        {"other_acme.plugin": ACME_PLUGIN, "other_acme.store": ACME_STORE},
    )
    code = textwrap.dedent(
        """
        import praisonai_persist as p
        try:
            p.create_knowledge_store("acme")
        except p.BackendConflictError as e:
            print(e)
        else:
            raise SystemExit("conflict silently resolved")
        """
    )
    msg = run_python(code, root).stdout
    assert "acme-persist 1.2.3" in msg and "other-acme" in msg and "PRAISONAI_PERSIST_PLUGINS" in msg


def test_incompatible_api_version_is_refused_naming_both(tmp_path: Path) -> None:
    root = make_distribution(
        tmp_path / "site", "future-persist", "5.0", {GROUP: {"future": "future_persist.plugin"}},
        {"future_persist.plugin": ACME_PLUGIN.replace("PERSIST_API_VERSION = 1", "PERSIST_API_VERSION = 2")},
    )
    out = report(root)
    assert "acme" not in out["names"]
    (failure,) = out["failures"]
    assert "plugin API 2" in failure[3] and "plugin API 1" in failure[3] and "future-persist 5.0" in failure[3]


def test_bad_hook_signature_is_a_recorded_failure(tmp_path: Path) -> None:
    source = "from praisonai_persist import hookimpl\n@hookimpl\ndef persist_register_stores(registry):\n    pass\n"
    root = make_distribution(
        tmp_path / "site", "typo-persist", "0.1", {GROUP: {"typo": "typo_persist.plugin"}},
        {"typo_persist.plugin": source},
    )
    out = report(root)
    (failure,) = out["failures"]
    assert failure[0] == "typo-persist" and "registry" in failure[3]


def test_import_and_discovery_load_no_database_client(tmp_path: Path) -> None:
    code = textwrap.dedent(
        """
        import sys
        import praisonai_persist as p
        assert "praisonai_persist.discovery" not in sys.modules, "discovery must not run at import"
        for kind in ("conversation", "knowledge", "state"):
            p.get_default_registry(kind).list_names()
        clients = ["sqlite3", "psycopg", "psycopg_pool", "pymysql", "aiomysql", "asyncmy", "redis", "qdrant_client",
                   "chromadb", "lancedb", "pymilvus", "pymongo", "motor", "boto3", "botocore", "google.cloud",
                   "sqlalchemy", "aiosqlite", "libsql", "libsql_experimental", "surrealdb", "clickhouse_connect",
                   "chdb", "pinecone", "weaviate", "cassandra", "couchbase", "azure.cosmos", "upstash_redis",
                   "numpy", "praisonai_persist.backends.sqlite", "rich", "click", "praisonai_persist.transfer"]
        loaded = [c for c in clients if c in sys.modules]
        print(loaded)
        """
    )
    assert run_python(code, acme(tmp_path / "site")).stdout.strip() == "[]"


def test_discovery_runs_once_across_threads(tmp_path: Path) -> None:
    code = textwrap.dedent(
        """
        import threading, praisonai_persist as p
        from praisonai_persist import discovery
        calls = []
        original = discovery._discover
        def counting(regs):
            calls.append(1); original(regs)
        discovery._discover = counting
        results = []
        barrier = threading.Barrier(8)
        def worker():
            barrier.wait(); results.append(tuple(p.get_default_registry("knowledge").list_names()))
        threads = [threading.Thread(target=worker) for _ in range(8)]
        [t.start() for t in threads]; [t.join() for t in threads]
        assert len(calls) == 1, calls
        assert len(set(results)) == 1 and "acme" in results[0], results
        print("ok")
        """
    )
    assert run_python(code, acme(tmp_path / "site")).stdout.strip() == "ok"


@pytest.mark.parametrize("cmd", [["backends"], ["backends", "--json"]])
def test_cli_backends_shows_plugin_errors(tmp_path: Path, cmd: list[str]) -> None:
    root = broken(acme(tmp_path / "site"))
    code = f"import sys; sys.argv = ['praisonai-persist', *{cmd!r}]\nfrom praisonai_persist.cli.main import main\nmain()"
    proc = run_python(code, root, check=False)
    assert proc.returncode == 0, proc.stderr
    if "--json" in cmd:
        data = json.loads(proc.stdout)
        assert [e["distribution"] for e in data["plugin_errors"]] == ["broken-persist"]
        acme_row = next(r for r in data["backends"] if r["name"] == "acme")
        assert acme_row["distribution"] == "acme-persist" and acme_row["installed"]
        # A catalogued backend with no plugin in this repository, so never installed here.
        pc = next(r for r in data["backends"] if r["name"] == "pinecone")
        assert pc["install"] == "pip install praisonai-persist-pinecone" and not pc["installed"]
    else:
        assert "acme-persist 1.2.3" in proc.stdout
        assert "broken-persist" in proc.stderr and "boom at import" in proc.stderr


CACHE_PROBE = textwrap.dedent(
    """
    import sys, praisonai_persist as p
    names = p.get_default_registry("knowledge").list_names()
    print(p.discovery_report().from_cache, "pluggy" in sys.modules, "importlib.metadata" in sys.modules, names)
    """
)


def test_discovery_cache_is_used_and_invalidated_by_installs(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = {"PRAISONAI_PERSIST_CACHE_DIR": str(tmp_path / "cache")}
    site.mkdir()
    first = run_python(CACHE_PROBE, site, env=env).stdout.split(maxsplit=3)
    assert first[0] == "False" and "'memory'" in first[3] and "acme" not in first[3]
    second = run_python(CACHE_PROBE, site, env=env).stdout.split(maxsplit=3)
    assert second[:3] == ["True", "False", "False"], "a warm start imports neither pluggy nor importlib.metadata"
    assert second[3] == first[3]
    acme(site)  # "installing" a plugin changes the directory, so the cache is stale
    third = run_python(CACHE_PROBE, site, env=env).stdout.split(maxsplit=3)
    assert third[0] == "False" and "'acme'" in third[3]
    fourth = run_python(CACHE_PROBE, site, env=env).stdout.split(maxsplit=3)
    assert fourth[0] == "True" and "'acme'" in fourth[3]
    code = "import praisonai_persist as p; s = p.create_knowledge_store('acme'); print(type(s).__name__)"
    assert run_python(code, site, env=env).stdout.strip() == "MemoryKnowledgeStore"


def test_editing_a_plugin_module_invalidates_the_cache(tmp_path: Path) -> None:
    """An editable install changes no sys.path directory when its plugin.py is edited."""
    site = acme(tmp_path / "site")
    env = {"PRAISONAI_PERSIST_CACHE_DIR": str(tmp_path / "cache")}
    run_python(CACHE_PROBE, site, env=env)
    assert run_python(CACHE_PROBE, site, env=env).stdout.startswith("True")
    plugin = site / "acme_persist" / "plugin.py"
    plugin.write_text(plugin.read_text().replace('"acme", "acme_persist', '"acme2", "acme_persist'))
    stat = plugin.stat()
    os.utime(plugin, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    os.utime(site, ns=(site.stat().st_atime_ns, site.stat().st_mtime_ns))  # the directory is unchanged
    out = run_python(CACHE_PROBE, site, env=env).stdout.split(maxsplit=3)
    assert out[0] == "False" and "'acme2'" in out[3]


def test_failures_are_never_cached(tmp_path: Path) -> None:
    root = broken(tmp_path / "site")
    env = {"PRAISONAI_PERSIST_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):
        out = report(root, env=env)
        assert len(out["failures"]) == 1 and len(out["warnings"]) == 1


def test_cache_can_be_switched_off(tmp_path: Path) -> None:
    env = {"PRAISONAI_PERSIST_CACHE_DIR": str(tmp_path / "cache"), "PRAISONAI_PERSIST_DISCOVERY_CACHE": "0"}
    for _ in range(2):
        assert run_python(CACHE_PROBE, env=env).stdout.startswith("False")
    assert not (tmp_path / "cache").exists()


def test_doctor_runs_checks_contributed_by_plugins(tmp_path: Path) -> None:
    source = ACME_PLUGIN + textwrap.dedent(
        """
        def _quota():
            raise RuntimeError("acme quota exhausted")

        @hookimpl
        def persist_doctor_checks():
            return [("acme reachable", lambda: "pong"), ("acme quota", _quota)]
        """
    )
    root = make_distribution(
        tmp_path / "site", "acme-persist", "1.2.3", {GROUP: {"acme": "acme_persist.plugin"}},
        {"acme_persist.plugin": source, "acme_persist.store": ACME_STORE},
    )
    code = "import sys; sys.argv = ['praisonai-persist', 'doctor', '--json']\nfrom praisonai_persist.cli.main import main\nmain()"
    for _ in range(2):  # the second run starts from the discovery cache: the hook module is imported on demand
        proc = run_python(code, root, check=False)
        assert proc.returncode == 1, proc.stderr
        checks = {c["check"]: c for c in json.loads(proc.stdout)["plugin_checks"]}
        assert checks["acme reachable"] == {"check": "acme reachable", "ok": True, "detail": "pong"}
        assert not checks["acme quota"]["ok"] and "quota exhausted" in checks["acme quota"]["detail"]
