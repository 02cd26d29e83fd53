"""The organizers' registration screens of an event: the list, one person, cancelling, and mails to the attendees.

Every route names the event first; an event of another town, or a registration of another event, is a 404. The
desk's screens (walk-ins, moving up) hang on the same blueprint from ``desk_views``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import escape
from sqlalchemy import Row, bindparam, select
from werkzeug.wrappers import Response

from ..accounts.access import MAX_ID, can_see_town, found, staff_required, visible_town_ids
from ..accounts.forms import ActionForm
from ..database import plain_rows
from ..events.manage import visible_event, visible_series_events
from ..events.models import Event, EventSeries
from ..forms import value_of
from ..i18n import requested_language
from ..mail.outbox import contact_town, queue_mail
from ..places.models import Venue
from . import history, list_html, list_pages, listing, operations
from .desk import takes_walk_ins
from .list_html import status_labels
from .mailings import (
    AlreadyQueuedError,
    EventMailing,
    MailingContent,
    NobodyToWriteToError,
    RepeatNotConfirmedError,
    audience_size,
    identical_mailing,
    mailings_of,
    message_context,
    preview_token,
    previewed,
    start_mailing,
)
from .manage_forms import AUDIENCE_CHOICES, NOBODY_REACHED, MailingForm
from .models import Registration
from .seats import waiting_ranks

bp = Blueprint("registrations_manage", __name__, url_prefix="/organizer/events/<int:event_id>")
series_bp = Blueprint("registrations_series", __name__, url_prefix="/organizer/series/<int:series_id>")


def registration_of(event: Event, registration_id: int) -> Registration:
    """A registration of this event, or a 404."""
    registration = found(Registration, registration_id)
    if registration.event_id != event.id:
        abort(404)
    return registration


# All the list page shows of its event (and the town it is checked against): read as one plain row, not as the
# event and its venue, which cost as much again as the rest of the log-in check.
_LISTED_EVENT = (
    select(Event.id, Event.title, Event.status, Venue.town_id, Event.ends_at)
    .join(Event.venue)
    .where(Event.id == bindparam("event_id"))
)


def listed_event(event_id: int) -> Row[Any]:
    """The row (``id``, ``title``, ``status``, ``town_id``, ``ends_at``) of an event of the organizer's towns, or a
    404 (as ``visible_event`` answers)."""
    row = plain_rows(_LISTED_EVENT, {"event_id": event_id}).one_or_none() if 0 < event_id <= MAX_ID else None
    if row is None or not can_see_town(row.town_id):
        abort(404)
    return row


@bp.get("/registrations")
@staff_required
def index(event_id: int) -> str:
    """The registrations of an event: search, filters that include or exclude, sorting, pages of 50.

    A page with rows is one statement, its event read with them. For an organizer the database checks first that
    the event is held in one of their towns (``list_pages.page_of``'s ``towns``): nothing of another town's event is
    searched, counted or paged, so neither the answer nor the work done before it tells anything about it. Where
    the page has no rows, the event is read and checked, then the last page is read if the page asked was beyond.
    """
    if not 0 < event_id <= MAX_ID:
        abort(404)
    filters = listing.parse_filter(request.args, [event_id], list_html.ListTexts.current().known)
    page = list_pages.page_of(filters, with_event=True, towns=visible_town_ids())
    event: Any = page.event
    if event is None:
        event = listed_event(event_id)
        page = list_pages.last_page(filters)
    walk_ins = takes_walk_ins(event.status, event.ends_at)  # offered only where the desk would seat someone
    return render_template(
        "registrations/manage/index.html", event=event, walk_ins=walk_ins, **_list_of([event], filters, page)
    )


def _list_of(
    events: Sequence[Any],
    filters: listing.RegistrationFilter | None = None,
    page: list_pages.RegistrationPage | None = None,
    titles: bool = False,
) -> dict[str, Any]:
    """What the list of these events' registrations shows (``_list.html``); ``titles`` names each row's event.

    :param events: the events (or rows with their ``id`` and ``title``).
    :param filters: the filter read from the URL, and ``page`` its page, where the caller read them already.
    """
    if filters is None:
        filters = listing.parse_filter(
            request.args, [event.id for event in events], list_html.ListTexts.current().known
        )
    if page is None:
        page = list_pages.page_of(filters)
    texts = list_html.ListTexts.current()
    language = requested_language()  # a person's link keeps a language the list's link asked for
    query = f"?lang={language}" if language else ""
    # Built once for the page, not once per row: a person's address is their event's list plus their id.
    event_lists = {
        event.id: str(escape(url_for("registrations_manage.index", event_id=event.id, lang=None))) for event in events
    }
    return {
        "filters": filters,
        "page": page,
        "sort_options": list_html.sort_options(filters, texts),
        "filter_fields": list_html.filter_fields(filters, texts),
        "rows": list_html.rows(
            page.registrations, texts, event_lists, {event.id: event.title for event in events} if titles else {}, query
        ),
        "list_url": url_for(request.endpoint or "", **(request.view_args or {})),
        "titles": titles,
    }


@series_bp.get("/registrations")
@staff_required
def series_index(series_id: int) -> str:
    """The registrations of a whole series (its events in the organizer's towns), with the filters of one event's."""
    series = found(EventSeries, series_id)  # shared by the towns; its events are not
    events = visible_series_events(series)
    return render_template(
        "registrations/manage/series.html", series=series, events=events, **_list_of(events, titles=True)
    )


@bp.get("/registrations/<int:registration_id>")
@staff_required
def person(event_id: int, registration_id: int) -> str:
    """One registration: the person, their consents and their mail history (subject, time, state; no bodies), of
    the reader's towns (``history.of_person``)."""
    event = visible_event(event_id)
    registration = registration_of(event, registration_id)
    profile = registration.profile
    consents, mails = history.of_person(profile.id, visible_town_ids())
    return render_template(
        "registrations/manage/person.html",
        event=event,
        registration=registration,
        profile=profile,
        consents=consents,
        mails=mails,
        rank=waiting_ranks([registration]).get(registration.id),
        status_labels=status_labels(),
        action_form=ActionForm(),
    )


def acted_on(event_id: int, registration_id: int) -> tuple[Event, Registration]:
    """The event and its registration an action button posted to (its form checked), or a 404 or 400."""
    event = visible_event(event_id)
    registration = registration_of(event, registration_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return event, registration


@bp.get("/registrations/<int:registration_id>/cancel")
@staff_required
def cancel_question(event_id: int, registration_id: int) -> str | Response:
    """Ask before cancelling: who it is, whether a mail tells them, what becomes of the seats."""
    event = visible_event(event_id)
    registration = registration_of(event, registration_id)
    if not registration.changeable:
        return redirect(url_for(".person", event_id=event.id, registration_id=registration.id), code=303)
    return render_template(
        "registrations/manage/cancel.html", event=event, registration=registration, action_form=ActionForm()
    )


@bp.post("/registrations/<int:registration_id>/cancel")
@staff_required
def cancel(event_id: int, registration_id: int) -> Response:
    """Cancel a registration; the person is told (if they gave an address), freed seats go to the waiting list."""
    event, registration = acted_on(event_id, registration_id)
    if not registration.changeable:  # a page from before: cancelled already, or the whole event called off
        flash(_("Diese Anmeldung lässt sich nicht mehr stornieren; niemand wurde benachrichtigt."), "info")
        return redirect(url_for(".person", event_id=event.id, registration_id=registration.id), code=303)
    told = bool(registration.profile.email)
    operations.cancel(registration.id)
    if told:
        flash(_("Die Anmeldung ist storniert; die Person ist benachrichtigt."), "success")
    else:
        flash(_("Die Anmeldung ist storniert. Die Person hat keine E-Mail-Adresse und erfährt es nicht."), "success")
    return redirect(url_for(".person", event_id=event.id, registration_id=registration.id), code=303)


def _previews(event: Event, form: MailingForm) -> list[dict[str, Any]]:
    """The mail as each language's recipients will read it (the personal link shown as a placeholder)."""
    previews = []
    texts = [("de", value_of(form.subject_de), value_of(form.body_de))]
    if value_of(form.body_en):
        texts.append(("en", value_of(form.subject_en) or value_of(form.subject_de), value_of(form.body_en)))
    town = event.venue.town
    contact = contact_town(town)  # as the outbox signs and answers the mail (``queue_mail``)
    for language, subject, body in texts:
        with force_locale(language):
            text = render_template(
                "email/event_message.txt",
                profile={"full_name": _("Vorname Nachname")},
                recipient_name=_("Vorname Nachname"),  # the layout's greeting names the person
                language=language,
                contact=contact,
                mail_town=town or contact,
                **message_context(event, subject, body, None),
            )
        previews.append({"language": language, "subject": subject, "text": text})
    return previews


def _test_mail(event: Event, form: MailingForm) -> None:
    """The mail to the organizer's own address, in every language it is written in, without a live link."""
    for preview in _previews(event, form):
        body = value_of(form.body_de) if preview["language"] == "de" else value_of(form.body_en)
        queue_mail(
            kind="registration.message_test",
            answer=True,
            recipient=current_user.email,
            recipient_name=current_user.full_name or None,
            template="event_message",
            language=preview["language"],
            town=event.venue.town,
            context={"profile": {"full_name": current_user.full_name or current_user.email}}
            | message_context(event, preview["subject"], body, None),
        )


def _send(event: Event, form: MailingForm, content: MailingContent) -> Response | None:
    """Queue the mailing when the organizer saw the preview of exactly this content; else None, and the page shows
    the preview (again) with the reason."""
    seen = previewed(value_of(form.preview_token), event.id, current_user.id)
    if seen is None:
        flash(_("Bitte sehen Sie sich zuerst die Vorschau an; gesendet wird erst danach."), "warning")
        return None
    if seen.digest != content.digest():
        flash(
            _(
                "Text oder Empfänger haben sich seit der Vorschau geändert. "
                "Prüfen Sie die neue Vorschau und senden Sie dann."
            ),
            "warning",
        )
        return None
    try:
        mailing = start_mailing(event.id, content, seen, again=bool(form.send_again.data))
    except RepeatNotConfirmedError:
        form.send_again.errors = [_("Bitte bestätigen Sie, dass alle diese E-Mail noch einmal erhalten sollen.")]
        return None
    except NobodyToWriteToError:  # the audience left since the form was checked
        form.audience.errors = [NOBODY_REACHED]
        return None
    except AlreadyQueuedError as error:
        flash(_already_queued(error.mailing), "info")
    else:
        flash(
            _("Die E-Mail geht an %(count)d Personen; sie wird nach und nach verschickt.", count=mailing.total),
            "success",
        )
    return redirect(url_for(".write", event_id=event.id), code=303)


def _already_queued(mailing: EventMailing) -> str:
    """Why a send did nothing: the identical mailing is on its way, or has gone out."""
    sent, total = mailing.sent, mailing.total
    if mailing.finished_at is None:
        return str(
            _(
                "Diese E-Mail ist schon unterwegs (%(sent)d von %(total)d verschickt); "
                "sie geht nicht noch einmal hinaus.",
                sent=sent,
                total=total,
            )
        )
    return str(
        _(
            "Diese E-Mail ist schon verschickt (%(sent)d von %(total)d); sie geht nicht noch einmal hinaus.",
            sent=sent,
            total=total,
        )
    )


@bp.route("/mail", methods=["GET", "POST"])
@staff_required
def write(event_id: int) -> str | Response | tuple[str, int]:
    """Write to the attendees: preview, a test mail to oneself, then send (in batches through the outbox).

    Only a preview offers the send, with a token of exactly the content it showed; a send with another content (or
    none) shows the preview again. The preview names an identical mailing sent before, which then needs a yes.
    """
    event = visible_event(event_id)
    sizes = {value: audience_size(event.id, value) for value, _label in AUDIENCE_CHOICES}
    form = MailingForm(sizes=sizes)  # an audience of nobody is an error beside its field
    previews: list[dict[str, Any]] = []
    token, earlier, refused = "", None, False
    if form.validate_on_submit():
        step = request.form.get("step")
        content = form.content()
        if step == "send":
            sent = _send(event, form, content)
            if sent is not None:
                return sent
            refused = True
        if step == "test":
            _test_mail(event, form)
            flash(_("Eine Testmail ist an %(email)s unterwegs.", email=current_user.email), "info")
        if not form.audience.errors:  # no preview, and no send, for an audience that is gone
            previews = _previews(event, form)
            earlier = identical_mailing(event.id, content)
            token = preview_token(event.id, current_user.id, content, earlier)
            form.send_again.data = False  # a yes is given to the preview on the page
    return render_template(
        "registrations/manage/write.html",
        event=event,
        form=form,
        previews=previews,
        preview_token=token,
        earlier=earlier,
        sizes=sizes,
        mailings=mailings_of(event.id),
    ), 422 if form.errors or refused else 200
