"""Policy as versioned data: the TOML file of each province and year (loading), its thresholds and sampling rules,
and the reading of its keys; each chain's own section lives in its package (models/chains/<chain>/policy.py)."""
