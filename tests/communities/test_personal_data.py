"""Phone and ID-card numbers: validation (GB 11643) and masking."""

import contextlib
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.personal_data import (
    id_number_birth_date,
    id_number_check_char,
    mask_id_number,
    mask_phone,
    normalize_phone,
    validate_id_number,
    validate_phone,
)

VALID_ID = "11010519491231002X"  # the GB 11643 standard's own example


def make_id(birth="19710305", seq="123"):
    first17 = f"411002{birth}{seq}"
    return first17 + id_number_check_char(first17)


def test_standard_example_id_number_is_valid():
    validate_id_number(VALID_ID)
    assert id_number_birth_date(VALID_ID) == datetime.date(1949, 12, 31)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("110105194912310021", "invalid_id_checksum"),
        ("11010519491231002", "invalid_id_format"),
        ("11010519491231002x", "invalid_id_format"),
        ("1101051949123100XX", "invalid_id_format"),
        ("110105194902300028", "invalid_id_date"),
    ],
)
def test_bad_id_numbers_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_id_number(value)
    assert excinfo.value.code == code


@pytest.mark.parametrize("value", ["13812341234", "19912345678", "0374-2345678", "03742345678"])
def test_mainland_mobile_and_landline_numbers_are_valid(value):
    validate_phone(value)


@pytest.mark.parametrize("value", ["12812341234", "1381234123", "138123412345", "2345678", "abc"])
def test_other_phone_numbers_are_refused(value):
    with pytest.raises(ValidationError):
        validate_phone(value)


def test_phone_is_normalized_from_common_forms():
    assert normalize_phone("+86 138 1234 1234") == "13812341234"


def test_mobile_is_masked_keeping_three_and_four_digits():
    assert mask_phone("13812341234") == "138****1234"


def test_id_number_is_masked_keeping_prefix_and_last_four():
    assert mask_id_number("41100219710305123X") == "4110**********123X"


@given(st.dates(datetime.date(1900, 1, 1), datetime.date(2025, 12, 31)), st.integers(0, 999))
def test_generated_id_numbers_validate_and_masking_hides_the_birth_date(birth, seq):
    value = make_id(f"{birth:%Y%m%d}", f"{seq:03d}")
    validate_id_number(value)
    masked = mask_id_number(value)
    assert masked[6:14] == "********"
    assert len(masked) == 18


@given(st.text(max_size=40))
def test_id_validator_never_crashes_on_arbitrary_text(text):
    with contextlib.suppress(ValidationError):
        validate_id_number(text)


# --- One normal form, whichever door a number comes through (issue 15) ------------------------

FULL_WIDTH_ID = "１１０１０５１９４９１２３１００２Ｘ"  # VALID_ID typed with a full-width keyboard
ARABIC_INDIC = "١٣٨١٢٣٤٥٦٧٨"  # 13812345678 in Arabic-Indic digits


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("１３８ １２３４ １２３４", "13812341234"),
        ("＋８６－１３８－１２３４－１２３４", "13812341234"),
        ("138-1234-1234", "13812341234"),
        ("0374-2345678", "03742345678"),
        ("138\u200b1234\u200b1234", "13812341234"),
    ],
)
def test_phone_numbers_are_normalised_before_they_are_validated(typed, stored):
    assert normalize_phone(typed) == stored
    validate_phone(normalize_phone(typed))


def test_a_full_width_id_number_is_valid_once_normalised():
    from core.personal_data import normalize_id_number

    assert normalize_id_number(FULL_WIDTH_ID) == VALID_ID
    assert normalize_id_number("110105 19491231 002x") == VALID_ID
    validate_id_number(normalize_id_number(FULL_WIDTH_ID))


@pytest.mark.parametrize(
    ("value", "validate"),
    [
        ("1" + ARABIC_INDIC[1:], validate_phone),  # an ASCII first digit used to let it through
        ("110105194912310" + "٠٢X", validate_id_number),
    ],
)
def test_digits_of_another_script_are_refused_with_their_own_message(value, validate):
    with pytest.raises(ValidationError) as excinfo:
        validate(normalize_phone(value))
    assert excinfo.value.code == "foreign_digits"


def test_a_number_with_a_trailing_line_break_is_not_valid():
    with pytest.raises(ValidationError):
        validate_phone("13812341234\n")


