#!/usr/bin/python3
"""Debian's Authlib authenticates its clients with JWTs against authemu (RFC 7523): PrivateKeyJWT
with an RSA key (RS256) and ClientSecretJWT (HS256), each with the client credentials grant;
then the second use of one Authlib-signed assertion is refused. Authlib signs assertions valid for
an hour by default; authemu takes at most 5 minutes ahead, so each signer is given a 2-minute exp.

Usage: keyauth_authlib.py ISSUER KEYS_JSON. Prints "ok - ..." / "not ok - ..." lines.
"""
import base64
import json
import os
import sys
import time

os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # http:// on loopback

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import ClientSecretJWT, PrivateKeyJWT, client_secret_jwt_sign

import checks
from checks import check

issuer, keys_file = sys.argv[1], sys.argv[2]
with open(keys_file) as f:
    keys = json.load(f)
token_endpoint = issuer + "/oauth/token"
SHARED = "a-shared-secret-that-is-32-bytes-long!"


def short():
    return {"exp": int(time.time()) + 120}


def claims_of(token):
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


for name, client_id, secret, auth in [
    ("PrivateKeyJWT (RS256)", "pkjwt-multi", keys["rs256"], PrivateKeyJWT(token_endpoint, alg="RS256", claims=short())),
    ("ClientSecretJWT (HS256)", "sjwt", SHARED, ClientSecretJWT(token_endpoint, claims=short())),
]:
    try:
        s = OAuth2Session(client_id, secret, token_endpoint_auth_method=auth)
        tok = s.fetch_token(token_endpoint, grant_type="client_credentials")
        check(f"Authlib {name} gets a token", claims_of(tok["access_token"])["client_id"] == client_id, str(tok))
    except Exception as e:  # noqa: BLE001 - any failure is the check's
        check(f"Authlib {name} gets a token", False, repr(e))

assertion = client_secret_jwt_sign(SHARED, "sjwt", token_endpoint, claims=short())
form = {
    "grant_type": "client_credentials",
    "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    "client_assertion": assertion.decode() if isinstance(assertion, bytes) else assertion,
}
first = requests.post(token_endpoint, data=form, timeout=5)
second = requests.post(token_endpoint, data=form, timeout=5)
check("an Authlib assertion is single use: 200, then 401 assertion replayed",
      first.status_code == 200 and second.status_code == 401
      and "assertion replayed" in second.json().get("error_description", ""),
      f"{first.status_code} {second.status_code} {second.text}")
checks.finish()
