"""Where an export is written: never a partial file, never over something that exists unless asked.

A file is written to a temporary file beside it and renamed over; a folder (brat,
XMI) is filled under a temporary name beside it and renamed into place.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ..store import fsync_dir


class ExportError(Exception):
    """An export that cannot be written; the message is one line."""


def check_target(path: Path, force: bool) -> None:
    if path.exists() or path.is_symlink():
        if not force:
            raise ExportError(f"{path} exists; give --force to replace it")
        if path.is_dir() and not path.is_symlink() and not _is_export_folder(path):
            raise ExportError(f"{path} is a folder that does not look like an export; refusing to replace it")
    parent = path.parent
    if not parent.is_dir():
        raise ExportError(f"cannot write {path}: the folder {parent} does not exist")


def _is_export_folder(path: Path) -> bool:
    # Only a folder holding what an export writes may be replaced, so --force never empties a home directory.
    allowed = {".txt", ".ann", ".conf", ".xmi", ".xml"}
    return all(child.is_file() and child.suffix in allowed for child in path.iterdir())


@contextmanager
def file_output(path: Path, force: bool) -> Iterator[BinaryIO]:
    check_target(path, force)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "xb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(str(path.parent.resolve()))


@contextmanager
def folder_output(path: Path, force: bool) -> Iterator[Path]:
    check_target(path, force)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    tmp.mkdir()
    try:
        yield tmp
        old = None
        if path.exists():
            old = path.with_name(f".{path.name}.{secrets.token_hex(4)}.old")
            os.rename(path, old)
        os.rename(tmp, path)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    fsync_dir(str(path.parent.resolve()))
