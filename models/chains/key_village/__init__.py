"""Chain D, 重点帮扶村确认 (DOMAIN §4 D): stages.py is its table of stages and guards; its standards, the inputs
its stages take and its documents sit beside it."""
