"""Applicant-facing pages (门户): home, guides, applying and following cases.

Thin views over services and selectors; it never writes models itself.
"""
