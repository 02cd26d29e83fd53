"""The occupations people name in everyday words, with the official names and their KldB 2010 Berufshauptgruppe.

Search (``employers.search``) finds the official names for an everyday one, and matching and the alert form use the
Berufshauptgruppe, so both read the same table. Kept by hand from the Bundesagentur für Arbeit's BERUFENET
(Berufsbezeichnungen and their synonyms) and the alphabetical index of the KldB 2010 (Alphabetisches Verzeichnis der
Berufsbenennungen, überarbeitete Fassung 2020), which name each of these words and the group it belongs to. The
Pflegeberufegesetz (2020) merged Krankenschwester/-pfleger and Altenpfleger/in into Pflegefachfrau/-mann.

Words are written as people type them; the normaliser folds gender and inflection, so one form is enough.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Synonym:
    """Everyday names of one occupation, the official names a vacancy uses, and its Berufshauptgruppe."""

    everyday: tuple[str, ...]
    official: tuple[str, ...]
    group: str


SYNONYMS = (
    Synonym(("Schreiner", "Möbeltischler"), ("Tischler",), "22"),
    Synonym(
        ("Krankenschwester", "Krankenpfleger", "Altenpfleger"),
        ("Pflegefachfrau", "Pflegefachmann", "Pflegefachkraft", "Gesundheitspfleger", "Krankenpfleger"),
        "81",
    ),
    Synonym(("Pflegefachfrau", "Pflegefachmann"), ("Pflegefachkraft", "Pflegefachfrau", "Pflegefachmann"), "81"),
    Synonym(("Arzthelfer", "Sprechstundenhilfe"), ("MFA", "Fachangestellte"), "81"),
    Synonym(("Zahnarzthelfer",), ("ZFA", "Fachangestellte"), "81"),
    Synonym(("Doktor", "Mediziner"), ("Arzt",), "81"),
    Synonym(("Elektroinstallateur", "Elektromonteur"), ("Elektroniker", "Elektriker"), "26"),
    Synonym(("Elektriker",), ("Elektroniker",), "26"),
    Synonym(("Klempner", "Installateur", "Heizungsbauer"), ("Anlagenmechaniker",), "34"),
    Synonym(("Lagerist", "Staplerfahrer"), ("Lagerlogistik", "Fachlagerist"), "51"),
    Synonym(("Trucker", "Kraftfahrer", "Fernfahrer"), ("Berufskraftfahrer",), "52"),
    Synonym(("Programmierer", "Entwickler", "Informatiker"), ("Softwareentwickler", "Fachinformatiker"), "43"),
    Synonym(("Kindergärtner", "Kitaerzieher"), ("Erzieher",), "83"),
    Synonym(("Sekretär", "Bürokaufmann"), ("Büromanagement",), "71"),
    Synonym(("Putzkraft", "Reinigungskraft"), ("Gebäudereiniger",), "54"),
    Synonym(("Automechaniker", "Autoschlosser"), ("Mechatroniker",), "25"),
    Synonym(("Schlosser",), ("Metallbauer", "Industriemechaniker"), "24"),
    Synonym(("Buchhalter",), ("Finanzbuchhalter", "Bilanzbuchhalter"), "72"),
    Synonym(("Verkäufer",), ("Einzelhandel",), "62"),
    Synonym(("Hausmeister",), ("Hauswart", "Haustechniker"), "34"),
)
