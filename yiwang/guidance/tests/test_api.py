import pytest

pytestmark = pytest.mark.django_db


def test_the_layout_table_is_public(guidance_demo, client):
    rows = client.get("/api/v1/guidance/layout").json()
    zhongshan = next(
        r
        for r in rows
        if r["region_code"] == "210202000000" and r["specialty_code"] == "stomatology"
    )
    assert zhongshan["resource_class"] == "abundant" and zhongshan["institutions"] == 1
    assert [f["measure"] for f in zhongshan["figures"]] == ["beds", "doctors", "institutions"]


def test_a_community_region_gets_its_districts_class(guidance_demo, client):
    rows = client.get("/api/v1/guidance/layout/regions/210202003002?specialty=stomatology").json()
    assert [(r["region"], r["resource_class"]) for r in rows] == [("中山区", "abundant")]
    assert (
        client.get("/api/v1/guidance/layout/regions/210202003002?specialty=nope").status_code == 404
    )


def test_overlapping_thresholds_are_400_through_the_api(guidance_demo, api_client):
    api_client.login_as("leader").language("en")
    response = api_client.put(
        "/api/v1/guidance/layout/thresholds/doctors",
        {
            "bands": [
                {"resource_class": "abundant", "min_percent": 90},
                {"resource_class": "weak", "min_percent": 0, "max_percent": 95},
            ]
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "thresholds_overlap"
    assert "overlap" in error["message"]


def test_thresholds_are_set_by_leaders_only(guidance_demo, api_client):
    api_client.login_as("clerk")
    response = api_client.put(
        "/api/v1/guidance/layout/thresholds/doctors",
        {"bands": [{"resource_class": "abundant", "min_percent": 100}]},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_the_compliance_guide_is_searchable_through_the_api(guidance_demo, client):
    found = client.get("/api/v1/guidance/compliance/violations", {"q": "广告 治愈率"}).json()
    assert [v["code"] for v in found] == ["V06"]
    assert found[0]["articles"][0]["law"] == "中华人民共和国广告法"
    detail = client.get("/api/v1/guidance/compliance/violations/V01").json()
    assert detail["item_codes"] == ["010010010000", "010010020000", "130010040000"]
    laws = client.get("/api/v1/guidance/compliance/laws").json()
    assert len(laws) == 6 and laws[0]["effective_on"]


def test_a_figures_upload_that_is_not_a_workbook_is_400(guidance_demo, api_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api_client.login_as("leader")
    response = api_client.post(
        "/api/v1/guidance/layout/figures", {"file": SimpleUploadedFile("f.xlsx", b"not excel")}
    )
    assert response.status_code == 400
    assert "workbook" in response.json()["error"]["fields"]


def test_the_layout_table_reads_in_a_fixed_number_of_queries(
    guidance_demo, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/guidance/layout").status_code == 200
