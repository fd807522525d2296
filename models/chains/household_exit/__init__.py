"""Chain A, 贫困户脱贫退出 (DOMAIN §4 A): stages.py is its table of stages and guards; its standards, the inputs
its stages take and its documents sit beside it."""
