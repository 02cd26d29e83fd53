"""The KldB 2010 names in the visitor's language.

The migrations load the Bundesagentur's German names (source: Klassifikation der Berufe 2010 – überarbeitete
Fassung 2020); they are the catalogue's message ids, so English pages show the English names. This list only
puts them in front of the extraction; a name is always shown through ``translated_name``.
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

EXTRACTED = (
    _l("Militär"),
    _l("Land-, Forst- und Tierwirtschaft und Gartenbau"),
    _l("Rohstoffgewinnung, Produktion und Fertigung"),
    _l("Bau, Architektur, Vermessung und Gebäudetechnik"),
    _l("Naturwissenschaft, Geografie und Informatik"),
    _l("Verkehr, Logistik, Schutz und Sicherheit"),
    _l("Kaufmännische Dienstleistungen, Warenhandel, Vertrieb, Hotel und Tourismus"),
    _l("Unternehmensorganisation, Buchhaltung, Recht und Verwaltung"),
    _l("Gesundheit, Soziales, Lehre und Erziehung"),
    _l(
        "Sprach-, Literatur-, Geistes-, Gesellschafts- und Wirtschaftswissenschaften, Medien, Kunst, Kultur und "
        "Gestaltung"
    ),
    _l("Angehörige der regulären Streitkräfte"),
    _l("Land-, Tier- und Forstwirtschaftsberufe"),
    _l("Gartenbauberufe und Floristik"),
    _l("Rohstoffgewinnung und -aufbereitung, Glas und Keramik"),
    _l("Kunststoff- und Holzherstellung und -verarbeitung"),
    _l("Papier- und Druckberufe, technische Mediengestaltung"),
    _l("Metallerzeugung und -bearbeitung, Metallbauberufe"),
    _l("Maschinen- und Fahrzeugtechnikberufe"),
    _l("Mechatronik-, Energie- und Elektroberufe"),
    _l("Technische Forschung, Entwicklung, Konstruktion und Produktionssteuerung"),
    _l("Textil- und Lederberufe"),
    _l("Lebensmittelherstellung und -verarbeitung"),
    _l("Bauplanungs-, Architektur- und Vermessungsberufe"),
    _l("Hoch- und Tiefbauberufe"),
    _l("(Innen-)Ausbauberufe"),
    _l("Gebäude- und versorgungstechnische Berufe"),
    _l("Mathematik-, Biologie-, Chemie- und Physikberufe"),
    _l("Geologie-, Geografie- und Umweltschutzberufe"),
    _l("Informatik-, Informations- und Kommunikationstechnologieberufe"),
    _l("Verkehrs- und Logistikberufe (ohne Fahrzeugführung)"),
    _l("Führer/innen von Fahrzeug- und Transportgeräten"),
    _l("Schutz-, Sicherheits- und Überwachungsberufe"),
    _l("Reinigungsberufe"),
    _l("Einkaufs-, Vertriebs- und Handelsberufe"),
    _l("Verkaufsberufe"),
    _l("Tourismus-, Hotel- und Gaststättenberufe"),
    _l("Berufe in Unternehmensführung und -organisation"),
    _l("Finanzdienstleistungs-, Rechnungswesen- und Steuerberatungsberufe"),
    _l("Berufe in Recht und Verwaltung"),
    _l("Medizinische Gesundheitsberufe"),
    _l("Nichtmedizinische Gesundheits-, Körperpflege- und Wellnessberufe"),
    _l("Erziehung, soziale und hauswirtschaftliche Berufe, Theologie"),
    _l("Lehrende und ausbildende Berufe"),
    _l("Sprach-, Literatur-, Geistes-, Gesellschafts- und Wirtschaftswissenschaften"),
    _l("Werbung, Marketing, kaufmännische und redaktionelle Medienberufe"),
    _l("Produktdesign, Kunsthandwerk, bildende Kunst, Musikinstrumentenbau"),
    _l("Darstellende und unterhaltende Berufe"),
)


def translated_name(german: str) -> str:
    """A KldB name (as the migrations stored it) in the current language."""
    return str(gettext(german))
