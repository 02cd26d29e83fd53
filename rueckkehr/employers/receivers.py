"""How employers answers the packages below it: the exhibitors of an event page and their schema.org sponsors (events),
the town of a company's user (accounts)."""

from __future__ import annotations

from typing import Any

from ..accounts import signals as account_signals
from ..accounts.models import User
from ..events import signals as event_signals
from ..events.models import Event
from ..extensions import db
from ..places.models import Town
from .models import Employer
from .queries import confirmed_exhibitors
from .rendering import organization


@event_signals.event_page.connect
def exhibitors_on_event_page(event: Event) -> dict[str, Any]:
    """The approved employers with a confirmed stand, for the page and its structured data."""
    exhibitors = confirmed_exhibitors(event.id)
    return {"exhibitors": exhibitors, "sponsors": [organization(employer) for employer in exhibitors]}


@account_signals.user_town.connect
def company_town(user: User) -> Town | None:
    """A company's user belongs to the company's town."""
    employer = db.session.get(Employer, user.employer_id) if user.employer_id is not None else None
    return employer.town if employer is not None else None
