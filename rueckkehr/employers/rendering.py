"""Markdown of vacancy descriptions, rendered and sanitised, and the schema.org JSON-LD of vacancies."""

from __future__ import annotations

import html
from datetime import datetime, time
from typing import Any

import markdown
import nh3
from markupsafe import Markup

from ..dates import BERLIN
from ..occupations.working_times import WorkingTime
from ..urls import external_url
from .models import Employer, SalaryPeriod, Vacancy

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}

EMPLOYMENT_TYPES = {
    WorkingTime.FULL_TIME: "FULL_TIME",
    WorkingTime.PART_TIME: "PART_TIME",
    WorkingTime.SHIFTS: "FULL_TIME",
    WorkingTime.REMOTE: "FULL_TIME",
    WorkingTime.MINI_JOB: "PART_TIME",
}
SALARY_UNITS = {SalaryPeriod.HOUR: "HOUR", SalaryPeriod.MONTH: "MONTH", SalaryPeriod.YEAR: "YEAR"}


def render_markdown(text: str) -> Markup:
    """Markdown to safe HTML: nh3 then keeps only a few tags and http(s)/mailto links (raw HTML is dropped by it).

    Headings are shifted down to h3/h4 so that they fit below the page's own headings.
    """
    html = markdown.markdown(text or "", extensions=[], output_format="html")
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>").replace("<h2>", "<h4>").replace("</h2>", "</h4>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
    return Markup(clean)  # noqa: S704 (sanitised by nh3 just above)


def plain_text(text: str) -> str:
    """The description without any markup (for JSON-LD and meta descriptions)."""
    return html.unescape(nh3.clean(markdown.markdown(text or ""), tags=set())).strip()


def employment_types(vacancy: Vacancy) -> list[str]:
    """schema.org employmentType values for the vacancy's working times (and TEMPORARY when befristet)."""
    types = list(dict.fromkeys(EMPLOYMENT_TYPES[time] for time in vacancy.working_times))
    if vacancy.contract == "fixed_term":
        types.append("TEMPORARY")
    return types or ["FULL_TIME"]


def organization(employer: Employer) -> dict[str, Any]:
    """The hiring organisation."""
    data: dict[str, Any] = {
        "@type": "Organization",
        "name": employer.name,
        "url": external_url("employer_pages.detail", employer_id=employer.id),
    }
    if employer.website:
        data["sameAs"] = employer.website
    if employer.logo_filename:
        data["logo"] = external_url("employer_pages.logo", employer_id=employer.id, filename=employer.logo_filename)
    return data


def job_posting(vacancy: Vacancy) -> dict[str, Any]:
    """schema.org JobPosting with every property search engines require, and the recommended ones we know."""
    employer = vacancy.employer
    if vacancy.town is not None:
        same_town = employer.town_id == vacancy.town_id
        address = {
            "@type": "PostalAddress",
            "addressLocality": vacancy.town.name,
            "postalCode": employer.postal_code if same_town else vacancy.town.postal_code_list[0],
            "addressRegion": "Brandenburg",
            "addressCountry": "DE",
        }
        if same_town:
            address["streetAddress"] = employer.street
    else:
        address = {
            "@type": "PostalAddress",
            "addressLocality": vacancy.place_name,
            "postalCode": vacancy.place_postal_code,
            "addressCountry": "DE",
        }
    posted = vacancy.published_at or vacancy.created_at
    valid_through = datetime.combine(vacancy.valid_until, time(23, 59, 59), tzinfo=BERLIN)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": vacancy.title,
        "description": str(render_markdown(vacancy.description)),
        "datePosted": posted.astimezone(BERLIN).date().isoformat(),
        "validThrough": valid_through.isoformat(),
        "employmentType": employment_types(vacancy),
        "hiringOrganization": organization(employer),
        "jobLocation": {"@type": "Place", "address": address},
        "identifier": {"@type": "PropertyValue", "name": employer.name, "value": str(vacancy.id)},
        "url": external_url("jobs_board.detail", vacancy_id=vacancy.id),
        "directApply": False,
    }
    if vacancy.starts_on:
        data["jobStartDate"] = vacancy.starts_on.isoformat()
    if vacancy.salary_min or vacancy.salary_max:
        value: dict[str, Any] = {
            "@type": "QuantitativeValue",
            "unitText": SALARY_UNITS[vacancy.salary_period or SalaryPeriod.MONTH],
        }
        if vacancy.salary_min and vacancy.salary_max:
            value.update(minValue=vacancy.salary_min, maxValue=vacancy.salary_max)
        else:
            value["value"] = vacancy.salary_min or vacancy.salary_max
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": "EUR", "value": value}
    return data
