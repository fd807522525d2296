"""The chains as Prefect flows composed of stage tasks, and the sweeps that close windows and flag deadlines."""
