"""Reading a notice file: every problem named with its line number, nothing guessed."""

import datetime as dt
from pathlib import Path

import pytest

from workdays.models import DayKind
from workdays.notice import NoticeError, read_notice

SAMPLE = Path(__file__).resolve().parents[2] / "workdays" / "samples" / "2027_example.csv"


def problems_of(text):
    with pytest.raises(NoticeError) as caught:
        read_notice(file=text.encode())
    return caught.value.problems


def test_the_sample_file_reads_as_one_year():
    year, rows = read_notice(file=SAMPLE)
    assert year == 2027
    assert {row.kind for row in rows} == {DayKind.HOLIDAY, DayKind.ADJUSTED_WORKDAY}
    assert rows[0].line == 4  # two comment lines and the header come first


def test_chinese_labels_slashes_gbk_and_no_header_are_accepted():
    text = "2027/2/20,调休上班,春节调休\n2027-02-08,法定节假日,春节\n2027-02-09,HOLIDAY\n"
    year, rows = read_notice(file=text.encode("gbk"))
    assert year == 2027
    assert [(r.date, r.kind, r.name) for r in rows] == [
        (dt.date(2027, 2, 20), DayKind.ADJUSTED_WORKDAY, "春节调休"),
        (dt.date(2027, 2, 8), DayKind.HOLIDAY, "春节"),
        (dt.date(2027, 2, 9), DayKind.HOLIDAY, ""),
    ]


def test_utf8_bom_from_excel_is_accepted():
    year, rows = read_notice(file="\ufeffdate,kind,name\n2027-10-01,holiday,国庆节\n".encode())
    assert (year, len(rows)) == (2027, 1)


@pytest.mark.parametrize(("text", "expected"), [
    ("date,kind,name\n2027-10-01,holiday,国庆节\n2027-02-30,holiday,春节\n",
     "第 3 行: 日期 “2027-02-30” 无效"),
    ("2027-10-01,holiday,国庆节\n1 Oct 2027,holiday,国庆节\n", "第 2 行: 日期 “1 Oct 2027” 无效"),
    ("2027-10-01,vacation,国庆节\n", "第 1 行: 未知类型 “vacation”"),
    ("2027-10-01,holiday,国庆节\n2027-10-02,holiday,国庆节\n2027-10-01,holiday,国庆节\n",
     "第 3 行: 日期 2027-10-01 与第 1 行重复"),
    ("2027-12-31,holiday,x\n2028-01-01,holiday,元旦\n", "第 2 行: 日期 2028-01-01 不在 2027 年"),
    ("2027-10-08,adjusted_workday,国庆节调休\n", "第 1 行: 2027-10-08 是星期五, 调休上班日只能是周六或周日"),
    ("2027-10-09,workday,国庆节调休\n", "周末上班请用 adjusted_workday/调休上班"),
    ("2027-10-08,weekend,\n", "工作日放假请用 holiday/法定节假日"),
    ("2027-10-01,holiday,国庆节,extra\n", "第 1 行: 应为 3 列"),
    ("", "文件中没有任何日期行"),
    ("date,kind,name\n\n# only a comment\n", "文件中没有任何日期行"),
], ids=["no-such-day", "wrong-format", "unknown-kind", "date-twice", "two-years", "adjusted-on-weekday",
        "workday-on-weekend", "weekend-on-weekday", "extra-column", "empty", "header-only"])
def test_a_bad_file_names_the_line_and_the_problem(text, expected):
    assert any(expected in problem for problem in problems_of(text)), problems_of(text)


def test_every_problem_is_reported_at_once():
    problems = problems_of("2027-13-01,holiday,x\n2027-10-01,nope,x\n2027-10-02,holiday,x\n")
    assert [p.split(":")[0] for p in problems] == ["第 1 行", "第 2 行"]


def test_a_holiday_may_fall_on_any_day():
    _, rows = read_notice(file=b"2027-10-02,holiday,\n2027-10-04,holiday,\n")
    assert [r.date.weekday() for r in rows] == [5, 0]


def test_an_undecodable_or_oversized_file_is_refused():
    with pytest.raises(NoticeError, match="编码"):
        read_notice(file=b"\xff\xfe\x00\xd8\x00\xd8")
    with pytest.raises(NoticeError, match="文件过大"):
        read_notice(file=b"2027-10-01,holiday,x\n" * 10_000)
