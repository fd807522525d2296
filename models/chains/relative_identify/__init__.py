"""Chain E, 相对贫困户识别 (DOMAIN §4 E): stages.py is its table of stages and guards; its standards, the inputs
its stages take and its documents sit beside it."""
