"""How every API endpoint answers: refused transitions, bad input, pagination, and the error
shapes the schema declares for them. Ground floor: imports no app of ours.

- `refused(error)`: a TransitionError as 403 (forbidden), 409 (state, stale, condition) or 400
  (bad input), with `{"detail", "code"}`.
- `exception_handler`: DRF's, plus a TransitionError that escaped a view (same mapping), a
  Django ValidationError (400) and a value the database refuses (400, never a 500).
- `Strict`: a serializer mixin that refuses unknown fields (a typo is a 400, not ignored).
- `CursorPage` / `NumberPage`: pagination whose bad cursor or page is a 400; NumberPage counts up
  to core.pagination.COUNT_CAP and says `count_capped` past it.
- `DisplayField` / `PlainRead`: list rows without the per-row costs of get_<field>_display() and
  DRF's per-field dispatch; the same values.
- `ERRORS` / `errors(...)`: the documented error responses, with examples.
"""

import copy
from operator import attrgetter

import django_filters
from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db import DataError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, inline_serializer
from rest_framework import exceptions, pagination, serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from . import pagination as core_pagination
from .labels import labels as _labels
from .pagination import capped_count
from .transitions import TransitionError

MAX_ID = 2**31 - 1  # what every database we run on stores in an id column without overflow


def refused(error):
    """403 forbidden; 409 state, stale or condition; 400 bad input — with the code and message."""
    return Response({"detail": error.text, "code": error.code}, status=error.http_status)


