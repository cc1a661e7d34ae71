"""Reading a year's holiday notice (国务院办公厅节假日安排通知) from CSV rows `date,kind,name`.

Pure parsing and validation, no database: every problem is collected with its line number, so
an admin fixes the whole file in one go, and nothing is written unless the file is clean.
"""

import csv
import datetime as dt
import os
import re
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import DayKind

# Every spelling an admin may type for a kind: the code value and the Chinese label.
KIND_ALIASES = {
    **{kind.value: kind for kind in DayKind},
    **{str(kind.label): kind for kind in DayKind},
}
KIND_HELP = ", ".join(f"{kind.value}/{kind.label}" for kind in DayKind)
HEADER_WORDS = {"date", "日期"}
# Excel in a Chinese locale writes 2027/1/1; the notice itself writes 2027-01-01.
DATE_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
WEEKDAYS = (_("星期一"), _("星期二"), _("星期三"), _("星期四"), _("星期五"), _("星期六"), _("星期日"))
MAX_ERRORS = 20
MAX_BYTES = 100_000  # a year has 366 lines; anything bigger is the wrong file


class NoticeError(ValueError):
    """A notice file that cannot be loaded; `problems` lists each one with its line number."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class NoticeRow:
    line: int
    date: dt.date
    kind: str
    name: str


def decode(data):
    """Text of an uploaded file: UTF-8 (with or without BOM), else GB18030 as Chinese Excel saves."""
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise NoticeError([gettext("文件编码无法识别, 请保存为 UTF-8 或 GBK 编码的 CSV")]) from None


def numbered_lines(text):
    """(line number, cells) for every non-blank, non-comment line; a header line is skipped."""
    result = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in next(csv.reader([line]))]
        if not result and cells and cells[0].lower() in HEADER_WORDS:
            continue
        result.append((number, cells))
    return result


def kind_problem(day, kind):
    """Why `kind` cannot be right for `day`, or None. Shared with the admin's day form."""
    weekend = day.weekday() >= 5
    names = {"day": day, "weekday": WEEKDAYS[day.weekday()]}
    if kind == DayKind.ADJUSTED_WORKDAY and not weekend:
        return gettext("%(day)s 是%(weekday)s, 调休上班日只能是周六或周日") % names
    if kind == DayKind.WORKDAY and weekend:
        return gettext("%(day)s 是%(weekday)s, 周末上班请用 adjusted_workday/调休上班") % names
    if kind == DayKind.WEEKEND and not weekend:
        return gettext("%(day)s 是%(weekday)s, 工作日放假请用 holiday/法定节假日") % names
    return None


def parse_row(number, cells):
    """One NoticeRow, or raise NoticeError naming the line and the problem."""
    if len(cells) not in (2, 3):
        raise NoticeError([gettext("第 %(line)s 行: 应为 3 列 date,kind,name, 实际 %(count)s 列")
                           % {"line": number, "count": len(cells)}])
    day = _parse_date(number, cells[0])
    kind = KIND_ALIASES.get(cells[1]) or KIND_ALIASES.get(cells[1].lower())
    if kind is None:
        raise NoticeError([gettext("第 %(line)s 行: 未知类型 “%(kind)s”, 可用类型: %(kinds)s")
                           % {"line": number, "kind": cells[1], "kinds": KIND_HELP}])
    problem = kind_problem(day, kind)
    if problem:
        raise NoticeError([gettext("第 %(line)s 行: %(problem)s") % {"line": number, "problem": problem}])
    name = cells[2] if len(cells) == 3 else ""
    if len(name) > 100:
        raise NoticeError([gettext("第 %(line)s 行: 名称超过 100 个字符") % {"line": number}])
    return NoticeRow(number, day, kind, name)


def _parse_date(number, text):
    match = DATE_RE.match(text)
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            pass  # 2027-02-30: the right shape, not a real day
    raise NoticeError([gettext("第 %(line)s 行: 日期 “%(text)s” 无效, 应为 YYYY-MM-DD 格式的真实日期")
                       % {"line": number, "text": text}])


def parse_notice(lines):
    """Validate (line number, cells) pairs; return (year, rows) or raise every problem at once."""
    rows, problems = [], []
    for number, cells in lines:
        try:
            rows.append(parse_row(number, cells))
        except NoticeError as error:
            problems.extend(error.problems)
    problems.extend(_cross_row_problems(rows))
    if not rows and not problems:
        problems.append(gettext("文件中没有任何日期行 (每行格式: date,kind,name)"))
    if problems:
        raise NoticeError(_capped(problems))
    return rows[0].date.year, rows


def _cross_row_problems(rows):
    """A notice covers exactly one year and names each date once."""
    problems, seen = [], {}
    first = rows[0] if rows else None
    for row in rows:
        if row.date in seen:
            problems.append(gettext("第 %(line)s 行: 日期 %(date)s 与第 %(first)s 行重复")
                            % {"line": row.line, "date": row.date, "first": seen[row.date]})
        seen.setdefault(row.date, row.line)
        if row.date.year != first.date.year:
            problems.append(
                gettext("第 %(line)s 行: 日期 %(date)s 不在 %(year)s 年 (见第 %(first)s 行); "
                        "一个通知文件只能包含一个年份")
                % {"line": row.line, "date": row.date, "year": first.date.year, "first": first.line}
            )
    return problems


def _capped(problems):
    if len(problems) <= MAX_ERRORS:
        return problems
    return [*problems[:MAX_ERRORS], gettext("…… 另有 %(n)s 处错误") % {"n": len(problems) - MAX_ERRORS}]


def read_notice(*, file=None, rows=None):
    """(year, NoticeRows) from a file (path, bytes or binary file object) or from ready cells."""
    if rows is not None:
        cells = ([str(cell).strip() for cell in row] for row in rows)
        return parse_notice(list(enumerate(cells, start=1)))
    data = _file_bytes(file)
    if len(data) > MAX_BYTES:
        raise NoticeError([gettext("文件过大 (%(size)s 字节); 一年的通知不超过 %(limit)s KB")
                           % {"size": len(data), "limit": MAX_BYTES // 1000}])
    return parse_notice(numbered_lines(decode(data)))


def _file_bytes(file):
    if isinstance(file, (str, os.PathLike)):
        with open(file, "rb") as handle:
            return handle.read()
    return file if isinstance(file, bytes) else file.read()
