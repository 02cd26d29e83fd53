"""The occupation classification KldB 2010 of the Bundesagentur für Arbeit."""
