"""Each chain's scripted round: the decisions its clerks would make, on the simulated clock."""
