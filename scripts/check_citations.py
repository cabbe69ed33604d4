#!/usr/bin/env python3
"""Checks that every protocol citation resolves inside the repository.

    python3 scripts/check_citations.py        # exit 0 when clean, 1 with file:line problems

Scanned: src/, devserver/, scripts/, tests/, tools/e2e*/, docs/ and the
top-level README.md (text files; node_modules/, target/, dist/ skipped).
What is checked (see docs/protocol/README.md for the citation rules):

* `§n` / `§n.m` cites a section of docs/protocol/ravendb-3x.md: the file
  must hold the anchor `<a id="sn.m">`.
* `En` / `E4b` cites an endpoint of that file's §1 table: anchor `e<n>`.
* `docs/<path>.md` and `docs/<path>.md#anchor` (also `../docs/...`): the
  file must exist and hold the anchor (an `<a id>` or a heading's slug).
* In Markdown files, relative links `[text](target#anchor)` and
  `[text](#anchor)` must resolve the same way.
* No file may point outside the repository: `shared/...`, `../shared/...`,
  `/work/...`, `/home/...`, `/root/...` are refused.

A line holding the marker `check-citations: ignore` is skipped (for data
that looks like such a path but cites nothing). Python 3 standard library
only.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC_3X = ROOT / "docs" / "protocol" / "ravendb-3x.md"
SELF = Path(__file__).resolve()

SCAN_DIRS = ["src", "devserver", "scripts", "tests", "docs"]
SCAN_GLOBS = ["tools/e2e*"]
SCAN_FILES = ["README.md"]
SKIP_DIRS = {"node_modules", "target", "dist", ".git", "screenshots"}
MAX_BYTES = 2_000_000
IGNORE_MARKER = "check-citations: ignore"

SECTION = re.compile(r"§(\d+(?:\.\d+)*)")
ENDPOINT = re.compile(r"(?<![\w-])E(\d{1,2}b?)(?![\w-])")
DOC_PATH = re.compile(r"(?<![\w/.-])((?:\.\./)*docs/[\w./-]*?\.md)(#[\w.-]*[\w-])?")
MD_LINK = re.compile(r"\]\(([^)\s]+)\)")
OUTSIDE = re.compile(
    r"(?<![\w./-])(?:\.\./)*shared/[\w.-][\w./-]*"
    r"|(?<![\w.-])/(?:work|home|root)/[\w.-][\w./-]*"
)
ANCHOR = re.compile(r"""<a\s+(?:id|name)\s*=\s*["']([^"']+)["']""")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"<[^>]+>", "", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


_anchor_cache: dict[Path, set[str] | None] = {}


def anchors_of(path: Path) -> set[str] | None:
    """The anchors a Markdown file defines; None when it does not exist."""
    path = path.resolve()
    if path not in _anchor_cache:
        if not path.is_file():
            _anchor_cache[path] = None
        else:
            ids: set[str] = set()
            for line in path.read_text(encoding="utf-8").splitlines():
                ids.update(ANCHOR.findall(line))
                m = HEADING.match(line)
                if m:
                    ids.add(slug(m.group(1)))
            _anchor_cache[path] = ids
    return _anchor_cache[path]


def files_to_scan() -> list[Path]:
    roots = [ROOT / d for d in SCAN_DIRS]
    for pattern in SCAN_GLOBS:
        roots.extend(sorted(ROOT.glob(pattern)))
    roots.extend(ROOT / f for f in SCAN_FILES)
    out: list[Path] = []
    for root in roots:
        if root.is_file():
            out.append(root)
            continue
        if not root.is_dir():
            continue
        for p in sorted(root.rglob("*")):
            if not p.is_file() or SKIP_DIRS.intersection(p.relative_to(ROOT).parts):
                continue
            out.append(p)
    return [p for p in dict.fromkeys(out) if p.resolve() != SELF]


def read_text(path: Path) -> str | None:
    if path.stat().st_size > MAX_BYTES:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None  # binary or unreadable: nothing to cite from


def main() -> int:
    spec = anchors_of(SPEC_3X)
    if spec is None:
        print(f"check_citations: {SPEC_3X.relative_to(ROOT)} is missing", file=sys.stderr)
        return 1

    problems: list[str] = []
    counts = {"section": 0, "endpoint": 0, "doc path": 0, "md link": 0}
    scanned = 0

    def check_target(where: str, target: str, base: Path, here: Path, kind: str) -> None:
        """A path[#anchor] (relative to `base`; a bare #anchor is in `here`)
        must exist and hold the anchor."""
        path_part, _, anchor = target.partition("#")
        doc = (base / path_part) if path_part else None
        if doc is not None and not doc.resolve().is_relative_to(ROOT):
            problems.append(f"{where}: {kind} {target} points outside the repository")
            return
        if doc is not None and not doc.exists():
            problems.append(f"{where}: {kind} {target}: no such file")
            return
        if anchor and (doc is None or doc.suffix == ".md"):
            ids = anchors_of(doc if doc is not None else here)
            if ids is None or anchor not in ids:
                problems.append(f"{where}: {kind} {target}: no anchor #{anchor}")

    for path in files_to_scan():
        text = read_text(path)
        if text is None:
            continue
        scanned += 1
        rel = path.relative_to(ROOT)
        is_md = path.suffix == ".md"
        for n, line in enumerate(text.splitlines(), 1):
            if IGNORE_MARKER in line:
                continue
            where = f"{rel}:{n}"
            for m in SECTION.finditer(line):
                counts["section"] += 1
                if f"s{m.group(1)}" not in spec:
                    problems.append(
                        f"{where}: §{m.group(1)} is not a section of docs/protocol/ravendb-3x.md"
                    )
            for m in ENDPOINT.finditer(line):
                counts["endpoint"] += 1
                if f"e{m.group(1).lower()}" not in spec:
                    problems.append(
                        f"{where}: E{m.group(1)} is not an endpoint of docs/protocol/ravendb-3x.md"
                    )
            for m in DOC_PATH.finditer(line):
                counts["doc path"] += 1
                target = re.sub(r"^(?:\.\./)+", "", m.group(1)) + (m.group(2) or "")
                check_target(where, target, ROOT, path, "cited doc")
            if is_md:
                for m in MD_LINK.finditer(line):
                    target = m.group(1).strip("<>")
                    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
                        continue  # http:, https:, mailto:
                    counts["md link"] += 1
                    check_target(where, target, path.parent, path, "link")
            for m in OUTSIDE.finditer(line):
                problems.append(
                    f"{where}: cites a path outside the repository: {m.group(0)}"
                )

    for p in problems:
        print(p)
    total = sum(counts.values())
    summary = ", ".join(f"{v} {k}" for k, v in counts.items())
    print(
        f"check_citations: {scanned} files, {total} citations ({summary}): "
        f"{len(problems)} problem(s)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
