"""The owner pages' fixtures, shared with the security tests."""

from tests.web.conftest import _app  # noqa: F401
from tests.web.conftest import _background_runs_end  # noqa: F401
from tests.web.conftest import _client  # noqa: F401
from tests.web.conftest import _owner  # noqa: F401
from tests.web.conftest import _signed_in  # noqa: F401
from tests.web.conftest import _web_shop  # noqa: F401
