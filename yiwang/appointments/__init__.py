"""Appointments (预约办, 错峰办): service halls, their windows and opening hours, slots with a
capacity per item group, bookings by portal, phone and at the door, reminders and no-shows.

It never changes a case: a booking only points at the case it is for.
"""
