"""The enterprise admin: the credit-code override and the import page."""

import pytest
from django.urls import reverse

from enterprises.models import Enterprise
from tests import factories as f

pytestmark = pytest.mark.django_db
BAD_CHECK = "91512081MA62K0260F"


@pytest.fixture
def admin_client(client, personas):
    client.force_login(personas.root)
    return client


def add(admin_client, personas, **data):
    payload = {"name": "丙公司", "credit_code": BAD_CHECK, "check_override_reason": "",
               "industry": personas.enterprise_a.industry_id, "list_status": "above_scale",
               "members-TOTAL_FORMS": 0, "members-INITIAL_FORMS": 0}
    return admin_client.post(reverse("admin:enterprises_enterprise_add"), {**payload, **data})


def test_wrong_check_character_is_refused_in_the_admin(admin_client, personas):
    response = add(admin_client, personas)
    assert response.status_code == 200 and "校验位错误" in response.content.decode()
    assert not Enterprise.objects.filter(name="丙公司").exists()


def test_admin_overrides_the_check_character_with_a_reason(admin_client, personas):
    response = add(admin_client, personas, check_override_reason="营业执照原件核实",
                   credit_code=BAD_CHECK.lower())
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(name="丙公司")
    assert enterprise.credit_code == BAD_CHECK and enterprise.check_override_reason == "营业执照原件核实"


def test_the_format_cannot_be_overridden_in_the_admin(admin_client, personas):
    response = add(admin_client, personas, check_override_reason="领导同意", credit_code="91512081MA62K0I60E")
    assert response.status_code == 200 and "不允许的字符" in response.content.decode()


def test_import_and_export_pages_load(admin_client):
    f.EnterpriseFactory()
    assert admin_client.get(reverse("admin:enterprises_enterprise_import")).status_code == 200
    assert admin_client.get(reverse("admin:enterprises_enterprise_changelist")).status_code == 200


def test_the_import_error_heading_reads_correct_chinese():
    """django-import-export's own catalogue garbles it (某些行验数据证失败); ours overrides it."""
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("Some rows failed to validate") == "部分行数据校验未通过"
        assert translation.gettext("Non field specific") == "整行"


# --- the import page (django-import-export) ---------------------------------------------------

HEADER = ["企业名称", "统一社会信用代码", "行业", "名单类别", "龙头企业", "地址", "联系人", "联系电话"]


def workbook(rows):
    """An .xlsx as a person would send it: the header in row 1, enterprises from row 2."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("企业名单.xlsx", buffer.getvalue(),
                             content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def upload(admin_client, rows):
    from enterprises.admin import EnterpriseAdmin

    formats = [f().get_title() for f in EnterpriseAdmin(Enterprise, None).get_import_formats()]
    return admin_client.post(reverse("admin:enterprises_enterprise_import"),
                             {"format": formats.index("xlsx"), "import_file": workbook(rows)})


def codes(n):
    from enterprises.validators import make_uscc

    return [make_uscc(f"91510300MA6{i:06d}") for i in range(1, n + 1)]


def error_rows(html):
    """The error table's rows as text: [(row, column, message)]."""
    import re

    start = html.index('class="import-errors"')
    table = html[start:html.index("</table>", start)]
    cells = re.findall(r'<tr class="import-error">\s*<th scope="row">(.*?)</th>'
                       r'\s*<td>(.*?)</td>\s*<td>(.*?)</td>', table, re.S)
    return [tuple(c.strip() for c in cell) for cell in cells]


def test_import_errors_say_the_sheets_row_in_the_table_and_the_message(admin_client, personas):
    one, two, three = codes(3)
    industry = personas.enterprise_a.industry.name
    response = upload(admin_client, [
        ["自贡甲有限公司", one, industry, "四上企业", "是", "", "", ""],      # row 2
        ["自贡乙有限公司", two, industry, "招商引资企业", "否", "", "", ""],  # row 3
        ["自贡丙有限公司", three, "航空航天", "", "", "", "", ""],           # row 4: unknown industry
    ])
    assert response.status_code == 200
    html = response.content.decode()
    assert error_rows(html) == [("4", "行业", "第 4 行 [行业]: 未知行业“航空航天”; 可选: 新材料、电子信息 "
                                              "(新行业请先在管理后台添加)")]
    # One plain table, no tooltip: the library's hover box is not on the page.
    assert "validation-error-container" not in html and "validation-error-count" not in html
    assert "部分行数据校验未通过" in html and "某些行验数据证失败" not in html
    assert "共 1 处错误, 本次未导入任何数据。" in html
    assert not Enterprise.objects.filter(name__startswith="自贡").exists()


