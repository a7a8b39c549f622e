"""Applicants (申请人): organisations, medical institutions, persons, and agents for them.

It checks identity codes, masks personal numbers and keeps the credit grade staff set; it
never decides what a grade allows (that is `credit`'s and the case workflow's).
"""
