"""Keeping the registry (动态调整): members and households changed by sheet or form, audited, with the households as
they were kept for the cases decided before a change."""
