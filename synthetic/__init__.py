"""Synthetic but valid data for the demo, tests and benchmark: an area's regions, offices, people and households, and
scripted clerks."""
