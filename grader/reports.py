"""Write a :class:`~grader.results.Report` in every format, in one place.

- ``report.json``: the canonical record (schema: ``grader/schema/report.schema.json``);
- ``results.json``: Gradescope's autograder format;
- ``report.md``: for terminals and CI job summaries;
- ``report.html``: a self-contained page for students (no scripts, no external files).

Hidden checks are listed with their status and points but their messages are
already free of expected values and inputs (the engines see to that).
"""
from __future__ import annotations

import html
import json
from collections import OrderedDict
from pathlib import Path

from grader.results import CheckResult, Report

STATUS_MARK = {"passed": "✅", "failed": "❌", "error": "💥", "timeout": "⏱️", "skipped": "⏭️"}


def _fmt_points(x: float) -> str:
    return f"{x:g}"


def report_json(report: Report) -> str:
    return json.dumps(report.as_dict(), indent=2, allow_nan=False, default=str)


def gradescope_json(report: Report) -> str:
    """Gradescope's ``results.json``: one test per check."""
    tests = []
    for i, c in enumerate(report.checks, 1):
        output = c.message or ("passed" if c.status == "passed" else c.status)
        if c.output and c.visibility == "public":
            output += "\n\nYour code printed:\n" + c.output[:2000]
        tests.append({
            "score": c.score, "max_score": c.max_score, "status": "passed" if c.status == "passed" else "failed",
            "name": f"{c.id} [{c.kind}]", "number": str(i), "output": output,
            "visibility": "visible" if c.visibility == "public" else "after_published",
        })
    top = f"Score {_fmt_points(report.score)} / {_fmt_points(report.max_score)} (seed {report.seed})."
    if report.notes:
        top += "\n" + "\n".join(report.notes)
    return json.dumps({"score": report.score, "output": top, "execution_time": round(report.duration_s, 2),
                       "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}, indent=2, allow_nan=False)


def _by_function(checks: list[CheckResult]) -> "OrderedDict[str, list[CheckResult]]":
    groups: OrderedDict[str, list[CheckResult]] = OrderedDict()
    for c in checks:
        groups.setdefault(c.functions[0] if c.functions else c.id, []).append(c)
    return groups


def report_md(report: Report) -> str:
    lines = [f"# Grade report: {_fmt_points(report.score)} / {_fmt_points(report.max_score)}", ""]
    counts = {s: sum(c.status == s for c in report.checks) for s in STATUS_MARK}
    lines.append(" · ".join(f"{STATUS_MARK[s]} {n} {s}" for s, n in counts.items() if n))
    lines += ["", f"Submission `{report.submission}`, seed {report.seed}, {report.duration_s:.1f} s, isolation: {report.isolation}.", ""]
    for note in report.notes:
        lines.append(f"> {note}")
    if report.notes:
        lines.append("")
    lines += ["| | check | kind | points | message |", "|---|---|---|---|---|"]
    for c in report.checks:
        msg = (c.message or "").split("\n")[0].replace("|", "\\|")
        if len(msg) > 300:
            msg = msg[:297] + "..."
        lines.append(f"| {STATUS_MARK.get(c.status, '')} | `{c.id}` | {c.kind} | {_fmt_points(c.score)} / {_fmt_points(c.max_score)} | {msg} |")
    failures = [c for c in report.checks if c.status in ("failed", "error", "timeout") and "\n" in (c.message or "")]
    if failures:
        lines += ["", "## Details", ""]
        for c in failures:
            lines += [f"### `{c.id}`", "", "```", c.message, "```", ""]
    return "\n".join(lines) + "\n"


CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:70rem;color:#1b1f24;padding:0 1rem}
h1{margin-bottom:.2rem} .meta{color:#57606a} table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border-bottom:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa} .passed{color:#1a7f37} .failed,.error,.timeout{color:#cf222e} .skipped{color:#6e7781}
pre{white-space:pre-wrap;background:#f6f8fa;padding:.5rem;border-radius:4px;margin:.2rem 0;font-size:.85em}
.bar{height:.6rem;background:#eaeef2;border-radius:3px;overflow:hidden} .bar>span{display:block;height:100%;background:#2da44e}
details summary{cursor:pointer}
"""


def report_html(report: Report) -> str:
    e = html.escape
    pct = 100.0 * report.score / report.max_score if report.max_score else 0.0
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Grade report: {_fmt_points(report.score)} / {_fmt_points(report.max_score)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{_fmt_points(report.score)} / {_fmt_points(report.max_score)}</h1>",
        f'<div class="bar"><span style="width:{pct:.1f}%"></span></div>',
        f'<p class="meta">Submission <code>{e(report.submission)}</code> · seed {report.seed} · '
        f"{report.duration_s:.1f} s · isolation: {e(report.isolation)}</p>",
    ]
    for note in report.notes:
        parts.append(f"<p><em>{e(note)}</em></p>")
    for fn, checks in _by_function(report.checks).items():
        got = sum(c.score for c in checks)
        total = sum(c.max_score for c in checks)
        parts.append(f"<h2>{e(fn)} <small class=\"meta\">{_fmt_points(got)} / {_fmt_points(total)}</small></h2>")
        parts.append("<table><tr><th>status</th><th>check</th><th>kind</th><th>points</th><th>message</th></tr>")
        for c in checks:
            msg = f"<pre>{e(c.message)}</pre>" if c.message else ""
            if c.output and c.visibility == "public":
                msg += f"<details><summary>output of your code</summary><pre>{e(c.output)}</pre></details>"
            parts.append(
                f'<tr><td class="{e(c.status)}"><b>{e(c.status)}</b></td>'
                f"<td><code>{e(c.id)}</code><br><small>{e(c.condition)}</small></td><td>{e(c.kind)}</td>"
                f"<td>{_fmt_points(c.score)} / {_fmt_points(c.max_score)}</td><td>{msg}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_reports(report: Report, out: Path) -> dict[str, Path]:
    """Write all report files into ``out``; return their paths by format."""
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "json": (out / "report.json", report_json(report)),
        "gradescope": (out / "results.json", gradescope_json(report)),
        "md": (out / "report.md", report_md(report)),
        "html": (out / "report.html", report_html(report)),
    }
    for path, text in files.values():
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return {k: p for k, (p, _) in files.items()}
