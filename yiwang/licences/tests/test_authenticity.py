"""Signatures: the register's content, key rotation, and uploaded PDFs (one altered byte fails)."""

import datetime

import pytest

from yiwang.licences import signing
from yiwang.licences.authenticity import document_authenticity, licence_authenticity
from yiwang.licences.models import Licence
from yiwang.licences.tasks import generate_document
from yiwang.licences.tests.conftest import KEY_2027
from yiwang.licences.tests.factories import make_licence

pytestmark = pytest.mark.django_db
D = datetime.date


def test_signature_holds_over_the_signed_content(freeze, demo):
    freeze("2026-09-28")
    licence = make_licence()
    assert licence_authenticity(licence).signature_valid


def test_altering_one_byte_of_the_signed_content_fails(freeze, demo):
    freeze("2026-09-28")
    licence = make_licence()
    data = bytearray(licence.signed_content.encode())
    data[10] ^= 0x01
    assert signing.verify(
        licence.signing_key_id, licence.signed_content.encode(), licence.signature
    )
    assert not signing.verify(licence.signing_key_id, bytes(data), licence.signature)
    Licence.objects.filter(pk=licence.pk).update(signed_content=bytes(data).decode("latin-1"))
    assert not licence_authenticity(Licence.objects.get(pk=licence.pk)).signature_valid


def test_a_register_row_changed_outside_the_services_no_longer_verifies(freeze, demo):
    freeze("2026-09-28")
    licence = make_licence()
    Licence.objects.filter(pk=licence.pk).update(valid_until=D(2030, 12, 31))
    assert not licence_authenticity(Licence.objects.get(pk=licence.pk)).signature_valid
    Licence.objects.filter(pk=licence.pk).update(valid_until=licence.valid_until, scope=["全科"])
    assert not licence_authenticity(Licence.objects.get(pk=licence.pk)).signature_valid


def test_old_licences_still_verify_after_key_rotation(freeze, demo, settings):
    freeze("2026-09-28")
    old = make_licence()
    settings.YIWANG_SIGNING_KEYS = KEY_2027  # the old key is gone from the settings
    new = make_licence(holder="大连中山仁和医院")
    assert old.signing_key_id == "k2026" and new.signing_key_id == "k2027"
    assert licence_authenticity(Licence.objects.get(pk=old.pk)).signature_valid
    assert licence_authenticity(Licence.objects.get(pk=new.pk)).signature_valid


def test_the_generated_pdf_verifies_and_one_altered_byte_does_not(freeze, demo):
    freeze("2026-09-28")
    licence = make_licence()
    assert generate_document.call(licence.pk, licence.version) == "done"
    licence.refresh_from_db()
    content = licence.document.read()
    assert content.startswith(b"%PDF") and licence.document_sha256
    genuine = document_authenticity(content)
    assert genuine.signature_valid and genuine.licence == licence
    altered = bytearray(content)
    altered[len(altered) // 2] ^= 0x01
    forged = document_authenticity(bytes(altered))
    assert not forged.signature_valid and forged.licence is None
