"""The class summary: score histogram, pass rate per check, and the mistakes most often named.

``summary.md`` holds them as tables; ``summary.html`` as inline SVG plots
beside the same tables, in one self-contained page (no scripts, no external
files; every name is escaped).
"""
from __future__ import annotations

import html
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from grader.classroom.gradebook import check_ids
from grader.reports import CSS

if TYPE_CHECKING:
    from grader.classroom.run import ClassResult

BINS = 10


@dataclass
class Summary:
    """Figures of a class run.

    Attributes
    ----------
    seed : int
        The seed every submission was graded with.
    total, graded, cached, errors : int
        Submissions in the run; graded (now or before) with a report; taken
        from an earlier run; not graded (the reason is in ``failures``).
    percents : list of float
        Score of each graded submission, in percent of its maximum.
    histogram : list of int
        Graded submissions per 10 % bin (``[0, 10)``, ..., ``[90, 100]``).
    pass_rates : list of (str, int, int)
        Per check: id, submissions that passed it, submissions that ran it.
    failures : list of (str, str)
        Submission name and why it was not graded.
    mistakes : list of (str, int)
        Catalog entries named by failed checks (with the reference), most common first,
        and how many submissions they were named for.
    """

    seed: int
    total: int
    graded: int
    cached: int
    errors: int
    percents: list[float]
    histogram: list[int]
    pass_rates: list[tuple[str, int, int]]
    failures: list[tuple[str, str]]
    mistakes: list[tuple[str, int]] = field(default_factory=list)


