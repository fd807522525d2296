"""The demos: each chain's round on a simulated clock, driven through the public paths an office uses (the door, the
flows, the CLI's functions); the product never imports this package."""
