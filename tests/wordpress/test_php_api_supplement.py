"""The supplement to the PHP API reference is what Debian's WordPress really declares.

ApiConformanceTest (PHPUnit) checks the plugin and its test doubles against
wp-plugin-stub/tests/fixtures/php-api/; this reads the supplement's names again, by reflection,
from the live WordPress."""

from __future__ import annotations

import json
import subprocess

import pytest

from sidecar.sim.process import ROOT
from tests.wordpress.site import WordPressSite

pytestmark = pytest.mark.slow

SUPPLEMENT = ROOT / "wp-plugin-stub/tests/fixtures/php-api/wordpress-6.1-debian-supplement.json"
DUMP = ROOT / "wp-plugin-stub/tests/php-api/dump-wordpress-api.php"


def test_the_stored_supplement_is_what_debians_wordpress_declares(
        wordpress: WordPressSite) -> None:
    done = subprocess.run(["php", str(DUMP), str(wordpress.root), str(SUPPLEMENT)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    fresh = json.loads(done.stdout)
    stored = json.loads(SUPPLEMENT.read_text(encoding="utf-8"))

    if fresh != stored:
        written = ROOT / "test-artifacts" / "php-api" / SUPPLEMENT.name
        written.parent.mkdir(parents=True, exist_ok=True)
        written.write_text(done.stdout, encoding="utf-8")
        pytest.fail(f"{SUPPLEMENT.name} differs from what WordPress {fresh['wordpress_version']} "
                    f"declares; the fresh file is {written}", pytrace=False)
    assert set(stored["functions"]) >= {"add_settings_section", "user_can", "set_transient"}
