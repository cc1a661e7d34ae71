"""The working-day calendar every deadline in the product is counted with."""

from .calendar import add_workdays, is_provisional, is_workday, workdays_back, workdays_between

__all__ = ["add_workdays", "is_provisional", "is_workday", "workdays_back", "workdays_between"]
