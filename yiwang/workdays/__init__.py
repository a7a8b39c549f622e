"""Working-day calendar (工作日) and deadline clocks: every time limit is counted here.

It answers by lookup in per-year tables; it never loops day by day and never guesses a year
that has no published calendar (those are provisional).
"""
