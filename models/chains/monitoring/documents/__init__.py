"""The documents of chain F (防止返贫监测和帮扶): each kind's context builder and renderer."""
