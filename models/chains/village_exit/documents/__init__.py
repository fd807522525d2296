"""The documents of chain B (贫困村退出): each kind's context builder and renderer."""
