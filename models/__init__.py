"""Data and rules of tuopin: tables, standards, policy, chains and the one transition door (no Prefect)."""
