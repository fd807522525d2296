"""Chain C, 贫困边缘户识别 (DOMAIN §4 C): stages.py is its table of stages and guards; its standards, the inputs
its stages take and its documents sit beside it."""
