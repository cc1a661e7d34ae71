"""Backups: the database (pg_dump / the SQLite file) and the uploaded files, in one dated archive.

An archive holds `manifest.json`, `database.dump` (PostgreSQL custom format) or `database.sqlite3`,
and `media/` (MEDIA_ROOT as it was). Restoring replaces both the database and MEDIA_ROOT.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT = 1


def _engine(alias="default"):
    vendor = connections[alias].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise ValueError(f"backups know PostgreSQL and SQLite, not {vendor}")
    return vendor


def _pg_args(settings_dict):
    args = ["--dbname", settings_dict["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _dump_database(folder):
    connection = connections["default"]
    if _engine() == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        target = folder / "database.dump"
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args],
                       check=True, env=env)
        return target.name
    # SQLite's online backup: a consistent copy even while the web and the workers write (WAL).
    target = folder / "database.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()
    return target.name


def backup_create(*, output_dir=None, now=None):
    """Write <output_dir>/hushangtong-<YYYYmmdd-HHMMSS>.tar.gz and return its path."""
    now = timezone.localtime(now)
    output_dir = Path(output_dir or settings.BACKUP_DIR)
    output_dir.mkdir(parents=True, exist_ok=True)
    archive = output_dir / f"hushangtong-{now:%Y%m%d-%H%M%S}.tar.gz"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database = _dump_database(folder)
        media = Path(settings.MEDIA_ROOT)
        files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
        manifest = {"format": FORMAT, "created_at": now.isoformat(), "engine": _engine(),
                    "database": database, "media_files": len(files)}
        (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(folder / "manifest.json", arcname="manifest.json")
            tar.add(folder / database, arcname=database)
            if media.exists():
                tar.add(media, arcname="media")
    return archive


def _restore_database(folder, manifest):
    connection = connections["default"]
    if manifest["engine"] != _engine():
        raise ValueError(f"the archive holds a {manifest['engine']} database; this site uses {_engine()}")
    if manifest["engine"] == "postgresql":
        connection.close()
        args, env = _pg_args(connection.settings_dict)
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                        "--exit-on-error", *args, str(folder / manifest["database"])], check=True, env=env)
        return
    connection.ensure_connection()
    with sqlite3.connect(folder / manifest["database"]) as source:
        source.backup(connection.connection)
    source.close()


def _restore_media(folder):
    media = Path(settings.MEDIA_ROOT)
    incoming = folder / "media"
    if media.exists():
        shutil.rmtree(media)
    if incoming.exists():
        shutil.copytree(incoming, media)
    else:
        media.mkdir(parents=True, exist_ok=True)


def _safe_members(tar):
    for member in tar.getmembers():
        name = Path(member.name)
        if member.issym() or member.islnk() or name.is_absolute() or ".." in name.parts:
            raise ValueError(f"unsafe path in archive: {member.name}")
        yield member


def backup_restore(*, archive):
    """Replace the database and MEDIA_ROOT with what `archive` holds; returns its manifest."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(folder, members=list(_safe_members(tar)), filter="data")
        manifest = json.loads((folder / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise ValueError(f"unknown backup format {manifest.get('format')!r}")
        _restore_database(folder, manifest)
        _restore_media(folder)
    return manifest
