"""Schema 2 from a version-1 file written by the version-1 store (tests/data/v1-store.json)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import orjson
import pytest

from annotations.model import CLAIM
from annotations.store import Op, open_db

FIXTURE = Path(__file__).resolve().parent / "data" / "v1-store.json"
FERRY = "2cc12c96929bb52a490daa6de37bffa469b8b5b8a28fc2d272e30131e1610d3a"
LIBRARY = "8a2a2b8555fb2f719c58a7421e1f80467b65ddc229cded51c85913a274c64a4f"
CLAIM_ID = "00000000-0000-4000-8000-000000000001"


@pytest.fixture
def v1(tmp_path) -> Path:
    path = tmp_path / "team.json"
    shutil.copyfile(FIXTURE, path)
    return path


def check_content(store) -> None:
    """Everything the version-1 file holds, read as it was written."""
    ferry = store.annotations(FERRY)
    assert [a.label for a in ferry] == ["CLAIM", "QUOTE"]
    claim, quote = ferry
    assert (claim.rev, claim.annotator, claim.attrs) == (2, "omar", {"status": "true", "note": "checked with the operator"})
    assert claim.created_by == "omar", "a version-1 file knows only the last annotator"
    assert claim.created == "2026-11-30T09:00:00.000+00:00" and claim.modified == "2026-11-30T10:00:00.000+00:00"
    assert quote.attrs["speaker"] == {"text": "she", "start": 119, "end": 122, "name": "Maren Lisk"}
    assert quote.origin == "suggest:quote-cue-after@0.90" and quote.created_by == "ines"
    [library] = store.annotations(LIBRARY)
    assert library.attrs == {"speaker": {"text": "Tomas Ruel", "start": 127, "end": 137}}
    assert store.rejections(FERRY, "ines") == {(CLAIM, 166, 218)}
    assert store.cursor(FERRY, "ines") == 85 and store.cursor(LIBRARY, "omar") == 12
    assert len(store.articles()) == 2 and store.problems() == [] and store.tombstones() == []


def test_a_version_1_file_reads_correctly_and_reading_never_migrates(v1):
    with open_db(v1) as store:
        assert store.schema_version() == 1
        check_content(store)
        assert store.poll() is None
    assert v1.read_bytes() == FIXTURE.read_bytes()
    assert sorted(p.name for p in v1.parent.iterdir()) == ["team.json"]


def test_a_read_only_version_1_file_opens_and_is_left_as_it_is(v1):
    os.chmod(v1, 0o444)
    try:
        with open_db(v1) as store:
            check_content(store)
            assert store.read_only
    finally:
        os.chmod(v1, 0o644)
    assert v1.read_bytes() == FIXTURE.read_bytes()
    assert not list(v1.parent.glob("*.bak"))


def test_the_first_write_copies_the_version_1_file_aside_then_writes_version_2(v1):
    with open_db(v1) as store:
        claim = store.get(CLAIM_ID)
        edited = claim.edited(annotator="ines", attrs={"status": "misleading"})
        store.apply([Op.put(edited, base_rev=2)])
        assert store.schema_version() == 2
        store.apply([Op.cursor(FERRY, "ines", 3)])  # later writes make no more copies
    backup = Path(f"{v1}.v1.bak")
    assert backup.read_bytes() == FIXTURE.read_bytes()
    assert sorted(p.name for p in v1.parent.iterdir() if p.suffix != ".lock") == ["team.json", "team.json.v1.bak"]
    assert oct(backup.stat().st_mode & 0o777) == oct(v1.stat().st_mode & 0o777)
    data = orjson.loads(v1.read_bytes())
    assert list(data["meta"].values()) == [{"name": "schema_version", "value": 2}]
    with open_db(v1) as store:
        stored = store.get(CLAIM_ID)
        assert (stored.rev, stored.attrs, stored.created_by, stored.annotator) == (3, {"status": "misleading"}, "omar", "ines")
        assert store.cursor(FERRY, "ines") == 3
        assert len(store.annotations()) == 3


def test_an_existing_backup_is_never_replaced(v1):
    first = Path(f"{v1}.v1.bak")
    first.write_bytes(b"an older copy somebody kept")
    Path(f"{v1}.v1-1.bak").write_bytes(b"and another")
    with open_db(v1) as store:
        store.apply([Op.cursor(FERRY, "ines", 1)])
    assert first.read_bytes() == b"an older copy somebody kept"
    assert Path(f"{v1}.v1-1.bak").read_bytes() == b"and another"
    assert Path(f"{v1}.v1-2.bak").read_bytes() == FIXTURE.read_bytes()


def test_a_failed_backup_writes_nothing(v1, monkeypatch):
    from annotations import store as store_module

    def no_room(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module, "_write_all", no_room)
    with open_db(v1) as store:
        with pytest.raises(OSError):
            store.apply([Op.cursor(FERRY, "ines", 1)])
    assert v1.read_bytes() == FIXTURE.read_bytes()
    assert not list(v1.parent.glob("*.bak"))
