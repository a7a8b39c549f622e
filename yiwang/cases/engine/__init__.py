"""The case engine: states, the transition table, the statutory numbers, clocks and `perform`.

Procedures (`cases/procedures/`) and other apps plug into it through hooks and events; the
engine imports none of them.
"""
