#!/usr/bin/env python3
"""Checks a License Desk license file (license-desk/v1) and prints what it grants.

    python3 verify_license.py license-V8WJNEE89Q6A.lic public-keys.json

public-keys.json is the answer of GET /api/public-keys, saved. Python's standard library has
no Ed25519, so this needs the `cryptography` package (pip install cryptography). The format is
described in docs/license-file.md. Exit status: 0 genuine, 1 not genuine, 2 the files could
not be read.
"""
import base64
import binascii
import json
import sys

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key
except ImportError:
    sys.exit("This verifier needs the cryptography package: pip install cryptography")


def stop(code, message):
    print(message, file=sys.stderr)
    sys.exit(code)


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as error:
        stop(2, f"cannot read {path}: {error}")


def main(license_path, keys_path):
    try:
        lic = json.loads(read(license_path))
        fmt, kid, alg, data, sig = (lic.get(k) for k in ("format", "kid", "alg", "data", "sig"))
    except (ValueError, AttributeError):
        stop(1, f"INVALID: {license_path} is not a JSON license file")
    try:
        keys = {k["kid"]: k["publicKeyPem"] for k in json.loads(read(keys_path))}
    except (ValueError, TypeError, KeyError) as error:
        stop(2, f"{keys_path} is not the JSON list of GET /api/public-keys: {error!r}")

    if fmt != "license-desk/v1" or alg != "Ed25519":
        stop(1, f"INVALID: not a license-desk/v1 file signed with Ed25519 (format {fmt!r}, alg {alg!r})")
    # The key id only picks the key; a retired key still verifies the files it signed.
    if not isinstance(kid, str) or kid not in keys:
        stop(1, f"INVALID: key {kid} is not among the published public keys")
    key = load_pem_public_key(keys[kid].encode("ascii"))
    if not isinstance(key, Ed25519PublicKey):
        stop(2, f"key {kid}: publicKeyPem is not an Ed25519 public key")
    try:
        signature = base64.b64decode(sig, validate=True)
    except (binascii.Error, TypeError):
        signature = b""
    if len(signature) != 64:
        stop(1, "INVALID: sig is not a padded base64 Ed25519 signature of 64 bytes")
    try:
        # The signed message is the data string itself (its ASCII bytes), not the JSON it encodes.
        key.verify(signature, data.encode("ascii"))
    except (InvalidSignature, AttributeError, UnicodeEncodeError):
        stop(1, f"INVALID: the signature does not match the data for key {kid}; the file was changed after signing")
    grants = json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    print(f"VALID: signed by key {kid}")
    print(json.dumps(grants, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        stop(2, "usage: python3 verify_license.py <license.lic> <public-keys.json>")
    main(sys.argv[1], sys.argv[2])
