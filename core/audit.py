"""Append-only rows: the audit trail (stage events, demand events) is written once and kept."""


class AppendOnly:
    """Mixin for a model whose rows are history: a saved row is never updated nor deleted.

    (A queryset's bulk update/delete bypasses this, as it bypasses save(); no service uses one on
    these tables, and the admin shows them read-only.)
    """

    append_only_label = "记录"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(f"{self.append_only_label}只能追加, 不能修改")  # a programming error, not UI
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{self.append_only_label}只能追加, 不能删除")
