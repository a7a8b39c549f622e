"""Grading (信用评级): score cards as data, and the set-based pass that grades entities.

Score = the card's base score + the points of every fact that counts today (status active or
disputed, within its validity period), looked up by kind and severity; the thresholds turn it
into A–D, and the black list always grades D (its joint measure). One pass is a handful of
statements whatever the number of entities: a temporary table of the entities whose grade,
score or standing changes, then history, standings and the denormalised
`parties.Applicant.credit_grade`, each set-based and each writing only what changed. The
preview counts the same scoring statement without writing.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from yiwang import clock
from yiwang.audit.services import audit_record
from yiwang.credit.events import GRADE_CHANGED, GradeChanged
from yiwang.credit.models import CreditFact, CreditStanding, GradeRecord, ScoreCard, ScoreIndicator
from yiwang.credit.rules import FACT_KINDS, GRADES, SEVERITIES
from yiwang.errors import Conflict, InvalidInput, invalid_field
from yiwang.events import publish
from yiwang.events.models import Event
from yiwang.events.registry import subscribers_of
from yiwang.events.tasks import deliver_event
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, require

PASS_TABLE = "credit_pass"
# Above this many moves in one pass, events are written in batches (see publish_grade_changes).
BULK_EVENTS_FROM = 200


def scorecard_in_force() -> ScoreCard | None:
    return (
        ScoreCard.objects.filter(status=ScoreCard.Status.ACTIVE)
        .prefetch_related("indicators")
        .first()
    )


def check_thresholds(*, base_score: int, a_min: int, b_min: int, c_min: int) -> None:
    """Thresholds must descend strictly (A above B above C), or grades overlap."""
    if not a_min > b_min > c_min:
        message = _(
            "The thresholds overlap: the lowest score for A (%(a)s) must be above B's "
            "(%(b)s), and B's above C's (%(c)s)."
        ) % {"a": a_min, "b": b_min, "c": c_min}
        raise InvalidInput(message, code="thresholds_overlap", fields={"thresholds": message})
    if base_score < c_min:
        raise invalid_field(
            "base_score",
            _("The base score must reach C at least, or an entity with no facts is graded D."),
        )


def scorecard_create(
    *,
    actor: Any,
    name: str,
    base_score: int,
    a_min: int,
    b_min: int,
    c_min: int,
    indicators: list[dict],
) -> ScoreCard:
    """A draft score card; `indicators` are {fact_kind, severity, points}."""
    require(actor, Action.CREDIT_SCORECARD)
    if not (name or "").strip():
        raise invalid_field("name", _("Give the score card a name."), code="required")
    check_thresholds(base_score=base_score, a_min=a_min, b_min=b_min, c_min=c_min)
    seen = set()
    for index, row in enumerate(indicators):
        kind, severity = row.get("fact_kind"), row.get("severity")
        if kind not in FACT_KINDS:
            raise invalid_field(f"indicators[{index}].fact_kind", _("No such kind of fact."))
        if severity not in SEVERITIES:
            raise invalid_field(
                f"indicators[{index}].severity", _("The severity is minor, general or serious.")
            )
        if (kind, severity) in seen:
            raise invalid_field(
                f"indicators[{index}]", _("This kind and severity already has its points.")
            )
        seen.add((kind, severity))
    with transaction.atomic():
        last = ScoreCard.objects.select_for_update().order_by("-version").first()
        card = ScoreCard.objects.create(
            version=(last.version + 1) if last else 1,
            name=name.strip(),
            base_score=base_score,
            a_min=a_min,
            b_min=b_min,
            c_min=c_min,
            created_at=clock.now(),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        ScoreIndicator.objects.bulk_create(
            ScoreIndicator(
                scorecard=card,
                fact_kind=row["fact_kind"],
                severity=row["severity"],
                points=int(row["points"]),
            )
            for row in indicators
        )
        audit_record(
            actor=actor,
            action="credit.scorecard_create",
            obj=card,
            after={
                "version": card.version,
                "thresholds": [a_min, b_min, c_min],
                "base_score": base_score,
                "indicators": indicators,
            },
        )
    return card


def _scores_sql(card: ScoreCard, on: datetime.date, applicant_ids: list[int] | None) -> str:
    """The one statement that scores and grades entities under `card` on day `on`.

    Its rows: applicant_id, old_grade (the denormalised grade), standing_grade, old_score,
    has_standing (0 or 1), score, grade. The preview counts them and the pass keeps the changed
    ones, so both see the same grades. Only integers and a date are written into the text (no
    text from users): PostgreSQL takes no parameters in CREATE TABLE AS.
    """
    day = on.isoformat()
    subset = fact_subset = ""
    if applicant_ids is not None:
        ids = ",".join(str(int(pk)) for pk in applicant_ids) or "NULL"
        subset = f"AND a.id IN ({ids})"
        fact_subset = f"AND f.applicant_id IN ({ids})"
    counting = ",".join(f"'{status}'" for status in CreditFact.COUNTING)
    base, a_min, b_min, c_min = (
        int(card.base_score),
        int(card.a_min),
        int(card.b_min),
        int(card.c_min),
    )
    return f"""
        SELECT applicant_id, old_grade, standing_grade, old_score, has_standing, score,
               CASE WHEN black_listed THEN 'D'
                    WHEN score >= {a_min} THEN 'A'
                    WHEN score >= {b_min} THEN 'B'
                    WHEN score >= {c_min} THEN 'C'
                    ELSE 'D' END AS grade
        FROM (
            SELECT a.id AS applicant_id, a.credit_grade AS old_grade, a.black_listed,
                   st.grade AS standing_grade, st.score AS old_score,
                   CASE WHEN st.applicant_id IS NULL THEN 0 ELSE 1 END AS has_standing,
                   {base} + COALESCE(s.total, 0) AS score
            FROM {Applicant._meta.db_table} a
            LEFT JOIN (
                SELECT f.applicant_id, SUM(i.points) AS total
                FROM {CreditFact._meta.db_table} f
                JOIN {ScoreIndicator._meta.db_table} i
                  ON i.scorecard_id = {int(card.pk)}
                 AND i.fact_kind = f.kind AND i.severity = f.severity
                WHERE f.status IN ({counting})
                  AND f.valid_from <= '{day}' AND f.valid_until >= '{day}' {fact_subset}
                GROUP BY f.applicant_id
            ) s ON s.applicant_id = a.id
            LEFT JOIN {CreditStanding._meta.db_table} st ON st.applicant_id = a.id
            WHERE a.kind <> 'person' {subset}
        ) scored
    """


def _fill_pass_table(card: ScoreCard, on: datetime.date, applicant_ids: list[int] | None) -> None:
    """The temporary table of the entities whose grade, score or standing changes in this pass.

    Unchanged entities are left out, so a pass writes (and later statements read) only what
    moves: nothing at all on a quiet night.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PASS_TABLE}")
        cursor.execute(
            f"""
            CREATE TEMPORARY TABLE {PASS_TABLE} AS
            SELECT * FROM ({_scores_sql(card, on, applicant_ids)}) s
            WHERE has_standing = 0 OR grade <> old_grade OR grade <> standing_grade
               OR score <> old_score
            """
        )
        if applicant_ids is None and connection.vendor == "postgresql":
            # A temporary table has no statistics: without them the joins of a pass over
            # everyone are planned for a handful of rows.
            cursor.execute(f"ANALYZE {PASS_TABLE}")