def exception_handler(exc, context):
    if isinstance(exc, TransitionError):
        return refused(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError({"detail": exc.messages})
    elif isinstance(exc, DataError | OverflowError):
        # A value the database cannot store or compare (a NUL byte on PostgreSQL, an integer
        # past 64 bits on SQLite): the caller's input, so a 400.
        exc = exceptions.ValidationError({"detail": [str(_("输入的值超出范围或含有无效字符"))]})
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and set(response.data) == {"detail"} \
            and isinstance(exc, exceptions.APIException) and isinstance(exc.get_codes(), str):
        response.data["code"] = exc.get_codes()  # 401, 404, 429…: the same shape as a refusal
    return response


def default_errors(result, generator, request, public):
    """Schema hook: every operation documents 401 (unless public), 404 (when it names an object)
    and 400 (when it takes a body or query parameters), besides what each view declares."""
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            wanted = []
            if any(scheme for scheme in operation.get("security", [{}])):
                wanted.append(("401", "Error", "未登录或令牌无效"))
            if "{" in path:
                wanted.append(("404", "Error", "不存在, 或调用方无权查看"))
            queried = any(p.get("in") == "query" for p in operation.get("parameters", []))
            if operation.get("requestBody") or queried:
                wanted.append(("400", "BadRequest", "输入有误: 每个字段的错误信息"))
            for code, schema, text in wanted:
                responses.setdefault(code, {"description": text, "content": {"application/json": {
                    "schema": {"$ref": f"#/components/schemas/{schema}"}}}})
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {"type": "object", "required": ["detail"], "properties": {
        "detail": {"type": "string"}, "code": {"type": "string"}}}
    schemas["FieldErrors"] = {
        "type": "object", "description": "Each field sent in error, with its messages.",
        "additionalProperties": {"type": ["array", "object"]}}
    schemas["BadRequest"] = {"anyOf": [{"$ref": "#/components/schemas/Error"},
                                       {"$ref": "#/components/schemas/FieldErrors"}]}
    return result


def reject_nul_bytes(request):
    """A NUL byte in a query string is bad input on every database (PostgreSQL refuses it)."""
    bad = sorted({key for key, values in request.query_params.lists()
                  if "\x00" in key or any("\x00" in value for value in values)})
    if bad:
        raise exceptions.ValidationError({key.replace("\x00", "") or "query": [str(_("不能包含空字符"))]
                                          for key in bad})


def filter_params(filterset_class, request):
    """The query's filters as the filter set cleans them; an unknown value is a 400, not ignored."""
    reject_nul_bytes(request)
    model = filterset_class._meta.model
    filterset = filterset_class(request.query_params, queryset=model._default_manager.none())
    if not filterset.is_valid():
        raise exceptions.ValidationError(filterset.errors)
    return filterset.form.cleaned_data


class _StrictBooleanField(forms.NullBooleanField):
    """true/false (1/0); anything else is an error, where django-filter would read it as absent."""

    widget = forms.TextInput  # the select widget turns an unknown value into None before we see it

    def to_python(self, value):
        if value not in (None, "") and str(value).lower() not in ("true", "false", "1", "0"):
            raise forms.ValidationError(_("须为 true 或 false"), code="invalid")
        return super().to_python(value)


class BooleanFilter(django_filters.BooleanFilter):
    field_class = _StrictBooleanField


class SelectorFilters:
    """A list view whose rows come from a selector: the filter set (django-filter, declared as
    `filterset_class`, which also documents the query parameters) only validates the query, and
    `select(params)` builds the rows through the same selectors and `visible_to` as the pages."""

    def filter_queryset(self, queryset):
        if getattr(self, "action", "list") != "list":
            return queryset
        return self.select(filter_params(self.filterset_class, self.request))


class Strict:
    """Refuse fields the serializer does not declare."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))
            if unknown:
                raise exceptions.ValidationError({key: [str(_("未知字段"))] for key in unknown})
        return super().to_internal_value(data)


class DisplayField(serializers.CharField):
    """The label of a model field's choice, as `get_<field>_display()` gives it (source: the field,
    on the serializer's Meta.model), from a table made once per field and language: Django's
    method rebuilds and hashes every lazy label on each call, a cost per row of a list."""

    _table = None

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.model_field = parent.Meta.model._meta.get_field(self.source)
        self._table = None

    def to_representation(self, value):
        # The table looked up at the first row and kept: a field is bound per serializer made (one
        # response, in one language), and get_language() and the cache's key cost more per row
        # than the label does.
        labels = self._table
        if labels is None:
            labels = self._table = _labels(self.model_field, get_language())
        return labels[value] if value in labels else force_str(value)


# No docstring: drf-spectacular would describe every serializer without its own with it.
class PlainRead:
    # A read serializer whose rows skip DRF's per-field dispatch (the Mapping check, the callable
    # inspection, the generator over fields), which costs more than the values themselves in a
    # list of hundreds of rows: a plain attribute path is read with one attrgetter; a method field,
    # a nested serializer, a relation, or an attribute that turns out callable or missing goes
    # through the field's own get_attribute. Same values, same keys, same order as DRF's.

    #
    # Its fields are built once per class: ModelSerializer.get_fields introspects every model
    # field (kwargs, validators, labels) for each serializer made, once per response and once
    # more per nested serializer. The built set is kept unbound; each serializer gets its own
    # copies to bind (a shallow copy of a plain field, a deep one of anything holding fields).

    def get_fields(self):
        built = type(self).__dict__.get("_plain_built")
        if built is None:
            built = super().get_fields()
            type(self)._plain_built = built
        return {name: _own_copy(field) for name, field in built.items()}

    def to_representation(self, instance):
        try:
            plan = self._plain_plan
        except AttributeError:
            plan = self._plain_plan = [(f.field_name, _reader(f), f.to_representation)
                                       for f in self._readable_fields]
        row = {}
        for name, read, represent in plan:
            try:
                value = read(instance)
            except SkipField:
                continue
            if value is None or (type(value) is PKOnlyObject and value.pk is None):
                row[name] = None
            else:
                row[name] = represent(value)
        return row


def _own_copy(field):
    if isinstance(field, serializers.BaseSerializer | serializers.ListField | serializers.DictField
                  | serializers.HiddenField | serializers.ManyRelatedField):
        return copy.deepcopy(field)
    return copy.copy(field)


def _reader(field):
    if field.source == "*" or isinstance(field, serializers.BaseSerializer | serializers.RelatedField
                                         | serializers.ManyRelatedField):
        return field.get_attribute
    get = attrgetter(field.source)

    def read(instance):
        try:
            value = get(instance)
        except (AttributeError, ObjectDoesNotExist):
            return field.get_attribute(instance)  # DRF's default, allow_null or error
        return field.get_attribute(instance) if callable(value) else value

    return read


def IdField(**kwargs):  # noqa: N802 — reads like a field class where it is used
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class _Bounded:
    """A page size the caller may choose up to max_page_size; a page or cursor that does not
    exist is a 400 naming the parameter, not a 404 (the list itself exists)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    bad_position = ("page", _("页码超出范围"))

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound as exc:
            field, message = self.bad_position
            raise exceptions.ValidationError({field: [str(message)]}) from exc

    def get_page_size(self, request):
        if self.page_size_query_param in request.query_params:
            _check_page_size(request.query_params[self.page_size_query_param], self.max_page_size)
        return super().get_page_size(request)


class CursorPage(_Bounded, pagination.CursorPagination):
    """Large lists: a stable cursor instead of OFFSET, newest first."""

    ordering = ("-created_at", "-id")
    bad_position = ("cursor", _("无效的游标"))


class _CappedPaginator(Paginator):
    """Django's Paginator counting no further than the cap: COUNT over a LIMIT cap + 1 subquery
    of bare pks, so a list of a million rows costs what one of cap + 1 rows does. Past the cap,
    `count` is the cap (the pages within it are numbered as before) and `capped` is true."""

    def __init__(self, object_list, per_page, *, cap, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap, self.capped = cap, False

    @cached_property
    def count(self):
        rows = self.object_list
        found = capped_count(rows, self.cap) if isinstance(rows, QuerySet) else len(rows)
        self.capped = found > self.cap
        return min(found, self.cap)


class NumberPage(_Bounded, pagination.PageNumberPagination):
    """Short lists: numbered pages with a count; a page past the end is a 400. The count stops at
    core.pagination.COUNT_CAP (the HTML lists' 「共 10,000+ 条」): `count_capped` says whether it
    did; the pages within the cap are numbered as before, one past it is the same 400."""

    def django_paginator_class(self, object_list, per_page):
        return _CappedPaginator(object_list, per_page, cap=core_pagination.COUNT_CAP)

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response({
            "count": paginator.count,
            "count_capped": paginator.capped,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        properties = paginated["properties"]
        properties["count"]["description"] = (
            f"How many rows match, counted up to {core_pagination.COUNT_CAP:,}: exact when count_capped "
            f"is false, {core_pagination.COUNT_CAP:,} when it is true.")
        paginated["properties"] = {"count": properties.pop("count"), "count_capped": {
            "type": "boolean", "example": False,
            "description": f"True when more than {core_pagination.COUNT_CAP:,} rows match: count is then "
                           f"{core_pagination.COUNT_CAP:,} and only the pages within it are numbered (a "
                           "page past them is a 400); narrow the list with its filters to see the rest."},
            **properties}
        paginated["required"] = ["count", "count_capped", "results"]
        return paginated


def _check_page_size(value, maximum):
    if not (value.isdigit() and 1 <= int(value) <= maximum):
        raise exceptions.ValidationError({"page_size": [str(_("每页条数须为 1–%(max)s") % {"max": maximum})]})


# --- the documented error responses --------------------------------------------------------------

Error = inline_serializer("Error", {
    "detail": serializers.CharField(),
    "code": serializers.CharField(required=False, help_text="forbidden, state, stale, condition, invalid, "
                                  "not_found, not_authenticated, authentication_failed, throttled…"),
})
BAD_REQUEST = {"$ref": "#/components/schemas/BadRequest"}

ERRORS = {
    400: OpenApiResponse(BAD_REQUEST, _("输入有误: 每个字段的错误信息"), examples=[
        OpenApiExample("bad input", value={"status": ["“AAA” 不是合法选项。"]}, response_only=True,
                       status_codes=["400"])]),
    401: OpenApiResponse(Error, _("未登录或令牌无效"), examples=[
        OpenApiExample("no credentials", response_only=True, status_codes=["401"],
                       value={"detail": "身份认证信息未提供。", "code": "not_authenticated"})]),
    403: OpenApiResponse(Error, _("无权办理该操作"), examples=[
        OpenApiExample("forbidden", value={"detail": "您无权受理", "code": "forbidden"},
                       response_only=True, status_codes=["403"])]),
    404: OpenApiResponse(Error, _("不存在, 或调用方无权查看"), examples=[
        OpenApiExample("not found", value={"detail": "未找到。", "code": "not_found"}, response_only=True,
                       status_codes=["404"])]),
    409: OpenApiResponse(Error, _("当前状态不允许, 或已被他人处理"), examples=[
        OpenApiExample("stale", value={"detail": "已被他人处理,请刷新", "code": "stale"}, response_only=True,
                       status_codes=["409"])]),
    429: OpenApiResponse(Error, _("请求过于频繁"), examples=[
        OpenApiExample("throttled", value={"detail": "请求超过了限速。", "code": "throttled"},
                       response_only=True, status_codes=["429"])]),
}


def errors(*codes):
    """The documented error responses for these status codes."""
    return {code: ERRORS[code] for code in codes}
