"""Match mails through the real SMTP server: after a confirmed registration (only with consent), digests (never
twice, three per employer, ten per mail, nothing when nothing is new), one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from rueckkehr.employers.models import StandStatus, VacancyStatus
from rueckkehr.extensions import db
from rueckkehr.matching.models import Frequency
from rueckkehr.matching.rounds import send_digests
from rueckkehr.returnees.models import ConsentPurpose, ReturneeProfile
from tests.support.pages import visible_text
from tests.support.registrations import link_in
from tests.support.smtp import SMTPServer
from tests.support.units import committed


def confirm_registration(client: FlaskClient, smtp: SMTPServer, submit: Callable, event_id: int, **form: Any) -> None:
    """Register through the form and press the button behind the confirmation link."""
    assert submit(event_id, **form).status_code == 303
    mail = smtp.wait_for(1)[-1]
    assert client.post(link_in(mail, "/confirm/")).status_code in (200, 303)


def test_a_confirmed_registration_with_consent_brings_the_matching_vacancies_exhibitors_first(
    client: FlaskClient, smtp: SMTPServer, submit: Callable, make_event: Callable, make_vacancy: Callable,
    make_employer: Callable, make_stand: Callable, town: Callable,
) -> None:  # fmt: skip
    event = make_event()
    clinic = make_employer(name="Klinikum Niederlausitz")
    make_stand(clinic, event, status=StandStatus.CONFIRMED)
    make_vacancy(clinic, title="Pflegefachkraft Station", occupation_group_code="81", town=town("grossraeschen"))
    make_vacancy(title="Pflegefachkraft ambulant", occupation_group_code="81", published_at=datetime.now(UTC))
    make_vacancy(title="Elektriker/in", occupation_group_code="26")  # another field: not in the mail
    make_vacancy(title="Softwareentwickler/in", occupation_group_code="43", skill_level=3)  # the partner's
    confirm_registration(client, smtp, submit, event.id, consent_job_alerts="y")
    mails = smtp.wait_for(3)
    matches = [mail for mail in mails if "Stellen, die zu Ihnen passen" in str(mail.message["Subject"])]
    assert len(matches) == 1
    mail = matches[0]
    text = mail.text_body()
    assert text.index("Pflegefachkraft Station") < text.index("Pflegefachkraft ambulant")  # the exhibitor first
    assert "Diese Arbeitgeber treffen Sie am" in text and "Klinikum Niederlausitz" in text
    assert "Elektriker" not in text
    assert "Passende Stellen für Ihre Partnerin oder Ihren Partner" in text and "Softwareentwickler/in" in text
    assert "gleiches Berufsfeld: Medizinische Gesundheitsberufe" in text
    assert "Treffen Sie uns am" in text
    unsubscribe = mail.message["List-Unsubscribe"]
    assert re.fullmatch(r"<http://rueckkehr\.test/alerts/unsubscribe/[^>]+>", unsubscribe)
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/me/" in text and "/alerts" in text  # the preferences on the self-service page


def test_without_consent_no_match_mail(
    client: FlaskClient, smtp: SMTPServer, submit: Callable, make_event: Callable, make_vacancy: Callable
) -> None:
    event = make_event()
    make_vacancy(title="Pflegefachkraft", occupation_group_code="81")
    confirm_registration(client, smtp, submit, event.id)
    committed(send_digests)
    subjects = [str(mail.message["Subject"]) for mail in smtp.wait_for(2)]
    assert not any("passen" in subject for subject in subjects), subjects


@pytest.fixture
def csrf_app(make_app: Callable[..., Flask]) -> Flask:
    """The app with CSRF protection on, as in production."""
    return make_app(WTF_CSRF_ENABLED=True)


def test_one_click_unsubscribe_needs_no_login_and_no_csrf_token_but_a_get_never_unsubscribes(
    csrf_app: Flask, make_profile: Callable, smtp: SMTPServer
) -> None:
    from rueckkehr.matching.links import unsubscribe_url

    with csrf_app.app_context():
        profile = make_profile()
        url = unsubscribe_url(profile).removeprefix("http://rueckkehr.test")
        profile_id = profile.id
    client = csrf_app.test_client()
    page = client.get(url)
    assert page.status_code == 200 and "Jetzt abmelden" in page.get_data(as_text=True)
    with csrf_app.app_context():
        assert db.session.get(ReturneeProfile, profile_id).active_consent(ConsentPurpose.JOB_ALERTS) is not None
    response = client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    with csrf_app.app_context():
        assert db.session.get(ReturneeProfile, profile_id).active_consent(ConsentPurpose.JOB_ALERTS) is None
    assert csrf_app.test_client().post("/me/x/consents").status_code in (400, 410)  # other POSTs keep their CSRF check
    assert client.post(url.rsplit(".", 1)[0] + ".kaputt").status_code == 404


def test_digests_never_repeat_cap_each_employer_and_stop_when_nothing_is_new(
    app: Flask, smtp: SMTPServer, make_profile: Callable, make_vacancy: Callable, make_employer: Callable
) -> None:
    make_profile(occupation_group_code="26", partner_occupation_group_code="26", partner_skill_level=2)
    big = make_employer(name="Großbetrieb")
    for number in range(12):
        make_vacancy(title=f"Mechatroniker/in {number}")
    for number in range(5):  # the newest, so they come first: only three of them go into the mail
        make_vacancy(big, title=f"Elektriker/in {number}")
    make_vacancy(title="Zurückgezogen", status=VacancyStatus.WITHDRAWN)
    counts = committed(send_digests)
    assert counts["returnees"] == 1
    mail = smtp.wait_for(1)[0]
    text = mail.text_body()
    shown = re.findall(r"^- (.+?) – ", text, flags=re.M)
    assert len(shown) == 10 and len(set(shown)) == 10  # ten in all, none twice across own and partner list
    assert sum(title.startswith("Elektriker") for title in shown) == 3
    assert "Zurückgezogen" not in text
    assert "7 weitere passende Stellen" in text
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    db.session.rollback()
    again = committed(send_digests, now=datetime.now(UTC) + timedelta(days=8))
    assert again["returnees"] == 0 and again["nothing_new"] == 1  # nothing new: no mail
    assert len(smtp.messages) == 1
    make_vacancy(title="Elektriker/in neu", published_at=datetime.now(UTC) + timedelta(days=9))
    committed(send_digests, now=datetime.now(UTC) + timedelta(days=16))
    later = smtp.wait_for(2)[1].text_body()
    assert "Elektriker/in neu" in later and "Mechatroniker/in" not in later  # only what is new and never sent


def test_after_withdrawal_no_more_digests(
    app: Flask, smtp: SMTPServer, make_profile: Callable, make_vacancy: Callable
) -> None:
    from rueckkehr.matching.operations import unsubscribe

    profile = make_profile()
    make_vacancy(title="Elektriker/in")
    committed(unsubscribe, db.session.get(ReturneeProfile, profile.id))
    assert committed(send_digests)["returnees"] == 0
    assert smtp.messages == []


def test_daily_and_weekly_digests_follow_the_frequency(
    app: Flask, smtp: SMTPServer, make_profile: Callable, make_vacancy: Callable, runner: Any
) -> None:
    from rueckkehr.matching.operations import set_preferences

    daily = make_profile()
    committed(set_preferences, db.session.get(ReturneeProfile, daily.id), Frequency.DAILY, True)
    make_profile()  # weekly
    make_vacancy(title="Elektriker/in")
    result = runner.invoke(args=["matches", "send-digests", "--frequency", "daily"])
    assert "digests to returnees 1" in result.output, result.output
    assert [mail.envelope_to for mail in smtp.wait_for(1)] == [[daily.email]]


def test_a_subscriber_without_an_event_confirms_by_mail_and_gets_alerts(
    client: FlaskClient, smtp: SMTPServer, make_vacancy: Callable
) -> None:
    form = {"email": "leser@example.org", "occupation_group": "26", "skill_level": "2", "towns": ["senftenberg"],
            "frequency": "weekly", "language": "de", "consent": "y"}  # fmt: skip
    page = client.post("/jobs/alert", data=form)
    assert page.status_code == 200 and "leser@example.org" in page.get_data(as_text=True)
    confirm_mail = smtp.wait_for(1)[0]
    link = link_in(confirm_mail, "/jobs/alert/confirm/")
    page = client.get(link)
    assert page.status_code == 200  # a page with a button; the GET confirms nothing
    assert "Job-Alarm bestätigen" in page.get_data(as_text=True).split("<main", 1)[1]
    assert committed(send_digests)["subscribers"] == 0  # not confirmed yet
    assert client.post(link).status_code == 303
    make_vacancy(title="Elektriker/in", published_at=datetime.now(UTC) + timedelta(minutes=1))
    counts = committed(send_digests, now=datetime.now(UTC) + timedelta(days=8))
    assert counts["subscribers"] == 1
    digest = smtp.wait_for(2)[1]
    assert digest.text_body().startswith("Guten Tag,")
    assert "Elektriker/in" in digest.text_body()
    assert digest.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_subscribe_form_answers_the_same_for_every_address_and_keeps_what_was_typed(
    client: FlaskClient, smtp: SMTPServer
) -> None:
    bad = client.post("/jobs/alert", data={"email": "leser@example.org", "occupation_group": ""})
    assert bad.status_code == 422
    body = bad.get_data(as_text=True)
    assert "Bitte wählen Sie ein Berufsfeld." in body and 'value="leser@example.org"' in body
    form = {"occupation_group": "26", "skill_level": "2", "towns": ["senftenberg"], "frequency": "weekly",
            "language": "de", "consent": "y"}  # fmt: skip
    answers = []
    for email in ("bekannt@example.org", "bekannt@example.org", "neu@example.org"):  # known by the second time
        page = client.post("/jobs/alert", data={**form, "email": email})
        answers.append((page.status_code, visible_text(page).replace(email, "ADDRESS")))
    assert answers[1] == answers[2] and answers[1][0] == 200, "a known address answers as a new one does"


def test_a_choice_that_is_none_of_the_options_is_named_beside_its_radio_buttons(client: FlaskClient) -> None:
    form = {"email": "leser@example.org", "occupation_group": "26", "skill_level": "2", "towns": ["senftenberg"],
            "frequency": "hourly", "language": "xx", "consent": "y"}  # fmt: skip
    page = client.post("/jobs/alert?lang=en", data=form)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    for name in ("frequency", "language"):
        fieldset = re.search(rf'<fieldset[^>]*aria-describedby="{name}-error".*?</fieldset>', html, re.S)
        assert fieldset, f"the {name} error sits in its fieldset"
        assert 'id="' + name + '-error"' in fieldset.group(0)
        assert "Please choose only from the options given." in fieldset.group(0)
        assert f'href="#{name}-0"' in html and f'id="{name}-0"' in html, "the summary's link leads to the field"


def test_the_same_alert_confirmed_again_replaces_the_one_before(client: FlaskClient, smtp: SMTPServer) -> None:
    from sqlalchemy import select

    from rueckkehr.audit.models import AuditEntry
    from rueckkehr.matching.links import subscription_from_token
    from rueckkehr.matching.models import AlertSubscription

    form = {"email": "leser@example.org", "occupation_group": "26", "skill_level": "2", "towns": ["senftenberg"],
            "frequency": "weekly", "language": "de", "consent": "y"}  # fmt: skip
    client.post("/jobs/alert", data=form)
    client.post("/jobs/alert", data={**form, "frequency": "daily"})
    links = [link_in(mail, "/jobs/alert/confirm/") for mail in smtp.wait_for(2)]
    frequencies = {link: subscription_from_token(link.rsplit("/", 1)[1]).frequency for link in links}
    for link in links:
        assert client.post(link).status_code == 303
    answer = client.get(client.post(links[-1]).headers["Location"])
    assert answer.status_code == 200, "the link confirmed last still leads to its alert"
    db.session.rollback()
    alerts = list(db.session.scalars(select(AlertSubscription).where(AlertSubscription.email == "leser@example.org")))
    assert len(alerts) == 1 and alerts[0].confirmed_at is not None
    assert alerts[0].frequency == frequencies[links[-1]], "the alert confirmed last holds"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.verb == "alert_subscription.replaced"))


def test_the_exhibitors_in_the_mail_are_in_alphabetical_order_with_umlauts_among_their_letter(
    client: FlaskClient, smtp: SMTPServer, submit: Callable, make_event: Callable, make_vacancy: Callable,
    make_employer: Callable, make_stand: Callable,
) -> None:  # fmt: skip
    event = make_event()
    for name in ("Zahnarztpraxis Zander", "Ärztehaus Lauchhammer", "Bäckerei Krause"):
        employer = make_employer(name=name)
        make_stand(employer, event, status=StandStatus.CONFIRMED)
        make_vacancy(employer, title=f"Pflegefachkraft bei {name}", occupation_group_code="81")
    confirm_registration(client, smtp, submit, event.id, consent_job_alerts="y")
    [mail] = [mail for mail in smtp.wait_for(3) if "Stellen, die zu Ihnen passen" in str(mail.message["Subject"])]
    line = next(line for line in mail.text_body().splitlines() if "Diese Arbeitgeber treffen Sie am" in line)
    assert line.endswith(": Ärztehaus Lauchhammer, Bäckerei Krause, Zahnarztpraxis Zander")


def test_ending_an_alert_at_an_address_keeps_what_went_there_for_the_returnee_of_that_address(
    client: FlaskClient, smtp: SMTPServer, submit: Callable, make_event: Callable, make_vacancy: Callable
) -> None:
    """A returnee and a job-alert subscription at one address share what was sent to it: when the subscription ends,
    the returnee's next match mail still leaves out what they were sent before."""
    from rueckkehr.matching.models import AlertSubscription
    from rueckkehr.matching.operations import confirm_subscription, end_subscription, subscribe

    first, second = make_event(), make_event(title="Zweiter Rückkehrertag")
    make_vacancy(title="Pflegefachkraft", occupation_group_code="81")
    confirm_registration(client, smtp, submit, first.id, consent_job_alerts="y")
    assert any("passen" in str(mail.message["Subject"]) for mail in smtp.wait_for(3))
    subscription = committed(subscribe, "jana.mueller@example.org", "de", "81", 2, [], Frequency.WEEKLY)
    committed(confirm_subscription, db.session.get(AlertSubscription, subscription.id))
    committed(end_subscription, db.session.get(AlertSubscription, subscription.id))
    before = len(smtp.wait_for(4))
    confirm_registration(client, smtp, submit, second.id, consent_job_alerts="y")
    later = smtp.wait_for(before + 2)[before:]
    assert not any("passen" in str(mail.message["Subject"]) for mail in later), "the same vacancy came again"
