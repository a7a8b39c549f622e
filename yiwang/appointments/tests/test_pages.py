import pytest

from yiwang.appointments.models import Booking
from yiwang.appointments.tests.conftest import SETTING_UP


@pytest.mark.django_db
def test_the_clerks_day_sheet_lists_who_comes_when(hall, slot_at, user_named, client):
    from yiwang.appointments import services

    services.booking_create(
        actor=user_named("clerk"),
        slot_id=slot_at("2026-09-29", "10:30").pk,
        item_code=SETTING_UP,
        channel="phone",
        visitor_name="王明",
        phone="13800000000",
    )
    client.force_login(user_named("clerk"))
    page = client.get(f"/workbench/appointments/?hall={hall.pk}&date=2026-09-29").content.decode()
    assert "10:30" in page and "王明" in page and "DL260929001" in page
    client.force_login(user_named("applicant"))
    assert client.get(f"/workbench/appointments/?hall={hall.pk}&date=2026-09-29").status_code == 403


@pytest.mark.django_db
def test_the_booking_page_shows_no_slots_on_national_day(hall, client):
    page = client.get(f"/appointments/?hall={hall.pk}&date=2026-10-02&item_code={SETTING_UP}")
    assert "没有可预约的时段" in page.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_applicant_books_a_slot_and_sees_the_ticket(hall, site):
    site.login("applicant")
    page = site.page
    page.goto(site.url(f"/appointments/?hall={hall.pk}&date=2026-09-30&item_code={SETTING_UP}"))
    page.select_option(
        "#slots tr:has-text('10:00') select[name=applicant_id]", label="大连海滨口腔诊所"
    )
    with page.expect_navigation():
        page.click("#slots button[data-slot='10:00']")
    assert page.inner_text("#ticket-number") == "DL260930001"
    assert "2026-09-30 10:00–10:30" in page.inner_text("main")
    booking = Booking.objects.get(ticket="DL260930001")
    assert booking.applicant.name == "大连海滨口腔诊所" and booking.channel == "portal"


@pytest.mark.django_db
def test_booking_from_the_page_for_a_case_ties_the_booking_to_it(hall, slot_at, user_named, client):
    from yiwang.appointments.tests.factories import file_case
    from yiwang.parties.models import Applicant

    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    case = file_case(actor=user_named("applicant"), applicant=clinic, item_code=SETTING_UP)
    client.force_login(user_named("applicant"))
    form = client.get(
        f"/appointments/?hall={hall.pk}&date=2026-09-30&item_code={SETTING_UP}&case_id={case.pk}"
    )
    assert f'name="case_id" value="{case.pk}"' in form.content.decode()
    response = client.post(
        f"/appointments/?hall={hall.pk}&date=2026-09-30&item_code={SETTING_UP}",
        {"slot": slot_at("2026-09-30", "11:00").pk, "item_code": SETTING_UP, "case_id": case.pk},
        follow=True,
    )
    page = response.content.decode()
    assert "DL260930001" in page and case.number in page
    assert Booking.objects.get().case == case
