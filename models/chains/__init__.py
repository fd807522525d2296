"""The chains of DOMAIN §4, one package each: `models/chains/<chain>/` holds the chain's table of stages
(`stages.py`, which registers it), its standards and guards, the inputs its stages take and its documents.

Nothing here imports a chain: the registry (models/door/chain.py) imports a chain's package when the chain is
first named, so importing the door does not import all seven.
"""
