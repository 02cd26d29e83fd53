"""A round of digests renders each shape of mail once and fills in names, links and items (``mail.frames``): the mails
read exactly as if each had been rendered alone, in German and in English, with names escaped in HTML; a template
that changes a varying value is never made of frames."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask, template_rendered
from flask_babel import force_locale
from jinja2 import ChoiceLoader, DictLoader, Template
from markupsafe import Markup, escape

from rueckkehr.mail.frames import Frames, Varying, plain, render_bodies
from rueckkehr.matching.rounds import send_digests
from rueckkehr.places.models import Town
from tests.support.smtp import SMTPServer
from tests.support.units import committed

NAMES = ['Jana <b>Müller</b> & "Söhne"', "Eva", None, "Zoë O'Brien", "=?utf-8?q?x?= Bcc"]


@contextmanager
def rendered_templates(app: Flask) -> Iterator[list[str]]:
    """The names of the templates Flask renders meanwhile."""
    names: list[str] = []

    def note(_sender: Flask, template: Template, **_extra: Any) -> None:
        names.append(str(template.name))

    template_rendered.connect(note, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(note, app)


def digest_context(number: int, name: str | None, town: Town, items: int, more: int) -> dict[str, Any]:
    """A digest's context as ``notifications.digest_to_returnee`` builds it, with values of its own."""
    link = f"http://rueckkehr.test/me/token{number}"
    return {
        "lists": {
            "own": [
                {
                    "text": Varying(f"- Stelle {number}.{item} & Co"),
                    "html": Varying(Markup(f"<li>{number}.{item}</li>")),  # noqa: S704 - no user text
                }
                for item in range(items)
            ]
        },
        "more": more,
        "more_url": Varying(f"{link}/matches?lang=en&x=<{number}>"),
        "preferences_url": Varying(f"{link}/alerts"),
        "unsubscribe_url": Varying(f"http://rueckkehr.test/alerts/unsubscribe/u{number}"),
        "manage_url": Varying(link),
        "contact": town,
        "mail_town": town,
        "recipient_name": Varying(name),
    }


def test_framed_digests_are_the_mails_rendered_alone(app: Flask, town: Callable[[str], Town]) -> None:
    frames = Frames()
    places = [town("lauchhammer"), town("senftenberg")]
    mails, shapes = [], set()
    for number in range(120):
        language, name, place = ("de", "en")[number % 2], NAMES[number % len(NAMES)], places[number // 60]
        items, more = 1 + number % 3, number % 4 // 3
        mails.append((language, digest_context(number, name, place, items, more)))
        shapes.add((language, name is None, place.id, items, more))
    with rendered_templates(app) as rendered:
        framed = [frames.bodies("matching_digest", context, language, app.config) for language, context in mails]
    assert rendered.count("email/matching_digest.txt") == len(shapes) < len(mails) / 2  # once for each shape
    for number, (language, context) in enumerate(mails):
        with force_locale(language):
            alone = render_bodies("matching_digest", {**plain(context), "language": language, "config": app.config})
        assert framed[number] == alone, number
    assert framed[1].text.startswith("Hello Eva,") and framed[0].text.startswith("Guten Tag Jana <b>Müller</b>")
    assert "Guten Tag Jana &lt;b&gt;Müller&lt;/b&gt; &amp; &#34;Söhne&#34;," in framed[0].html


def test_a_round_sends_each_returnee_their_own_name_links_and_language(
    app: Flask, smtp: SMTPServer, make_profile: Callable, make_vacancy: Callable
) -> None:
    profiles = [
        make_profile(first_name='Jana <b>"Ä"</b> &', language="de"),
        make_profile(first_name="Eva", language="de"),
        make_profile(first_name='Tom <i>"O\'Neil"</i> &', language="en"),
        make_profile(first_name="Ann", language="en"),
    ]
    people = {profile.email: (profile.full_name, profile.language) for profile in profiles}
    for number in range(4):
        make_vacancy(title=f"Elektroniker/in {number} <Nord>")
    assert committed(send_digests)["returnees"] == 4
    links = set()
    for mail in smtp.wait_for(4):
        name, language = people[mail.envelope_to[0]]
        text, body = mail.text_body(), mail.html_body()
        greeting = "Hello" if language == "en" else "Guten Tag"
        assert f"{greeting} {name}," in text
        assert f"{greeting} {escape(name)}," in body
        assert ("New vacancies" in str(mail.message["Subject"])) == (language == "en")
        assert "Elektroniker/in 0 <Nord>" in text and "Elektroniker/in 0 &lt;Nord&gt;" in body
        unsubscribe = mail.message["List-Unsubscribe"].strip("<>")
        assert unsubscribe in text and escape(unsubscribe) in body
        manage = re.findall(r"http://rueckkehr\.test/me/[^\s/]+", text)
        links.update({unsubscribe, *manage})
    assert len([link for link in links if "/alerts/unsubscribe/" in link]) == 4  # each their own


def test_a_template_that_changes_a_varying_value_is_rendered_for_each_mail(make_app: Callable[..., Flask]) -> None:
    own = make_app()
    own.jinja_env.loader = ChoiceLoader(
        [
            DictLoader(
                {
                    "email/frames_upper.txt": "{{ name|upper }} {{ other }}",
                    "email/frames_upper.html": "{% block subject %}Betreff{% endblock %}{{ name|upper }}",
                }
            ),
            own.jinja_env.loader,  # type: ignore[list-item]
        ]
    )
    frames = Frames()
    with own.app_context():
        texts = [
            frames.bodies("frames_upper", {"name": Varying(name), "other": Varying("<x>")}, "de", own.config).text
            for name in ("jana", "eva", "zoë")
        ]
    assert texts == ["JANA <x>", "EVA <x>", "ZOË <x>"]


def test_a_mail_of_a_round_with_an_attachment_is_refused_and_queues_nothing(app: Flask) -> None:
    from sqlalchemy import select

    from rueckkehr.extensions import db
    from rueckkehr.mail.models import OutboxMessage
    from rueckkehr.mail.outbox import Attachment
    from rueckkehr.mail.round import MailRound

    mails = MailRound()
    invitation = Attachment(filename="invite.ics", content_type="text/calendar", data=b"BEGIN:VCALENDAR")
    with app.test_request_context(), pytest.raises(ValueError, match="no attachments"):
        mails.queue(kind="test", recipient="a@example.org", template="registration_cancelled", language="de",
                    context={}, answer=True, attachments=[invitation])  # fmt: skip
    mails.flush()
    assert db.session.scalars(select(OutboxMessage)).all() == []
