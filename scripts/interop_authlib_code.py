#!/usr/bin/python3
"""Interop: Debian's Authlib runs the authorization code flow with PKCE (S256) against authemu
started with --login-mode auto, without a browser: requests follows nothing, the code comes from
the /authorize redirect's Location, OAuth2Session.fetch_token sends the code_verifier. Authlib's
jose checks the ID token (JWKS from discovery, iss, aud, nonce, at_hash); offline_access gives a
refresh token that Authlib refreshes. Also: a reused code revokes what it issued, a wrong verifier
is refused. Measures the authorize -> token round trip.

Usage: interop_authlib_code.py ISSUER. Prints "ok - ..." / "not ok - ..." lines and "# measured: ...";
exit 1 on any failure.
"""
import os
import statistics
import sys
import time
from urllib.parse import parse_qs, urlsplit

os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # http:// on loopback

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt
from authlib.oidc.core import CodeIDToken

import checks
from checks import check

issuer = sys.argv[1]
ALICE = "5d0d3f26-1c3b-4a8e-9f4b-2f6a1d7c9e01"
BOB = "8b7e2c44-6f1d-4f0a-b3c5-9a2e4d6f8a02"
# Any port: http loopback redirect URIs match on every port (RFC 8252 §7.3). Nothing listens there.
REDIRECT = "http://127.0.0.1:49152/callback"

meta = requests.get(issuer + "/.well-known/openid-configuration", timeout=5).json()
jwks = JsonWebKey.import_key_set(requests.get(meta["jwks_uri"], timeout=5).json())
browser = requests.Session()  # stands in for the browser: it follows no redirect


def session(client_id, secret=None, scope="openid profile email offline_access"):
    if secret:
        return OAuth2Session(client_id, secret, scope=scope, redirect_uri=REDIRECT, code_challenge_method="S256",
                             token_endpoint_auth_method="client_secret_basic")
    return OAuth2Session(client_id, scope=scope, redirect_uri=REDIRECT, code_challenge_method="S256",
                         token_endpoint_auth_method="none")


def authorize(s, **extra):
    """The /authorize round trip from a browser without cookies (no SSO session: auto mode signs in
    each time); returns (verifier, nonce, state, response, answer parameters)."""
    browser.cookies.clear()
    verifier, nonce = generate_token(48), generate_token(20)
    uri, state = s.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce, **extra)
    r = browser.get(uri, allow_redirects=False, timeout=5)
    answer = {k: v[0] for k, v in parse_qs(urlsplit(r.headers.get("Location", "")).query).items()}
    return verifier, nonce, state, r, answer


def id_token_claims(token, client_id, nonce):
    claims = jwt.decode(token["id_token"], jwks, claims_cls=CodeIDToken,
                        claims_options={"iss": {"essential": True, "value": issuer},
                                        "aud": {"essential": True, "value": client_id}},
                        claims_params={"nonce": nonce, "client_id": client_id, "access_token": token["access_token"]})
    claims.validate()  # exp, iat, iss, aud, nonce, azp and at_hash (OIDC Core §3.1.3.7, §3.1.3.8)
    return claims


def userinfo_status(access_token):
    return requests.get(meta["userinfo_endpoint"], headers={"Authorization": "Bearer " + access_token}, timeout=5).status_code


