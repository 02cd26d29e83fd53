"""Every mail of matching, queued in the outbox in the recipient's language: matches after a confirmation, job-alert
digests, the subscription's double opt-in, contact requests and their answers, the employers' pool digest.

Mails to returnees go through ``returnees.notifications.send``; alerts carry a one-click unsubscribe
(``List-Unsubscribe`` with ``List-Unsubscribe-Post``) and a link to the preferences.
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import force_locale
from markupsafe import Markup

from ..accounts.models import User
from ..employers.models import Employer
from ..events.models import Event
from ..i18n import alphabetical
from ..mail.frames import Varying
from ..mail.outbox import queue_mail
from ..mail.round import MailRound
from ..returnees import notifications as returnee_mail
from ..returnees.links import manage_token, manage_url
from ..returnees.models import ReturneeProfile
from ..urls import mail_url
from .digests import Selection
from .links import subscription_url, unsubscribe_url
from .models import AlertSubscription, ContactRequest
from .scoring import Match

Rendered = dict[tuple[Any, ...], tuple[Any, Any]]  # an item by its content, or (the match, the item) by the match
_BY_MATCH = "by match"


def _items(
    selection: Selection,
    stands: dict[int, Event],
    language: str,
    titles: dict[int, tuple[str, str]],
    exhibitors: frozenset[int] = frozenset(),
    rendered: Rendered | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """The lists of a mail as plain values: vacancy, link, rating, reasons, the employer's coming stand, and the
    item as the mail shows it (``rendered``: the items a round rendered before, by language and content)."""
    known: Rendered = {} if rendered is None else rendered
    return {
        kind: [
            mail_item(match, stands, language, titles[match.offer.id], match.offer.employer_id in exhibitors, known)
            for match in matches
        ]
        for kind, matches in selection.lists.items()
    }


def mail_item(
    match: Match,
    stands: dict[int, Event],
    language: str,
    title: tuple[str, str],
    at_event: bool = False,
    rendered: Rendered | None = None,
) -> dict[str, Any]:
    """One match as a mail shows it, its links opening in the reader's ``language``: ``text`` and ``html`` are the
    item rendered in that language (``email/_match_item.*``), once for every mail of a round that shows the same
    vacancy with the same reasons."""
    event = stands.get(match.offer.employer_id)
    key = (language, match.offer.id, title, match.rating, match.reasons, match.missing, event.id if event else None)
    known: Rendered = {} if rendered is None else rendered
    if key not in known:
        values = {
            "match": match,
            "title": title[0],
            "employer": title[1],
            "url": mail_url("jobs_board.detail", language, vacancy_id=match.offer.id),
            "event": event,
            "event_url": mail_url("events.detail", language, event_id=event.id) if event is not None else None,
        }
        with force_locale(language):
            text = render_template("email/_match_item.txt", **values)
            html = Markup(render_template("email/_match_item.html", **values))  # noqa: S704 - rendered escaped
        known[key] = (text, html)
    text, html = known[key]
    return {"match": match, "event": event, "at_event": at_event, "text": text, "html": html}


def matches_after_confirmation(
    profile: ReturneeProfile,
    event: Event,
    selection: Selection,
    titles: dict[int, tuple[str, str]],
    stands: dict[int, Event],
    exhibitors: frozenset[int],
    *,
    at_event: bool,
) -> None:
    """The vacancies that fit, after a registration was confirmed; the event's exhibitors first.

    :param at_event: the registration holds a seat (not a waiting place): "Diese Arbeitgeber treffen Sie am …".
    """
    returnee_mail.send(
        "matching.after_confirmation",
        profile,
        "matching_after_confirmation",
        town=event.venue.town,
        list_unsubscribe=unsubscribe_url(profile),
        event=event,
        at_event=at_event,
        exhibitor_names=sorted(
            {titles[match.offer.id][1] for matches in selection.lists.values() for match in matches}
            & {titles[match.offer.id][1] for match in _all_matches(selection) if match.offer.employer_id in exhibitors},
            key=alphabetical,
        ),
        lists=_items(selection, stands, profile.language, titles, exhibitors),
        titles=titles,
        more=selection.more,
        more_url=mail_url("matching_selfservice.matches", profile.language, token=manage_token(profile)),
        preferences_url=mail_url("matching_selfservice.preferences", profile.language, token=manage_token(profile)),
        unsubscribe_url=unsubscribe_url(profile),
    )


def _all_matches(selection: Selection) -> list[Match]:
    return [match for matches in selection.lists.values() for match in matches]


def _framed_items(
    selection: Selection,
    stands: dict[int, Event],
    language: str,
    titles: dict[int, tuple[str, str]],
    rendered: Rendered | None,
) -> dict[str, list[dict[str, Varying]]]:
    """The lists of a digest as its templates use them: each item as text and HTML, which differ from mail to mail
    of a round (``mail.frames``). A round's mails show the very same matches again and again (``Round.ranked``):
    their items are looked up by the match first (the match kept with them), by their content only when new."""
    known: Rendered = {} if rendered is None else rendered
    lists = {}
    for kind, matches in selection.lists.items():
        items = []
        for match in matches:
            shown = known.get((_BY_MATCH, language, id(match)))
            if shown is None or shown[0] is not match:
                item = mail_item(match, stands, language, titles[match.offer.id], rendered=known)
                shown = (match, {"text": Varying(item["text"]), "html": Varying(item["html"])})
                known[_BY_MATCH, language, id(match)] = shown
            items.append(shown[1])
        lists[kind] = items
    return lists


def digest_to_returnee(
    profile: ReturneeProfile,
    selection: Selection,
    titles: dict[int, tuple[str, str]],
    stands: dict[int, Event],
    rendered: Rendered | None = None,
    mails: MailRound | None = None,
) -> None:
    """A job-alert digest to a returnee (``rendered``: the items the round rendered before; ``mails``: the round's
    mails, whose bodies are rendered once and filled in with each mail's name, links and items)."""
    token, unsubscribe = manage_token(profile), unsubscribe_url(profile)  # signed once for every link of the mail
    returnee_mail.send(
        "matching.digest",
        profile,
        "matching_digest",
        list_unsubscribe=unsubscribe,
        mails=mails,
        lists=_framed_items(selection, stands, profile.language, titles, rendered),
        more=selection.more,
        more_url=Varying(mail_url("matching_selfservice.matches", profile.language, token=token)),
        preferences_url=Varying(mail_url("matching_selfservice.preferences", profile.language, token=token)),
        unsubscribe_url=Varying(unsubscribe),
        manage_url=Varying(manage_url(profile, token)),
    )


def digest_to_subscriber(
    subscription: AlertSubscription,
    selection: Selection,
    titles: dict[int, tuple[str, str]],
    stands: dict[int, Event],
    rendered: Rendered | None = None,
    mails: MailRound | None = None,
) -> None:
    """A job-alert digest to someone who subscribed on /jobs (``rendered``: the items the round rendered before;
    ``mails``: the round's mails)."""
    unsubscribe = unsubscribe_url(subscription)
    values: dict[str, Any] = {
        "kind": "matching.digest",
        "recipient": subscription.email,
        "template": "matching_digest_subscriber",
        "language": subscription.language,
        "list_unsubscribe": unsubscribe,
        "context": {
            "lists": _framed_items(selection, stands, subscription.language, titles, rendered),
            "more": selection.more,
            "more_url": Varying(
                mail_url(
                    "jobs_board.index",
                    subscription.language,
                    field=subscription.occupation_group_code,
                    level=subscription.skill_level or None,
                )
            ),
            "preferences_url": Varying(subscription_url("alerts.preferences", subscription)),
            "unsubscribe_url": Varying(unsubscribe),
        },
    }
    if mails is not None:
        mails.queue(**values)
    else:
        queue_mail(**values)


def confirm_subscription(subscription: AlertSubscription) -> None:
    """The double opt-in of a job alert: a link to a page with a button."""
    queue_mail(
        kind="matching.subscription_confirm",
        answer=True,
        recipient=subscription.email,
        template="matching_subscription_confirm",
        language=subscription.language,
        context={"subscription": subscription, "confirm_url": subscription_url("alerts.confirm", subscription)},
    )


def contact_requested(request: ContactRequest, employer: Employer) -> None:
    """An employer would like to get in touch: the returnee answers on a page behind their own link."""
    profile = request.profile
    returnee_mail.send(
        "matching.contact_request",
        profile,
        "matching_contact_request",
        town=employer.town,
        employer=employer,
        contact_request=request,
        answer_url=mail_url(
            "matching_selfservice.contact", profile.language, token=manage_token(profile), request_id=request.id
        ),
        manage_url=manage_url(profile),
    )


def contact_accepted(request: ContactRequest, employer: Employer, users: list[User], details: dict[str, str]) -> None:
    """The returnee agreed: the employer's users get what the returnee chose to share, nothing else."""
    for user in users:
        queue_mail(
            kind="matching.contact_accepted",
            recipient=user.email,
            recipient_name=user.full_name or None,
            template="matching_contact_accepted",
            language=user.language,
            town=employer.town,
            context={
                "user": user,
                "employer": employer,
                "details": details,
                "account_url": mail_url("company_area.dashboard", user.language),
            },
        )


def pool_digest(user: User, employer: Employer, cards: list[dict[str, Any]]) -> None:
    """The weekly links to new pool cards that match the employer's vacancies (links, not profiles)."""
    queue_mail(
        kind="matching.pool_digest",
        recipient=user.email,
        recipient_name=user.full_name or None,
        template="matching_pool_digest",
        language=user.language,
        town=employer.town,
        list_unsubscribe=unsubscribe_url(user),
        context={
            "user": user,
            "employer": employer,
            "cards": cards,
            "pool_url": mail_url("pool.index", user.language),
            "unsubscribe_url": unsubscribe_url(user),
        },
    )
