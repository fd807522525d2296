"""The documents of chain D (重点帮扶村确认): each kind's context builder and renderer."""