def test_each_problem_has_its_own_line_and_column(admin_client, personas):
    one, two = codes(2)
    industry = personas.enterprise_a.industry.name
    response = upload(admin_client, [
        ["自贡甲有限公司", one, industry, "", "", "", "", ""],
        [None, None, None, None, None, None, None, None],  # a blank row 3 is skipped, not renumbered
        ["", two, industry, "规下", "也许", "", "", ""],    # row 4: three problems
        ["自贡丁有限公司", one, industry, "", "", "", "", ""],  # row 5: the same code as row 2
    ])
    rows = error_rows(response.content.decode())
    assert [(row, column) for row, column, _message in rows] == [
        ("4", "企业名称"), ("4", "名单类别"), ("4", "龙头企业"), ("5", "统一社会信用代码")]
    assert all(message.startswith(f"第 {row} 行 [{column}]") for row, column, message in rows)
    assert "与第 2 行重复" in rows[-1][2]


def test_a_wrong_file_is_one_line_of_the_table(admin_client, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from enterprises.admin import EnterpriseAdmin

    formats = [f().get_title() for f in EnterpriseAdmin(Enterprise, None).get_import_formats()]
    sheet = SimpleUploadedFile("list.csv", "企业名称,注册资本\n甲,1\n".encode())
    response = admin_client.post(reverse("admin:enterprises_enterprise_import"),
                                 {"format": formats.index("csv"), "import_file": sheet})
    rows = error_rows(response.content.decode())
    assert len(rows) == 1 and rows[0][:2] == ("—", "整个文件") and "无法识别的列: 注册资本" in rows[0][2]


def test_the_preview_shows_labels_not_codes(admin_client, personas):
    one, two = codes(2)
    industry = personas.enterprise_a.industry.name
    response = upload(admin_client, [
        ["自贡甲有限公司", one, industry, "四上", "1", "", "", ""],
        ["自贡乙有限公司", two, industry, "attracted", "0", "", "", ""],
    ])
    html = response.content.decode()
    preview = html[html.index('class="import-preview"'):]
    assert "四上企业" in preview and "招商引资企业" in preview and "是" in preview and "否" in preview
    for code in ("above_scale", "attracted", "<ins>1</ins>", "<ins>0</ins>", "True", "False"):
        assert code not in preview, code
    assert "style=" not in preview  # CSP: the diff's colours come from import.css
    assert not Enterprise.objects.filter(name__startswith="自贡").exists()  # a preview writes nothing


def test_the_import_page_reads_correct_chinese(admin_client):
    html = admin_client.get(reverse("admin:enterprises_enterprise_import")).content.decode()
    assert "此次将导入以下字段" in html and "导入文件" in html


def test_the_library_strings_on_the_import_page_are_overridden():
    """Every zh_Hans string the import page can show reads right (the library's garbles or omits
    some); the English ones stay the library's."""
    from django.utils import translation

    expected = {
        "Some rows failed to validate": "部分行数据校验未通过",
        "Non field specific": "整行",
        "No valid data to import. Ensure your file has the correct headers or data for import.":
            "没有可导入的数据: 请检查文件的表头和内容。",
        "Value could not be parsed.": "无法解析该值。",
        "Select all": "全选",
    }
    with translation.override("zh-hans"):
        for english, chinese in expected.items():
            assert translation.gettext(english) == chinese
        finished = "Import finished: {} new, {} updated, {} deleted and {} skipped {}."
        assert translation.gettext(finished).format(2, 1, 0, 3, "企业") == \
            "导入完成(企业): 新增 2 条, 更新 1 条, 删除 0 条, 无变化跳过 3 条。"


def test_confirming_the_preview_imports_and_says_so_in_chinese(admin_client, personas):
    one, two = codes(2)
    industry = personas.enterprise_a.industry.name
    preview = upload(admin_client, [
        ["自贡甲有限公司", one, industry, "四上企业", "是", "", "", ""],
        ["自贡乙有限公司", two, industry, "招商引资", "否", "", "", ""],
    ])
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    response = admin_client.post(reverse("admin:enterprises_enterprise_process_import"), data, follow=True)
    assert "导入完成(企业): 新增 2 条, 更新 0 条" in response.content.decode()
    first = Enterprise.objects.get(credit_code=one)
    assert first.list_status == "above_scale" and first.is_leading
    assert Enterprise.objects.get(credit_code=two).list_status == "attracted"
