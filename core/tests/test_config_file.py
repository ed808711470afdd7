"""PersistenceConfig from the environment, dicts and YAML / TOML / JSON files; errors name the field."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from praisonai_persist import ConfigError, PersistenceConfig, SessionConfig
from praisonai_persist.config import get_env_var, list_available_backends

TOML = """
[persistence]
conversation_store = "postgres"
conversation_url = "postgresql://app:s3cret-pw@db:5432/app"
state_store = "memory"
lazy_init = false

[persistence.conversation_options]
table_prefix = "app_"
max_retries = 5

[persistence.session]
mirror_runtime_state = true
max_runtime_turns = 10
"""

YAML = """
persistence:
  conversation_url: sqlite:///chat.db
  knowledge_store: memory
  knowledge_options:
    api_key: sk-very-secret
  session:
    history_limit: 50
"""


def test_from_toml_file(tmp_path: Path) -> None:
    path = tmp_path / "persist.toml"
    path.write_text(TOML)
    cfg = PersistenceConfig.from_file(path)
    assert cfg.conversation_store == "postgres" and cfg.state_store == "memory" and cfg.lazy_init is False
    assert cfg.conversation_options == {"table_prefix": "app_", "max_retries": 5}
    assert cfg.session_config() == SessionConfig(mirror_runtime_state=True, max_runtime_turns=10)
    assert PersistenceConfig.from_toml(path) == cfg
    assert cfg.store_spec("conversation") == ("postgres", "postgresql://app:s3cret-pw@db:5432/app",
                                              {"table_prefix": "app_", "max_retries": 5})


def test_from_yaml_file(tmp_path: Path) -> None:
    import yaml  # noqa: F401  (the [yaml] extra of core; tools/test.sh installs core[yaml])
    path = tmp_path / "persist.yaml"
    path.write_text(YAML)
    cfg = PersistenceConfig.from_yaml(path)
    assert cfg.conversation_url == "sqlite:///chat.db" and cfg.knowledge_store == "memory"
    assert cfg.session_config().history_limit == 50
    assert PersistenceConfig.from_file(path) == cfg


def test_from_json_file_top_level(tmp_path: Path) -> None:
    path = tmp_path / "persist.json"
    path.write_text('{"state_store": "memory", "user_id": "u1"}')
    assert PersistenceConfig.from_file(path) == PersistenceConfig(state_store="memory", user_id="u1")
    empty = tmp_path / "empty.json"
    empty.write_text("")
    assert PersistenceConfig.from_file(empty) == PersistenceConfig()


def test_missing_pyyaml_names_the_install_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "persist.yml"
    path.write_text(YAML)
    monkeypatch.setitem(sys.modules, "yaml", None)  # import yaml now raises ImportError
    with pytest.raises(ConfigError, match=r"pip install 'praisonai-persist\[yaml\]'"):
        PersistenceConfig.from_file(path)


def test_file_errors_name_the_file_and_field(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Cannot read config file"):
        PersistenceConfig.from_file(tmp_path / "absent.toml")
    ini = tmp_path / "persist.ini"
    ini.write_text("x")
    with pytest.raises(ConfigError, match=r"\.toml, \.yaml"):
        PersistenceConfig.from_file(ini)
    bad = tmp_path / "bad.toml"
    bad.write_text('conversation_url = "postgresql://u:hunter22@h/db"\nthis is not toml\n')
    with pytest.raises(ConfigError, match="not valid TOML") as info:
        PersistenceConfig.from_file(bad)
    assert "hunter22" not in str(info.value)
    typo = tmp_path / "typo.toml"
    typo.write_text('[persistence]\nconversation_stor = "sqlite"\n')
    with pytest.raises(ConfigError, match="conversation_stor") as info:
        PersistenceConfig.from_file(typo)
    assert "typo.toml" in str(info.value)
    wrong_type = tmp_path / "type.toml"
    wrong_type.write_text('[persistence]\nstate_url = 5\n')
    with pytest.raises(ConfigError, match="state_url must be a string"):
        PersistenceConfig.from_file(wrong_type)
    bad_session = tmp_path / "session.toml"
    bad_session.write_text('[persistence.session]\nmax_runtime_turns = 0\n')
    with pytest.raises(ConfigError, match="max_runtime_turns"):
        PersistenceConfig.from_file(bad_session)
    not_a_mapping = tmp_path / "list.json"
    not_a_mapping.write_text("[1, 2]")
    with pytest.raises(ConfigError, match="mapping"):
        PersistenceConfig.from_file(not_a_mapping)


def test_invalid_yaml_does_not_echo_the_file(tmp_path: Path) -> None:
    import yaml  # noqa: F401  (the [yaml] extra of core; tools/test.sh installs core[yaml])
    path = tmp_path / "bad.yaml"
    path.write_text("conversation_url: postgresql://u:hunter22@h/db\n  - : [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML at line") as info:
        PersistenceConfig.from_file(path)
    assert "hunter22" not in str(info.value)


def test_from_env_names_options_and_switches() -> None:
    env = {
        "PRAISONAI_CONVERSATION_URL": "postgresql://u:pw@h/db",
        "PRAISON_KNOWLEDGE_URL": "http://qdrant:6333",
        "PRAISONAI_STATE_STORE": "redis",
        "PRAISON_STATE_URL": "redis://localhost:6379/3",
        "PRAISONAI_CONVERSATION_OPTIONS": '{"table_prefix": "env_"}',
        "PRAISONAI_AUTO_CREATE_TABLES": "false",
        "PRAISONAI_LAZY_INIT": "0",
        "PRAISONAI_MIRROR_RUNTIME_STATE": "yes",
        "PRAISONAI_USER_ID": "u9",
    }
    cfg = PersistenceConfig.from_env(env)
    assert cfg.conversation_url == "postgresql://u:pw@h/db" and cfg.knowledge_url == "http://qdrant:6333"
    assert (cfg.state_store, cfg.state_url) == ("redis", "redis://localhost:6379/3")
    assert cfg.conversation_options == {"table_prefix": "env_"}
    assert cfg.auto_create_tables is False and cfg.lazy_init is False and cfg.user_id == "u9"
    assert cfg.session_config().mirror_runtime_state is True
    assert cfg.store_spec("conversation")[2] == {"table_prefix": "env_", "auto_create_tables": False}
    # PRAISONAI_* wins over the CLI's PRAISON_* name.
    both = {"PRAISONAI_STATE_URL": "redis://a/0", "PRAISON_STATE_URL": "redis://b/0"}
    assert PersistenceConfig.from_env(both).state_url == "redis://a/0"
    assert get_env_var("state_url", environ=both) == "redis://a/0"
    assert get_env_var("nothing_here", "dflt", environ={}) == "dflt"


def test_from_env_bad_values_name_the_variable() -> None:
    with pytest.raises(ConfigError, match="PRAISONAI_STATE_OPTIONS"):
        PersistenceConfig.from_env({"PRAISONAI_STATE_OPTIONS": "{not json"})
    with pytest.raises(ConfigError, match="PRAISONAI_KNOWLEDGE_OPTIONS"):
        PersistenceConfig.from_env({"PRAISONAI_KNOWLEDGE_OPTIONS": "[1]"})
    with pytest.raises(ConfigError, match="PRAISONAI_LAZY_INIT"):
        PersistenceConfig.from_env({"PRAISONAI_LAZY_INIT": "maybe"})


def test_validation_names_the_field() -> None:
    with pytest.raises(ConfigError, match="conversation_options keys"):
        PersistenceConfig(conversation_options={1: "x"})  # type: ignore[dict-item]
    with pytest.raises(ConfigError, match="state_options has a 'url'"):
        PersistenceConfig(state_url="redis://h/0", state_options={"url": "redis://other/0"})
    with pytest.raises(ConfigError, match="session: .*bogus"):
        PersistenceConfig(session={"bogus": True})
    with pytest.raises(ConfigError, match="lazy_init"):
        PersistenceConfig(lazy_init="yes")  # type: ignore[arg-type]
    assert PersistenceConfig(conversation_url="").conversation_url is None
    assert PersistenceConfig(session=SessionConfig(history_limit=3)).session["history_limit"] == 3  # type: ignore[arg-type]


def test_repr_masks_secrets() -> None:
    cfg = PersistenceConfig(
        conversation_url="postgresql://app:pg-secret-1@db/app",
        state_url="redis://:redis-secret-2@cache:6379/0",
        knowledge_options={"api_key": "sk-secret-3", "url_hint": "https://user:pw-secret-4@vec", "dim": 3},
    )
    text = repr(cfg)
    for secret in ("pg-secret-1", "redis-secret-2", "sk-secret-3", "pw-secret-4"):
        assert secret not in text
    assert "'dim': 3" in text and "db/app" in text


def test_dict_round_trip_and_backend_listing() -> None:
    cfg = PersistenceConfig(conversation_store="sqlite", session={"mirror_runtime_state": True})
    assert PersistenceConfig.from_dict(cfg.to_dict()) == cfg
    names = list_available_backends()
    assert "sqlite" in names["conversation"] and "memory" in names["state"] and "memory" in names["knowledge"]
