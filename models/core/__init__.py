"""The core tables and the pieces everything stands on: regions, people, households, cases, the audit trail, time,
settings, the database."""
