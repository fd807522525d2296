"""Home checks (四看一算) shared by the chains that visit households: the household standard, recording a check, reading
incomes."""
