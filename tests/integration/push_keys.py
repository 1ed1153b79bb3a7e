"""Keys and JWT checks for the push fakes (push_fakes.py): test keys and a
test CA made at test time with `openssl`, and the verification of RS256 and
ES256 JWTs with the public halves, as FCM and APNs verify them."""

import base64
import json
import os
import subprocess

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def make_keys(directory):
    """Test keys and certificates, made now: an RSA service-account key
    (FCM), an EC P-256 .p8 key (APNs, PKCS#8 like Apple's), a CA and a
    server certificate for 127.0.0.1 signed by it. Returns their paths."""
    p = {name: os.path.join(directory, name) for name in (
        "fcm.pem", "fcm.pub", "apns.p8", "apns.pub", "other.p8", "ca.key", "ca.pem",
        "server.key", "server.csr", "server.pem", "san.cnf")}
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", p["fcm.pem"])
    openssl("pkey", "-in", p["fcm.pem"], "-pubout", "-out", p["fcm.pub"])
    for key in ("apns.p8", "other.p8"):
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", p[key])
    openssl("pkey", "-in", p["apns.p8"], "-pubout", "-out", p["apns.pub"])
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p["ca.key"], "-out",
            p["ca.pem"], "-days", "2", "-subj", "/CN=twostep test CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", p["server.key"], "-out",
            p["server.csr"], "-subj", "/CN=127.0.0.1")
    with open(p["san.cnf"], "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", p["server.csr"], "-CA", p["ca.pem"], "-CAkey", p["ca.key"],
            "-CAcreateserial", "-out", p["server.pem"], "-days", "2", "-extfile", p["san.cnf"])
    return p


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class JwtError(Exception):
    pass


def verify_jwt(token, public_key, alg):
    """(header, claims) of a compact JWT whose signature verifies under
    `public_key` with `alg` (RS256 or ES256, JOSE r||s); JwtError else."""
    try:
        head_b64, claims_b64, sig_b64 = token.split(".")
        header = json.loads(b64url_decode(head_b64))
        claims = json.loads(b64url_decode(claims_b64))
        sig = b64url_decode(sig_b64)
    except Exception as e:  # noqa: BLE001 - any malformation is the same refusal
        raise JwtError(f"malformed JWT: {e}")
    if header.get("alg") != alg:
        raise JwtError(f"alg {header.get('alg')!r}, expected {alg}")
    signing_input = f"{head_b64}.{claims_b64}".encode()
    try:
        if alg == "RS256":
            public_key.verify(sig, signing_input, padding.PKCS1v15(), hashes.SHA256())
        else:
            if len(sig) != 64:
                raise JwtError("ES256 signature is not 64 bytes of r||s")
            der = encode_dss_signature(int.from_bytes(sig[:32], "big"),
                                       int.from_bytes(sig[32:], "big"))
            public_key.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
    except JwtError:
        raise
    except Exception:  # noqa: BLE001 - InvalidSignature
        raise JwtError("bad signature")
    return header, claims


def load_public(path):
    with open(path, "rb") as f:
        return serialization.load_pem_public_key(f.read())
