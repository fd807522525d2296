"""Chain F, 防止返贫监测和帮扶 (DOMAIN §4 F): stages.py is its table of stages and guards; its standards, the inputs
its stages take and its documents sit beside it."""
