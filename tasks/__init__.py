"""Units of work: each Prefect task handles all cases of one stage in one scope with set-based SQL."""
