#!/bin/sh
# Trunk post-build step, release only (Trunk.toml [[hooks]]; docs/size.md,
# "The split"): cuts the screens that are not the first one out of the main
# wasm, so that a first visit does not download them. They load, each from
# its own file, when first shown (src/components/chunk.rs).
#
# build.rs links the release wasm32 build with --emit-relocs and sets
# cfg(lazy_split); this step then, on cargo's own output:
# 1. wasm-split-cli (crates.io wasm_split_cli_support, scripts/setup.sh)
#    writes the main wasm, one wasm per split screen (split_<name>.wasm),
#    chunk_<n>.wasm for code two screens share, and __wasm_split.js, their
#    loader, which the main glue imports;
# 2. wasm-bindgen --keep-lld-exports on the main wasm (the chunks link to
#    its exports), as trunk ran it, then wasm-opt -Oz on every wasm;
# 3. every new file gets a content hash in its name (a host may cache them
#    for long; a chunk must come from the same build as the main wasm), and
#    trunk's .js and _bg.wasm in the staging dir are replaced;
# 4. index.html: the SRI integrity hashes of the replaced files are fixed,
#    and __wasm_split.js is preloaded with the glue (one round trip less).
# Every URL stays relative ("./"), so dist/ still works from any sub-path;
# the loader fetches the chunks with new URL(..., import.meta.url), which
# script-src 'self' 'wasm-unsafe-eval' and connect-src 'self' allow.
set -eu
[ "${TRUNK_PROFILE:-}" = release ] || exit 0
staging=${TRUNK_STAGING_DIR:?run this as a trunk post_build hook}
cd "$(dirname "$0")/.."
PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
for tool in wasm-split-cli wasm-bindgen wasm-opt; do
  command -v "$tool" >/dev/null 2>&1 || { echo "split_wasm: $tool is missing: run bash scripts/setup.sh" >&2; exit 1; }
done

# npm binaryen 132 (tools/package-lock.json); Debian's wasm-opt 108 breaks the app.
case "$(wasm-opt --version)" in
*"version 132"*) ;;
*) echo "split_wasm: wasm-opt is not binaryen 132 ($(command -v wasm-opt)): run bash scripts/setup.sh" >&2; exit 1 ;;
esac

