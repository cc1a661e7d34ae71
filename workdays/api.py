"""The working-day calendar as a public service: other systems count deadlines as we do.

Public (no credentials) and cached: every answer carries `Cache-Control: public` and an ETag made
of the calendar's version stamp, so a proxy or a client keeps it until the calendar changes
(a notice loaded, a day corrected); `If-None-Match` with that ETag answers 304.
"""

import datetime as dt
import hashlib

from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import reject_nul_bytes

from .calendar import add_workdays, is_provisional, is_workday, workdays_between
from .models import CalendarDay, CalendarVersion, DayKind

FIRST, LAST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
MAX_WORKDAYS = 1000
MAX_SPAN_DAYS = 366
MAX_AGE = 600


def _in_range(day):
    if not FIRST <= day <= LAST:
        raise serializers.ValidationError(_("日期须在 %(first)s 至 %(last)s 之间")
                                          % {"first": FIRST, "last": LAST})
    return day


class AddQuery(serializers.Serializer):
    date = serializers.DateField(validators=[_in_range], help_text="The day the period starts after.")
    n = serializers.IntegerField(min_value=0, max_value=MAX_WORKDAYS, help_text="Working days to add.")


def _span_query(name, max_span=None):
    def validate(self, data):
        if data["to"] < data["from"]:
            raise serializers.ValidationError({"to": [_("结束日期不能早于开始日期")]})
        if max_span and (data["to"] - data["from"]).days >= max_span:
            raise serializers.ValidationError({"to": [_("一次最多查询 %(n)s 天") % {"n": max_span}]})
        return data

    return type(name, (serializers.Serializer,), {
        "from": serializers.DateField(validators=[_in_range]),
        "to": serializers.DateField(validators=[_in_range]),
        "validate": validate,
    })


BetweenQuery = _span_query("BetweenQuery")
DaysQuery = _span_query("DaysQuery", MAX_SPAN_DAYS)


class AddResult(serializers.Serializer):
    date = serializers.DateField()
    n = serializers.IntegerField()
    result = serializers.DateField(help_text="The n-th working day after date (the law's counting).")
    provisional = serializers.BooleanField(help_text="The result lies in a year without an official notice.")


BetweenResult = type("BetweenResult", (serializers.Serializer,), {
    "from": serializers.DateField(), "to": serializers.DateField(),
    "workdays": serializers.IntegerField(help_text="Working days x with from < x <= to."),
    "provisional": serializers.BooleanField(),
})


class DayResult(serializers.Serializer):
    date = serializers.DateField()
    is_workday = serializers.BooleanField()
    kind = serializers.ChoiceField(choices=DayKind.choices)
    name = serializers.CharField(allow_blank=True)
    provisional = serializers.BooleanField()


class CalendarApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    query_serializer = None

    def get(self, request, **kwargs):
        reject_nul_bytes(request)
        query = self.query_serializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        etag = self._etag(request)
        if etag in request.headers.get("If-None-Match", ""):
            response = Response(status=304)
        else:
            response = Response(self.answer(query.validated_data))
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response

    @staticmethod
    def _etag(request):
        stamp = CalendarVersion.objects.values_list("stamp", flat=True).first()
        digest = hashlib.sha256(f"{stamp}{request.get_full_path()}".encode()).hexdigest()[:32]
        return f'"{digest}"'


CACHED = OpenApiResponse(description=_("未变化(If-None-Match 与 ETag 相同)"))


class CalendarAddApi(CalendarApi):
    """The n-th working day after a date (a deadline n working days from it)."""

    query_serializer = AddQuery

    @extend_schema(parameters=[AddQuery], responses={200: AddResult, 304: CACHED}, auth=[],
                   examples=[OpenApiExample("National Day", response_only=True, value={
                       "date": "2026-09-30", "n": 1, "result": "2026-10-08", "provisional": False})])
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def answer(self, data):
        result = add_workdays(data["date"], data["n"])
        return {**data, "result": result, "provisional": is_provisional(result)}


class CalendarBetweenApi(CalendarApi):
    """Working days after `from` up to and including `to`."""

    query_serializer = BetweenQuery

    @extend_schema(parameters=[BetweenQuery], responses={200: BetweenResult, 304: CACHED}, auth=[],
                   examples=[OpenApiExample("October 2026", response_only=True, value={
                       "from": "2026-09-30", "to": "2026-10-31", "workdays": 18, "provisional": False})])
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def answer(self, data):
        return {**data, "workdays": workdays_between(data["from"], data["to"]),
                "provisional": is_provisional(data["to"])}


class CalendarDaysApi(CalendarApi):
    """Each day from `from` to `to` (at most 366): working or not, and why."""

    query_serializer = DaysQuery

    @extend_schema(parameters=[DaysQuery], responses={200: DayResult(many=True), 304: CACHED}, auth=[])
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def answer(self, data):
        stored = {day.date: day for day in CalendarDay.objects.filter(date__range=(data["from"], data["to"]))}
        rows, day = [], data["from"]
        while day <= data["to"]:
            row = stored.get(day)
            workday = is_workday(day)
            kind = row.kind if row else (DayKind.WORKDAY if workday else DayKind.WEEKEND)
            rows.append({"date": day, "is_workday": workday, "kind": kind, "name": row.name if row else "",
                         "provisional": is_provisional(day)})
            day += dt.timedelta(days=1)
        return DayResult(rows, many=True).data