for client_id, secret in (("spa", None), ("web", "web")):
    what = f"{client_id} ({'client_secret_basic' if secret else 'public, no client authentication'})"
    s = session(client_id, secret)
    verifier, nonce, state, r, answer = authorize(s)
    location = r.headers.get("Location", "")
    check(f"{what}: auto mode answers /authorize with a redirect carrying a code",
          r.status_code == 302 and location.startswith(REDIRECT + "?") and "code" in answer, f"{r.status_code} {location}")
    check(f"{what}: the answer carries state and iss (RFC 9207)",
          answer.get("state") == state and answer.get("iss") == issuer, answer)
    try:
        tok = s.fetch_token(meta["token_endpoint"], authorization_response=location, code_verifier=verifier)
    except OAuthError as e:
        check(f"{what}: fetch_token with the code_verifier", False, f"{e.error}: {e.description}")
        continue
    check(f"{what}: fetch_token with the code_verifier gives access, ID and refresh tokens",
          all(tok.get(k) for k in ("access_token", "id_token", "refresh_token")), sorted(tok))
    try:
        claims = id_token_claims(tok, client_id, nonce)
        check(f"{what}: Authlib's jose validates the ID token (signature, iss, aud, nonce, at_hash)", True)
        check(f"{what}: auto mode signs in the first user", claims["sub"] == ALICE, claims.get("sub"))
    except Exception as e:  # noqa: BLE001 - any validation complaint is a failure
        check(f"{what}: Authlib's jose validates the ID token (signature, iss, aud, nonce, at_hash)", False, repr(e))

    try:
        new = s.refresh_token(meta["token_endpoint"], refresh_token=tok["refresh_token"])
        check(f"{what}: offline_access: the refresh token refreshes",
              new.get("access_token") and new.get("refresh_token") not in (None, tok["refresh_token"]), sorted(new))
    except OAuthError as e:
        check(f"{what}: offline_access: the refresh token refreshes", False, f"{e.error}: {e.description}")
        new = {}

    # RFC 6749 §4.1.2: the code is single use, and a second use revokes what the first issued.
    try:
        s.fetch_token(meta["token_endpoint"], authorization_response=location, code_verifier=verifier)
        check(f"{what}: a code used twice is refused", False, "accepted")
    except OAuthError as e:
        check(f"{what}: a code used twice is refused with invalid_grant", e.error == "invalid_grant", e.error)
    check(f"{what}: the reuse revoked the first access token", userinfo_status(tok["access_token"]) == 401,
          userinfo_status(tok["access_token"]))
    if new:
        check(f"{what}: the reuse revoked the refreshed access token", userinfo_status(new["access_token"]) == 401,
              userinfo_status(new["access_token"]))

s = session("spa", scope="openid profile")
verifier, nonce, state, r, answer = authorize(s, login_hint="bob")
tok = s.fetch_token(meta["token_endpoint"], authorization_response=r.headers["Location"], code_verifier=verifier)
claims = id_token_claims(tok, "spa", nonce)
check("login_hint=bob: auto mode signs in bob", claims["sub"] == BOB, claims.get("sub"))
check("without offline_access: no refresh token", "refresh_token" not in tok, sorted(tok))

verifier, nonce, state, r, answer = authorize(s)
try:
    s.fetch_token(meta["token_endpoint"], authorization_response=r.headers["Location"], code_verifier=generate_token(48))
    check("a wrong code_verifier is refused", False, "accepted")
except OAuthError as e:
    check("a wrong code_verifier is refused with invalid_grant (RFC 7636 §4.6)", e.error == "invalid_grant", e.error)

_, _, _, r, answer = authorize(session("spa", scope="openid"), login_hint="nobody")
check("login_hint naming no user: login_required at the redirect URI", answer.get("error") == "login_required", answer)

# Measure: authorize (302 with the code) -> token (with PKCE) over HTTP, keep-alive connections.
times = []
s = session("spa", scope="openid profile")
for _ in range(20):
    t0 = time.perf_counter()
    verifier, nonce, state, r, answer = authorize(s)
    tok = s.fetch_token(meta["token_endpoint"], authorization_response=r.headers["Location"], code_verifier=verifier)
    times.append((time.perf_counter() - t0) * 1000)
check("measure: every timed code flow gets tokens", len(times) == 20)
print(f"# measured: auto-mode code flow over HTTP (GET /authorize -> 302 with code -> POST /oauth/token with PKCE, "
      f"Authlib + requests), median of 20: {statistics.median(times):.1f} ms "
      f"(min {min(times):.1f}, max {max(times):.1f})")

checks.finish()
