"""Supervision (事中事后监管): the supervised directory, double-random draws anyone can re-check,
inspections (drawn, post-approval, complaint, special, point to area, joint), penalties and the
publication of results. It reacts to cases, licences and complaints through domain events and
never writes their tables itself; lower apps never import it.
"""
