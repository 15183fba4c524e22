#!/usr/bin/env python3
"""Client certificates for scripts/mtls.sh, made with python3-cryptography (not with authemu):

  mtls_certs.py DIR

writes into DIR: team-ca.pem (a CA of the test's own, given to authemu by --tls-client-ca),
team-svc.pem / team-svc-key.pem (CN=svc from it), expired.pem / expired-key.pem (CN=svc from it,
expired in 2020), other-svc.pem / other-svc-key.pem (CN=svc from a CA authemu does not trust),
self.pem / self-key.pem and self2.pem / self2-key.pem (self-signed, EC P-256), jwks.json
(self.pem's public key as a JWK set, RFC 7517) and self-x5c.json (another key, with self.pem in
its x5c)."""
import base64
import datetime
import json
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

out = sys.argv[1]
now = datetime.datetime.now(datetime.timezone.utc)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def save(name, cert, key):
    with open(f"{out}/{name}.pem", "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(f"{out}/{name}-key.pem", "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))


def issue(cn, issuer_name, issuer_key, not_before, not_after, key=None):
    key = key or ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name or subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .sign(issuer_key or key, hashes.SHA256()))
    return cert, key


def make_ca(cn):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(key, hashes.SHA256()))
    return cert, key


# The team's CA, which authemu trusts by --tls-client-ca: CN=svc from it, valid and long expired.
team, team_key = make_ca("team CA")
with open(f"{out}/team-ca.pem", "wb") as f:
    f.write(team.public_bytes(serialization.Encoding.PEM))
cert, key = issue("svc", team.subject, team_key, now - datetime.timedelta(hours=1), now + datetime.timedelta(days=1))
save("team-svc", cert, key)
cert, key = issue("svc", team.subject, team_key, datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc),
                  datetime.datetime(2020, 1, 2, tzinfo=datetime.timezone.utc))
save("expired", cert, key)

# A CA authemu does not trust, and CN=svc from it.
other, other_key = make_ca("not a trusted CA")
cert, key = issue("svc", other.subject, other_key, now - datetime.timedelta(hours=1), now + datetime.timedelta(days=1))
save("other-svc", cert, key)

# Two self-signed certificates; the first one's key is the client's registered JWK.
for name in ("self", "self2"):
    cert, key = issue(name, None, None, now - datetime.timedelta(hours=1), now + datetime.timedelta(days=30))
    save(name, cert, key)
    if name == "self":
        n = key.public_key().public_numbers()
        jwk = {"kty": "EC", "crv": "P-256", "x": b64url(n.x.to_bytes(32, "big")), "y": b64url(n.y.to_bytes(32, "big"))}
        json.dump({"keys": [jwk]}, open(f"{out}/jwks.json", "w"))
        der = cert.public_bytes(serialization.Encoding.DER)
        x5c_only = {"kty": "EC", "crv": "P-256", "x": b64url((n.x + 1).to_bytes(32, "big")), "y": jwk["y"],
                    "x5c": [base64.b64encode(der).decode()]}
        json.dump({"keys": [x5c_only]}, open(f"{out}/self-x5c.json", "w"))
