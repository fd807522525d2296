"""The documents of chain A (贫困户脱贫退出): each kind's context builder and renderer."""
