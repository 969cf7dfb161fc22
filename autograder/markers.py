"""nbgrader's region markers in cell sources, and removing hidden tests from a cell."""

import re

HIDDEN_TESTS = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[ \t]*$\n?", re.M | re.S)
MARKER_LINE = re.compile(r"^\s*(### (BEGIN|END) (SOLUTION|HIDDEN TESTS)|=== (BEGIN|END) MARK SCHEME ===)\s*$")


def strip_hidden_tests(source: str, replacement: str = "") -> str:
    """The cell as students see it (replacement="") or with a note where tests were hidden."""
    return HIDDEN_TESTS.sub(replacement, source)


def split_test(source: str) -> list[tuple[bool, str]]:
    """A test cell's source as (hidden, code) segments in order, markers left out: the
    public parts (what students see) and the hidden blocks, which run separately."""
    segments, at = [], 0
    for match in HIDDEN_TESTS.finditer(source):
        if source[at:match.start()].strip():
            segments.append((False, source[at:match.start()]))
        body = "\n".join(line for line in match.group(0).splitlines() if not MARKER_LINE.match(line))
        if body.strip():
            segments.append((True, body))
        at = match.end()
    if source[at:].strip():
        segments.append((False, source[at:]))
    return segments
