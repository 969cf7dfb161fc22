"""A class report an instructor reads at a glance: one HTML page with embedded plots.

    python -m autograder report OUT

Writes `OUT/report.html`: the distribution of autograded scores, the pass rate of every
test cell, the most common failure messages of each test (messages only: hidden test
code never appears in results), the time each submission took, the hand-ins that
had errors, with why, the integrity flags (student code that reaches into the grading
run, see `integrity`) and the pairs of hand-ins with near-identical answer cells (see
`similarity`). It reads what a grading run left: `OUT/state/`,
`OUT/results/<student>/results.json` and the autograded notebooks in `OUT/course/`.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from collections import Counter
from pathlib import Path

from autograder.export import batch_assignment
from autograder.integrity import PREFIX
from autograder.similarity import batch_pairs
from autograder.state import State


def _figure_png(draw) -> str:
    """A matplotlib figure drawn by `draw(ax)`, as an <img> with the PNG embedded."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 3.2), dpi=100)
    draw(fig.add_subplot())
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return f'<img alt="plot" src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}">'


_NUMBER = re.compile(r"-?\d+(\.\d+)?(e[-+]?\d+)?")


def _message(output: str) -> str:
    """A failure message as a kind: its first line with every number written as #, so one
    mistake made by many students counts as one."""
    first = (output or "").strip().splitlines()[0] if (output or "").strip() else "(no message)"
    return _NUMBER.sub("#", first)[:160]


def _table(header: list[str], rows: list[list[str]], css: str = "") -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def collect(out: Path) -> dict:
    """The figures the report shows, from a graded batch folder."""
    records = State(out).all()
    tests: dict[str, dict] = {}
    for student in records:
        path = out / "results" / student / "results.json"
        if not path.exists():
            continue
        for test in json.loads(path.read_text())["tests"]:
            entry = tests.setdefault(test["name"], {"max": test["max_score"], "scores": [], "failures": Counter()})
            entry["scores"].append(test["score"])
            if test["score"] < test["max_score"]:
                entry["failures"][_message(test.get("output", ""))] += 1
    return {"assignment": batch_assignment(out), "records": records, "tests": tests}


def write_report(out: Path) -> Path:
    data = collect(out)
    records, tests = data["records"], data["tests"]
    graded = {s: r for s, r in records.items() if r["status"] == "graded"}
    scores = [float(r["score"]) for r in graded.values()]
    maximum = max((float(r["max_score"]) for r in records.values()), default=0.0)
    rates = {name: sum(s >= t["max"] for s in t["scores"]) / len(t["scores"]) for name, t in tests.items()}
    parts = [f"<h1>Class report: {html.escape(data['assignment'])}</h1>",
             f"<p>{len(records)} hand-ins: {len(graded)} graded, {len(records) - len(graded)} with errors. "
             f"Mean autograded score {sum(scores) / max(len(scores), 1):.1f} / {maximum:g}.</p>"]
    if scores:
        parts += ["<h2>Score distribution</h2>", _figure_png(lambda ax: (
            ax.hist(scores, bins=min(20, max(5, len(set(scores)))), range=(0, maximum or 1), color="#3465a4"),
            ax.set_xlabel("autograded points"), ax.set_ylabel("hand-ins")))]
    if tests:
        names = list(tests)
        parts += ["<h2>Pass rate of every test</h2>", _figure_png(lambda ax: (
            ax.barh(names[::-1], [100 * rates[n] for n in names[::-1]], color="#4e9a06"),
            ax.set_xlim(0, 100), ax.set_xlabel("% of graded hand-ins with full points"))),
            _table(["test", "pass rate", "mean points", "most common failures (count)"], [
                [html.escape(n), f"{100 * rates[n]:.0f}%",
                 f"{sum(t['scores']) / len(t['scores']):.2f} / {t['max']:g}",
                 "<br>".join(f"{html.escape(m)} ({c})" for m, c in t["failures"].most_common(3)) or "-"]
                for n, t in tests.items()], "tests")]
    times = {s: float(r.get("seconds", 0.0)) for s, r in graded.items()}
    if times:
        parts += ["<h2>Time per submission</h2>", _figure_png(lambda ax: (
            ax.bar(range(len(times)), list(times.values()), color="#75507b"),
            ax.set_xticks(range(len(times)), list(times), rotation=60, fontsize=7),
            ax.set_ylabel("seconds")))]
    notes = {s: [n for n in r["reason"].split("; ") if n] for s, r in records.items()}
    problems = [[html.escape(s), html.escape(r["status"]),
                 html.escape("; ".join(n for n in notes[s] if not n.startswith(PREFIX)))]
                for s, r in records.items()
                if r["status"] != "graded" or any(not n.startswith(PREFIX) for n in notes[s])]
    parts += ["<h2>Hand-ins with errors or notes</h2>",
              _table(["student", "status", "why"], problems, "problems") if problems else "<p>None.</p>"]
    flags = [[html.escape(s), "<br>".join(html.escape(n[len(PREFIX) + 2:]) for n in notes[s] if n.startswith(PREFIX))]
             for s in records if any(n.startswith(PREFIX) for n in notes[s])]
    parts += ["<h2>Integrity flags</h2><p>Student code that reaches into the grading run (read, never run). "
              "It cannot earn points; look at it before the grades are final.</p>",
              _table(["student", "what the code does"], flags, "integrity") if flags else "<p>None.</p>"]
    pairs = batch_pairs(out / "course", data["assignment"], sorted(graded))
    parts += ["<h2>Near-identical answers</h2><p>Pairs of hand-ins whose answer cells are the same up to names "
              "and formatting, beyond the release's own code (similarity of 5-token shingles).</p>",
              _table(["answer cell", "hand-ins", "similarity"],
                     [[html.escape(p.cell), f"{html.escape(p.first)} &amp; {html.escape(p.second)}", f"{p.score:.2f}"]
                      for p in pairs], "similar") if pairs else "<p>None.</p>"]
    style = ("body{font-family:sans-serif;margin:24px;max-width:1100px} table{border-collapse:collapse;margin:8px 0}"
             "td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}")
    path = out / "report.html"
    path.write_text(f"<!doctype html><html><head><meta charset='utf-8'><title>Class report</title>"
                    f"<style>{style}</style></head><body>{''.join(parts)}</body></html>", encoding="utf-8")
    return path
