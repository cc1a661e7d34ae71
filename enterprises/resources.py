"""django-import-export resource: the admin's import runs the same checks as the command."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext
from import_export import fields, resources, widgets

from .importing import ImportFileError, map_columns, plan_import
from .models import Enterprise, Industry, ListStatus


class EnterpriseResource(resources.ModelResource):
    # The column names (and 是/否 below) are the file's vocabulary, not UI text: importing.COLUMNS
    # matches them, so an exported sheet reads back whatever language the admin uses.
    name = fields.Field("name", column_name="企业名称")
    credit_code = fields.Field("credit_code", column_name="统一社会信用代码")
    industry = fields.Field("industry", column_name="行业",
                            widget=widgets.ForeignKeyWidget(Industry, field="name"))
    list_status = fields.Field("list_status", column_name="名单类别")
    is_leading = fields.Field("is_leading", column_name="龙头企业", widget=widgets.BooleanWidget())
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
        return super().import_data(dataset, **kwargs)

    def dehydrate_list_status(self, enterprise):
        with translation.override(settings.LANGUAGE_CODE):  # the Chinese label importing reads back
            return str(ListStatus(enterprise.list_status).label)

    def dehydrate_is_leading(self, enterprise):
        return "是" if enterprise.is_leading else "否"

    def before_import(self, dataset, **kwargs):
        """Validate the whole sheet with enterprises.importing, then hand over clean values."""
        self._row_errors = {}
        headers = ["" if h is None else str(h) for h in (dataset.headers or [])]
        rows = [(i, list(r)) for i, r in enumerate(dataset, start=2)]
        try:
            if not rows:
                raise ImportFileError(gettext("文件为空: 没有企业数据"))
            columns = map_columns(headers)
            plan = plan_import(headers, rows)
        except ImportFileError as error:
            dataset.wipe()
            raise ValidationError(str(error)) from None
        for error in plan.errors:
            self._row_errors.setdefault(error.row - 1, []).append(str(error))
        clean = {r.row: r for r in plan.rows}
        self._industry_names = dict(Industry.objects.values_list("pk", "name"))
        canonical = [self.fields[f].column_name for f in self._meta.fields]
        data = [self._clean_row(clean[n]) if n in clean else self._raw_row(cells, columns, canonical)
                for n, cells in rows]
        dataset.wipe()
        dataset.headers = canonical
        for row in data:
            dataset.append(row)

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
        errors = self._row_errors.get(row_number)
        if errors:
            raise ValidationError({"__all__": errors})
