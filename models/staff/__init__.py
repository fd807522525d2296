"""The county's staff: people added, changed and deactivated one by one or from a roster file, by its administrator."""
