"""`sidecar admin create`: an owner account from the command line, password never echoed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from werkzeug.security import check_password_hash

from sidecar import cli
from sidecar.db import database
from sidecar.models import Owner


@pytest.fixture(name="installed")
def _installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A migrated install in tmp, configured through the environment like the real one."""
    monkeypatch.setenv("SIDECAR_SECRET_KEY", "k3Fq8Zr1Lw6Tn2Vb9Xc4Hm7Jd0Sp5Ga-Ye_Ku")
    monkeypatch.setenv("SIDECAR_DATA_DIR", str(tmp_path))
    assert cli.main(["migrate"]) == 0
    return tmp_path


def owners() -> list[Owner]:
    with database.connection_context():
        return list(Owner.select())


def test_it_creates_an_owner_with_a_hashed_password_from_a_file(
    installed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    password_file = installed / "password.txt"
    password_file.write_text("ett långt lösenord\n", encoding="utf-8")

    code = cli.main(["admin", "create", "--email", "Ann@Example.se",
                     "--password-file", str(password_file)])

    assert code == 0
    assert "created owner ann@example.se for shop default" in capsys.readouterr().out
    [owner] = owners()
    assert owner.email == "ann@example.se"
    assert owner.password_hash.startswith(("scrypt:", "pbkdf2:"))
    assert "långt" not in owner.password_hash
    assert check_password_hash(owner.password_hash, "ett långt lösenord")


class Terminal(io.StringIO):
    """Standard input that is a terminal (getpass itself is replaced)."""

    def isatty(self) -> bool:
        return True


def test_it_asks_for_the_password_twice(installed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["ett långt lösenord", "ett långt lösenord"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    monkeypatch.setattr("sys.stdin", Terminal())

    assert cli.main(["admin", "create", "--email", "ann@example.se"]) == 0
    assert [o.email for o in owners()] == ["ann@example.se"]


def test_it_creates_nothing_when_the_two_passwords_differ(
    installed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter(["ett långt lösenord", "ett annat lösenord"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    monkeypatch.setattr("sys.stdin", Terminal())

    assert cli.main(["admin", "create", "--email", "ann@example.se"]) == 2
    assert "passwords differ" in capsys.readouterr().err
    assert owners() == []


def test_it_refuses_a_short_password_and_a_second_account_for_one_address(
    installed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    short, good = installed / "short.txt", installed / "good.txt"
    short.write_text("kort")
    good.write_text("ett långt lösenord")

    assert cli.main(["admin", "create", "--email", "a@example.se",
                     "--password-file", str(short)]) == 1
    assert "at least 12 characters" in capsys.readouterr().err
    assert cli.main(["admin", "create", "--email", "a@example.se",
                     "--password-file", str(good)]) == 0
    assert cli.main(["admin", "create", "--email", "A@example.se",
                     "--password-file", str(good)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert len(owners()) == 1
