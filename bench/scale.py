"""Benchmark: reads at scale. Fill the database with cases by COPY, then time the reads.

Run alone:  .venv/bin/python bench/scale.py                       (100,000 then 1,000,000)
            .venv/bin/python bench/scale.py --steps 100000 1000000 10000000
            .venv/bin/python bench/scale.py --steps 10000 100000  (quick)

The generator (`fill`) adds a province around the demo's Dalian: 13 more cities with their
health commissions and two district bureaus each, every item implemented by each of them, and
applicants (one per ten cases) across all regions. Cases are spread over three years up to
yesterday (weekdays, office hours), over items (a few items take most cases), departments
(Dalian's share is a fifth), channels, procedures and states (open cases are the recent ones;
older ones are closed: mostly issued, some denied, refused or withdrawn), each with its
materials, timeline, visits, suspensions, licence (signed Ed25519, as issued) with its
history, and its audit stream (records hash-chained exactly as `audit_record` does). Every
table is loaded with COPY (psycopg `cursor.copy()`), then VACUUM ANALYZE.

After each step it measures, in-process through Django's test client (no HTTP; the
lifecycle benchmark covers the server), p50/p95 and queries per request of: the clerk's and
the reviewer's first queue page (page and API), the case page, the item guide page, the
public licence verification, and the leader's indicators (yiwang.indicators), and keeps
EXPLAIN (ANALYZE, BUFFERS) of each one's slowest statements in var/bench/explain-<N>.txt.

Results: var/bench/scale.json, and docs/performance.md.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import json
import random
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

CITIES = [
    ("2101", "沈阳市", 0.22),
    ("2103", "鞍山市", 0.07),
    ("2104", "抚顺市", 0.04),
    ("2105", "本溪市", 0.03),
    ("2106", "丹东市", 0.05),
    ("2107", "锦州市", 0.06),
    ("2108", "营口市", 0.05),
    ("2109", "阜新市", 0.03),
    ("2110", "辽阳市", 0.04),
    ("2111", "盘锦市", 0.03),
    ("2112", "铁岭市", 0.04),
    ("2113", "朝阳市", 0.04),
    ("2114", "葫芦岛市", 0.04),
]
DALIAN_SHARE = 0.26
# Status by age of the case in days: open cases are recent, old ones are closed.
STATUS_BY_AGE = [
    (3, [("received", 70), ("correction_requested", 10), ("accepted", 20)]),
    (
        15,
        [
            ("received", 4),
            ("correction_requested", 3),
            ("accepted", 35),
            ("reviewed", 15),
            ("suspended", 5),
            ("approved", 10),
            ("issued", 25),
            ("refused", 2),
            ("withdrawn", 1),
        ],
    ),
    (
        40,
        [
            ("accepted", 8),
            ("reviewed", 5),
            ("suspended", 4),
            ("approved", 5),
            ("issued", 70),
            ("denied", 3),
            ("refused", 2),
            ("withdrawn", 3),
        ],
    ),
    (10**6, [("issued", 88), ("denied", 4), ("refused", 4), ("withdrawn", 4)]),
]
ACTIONS = {
    "received": ["receive"],
    "correction_requested": ["receive", "request_correction"],
    "accepted": ["receive", "accept"],
    "suspended": ["receive", "accept", "suspend"],
    "reviewed": ["receive", "accept", "review"],
    "approved": ["receive", "accept", "review", "approve"],
    "issued": ["receive", "accept", "review", "approve", "issue"],
    "denied": ["receive", "accept", "review", "deny"],
    "refused": ["receive", "refuse"],
    "withdrawn": ["receive", "accept", "withdraw"],
}
CHANNELS = [("online", 70), ("window", 20), ("mail", 5), ("mobile", 5)]
PROCEDURES = [("standard", 88), ("tolerance", 5), ("commitment", 5), ("green", 2)]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
TZ = datetime.timezone(datetime.timedelta(hours=8))
GENERATED_LICENCE_SEQ = 900_000
# Practice licences and clinic filings (the guidance's operating items) name their departments
# (诊疗科目) in their scope: the layout guidance counts institutions per specialty from them.
SCOPES = [["口腔科"], ["内科", "中医科"], ["妇产科", "内科"], ["眼科"], ["内科"], ["中医科"]]


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def tsv(values) -> str:
    out = []
    for value in values:
        if value is None:
            out.append("\\N")
        elif value is True:
            out.append("t")
        elif value is False:
            out.append("f")
        elif isinstance(value, dict | list):
            out.append(json.dumps(value, ensure_ascii=False).replace("\\", "\\\\"))
        else:
            out.append(str(value))
    return "\t".join(out) + "\n"


class Copier:
    """Buffered COPY into one table."""

    def __init__(self, cursor, table: str, columns: list[str]):
        self.manager = cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN")
        self.copy = self.manager.__enter__()
        self.lines: list[str] = []
        self.rows = 0

    def add(self, values) -> None:
        self.lines.append(tsv(values))
        if len(self.lines) >= 5000:
            self.flush()

    def flush(self) -> None:
        if self.lines:
            self.copy.write("".join(self.lines).encode())
            self.rows += len(self.lines)
            self.lines = []

    def close(self) -> None:
        self.flush()
        self.manager.__exit__(None, None, None)


# Reference data: the province ---------------------------------------------------------------


def ensure_province(cursor) -> None:
    cursor.execute("SELECT count(*) FROM regions_region WHERE code = '210100000000'")
    if cursor.fetchone()[0]:
        return
    cursor.execute("SELECT id FROM regions_region WHERE code = '210000000000'")
    province = cursor.fetchone()[0]
    cursor.execute("SELECT kind FROM regions_department WHERE id = 1")
    for prefix, name, _share in CITIES:
        cursor.execute(
            "INSERT INTO regions_region (code, name, name_en, level, parent_id) "
            "VALUES (%s, %s, %s, 2, %s) RETURNING id",
            (f"{prefix}00000000", name, name, province),
        )
        city = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO regions_department (name, name_en, kind, uscc, runs_service_hall, "
            "hall_address, region_id) VALUES (%s, %s, 'health_commission', %s, false, '', %s) "
            "RETURNING id",
            (
                f"{name}卫生健康委员会",
                f"{name} health commission",
                f"11{prefix}00MB{prefix}X0",
                city,
            ),
        )
        commission = cursor.fetchone()[0]
        _copy_implementations(cursor, from_department=1, to_department=commission)
        for index, district in enumerate(("02", "03")):
            cursor.execute(
                "INSERT INTO regions_region (code, name, name_en, level, parent_id) "
                "VALUES (%s, %s, %s, 3, %s) RETURNING id",
                (
                    f"{prefix}{district}000000",
                    f"{name}第{index + 1}区",
                    f"district {index + 1}",
                    city,
                ),
            )
            region = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO regions_department (name, name_en, kind, uscc, runs_service_hall, "
                "hall_address, region_id) VALUES (%s, %s, 'health_commission', '', false, '', %s) "
                "RETURNING id",
                (f"{name}第{index + 1}区卫生健康局", "district health bureau", region),
            )
            _copy_implementations(cursor, from_department=5, to_department=cursor.fetchone()[0])


def _copy_implementations(cursor, *, from_department: int, to_department: int) -> None:
    columns = (
        "exercise_level, status, published_at, name, item_type, legal_basis, materials, "
        "statutory_limit_days, committed_limit_days, max_visits, channels, online, hall_address, "
        "office_hours, phone, fee_account, item_id, base_version_id"
    )
    cursor.execute(
        f"INSERT INTO catalog_implementation (implementation_code, department_id, {columns}) "
        f"SELECT 'G' || %s || '-' || id, %s, {columns} "
        "FROM catalog_implementation WHERE department_id = %s",
        (to_department, to_department, from_department),
    )


def load_reference(cursor) -> SimpleNamespace:
    cursor.execute(
        "SELECT i.id, i.code, v.id, v.licence_type, v.licence_type_code, "
        "v.licence_validity_years, v.committed_limit_days, v.statutory_limit_days "
        "FROM catalog_item i JOIN catalog_itemversion v ON v.item_id = i.id "
        "AND v.status = 'published' ORDER BY i.id"
    )
    items = [
        SimpleNamespace(
            id=r[0],
            code=r[1],
            version=r[2],
            licence_type=r[3],
            type_code=r[4],
            years=r[5],
            committed=r[6] or 5,
            statutory=r[7] or 20,
        )
        for r in cursor.fetchall()
    ]
    cursor.execute(
        "SELECT version_id, code, name FROM catalog_material ORDER BY version_id, position"
    )
    materials: dict[int, list] = {}
    for version, code, name in cursor.fetchall():
        materials.setdefault(version, []).append((code, name))
    cursor.execute(
        "SELECT im.id, im.item_id, d.id, r.id, r.code, d.name, d.uscc "
        "FROM catalog_implementation im "
        "JOIN regions_department d ON d.id = im.department_id "
        "JOIN regions_region r ON r.id = d.region_id"
    )
    implementations: dict[int, list] = {}
    for impl, item, department, region, code, dname, duscc in cursor.fetchall():
        share = (
            DALIAN_SHARE
            if code.startswith("2102")
            else dict((p, s) for p, _n, s in CITIES).get(code[:4], 0.01)
        )
        # Within a city the commission takes most; district bureaus share the rest.
        share *= 0.8 if code[4:6] == "00" else 0.1
        implementations.setdefault(item, []).append(
            SimpleNamespace(
                id=impl,
                department=department,
                region=region,
                code=code,
                name=dname,
                uscc=duscc,
                weight=share,
            )
        )
    cursor.execute("SELECT id, code FROM regions_region")
    regions = cursor.fetchall()
    cursor.execute("SELECT id FROM auth_user WHERE username = 'applicant'")
    applicant_user = cursor.fetchone()[0]
    cursor.execute(
        "SELECT username, id FROM auth_user WHERE username IN ('clerk', 'reviewer', 'approver')"
    )
    staff = dict(cursor.fetchall())
    # Items by popularity: a few items take most cases (Zipf-like), all get some.
    rng = random.Random(7)
    weights = [1 / (rank + 1) for rank in range(len(items))]
    rng.shuffle(weights)
    for item, weight in zip(items, weights, strict=True):
        item.weight = weight
    return SimpleNamespace(
        items=[i for i in items if i.id in implementations],
        materials=materials,
        implementations=implementations,
        regions=regions,
        applicant_user=applicant_user,
        staff=staff,
    )


def ensure_applicants(cursor, wanted: int, ref) -> list[tuple[int, str, str, int]]:
    """(id, name, uscc, region_id) of generated applicants, topped up to `wanted`."""
    cursor.execute("SELECT count(*) FROM parties_applicant WHERE uscc LIKE '9Z%%'")
    have = cursor.fetchone()[0]
    if have < wanted:
        rng = random.Random(have)
        copier = Copier(
            cursor,
            "parties_applicant",
            [
                "kind",
                "name",
                "uscc",
                "address",
                "legal_representative",
                "phone",
                "email",
                "institution_category",
                "beds",
                "practice_licence_number",
                "credit_grade",
                "black_listed",
                "red_listed",
                "created_at",
                "region_id",
            ],
        )
        now = datetime.datetime.now(TZ).isoformat()
        for number in range(have, wanted):
            region_id, code = rng.choice(ref.regions)
            medical = number % 3 == 0
            copier.add(
                [
                    "medical_institution" if medical else "organisation",
                    f"{'诊所' if medical else '公司'}{number:07d}号",
                    f"9Z{code[:6]}{number:010d}",
                    "辽宁省",
                    rng.choice(SURNAMES) + "某",
                    "13800000000",
                    "",
                    "诊所" if medical else "",
                    rng.randrange(0, 200) if medical else None,
                    "",
                    "B",
                    False,
                    False,
                    now,
                    region_id,
                ]
            )
        copier.close()
    cursor.execute(
        "SELECT a.id, a.name, a.uscc, a.region_id, r.code FROM parties_applicant a "
        "JOIN regions_region r ON r.id = a.region_id WHERE a.uscc LIKE '9Z%%' ORDER BY a.id"
    )
    return cursor.fetchall()


# The cases --------------------------------------------------------------------------------


def fill(total: int, *, seed: int = 1) -> dict:
    """Add generated cases until the cases table holds `total` generated ones."""
    from django.db import connection

    from yiwang import clock
    from yiwang.audit import chain
    from yiwang.guidance import layout
    from yiwang.licences import elicence, signing

    started = time.perf_counter()
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg cursor, for copy()
        ensure_province(cursor)
        ref = load_reference(cursor)
        cursor.execute("SELECT count(*) FROM cases_case WHERE number LIKE '%%G%%'")
        have = cursor.fetchone()[0]
        if have >= total:
            return {"added": 0, "seconds": 0}
        applicants = ensure_applicants(cursor, max(total // 10, 1000), ref)
        by_region: dict[str, list] = {}
        for row in applicants:
            by_region.setdefault(row[4][:4], []).append(row)
        next_ids = {}
        for table in ("cases_case", "licences_licence", "cases_timelineentry"):
            cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
            next_ids[table] = cursor.fetchone()[0]
        key = signing.current_key()
        connection.commit() if not connection.get_autocommit() else None
        rng = random.Random(seed * 1_000_003 + have)
        today = clock.today()
        first_day = today - datetime.timedelta(days=3 * 365)
        days = [
            first_day + datetime.timedelta(days=n)
            for n in range((today - first_day).days)
            if (first_day + datetime.timedelta(days=n)).weekday() < 5
        ]
        item_weights = [item.weight for item in ref.items]
        count = total - have
        tables = {
            "case": Copier(cursor, "cases_case", CASE_COLUMNS),
        }
        # One COPY at a time per connection: generate each table in its own pass over the
        # same seeded plan, so the rows agree.
        plan = []
        case_id = next_ids["cases_case"]
        sequence: dict[tuple, int] = {}
        licence_seq: dict[tuple, int] = {}
        for _ in range(count):
            item = rng.choices(ref.items, item_weights)[0]
            impls = ref.implementations[item.id]
            impl = rng.choices(impls, [i.weight for i in impls])[0]
            day = rng.choice(days)
            age = (today - day).days
            status = weighted(rng, next(table for limit, table in STATUS_BY_AGE if age <= limit))
            local = datetime.datetime.combine(
                day,
                datetime.time(8 + rng.randrange(9), rng.randrange(60), rng.randrange(60)),
                TZ,
            )
            pool = by_region.get(impl.code[:4]) or applicants
            applicant = rng.choice(pool)
            seq_key = (impl.department, day)
            sequence[seq_key] = sequence.get(seq_key, 0) + 1
            licence_number = None
            if status == "issued" and item.type_code:
                year = day.year
                lkey = (item.type_code, year)
                licence_seq[lkey] = licence_seq.get(lkey, GENERATED_LICENCE_SEQ + have) + 1
                licence_number = f"{item.type_code}{year}{licence_seq[lkey]:06d}"
            plan.append(
                SimpleNamespace(
                    id=case_id,
                    item=item,
                    impl=impl,
                    day=day,
                    at=local,
                    age=age,
                    status=status,
                    applicant=applicant,
                    seq=sequence[seq_key],
                    licence_number=licence_number,
                    channel=weighted(rng, CHANNELS),
                    procedure=weighted(rng, PROCEDURES),
                    used=max(1, int(rng.gauss(item.committed * 0.7, item.committed * 0.35 + 1))),
                )
            )
            case_id += 1
        _write_cases(tables["case"], plan, ref, today)
        tables["case"].close()
        _write_children(cursor, plan, ref, today)
        _write_licences(
            cursor, plan, ref, next_ids["licences_licence"], key, elicence, layout.OPERATING_ITEMS
        )
        _write_audit(cursor, plan, ref, chain, next_ids["licences_licence"])
        for table in (
            "cases_case",
            "cases_casematerial",
            "cases_timelineentry",
            "cases_visit",
            "cases_suspension",
            "licences_licence",
            "licences_licenceevent",
            "audit_auditrecord",
            "audit_auditstream",
            "parties_applicant",
            "regions_region",
            "regions_department",
            "catalog_implementation",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
    connection.commit() if not connection.get_autocommit() else None
    loaded = time.perf_counter() - started
    # The licences came by COPY, without their events: the layout guidance's counts are made
    # from the register as its nightly recount does.
    recount = time.perf_counter()
    counted = layout.counted_institutions_rebuild()
    recount_seconds = time.perf_counter() - recount
    analyse = time.perf_counter()
    for table in (
        "cases_case",
        "cases_casematerial",
        "cases_timelineentry",
        "cases_visit",
        "cases_suspension",
        "licences_licence",
        "licences_licenceevent",
        "audit_auditrecord",
        "audit_auditstream",
        "parties_applicant",
        "catalog_implementation",
        "regions_region",
        "regions_department",
        "guidance_countedinstitution",
    ):
        common.psql(f"VACUUM ANALYZE {table}", connection.settings_dict["NAME"])
    # The small reference tables too: below autovacuum's threshold they are never analysed,
    # and a catalogue estimated at one row sends the planner down a bad join order.
    common.psql("ANALYZE", connection.settings_dict["NAME"])
    return {
        "added": count,
        "load_seconds": round(loaded, 1),
        "counted_institutions": counted,
        "recount_seconds": round(recount_seconds, 1),
        "vacuum_analyze_seconds": round(time.perf_counter() - analyse, 1),
    }


CASE_COLUMNS = [
    "id",
    "number",
    "channel",
    "procedure",
    "status",
    "form",
    "postal_tracking_number",
    "idempotency_key",
    "received_at",
    "submitted_on",
    "accepted_on",
    "deemed_accepted",
    "decided_on",
    "decision_reason",
    "issued_on",
    "closed_on",
    "extension_days",
    "extension_reason",
    "review_opinion",
    "licence_number",
    "green",
    "commitment_signed_at",
    "commitment_signer",
    "due_on",
    "level",
    "version",
    "applicant_id",
    "department_id",
    "filed_by_id",
    "handler_id",
    "implementation_id",
    "item_id",
    "item_version_id",
    "region_id",
    "commitment_text",
    "supplemented_on",
    "bundle_application_id",
    "prereview_id",
    "applicant_priority",
]
OPEN = {"received", "correction_requested", "accepted", "suspended", "reviewed", "approved"}


def _dates(case, today):
    """accepted, decided, issued, closed, due: calendar days that follow the working days used."""
    plus = datetime.timedelta
    accepted = decided = issued = closed = due = None
    actions = ACTIONS[case.status]
    if "accept" in actions:
        accepted = min(today, case.day + plus(days=1 + case.used % 3))
    if case.status in ("issued", "approved", "denied"):
        decided = min(today, (accepted or case.day) + plus(days=round(case.used * 1.4)))
    if case.status == "issued":
        issued = min(today, decided + plus(days=case.used % 2))
        closed = issued
    elif case.status in ("denied",):
        closed = decided
    elif case.status in ("refused",):
        closed = min(today, case.day + plus(days=2))
    elif case.status == "withdrawn":
        closed = min(today, (accepted or case.day) + plus(days=3))
    if case.status in OPEN:
        start = accepted or case.day
        limit = case.item.committed if accepted else 5
        due = start + plus(days=round(limit * 1.4))
    return accepted, decided, issued, closed, due


def _level(due, today):
    if due is None:
        return "normal"
    if due < today:
        return "overdue"
    if (due - today).days <= 3:
        return "warning"
    return "normal"


def _write_cases(copier, plan, ref, today):
    for case in plan:
        accepted, decided, issued, closed, due = _dates(case, today)
        case.dates = (accepted, decided, issued, closed, due)
        # Generated numbers end in G and the batch's first id: unique across fills.
        number = (
            f"{case.impl.code[:6]}-{case.impl.department:03d}-{case.day:%Y%m%d}-"
            f"{case.seq:05d}G{plan[0].id}"
        )
        case.number = number
        copier.add(
            [
                case.id,
                number,
                case.channel,
                case.procedure,
                case.status,
                {"contact_name": "王医生", "contact_phone": "13800000000"},
                "SF1234567890" if case.channel == "mail" else "",
                None,
                case.at.isoformat(),
                case.day,
                accepted,
                False,
                decided,
                "",
                issued,
                closed,
                0,
                "",
                "",
                case.licence_number or "",
                case.procedure == "green",
                case.at.isoformat() if case.procedure == "commitment" else None,
                "王医生" if case.procedure == "commitment" else "",
                due,
                _level(due, today),
                len(ACTIONS[case.status]),
                case.applicant[0],
                case.impl.department,
                ref.applicant_user,
                None,
                case.impl.id,
                case.item.id,
                case.item.version,
                case.impl.region,
                "本单位承诺符合条件" if case.procedure == "commitment" else "",
                None,
                None,
                None,
                1,  # generated applicants are B-graded (`ensure_applicants`)
            ]
        )


def _action_times(case):
    """The time of each timeline action: receive at filing, the others on their dates."""
    accepted, decided, issued, closed, _due = case.dates
    at = case.at
    days = {
        "receive": case.day,
        "accept": accepted,
        "request_correction": case.day,
        "review": decided or accepted,
        "suspend": accepted,
        "approve": decided,
        "deny": decided,
        "issue": issued,
        "refuse": closed,
        "withdraw": closed,
    }
    times = []
    for index, action in enumerate(ACTIONS[case.status]):
        day = days.get(action) or case.day
        stamp = datetime.datetime.combine(day, at.timetz()) + datetime.timedelta(minutes=index)
        times.append((action, stamp))
    return times


def _write_children(cursor, plan, ref, today):
    staff = ref.staff
    actor_of = {
        "receive": ref.applicant_user,
        "accept": staff["clerk"],
        "request_correction": staff["clerk"],
        "refuse": staff["clerk"],
        "review": staff["reviewer"],
        "suspend": staff["reviewer"],
        "withdraw": ref.applicant_user,
    }
    labels = {v: k for k, v in staff.items()} | {ref.applicant_user: "applicant"}
    copier = Copier(
        cursor,
        "cases_timelineentry",
        ["case_id", "at", "action", "actor_id", "actor_label", "note", "data"],
    )
    for case in plan:
        for action, at in _action_times(case):
            actor = actor_of.get(action, staff["approver"])
            data = {"channel": case.channel, "missing": []} if action == "receive" else {}
            copier.add([case.id, at.isoformat(), action, actor, labels[actor], "", data])
    copier.close()
    copier = Copier(
        cursor,
        "cases_casematerial",
        ["case_id", "code", "name", "file_id", "missing", "from_elicence", "supplied_at"],
    )
    for case in plan:
        for code, name in ref.materials.get(case.item.version, [])[:3]:
            copier.add([case.id, code, name, None, False, True, case.at.isoformat()])
    copier.close()
    copier = Copier(cursor, "cases_visit", ["case_id", "at", "purpose", "recorded_by_id"])
    for case in plan:
        if case.channel == "window":
            copier.add([case.id, case.at.isoformat(), "filing", staff["clerk"]])
        if case.status == "issued" and case.id % 5 == 0:
            copier.add([case.id, case.at.isoformat(), "pickup", staff["clerk"]])
    copier.close()
    copier = Copier(
        cursor,
        "cases_suspension",
        ["case_id", "kind", "reason", "started_on", "ended_on", "resume_status"],
    )
    for case in plan:
        if case.status == "suspended":
            copier.add([case.id, "expert_review", "专家评审", case.dates[0], None, "accepted"])
    copier.close()


def _write_licences(cursor, plan, ref, first_id, key, elicence, operating_items):
    licence_columns = [
        "id",
        "number",
        "licence_type",
        "licence_type_code",
        "scope",
        "valid_from",
        "valid_until",
        "validity_years",
        "status",
        "version",
        "elicence_id",
        "signed_content",
        "signature",
        "signing_key_id",
        "document",
        "document_sha256",
        "issued_at",
        "imported",
        "deemed_renewed_on",
        "verification_due",
        "case_id",
        "department_id",
        "holder_id",
        "item_id",
        "particulars",
        "licence_type_en",
    ]
    copier = Copier(cursor, "licences_licence", licence_columns)
    events = []
    licence_id = first_id
    today = datetime.date.today()
    for case in plan:
        if not case.licence_number:
            continue
        item, issued = case.item, case.dates[2]
        until = None
        if item.years:
            until = (
                issued.replace(year=issued.year + item.years)
                if not (issued.month == 2 and issued.day == 29)
                else issued + datetime.timedelta(days=365 * item.years)
            )
        scope = SCOPES[licence_id % len(SCOPES)] if item.code in operating_items else []
        identifier = elicence.elicence_identifier(
            type_code=item.type_code,
            issuer_uscc=case.impl.uscc,
            number=case.licence_number,
            version=1,
        )
        licence = SimpleNamespace(
            number=case.licence_number,
            elicence_id=identifier,
            licence_type=item.licence_type,
            licence_type_code=item.type_code,
            holder=SimpleNamespace(name=case.applicant[1], code=case.applicant[2]),
            item=SimpleNamespace(code=item.code),
            scope=scope,
            valid_from=issued,
            valid_until=until,
            department=SimpleNamespace(name=case.impl.name, uscc=case.impl.uscc),
            version=1,
            particulars={},  # generated cases carry no form answers for the licence
        )
        content = elicence.canonical(elicence.elements(licence))
        signature = base64.b64encode(key.private.sign(content.encode())).decode()
        status = "expired" if until and until < today else "valid"
        issued_at = datetime.datetime.combine(issued, case.at.timetz()).isoformat()
        copier.add(
            [
                licence_id,
                case.licence_number,
                item.licence_type,
                item.type_code,
                scope,
                issued,
                until,
                item.years,
                status,
                1,
                identifier,
                content,
                signature,
                key.key_id,
                None,
                "",
                issued_at,
                False,
                None,
                None,
                case.id,
                case.impl.department,
                case.applicant[0],
                item.id,
                {},
                "",
            ]
        )
        case.licence_id = licence_id
        events.append((licence_id, issued_at, case.id))
        licence_id += 1
    copier.close()
    copier = Copier(
        cursor,
        "licences_licenceevent",
        [
            "licence_id",
            "at",
            "action",
            "actor_id",
            "actor_label",
            "before",
            "after",
            "note",
            "case_id",
            "policy_id",
        ],
    )
    for licence, at, case_id in events:
        copier.add(
            [
                licence,
                at,
                "issue",
                ref.staff["approver"],
                "approver",
                None,
                {"status": "valid"},
                "",
                case_id,
                None,
            ]
        )
    copier.close()


def _write_audit(cursor, plan, ref, chain, first_licence_id):
    """One record per timeline action (and one per licence), chained per stream like
    `audit_record`; the stream heads as `AuditStream` rows, anchored when older than 40 days."""
    records = Copier(
        cursor,
        "audit_auditrecord",
        [
            "stream",
            "seq",
            "at",
            "actor_id",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "before",
            "after",
            "note",
            "prev_hash",
            "hash",
        ],
    )
    heads = []  # one COPY at a time on a connection: the heads go after the records
    genesis = "0" * 64
    approver = ref.staff["approver"]
    for case in plan:
        stream = f"case:{case.id}"
        prev = genesis
        seq = 0
        for action, at in _action_times(case):
            seq += 1
            after = {"status": case.status if seq == len(ACTIONS[case.status]) else action}
            digest = chain.record_hash(
                stream=stream,
                seq=seq,
                at=at,
                actor_id=approver,
                actor_label="approver",
                action=f"case.{action}",
                object_type="cases.case",
                object_id=str(case.id),
                before=None,
                after=after,
                note="",
                prev_hash=prev,
            )
            records.add(
                [
                    stream,
                    seq,
                    at.isoformat(),
                    approver,
                    "approver",
                    f"case.{action}",
                    "cases.case",
                    case.id,
                    None,
                    after,
                    "",
                    prev,
                    digest,
                ]
            )
            prev = digest
        anchored = case.age > 40
        heads.append([stream, seq, prev, seq if anchored else 0, prev if anchored else ""])
        licence_id = getattr(case, "licence_id", None)
        if licence_id:
            stream = f"licence:{licence_id}"
            at = datetime.datetime.combine(case.dates[2], case.at.timetz())
            after = {"number": case.licence_number, "status": "valid"}
            digest = chain.record_hash(
                stream=stream,
                seq=1,
                at=at,
                actor_id=approver,
                actor_label="approver",
                action="licence.issue",
                object_type="licences.licence",
                object_id=str(licence_id),
                before=None,
                after=after,
                note="",
                prev_hash=genesis,
            )
            records.add(
                [
                    stream,
                    1,
                    at.isoformat(),
                    approver,
                    "approver",
                    "licence.issue",
                    "licences.licence",
                    licence_id,
                    None,
                    after,
                    "",
                    genesis,
                    digest,
                ]
            )
            anchored = case.age > 40
            heads.append([stream, 1, digest, 1 if anchored else 0, digest if anchored else ""])
    records.close()
    streams = Copier(
        cursor,
        "audit_auditstream",
        ["name", "last_seq", "last_hash", "anchored_seq", "anchored_hash"],
    )
    for head in heads:
        streams.add(head)
    streams.close()


# Measuring --------------------------------------------------------------------------------


def measure(samples: int, database: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from yiwang.indicators import selectors as indicator_selectors
    from yiwang.indicators.slices import Slice

    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["clerk", "reviewer", "approver", "leader"]
        )
    }
    clients = {}
    for name, user in users.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        clients[name] = client
    token = {}
    for name in ("clerk", "reviewer"):
        answer = Client(HTTP_HOST="127.0.0.1").post(
            "/api/v1/auth/token",
            {"username": name, "password": "demo-pass-2026"},
            content_type="application/json",
        )
        token[name] = {"HTTP_AUTHORIZATION": f"Bearer {answer.json()['token']}"}
    public = Client(HTTP_HOST="127.0.0.1")
    rng = random.Random(5)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM cases_case WHERE department_id = 1 ORDER BY md5(id::text) LIMIT 2000"
        )
        case_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT number FROM licences_licence ORDER BY md5(id::text) LIMIT 2000")
        numbers = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT code FROM catalog_item ORDER BY code")
        codes = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT max(received_at)::date FROM cases_case")
        last_day = cursor.fetchone()[0]
    month_end = last_day.replace(day=1) - datetime.timedelta(days=1)
    month_start = month_end.replace(day=1)

    def page(client, path, **extra):
        return lambda: client.get(path, **extra)

    def ind_all():
        return indicator_selectors.total_counts(Slice(start=month_start, end=month_end))

    def ind_department():
        from yiwang.regions.models import Department

        department = Department.objects.get(pk=1)
        return indicator_selectors.total_counts(
            Slice(start=month_start, end=month_end, department=department)
        )

    probes = {
        "queue page, clerk": page(clients["clerk"], "/workbench/cases/"),
        "queue page, reviewer": page(clients["reviewer"], "/workbench/cases/"),
        "queue API, clerk (50)": page(
            clients["clerk"], "/api/v1/applications?limit=50", **token["clerk"]
        ),
        "queue API, reviewer (200)": page(
            clients["reviewer"], "/api/v1/applications?limit=200", **token["reviewer"]
        ),
        "case page, reviewer": lambda: clients["reviewer"].get(
            f"/workbench/cases/{rng.choice(case_ids)}/"
        ),
        "case API, reviewer": lambda: clients["reviewer"].get(
            f"/api/v1/applications/{rng.choice(case_ids)}", **token["reviewer"]
        ),
        "item guide page": lambda: public.get(f"/items/{rng.choice(codes)}/"),
        "licence verification API": lambda: public.get(
            f"/api/v1/licences/{rng.choice(numbers)}/verify"
        ),
        "indicators, province, one month": ind_all,
        "indicators, one department, one month": ind_department,
    }
    results = {}
    explains = []
    for name, probe in probes.items():
        for _ in range(5):
            _check(name, probe())
        with CaptureQueriesContext(connection) as log:
            _check(name, probe())
        captured = list(log.captured_queries)  # later requests clear the connection's log
        timings = []
        for _ in range(samples):
            began = time.perf_counter()
            _check(name, probe())
            timings.append((time.perf_counter() - began) * 1000)
        results[name] = {
            "p50_ms": round(common.percentile(timings, 50), 2),
            "p95_ms": round(common.percentile(timings, 95), 2),
            "queries": len(captured),
            "samples": samples,
        }
        explains.append((name, _explain(connection, captured)))
    return {
        "endpoints": results,
        "explain": explains,
        "period": [month_start.isoformat(), month_end.isoformat()],
    }


def _check(name, response):
    status = getattr(response, "status_code", 200)
    if status >= 400:
        raise RuntimeError(f"{name}: HTTP {status}: {response.content[:300]!r}")


def _explain(connection, queries, top: int = 2) -> list[dict]:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest SELECTs of one request."""
    selects = [q for q in queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    slowest = sorted(selects, key=lambda q: float(q["time"]), reverse=True)[:top]
    plans = []
    with connection.cursor() as cursor:
        for query in slowest:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plans.append(
                {
                    "sql": query["sql"],
                    "plan": "\n".join(row[0] for row in cursor.fetchall()),
                }
            )
    return plans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--steps",
        type=int,
        nargs="+",
        default=[100_000, 1_000_000],
        help="case counts to fill up to and measure at, in order",
    )
    parser.add_argument("--cases", type=int, help="one step only: fill to N and measure")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--database", default=common.DEFAULT_DB)
    parser.add_argument("--keep", action="store_true", help="keep the database (run alone)")
    args = parser.parse_args()
    steps = [args.cases] if args.cases else args.steps
    out = {"command": " ".join(sys.argv), "steps": []}
    with common.bench_database(args.database, keep=args.keep) as database:
        common.django_setup(database)
        from django.db import connection

        for total in steps:
            print(f"scale: filling to {total:,} cases …", flush=True)
            loaded = fill(total)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_database_size(current_database())")
                size = cursor.fetchone()[0]
                counts = {}
                for table in (
                    "cases_case",
                    "cases_timelineentry",
                    "audit_auditrecord",
                    "licences_licence",
                    "parties_applicant",
                ):
                    cursor.execute(
                        "SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table]
                    )
                    counts[table] = cursor.fetchone()[0]
            print(f"  loaded {loaded} ; rows {counts}; {size / 2**30:.2f} GiB", flush=True)
            measured = measure(args.samples, database)
            step = {
                "cases": total,
                "fill": loaded,
                "rows": counts,
                "database_gib": round(size / 2**30, 2),
                **measured,
            }
            _write_explain(total, measured["explain"])
            del step["explain"]
            out["steps"].append(step)
            report_step(step)
    if len(out["steps"]) >= 2:
        first, last = out["steps"][0], out["steps"][-1]
        out["growth_p95"] = {
            name: round(
                last["endpoints"][name]["p95_ms"] / max(first["endpoints"][name]["p95_ms"], 0.01), 2
            )
            for name in last["endpoints"]
        }
    path = common.write_result("scale", out)
    print(f"results: {path}")


def _write_explain(total: int, explains) -> None:
    lines = []
    for name, plans in explains:
        lines.append(f"### {name}\n")
        for plan in plans:
            lines.append(plan["sql"] + "\n")
            lines.append(plan["plan"] + "\n")
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    (common.RESULTS / f"explain-{total}.txt").write_text("\n".join(lines))


def report_step(step: dict) -> None:
    print(f"  at {step['cases']:,} cases:")
    for name, figures in step["endpoints"].items():
        print(
            f"    {name:40} p50 {figures['p50_ms']:8.2f} ms  p95 {figures['p95_ms']:8.2f} ms  "
            f"queries {figures['queries']}"
        )


if __name__ == "__main__":
    main()
