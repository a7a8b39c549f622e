"""Disclosure (政务公开): the publication queue of licensing decisions, penalties (双公示) and
inspection results with their working-day limits, withdrawals with a public note, open data, and
policy documents with fair-competition review, interpretation and yearly assessment.

It never changes a case, licence or inspection: it learns of them through domain events only.
"""
