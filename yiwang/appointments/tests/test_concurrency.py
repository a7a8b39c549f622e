import threading

import pytest
from django.db import connection

from yiwang.appointments import services
from yiwang.appointments.models import Booking
from yiwang.appointments.tests.conftest import SETTING_UP
from yiwang.errors import Conflict

THREADS = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_bookings_for_the_last_place_give_it_to_one(hall, slot_at, user_named):
    slot = slot_at("2026-09-30")
    clerk = user_named("clerk")
    for number in range(slot.capacity - 1):
        services.booking_create(
            actor=clerk,
            slot_id=slot.pk,
            item_code=SETTING_UP,
            channel="phone",
            visitor_name=f"早到者{number}",
            phone=f"1370000000{number}",
        )
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            services.booking_create(
                actor=clerk,
                slot_id=slot.pk,
                item_code=SETTING_UP,
                channel="phone",
                visitor_name=f"来访者{number}",
                phone=f"13800000{number:03d}",
            )
            result = "booked"
        except Conflict as error:
            result = error.code
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(number,)) for number in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["booked"] + ["slot_full"] * (THREADS - 1)
    slot.refresh_from_db()
    assert slot.booked == slot.capacity == 4
    assert Booking.objects.filter(slot=slot, status="booked").count() == 4
    tickets = list(Booking.objects.values_list("ticket", flat=True))
    assert len(tickets) == len(set(tickets))