@pytest.fixture
def household(grid_a1):
    from tests import factories as f

    return f.make_household(grid_a1, room="301")


def resident_form(household, **data):
    from django import forms

    from grids.models import Resident

    form_class = forms.modelform_factory(
        Resident, fields=["household", "name", "gender", "phone", "id_number", "relation", "status"]
    )
    return form_class(
        {"household": household.pk, "gender": "F", "relation": "head", "status": "living", **data}
    )


def test_a_full_width_id_number_is_stored_in_ascii_and_cannot_be_stored_twice(household):
    first = resident_form(household, name="甲", id_number=VALID_ID)
    first.save()
    second = resident_form(household, name="乙", id_number=FULL_WIDTH_ID)
    assert not second.is_valid()
    assert "id_number" in second.errors or "__all__" in second.errors
    assert "已有居民使用此身份证号码" in str(second.errors)


def test_a_fully_full_width_id_number_is_accepted_not_called_a_wrong_check_character(household):
    from grids.models import Resident

    form = resident_form(
        household, name="甲", id_number=FULL_WIDTH_ID, phone="１３８ ００１３ ８０００"
    )
    assert form.is_valid(), form.errors
    form.save()
    resident = Resident.objects.get()
    assert (resident.id_number, resident.phone) == (VALID_ID, "13800138000")
    assert Resident.objects.get(phone_suffix="8000") == resident


def test_an_arabic_indic_phone_is_refused_in_chinese(household):
    form = resident_form(household, name="甲", phone="1" + ARABIC_INDIC[1:])
    assert not form.is_valid()
    assert "半角数字" in str(form.errors["phone"])


def test_phone_suffix_search_finds_a_number_typed_in_full_width(client_for, grid_worker, household):
    from django.urls import reverse

    form = resident_form(household, name="袁霞美", phone="１３８ ００１３ ８０００")
    form.save()
    client = client_for(grid_worker)
    for query in ("8000", "８０００"):
        response = client.get(reverse("grids:resident_search"), {"q": query})
        assert "袁霞美" in response.text


