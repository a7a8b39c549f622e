"""Applications (办件): filing through any channel, the single window, the back office, deadlines.

Every state change goes through the one table in `workflow.py` and one service function; every
date comes from `yiwang.workdays` clocks. It never computes a working day itself.
"""
