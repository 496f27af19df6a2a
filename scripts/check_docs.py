#!/usr/bin/env python3
"""Checks the documentation (run by `make lint`): every relative link in README.md and docs/*.md points at a file
that exists and, when it names an anchor in a Markdown page, at a heading that page has (GitHub's anchors); every
docs page is linked from the README; and the README stays at most README_MAX_LINES lines, a page a newcomer reads
in minutes.

Usage: scripts/check_docs.py [ROOT]   (ROOT: the repository, by default this script's parent directory)
"""
import re
import sys
import unicodedata
from pathlib import Path
from urllib.parse import unquote

README_MAX_LINES = 200

FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)")
REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
HTML_ANCHOR = re.compile(r"<a\s+(?:name|id)=\"([^\"]+)\"", re.IGNORECASE)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def prose_lines(text):
    """(line number, line) of every line outside fenced code blocks."""
    fence = None
    for number, line in enumerate(text.splitlines(), 1):
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)
            continue
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        yield number, line


def slug(heading):
    """GitHub's anchor for a heading: its text lower-cased, punctuation dropped, spaces turned into hyphens."""
    text = CODE_SPAN.sub(lambda m: m.group(2), heading)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link in a heading anchors by its text
    text = re.sub(r"<[^>]+>", "", text)
    text = text.replace("*", "")
    kept = "".join(c for c in text.lower()
                   if c in " -_" or unicodedata.category(c)[0] in "LN" or unicodedata.category(c) == "Mn")
    return kept.replace(" ", "-")


def anchors(path):
    found, seen = set(), {}
    for _, line in prose_lines(path.read_text(encoding="utf-8")):
        found.update(HTML_ANCHOR.findall(line))
        match = HEADING.match(line)
        if match:
            base = slug(match.group(2))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(path):
    """(line number, target) of every link in the page's prose, code spans left out."""
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        prose = CODE_SPAN.sub("", line)
        for target in INLINE_LINK.findall(prose):
            yield number, target
        match = REFERENCE_DEFINITION.match(prose)
        if match:
            yield number, match.group(1)


def check(root):
    readme = root / "README.md"
    pages = [readme] + sorted((root / "docs").glob("*.md"))
    problems, linked, anchor_cache = [], set(), {}
    for page in pages:
        if not page.is_file():
            problems.append(f"{page.relative_to(root)}: missing")
            continue
        for number, target in links(page):
            if not target or SCHEME.match(target) or target.startswith("//"):
                continue
            where = f"{page.relative_to(root)}:{number}: link {target}"
            path_part, _, fragment = target.partition("#")
            destination = (page.parent / unquote(path_part)).resolve() if path_part else page.resolve()
            if not destination.exists():
                problems.append(f"{where}: no such file")
                continue
            linked.add((page.resolve(), destination))
            if fragment:
                if destination.suffix.lower() != ".md" or destination.is_dir():
                    problems.append(f"{where}: an anchor in a file that is not a Markdown page")
                    continue
                if destination not in anchor_cache:
                    anchor_cache[destination] = anchors(destination)
                if unquote(fragment) not in anchor_cache[destination]:
                    problems.append(f"{where}: no heading with anchor #{fragment} in {destination.relative_to(root)}")
    for page in pages[1:]:
        if (readme.resolve(), page.resolve()) not in linked:
            problems.append(f"{page.relative_to(root)}: not linked from README.md")
    if readme.is_file():
        lines = len(readme.read_text(encoding="utf-8").splitlines())
        if lines > README_MAX_LINES:
            problems.append(f"README.md: {lines} lines, more than {README_MAX_LINES}: move detail into docs/")
    return problems, len(pages)


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent).resolve()
    problems, count = check(root)
    for problem in problems:
        print(f"check_docs: {problem}", file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"check_docs: {count} pages, every relative link and anchor resolves, README.md within {README_MAX_LINES} lines")


if __name__ == "__main__":
    main()
