"""make backup / make restore (issue 15): back up, wipe, restore, and every row and file is back."""

import io
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from approvals.models import Material, Project
from tests.approvals import factories as af


def _snapshot():
    """Every row of every table of ours and Django's, and every uploaded file's bytes."""
    rows = {model._meta.label: sorted(map(repr, model.objects.order_by("pk").values_list()))
            for model in apps.get_models() if model._meta.managed and not model._meta.proxy}
    return rows


def _files(media):
    return {str(p.relative_to(media)): p.read_bytes() for p in Path(media).rglob("*") if p.is_file()}


@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_brings_back_every_row_and_file(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for department in af.all_departments():
        department.members.add(personas.adam)
    project = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, code="A-BAK")
    af.upload_materials(af.stage_of(project, 1), personas.alice)
    rows, files = _snapshot(), _files(settings.MEDIA_ROOT)
    assert Material.objects.count() >= 2 and len(files) == Material.objects.count()

    out = io.StringIO()
    call_command("backup", output_dir=str(tmp_path / "backups"), stdout=out)
    archive = next((tmp_path / "backups").glob("hushangtong-*.tar.gz"))
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and any(n.startswith("database.") for n in names)

    # Wipe: every table emptied, every file gone.
    call_command("flush", interactive=False, inhibit_post_migrate=True)
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            path.unlink()
    assert not Project.objects.exists() and _files(settings.MEDIA_ROOT) == {}

    call_command("restore", str(archive), yes=True, stdout=out)
    connection.close()
    assert _snapshot() == rows
    assert _files(settings.MEDIA_ROOT) == files
    assert Project.objects.get(code="A-BAK").enterprise == personas.enterprise_a


def test_restore_refuses_an_archive_it_does_not_know(db, tmp_path):
    from django.core.management import CommandError

    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        info = tarfile.TarInfo("../evil")
        info.size = 0
        tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(CommandError, match="恢复失败"):
        call_command("restore", str(bogus), yes=True, stdout=io.StringIO())
