"""Benchmarks of orgkg: a synthetic corpus (``bench.corpus``) and the harness (``bench.run``)."""
