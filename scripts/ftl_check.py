"""TIBCO FTL end to end against a running authemu (scripts/ftl.sh): FTL's three ways to a token
with the embedded default fixture's ftl-client (client credentials, password with refresh, a minted
token), each verified by PyJWT against the JWKS and against the PEM of keys.pem; then the YAML of
`authemu export ftl`, parsed, every key and value checked against the server and those tokens.

usage: ftl_check.py ISSUER EXPORT_FTL_YAML MINTED_TOKEN"""
import base64
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

import jwt
import yaml
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from checks import check, finish

issuer, yaml_file, minted = sys.argv[1], sys.argv[2], sys.argv[3]


def get(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.status, r.read()


def token(form, client_id, secret):
    req = urllib.request.Request(issuer + "/oauth/token", data=urllib.parse.urlencode(form).encode())
    req.add_header("Authorization", "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def verified(tok, audience):
    """The claims, verified once with the JWKS's key and once with the PEM of keys.pem."""
    key = jwt.PyJWKClient(issuer + "/keys").get_signing_key_from_jwt(tok).key
    claims = jwt.decode(tok, key, algorithms=["RS256"], audience=audience, issuer=issuer)
    pems = get(issuer + "/keys.pem")[1].decode().split("-----END PUBLIC KEY-----\n")
    pem = load_pem_public_key((pems[0] + "-----END PUBLIC KEY-----\n").encode())
    return claims if jwt.decode(tok, pem, algorithms=["RS256"], audience=audience, issuer=issuer) == claims else None


# FTL's three modes with the embedded default.
status, cc = token({"grant_type": "client_credentials"}, "ftl-client", "ftl-client")
check("client credentials for ftl-client: 200", status == 200, cc)
cc_claims = verified(cc["access_token"], "ftl")
check("its token verifies with the JWKS and with keys.pem", cc_claims is not None)
check("it carries group [ftl] and preferred_username ftl-client",
      cc_claims["group"] == ["ftl"] and cc_claims["preferred_username"] == "ftl-client", cc_claims)
check("no refresh token with client credentials (RFC 6749 4.4.3)", "refresh_token" not in cc)

status, pw = token({"grant_type": "password", "username": "alice", "password": "alice"}, "ftl-client", "ftl-client")
check("password grant for alice through ftl-client: 200 with a refresh token", status == 200 and "refresh_token" in pw)
pw_claims = verified(pw["access_token"], "ftl")
check("alice's token: her groups and name, not the client's",
      pw_claims["group"] == ["ftl-admin", "ftl"] and pw_claims["preferred_username"] == "alice", pw_claims)
status, rt = token({"grant_type": "refresh_token", "refresh_token": pw["refresh_token"]}, "ftl-client", "ftl-client")
check("refresh: a new refresh token (rotation)", status == 200 and rt.get("refresh_token") != pw["refresh_token"])
status, again = token({"grant_type": "refresh_token", "refresh_token": pw["refresh_token"]}, "ftl-client",
                      "ftl-client")
check("the rotated-out refresh token is refused", status == 400 and again.get("error") == "invalid_grant", again)

minted_claims = verified(minted, "ftl")
check("a minted ftl-client token verifies and carries group [ftl]",
      minted_claims is not None and minted_claims["group"] == ["ftl"], minted_claims)

# The FTL server YAML, key by key.
with open(yaml_file) as f:
    doc = yaml.safe_load(f)
g = doc["globals"]
props = doc["servers"]["FTL1"][0]["ftlserver.properties"]
discovery = json.loads(get(issuer + "/.well-known/openid-configuration")[1])
check("auth.providers enables oauth2", "oauth2" in g["auth.providers"].split(","))
check("oauth2.audience is the aud of both tokens",
      [g["oauth2.audience"]] == cc_claims["aud"] == pw_claims["aud"], g["oauth2.audience"])
roles, username = g["oauth2.claim.roles"], g["oauth2.claim.username"]
check("oauth2.claim.roles names the array both tokens carry the roles in",
      isinstance(cc_claims.get(roles), list) and "ftl" in pw_claims.get(roles, []), roles)
check("oauth2.claim.username names the claim of the names",
      cc_claims.get(username) == "ftl-client" and pw_claims.get(username) == "alice", username)
check("oauth2.ui.endpoint.auth is the authorization endpoint",
      g["oauth2.ui.endpoint.auth"] == discovery["authorization_endpoint"])
check("oauth2.ui.endpoint.token and oauth2.svr.endpoint.token are the token endpoint",
      g["oauth2.ui.endpoint.token"] == g["oauth2.svr.endpoint.token"] == discovery["token_endpoint"])
check("oauth2.ui.endpoint.logout is the end-session endpoint",
      g["oauth2.ui.endpoint.logout"] == discovery["end_session_endpoint"])
status, body = get(props["oauth2.validation.key"])
check("oauth2.validation.key answers with the JWKS", status == 200 and "keys" in json.loads(body))
for side in ("ui", "svr"):
    cid, secret = props[f"oauth2.{side}.client.id"], props[f"oauth2.{side}.client.secret"]
    status, _ = token({"grant_type": "client_credentials"}, cid, secret)
    check(f"oauth2.{side}.client.id and .secret get a token", status == 200 and cid == "ftl-client")
finish()
