"""The demos: each chain's round on a simulated clock, driven through the public paths an office uses (the door, the
flows, the CLI's functions); the product never imports this package.

A chain's demo is the module named for the chain's package (demo/village_exit.py for models/chains/village_exit/): it
names the chain it shows (CODE) and runs it into a folder (run(out_dir)); `tuopin demo --chain` finds it by that name.
"""
