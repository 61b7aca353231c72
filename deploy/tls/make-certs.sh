#!/usr/bin/env bash
# A CA, a NATS server certificate and a client certificate (mutual TLS), for local use and tests only:
# production takes its certificates from its own CA. Needs openssl.
#   bash deploy/tls/make-certs.sh OUT_DIR [SERVER_NAME...]    (default names: nats localhost 127.0.0.1)
# Writes ca.pem, server-cert.pem, server-key.pem, client-cert.pem, client-key.pem (keys mode 600) into OUT_DIR.
set -euo pipefail
out=${1:?usage: make-certs.sh OUT_DIR [SERVER_NAME...]}
shift
names=("${@:-nats}")
[ $# -eq 0 ] && names=(nats localhost 127.0.0.1)
command -v openssl >/dev/null || { echo "make-certs.sh: openssl is missing (apt-get install -y openssl)" >&2; exit 1; }
mkdir -p "$out"
cd "$out"
umask 077
san=""
for n in "${names[@]}"; do
  if [[ $n =~ ^[0-9.]+$ ]]; then san+="IP:$n,"; else san+="DNS:$n,"; fi
done
san=${san%,}
days=825
openssl req -x509 -newkey rsa:2048 -nodes -days "$days" -subj "/CN=troupe-local-ca" -keyout ca-key.pem -out ca.pem 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=${names[0]}" -keyout server-key.pem -out server.csr 2>/dev/null
printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$san" >server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days "$days" -extfile server.ext -out server-cert.pem 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=troupe-node" -keyout client-key.pem -out client.csr 2>/dev/null
printf 'extendedKeyUsage=clientAuth\n' >client.ext
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days "$days" -extfile client.ext -out client-cert.pem 2>/dev/null
rm -f server.csr client.csr server.ext client.ext ca.srl
# Certificates are public; keys stay 600. The CA key is kept only to sign more certificates.
chmod 644 ca.pem server-cert.pem client-cert.pem
echo "make-certs.sh: wrote ca.pem, server-cert.pem, server-key.pem, client-cert.pem, client-key.pem to $out ($san)"
