"""Form fields without a round trip they do not need. Ground floor: imports no app of ours."""

from django import forms
from django.forms.models import ModelChoiceIterator


class ListedChoiceIterator(ModelChoiceIterator):
    """The choices of a model choice field read with one plain SELECT. Django's iterator reads
    them through QuerySet.iterator(), which on PostgreSQL is a server-side cursor: DECLARE … WITH
    HOLD, FETCH and CLOSE, three round trips (and the rows materialised at the commit) for the
    handful of rows of a filter's select. The same choices, in the same order."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose <option>s come from one plain SELECT (ListedChoiceIterator)."""

    iterator = ListedChoiceIterator
