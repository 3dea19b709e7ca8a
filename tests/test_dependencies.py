"""Dependencies: compatible upper bounds in pyproject.toml, and a lock file with hashes that
the Dockerfile and `make run` install."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]


def project() -> dict:  # type: ignore[type-arg]
    return dict(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"])


def declared() -> list[Requirement]:
    extras = [r for group in project()["optional-dependencies"].values() for r in group]
    return [Requirement(r) for r in [*project()["dependencies"], *extras]]


def locked() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) of requirements.lock."""
    pins = {}
    for block in re.split(r"\n(?=[a-z0-9])", (ROOT / "requirements.lock").read_text()):
        match = re.match(r"([A-Za-z0-9_.-]+)==([^\s\\]+)", block)
        if match:
            name = match[1].lower().replace("_", "-")
            pins[name] = (match[2], re.findall(r"--hash=sha256:(\w+)", block))
    return pins


def test_every_dependency_has_an_upper_bound() -> None:
    unbounded = [str(r) for r in declared()
                 if not any(s.operator in ("<", "<=", "~=", "==") for s in r.specifier)]
    assert unbounded == []


def test_the_lock_pins_every_runtime_dependency_within_its_range_with_hashes() -> None:
    pins = locked()
    for requirement in (Requirement(r) for r in project()["dependencies"]):
        name = requirement.name.lower().replace("_", "-")
        assert name in pins, name
        assert requirement.specifier.contains(Version(pins[name][0])), (name, pins[name][0])
    assert len(pins) > 20 and all(hashes for _, hashes in pins.values())


def test_requests_is_past_the_netrc_advisory() -> None:
    assert Version(locked()["requests"][0]) >= Version("2.32.4")


def test_the_dockerfile_and_make_run_install_the_lock_and_audit_is_apart() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    makefile = (ROOT / "Makefile").read_text()

    assert "--require-hashes -r requirements.lock" in dockerfile
    assert re.search(r"^run: \$\(VENV\)/\.locked", makefile, re.MULTILINE)
    assert "--require-hashes -r requirements.lock" in makefile
    assert "pip-audit --strict --requirement requirements.lock" in makefile
    test_target = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "audit" not in test_target
