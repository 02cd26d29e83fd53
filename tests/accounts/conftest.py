"""The employer factories serve the account tests too."""

from tests.employers.conftest import login, make_employer, make_stand, make_vacancy  # noqa: F401
