"""The empty import template: one sheet per object type with its header row, and a 说明 sheet."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from core.excel import Kind, row_cells

from .layout import MAX_ROWS, NOTES_SHEET, SHEETS, Sheet

BOLD = Font(bold=True)
REQUIRED = PatternFill("solid", fgColor="FFE0B2")  # light orange, as the 说明 sheet says
TITLE = Font(bold=True, size=14)
GENERAL_NOTES = (
    "每种对象一张工作表，按 小区→楼栋→单元→居民组→户→居民 的顺序导入；不用的表可以删除。",
    "第一行是表头，请勿修改；数据从第二行开始。表头为橙色的列必须填写。",
    "后面的工作表可以引用系统中已有的对象，也可以引用本文件前面工作表中的行。",
    "城市社区按 小区、楼栋、单元 登记，涉农社区按 居民组 登记。",
    "导入前先检查全部行：只要有一处错误就什么都不写入，并列出每个错误所在的工作表、行和列。",
    "已有的记录按名称（居民先按身份证号）对应并更新；同一文件重复导入不会产生重复数据。",
    f"一个文件最多 {MAX_ROWS} 行数据。",
)


def build_template() -> bytes:
    """The .xlsx template: empty data sheets with their header rows, then the 说明 sheet."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in SHEETS:
        _data_sheet(workbook.create_sheet(sheet.title), sheet)
    _notes_sheet(workbook.create_sheet(NOTES_SHEET))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _data_sheet(worksheet: Worksheet, sheet: Sheet) -> None:
    _append(worksheet, sheet.headers)
    worksheet.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        header = worksheet.cell(row=1, column=index)
        header.font = BOLD
        if column.required:
            header.fill = REQUIRED
        worksheet.column_dimensions[letter].width = column.width
        if column.as_text:
            worksheet.column_dimensions[letter].number_format = "@"
        if column.choices:
            # A drop-down list of the allowed labels.
            choices = DataValidation(type="list", formula1=f'"{",".join(column.choices)}"')
            choices.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            worksheet.add_data_validation(choices)


def _notes_sheet(worksheet: Worksheet) -> None:
    _append(worksheet, ["居民台账导入说明"])
    worksheet["A1"].font = TITLE
    for note in GENERAL_NOTES:
        _append(worksheet, [note])
    for sheet in SHEETS:
        worksheet.append([])
        _append(worksheet, [f"工作表“{sheet.title}”：{sheet.note}"])
        worksheet.cell(row=worksheet.max_row, column=1).font = BOLD
        _append(worksheet, ["列", "必填", "说明", "示例"])
        for cell in worksheet[worksheet.max_row]:
            cell.font = BOLD
        for column, example in zip(sheet.columns, sheet.example, strict=True):
            _append(
                worksheet, [column.header, "是" if column.required else "", column.note, example]
            )
    for letter, width in zip("ABCD", (16, 8, 70, 22), strict=True):
        worksheet.column_dimensions[letter].width = width
    for row in worksheet.iter_rows(min_col=3, max_col=3):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def _append(worksheet: Worksheet, values: list) -> None:
    """A row of fixed text, written as every export writes its cells (never a formula)."""
    worksheet.append(row_cells(worksheet, values, [Kind.TEXT] * len(values)))
