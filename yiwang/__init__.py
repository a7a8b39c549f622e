"""Yiwang (一网): a health commission's licensing and supervision platform.

The project package holds settings, URLs and the shared edges (errors, permissions, clock);
each domain lives in its own app below it.
"""
