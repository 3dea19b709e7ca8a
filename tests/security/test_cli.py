"""`sidecar security ...`, and `sidecar check` with a wrong or weak key: one line, no
traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sidecar import cli
from sidecar.db import database
from sidecar.fields import utcnow
from sidecar.models import Shop
from sidecar.models import WordPressUser
from sidecar.security import shop_keys

KEY = "k3Fq8Zr1Lw6Tn2Vb9Xc4Hm7Jd0Sp5Ga-Ye_Ku"


@pytest.fixture(name="installed")
def _installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A migrated install in tmp with an owner, configured through the environment."""
    monkeypatch.setenv("SIDECAR_SECRET_KEY", KEY)
    monkeypatch.setenv("SIDECAR_DATA_DIR", str(tmp_path))
    assert cli.main(["migrate"]) == 0
    password = tmp_path / "password.txt"
    password.write_text("ett långt lösenord")
    assert cli.main(["admin", "create", "--email", "a@example.se",
                     "--password-file", str(password)]) == 0
    return tmp_path


def test_a_pairing_code_from_the_command_line_redeems_once(
    installed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["security", "pairing-code"]) == 0
    code = re.search(r"([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", capsys.readouterr().out)[1]  # type: ignore[index]

    with database.connection_context():
        _, secrets = shop_keys.redeem_pairing_code(code, now=utcnow())
        assert secrets.link_secret and secrets.plugin_secret
        with pytest.raises(shop_keys.PairingRefused):
            shop_keys.redeem_pairing_code(code, now=utcnow())


def test_linking_a_wordpress_user(installed: Path) -> None:
    assert cli.main(["security", "link-wordpress-user", "0", "a@example.se"]) == 2
    assert cli.main(["security", "link-wordpress-user", "7", "A@example.se"]) == 0

    with database.connection_context():
        assert [u.wp_user for u in WordPressUser.select()] == [7]


def test_check_with_another_key_says_so_in_one_line(
    installed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with database.connection_context():
        assert Shop.select().count() == 1
    monkeypatch.setenv("SIDECAR_SECRET_KEY", "another-" + KEY)
    capsys.readouterr()

    code = cli.main(["check"])

    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert "cannot be decrypted" in err


def test_check_refuses_the_examples_placeholder(installed: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SIDECAR_SECRET_KEY", "change-me-to-at-least-32-random-characters")

    assert cli.main(["check"]) == 2
    assert "placeholder" in capsys.readouterr().err


def test_a_new_password_from_the_command_line_ends_the_sessions(
    installed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sidecar.models import Owner
    from sidecar.models import SecurityEvent

    weak, good = installed / "weak.txt", installed / "good.txt"
    weak.write_text("aaaaaaaaaaaa")
    good.write_text("ett annat långt lösenord")
    with database.connection_context():
        generation = Owner.get().session_generation

    assert cli.main(["security", "set-password", "a@example.se", "--password-file",
                     str(weak)]) == 1
    assert cli.main(["security", "set-password", "a@example.se", "--password-file",
                     str(good)]) == 0

    with database.connection_context():
        assert Owner.get().session_generation == generation + 1
        assert SecurityEvent.get(SecurityEvent.action == "security.password_changed").actor == "cli"
