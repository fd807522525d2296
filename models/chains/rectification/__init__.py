"""Chain G, 大排查大整改 (DOMAIN §4 G): stages.py is its table of stages and guards; its standards, the inputs
its stages take and its documents sit beside it."""
