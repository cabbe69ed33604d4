#!/usr/bin/env python3
"""Trunk post-build hook: moves trunk's inline loader <script> into its own
file, so dist/ runs under a strict Content-Security-Policy
(script-src 'self' 'wasm-unsafe-eval'; no 'unsafe-inline', no hashes).

Trunk writes the page into TRUNK_STAGING_DIR before moving it to dist/.
The loader's relative imports ('./app-<hash>.js') keep working from an
external module in the same folder."""
import hashlib
import os
import re
import sys

staging = os.environ.get("TRUNK_STAGING_DIR")
if not staging:
    sys.exit("TRUNK_STAGING_DIR is not set: run this as a trunk post_build hook")
page = os.path.join(staging, "index.html")
with open(page, encoding="utf-8") as f:
    html = f.read()

pattern = re.compile(r'<script type="module">(.*?)</script>', re.S)
found = pattern.findall(html)
if len(found) != 1:
    sys.exit(f"expected exactly one inline module script in index.html, found {len(found)}")
code = found[0].strip() + "\n"
digest = hashlib.sha256(code.encode()).hexdigest()[:16]
name = f"init-{digest}.js"
with open(os.path.join(staging, name), "w", encoding="utf-8") as f:
    f.write(code)
html = pattern.sub(f'<script type="module" src="./{name}"></script>', html, count=1)
if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) or re.search(r"\sstyle=", html) or "<style" in html:
    sys.exit("index.html still has an inline script or style after the fix-up")
with open(page, "w", encoding="utf-8") as f:
    f.write(html)
print(f"csp_fixup: loader moved to {name}")
