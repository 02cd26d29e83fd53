"""Public pages that belong to no single feature: home, legal texts, health, language."""
