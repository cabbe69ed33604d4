#!/usr/bin/env bash
# Makes the throwaway certificates of a secured RavenDB on loopback, with
# openssl only (docs/deploy-ravendb7.md, "A secured server"):
#
#   scripts/ravendb7/certs.sh DIR
#
# into DIR (created, mode 700; never commit it):
#   ca.crt, ca.key              a throwaway CA, valid 2 days
#   server.pfx                  the server certificate for 127.0.0.1 and localhost
#                               (RavenDB's Security.Certificate.Path; no password),
#                               signed by the CA, with what RavenDB asks of one:
#                               KeyUsage digitalSignature + keyEncipherment,
#                               ExtendedKeyUsage serverAuth + clientAuth
#   server.crt, server.key      the same in PEM
#   client.crt, client.key      the admin's client certificate (clientAuth), PEM,
#                               for the proxy (nginx proxy_ssl_certificate) and curl
#   client.thumbprint           its SHA-1 thumbprint, upper-case hex without colons:
#                               the value of Security.WellKnownCertificates.Admin
#   stranger.crt, stranger.key  another client certificate (clientAuth) from the same CA,
#                               never made known to RavenDB: what a misconfigured proxy
#                               would present (the suite checks RavenDB refuses it)
# Prints the thumbprint and the time it took.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
DIR=$1
t0=$(date +%s%N)
mkdir -p "$DIR"
chmod 700 "$DIR"
cd "$DIR"
umask 077

# RSA keys: RavenDB 7.1 loads the server's private key with GetRSAPrivateKey()
# and refuses an EC key ("Unable to find the private key in the provided
# certificate from ..."); the client and the CA use RSA too.
key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }

key ca.key
openssl req -x509 -new -key ca.key -sha256 -days 2 -subj "/CN=Raven Backup Studio throwaway CA $$" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out ca.crt 2>/dev/null

# sign NAME CN EXTENSIONS: NAME.key + NAME.crt signed by the CA.
sign() {
  local name=$1 cn=$2 ext=$3
  key "$name.key"
  openssl req -new -key "$name.key" -subj "/CN=$cn" -out "$name.csr" 2>/dev/null
  printf '%s\n' "$ext" >"$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days 2 \
    -extfile "$name.ext" -out "$name.crt" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}
sign server 127.0.0.1 "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=IP:127.0.0.1,DNS:localhost"
sign client "raven-backup-studio-proxy" "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
sign stranger "raven-backup-studio-stranger" "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"

# The server's PFX carries its chain (the CA) and no password.
openssl pkcs12 -export -inkey server.key -in server.crt -certfile ca.crt -passout pass: -out server.pfx
openssl x509 -in client.crt -noout -fingerprint -sha1 | sed 's/^.*=//; s/://g' | tr a-f A-F >client.thumbprint
rm -f ca.srl
chmod 600 ./*
echo "certificates in $DIR in $((($(date +%s%N) - t0) / 1000000)) ms; client thumbprint $(cat client.thumbprint)"
