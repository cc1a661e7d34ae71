import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    # A request in an earlier test leaves its language active in this thread (LocaleMiddleware
    # activates one, nothing deactivates it): the messages here are asserted in the default Chinese.
    with translation.override(settings.LANGUAGE_CODE):
        yield
