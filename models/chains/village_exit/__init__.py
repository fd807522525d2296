"""Chain B, 贫困村退出 (DOMAIN §4 B): stages.py is its table of stages and guards; its standards, the inputs
its stages take and its documents sit beside it."""
