"""The documents of chain G (大排查大整改): each kind's context builder and renderer."""
