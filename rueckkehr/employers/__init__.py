"""Employers of the region: companies, their vacancies and their stands at events."""
