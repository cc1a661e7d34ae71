"""import_enterprises: the command, the shared rules, and the admin's import-export resource."""

import csv

import pytest
import tablib
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from enterprises.models import Enterprise, ListStatus
from enterprises.resources import EnterpriseResource
from enterprises.validators import make_uscc
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADER = ["企业名称", "统一社会信用代码", "行业", "名单类别", "龙头企业", "地址", "联系人", "联系电话"]
CODE1, CODE2, CODE3 = (make_uscc(f"91510300MA6{n:06d}") for n in (1, 2, 3))


@pytest.fixture(autouse=True)
def industries(db):
    f.IndustryFactory(name="新材料")
    f.IndustryFactory(name="电子信息")


def rows():
    return [
        ["自贡甲新材料有限公司", CODE1, "新材料", "四上企业", "是", "板仓工业园", "王强", "0813-1234567"],
        ["自贡乙电子有限公司", CODE2.lower(), "电子信息", "招商引资", "否", "", "李娜", 13800000000],
        ["自贡丙新材料有限公司", CODE3, "新材料", "", "", "", "", ""],
    ]


def write_csv(path, header, body, encoding="utf-8-sig"):
    with open(path, "w", newline="", encoding=encoding) as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(body)
    return str(path)


def write_xlsx(path, header, body):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in body:
        sheet.append(row)
    book.save(path)
    return str(path)


def run(path, *args):
    out, err = _Buffer(), _Buffer()
    try:
        call_command("import_enterprises", path, *args, stdout=out, stderr=err)
    except CommandError as error:
        return str(error), out.text + err.text
    return None, out.text + err.text


class _Buffer:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass

    def isatty(self):
        return False


def test_csv_rows_are_created_then_updated_by_credit_code(tmp_path):
    failure, output = run(write_csv(tmp_path / "list.csv", HEADER, rows()))
    assert failure is None and "新增 3 家" in output
    second = Enterprise.objects.get(credit_code=CODE2)
    assert second.list_status == ListStatus.ATTRACTED and second.contact_phone == "13800000000"
    assert Enterprise.objects.get(credit_code=CODE3).list_status == ListStatus.ABOVE_SCALE
    assert Enterprise.objects.get(credit_code=CODE1).is_leading

    changed = rows()
    changed[0][6] = "赵敏"
    changed[2][5] = ""  # an empty cell leaves the stored value alone
    failure, output = run(write_csv(tmp_path / "list2.csv", HEADER, changed))
    assert failure is None and "新增 0 家, 更新 1 家, 无变化 2 家" in output
    assert Enterprise.objects.get(credit_code=CODE1).contact_name == "赵敏"
    assert Enterprise.objects.count() == 3


def test_xlsx_with_english_headers(tmp_path):
    header = ["name", "credit_code", "industry", "list_status", "is_leading", "address", "contact", "phone"]
    failure, _ = run(write_xlsx(tmp_path / "list.xlsx", header, rows()))
    assert failure is None and Enterprise.objects.count() == 3


def test_gbk_csv_from_chinese_excel_is_read(tmp_path):
    failure, _ = run(write_csv(tmp_path / "list.csv", HEADER, rows(), encoding="gb18030"))
    assert failure is None and Enterprise.objects.count() == 3


def test_bad_rows_are_reported_with_row_column_and_reason_and_nothing_is_imported(tmp_path):
    body = rows() + [
        ["坏校验位公司", CODE1[:17] + ("0" if CODE1[17] != "0" else "1"), "新材料", "", "", "", "", ""],
        ["未知行业公司", make_uscc("91510300MA6000009"), "航空航天", "", "", "", "", ""],
        ["", make_uscc("91510300MA6000010"), "新材料", "", "", "", "", ""],
        ["类别错误公司", make_uscc("91510300MA6000011"), "新材料", "规下", "也许", "", "", ""],
        ["重复公司", CODE2, "新材料", "", "", "", "", ""],
        ["含字母O公司", "91510300MA6O00012X", "新材料", "", "", "", "", ""],
    ]
    failure, output = run(write_csv(tmp_path / "bad.csv", HEADER, body))
    assert "未导入任何数据" in failure
    for expected in ("第 5 行 [统一社会信用代码]: 统一社会信用代码校验位错误",
                     "第 6 行 [行业]: 未知行业“航空航天”",
                     "第 7 行 [企业名称]: 企业名称不能为空",
                     "第 8 行 [名单类别]", "第 8 行 [龙头企业]: 应为 是 / 否",
                     "第 9 行 [统一社会信用代码]: 与第 3 行重复",
                     "第 10 行 [统一社会信用代码]: 统一社会信用代码含有不允许的字符: O"):
        assert expected in output, expected
    assert not Enterprise.objects.exists()


