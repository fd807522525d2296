"""The `tuopin` command line."""
