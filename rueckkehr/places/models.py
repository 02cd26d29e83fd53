"""Town and venue models."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime
from ..dates import utcnow
from ..extensions import Model


class Town(Model):
    """One of the RWK towns; loaded by a data migration, addressed by an ASCII slug."""

    __tablename__ = "towns"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    postal_codes: Mapped[str] = mapped_column(String(120), doc="Space-separated five-digit PLZ")
    sort_order: Mapped[int] = mapped_column(default=0)
    contact_name: Mapped[str] = mapped_column(
        String(200), default="", server_default="", doc="The town's contact person for returnees"
    )
    contact_email: Mapped[str] = mapped_column(
        String(254), default="", server_default="", doc="Where replies to the town's mails go"
    )
    contact_phone: Mapped[str] = mapped_column(String(32), default="", server_default="", doc="E.164")
    page_intro: Mapped[str] = mapped_column(Text, default="", server_default="", doc="Town page (Markdown)")
    page_housing: Mapped[str] = mapped_column(Text, default="", server_default="", doc="Wohnen und Bauland")
    page_childcare: Mapped[str] = mapped_column(Text, default="", server_default="", doc="Kita und Schulen")
    page_leisure: Mapped[str] = mapped_column(Text, default="", server_default="", doc="Freizeit")
    page_work: Mapped[str] = mapped_column(Text, default="", server_default="", doc="Arbeiten")

    venues: Mapped[list[Venue]] = relationship(back_populates="town", order_by="Venue.name")

    @property
    def postal_code_list(self) -> list[str]:
        """The town's postal codes as a list."""
        return self.postal_codes.split()

    @property
    def has_contact(self) -> bool:
        """Whether the town named a contact person for returnees (replies to its mails go there): an address mail
        servers take (an umlaut before the @, refused by the form since, would make every mail of the town fail)."""
        return bool(self.contact_email) and self.contact_email.isascii()

    def __repr__(self) -> str:
        return f"<Town {self.slug}>"


class Venue(Model):
    """A place where events happen, with an address and coordinates."""

    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("towns.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(10))
    locality: Mapped[str] = mapped_column(String(120), doc="Ort as written in the address, e.g. a district")
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, doc="Calendars show the venue: their versions follow it"
    )

    town: Mapped[Town] = relationship(back_populates="venues")

    @property
    def address(self) -> str:
        """The postal address on one line."""
        return f"{self.street}, {self.postal_code} {self.locality}"

    @property
    def map_url(self) -> str | None:
        """A link to the venue on OpenStreetMap (a link only, nothing is embedded)."""
        if self.latitude is None or self.longitude is None:
            return None
        lat, lon = float(self.latitude), float(self.longitude)
        return f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"

    def __repr__(self) -> str:
        return f"<Venue {self.name}>"
