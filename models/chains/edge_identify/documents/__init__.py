"""The documents of chain C (贫困边缘户识别): each kind's context builder and renderer."""
