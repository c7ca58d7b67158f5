"""Offline evaluation: metrics, BEIR benchmarks, question sets."""
