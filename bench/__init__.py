"""Benchmarks; run each as a module from the project root, e.g. ``.venv/bin/python -m bench.calendar``."""
