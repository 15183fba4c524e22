#!/usr/bin/env bash
# More real clients of authemu over HTTPS, each trusting the generated CA explicitly (never with
# verification turned off), and each also refusing it when not told to trust it:
# - Go's net/http + x/oauth2 with the CA in a cert pool (scripts/tls_go, built against Debian's
#   golang-golang-x-oauth2-dev in GOPATH mode: nothing is fetched);
# - openid-client v6 and oauth4webapi with NODE_EXTRA_CA_CERTS (scripts/tls_node_clients.mjs);
# - headless Chromium with the CA in an NSS database (certutil) signs in as alice/alice, code +
#   PKCE, and the cookies must be __Host-, Secure, HttpOnly (scripts/tls_browser.mjs); its login
#   page goes to build/screenshots/tls-login.png;
# - testssl.sh: no protocol below TLS 1.2, only ECDHE + AEAD suites;
# - the delegated login to an upstream authemu over HTTPS (--tls-trust), and without it a page
#   that names the certificate failure.
# Prints "# measured: …" for the slow steps.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
NODE_DIR=build/node

tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT
READY_DIR=$tmp
t0=$EPOCHREALTIME
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f s", b - a }'; }

if ! start_ready main --tls --listen 127.0.0.1:0 --tls-ca-out "$tmp/ca.pem"; then
  not_ok "authemu --tls starts"
  finish
fi
ISSUER=$(ready_field main issuer)
URL=$(ready_field main url)
CA=$tmp/ca.pem

# testssl.sh scans the TLS port in the background while the clients run (it mostly waits on its
# own openssl probes): protocols, cipher categories, every cipher offered. -f (forward secrecy,
# curves, groups) is left out: it adds ~7 s and the cipher list already says which key exchange.
testssl_t0=$EPOCHREALTIME
testssl --quiet --color 0 --warnings off --nodns none --assume-http --openssl /usr/bin/openssl \
  -p -s -e --jsonfile "$tmp/testssl.json" "${URL#https://}" >"$tmp/testssl.txt" 2>&1 &
testssl_pid=$!