def summarize(results: Sequence["ClassResult"], *, seed: int) -> Summary:
    """Count what the summary shows."""
    graded = [r for r in results if r.report and r.report.get("checks") and not r.error]
    percents = [100.0 * r.report["score"] / r.report["max_score"] if r.report["max_score"] else 0.0 for r in graded]
    hist = [0] * BINS
    for p in percents:
        hist[min(int(p // (100 / BINS)), BINS - 1)] += 1
    rates = []
    for cid in check_ids(graded):
        ran = passed = 0
        for r in graded:
            for c in r.report["checks"]:
                if c["id"] == cid and c["status"] != "skipped":
                    ran += 1
                    passed += c["status"] == "passed"
        rates.append((cid, passed, ran))
    failures = sorted((r.name, r.error) for r in results if r.error or not r.report)
    named = Counter(m for r in graded for m in {c.get("mistake") for c in r.report["checks"]} if m)
    mistakes = sorted(named.items(), key=lambda kv: (-kv[1], kv[0]))
    return Summary(seed=seed, total=len(results), graded=len(graded), cached=sum(r.skipped for r in results),
                   errors=len(failures), percents=percents, histogram=hist, pass_rates=rates, failures=failures,
                   mistakes=mistakes)


def _bin_label(i: int) -> str:
    step = 100 // BINS
    return f"{i * step}–{(i + 1) * step}%" if i < BINS - 1 else f"{i * step}–100%"


def _stats(s: Summary) -> str:
    if not s.percents:
        return "no submission was graded"
    return (f"mean {statistics.fmean(s.percents):.1f}%, median {statistics.median(s.percents):.1f}%, "
            f"min {min(s.percents):.1f}%, max {max(s.percents):.1f}%")


def _rate(passed: int, ran: int) -> str:
    return f"{100.0 * passed / ran:.0f}%" if ran else "n/a"


def summary_md(s: Summary) -> str:
    """``summary.md``: counts, the histogram and the pass rates as tables."""
    lines = ["# Class summary", "",
             f"{s.total} submissions: {s.graded} graded ({s.cached} unchanged since the last run), "
             f"{s.errors} not graded. Seed {s.seed}.", "", f"Scores: {_stats(s)}.", "",
             "## Score histogram", "", "| score | submissions |", "|---|---|"]
    lines += [f"| {_bin_label(i)} | {n} |" for i, n in enumerate(s.histogram)]
    lines += ["", "## Pass rate per check", "", "| check | passed | ran | pass rate |", "|---|---|---|---|"]
    lines += [f"| `{cid}` | {p} | {n} | {_rate(p, n)} |" for cid, p, n in s.pass_rates]
    if s.mistakes:
        lines += ["", "## Likely mistakes named", "", "| mistake | submissions |", "|---|---|"]
        lines += [f"| `{m}` | {n} |" for m, n in s.mistakes]
    if s.failures:
        lines += ["", "## Not graded", "", "| submission | reason |", "|---|---|"]
        lines += [f"| {name} | {(why or 'no report').splitlines()[0].replace('|', '/')} |" for name, why in s.failures]
    return "\n".join(lines) + "\n"


def _histogram_svg(s: Summary) -> str:
    w, h, left, bottom, top = 640, 240, 40, 40, 16
    bar = (w - left - 10) / BINS
    peak = max(s.histogram + [1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
             f'aria-label="score histogram">',
             f'<line x1="{left}" y1="{h - bottom}" x2="{w - 10}" y2="{h - bottom}" stroke="#57606a"/>']
    for i, n in enumerate(s.histogram):
        bh = (h - bottom - top) * n / peak
        x = left + i * bar
        parts.append(f'<rect class="bin" x="{x + 3:.1f}" y="{h - bottom - bh:.1f}" width="{bar - 6:.1f}" height="{bh:.1f}" '
                     f'fill="#2da44e"><title>{_bin_label(i)}: {n}</title></rect>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{h - bottom - bh - 4:.1f}" font-size="12" text-anchor="middle">{n}</text>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{h - bottom + 16}" font-size="11" text-anchor="middle">{i * 10}%</text>')
    parts.append(f'<text x="{w / 2:.0f}" y="{h - 6}" font-size="12" text-anchor="middle">score (percent of the maximum)</text>')
    parts.append("</svg>")
    return "".join(parts)


def _rates_svg(s: Summary) -> str:
    row, label, w = 20, 300, 700
    h = row * len(s.pass_rates) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
             f'aria-label="pass rate per check">']
    for i, (cid, p, n) in enumerate(s.pass_rates):
        y = 5 + i * row
        frac = p / n if n else 0.0
        parts.append(f'<text x="{label - 6}" y="{y + 14}" font-size="12" text-anchor="end">{html.escape(cid)}</text>')
        parts.append(f'<rect x="{label}" y="{y + 3}" width="{w - label - 60}" height="{row - 6}" fill="#eaeef2"/>')
        parts.append(f'<rect class="rate" x="{label}" y="{y + 3}" width="{(w - label - 60) * frac:.1f}" height="{row - 6}" '
                     f'fill="{"#2da44e" if frac >= 0.5 else "#cf222e"}"><title>{html.escape(cid)}: {p}/{n}</title></rect>')
        parts.append(f'<text x="{w - 54}" y="{y + 14}" font-size="12">{_rate(p, n)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def summary_html(s: Summary) -> str:
    """``summary.html``: the same figures as plots and tables, self-contained."""
    e = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             "<title>Class summary</title>", f"<style>{CSS}</style></head><body>",
             "<h1>Class summary</h1>",
             f'<p class="meta">{s.total} submissions: {s.graded} graded ({s.cached} unchanged since the last run), '
             f"{s.errors} not graded · seed {s.seed}</p>", f"<p>Scores: {e(_stats(s))}.</p>",
             "<h2>Score histogram</h2>", _histogram_svg(s),
             "<table><tr><th>score</th><th>submissions</th></tr>"]
    parts += [f"<tr><td>{_bin_label(i)}</td><td>{n}</td></tr>" for i, n in enumerate(s.histogram)]
    parts += ["</table>", "<h2>Pass rate per check</h2>", _rates_svg(s),
              "<table><tr><th>check</th><th>passed</th><th>ran</th><th>pass rate</th></tr>"]
    parts += [f"<tr><td><code>{e(cid)}</code></td><td>{p}</td><td>{n}</td><td>{_rate(p, n)}</td></tr>"
              for cid, p, n in s.pass_rates]
    parts.append("</table>")
    if s.mistakes:
        parts.append("<h2>Likely mistakes named</h2><table><tr><th>mistake</th><th>submissions</th></tr>")
        parts += [f"<tr><td><code>{e(m)}</code></td><td>{n}</td></tr>" for m, n in s.mistakes]
        parts.append("</table>")
    if s.failures:
        parts.append("<h2>Not graded</h2><table><tr><th>submission</th><th>reason</th></tr>")
        parts += [f'<tr><td>{e(name)}</td><td class="error"><pre>{e(why or "no report")}</pre></td></tr>' for name, why in s.failures]
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_summary(results: Sequence["ClassResult"], out: Path, *, seed: int) -> Summary:
    """Write ``summary.md`` and ``summary.html`` into ``out``; return the figures."""
    s = summarize(results, seed=seed)
    for name, text in (("summary.md", summary_md(s)), ("summary.html", summary_html(s))):
        tmp = Path(out) / (name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(Path(out) / name)
    return s
