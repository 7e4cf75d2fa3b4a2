"""Benchmarks: one module per measured claim. Run as ``python -m benchmarks.NAME [--full]``."""