# Go: built here from Debian's sources of x/oauth2 (GOPATH mode: no module download).
mkdir -p build/go
gobuild=(env GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$PWD/build/go/cache" GOFLAGS= go build -o build/go/tls_go ./scripts/tls_go)
if "${gobuild[@]}" 2>"$tmp/go.err"; then
  run_checks timeout 20 build/go/tls_go "$ISSUER" "$CA" "$URL"
else
  not_ok "go: scripts/tls_go builds against Debian's x/oauth2" "$(head -c 400 "$tmp/go.err")"
fi

# Node: openid-client and oauth4webapi, the CA from NODE_EXTRA_CA_CERTS only.
run_checks env NODE_EXTRA_CA_CERTS="$CA" timeout 20 node scripts/tls_node_clients.mjs "$ISSUER" "$NODE_DIR"
E=$(node -e 'fetch(process.argv[1] + "/.well-known/openid-configuration").then(() => console.log("fetched"), (e) => console.log(e.cause?.code))' "$ISSUER")
check_eq "node without NODE_EXTRA_CA_CERTS refuses the certificate" UNABLE_TO_VERIFY_LEAF_SIGNATURE "$E"

# Chromium trusts the CA through a fresh NSS database in a HOME of its own; a second HOME has none.
mkdir -p "$tmp/home/.pki/nssdb" "$tmp/empty" build/screenshots
if certutil -d "sql:$tmp/home/.pki/nssdb" -N --empty-password &&
  certutil -d "sql:$tmp/home/.pki/nssdb" -A -t C,, -n authemu -i "$CA"; then
  ok "certutil: the CA is in a new NSS database"
  b0=$EPOCHREALTIME
  run_checks env NODE_EXTRA_CA_CERTS="$CA" timeout -k 5 45 node scripts/tls_browser.mjs "$ISSUER" "$NODE_DIR" \
    "$tmp/home" "$tmp/empty" build/screenshots/tls-login.png
  echo "# measured: browser sign-in over HTTPS (two Chromium starts) $(since "$b0")"
else
  not_ok "certutil: the CA is in a new NSS database"
fi

# The delegated login over HTTPS: an upstream authemu --tls (auto login) and a downstream authemu
# --tls whose --delegated-issuer is the upstream and which trusts the upstream's CA by --tls-trust.
# curl walks the browser's redirects through both with a cookie jar, trusting both CAs.
d0=$EPOCHREALTIME
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
if start_ready up --tls --login-mode auto --listen 127.0.0.1:0 --tls-ca-out "$tmp/up-ca.pem"; then
  UP=$(ready_field up issuer)
  PORT=$(free_port)
  DOWN=https://localhost:$PORT/api/auth
  T=$(curl -sS -m 5 --cacert "$tmp/up-ca.pem" -u testing:testing -d grant_type=client_credentials "$UP/oauth/token" | jq -r .access_token)
  ID=$(curl -sS -m 5 --cacert "$tmp/up-ca.pem" -H "Authorization: Bearer $T" "$UP/clients" \
    -d "{\"name\":\"downstream\",\"redirectUris\":[\"$DOWN/authorize/callback\"]}" | jq -r .data.id)
  SECRET=$(curl -sS -m 5 --cacert "$tmp/up-ca.pem" -H "Authorization: Bearer $T" "$UP/clients/$ID/secrets" -d '{}' | jq -r .data.clear)
  check "delegation: a client of the https upstream for the downstream's callback" test -n "$SECRET" -a "$SECRET" != null
  if start_ready down --tls --listen "127.0.0.1:$PORT" --tls-ca-out "$tmp/down-ca.pem" --delegated-issuer "$UP" \
    --delegated-client-id "$ID" --delegated-client-secret "$SECRET" --tls-trust "$tmp/up-ca.pem"; then
    cat "$tmp/up-ca.pem" "$tmp/down-ca.pem" >"$tmp/both.pem"
    loc="$DOWN/authorize?client_id=web&redirect_uri=http://127.0.0.1:4/callback&response_type=code&scope=openid%20email&state=z"
    hops=() final=
    for _ in 1 2 3 4 5 6; do
      out=$(curl -sS -m 5 --cacert "$tmp/both.pem" -b "$tmp/jar" -c "$tmp/jar" -o "$tmp/page" -w '%{http_code} %{redirect_url}' "$loc")
      [ "${out%% *}" = 302 ] || break
      hops+=("${loc%%\?*}")
      loc=${out#* }
      case $loc in http://127.0.0.1:4/*) final=$loc; break ;; esac
    done
    check_eq "delegation: downstream /authorize → upstream /authorize → downstream callback, all https" \
      "$DOWN/authorize $UP/authorize $DOWN/authorize/callback" "${hops[*]}"
    check "delegation: … and back to the client with its state" grep -q '[?&]state=z\(&\|$\)' <<<"$final"
    code=$(sed -n 's/.*[?&]code=\([^&]*\).*/\1/p' <<<"$final")
    R=$(curl -sS -m 5 --cacert "$tmp/down-ca.pem" -u web:web -d grant_type=authorization_code -d "code=$code" \
      -d redirect_uri=http://127.0.0.1:4/callback "$DOWN/oauth/token")
    IDT=$(jq -r .id_token <<<"$R")
    check "delegation: the downstream redeems the code for tokens" test -n "$IDT" -a "$IDT" != null
    check_eq "delegation: its ID token: the downstream's https issuer, a federated sign-in, the upstream user's email" \
      "$DOWN [\"fed\"] alice@example.com" "$(jwt_part "$IDT" 2 | jq -r '[.iss, (.amr | tojson), .email] | join(" ")' 2>/dev/null)"
  else
    not_ok "delegation: the downstream with --tls-trust starts"
  fi
  # Without --tls-trust, the downstream cannot use the upstream and says why.
  if SERVER_LOG="$tmp/untrusting.log" start_ready untrusting --tls --listen 127.0.0.1:0 --tls-ca-out "$tmp/u-ca.pem" \
    --delegated-issuer "$UP" --delegated-client-id "$ID" --delegated-client-secret "$SECRET"; then
    st=$(curl -sS -m 5 --cacert "$tmp/u-ca.pem" -o "$tmp/page" -w '%{http_code}' \
      "$(ready_field untrusting issuer)/authorize?client_id=web&redirect_uri=http://127.0.0.1:4/callback&response_type=code&scope=openid&state=z")
    check_eq "delegation without --tls-trust: /authorize answers 502" 502 "$st"
    check "… with a page naming the upstream and the untrusted certificate" \
      grep -q "The delegated issuer $UP cannot be used: .*TLS with ${UP%/api/auth} failed" "$tmp/page"
    check "… (the certificate is not trusted)" grep -q "certificate is not trusted: it is not issued by a CA trusted here" "$tmp/page"
    check "… and the server's log says so too" grep -q "warning: The delegated issuer $UP cannot be used: .*not trusted" "$tmp/untrusting.log"
    check "… without the client's secret" test -z "$(grep -F -- "$SECRET" "$tmp/untrusting.log")"
  else
    not_ok "delegation: the downstream without --tls-trust starts"
  fi
else
  not_ok "delegation: the https upstream starts"
fi
echo "# measured: delegated login over HTTPS $(since "$d0")"

# testssl.sh's verdict, from its JSON.
wait "$testssl_pid"
echo "# measured: testssl.sh $(since "$testssl_t0") (in the background)"
finding() { jq -r --arg id "$1" '[.[] | select(.id == $id) | .finding][0] // "missing"' "$tmp/testssl.json" 2>/dev/null; }
if [ -s "$tmp/testssl.json" ]; then
  for p in SSLv2 SSLv3 TLS1 TLS1_1; do check_eq "testssl.sh: $p not offered" "not offered" "$(finding "$p")"; done
  check_eq "testssl.sh: TLS 1.2 offered" offered "$(finding TLS1_2)"
  check "testssl.sh: TLS 1.3 offered" grep -q '^offered' <<<"$(finding TLS1_3)"
  for c in NULL aNULL EXPORT LOW 3DES_IDEA AVERAGE; do
    label=$c; [ "$c" = AVERAGE ] && label="obsolete CBC (AVERAGE)"
    check_eq "testssl.sh: no $label ciphers" "not offered" "$(finding "cipherlist_$c")"
  done
  check_eq "testssl.sh: strong (AEAD) ciphers offered" offered "$(finding cipherlist_STRONG)"
  # Each offered cipher, as "hexcode name key-exchange bits encryption bits IANA name".
  ciphers=$(jq -r '.[] | select(.id | startswith("cipher_x")) | .finding' "$tmp/testssl.json")
  check "testssl.sh: it lists the offered ciphers" test -n "$ciphers"
  weak=$(awk '!($3 == "ECDH" && $5 ~ /^(AESGCM|ChaCha20|AESCCM)$/)' <<<"$ciphers")
  check_eq "testssl.sh: every one is ECDHE with AEAD" "" "$weak"
  check_eq "testssl.sh: no finding of severity MEDIUM or worse" "" \
    "$(jq -r '.[] | select(.severity | test("MEDIUM|HIGH|CRITICAL")) | .id + " " + .finding' "$tmp/testssl.json")"
else
  not_ok "testssl.sh wrote its JSON" "$(tail -c 400 "$tmp/testssl.txt")"
fi

echo "# measured: tls_clients total $(since "$t0")"
finish
