"""Indicators (改革指标): every reform figure computed from the records, per period, department,
region subtree, item, channel and procedure, with the leaders' dashboard and the public page.

It only reads the other apps and keeps derived tables (working-day positions, daily roll-ups);
it never changes a case, a licence or anything typed in by staff.
"""
