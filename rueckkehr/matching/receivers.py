"""How matching answers the packages below it: confirmed registrations (the match mail), profiles being erased or
exported, and the self-service overview (the fair plan, the alert preferences, contact requests)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..employers.models import Employer
from ..extensions import db
from ..registrations import signals as registration_signals
from ..registrations.models import Registration
from ..returnees import signals as returnee_signals
from ..returnees.models import ConsentPurpose, ReturneeProfile
from .digests import forget_sent
from .fair_plan import fair_plans
from .models import ContactRequest
from .operations import preferences_of
from .pool_operations import sync_pool_cards
from .rounds import after_confirmation


@registration_signals.registration_confirmed.connect
def mail_matches(registration: Registration) -> None:
    """After the double opt-in: the vacancies that fit (with the returnee's consent), and a pool card at once."""
    after_confirmation(registration)
    if registration.profile.active_consent(ConsentPurpose.EMPLOYER_POOL) is not None:
        sync_pool_cards()


@returnee_signals.profile_erasing.connect
def forget_mailed(profile: ReturneeProfile, *, now: datetime) -> None:
    """What went to the erased returnee's address is forgotten, unless a job-alert subscription still goes there
    (cards, preferences, requests go with the profile)."""
    if profile.email is not None:  # a walk-in who gave none was never mailed
        forget_sent(profile.email, leaving=profile)


def _requests(profile: ReturneeProfile) -> list[tuple[ContactRequest, str]]:
    rows = db.session.execute(
        select(ContactRequest, Employer.name)
        .join(Employer, Employer.id == ContactRequest.employer_id)
        .where(ContactRequest.profile_id == profile.id)
        .order_by(ContactRequest.created_at.desc(), ContactRequest.id.desc())
    )
    return [(request, name) for request, name in rows]


@returnee_signals.profile_export.connect
def matching_in_export(profile: ReturneeProfile) -> dict[str, Any]:
    """The alert preferences and the contact requests of a returnee's data export."""
    preference = preferences_of(profile)
    return {
        "job_alerts": {"frequency": preference.frequency.value, "partner_list": preference.partner_list},
        "contact_requests": [
            {
                "employer": name,
                "status": request.status.value,
                "requested_at": request.created_at.isoformat(),
                "answered_at": request.answered_at.isoformat() if request.answered_at else None,
                "shared": request.shared,
            }
            for request, name in _requests(profile)
        ],
    }


@returnee_signals.selfservice_sections.connect
def matching_on_overview(profile: ReturneeProfile, *, token: str) -> list[returnee_signals.Section]:
    """The fair plan after the registrations, then the job alerts and the contact requests."""
    return [
        returnee_signals.Section(
            order=20,
            template="matching/_fair_plan_section.html",
            # without a field of their own (and no plan through a partner's) nothing can match: say what is missing
            context={"plans": fair_plans(profile), "needs_field": not profile.occupation_group_code},
        ),
        returnee_signals.Section(
            order=30,
            template="matching/_alerts_section.html",
            context={
                "alerts_on": profile.active_consent(ConsentPurpose.JOB_ALERTS) is not None,
                "contact_requests": _requests(profile),
            },
        ),
    ]
