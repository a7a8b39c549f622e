"""好差评: five-level ratings of decided cases and replied hotline tickets from every channel, the
rectification of every bad rating within 15 working days, and the figures they add up to.

It never changes a case or a ticket: it learns of them through domain events only.
"""
