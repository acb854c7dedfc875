"""Benchmarks for controlmap: synthetic datasets, timings against naive baselines."""
