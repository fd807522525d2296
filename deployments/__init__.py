"""Wiring only: which flow runs on which schedule (Prefect serve)."""
