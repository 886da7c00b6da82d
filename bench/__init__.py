"""Benchmarks for issue 6: generated cases, evaluation speed and memory, what-if ruleset layouts."""
