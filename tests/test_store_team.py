"""A team folder shared by two real local users: both can keep saving to one database.

The folder is setgid to a team group and each user works with umask 002, the usual way a
Unix team shares files. Each user's save runs in a child process with that user's
credentials: the child starts as root only to load the interpreter (it lives in root's home,
which the users cannot read), then drops to the user exactly as ``setpriv --reuid --regid
--init-groups`` would, before it touches the database.
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

CHILD = textwrap.dedent(
    """
    import json, os, pwd, sys
    from annotations.model import CLAIM, Annotation
    from annotations.store import open_db

    name, db, start = sys.argv[1], sys.argv[2], int(sys.argv[3])
    user = pwd.getpwnam(name)
    os.initgroups(name, user.pw_gid)
    os.setgid(user.pw_gid)
    os.setuid(user.pw_uid)
    os.umask(0o002)
    text = "The harbour board said on Monday that the night ferry would stop in March."
    ann = Annotation.create(article_id="ferry", source="ferry.txt", article_text=text,
                            label=CLAIM, start=start, end=start + 10, annotator=name)
    try:
        with open_db(db) as store:
            store.add(ann)
    except Exception as exc:
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
        sys.exit(1)
    print(json.dumps({"id": ann.id, "uid": os.getuid()}))
    """
)

TOOLS = ("useradd", "userdel", "groupadd", "groupdel")


@pytest.fixture
def team():
    """A team group, two users in it, and a setgid folder of the group; all removed afterwards."""
    if os.geteuid() != 0:
        pytest.skip("creating local users needs root")
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"no {', '.join(missing)} on this machine")
    tag = f"{os.getpid() % 100000}"
    group, users = f"annotty-team{tag}", [f"annotty-a{tag}", f"annotty-b{tag}"]
    made_group, made_users, folder = False, [], None
    try:
        subprocess.run(["groupadd", group], check=True, capture_output=True)
        made_group = True
        for name in users:
            subprocess.run(["useradd", "--no-create-home", "--user-group", "--groups", group,
                            "--shell", "/usr/sbin/nologin", name], check=True, capture_output=True)
            made_users.append(name)
        gid = grp.getgrnam(group).gr_gid
        folder = Path(tempfile.mkdtemp(prefix="annotty-team-", dir="/tmp"))  # tmp_path is root's only
        os.chown(folder, 0, gid)
        os.chmod(folder, 0o2775)
        yield folder, gid, users
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        for name in made_users:
            subprocess.run(["userdel", name], capture_output=True)
            if name in {g.gr_name for g in grp.getgrall()}:
                subprocess.run(["groupdel", name], capture_output=True)
        if made_group:
            subprocess.run(["groupdel", group], capture_output=True)


def save_as(user: str, db: Path, start: int) -> dict:
    child = subprocess.run([sys.executable, "-c", CHILD, user, str(db), str(start)],
                           capture_output=True, text=True, timeout=60, cwd=REPO)
    assert child.stdout, child.stderr
    result = json.loads(child.stdout)
    assert child.returncode == 0, f"{user} could not save: {result.get('error')}"
    assert result["uid"] == pwd.getpwnam(user).pw_uid
    return result


def test_two_users_of_a_team_folder_both_save_to_one_database(team):
    folder, gid, (alice, bob) = team
    db = folder / "team.json"
    lock = Path(f"{db}.lock")

    first = save_as(alice, db, 0)
    for path in (db, lock):
        st = os.stat(path)
        assert (stat.S_IMODE(st.st_mode), st.st_gid) == (0o664, gid), f"{path.name} is shared with the group"

    second = save_as(bob, db, 10)  # bob rewrites alice's file, through alice's lock
    third = save_as(alice, db, 20)  # and alice can still write the file bob wrote

    st = os.stat(db)
    assert (stat.S_IMODE(st.st_mode), st.st_gid) == (0o664, gid)
    docs = json.loads(db.read_text(encoding="utf-8"))["annotations"].values()
    assert {d["id"] for d in docs} == {first["id"], second["id"], third["id"]}
    assert {d["annotator"] for d in docs} == {alice, bob}
    assert sorted(p.name for p in folder.iterdir()) == ["team.json", "team.json.lock"]
