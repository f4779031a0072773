"""Personal numbers at rest: SM4-GCM ciphertext with the key id, blind indexes for exact lookups,
rotation across keys, and no ID- or phone-shaped value in clear in any text column."""

import base64
import re

import pytest
from django.core.exceptions import FieldError, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from activities.models import Place
from communities.models import Official
from core import pii_crypto
from core.pii_crypto import PiiKeyError, blind_index, decrypt, encrypt, key_problems
from grids.models import Resident
from grids.search import resident_queries
from tests import factories as f

ID_NUMBER = "11010519491231002X"
OTHER_ID = "110105194912310039"  # the check character of 11010519491231003 is 9
PHONE = "13812341234"

K1 = base64.b64encode(b"k" * 16).decode()
K2 = base64.b64encode(b"K" * 16).decode()
RING_1 = {"k1": b"k" * 16}
RING_2 = {"k2": b"K" * 16, "k1": b"k" * 16}

# Word-bounded: a mobile number, or an 18-character ID-card number.
CLEAR_NUMBER = re.compile(
    r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])|(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])"
)


def _raw(model, pk, column):
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        column = connection.ops.quote_name(column)
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def clear_numbers_in_database() -> list[tuple[str, str, str]]:
    """(table, column, value) of every text value holding an ID- or phone-shaped number."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                kind = connection.introspection.get_field_type(column.type_code, column)
                if kind not in ("CharField", "TextField"):
                    continue
                cursor.execute(f"SELECT {quote(column.name)} FROM {quote(table)}")  # noqa: S608
                found += [
                    (table, column.name, value)
                    for (value,) in cursor.fetchall()
                    if value and CLEAR_NUMBER.search(str(value))
                ]
    return found


@pytest.fixture
def household(grid_a1):
    return f.make_household(grid_a1)


def test_round_trip_with_a_fresh_nonce_and_the_key_id():
    first, second = encrypt(PHONE, "phone"), encrypt(PHONE, "phone")
    assert first != second  # a fresh nonce each time
    key_id, _, body = first.partition("$")
    assert key_id == pii_crypto.current_key_id()
    assert len(base64.b64decode(body)) == 12 + len(PHONE) + 16  # nonce | ciphertext | tag
    assert decrypt(first, "phone") == decrypt(second, "phone") == PHONE


def test_wrong_key_unknown_key_tampering_and_another_purpose_are_refused():
    with override_settings(PII_KEYS=RING_1):
        stored = encrypt(PHONE, "phone")
    with override_settings(PII_KEYS={"k1": b"x" * 16}), pytest.raises(PiiKeyError):
        decrypt(stored, "phone")
    with override_settings(PII_KEYS={"k9": b"k" * 16}), pytest.raises(PiiKeyError):
        decrypt(stored, "phone")
    with override_settings(PII_KEYS=RING_1):
        raw = bytearray(base64.b64decode(stored[3:]))
        raw[14] ^= 1
        with pytest.raises(PiiKeyError):
            decrypt("k1$" + base64.b64encode(bytes(raw)).decode(), "phone")
        with pytest.raises(PiiKeyError):
            decrypt(stored, "id_number")  # a phone ciphertext does not open as an ID number
        assert decrypt(stored, "phone") == PHONE


def test_aes_256_gcm_is_selectable_and_differs_from_sm4():
    aes_ring = {"a1": b"a" * 32}
    with override_settings(PII_CIPHER="AES-256-GCM", PII_KEYS=aes_ring):
        stored = encrypt(PHONE, "phone")
        assert decrypt(stored, "phone") == PHONE
        assert key_problems() == []
    with override_settings(PII_CIPHER="AES-256-GCM", PII_KEYS={"a1": b"a" * 16}):
        assert "needs 32" in key_problems()[0]


def test_the_algorithms_are_there_and_the_development_keys_fail_check_deploy():
    from weidu.checks import national_algorithms, pii_development_keys

    assert pii_crypto.missing_algorithms() == []
    assert national_algorithms(None) == []
    assert [error.id for error in pii_development_keys(None)] == ["weidu.E103"]
    with override_settings(PII_KEYS=RING_1, PII_INDEX_KEY=b"i" * 32):
        assert pii_development_keys(None) == []


def test_a_resident_is_stored_encrypted_and_found_through_the_blind_index(household):
    resident = f.make_resident(household, id_number=ID_NUMBER, phone="138 1234 1234")
    stored_id = _raw(Resident, resident.pk, "id_number")
    stored_phone = _raw(Resident, resident.pk, "phone")
    assert stored_id.startswith(pii_crypto.current_key_id() + "$")
    assert ID_NUMBER not in stored_id and PHONE not in stored_phone
    assert _raw(Resident, resident.pk, "id_number_index") == blind_index(ID_NUMBER, "id_number")
    assert _raw(Resident, resident.pk, "phone_suffix") == "1234"

    fresh = Resident.objects.get(pk=resident.pk)
    assert (fresh.id_number, fresh.phone) == (ID_NUMBER, PHONE)
    assert Resident.objects.get(id_number="110105 19491231 002x") == resident
    assert Resident.objects.get(phone=PHONE) == resident
    assert list(Resident.objects.filter(id_number__in=[ID_NUMBER, OTHER_ID])) == [resident]
    assert Resident.objects.filter(id_number="").count() == 0
    with pytest.raises(FieldError):
        list(Resident.objects.filter(id_number__startswith="1101"))
    # Changing the number changes its index and suffix on save.
    fresh.phone = "13900005678"
    fresh.save()
    assert Resident.objects.get(phone="13900005678") == resident
    assert _raw(Resident, resident.pk, "phone_suffix") == "5678"


def test_search_finds_by_full_id_number_full_phone_and_suffix(household):
    resident = f.make_resident(household, id_number=ID_NUMBER, phone=PHONE)
    for text in (ID_NUMBER, PHONE, "1234"):
        condition = resident_queries(text)[0][0]
        assert list(Resident.objects.filter(condition)) == [resident], text


def test_a_duplicate_id_number_is_refused_through_the_blind_index(household):
    f.make_resident(household, id_number=ID_NUMBER)
    f.make_resident(household)  # blank ID numbers never clash (NULL index)
    f.make_resident(household)
    twin = Resident(household=household, name="张三", gender="F", id_number=ID_NUMBER)
    with pytest.raises(ValidationError, match="已有居民使用此身份证号码"):
        twin.validate_constraints(exclude={"id_number_index"})  # as a form excludes it
    with transaction.atomic(), pytest.raises(IntegrityError):
        Resident.objects.create(household=household, name="李四", gender="F", id_number=ID_NUMBER)


def test_rotation_across_two_keys_with_reencrypt_pii(household, capsys):
    with override_settings(PII_KEYS=RING_1):
        resident = f.make_resident(household, id_number=ID_NUMBER, phone=PHONE)
        other = f.make_resident(household, phone="13900001111")
    assert _raw(Resident, resident.pk, "id_number").startswith("k1$")
    with override_settings(PII_KEYS=RING_2):
        newer = f.make_resident(household, phone="13900002222")
        assert _raw(Resident, newer.pk, "phone").startswith("k2$")
        assert Resident.objects.get(pk=resident.pk).id_number == ID_NUMBER  # old key still reads
        call_command("reencrypt_pii", "--batch-size", "1")
        out = capsys.readouterr().out
        assert "k1: 0" in out or "No value is left" in out
        for pk in (resident.pk, other.pk, newer.pk):
            assert _raw(Resident, pk, "phone").startswith("k2$")
    with override_settings(PII_KEYS={"k2": b"K" * 16}):  # the old key can now be dropped
        assert Resident.objects.get(id_number=ID_NUMBER).phone == PHONE
        assert Resident.objects.get(pk=other.pk).phone == "13900001111"


def test_no_text_column_holds_a_clear_number(household, grid_a1):
    f.make_resident(household, id_number=ID_NUMBER, phone=PHONE)
    f.make_official("worker", phone="13700001234")
    Place.objects.create(grid=grid_a1, kind=Place._meta.get_field("kind").choices[0][0],
                         name="超市", responsible_phone="13600001234")  # fmt: skip
    assert Official.objects.get(user__username="worker").phone == "13700001234"
    assert clear_numbers_in_database() == []


BEFORE = [
    ("grids", "0007_normalise_personal_numbers"),
    ("communities", "0006_first_secretaries_become_assignments"),
    ("disputes", "0003_police_day_index"),
    ("activities", "0002_place_reveal_log"),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_migrations")
def test_the_migration_encrypts_existing_rows_in_batches(household, grid_a1):
    from django.db.migrations.executor import MigrationExecutor

    from core import pii_migration

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldResident = old.get_model("grids", "Resident")
    people = [
        OldResident.objects.create(
            household_id=household.pk, name=f"居民{n}", gender="F", phone=f"1390000{n:04d}",
            id_number=ID_NUMBER if n == 0 else "",
        )
        for n in range(5)
    ]  # fmt: skip
    user = f.make_official("worker")  # today's Official, phone blank: the old one gets one
    old.get_model("communities", "Official").objects.filter(user_id=user.pk).update(
        phone="13700001234"
    )
    old.get_model("activities", "Place").objects.create(
        grid_id=grid_a1.pk, kind="shop", name="超市", responsible_phone="13600001234"
    )
    assert len(clear_numbers_in_database()) == 8

    batch = pii_migration.BATCH
    pii_migration.BATCH = 2  # several batches
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    finally:
        pii_migration.BATCH = batch
    assert clear_numbers_in_database() == []
    assert Resident.objects.get(id_number=ID_NUMBER).pk == people[0].pk
    assert Resident.objects.get(phone="13900000003").pk == people[3].pk
    assert set(Resident.objects.filter(phone_suffix="0004").values_list("pk", flat=True)) == {
        people[4].pk
    }
    assert Place.objects.get().responsible_phone == "13600001234"
    assert Official.objects.get(user=user).phone == "13700001234"


def test_a_sealed_load_compares_through_the_index_and_decrypts_only_what_is_read(
    household, monkeypatch, django_assert_num_queries
):
    from core import encrypted_fields
    from core.encrypted_fields import load_sealed, same_stored_value

    resident = f.make_resident(household, id_number=ID_NUMBER, phone=PHONE)
    opened = []
    real = encrypted_fields.decrypt
    monkeypatch.setattr(encrypted_fields, "decrypt", lambda *a: opened.append(a[1]) or real(*a))
    row = load_sealed(Resident.objects.filter(pk=resident.pk), "phone", "id_number").get()
    with django_assert_num_queries(0):
        assert same_stored_value(row, "phone", PHONE)
        assert not same_stored_value(row, "phone", "13900000000")
        assert same_stored_value(row, "id_number", ID_NUMBER)
        assert not same_stored_value(row, "id_number", "")
        assert row.phone_suffix == "1234"
        assert opened == []
        assert row.phone == PHONE  # decrypted when read, without a query
    assert opened == ["phone"]
    row.name = "改名"
    with django_assert_num_queries(1):
        row.save()  # the unread ID number is not written (nor decrypted and encrypted again)
    assert opened == ["phone"]
    assert Resident.objects.get(pk=resident.pk).id_number == ID_NUMBER
