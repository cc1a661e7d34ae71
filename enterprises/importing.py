"""Import of an enterprise list (.xlsx or .csv), shared by the command and the admin.

All or nothing: a file with any invalid row imports nothing, and every problem is reported with
its row number, column and reason, so the sender can fix the sheet and send it again.
Rows are matched on the credit code: new codes are created, known codes updated. An empty cell
leaves the stored value as it is.
"""

import csv
import io
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from .models import Enterprise, Industry, ListStatus
from .validators import normalize_uscc, validate_uscc, validate_uscc_format

# canonical header → accepted aliases (compared case- and space-insensitively)
COLUMNS = {
    "企业名称": ("name", "enterprise", "company", "企业", "名称", "单位名称"),
    "统一社会信用代码": ("credit_code", "uscc", "信用代码", "社会信用代码"),
    "行业": ("industry", "所属行业"),
    "名单类别": ("list_status", "list", "类别"),
    "龙头企业": ("is_leading", "leading", "是否龙头企业"),
    "地址": ("address", "企业地址"),
    "联系人": ("contact_name", "contact"),
    "联系电话": ("contact_phone", "phone", "电话"),
}
REQUIRED = ("企业名称", "统一社会信用代码", "行业")
IGNORED = ("序号", "no", "#")
FIELD_OF = {"企业名称": "name", "统一社会信用代码": "credit_code", "行业": "industry",
            "名单类别": "list_status", "龙头企业": "is_leading", "地址": "address",
            "联系人": "contact_name", "联系电话": "contact_phone"}