def test_the_admin_stores_a_full_width_id_number_in_ascii(client_for, organizer, household):
    from django.urls import reverse

    from grids.models import Resident

    response = client_for(organizer).post(
        reverse("admin:grids_resident_add"),
        {
            "household": household.pk, "name": "肖明伟", "gender": "F",
            "id_number": " " + FULL_WIDTH_ID, "phone": "０３７４－２３４５６７８",
            "relation": "head", "status": "living",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Resident.objects.values_list("id_number", "phone").get() == (VALID_ID, "03742345678")


def test_the_import_refuses_a_full_width_copy_of_another_residents_id_number(
    community_a, grid_a1, grid_b1
):
    from grids.models import Resident
    from grids.registry_import import import_registry
    from tests import factories as f
    from tests.grids.registry_sheets import resident_row, workbook

    f.make_resident(f.make_household(grid_b1), name="周敏", gender="M", id_number=VALID_ID)
    place = ["新村社区", "安装公司家属院", "6号楼", "1单元", None]
    result = import_registry(
        workbook(
            {
                "小区": [["新村社区", "安装公司家属院", None, None, None]],
                "楼栋": [["新村社区", "安装公司家属院", "6号楼", 1]],
                "单元": [place[:4]],
                "户": [[*place, "101"]],
                # One full-width digit: the ASCII first and check characters let it through.
                "居民": [resident_row(place, "101", "张伟", "女", id_number="1１" + VALID_ID[2:])],
            }
        )
    )
    assert [(e.sheet, e.column) for e in result.errors] == [("居民", "身份证号")]
    assert "另一姓名" in result.errors[0].message
    # Stored encrypted: no lookup reads inside the numbers, so each one is read back.
    assert [r.id_number for r in Resident.objects.all()] == [VALID_ID]


def test_the_import_stores_full_width_numbers_in_ascii(community_a, grid_a1):
    from grids.models import Resident
    from grids.registry_import import import_registry
    from tests.grids.registry_sheets import resident_row, workbook

    place = ["新村社区", "安装公司家属院", "6号楼", "1单元", None]
    result = import_registry(
        workbook(
            {
                "小区": [["新村社区", "安装公司家属院", None, None, None]],
                "楼栋": [["新村社区", "安装公司家属院", "6号楼", 1]],
                "单元": [place[:4]],
                "户": [[*place, "101"]],
                "居民": [
                    resident_row(
                        place, "101", "张伟", "女", id_number=FULL_WIDTH_ID,
                        phone="１３８－００１３－８０００",
                    )
                ],
            }
        )
    )  # fmt: skip
    assert not result.errors, result.errors
    assert Resident.objects.values_list("id_number", "phone").get() == (VALID_ID, "13800138000")


# grids 0007 ran before the numbers were encrypted (0008): the table as it was then.
NORMALISED = [("grids", "0007_normalise_personal_numbers")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_migrations")
def test_the_data_migration_normalises_stored_numbers_and_reports_a_shared_id(household, capsys):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from core.personal_data import (
        clean_stored_names,
        normalise_stored_numbers,
        normalize_id_number,
        normalize_phone,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(NORMALISED)
    Resident = executor.loader.project_state(NORMALISED).apps.get_model("grids", "Resident")

    def make(name, **kw):
        return Resident.objects.create(household_id=household.pk, name=name, gender="F", **kw)

    holder, copy, other = make("甲", id_number=VALID_ID), make("乙"), make("丙")
    # As stored before, written in SQL: the fields now normalise every value they are given.
    with connection.cursor() as cursor:
        table = Resident._meta.db_table
        cursor.execute(
            f"UPDATE {table} SET id_number = %s, phone = %s WHERE id = %s",  # noqa: S608
            [FULL_WIDTH_ID, "１３８ ００１３ ８０００", copy.pk],
        )
        cursor.execute(
            f"UPDATE {table} SET phone = %s, name = %s WHERE id = %s",  # noqa: S608
            ["0374-2345678", "\u202e丙\u200b", other.pk],
        )

    conflicts = normalise_stored_numbers(
        Resident, {"phone": normalize_phone, "id_number": normalize_id_number}, unique={"id_number"}
    )

    assert conflicts == [(copy.pk, "id_number", FULL_WIDTH_ID, VALID_ID)]
    assert str(copy.pk) in capsys.readouterr().out
    rows = dict(Resident.objects.values_list("pk", "phone"))
    assert rows[copy.pk] == "13800138000" and rows[other.pk] == "03742345678"
    assert Resident.objects.get(pk=copy.pk).phone_suffix == "8000"
    assert Resident.objects.get(pk=holder.pk).id_number == VALID_ID
    assert Resident.objects.get(pk=copy.pk).id_number == FULL_WIDTH_ID  # left for a person
    assert clean_stored_names(Resident) == 1
    assert Resident.objects.get(pk=other.pk).name == "丙"


@pytest.mark.parametrize("born", ["9999-01-01", "1899-12-31", "0001-01-01"])
def test_the_import_refuses_an_implausible_birth_date(community_a, grid_a1, born):
    from grids.models import Resident
    from grids.registry_import import import_registry
    from tests.grids.registry_sheets import resident_row, workbook

    place = ["新村社区", "安装公司家属院", "6号楼", "1单元", None]
    with translation.override("zh-hans"):
        result = import_registry(
            workbook(
                {
                    "小区": [["新村社区", "安装公司家属院", None, None, None]],
                    "楼栋": [["新村社区", "安装公司家属院", "6号楼", 1]],
                    "单元": [place[:4]],
                    "户": [[*place, "101"]],
                    "居民": [resident_row(place, "101", "测试甲", "女", birth_date=born)],
                }
            )
        )
    assert [(e.sheet, e.column) for e in result.errors] == [("居民", "出生日期")]
    assert "1900-01-01" in result.errors[0].message
    assert not Resident.objects.exists()


def test_an_id_number_born_in_the_future_is_refused():
    future = "110105" + "29991231" + "002"
    with pytest.raises(ValidationError):
        validate_id_number(future + id_number_check_char(future))


def test_the_resident_form_refuses_a_birth_date_in_year_9999(grid_a1):
    from tests import factories as f

    resident = f.make_resident(f.make_household(grid_a1), name="测试乙")
    resident.birth_date = datetime.date(9999, 1, 1)
    with pytest.raises(ValidationError) as refused:
        resident.full_clean()
    assert "birth_date" in refused.value.message_dict