def test_dry_run_changes_nothing(tmp_path):
    failure, output = run(write_csv(tmp_path / "list.csv", HEADER, rows()), "--dry-run")
    assert failure is None and "试运行" in output and "新增 3 家" in output
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (["企业名称", "统一社会信用代码", "行业", "注册资本"], "无法识别的列: 注册资本"),
        (["企业名称", "行业"], "缺少必需的列: 统一社会信用代码"),
        (["企业名称", "统一社会信用代码", "行业", "name"], "重复的列: name"),
    ],
)
def test_wrong_columns_are_a_clear_error(tmp_path, header, message):
    failure, _ = run(write_csv(tmp_path / "cols.csv", header, [["甲", CODE1, "新材料", "x"][: len(header)]]))
    assert message in failure
    assert not Enterprise.objects.exists()


def test_empty_files(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    assert "文件为空" in run(str(tmp_path / "empty.csv"))[0]
    assert "没有企业数据" in run(write_csv(tmp_path / "header.csv", HEADER, []))[0]
    assert "没有企业数据" in run(write_xlsx(tmp_path / "header.xlsx", HEADER, []))[0]


def test_credit_code_typed_as_a_number_in_excel_is_a_type_error(tmp_path):
    body = [["数字代码公司", 915103000000000000, "新材料", "", "", "", "", ""]]
    failure, output = run(write_xlsx(tmp_path / "num.xlsx", HEADER, body))
    assert "第 2 行 [统一社会信用代码]: 应为文本格式" in output and failure


def test_unsupported_file_type_and_missing_file(tmp_path):
    (tmp_path / "list.xls").write_bytes(b"old excel")
    assert "不支持的文件类型 .xls" in run(str(tmp_path / "list.xls"))[0]
    assert "找不到文件" in run(str(tmp_path / "none.csv"))[0]


def test_an_overridden_code_can_be_reimported(tmp_path):
    bad = CODE1[:17] + ("0" if CODE1[17] != "0" else "1")
    f.EnterpriseFactory(credit_code=bad, check_override_reason="原件核实")
    failure, _ = run(write_csv(tmp_path / "list.csv", HEADER, [["改名公司", bad, "新材料"] + [""] * 5]))
    assert failure is None and Enterprise.objects.get(credit_code=bad).name == "改名公司"


# --- the admin's import (django-import-export) applies the same rules -------------------

def dataset(header, body):
    data = tablib.Dataset(headers=header)
    for row in body:
        data.append(row)
    return data


def test_admin_resource_imports_valid_rows_with_aliases():
    header = ["name", "credit_code", "industry", "list_status", "is_leading", "address", "contact", "phone"]
    result = EnterpriseResource().import_data(dataset(header, rows()), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Enterprise.objects.count() == 3
    assert Enterprise.objects.get(credit_code=CODE2).list_status == ListStatus.ATTRACTED


def test_admin_resource_refuses_the_whole_file_when_a_row_is_bad():
    body = rows() + [["重复公司", CODE2, "新材料", "", "", "", "", ""]]
    result = EnterpriseResource().import_data(dataset(HEADER, body), dry_run=False, use_transactions=True)
    assert result.has_validation_errors()
    invalid = result.invalid_rows[0]
    assert "第 5 行 [统一社会信用代码]: 与第 3 行重复" in str(invalid.error_dict)
    # The row's number is the sheet's (header = row 1), as in the message; the column is named.
    assert invalid.number == 5 and list(invalid.field_specific_errors) == ["credit_code"]
    message = f"第 5 行 [统一社会信用代码]: 与第 3 行重复: {CODE2}"
    assert result.error_table == [(5, "统一社会信用代码", message)]
    assert not Enterprise.objects.exists()


def test_admin_resource_reports_wrong_columns():
    result = EnterpriseResource().import_data(dataset(["企业名称", "注册资本"], [["甲", "1"]]), dry_run=True)
    assert result.has_errors()
    assert "无法识别的列: 注册资本" in str(result.base_errors[0].error)


def test_admin_resource_exports_chinese_labels():
    f.EnterpriseFactory(name="甲", credit_code=CODE1, is_leading=True)
    exported = EnterpriseResource().export()
    assert exported.headers[:3] == ["企业名称", "统一社会信用代码", "行业"]
    assert exported[0][3] == "四上企业" and exported[0][4] == "是"
