#!/usr/bin/python3
"""A stand-in for a service under test: verifies one bearer token the way a typical Python service
does (PyJWT with the issuer's JWKS through discovery, audience and issuer checked, RS256 only).

Usage: service_under_test.py ISSUER AUDIENCE TOKEN. Prints "accepted" or the name of the PyJWT
exception that refused the token; exit 0 either way (the caller asserts which).
Run with Debian's /usr/bin/python3 (python3-jwt).
"""
import json
import sys
import urllib.request

import jwt

issuer, audience, token = sys.argv[1], sys.argv[2], sys.argv[3]
with urllib.request.urlopen(issuer + "/.well-known/openid-configuration", timeout=5) as r:
    discovery = json.load(r)
try:
    key = jwt.PyJWKClient(discovery["jwks_uri"]).get_signing_key_from_jwt(token).key
    jwt.decode(token, key, algorithms=discovery["id_token_signing_alg_values_supported"],
               audience=audience, issuer=issuer, options={"require": ["exp", "iat"]})
    print("accepted")
except (jwt.PyJWTError, jwt.PyJWKClientError) as e:
    print(type(e).__name__)
