"""Service items (事项), their versions, implementation lists (实施清单) and guides (办事指南).

One standard at every level: implementations may only tighten the base item. It never holds
cases or decides on them.
"""
