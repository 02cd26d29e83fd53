"""An approved company's edits of what it says about itself (name, description, website, logo) go public only after
the organizers' second look; its address, town, sector and size change at once."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient, FlaskCliRunner
from PIL import Image

from rueckkehr.employers.models import Employer, EmployerStatus
from rueckkehr.extensions import db
from tests.support.pages import visible_text
from tests.support.smtp import SMTPServer


def profile_form(employer: Employer, **changes: str) -> dict[str, str]:
    values = {
        "name": employer.name,
        "town": str(employer.town_id),
        "street": employer.street,
        "postal_code": employer.postal_code,
        "locality": employer.locality,
        "sector": employer.sector_code,
        "size_band": employer.size_band.value,
        "website": employer.website,
        "description": employer.description,
    }
    return {**values, **changes}


def png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(output, format="PNG")
    return output.getvalue()


def test_edits_of_name_description_and_website_wait_for_a_second_look(
    client: FlaskClient,
    runner: FlaskCliRunner,
    smtp: SMTPServer,
    make_employer: Callable[..., Employer],
    login: Callable[..., Any],
) -> None:
    employer = make_employer(name="Ehrliche Elektro GmbH", description="Wir bauen Anlagen.")
    login(client, employer.users[0].email)
    edited = profile_form(employer, name="Gratis Geld GmbH", description="Klicken Sie hier!",
                          website="https://evil.example", street="Markt 2")  # fmt: skip
    assert client.post("/employer/profile", data=edited).status_code == 303

    public = visible_text(client.application.test_client().get(f"/employers/{employer.id}"))
    assert "Ehrliche Elektro GmbH" in public and "Wir bauen Anlagen." in public
    assert "Gratis Geld" not in public and "evil.example" not in public
    assert "Markt 2" in public  # the address is a fact the company keeps up to date itself
    own = client.get("/employer/profile")
    assert "Ihre Änderungen warten auf die Freigabe" in visible_text(own)
    assert 'value="Gratis Geld GmbH"' in own.get_data(as_text=True)  # the company sees what it typed

    db.session.rollback()  # a command starts with what is committed now
    listed = runner.invoke(args=["employers", "pending"])
    assert f"changes {employer.id}: Ehrliche Elektro GmbH (description, name, website)" in listed.output
    assert runner.invoke(args=["employers", "approve-changes", str(employer.id)]).exit_code == 0
    public = visible_text(client.application.test_client().get(f"/employers/{employer.id}"))
    assert "Gratis Geld GmbH" in public
    [mail] = smtp.wait_for(1)
    assert mail.message["Subject"] == "Ihre Änderungen sind freigegeben: Gratis Geld GmbH"


def test_a_new_logo_waits_and_declined_edits_never_go_public(
    client: FlaskClient,
    smtp: SMTPServer,
    make_employer: Callable[..., Employer],
    login: Callable[..., Any],
    make_staff: Callable[..., Any],
    staff_login: Callable[..., Any],
) -> None:
    employer = make_employer()
    login(client, employer.users[0].email)
    client.post("/employer/logo", data={"logo": (io.BytesIO(png()), "logo.png")}, content_type="multipart/form-data")
    db.session.rollback()
    fresh = db.session.get(Employer, employer.id)
    assert fresh.logo_filename is None and fresh.pending_logo_filename is not None
    pending_logo = f"/employers/{employer.id}/logo/{fresh.pending_logo_filename}"
    assert client.get(pending_logo).status_code == 200  # the company sees its new logo
    assert client.application.test_client().get(pending_logo).status_code == 404  # the public does not
    reviewer = client.application.test_client()
    staff_login(reviewer, make_staff())  # the organizers of its town do, in their queue
    queue_page = reviewer.get(f"/organizer/approvals/profiles/{employer.id}").get_data(as_text=True)
    assert f'src="{pending_logo}"' in queue_page
    assert reviewer.get(pending_logo).status_code == 200

    db.session.rollback()
    declined = client.application.test_cli_runner().invoke(
        args=["employers", "decline-changes", str(employer.id), "--reason", "Das Logo zeigt nicht Ihr Unternehmen."]
    )
    assert declined.exit_code == 0, declined.output
    assert not db.session.get(Employer, employer.id).has_pending_changes
    assert client.get(pending_logo).status_code == 404
    [mail] = smtp.wait_for(1)
    assert "Das Logo zeigt nicht Ihr Unternehmen." in mail.text_body()


def test_a_company_not_yet_approved_changes_everything_at_once(
    client: FlaskClient, make_employer: Callable[..., Employer], login: Callable[..., Any]
) -> None:
    employer = make_employer(status=EmployerStatus.PENDING, approved_at=None)
    login(client, employer.users[0].email)
    client.post("/employer/profile", data=profile_form(employer, name="Neuer Name GmbH"))
    db.session.rollback()
    assert db.session.get(Employer, employer.id).name == "Neuer Name GmbH"
