"""Complaints (投诉举报): 12345 / 12315 hotline tickets — intake from every channel, deadlines in
working days, dispatch, return, reply, rating, reopening, and the confidential reporter.

It never handles an inspection itself (supervision does, told by an event) and never shows a
reporter's name or phone outside the handling department.
"""
