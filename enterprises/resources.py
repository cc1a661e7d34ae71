"""django-import-export resource: the admin's import runs the same checks as the command.

Rows are numbered as the spreadsheet shows them (the header is row 1, the first enterprise row 2),
in the messages and in the admin's error table alike; the preview shows labels (四上企业, 是/否),
not the stored codes.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from import_export import fields, resources, widgets

from .importing import FIELD_OF, ImportFileError, _blank, map_columns, plan_import
from .models import Enterprise, Industry, ListStatus


class ChoiceLabelWidget(widgets.Widget):
    """A choice field: takes the stored code (before_import hands over clean codes) and shows its
    label in the preview (above_scale → 四上企业)."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        return None if value in (None, "") else str(value)

    def render(self, value, obj=None, **kwargs):
        if value in (None, ""):
            return ""
        try:
            return str(self.choices(value).label)
        except ValueError:
            return str(value)


class YesNoWidget(widgets.BooleanWidget):
    """是/否 in the preview instead of 1/0."""

    def render(self, value, obj=None, **kwargs):
        if not isinstance(value, bool):
            return ""
        return gettext("是") if value else gettext("否")


class EnterpriseResource(resources.ModelResource):
    # The column names (and 是/否 below) are the file's vocabulary, not UI text: importing.COLUMNS
    # matches them, so an exported sheet reads back whatever language the admin uses.
    name = fields.Field("name", column_name="企业名称")
    credit_code = fields.Field("credit_code", column_name="统一社会信用代码")
    industry = fields.Field("industry", column_name="行业",
                            widget=widgets.ForeignKeyWidget(Industry, field="name"))
    list_status = fields.Field("list_status", column_name="名单类别", widget=ChoiceLabelWidget(ListStatus))
    is_leading = fields.Field("is_leading", column_name="龙头企业", widget=YesNoWidget())
    address = fields.Field("address", column_name="地址")
    contact_name = fields.Field("contact_name", column_name="联系人")
    contact_phone = fields.Field("contact_phone", column_name="联系电话")

    class Meta:
        model = Enterprise
        fields = ("name", "credit_code", "industry", "list_status", "is_leading", "address",
                  "contact_name", "contact_phone")
        import_id_fields = ("credit_code",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def import_data(self, dataset, **kwargs):
        # Nothing half-done: one invalid row rolls back the whole file, as in the command.
        kwargs["rollback_on_validation_errors"] = True
        kwargs.setdefault("use_transactions", True)
        self._sheet_rows = []
        result = super().import_data(dataset, **kwargs)
        # The library counts the rows it was handed from 1; the reader counts the sheet's rows.
        for row in result.invalid_rows:
            row.number = self.sheet_row(row.number)
        for row in result.error_rows:
            row.number = self.sheet_row(row.number)
        result.error_table = self.error_table(result)
        for row in result.rows:  # the page's CSP refuses style attributes; import.css colours ins/del
            if row.diff:
                row.diff = [mark_safe(html.replace(' style="background:#e6ffe6;"', "")
                                      .replace(' style="background:#ffe6e6;"', "")) for html in row.diff]
        return result

    def sheet_row(self, row_number):
        """The spreadsheet's row number of the library's row `row_number` (1 = first data row)."""
        rows = getattr(self, "_sheet_rows", [])
        return rows[row_number - 1] if row_number and 0 < row_number <= len(rows) else row_number

    def error_table(self, result):
        """[(row, column, message)] for the admin's error table, in sheet order: every problem
        of every row, each in the column it concerns (None for the whole row or the file)."""
        table = [(None, None, str(error.error)) for error in result.base_errors]
        labels = {name: self.fields[name].column_name for name in self._meta.fields}
        for row in result.invalid_rows:
            for key, messages in row.error_dict.items():
                column = None if key == "__all__" else labels.get(key, key)
                table += [(row.number, column, message) for message in messages]
        for row in result.error_rows:
            table += [(row.number, None, str(error.error)) for error in row.errors]
        return table

    def dehydrate_list_status(self, enterprise):
        with translation.override(settings.LANGUAGE_CODE):  # the Chinese label importing reads back
            return str(ListStatus(enterprise.list_status).label)

    def dehydrate_is_leading(self, enterprise):
        return "是" if enterprise.is_leading else "否"

    def before_import(self, dataset, **kwargs):
        """Validate the whole sheet with enterprises.importing, then hand over clean values."""
        self._row_errors = {}
        headers = ["" if h is None else str(h) for h in (dataset.headers or [])]
        # Numbered as in the sheet (header = row 1); blank rows are skipped, as by the command.
        rows = [(i, list(r)) for i, r in enumerate(dataset, start=2) if not _blank(r)]
        try:
            if not rows:
                raise ImportFileError(gettext("文件为空: 没有企业数据"))
            columns = map_columns(headers)
            plan = plan_import(headers, rows)
        except ImportFileError as error:
            dataset.wipe()
            raise ValidationError(str(error)) from None
        for error in plan.errors:
            self._row_errors.setdefault(error.row, []).append(error)
        clean = {r.row: r for r in plan.rows}
        self._industry_names = dict(Industry.objects.values_list("pk", "name"))
        canonical = [self.fields[f].column_name for f in self._meta.fields]
        data = [self._clean_row(clean[n]) if n in clean else self._raw_row(cells, columns, canonical)
                for n, cells in rows]
        dataset.wipe()
        dataset.headers = canonical
        for row in data:
            dataset.append(row)
        self._sheet_rows = [n for n, _cells in rows]

    @staticmethod
    def _raw_row(cells, columns, canonical):
        # An invalid row is shown as it was sent, so the reader recognises it.
        return [cells[columns[c]] if c in columns and columns[c] < len(cells) else "" for c in canonical]

    def _clean_row(self, planned):
        merged = {f: self._current(planned, f) for f in self._meta.fields}
        merged.update(planned.values)
        merged["industry"] = self._industry_names.get(merged["industry"], "")
        return [merged[f] for f in self._meta.fields]

    @staticmethod
    def _current(planned, name):
        if planned.existing is None:
            return {"list_status": ListStatus.ABOVE_SCALE, "is_leading": False}.get(name, "")
        return getattr(planned.existing, "industry_id" if name == "industry" else name)

    def before_import_row(self, row, row_number=None, **kwargs):
        errors = self._row_errors.get(self.sheet_row(row_number))
        if errors:
            # Keyed by field, so the admin's table names the column; the message says the row.
            by_field = {}
            for error in errors:
                by_field.setdefault(FIELD_OF.get(error.column, "__all__"), []).append(str(error))
            raise ValidationError(by_field)
