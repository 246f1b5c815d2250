"""Benchmarks that print their figures and write them to bench/results/ (`make bench`)."""
