#!/usr/bin/env bash
# Formance's delegated login with an external upstream over HTTP: one authemu (the upstream, auto
# login mode) is the --delegated-issuer of another. A client of the upstream made through its
# management API lets the delegating server's /authorize/callback in; Python requests follows the
# browser's redirects with a cookie jar, then the relying party redeems the code.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

start_server --login-mode auto || { not_ok "the upstream starts"; finish; }
UP=$ISSUER
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CALLBACK="http://localhost:$PORT/api/auth/authorize/callback"
T=$(curl -s -m 5 -u testing:testing -d grant_type=client_credentials "$UP/oauth/token" | jq -r .access_token)
ID=$(curl -s -m 5 -H "Authorization: Bearer $T" "$UP/clients" \
  -d "{\"name\":\"downstream\",\"redirectUris\":[\"$CALLBACK\"]}" | jq -r .data.id)
SECRET=$(curl -s -m 5 -H "Authorization: Bearer $T" "$UP/clients/$ID/secrets" -d '{}' | jq -r .data.clear)
check "a client of the upstream for the delegated login" test -n "$SECRET" -a "$SECRET" != null

# The delegating server, on a port chosen above so that its callback is known in advance.
start_server --listen "127.0.0.1:$PORT" --delegated-issuer "$UP" --delegated-client-id "$ID" \
  --delegated-client-secret "$SECRET"

out=$(python3 - "http://localhost:$PORT/api/auth" "$UP" <<'PY'
import base64, json, sys, urllib.parse as up, requests
down, upstream = sys.argv[1], sys.argv[2]
s = requests.Session()
r = s.get(down + "/authorize", params=dict(client_id="web", redirect_uri="http://127.0.0.1:4/callback",
          response_type="code", scope="openid email", state="z"), allow_redirects=False, timeout=5)
hops = []
while r.status_code == 302 and not r.headers["location"].startswith("http://127.0.0.1:4/"):
    hops.append(r.headers["location"].split("?")[0])
    r = s.get(r.headers["location"], allow_redirects=False, timeout=5)
q = dict(up.parse_qsl(up.urlparse(r.headers.get("location", "")).query))
t = requests.post(down + "/oauth/token", auth=("web", "web"), timeout=5, data=dict(
    grant_type="authorization_code", code=q.get("code", ""), redirect_uri="http://127.0.0.1:4/callback"))
claims = json.loads(base64.urlsafe_b64decode(t.json()["id_token"].split(".")[1] + "==")) if t.ok else {}
print(json.dumps({"hops": hops, "state": q.get("state"), "status": t.status_code, "claims": claims}))
PY
)
check_eq "the browser goes to the upstream's /authorize, then back to the callback" \
  "[\"$UP/authorize\",\"http://localhost:$PORT/api/auth/authorize/callback\"]" "$(jq -c .hops <<<"$out")"
check_eq "the original request finishes with its state" z "$(jq -r .state <<<"$out")"
check_eq "the relying party redeems the code" 200 "$(jq -r .status <<<"$out")"
check_eq "the ID token's amr says a federated sign-in" '["fed"]' "$(jq -c .claims.amr <<<"$out")"
check_eq "the ID token carries the upstream user's email" alice@example.com "$(jq -r .claims.email <<<"$out")"
EXPECTED=$(python3 -c "import uuid,sys; print(uuid.uuid5(uuid.NAMESPACE_URL, sys.argv[1] + ' ' + sys.argv[2]))" \
  "$UP" 5d0d3f26-1c3b-4a8e-9f4b-2f6a1d7c9e01)
check_eq "its sub is UUIDv5(upstream iss + sub), computed independently" "$EXPECTED" "$(jq -r .claims.sub <<<"$out")"
D=$(curl -s -m 5 -u testing:testing -d grant_type=client_credentials "http://localhost:$PORT/api/auth/oauth/token" | jq -r .access_token)
check_eq "GET /users lists it with the upstream sub as subject" 5d0d3f26-1c3b-4a8e-9f4b-2f6a1d7c9e01 \
  "$(curl -s -m 5 -H "Authorization: Bearer $D" "http://localhost:$PORT/api/auth/users/$EXPECTED" | jq -r .data.subject)"
finish