MAX_LENGTH = {"企业名称": 200, "地址": 200, "联系人": 50, "联系电话": 30}
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "龙头", "龙头企业"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", ""}


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, columns, empty)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        return gettext("第 %(row)s 行 [%(column)s]: %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message}


@dataclass
class PlannedRow:
    row: int
    values: dict
    existing: Enterprise | None = None

    @property
    def changed(self):
        return self.existing is None or any(
            getattr(self.existing, _attr(name)) != value for name, value in self.values.items()
        )


@dataclass
class ImportPlan:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    # Cached: once applied, the stored rows equal the sheet and nothing would look changed.
    @cached_property
    def to_create(self):
        return [r for r in self.rows if r.existing is None]

    @cached_property
    def to_update(self):
        return [r for r in self.rows if r.existing is not None and r.changed]

    @cached_property
    def unchanged(self):
        return [r for r in self.rows if r.existing is not None and not r.changed]

    def summary(self):
        created, updated, same = len(self.to_create), len(self.to_update), len(self.unchanged)
        return f"新增 {created} 家, 更新 {updated} 家, 无变化 {same} 家"


def _attr(name):
    return "industry_id" if name == "industry" else name


# --- reading ------------------------------------------------------------------------------

def read_table(source, *, filename=None):
    """(headers, [(row number, [cells])]) from a path or a binary file object."""
    name = str(filename or getattr(source, "name", source))
    suffix = Path(name).suffix.lower()
    data = source.read() if hasattr(source, "read") else Path(source).read_bytes()
    if suffix == ".xlsx":
        return _read_xlsx(data)
    if suffix == ".csv":
        return _read_csv(data)
    raise ImportFileError(gettext("不支持的文件类型 %(suffix)s: 请使用 .xlsx 或 .csv")
                          % {"suffix": suffix or gettext("(无扩展名)")})


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(gettext("无法读取 Excel 文件: %(error)s") % {"error": error}) from None
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return _split(rows)


def _read_csv(data):
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in Chinese saves CSV as GB18030/GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(gettext("CSV 文件编码无法识别: 请另存为 UTF-8 编码的 CSV"))
    return _split(list(csv.reader(io.StringIO(text))))


def _split(rows):
    rows = [list(r) for r in rows]
    while rows and _blank(rows[0]):
        rows.pop(0)
    if not rows:
        raise ImportFileError(gettext("文件为空: 第一行应为表头 (企业名称、统一社会信用代码、行业 …)"))
    header, body = rows[0], rows[1:]
    numbered = [(i, r) for i, r in enumerate(body, start=2) if not _blank(r)]
    if not numbered:
        raise ImportFileError(gettext("文件只有表头, 没有企业数据"))
    return ["" if h is None else str(h) for h in header], numbered


def _blank(cells):
    return all(c is None or str(c).strip() == "" for c in cells)


# --- columns ------------------------------------------------------------------------------

def _key(text):
    return "".join(str(text).split()).lower()


ALIASES = {_key(alias): canonical for canonical, aliases in COLUMNS.items()
           for alias in (canonical, *aliases)}


def map_columns(headers):
    """{canonical header: index}; wrong or missing columns are a file error."""
    found, unknown, twice = {}, [], []
    for index, header in enumerate(headers):
        if not header.strip() or _key(header) in IGNORED:
            continue
        canonical = ALIASES.get(_key(header))
        if canonical is None:
            unknown.append(header)
        elif canonical in found:
            twice.append(header)
        else:
            found[canonical] = index
    # The headers are named as the sheet spells them (Chinese): only the sentences are translated.
    problems, sep = [], gettext("、")
    if unknown:
        problems.append(gettext("无法识别的列: %(columns)s") % {"columns": sep.join(unknown)})
    if twice:
        problems.append(gettext("重复的列: %(columns)s") % {"columns": sep.join(twice)})
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        problems.append(gettext("缺少必需的列: %(columns)s") % {"columns": sep.join(missing)})
    if problems:
        raise ImportFileError(gettext("%(problems)s。可用的列: %(columns)s")
                              % {"problems": "; ".join(problems), "columns": sep.join(COLUMNS)})
    return found


# --- rows ---------------------------------------------------------------------------------

def plan_import(headers, rows, *, progress=None):
    """Validate every row and match it to a stored enterprise; writes nothing."""
    columns = map_columns(headers)
    industries = {i.name: i for i in Industry.objects.all()}
    codes = [normalize_uscc(_text(cells, columns["统一社会信用代码"])) for _, cells in rows]
    existing = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}
    plan, first_seen = ImportPlan(), {}
    for done, (number, cells) in enumerate(rows, start=1):
        values, errors = _parse_row(number, cells, columns, industries, existing)
        code = values.get("credit_code")
        if code and code in first_seen:
            message = gettext("与第 %(first)s 行重复: %(code)s") % {"first": first_seen[code], "code": code}
            errors.append(RowError(number, "统一社会信用代码", message))
        elif code:
            first_seen[code] = number
        plan.errors.extend(errors)
        if not errors:
            plan.rows.append(PlannedRow(number, values, existing.get(code)))
        if progress:
            progress(done, len(rows))
    return plan


def _text(cells, index):
    value = cells[index] if index < len(cells) else None
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_row(number, cells, columns, industries, existing):
    values, errors = {}, []
    for column, index in columns.items():
        raw = cells[index] if index < len(cells) else None
        try:
            parsed = PARSERS[column](raw, industries=industries, existing=existing)
        except ValidationError as error:
            errors.append(RowError(number, column, "; ".join(error.messages)))
            continue
        if parsed not in (None, ""):
            values[FIELD_OF[column]] = parsed
    return values, errors


def _required_text(column):
    def parse(raw, **_):
        text = _plain_text(raw, column)
        if not text:
            raise ValidationError(gettext("%(column)s不能为空") % {"column": column})
        return text
    return parse


def _optional_text(column):
    return lambda raw, **_: _plain_text(raw, column)


def _plain_text(raw, column):
    if isinstance(raw, bool) or (raw is not None and not isinstance(raw, str | int | float)):
        raise ValidationError(gettext("应为文本, 实为 %(raw)s") % {"raw": repr(raw)})
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = "" if raw is None else " ".join(str(raw).split())
    if len(text) > MAX_LENGTH.get(column, 10_000):
        raise ValidationError(gettext("超过 %(max)s 个字符") % {"max": MAX_LENGTH[column]})
    return text


