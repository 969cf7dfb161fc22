"""Per-submission progress on disk, so an interrupted batch resumes where it stopped.

Each finished submission leaves `OUT/state/<student>.json`, written atomically after its
grades are in the gradebook. A rerun skips students whose state matches their current
hand-in (same SHA-256), unless --regrade.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path


def fingerprint(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class State:
    def __init__(self, out: Path):
        self.folder = out / "state"
        self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, student: str) -> Path:
        return self.folder / f"{student}.json"

    def done(self, student: str, fp: str) -> dict | None:
        """The recorded result if this exact hand-in was already graded."""
        path = self._path(student)
        if not path.exists():
            return None
        try:
            record = json.loads(path.read_text())
        except json.JSONDecodeError:
            return None
        return record if record.get("fingerprint") == fp else None

    def save(self, student: str, record: dict) -> None:
        path = self._path(student)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(record, indent=2))
        os.replace(tmp, path)

    def all(self) -> dict[str, dict]:
        return {p.stem: json.loads(p.read_text()) for p in sorted(self.folder.glob("*.json"))}

    def clear(self) -> None:
        for path in self.folder.glob("*.json"):
            path.unlink()
