#!/usr/bin/python3
"""Interop: Debian's Authlib, a third-party OAuth client, runs the token lifecycle against authemu:
password -> refresh -> introspect -> revoke -> introspect, with HTTP Basic and with client_secret_post,
and validates the discovery document with Authlib's RFC 8414 and OIDC Discovery validators.

Usage: interop_authlib.py ISSUER. Prints "ok - ..." / "not ok - ..." lines; exit 1 on any failure.
"""
import os
import sys

os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # http:// on loopback

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from authlib.oidc.discovery import OpenIDProviderMetadata

import checks
from checks import check

issuer = sys.argv[1]


meta = requests.get(issuer + "/.well-known/openid-configuration", timeout=5).json()
for name, validator in [("RFC 8414", AuthorizationServerMetadata), ("OIDC Discovery", OpenIDProviderMetadata)]:
    doc = validator(meta)
    try:
        # Only what the server offers: no authorization endpoint, as no grant here uses one.
        for key in [k for k in dir(doc) if k.startswith("validate_") and k != "validate"]:
            if key in ("validate_authorization_endpoint", "validate_response_types_supported"):
                continue
            getattr(doc, key)()
        check(f"{name} metadata validates", True)
    except Exception as e:  # noqa: BLE001 - any validator complaint is a failure
        check(f"{name} metadata validates", False, repr(e))

for method in ("client_secret_basic", "client_secret_post"):
    s = OAuth2Session("testing", "testing", token_endpoint_auth_method=method, scope="openid profile")
    tok = s.fetch_token(meta["token_endpoint"], username="alice", password="alice")
    check(f"{method}: password grant gives access and refresh tokens",
          tok.get("access_token") and tok.get("refresh_token") and tok.get("expires_in") == 300, tok)
    check(f"{method}: scope granted", tok.get("scope") == "openid profile", tok.get("scope"))

    new = s.refresh_token(meta["token_endpoint"], refresh_token=tok["refresh_token"])
    check(f"{method}: refresh rotates the refresh token", new["refresh_token"] != tok["refresh_token"])

    r = s.introspect_token(meta["introspection_endpoint"], token=new["access_token"], token_type_hint="access_token")
    info = r.json()
    check(f"{method}: introspection says active", r.status_code == 200 and info.get("active") is True, info)
    check(f"{method}: introspection names the user and client",
          info.get("username") == "alice" and info.get("client_id") == "testing", info)

    r = s.revoke_token(meta["revocation_endpoint"], token=new["refresh_token"], token_type_hint="refresh_token")
    check(f"{method}: revocation answers 200", r.status_code == 200, r.status_code)

    for kind in ("access_token", "refresh_token"):
        r = s.introspect_token(meta["introspection_endpoint"], token=new[kind])
        check(f"{method}: after revocation the {kind} is inactive", r.json() == {"active": False}, r.text)

    try:
        s.refresh_token(meta["token_endpoint"], refresh_token=tok["refresh_token"])
        check(f"{method}: a rotated refresh token is refused", False, "accepted")
    except OAuthError as e:
        check(f"{method}: a rotated refresh token is refused", e.error == "invalid_grant", e.error)

bad = OAuth2Session("testing", "testing", scope="openid")
try:
    bad.fetch_token(meta["token_endpoint"], username="alice", password="wrong")
    check("a wrong password is refused", False, "accepted")
except OAuthError as e:
    check("a wrong password is invalid_grant", e.error == "invalid_grant", e.error)

checks.finish()
