#!/usr/bin/env bash
# What deploy/docker-compose.yml needs for auth and TLS on one machine, in deploy/local/ (git-ignored):
# a CA and certificates (make-certs.sh; the server's names cover nats, nats-2, nats-3 of the compose files)
# and a random password for each role. Run it once before `docker compose up`; --force makes new ones.
#   deploy/local/nats.env    the NATS server's: the three passwords and its TLS files (inside the container)
#   deploy/local/node.env    the workers': the troupe-node password
#   deploy/local/admin.env, viewer.env   TROUPE_NATS_USER/PASS of troupe-admin and troupe-viewer, for the CLI
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$here/.." && pwd)/local
if [ -f "$out/nats.env" ] && [ "${1:-}" != "--force" ]; then
  echo "make-local-secrets.sh: $out already holds certificates and passwords (--force replaces them)"
  exit 0
fi
bash "$here/make-certs.sh" "$out/tls" nats nats-2 nats-3 localhost 127.0.0.1
# The workers run as a non-root user: they read the CA (and, for mutual TLS, the client pair) from here.
chmod 755 "$out" "$out/tls"
# nats-server reads an environment variable's value as a config value: one that starts with a digit
# ("986e7a...") is parsed as a number and the server refuses its config. A letter first keeps it a string.
pw() { echo "pw-$(openssl rand -hex 18)"; }
node=$(pw)
admin=$(pw)
viewer=$(pw)
umask 077
tls=/etc/troupe/tls
printf 'TROUPE_NODE_PASSWORD=%s\nTROUPE_ADMIN_PASSWORD=%s\nTROUPE_VIEWER_PASSWORD=%s\nTROUPE_NATS_SERVER_CERT=%s/server-cert.pem\nTROUPE_NATS_SERVER_KEY=%s/server-key.pem\nTROUPE_NATS_TLS_CA=%s/ca.pem\n' \
  "$node" "$admin" "$viewer" "$tls" "$tls" "$tls" >"$out/nats.env"
printf 'TROUPE_NATS_PASS=%s\n' "$node" >"$out/node.env"
printf 'TROUPE_NATS_USER=troupe-admin\nTROUPE_NATS_PASS=%s\n' "$admin" >"$out/admin.env"
printf 'TROUPE_NATS_USER=troupe-viewer\nTROUPE_NATS_PASS=%s\n' "$viewer" >"$out/viewer.env"
echo "make-local-secrets.sh: wrote certificates and role passwords to $out"
