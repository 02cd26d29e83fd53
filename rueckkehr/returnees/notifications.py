"""Every mail about a returnee's profile, in the returnee's language, queued in the outbox.

``send`` is the one way a mail reaches a returnee; registrations' mails go through it too.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from ..events.models import Event
from ..mail.models import OutboxMessage
from ..mail.outbox import AlternativePart, Attachment, queue_mail
from ..mail.round import MailRound
from ..places.models import Town
from ..urls import mail_url
from .links import manage_token, manage_url, unsubscribe_url
from .models import ConsentPurpose, ReturneeProfile


def send(
    kind: str,
    profile: ReturneeProfile,
    template: str,
    language: str | None = None,
    *,
    alternatives: list[AlternativePart] | None = None,
    attachments: list[Attachment] | None = None,
    town: Town | None = None,
    list_unsubscribe: str | None = None,
    outlives_erasure: bool = False,
    answer: bool = False,
    mails: MailRound | None = None,
    **context: object,
) -> OutboxMessage | None:
    """Queue a mail to a returnee, in their language unless ``language`` says otherwise (its outbox row); nothing for
    a walk-in who gave no address.

    :param town: the town the mail is about (its event's); without one, the returnee's former hometown.
    :param list_unsubscribe: the one-click unsubscribe address (RFC 8058) of a mail the returnee did not ask for by
        an action: alerts, news of future days.
    :param outlives_erasure: the last mail of an erasure: it is not deleted with the returnee's other mails, and
        the outbox forgets it once it went out.
    :param answer: the mail answers the returnee's own action just now; every other mail carries the self-service
        link (``manage_url``), added here when the caller did not give it.
    :param mails: the round of such mails this one is part of (``mail.round.MailRound``): the templates then get
        no ``profile`` (it differs from mail to mail), only what ``context`` holds, marking what differs as
        ``Varying``; nothing is returned then (the row is inserted with others of the round).
    """
    if profile.email is None:
        return None
    if not answer and "manage_url" not in context:
        context["manage_url"] = manage_url(profile)
    mail: dict[str, Any] = {
        "kind": kind,
        "recipient": profile.email,
        "recipient_name": profile.full_name or None,
        "template": template,
        "language": language or profile.language,
        "profile_id": None if outlives_erasure else profile.id,
        "town": town or profile.hometown,
        "list_unsubscribe": list_unsubscribe,
        "forget_when_sent": outlives_erasure,
        "answer": answer,
    }
    mail.update(alternatives=alternatives or (), attachments=attachments or ())
    if mails is not None:
        mails.queue(context=context, **mail)
        return None
    return queue_mail(context={"profile": profile, **context}, **mail)


def manage_link(profile: ReturneeProfile) -> None:
    """Send the self-service link (on request, or after revoking the old ones)."""
    send("profile.manage_link", profile, "profile_manage_link", answer=True, manage_url=manage_url(profile))


def action_code(profile: ReturneeProfile, code: str, action: str) -> None:
    """Send the one-time code that unlocks a data export or an erasure."""
    send("profile.action_code", profile, "profile_action_code", answer=True, code=code, action=action)


def code_guessed(profile: ReturneeProfile, action: str) -> None:
    """Tell the owner that a code for their data was entered wrongly five times and no longer works."""
    send("profile.code_guessed", profile, "profile_code_guessed", action=action, manage_url=manage_url(profile))


def reconfirm_consents(profile: ReturneeProfile) -> None:
    """Ask, once a year, whether the running consents (job alerts, employer pool, news) should go on."""
    send(
        "profile.reconfirm_consents",
        profile,
        "profile_reconfirm_consents",
        reconfirm_url=mail_url("selfservice.reconfirm", profile.language, token=manage_token(profile)),
        grace_days=current_app.config["CONSENT_RECONFIRM_GRACE_DAYS"],
    )


def news_of_events(profile: ReturneeProfile, events: list[Event]) -> None:
    """New Rückkehrertage are published: the invitation for those who asked for news, with one-click unsubscribe."""
    unsubscribe = unsubscribe_url(profile, ConsentPurpose.NEWS)
    send(
        "profile.news",
        profile,
        "news_new_events",
        town=events[0].venue.town if len(events) == 1 else None,
        list_unsubscribe=unsubscribe,
        events=events,
        event_urls={event.id: mail_url("events.detail", profile.language, event_id=event.id) for event in events},
        unsubscribe_url=unsubscribe,
        manage_url=manage_url(profile),
    )
