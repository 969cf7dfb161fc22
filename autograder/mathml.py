"""Formulas in feedback pages without a network: LaTeX turned into MathML ahead of time.

Feedback is an HTML file a student opens anywhere; nbconvert's page loads MathJax from a
CDN to typeset `$...$`, which shows raw dollars offline. Browsers render MathML natively,
so each formula of a Markdown cell is converted once, when the page is written
(`latex2mathml`); code spans and blocks are left alone, and a formula the converter cannot
read stays as it was.
"""

from __future__ import annotations

import re

from latex2mathml.converter import convert

_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\$)")


def _mathml(latex: str, display: bool) -> str | None:
    try:
        return convert(latex.strip(), display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - an unsupported command keeps the formula as text
        return None


def _formulas(text: str) -> str:
    text = _DISPLAY.sub(lambda m: _mathml(m.group(1), True) or m.group(0), text)
    return _INLINE.sub(lambda m: _mathml(m.group(1), False) or m.group(0), text)


def markdown_with_mathml(markdown: str) -> str:
    """The Markdown with every `$...$` and `$$...$$` outside code written as MathML."""
    parts = _CODE.split(markdown)
    return "".join(part if i % 2 else _formulas(part) for i, part in enumerate(parts))
