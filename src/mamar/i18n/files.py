"""What went wrong with a file, in the reader's words: which file, and what is wrong with it
(missing, its folder missing, not readable, not writable, a folder, not text…), from the
catalogues. Never the operating system's own English ("[Errno 13] Permission denied")."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from mamar.i18n.said import Said, said
from mamar.web.i18n import N_

#: The errors said by their meaning alone: errno → catalogue sentence about ``path``.
_PLAIN = {
    errno.EISDIR: N_("%(path)s is a folder, not a file"),
    errno.ENOTDIR: N_("a part of the path %(path)s is a file, not a folder"),
    errno.ENOSPC: N_("the disk is full: %(path)s could not be written"),
    errno.EDQUOT: N_("the disk is full: %(path)s could not be written"),
    errno.EROFS: N_("%(path)s is on a disk that may only be read"),
    errno.EEXIST: N_("%(path)s exists already"),
    errno.ENAMETOOLONG: N_("the path %(path)s is too long"),
    errno.ELOOP: N_("the path %(path)s leads round in a circle of links"),
    errno.EIO: N_("the disk failed while %(path)s was read or written"),
}


def _where(error: OSError, path: str | os.PathLike[str] | None) -> str:
    if path is not None:
        return os.fspath(path)
    return os.fsdecode(error.filename) if error.filename is not None else ""


def _denied(target: Path) -> Said:
    """Why the permissions refused ``target``: reading it, writing it, or making it."""
    folder = target.parent
    if target.exists():
        if not os.access(target, os.R_OK):
            return said(
                N_("the file %(path)s may not be read: its permissions forbid it"), path=target
            )
        if not os.access(target, os.W_OK):
            return said(
                N_("the file %(path)s may not be written: its permissions forbid it"), path=target
            )
    elif folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        return said(
            N_("no file may be made in the folder %(folder)s: its permissions forbid it"),
            folder=folder,
        )
    return said(N_("the file %(path)s may not be opened: its permissions forbid it"), path=target)


def file_trouble(error: OSError, path: str | os.PathLike[str] | None = None) -> Said:
    """What is wrong with the file of ``error`` (or ``path``), said in any language."""
    where = _where(error, path)
    code = error.errno
    if not where:
        if code is None:
            return said(N_("the operating system refused the operation"))
        return said(N_("the operating system refused the operation (error %(code)s)"), code=code)
    target = Path(where)
    if code == errno.ENOENT:
        if not target.parent.is_dir():
            return said(
                N_("the folder %(folder)s does not exist (for the file %(path)s)"),
                folder=target.parent,
                path=target,
            )
        return said(N_("the file %(path)s does not exist"), path=target)
    if code in (errno.EACCES, errno.EPERM):
        return _denied(target)
    if code in _PLAIN:
        return said(_PLAIN[code], path=target)
    if code is None:
        return said(N_("the file %(path)s could not be opened"), path=target)
    return said(
        N_("the file %(path)s could not be opened (error %(code)s)"), path=target, code=code
    )


def not_text(path: str | os.PathLike[str]) -> Said:
    """A file read as text that is not text (UTF-8)."""
    return said(N_("the file %(path)s is not a text file"), path=Path(path))
