"""Staff-facing pages (工作台): queues, case pages, catalogue and calendar work.

Thin views over services and selectors; every page asks `yiwang.permissions` first.
"""