def _drop_pass_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PASS_TABLE}")


def movements(card: ScoreCard, *, on: datetime.date | None = None) -> dict:
    """How many entities would move from which grade to which under this card (a dry run:
    one aggregate over the statement the pass uses, nothing written)."""
    on = on or clock.today()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT old_grade, grade, COUNT(*) FROM ({_scores_sql(card, on, None)}) s "
            "GROUP BY old_grade, grade"
        )
        rows = cursor.fetchall()
    matrix = {old: dict.fromkeys(GRADES, 0) for old in GRADES}
    for old, new, count in rows:
        matrix[old][new] = count
    moves = {f"{old}→{new}": matrix[old][new] for old in GRADES for new in GRADES if old != new}
    return {
        "on": on.isoformat(),
        "matrix": matrix,
        "moves": {key: value for key, value in moves.items() if value},
        "moving": sum(moves.values()),
        "graded": sum(sum(row.values()) for row in matrix.values()),
    }


def scorecard_preview(*, actor: Any, card: ScoreCard) -> dict:
    """Preview a draft's effect and keep the figures on the card (audited)."""
    require(actor, Action.CREDIT_SCORECARD)
    if card.status != ScoreCard.Status.DRAFT:
        raise Conflict(_("Only a draft score card is previewed."), code="not_draft")
    result = movements(card)
    with transaction.atomic():
        ScoreCard.objects.filter(pk=card.pk).update(preview=result)
        card.preview = result
        audit_record(actor=actor, action="credit.scorecard_preview", obj=card, after=result)
    return result