target=$(cargo metadata --format-version 1 --no-deps --offline 2>/dev/null \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
input="$target/wasm32-unknown-unknown/release/raven-backup-studio.wasm"
[ -f "$input" ] || { echo "split_wasm: $input is missing" >&2; exit 1; }

# Trunk's names: raven-backup-studio-<hash>.js and ..._bg.wasm.
js=$(cd "$staging" && ls raven-backup-studio-*.js)
[ "$(printf '%s\n' "$js" | wc -l)" -eq 1 ] || { echo "split_wasm: expected one glue .js in $staging, found: $js" >&2; exit 1; }
name=${js%.js}
[ -f "$staging/${name}_bg.wasm" ] || { echo "split_wasm: ${name}_bg.wasm is missing" >&2; exit 1; }

work="$target/split"
rm -rf "$work" && mkdir -p "$work/split" "$work/bindgen" "$work/opt"
# The features of rustc's wasm32 output that wasm-opt must accept.
features="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals"
wasm-split-cli --target web --out-name "$name" "$input" "$work/split"
# Nothing marked for the split: trunk's wasm, optimised here (index.html
# has trunk skip wasm-opt, whose output the split would replace).
if ! ls "$work/split"/split_*.wasm >/dev/null 2>&1; then
  # shellcheck disable=SC2086
  wasm-opt -Oz $features "$staging/${name}_bg.wasm" -o "$work/opt.wasm"
  cp "$work/opt.wasm" "$staging/${name}_bg.wasm"
  python3 - "$staging" <<'PY'
import base64, hashlib, os, re, sys
staging = sys.argv[1]
page = os.path.join(staging, "index.html")
html = open(page, encoding="utf-8").read()
def fix(m):
    data = open(os.path.join(staging, m.group(2)), "rb").read()
    return m.group(1) + 'integrity="sha384-' + base64.b64encode(hashlib.sha384(data).digest()).decode() + '"'
html = re.sub(r'(<link\b[^>]*?href="\./([^"]+)"[^>]*?)integrity="[^"]*"', fix, html)
open(page, "w", encoding="utf-8").write(html)
PY
  echo "split_wasm: no split point in the wasm; trunk's output kept (wasm-opt -Oz)"
  exit 0
fi
wasm-bindgen --target web --no-typescript --keep-lld-exports --out-name "$name" \
  --out-dir "$work/bindgen" "$work/split/$name.wasm"
# shellcheck disable=SC2086
wasm-opt -Oz $features "$work/bindgen/${name}_bg.wasm" -o "$work/opt/${name}_bg.wasm"
for f in "$work/split"/split_*.wasm "$work/split"/chunk_*.wasm; do
  [ -f "$f" ] || continue
  # shellcheck disable=SC2086
  wasm-opt -Oz $features "$f" -o "$work/opt/$(basename "$f")"
done
cp "$work/bindgen/$name.js" "$work/opt/$name.js"
cp "$work/split/__wasm_split.js" "$work/opt/__wasm_split.js"

python3 - "$work/opt" "$staging" "$name" <<'PY'
import base64, hashlib, os, re, shutil, sys
opt, staging, name = sys.argv[1:4]

def read(p):
    with open(p, "rb") as f:
        return f.read()

def short(data):
    return hashlib.sha256(data).hexdigest()[:16]

# The chunks, named after their content; the loader refers to the new names.
loader = read(os.path.join(opt, "__wasm_split.js")).decode()
for f in sorted(os.listdir(opt)):
    m = re.fullmatch(r"((?:split|chunk)_\w+)\.wasm", f)
    if not m:
        continue
    data = read(os.path.join(opt, f))
    new = f"{m.group(1)}-{short(data)}.wasm"
    if f'"./{f}"' not in loader:
        sys.exit(f"split_wasm: __wasm_split.js does not load ./{f}")
    loader = loader.replace(f'"./{f}"', f'"./{new}"')
    shutil.copyfile(os.path.join(opt, f), os.path.join(staging, new))
if f'from "./{name}.js"' not in loader:
    sys.exit(f"split_wasm: __wasm_split.js does not import ./{name}.js")
loader_name = f"__wasm_split-{short(loader.encode())}.js"
with open(os.path.join(staging, loader_name), "w", encoding="utf-8") as f:
    f.write(loader)

# The glue imports the loader under its new name.
glue = read(os.path.join(opt, f"{name}.js")).decode()
imports = re.findall(r"""from ['"]\./__wasm_split\.js['"]""", glue)
if not imports:
    sys.exit("split_wasm: the glue does not import ./__wasm_split.js")
glue = re.sub(r"""(from ['"]\./)__wasm_split\.js(['"])""", lambda m: m.group(1) + loader_name + m.group(2), glue)
with open(os.path.join(staging, f"{name}.js"), "w", encoding="utf-8") as f:
    f.write(glue)
shutil.copyfile(os.path.join(opt, f"{name}_bg.wasm"), os.path.join(staging, f"{name}_bg.wasm"))

# index.html: fresh SRI hashes, and the loader preloaded next to the glue.
page = os.path.join(staging, "index.html")
html = read(page).decode()

def sri(file):
    return "sha384-" + base64.b64encode(hashlib.sha384(read(os.path.join(staging, file))).digest()).decode()

def fix(m):
    return m.group(1) + f'integrity="{sri(m.group(2))}"'

html, n = re.subn(r'(<link\b[^>]*?href="\./([^"]+)"[^>]*?)integrity="[^"]*"', fix, html)
for f in (f"{name}.js", f"{name}_bg.wasm"):
    if f'href="./{f}"' not in html:
        sys.exit(f"split_wasm: index.html does not preload ./{f}")
glue_link = re.search(r'<link\b[^>]*href="\./' + re.escape(name) + r'\.js"[^>]*>', html)
if not glue_link:
    sys.exit("split_wasm: no <link> for the glue in index.html")
preload = glue_link.group(0).replace(f"./{name}.js", f"./{loader_name}")
preload = re.sub(r'integrity="[^"]*"', f'integrity="{sri(loader_name)}"', preload)
html = html.replace(glue_link.group(0), glue_link.group(0) + "\n" + preload, 1)
with open(page, "w", encoding="utf-8") as f:
    f.write(html)
chunks = sorted(f for f in os.listdir(staging) if re.fullmatch(r"(split|chunk)_\w+-[0-9a-f]{16}\.wasm", f))
print(f"split_wasm: {loader_name}, {', '.join(chunks)}; {n} integrity hashes fixed")
PY
