"""Events: Rückkehrertage, their series, venues and programme."""