def scorecard_activate(*, actor: Any, card: ScoreCard) -> dict:
    """Put a previewed draft in force from today and regrade everyone with it."""
    require(actor, Action.CREDIT_SCORECARD)
    with transaction.atomic():
        card = ScoreCard.objects.select_for_update().get(pk=card.pk)
        if card.status != ScoreCard.Status.DRAFT:
            raise Conflict(_("Only a draft score card can be put in force."), code="not_draft")
        if not card.preview:
            raise Conflict(
                _("Preview the score card's effect before putting it in force."),
                code="not_previewed",
            )
        ScoreCard.objects.filter(status=ScoreCard.Status.ACTIVE).update(
            status=ScoreCard.Status.SUPERSEDED
        )
        card.status = ScoreCard.Status.ACTIVE
        card.effective_from = clock.today()
        card.save(update_fields=["status", "effective_from"])
        audit_record(
            actor=actor,
            action="credit.scorecard_activate",
            obj=card,
            after={"version": card.version, "effective_from": card.effective_from},
        )
        changes = grade_pass(actor=actor, reason=f"score card v{card.version} in force", card=card)
        moves = count_moves(changes)
        if moves != card.preview.get("moves"):
            # Facts arrived or ended since the preview: what the admin confirmed is not what
            # would happen, so nothing is applied and the card is previewed again.
            raise Conflict(
                _(
                    "Grades changed since the preview (now %(now)s moving, %(then)s previewed): "
                    "preview the score card again before putting it in force."
                )
                % {"now": len(changes), "then": card.preview.get("moving", 0)},
                code="preview_outdated",
            )
    return {"version": card.version, "changed": len(changes), "moves": moves}


def count_moves(changes: list[tuple[int, str, str]]) -> dict:
    moves: dict[str, int] = {}
    for _applicant, old, new in changes:
        moves[f"{old}→{new}"] = moves.get(f"{old}→{new}", 0) + 1
    return moves


def grade_pass(
    *,
    actor: Any,
    reason: str,
    applicant_ids: list[int] | None = None,
    card: ScoreCard | None = None,
) -> list[tuple[int, str, str]]:
    """Grade these entities (or everyone) with the card in force; return (id, old, new) moves.

    Runs inside the caller's transaction when there is one (a new fact and its grade commit
    together). Without a card in force nothing is graded.
    """
    card = card or scorecard_in_force()
    if card is None:
        return []
    on = clock.today()
    run = uuid.uuid4().hex
    with transaction.atomic():
        _fill_pass_table(card, on, applicant_ids)
        records, standings, applicants = (
            GradeRecord._meta.db_table,
            CreditStanding._meta.db_table,
            Applicant._meta.db_table,
        )
        with connection.cursor() as cursor:
            # History: one row each time an entity's grade moves, naming the card.
            cursor.execute(
                f"""
                INSERT INTO {records}
                    (applicant_id, grade, previous_grade, score, scorecard_id, graded_on,
                     reason, run)
                SELECT applicant_id, grade, old_grade, score, %s, %s, %s, %s FROM {PASS_TABLE}
                WHERE grade <> old_grade
                """,
                [card.pk, on, reason[:200], run],
            )
            cursor.execute(
                f"""
                UPDATE {standings} SET grade = p.grade, score = p.score, graded_on = %s
                FROM {PASS_TABLE} p
                WHERE p.applicant_id = {standings}.applicant_id
                  AND (p.grade <> p.standing_grade OR p.score <> p.old_score)
                """,
                [on],
            )
            cursor.execute(
                f"""
                INSERT INTO {standings} (applicant_id, grade, score, graded_on)
                SELECT applicant_id, grade, score, %s FROM {PASS_TABLE}
                WHERE has_standing = 0
                """,
                [on],
            )
            cursor.execute(
                f"SELECT applicant_id, old_grade, grade FROM {PASS_TABLE} "
                "WHERE grade <> old_grade ORDER BY applicant_id"
            )
            changes = [(row[0], row[1], row[2]) for row in cursor.fetchall()]
            cursor.execute(
                f"""
                UPDATE {applicants} SET credit_grade = p.grade
                FROM {PASS_TABLE} p
                WHERE p.applicant_id = {applicants}.id AND p.grade <> p.old_grade
                """
            )
        publish_grade_changes(changes, version=card.version, actor=actor)
        _drop_pass_table()
        if applicant_ids is None or changes:
            audit_record(
                actor=actor,
                action="credit.grade_pass",
                object_type="credit.gradepass",
                object_id=run,
                stream="credit.grading",
                after={
                    "scorecard": card.version,
                    "on": on,
                    "entities": "all" if applicant_ids is None else sorted(applicant_ids),
                    "moves": count_moves(changes),
                },
                note=reason,
            )
    return changes


