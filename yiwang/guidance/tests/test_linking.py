import uuid

import pytest

from yiwang.events.models import Event
from yiwang.guidance.subscribers import link_inspection_findings, link_penalty_basis

pytestmark = pytest.mark.django_db


def event(name, payload):
    return Event(id=uuid.uuid4(), name=name, payload=payload)


def test_a_penalty_links_the_violations_citing_its_article(guidance_demo, client):
    penalty = event(
        "penalty.decided",
        {"penalty_id": 7, "legal_basis": "《中华人民共和国广告法》第五十八条第一款"},
    )
    link_penalty_basis(penalty)
    link_penalty_basis(penalty)  # delivered again: nothing more
    links = client.get("/api/v1/guidance/compliance/links?subject_kind=penalty&subject_id=7").json()
    assert [(link["code"], link["matched_on"]) for link in links] == [
        ("V05", "《中华人民共和国广告法》第五十八条"),
        ("V06", "《中华人民共和国广告法》第五十八条"),
    ]
    assert links[0]["url"] == "/guidance/compliance/violations/V05/"


def test_inspection_findings_link_by_the_violations_title(guidance_demo, client):
    link_inspection_findings(
        event(
            "inspection.concluded",
            {
                "inspection_id": 3,
                "outcome": "violation",
                "findings_summary": "现场发现该诊所未取得医疗机构执业许可证擅自执业，已责令停业。",
            },
        )
    )
    link_inspection_findings(
        event(
            "inspection.concluded",
            {
                "inspection_id": 4,
                "outcome": "compliant",
                "findings_summary": "未取得医疗机构执业许可证擅自执业",
            },
        )
    )
    assert [
        link["code"]
        for link in client.get(
            "/api/v1/guidance/compliance/links?subject_kind=inspection&subject_id=3"
        ).json()
    ] == ["V01"]
    assert (
        client.get("/api/v1/guidance/compliance/links?subject_kind=inspection&subject_id=4").json()
        == []
    )
    assert (
        client.get("/api/v1/guidance/compliance/links?subject_kind=ticket&subject_id=4").status_code
        == 400
    )
