"""Demo and synthetic data: reference data for the demo, bulk tickets for benchmarks."""
