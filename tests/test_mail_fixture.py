"""The SMTP fixture receives real mail over a socket, as every later mail test relies on."""

from __future__ import annotations

from flask import Flask
from flask_mail import Message

from rueckkehr.extensions import mail
from tests.support.smtp import SMTPServer


def test_a_message_sent_over_smtp_arrives_parsed(app: Flask, smtp: SMTPServer) -> None:
    message = Message(
        subject="Ihre Anmeldung zum Rückkehrertag",
        recipients=["Jana Müller <jana@example.org>"],
        body="Guten Tag Jana Müller,\nbis bald in Senftenberg.",
        html="<p>Guten Tag Jana Müller</p>",
    )
    message.attach("invite.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    mail.send(message)
    [received] = smtp.wait_for(1)
    assert received.envelope_to == ["jana@example.org"]
    assert received.message["Subject"] == "Ihre Anmeldung zum Rückkehrertag"
    assert "bis bald in Senftenberg" in received.text_body()
    assert "<p>Guten Tag Jana Müller</p>" in received.html_body()
    [attachment] = list(received.message.iter_attachments())
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_type() == "text/calendar"
