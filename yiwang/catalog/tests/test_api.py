import pytest

pytestmark = pytest.mark.django_db

API_MD_FIELDS = {
    "code", "name", "type", "legal_basis", "department", "level", "statutory_limit_days",
    "committed_limit_days", "approval_mode", "channels", "online", "max_visits",
    "onsite_inspection", "fee", "result", "procedures", "materials", "version",
}  # fmt: skip


def test_an_item_has_every_field_of_api_md(demo, client):
    response = client.get("/api/v1/items/010010020000")
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= API_MD_FIELDS
    assert body["code"] == "010010020000"
    assert body["name"] == "医疗机构执业登记"
    assert body["statutory_limit_days"] == 45
    assert body["procedures"] == ["standard", "commitment", "tolerance", "green", "parallel"]
    assert body["legal_basis"][0]["reference"] == "《医疗机构管理条例》第十五条"
    assert body["result"]["licence_type"] == "医疗机构执业许可证"
    material = body["materials"][2]
    assert {"code", "name", "required", "tolerable", "form"} <= set(material)
    assert material["tolerable"] is True and material["core"] is False
    assert body["version"] == 1


def test_a_departments_view_shows_its_own_committed_limit(demo, client):
    body = client.get("/api/v1/items/010010020000", {"department": "大连市卫生健康委员会"}).json()
    assert body["committed_limit_days"] == 7
    assert body["department"] == "大连市卫生健康委员会"
    assert body["level"] == "city"


def test_the_list_searches_chinese_keywords_codes_and_filters(demo, client):
    names = [item["name"] for item in client.get("/api/v1/items", {"q": "执业注册"}).json()]
    assert names == ["医师执业注册", "护士执业注册"]
    by_code = client.get("/api/v1/items", {"q": "010040010000"}).json()
    assert [item["name"] for item in by_code] == ["公共场所卫生许可"]
    online = client.get("/api/v1/items", {"online": "true"}).json()
    assert online and all(item["online"] for item in online)
    zhongshan = client.get("/api/v1/items", {"department": "中山区卫生健康局"}).json()
    assert {item["code"] for item in zhongshan} == {"010040010000", "010020020000", "130010040000"}
    assert len(client.get("/api/v1/items").json()) >= 15


def test_an_unknown_item_is_a_404_in_the_error_format(demo, client):
    response = client.get("/api/v1/items/999999999999", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "999999999999" in response.json()["error"]["message"]
