#!/usr/bin/python3
"""Interop: Debian's PyJWT, a third-party library, verifies authemu tokens through discovery and JWKS.

Usage: interop_pyjwt.py ISSUER, or interop_pyjwt.py --algorithms ORIGIN SECRET for a server started with
tests/data/algorithms.yaml (environments es, ps, hs of ES256, PS256 and HS256 with that secret).
Prints "ok - ..." / "not ok - ..." lines; exit 1 on any failure.
Run with Debian's /usr/bin/python3 (python3-jwt); the expiry checks use PyJWT's leeway rather than
waiting: a negative leeway moves PyJWT's "now" for exp forward by that much
(iat and nbf checks are off for those two calls, as the same leeway would apply to them).
"""
import base64
import json
import sys
import urllib.parse
import urllib.request

import jwt

import checks
from checks import check

issuer = sys.argv[1]


def get_json(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return json.load(r)


def token(client_id, secret, scope=None):
    form = {"grant_type": "client_credentials"}
    if scope:
        form["scope"] = scope
    req = urllib.request.Request(issuer_meta["token_endpoint"], data=urllib.parse.urlencode(form).encode())
    req.add_header("Authorization", "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode())
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.load(r)


def algorithms(origin, secret):
    """Each environment's tokens verify with PyJWT under its own algorithm only (RFC 8725 §3.1)."""
    global issuer, issuer_meta
    for env, alg in [("es", "ES256"), ("ps", "PS256"), ("hs", "HS256")]:
        issuer = f"{origin}/{env}/api/auth"
        issuer_meta = get_json(issuer + "/.well-known/openid-configuration")
        check(f"{alg}: discovery lists the algorithm", issuer_meta["id_token_signing_alg_values_supported"] == [alg],
              issuer_meta["id_token_signing_alg_values_supported"])
        access = token("testing", "testing")["access_token"]
        check(f"{alg}: the token header names it", jwt.get_unverified_header(access)["alg"] == alg)
        jwks = get_json(issuer_meta["jwks_uri"])
        if alg == "HS256":
            check("HS256: the JWKS publishes no key", jwks == {"keys": []}, jwks)
            key = secret
        else:
            key = jwt.PyJWKClient(issuer_meta["jwks_uri"]).get_signing_key_from_jwt(access).key
        try:
            claims = jwt.decode(access, key, algorithms=[alg], audience="testing", issuer=issuer)
            check(f"{alg}: signature, issuer, audience and expiry verify", claims["client_id"] == "testing", claims)
        except jwt.PyJWTError as e:
            check(f"{alg}: signature, issuer, audience and expiry verify", False, repr(e))
        head, payload, sig = access.split(".")
        try:
            jwt.decode(f"{head}.{payload}.{sig[:-4]}AAAA", key, algorithms=[alg], audience="testing", issuer=issuer)
            check(f"{alg}: a changed signature is refused", False, "accepted")
        except jwt.PyJWTError:
            check(f"{alg}: a changed signature is refused", True)
        if alg == "ES256":
            check("ES256: the signature is r||s, 64 bytes", len(base64.urlsafe_b64decode(sig + "==")) == 64)
    checks.finish()


if issuer == "--algorithms":
    algorithms(sys.argv[2], sys.argv[3])

issuer_meta = get_json(issuer + "/.well-known/openid-configuration")
check("discovery issuer matches", issuer_meta["issuer"] == issuer, issuer_meta["issuer"])

jwks_client = jwt.PyJWKClient(issuer_meta["jwks_uri"])
resp = token("testing", "testing")
access = resp["access_token"]
key = jwks_client.get_signing_key_from_jwt(access)
check("PyJWKClient finds the signing key by kid", key.key_id == jwt.get_unverified_header(access)["kid"])

options = {"require": ["exp", "iat", "iss", "aud", "sub", "jti", "nbf"]}
try:
    claims = jwt.decode(access, key.key, algorithms=["RS256"], audience="testing", issuer=issuer, options=options)
    check("signature, issuer, audience and expiry verify", True)
    check("exp - iat equals expires_in", claims["exp"] - claims["iat"] == resp["expires_in"], claims)
    check("RFC 9068 claims sub and client_id", claims["sub"] == "testing" and claims["client_id"] == "testing", claims)
except jwt.PyJWTError as e:
    check("signature, issuer, audience and expiry verify", False, repr(e))

try:
    jwt.decode(access, key.key, algorithms=["RS256"], audience="testing", issuer=issuer, leeway=-3500,
               options={"verify_iat": False, "verify_nbf": False})
    check("still valid 3500 s from now", True)
except jwt.PyJWTError as e:
    check("still valid 3500 s from now", False, repr(e))

try:
    jwt.decode(access, key.key, algorithms=["RS256"], audience="testing", issuer=issuer, leeway=-3601,
               options={"verify_iat": False, "verify_nbf": False})
    check("expired 3601 s from now", False, "accepted")
except jwt.ExpiredSignatureError:
    check("expired 3601 s from now", True)

try:
    jwt.decode(access, key.key, algorithms=["RS256"], audience="testing", issuer="http://other/api/auth")
    check("another issuer is refused", False, "accepted")
except jwt.InvalidIssuerError:
    check("another issuer is refused", True)

head, payload, sig = access.split(".")
tampered_payload = base64.urlsafe_b64encode(
    json.dumps({**json.loads(base64.urlsafe_b64decode(payload + "==")), "sub": "admin"}).encode()).decode().rstrip("=")
for name, bad in [("tampered payload", f"{head}.{tampered_payload}.{sig}"),
                  ("truncated signature", f"{head}.{payload}.{sig[:-8]}")]:
    try:
        jwt.decode(bad, key.key, algorithms=["RS256"], audience="testing", issuer=issuer)
        check(f"{name} is refused", False, "accepted")
    except jwt.InvalidSignatureError:
        check(f"{name} is refused", True)
    except jwt.DecodeError:
        check(f"{name} is refused", True)

checks.finish()
