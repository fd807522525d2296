"""The one door and the machine: the chain table's shape and registry, the transition door, opening and reading cases,
windows, objections, samples, overdue visits."""
