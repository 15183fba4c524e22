#!/usr/bin/env python3
"""Client certificates for scripts/mtls.sh, made with python3-cryptography (not with authemu):

  mtls_certs.py DIR CA_CERT CA_KEY

writes into DIR: other-svc.pem / other-svc-key.pem (CN=svc from a CA authemu does not trust),
expired.pem / expired-key.pem (CN=svc from authemu's CA, expired in 2020), self.pem / self-key.pem
and self2.pem / self2-key.pem (self-signed, EC P-256), and jwks.json (self.pem's public key as a JWK
set, RFC 7517), and self-x5c.json (the same key with its certificate in x5c)."""
import base64
import datetime
import json
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

out, ca_cert_file, ca_key_file = sys.argv[1:4]
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


# A CA of its own, and CN=svc from it.
other_key = ec.generate_private_key(ec.SECP256R1())
other_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "not authemu's CA")])
cert, key = issue("svc", other_name, other_key, now - datetime.timedelta(hours=1), now + datetime.timedelta(days=1))
save("other-svc", cert, key)

# CN=svc from authemu's own CA (kept in --tls-ca-dir), long expired.
ca_cert = x509.load_pem_x509_certificate(open(ca_cert_file, "rb").read())
ca_key = serialization.load_pem_private_key(open(ca_key_file, "rb").read(), password=None)
cert, key = issue("svc", ca_cert.subject, ca_key, datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc),
                  datetime.datetime(2020, 1, 2, tzinfo=datetime.timezone.utc))
save("expired", cert, key)

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
