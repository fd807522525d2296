"""Policy as versioned data: the TOML file of each province and year, its sections and their thresholds."""
