"""Excel workbooks of the command centre's tables (openpyxl): one sheet per section, each table
under its title with Chinese headers; numbers stay numbers, dates stay dates, links become their
value. An empty table is its title and headers only."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .sections import Link


def _cell(value):
    value = value.value if isinstance(value, Link) else value
    return str(value) if hasattr(value, "__html__") or type(value).__name__ == "__proxy__" else value


def workbook(sections, *, heading=""):
    """sections: [(sheet title, [Table, …])] → the .xlsx bytes."""
    book = Workbook()
    book.remove(book.active)
    for title, tables in sections:
        sheet = book.create_sheet(str(title)[:31])
        if heading:
            sheet.append([heading])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
            sheet.append([])
        for table in tables:
            sheet.append([str(table.title)])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
            sheet.append([str(column) for column in table.columns])
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
            for row in table.rows:
                sheet.append([_cell(value) for value in row])
            if table.note:
                sheet.append([str(table.note)])
            sheet.append([])
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 18
    if not book.sheetnames:
        book.create_sheet("-")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
