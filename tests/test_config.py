"""Deploy-time configuration: parsed once, strictly, with one line naming what is wrong."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sidecar.config import VARIABLES
from sidecar.config import Config
from sidecar.config import ConfigError

ROOT = Path(__file__).resolve().parent.parent
KEY = "k3Fq8Zr1Lw6Tn2Vb9Xc4Hm7Jd0Sp5Ga-Ye_Ku"


def parse(**env: str) -> Config:
    return Config.from_env({"SIDECAR_SECRET_KEY": KEY, **env})


def test_it_has_safe_defaults_that_need_no_accounts(tmp_path: Path) -> None:
    config = parse(SIDECAR_DATA_DIR=str(tmp_path))

    assert config.database_url == f"sqlite:///{tmp_path / 'sidecar.db'}"
    assert config.bind == "127.0.0.1:8000"
    assert config.public_url == "http://127.0.0.1:8000"
    assert (config.debug, config.scheduler_enabled, config.log_level) == (False, True, "INFO")


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"SIDECAR_SECRET_KEY": ""}, "SIDECAR_SECRET_KEY"),
        ({"SIDECAR_SECRET_KEY": "short"}, "SIDECAR_SECRET_KEY"),
        ({"SIDECAR_DEBUG": "maybe"}, "SIDECAR_DEBUG"),
        ({"SIDECAR_DEBUG": "1"}, "SIDECAR_DEBUG"),
        ({"SIDECAR_DATABASE_URL": "not a url"}, "SIDECAR_DATABASE_URL"),
        ({"DATABASE_URL": "oracle://db/x"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://"}, "DATABASE_URL"),
        ({"DATABASE_URL": "sqlite://"}, "DATABASE_URL"),
        ({"SIDECAR_DATABASE_URL": "sqlite:///a.db", "DATABASE_URL": "sqlite:///b.db"},
         "SIDECAR_DATABASE_URL"),
        ({"SIDECAR_BIND": "8000"}, "SIDECAR_BIND"),
        ({"SIDECAR_THREADS": "many"}, "SIDECAR_THREADS"),
        ({"SIDECAR_THREADS": "0"}, "SIDECAR_THREADS"),
        ({"SIDECAR_WORKERS": "0"}, "SIDECAR_WORKERS"),
        ({"SIDECAR_WORKERS": "two"}, "SIDECAR_WORKERS"),
        ({"SIDECAR_LOG_LEVEL": "loud"}, "SIDECAR_LOG_LEVEL"),
        ({"SIDECAR_PUBLIC_URL": "ftp://x"}, "SIDECAR_PUBLIC_URL"),
        ({"SIDECAR_DEBGU": "true"}, "SIDECAR_DEBGU"),
    ],
)
def test_it_names_the_variable_that_is_wrong(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(**env)

    assert str(caught.value).startswith(f"{variable}:")


def test_secrets_can_come_from_files(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(KEY + "\n")

    config = Config.from_env({"SIDECAR_SECRET_KEY_FILE": str(key_file)})

    assert config.secret_key == KEY
    with pytest.raises(ConfigError, match=r"^SIDECAR_SECRET_KEY_FILE: cannot read"):
        Config.from_env({"SIDECAR_SECRET_KEY_FILE": str(tmp_path / "missing")})
    with pytest.raises(ConfigError, match="either SIDECAR_SECRET_KEY or"):
        Config.from_env({"SIDECAR_SECRET_KEY": KEY, "SIDECAR_SECRET_KEY_FILE": str(key_file)})


def test_the_example_env_file_documents_every_variable() -> None:
    example = (ROOT / "config" / "sidecar.env.example").read_text()
    documented = set(re.findall(r"^#?\s*(SIDECAR_[A-Z_]+)=", example, re.MULTILINE))

    assert documented == set(VARIABLES)


def test_the_readme_table_lists_every_variable() -> None:
    readme = (ROOT / "README.md").read_text()

    missing = [name for name in VARIABLES if f"`{name}`" not in readme]
    assert missing == []


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({}, "SIDECAR_SECRET_KEY"),
        ({"SIDECAR_SECRET_KEY": KEY, "DATABASE_URL": "postgres//nohost"}, "DATABASE_URL"),
        ({"SIDECAR_SECRET_KEY": KEY, "SIDECAR_DEBUG": "maybe"}, "SIDECAR_DEBUG"),
    ],
)
@pytest.mark.parametrize("command", ["serve", "check", "migrate"])
def test_the_cli_exits_with_one_line_naming_the_variable(
    tmp_path: Path, env: dict[str, str], variable: str, command: str
) -> None:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("SIDECAR_") and k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "sidecar.cli", command],
        env={**clean, "SIDECAR_DATA_DIR": str(tmp_path), **env},
        capture_output=True, text=True, timeout=60, check=False,
    )

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert not (tmp_path / "sidecar.db").exists()


@pytest.mark.parametrize("key", ["change-me-to-at-least-32-random-characters", "x" * 40,
                                 "abababababababababababababababab"])
def test_a_placeholder_or_guessable_secret_key_is_refused(key: str) -> None:
    with pytest.raises(ConfigError, match="SIDECAR_SECRET_KEY"):
        Config.from_env({"SIDECAR_SECRET_KEY": key})


def test_a_random_secret_key_is_accepted() -> None:
    import secrets

    assert Config.from_env({"SIDECAR_SECRET_KEY": secrets.token_urlsafe(32)}).secret_key
    assert Config.from_env({"SIDECAR_SECRET_KEY": secrets.token_hex(16)}).secret_key
