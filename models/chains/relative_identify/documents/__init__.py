"""The documents of chain E (相对贫困户识别): each kind's context builder and renderer."""
