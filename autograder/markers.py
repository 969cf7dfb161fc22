"""nbgrader's region markers in cell sources, and removing hidden tests from a cell."""

import re

HIDDEN_TESTS = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[ \t]*$\n?", re.M | re.S)
MARKER_LINE = re.compile(r"^\s*(### (BEGIN|END) (SOLUTION|HIDDEN TESTS)|=== (BEGIN|END) MARK SCHEME ===)\s*$")


def strip_hidden_tests(source: str, replacement: str = "") -> str:
    """The cell as students see it (replacement="") or with a note where tests were hidden."""
    return HIDDEN_TESTS.sub(replacement, source)
