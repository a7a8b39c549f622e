"""Credit (信用): the events that make an applicant's record, and the gates a grade opens or shuts.

The gates (`gates.py`) are the one place that says which procedures a grade or a list allows;
grades are still set by staff (`parties.services.applicant_set_credit`) until they are computed.
"""
