"""Walking the input: the files named and the files under the folders named, safely.

- Symbolic links are not followed out of the folders given (a link to /etc/passwd in an input folder is not read)
  unless asked (``follow_links``, ``--follow-links``); a link loop, a dangling link and a folder reached twice (a
  bind mount, a followed link back up the tree) are detected, never walked again.
- Only regular files are read: a FIFO (reading it blocks forever), a device (/dev/zero never ends) or a socket is
  not opened.
- Every file name is accepted: names that are not UTF-8 (0xFF bytes from an old archive) arrive decoded with
  ``surrogateescape`` and are opened with their exact bytes; :func:`display` gives the text stored for them, with
  each undecodable byte written ``\\xff``.

What is not read is yielded too, with the reason (``Entry.skip``): ingest records it as an 'error' row of that path,
so an operator sees every name of the input and why it was left out.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocmineError, NotAFile, SkippedLink

SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class Entry:
    """One name of the input. ``path`` is the path as found (may hold surrogate escapes), ``key`` the resolved
    path the ``files`` table records (as :func:`display` text); ``skip`` the reason it is not read, else None."""

    path: Path
    key: str
    skip: DocmineError | None = None


def display(path: str | Path) -> str:
    """``path`` as text SQLite can store: undecodable bytes of the name (surrogate escapes) written ``\\xNN``."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


def unread_id(key: str, size: int) -> str:
    """The documents id of a name that is not read (no bytes hashed): sha256 of the marker, its path and size."""
    return hashlib.sha256(b"docmine-unread\0" + key.encode("utf-8") + b"\0%d" % size).hexdigest()


def _kind(mode: int) -> str | None:
    """What a stat mode that is not a regular file or folder is (None for those two)."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return "not a regular file"


def _not_a_file(path: Path, kind: str) -> NotAFile:
    return NotAFile(f"{display(path)} is {kind}, not a file: not opened (reading it could block or never end).")


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$")) or name in SKIP_NAMES


def _inside(real: str, roots: list[str]) -> bool:
    return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def walk(paths: Iterable[str | Path], follow_links: bool = False) -> Iterator[Entry]:
    """Every name of the input in order (folders recursively, sorted; hidden files and folders left out)."""
    for given in paths:
        p = Path(given)
        if not os.path.lexists(p):
            raise FileNotFoundError(f"No such file or folder: {display(p)}")
        try:
            st = p.stat()  # a path named on the command line is followed: the operator chose it
        except OSError as err:
            yield Entry(p, display(os.path.abspath(p)), SkippedLink(f"{display(p)} cannot be followed ({err})."))
            continue
        if stat.S_ISDIR(st.st_mode):
            real = os.path.realpath(p)
            yield from _walk_dir(p, [real], {(st.st_dev, st.st_ino)}, follow_links)
        elif kind := _kind(st.st_mode):
            yield Entry(p, display(os.path.realpath(p)), _not_a_file(p, kind))
        else:
            yield Entry(p, display(os.path.realpath(p)))


def _walk_dir(folder: Path, roots: list[str], seen: set[tuple[int, int]], follow_links: bool) -> Iterator[Entry]:
    """The files of ``folder`` (sorted), then its folders, as ``os.walk`` orders them."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return  # vanished or unreadable folder: nothing in it can be listed
    folders: list[Path] = []
    for entry in entries:
        if _hidden(entry.name):
            continue
        path = folder / entry.name
        try:
            link = entry.is_symlink()
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue  # vanished since listed
        if link:
            found = _link(path, roots, follow_links)
            if isinstance(found, Entry):
                yield found
                continue
            st = found
        if stat.S_ISDIR(st.st_mode):
            if (st.st_dev, st.st_ino) not in seen:  # a link back up the tree, a bind mount: each folder walked once
                seen.add((st.st_dev, st.st_ino))
                folders.append(path)
        elif kind := _kind(st.st_mode):
            yield Entry(path, display(os.path.realpath(path)), _not_a_file(path, kind))
        else:
            yield Entry(path, display(os.path.realpath(path)))
    for path in folders:
        yield from _walk_dir(path, roots, seen, follow_links)


def _link(path: Path, roots: list[str], follow_links: bool) -> Entry | os.stat_result:
    """A symbolic link: the stat of what it points to when it may be followed, else the Entry recording why not."""
    key = display(os.path.abspath(path))
    try:
        real = os.path.realpath(path, strict=True)
        st = os.stat(real)
    except OSError as err:
        loop = err.errno == errno.ELOOP or "loop" in str(err).lower()
        why = "is a symbolic link loop" if loop else f"is a link that cannot be followed ({err.strerror or err})"
        return Entry(path, key, SkippedLink(f"{display(path)} {why}: not read (liên kết không đọc được)."))
    if not follow_links and not _inside(real, roots):
        return Entry(path, key, SkippedLink(
            f"{display(path)} is a symbolic link to {display(real)}, outside the folders given: not read "
            "(liên kết ra ngoài thư mục đầu vào; ingest --follow-links to read it)."))
    return st


def iter_files(paths: Iterable[str | Path], follow_links: bool = False) -> Iterator[Path]:
    """The files that are read (what :func:`walk` does not skip)."""
    for entry in walk(paths, follow_links):
        if entry.skip is None:
            yield entry.path