def _credit_code(raw, *, existing, **_):
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        # 18 digits read as a number have already lost their last digits in Excel.
        raise ValidationError(gettext("应为文本格式 (Excel 中请将该列设为“文本”), 实为数字"))
    code = normalize_uscc(raw if isinstance(raw, str) else "")
    if not code:
        raise ValidationError(gettext("统一社会信用代码不能为空"))
    validate_uscc_format(code)
    known = existing.get(code)
    if known is not None and known.check_override_reason:
        return code  # an administrator already accepted this code's check character
    return validate_uscc(code)


def _industry(raw, *, industries, **_):
    name = _plain_text(raw, "行业")
    if not name:
        raise ValidationError(gettext("行业不能为空"))
    if name not in industries:
        raise ValidationError(gettext("未知行业“%(name)s”; 可选: %(choices)s (新行业请先在管理后台添加)")
                              % {"name": name, "choices": gettext("、").join(industries)})
    return industries[name].pk


LIST_WORDS = {
    **{_key(w): ListStatus.ABOVE_SCALE for w in ("四上企业", "四上", "above_scale", "规上")},
    **{_key(w): ListStatus.OUTSIDE for w in ("名单外企业", "名单外", "outside")},
    **{_key(w): ListStatus.ATTRACTED for w in ("招商引资企业", "招商引资", "attracted")},
}


def _list_status(raw, **_):
    text = _plain_text(raw, "名单类别")
    if not text:
        return None
    if _key(text) not in LIST_WORDS:
        raise ValidationError(gettext("应为 四上企业 / 名单外企业 / 招商引资企业, 实为“%(text)s”")
                              % {"text": text})
    return str(LIST_WORDS[_key(text)])


def _is_leading(raw, **_):
    if raw is None:
        return None
    if isinstance(raw, bool):
        return raw
    word = _key(_plain_text(raw, "龙头企业"))
    if word == "":
        return None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValidationError(gettext("应为 是 / 否, 实为“%(raw)s”") % {"raw": raw})


PARSERS = {
    "企业名称": _required_text("企业名称"),
    "统一社会信用代码": _credit_code,
    "行业": _industry,
    "名单类别": _list_status,
    "龙头企业": _is_leading,
    "地址": _optional_text("地址"),
    "联系人": _optional_text("联系人"),
    "联系电话": _optional_text("联系电话"),
}


# --- writing ------------------------------------------------------------------------------

@transaction.atomic
def plan_apply(plan, *, progress=None):
    """Write a plan with no errors; a plan with errors writes nothing."""
    if plan.errors:
        raise ValidationError(gettext("导入文件有 %(n)s 处错误, 未导入任何数据") % {"n": len(plan.errors)})
    plan.summary()  # fix the counts before the rows change
    new = [Enterprise(**_create_values(r.values)) for r in plan.to_create]
    Enterprise.objects.bulk_create(new, batch_size=500)
    updated = plan.to_update
    for row in updated:
        for name, value in row.values.items():
            setattr(row.existing, _attr(name), value)
    fields = sorted({_attr(n) for r in updated for n in r.values} | {"updated_at"})
    if updated:
        now = timezone.now()
        for row in updated:
            row.existing.updated_at = now
        Enterprise.objects.bulk_update([r.existing for r in updated], fields, batch_size=500)
    if progress:
        progress(len(plan.rows), len(plan.rows))
    return len(new), len(updated)


def _create_values(values):
    values = {_attr(name): value for name, value in values.items()}
    values.setdefault("list_status", ListStatus.ABOVE_SCALE)
    return values


def enterprises_import(source, *, filename=None, dry_run=False, progress=None):
    """Read, validate and (unless dry_run or invalid) write. Returns the plan."""
    headers, rows = read_table(source, filename=filename)
    plan = plan_import(headers, rows, progress=progress)
    if not dry_run and not plan.errors:
        plan_apply(plan)
    return plan
