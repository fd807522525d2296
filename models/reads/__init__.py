"""Reads for people: where the cases stand, one case's page, the dashboard's overview, the case file."""
