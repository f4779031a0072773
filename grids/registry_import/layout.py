"""The workbook's layout: one sheet per object type, its columns, and the labels cells may hold.

The workbook format is Chinese whatever the UI language (the sheets are filled in by community
offices and exchanged as files), so sheet titles, headers, the labels of choices and the column
notes of the template are data here, not translatable strings.
"""

from dataclasses import dataclass

from grids.models import Building, Compound, Household, Resident, ResidentGroup, Unit

MAX_ROWS = 200_000

COMMITTEES = {"业委会": Compound.Committee.OWNERS, "物管会": Compound.Committee.PROPERTY}
GENDERS = {"男": Resident.Gender.MALE, "女": Resident.Gender.FEMALE}
RELATIONS = {
    "户主": Resident.Relation.HEAD,
    "配偶": Resident.Relation.SPOUSE,
    "子女": Resident.Relation.CHILD,
    "父母": Resident.Relation.PARENT,
    "孙子女": Resident.Relation.GRANDCHILD,
    "兄弟姐妹": Resident.Relation.SIBLING,
    "其他": Resident.Relation.OTHER,
}
STATUSES = {
    "在住": Resident.Status.LIVING,
    "已迁出": Resident.Status.MOVED_OUT,
    "已去世": Resident.Status.DECEASED,
}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    max_length: int | None = None
    width: int = 12
    # Stored as text in the template, so that Excel keeps leading zeros and all 18 digits.
    as_text: bool = False
    choices: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    columns: tuple[Column, ...]
    example: tuple[str, ...]
    note: str

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(column.header for column in self.columns)

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


COMMUNITY = Column(
    "community",
    "社区",
    required=True,
    width=16,
    as_text=True,
    note="社区的行政区划代码（如 411002005001）或社区名称；有重名社区时须填代码。",
)
_URBAN_ONLY = "城市社区填写；涉农社区留空，改填居民组。"
_RURAL_ONLY = "涉农社区填写；城市社区留空。"


def _compound(required: bool, note: str) -> Column:
    return Column(
        "compound", "小区名称", required, _max_length(Compound, "name"), width=20, note=note
    )


def _building(required: bool, note: str) -> Column:
    return Column("building", "楼栋", required, _max_length(Building, "name"), note=note)


def _unit(required: bool, note: str) -> Column:
    return Column("unit", "单元", required, _max_length(Unit, "name"), note=note)


def _group(required: bool, note: str) -> Column:
    return Column("group", "居民组", required, _max_length(ResidentGroup, "name"), note=note)


GRID = Column("grid", "网格编号", required=True, note="所属网格在本社区内的编号（数字），如 1。")
ROOM = Column(
    "room",
    "房号",
    required=True,
    max_length=_max_length(Household, "room"),
    as_text=True,
    note="城市社区填房号（在本单元内唯一），涉农社区填门牌号（在本居民组内唯一）。",
)
PLACE = (
    COMMUNITY,
    _compound(False, _URBAN_ONLY),
    _building(False, _URBAN_ONLY),
    _unit(False, _URBAN_ONLY),
    _group(False, _RURAL_ONLY),
    ROOM,
)

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "compound",
        "小区",
        (
            COMMUNITY,
            _compound(True, "小区、庭院或家属院的名称，在本社区内唯一。仅城市社区。"),
            Column(
                "address",
                "地址",
                max_length=_max_length(Compound, "address"),
                width=28,
                note="小区的街道门牌地址，可留空。",
            ),
            Column("year_built", "建成年份", note="四位数字的年份，如 1971。"),
            Column(
                "committee",
                "业委会/物管会",
                choices=tuple(COMMITTEES),
                note="业委会、物管会或留空。",
            ),
        ),
        ("新村社区", "安装公司家属院", "新兴路12号", "1971", "物管会"),
        "城市社区的小区、庭院、家属院。",
    ),
    Sheet(
        "building",
        "楼栋",
        (
            COMMUNITY,
            _compound(True, "楼栋所在的小区：系统中已有的，或本文件“小区”表中的。"),
            _building(True, "楼栋名称，如 6号楼，在本小区内唯一。"),
            GRID,
        ),
        ("新村社区", "安装公司家属院", "6号楼", "1"),
        "小区的楼栋及其所属网格；楼栋内各户都属于这个网格。",
    ),
    Sheet(
        "unit",
        "单元",
        (
            COMMUNITY,
            _compound(True, "单元所在的小区。"),
            _building(True, "单元所在的楼栋：系统中已有的，或本文件“楼栋”表中的。"),
            _unit(True, "单元名称，如 2单元，在本楼栋内唯一。"),
        ),
        ("新村社区", "安装公司家属院", "6号楼", "2单元"),
        "楼栋的单元（楼梯间）。",
    ),
    Sheet(
        "resident_group",
        "居民组",
        (COMMUNITY, _group(True, "居民组名称，在本社区内唯一。仅涉农社区。"), GRID),
        ("丁庄社区", "第三居民组", "2"),
        "涉农社区的居民组及其所属网格。",
    ),
    Sheet(
        "household",
        "户",
        PLACE,
        ("新村社区", "安装公司家属院", "6号楼", "2单元", "", "301"),
        "每户一行：城市社区填小区名称、楼栋、单元，涉农社区填居民组，二者不可同时填写。",
    ),
    Sheet(
        "resident",
        "居民",
        (
            *PLACE,
            Column(
                "name",
                "姓名",
                required=True,
                max_length=_max_length(Resident, "name"),
                note="居民姓名；没有身份证号时，按姓名对应同一户中已有的居民。",
            ),
            Column(
                "gender", "性别", required=True, width=8, choices=tuple(GENDERS), note="男或女。"
            ),
            Column(
                "birth_date",
                "出生日期",
                note="日期单元格或 YYYY-MM-DD 格式的文字；留空时按身份证号填写。",
            ),
            Column(
                "phone",
                "电话",
                width=16,
                as_text=True,
                note="11位手机号，或固定电话如 0374-2345678。",
            ),
            Column(
                "id_number",
                "身份证号",
                width=22,
                as_text=True,
                note="18位身份证号，请以文本格式填写；出生日期和性别须与之一致。"
                "已有同一身份证号的居民会被更新。",
            ),
            Column(
                "relation",
                "与户主关系",
                choices=tuple(RELATIONS),
                note="户主、配偶、子女、父母、孙子女、兄弟姐妹或其他；留空为户主。",
            ),
            Column(
                "tags",
                "标签",
                width=20,
                note="系统中已有的标签名称，多个之间用“、”或逗号分隔，如 党员、独居老人。",
            ),
            Column(
                "status",
                "状态",
                width=8,
                choices=tuple(STATUSES),
                note="在住、已迁出或已去世；留空为在住。",
            ),
            Column("status_date", "状态日期", note="迁出或去世的日期；在住时必须留空。"),
        ),
        (
            "新村社区",
            "安装公司家属院",
            "6号楼",
            "2单元",
            "",
            "301",
            "张伟",
            "男",
            "1965-03-08",
            "13800000000",
            "41100219650308xxxx",
            "户主",
            "党员",
            "在住",
            "",
        ),
        "每位居民一行，所在的户须在系统中已有，或列在本文件“户”表中。",
    ),
)
SHEETS_BY_TITLE = {sheet.title: sheet for sheet in SHEETS}
# The template's notes sheet: read by people, skipped by the import.
NOTES_SHEET = "说明"
