#!/usr/bin/env python3
"""Every relative link of the README and docs/ leads somewhere: the file exists and, for a #fragment,
one of its headings has that anchor (GitHub's rule: lower case, punctuation dropped, spaces to
hyphens, -1, -2 … for repeats). Prints one line per broken link; exit 1 if any."""
import os, re, sys

def anchors(path):
    seen, out, fence = {}, set(), False
    for line in open(path):
        if line.startswith("```"):
            fence = not fence
        m = None if fence else re.match(r"^#{1,6} (.*?)\s*$", line)
        if m:
            slug = re.sub(r"[^\w\- ]", "", m.group(1).replace("`", "").lower()).replace(" ", "-")
            n = seen.get(slug, 0)
            seen[slug] = n + 1
            out.add(slug if n == 0 else f"{slug}-{n}")
    for m in re.finditer(r'<a (?:name|id)="([^"]+)"', open(path).read()):
        out.add(m.group(1))
    return out

bad = 0
for path in sys.argv[1:]:
    text = re.sub(r"```.*?```", "", open(path).read(), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^[a-z]+:", target):
            continue                                            # http:, https:, mailto:
        file, _, frag = target.partition("#")
        dest = os.path.normpath(os.path.join(os.path.dirname(path), file)) if file else path
        if not os.path.exists(dest):
            print(f"{path}: {target}: no file {dest}"); bad += 1
        elif frag and dest.endswith(".md") and frag not in anchors(dest):
            print(f"{path}: {target}: no heading #{frag} in {dest}"); bad += 1
sys.exit(1 if bad else 0)
