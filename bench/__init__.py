"""Benchmarks (run as scripts: python bench/coverage.py)."""
