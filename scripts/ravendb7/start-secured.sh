#!/usr/bin/env bash
# Starts a genuine modern RavenDB (7.1.5 by default) secured, on
# https://127.0.0.1:PORT, with a throwaway CA, server certificate and admin
# client certificate made fresh in DATADIR/certs (certs.sh); the admin
# certificate is trusted through Security.WellKnownCertificates.Admin.
# Same arguments and files as start.sh (see there), plus DATADIR/certs:
#
#   scripts/ravendb7/start-secured.sh PORT DATADIR [server args...]
#   scripts/ravendb7/start-secured.sh stop DATADIR
RAVEN7_SECURED=1 exec bash "$(dirname "$0")/start.sh" "$@"
