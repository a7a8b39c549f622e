"""Reads marked for the replica go there, and nothing else does (issue 19, step 7).

The test aliases `replica` to the primary's own connection (what a streaming replica holds), so
the rows are the same; a recording router tells which alias each read was sent to.
"""

import pytest
from django.db import connections, transaction

from yiwang.licences.models import Licence
from yiwang.licences.tests.factories import make_licence
from yiwang.parties.models import Applicant
from yiwang.regions.models import StaffRole
from yiwang.replica import REPLICA_DB_ALIAS, ReplicaRouter, replica_reads

# Outside a test's own transaction, as in production: a read inside a transaction on the
# primary never goes to the replica.
pytestmark = pytest.mark.django_db(transaction=True)

ROUTED: list[tuple[str, str]] = []


class RecordingRouter(ReplicaRouter):
    def db_for_read(self, model, **hints):
        alias = super().db_for_read(model, **hints) or "default"
        ROUTED.append((model._meta.label_lower, alias))
        return alias


@pytest.fixture
def replica(settings):
    connections[REPLICA_DB_ALIAS] = connections["default"]
    settings.DATABASE_ROUTERS = ["yiwang.tests.test_replica.RecordingRouter"]
    ROUTED.clear()
    yield ROUTED
    del connections[REPLICA_DB_ALIAS]


def test_the_router_sends_marked_reads_outside_a_transaction_to_the_replica():
    router = ReplicaRouter()
    assert router.db_for_read(Licence) is None
    with replica_reads():
        assert router.db_for_read(Licence) == REPLICA_DB_ALIAS
        assert router.db_for_read(Applicant) == REPLICA_DB_ALIAS
        # who is asking and what they may do: always as just written
        assert router.db_for_read(StaffRole) is None
        with transaction.atomic():
            assert router.db_for_read(Licence) is None
    assert router.db_for_read(Licence) is None
    assert router.db_for_write(Licence) == "default"
    assert not router.allow_migrate(REPLICA_DB_ALIAS, "licences")
    assert router.allow_migrate("default", "licences")


def test_public_verification_reads_from_the_replica(freeze, demo, api_client, client, replica):
    freeze("2026-09-28")
    with transaction.atomic():  # the factory writes as a service would, in one transaction
        licence = make_licence()
    replica.clear()
    body = api_client.get(f"/api/v1/licences/{licence.number}/verify").json()
    assert body["number"] == licence.number and body["signature_valid"] is True
    assert ("licences.licence", REPLICA_DB_ALIAS) in replica
    replica.clear()
    page = client.get(f"/verify/{licence.number}/")
    assert page.status_code == 200 and licence.number in page.content.decode()
    assert ("licences.licence", REPLICA_DB_ALIAS) in replica


def test_staff_reads_and_writes_stay_on_the_primary(freeze, demo, api_client, replica):
    freeze("2026-09-28")
    with transaction.atomic():  # the factory writes as a service would, in one transaction
        licence = make_licence()
    replica.clear()
    response = api_client.login_as("reviewer").get(f"/api/v1/licences/{licence.number}")
    assert response.status_code == 200 and response.json()["number"] == licence.number
    assert replica and all(alias == "default" for _, alias in replica)