def publish_grade_changes(changes: list[tuple[int, str, str]], *, version: int, actor: Any) -> None:
    """One `credit.grade_changed` per moved entity, with one queued delivery per subscriber,
    which is what `publish` does row by row (about 2 ms an event on PostgreSQL). A pass that
    moves thousands (a new score card) writes the event rows at once: on PostgreSQL straight
    from the pass table, elsewhere in batches. Runs while the pass table exists."""
    if len(changes) <= BULK_EVENTS_FROM:
        for pk, old, new in changes:
            payload = GradeChanged(
                applicant_id=pk, old_grade=old, new_grade=new, scorecard_version=version
            )
            publish(GRADE_CHANGED.name, payload=payload, actor=actor)
        return
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    if connection.vendor == "postgresql":
        event_ids = _insert_events_from_pass_table(version=version, actor_id=actor_id)
    else:
        rows = Event.objects.bulk_create(
            (
                Event(
                    name=GRADE_CHANGED.name,
                    payload=GradeChanged(
                        applicant_id=pk, old_grade=old, new_grade=new, scorecard_version=version
                    ).model_dump(mode="json"),
                    actor_id=actor_id,
                    occurred_at=clock.now(),
                )
                for pk, old, new in changes
            ),
            batch_size=5000,
        )
        event_ids = [str(row.pk) for row in rows]
    for path in subscribers_of(GRADE_CHANGED.name):
        for event_id in event_ids:
            deliver_event.enqueue(event_id=event_id, subscriber=path)


def _insert_events_from_pass_table(*, version: int, actor_id: int | None) -> list[str]:
    """The event rows of every move in one INSERT … SELECT (the payload of `GradeChanged`)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Event._meta.db_table}
                (id, name, subject_type, subject_id, payload, actor_id, occurred_at)
            SELECT gen_random_uuid(), %s, '', '',
                   jsonb_build_object('applicant_id', applicant_id, 'old_grade', old_grade,
                                      'new_grade', grade, 'scorecard_version', %s),
                   %s, %s
            FROM {PASS_TABLE} WHERE grade <> old_grade
            RETURNING id
            """,
            [GRADE_CHANGED.name, version, actor_id, clock.now()],
        )
        return [str(row[0]) for row in cursor.fetchall()]


def grade_explained(applicant: Applicant, *, on: datetime.date | None = None) -> dict:
    """Why this grade: each counting fact with its points under the card in force."""
    card = scorecard_in_force()
    on = on or clock.today()
    if card is None:
        return {"card": None, "lines": [], "score": None}
    points = {(i.fact_kind, i.severity): i.points for i in card.indicators.all()}
    lines = []
    for fact in applicant.credit_facts.filter(
        status__in=CreditFact.COUNTING, valid_from__lte=on, valid_until__gte=on
    ).order_by("occurred_on", "pk"):
        lines.append({"fact": fact, "points": points.get((fact.kind, fact.severity), 0)})
    return {
        "card": card,
        "base": card.base_score,
        "lines": lines,
        "score": card.base_score + sum(line["points"] for line in lines),
        "black_listed": applicant.black_listed,
    }


def grade_everyone(*, actor: Any = None, reason: str = "daily pass") -> list[tuple[int, str, str]]:
    """One set-based pass over every entity, in its own transaction (the daily job, the bench)."""
    with transaction.atomic():
        return grade_pass(actor=actor, reason=reason)
