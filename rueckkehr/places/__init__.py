"""Towns of the RWK Westlausitz and the venues in them."""
