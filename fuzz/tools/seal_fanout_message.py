#!/usr/bin/env python3
"""Seals fan-out messages (adapters/postgres/fanout_message.h) with libsodium
through ctypes: an implementation independent of the C++ one, written from
the documented format. Writes the fuzz seeds of corpus/fanout_message/ and
prints the payload FanoutMessageFormatTest opens.

  python3 fuzz/tools/seal_fanout_message.py fuzz/corpus/fanout_message
"""
import base64
import ctypes
import ctypes.util
import json
import pathlib
import sys

sodium = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
assert sodium.sodium_init() >= 0

LABEL = b"twostep fan-out v2"
SEAL_KEY = b"k" * 32  # the seed corpus key (fuzz_fanout_message.cc)
NONCE = bytes(range(24))  # fixed, so the seeds are reproducible


def fanout_key(seal_key):
    out = ctypes.create_string_buffer(32)
    sodium.crypto_kdf_derive_from_key(out, ctypes.c_size_t(32), ctypes.c_uint64(1),
                                      ctypes.c_char_p(b"tsfanout"), seal_key)
    return out.raw


def associated_data(env, msg_type):
    ad = LABEL
    for part in (env["origin"], env["account"], env["device"], msg_type, env["id"],
                 str(env["sent_at"])):
        b = part.encode()
        ad += len(b).to_bytes(4, "big") + b
    return ad


def seal(env, body):
    plain = json.dumps(body, separators=(",", ":")).encode()
    ad = associated_data(env, body["type"])
    cipher = ctypes.create_string_buffer(len(plain) + 16)
    clen = ctypes.c_ulonglong()
    sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
        cipher, ctypes.byref(clen), plain, ctypes.c_ulonglong(len(plain)), ad,
        ctypes.c_ulonglong(len(ad)), None, NONCE, fanout_key(SEAL_KEY))
    box = base64.b64encode(NONCE + cipher.raw[:clen.value]).decode()
    return json.dumps({"v": 2, **{k: env[k] for k in ("origin", "account", "device")},
                       "type": body["type"], "id": env["id"], "sent_at": env["sent_at"],
                       "box": box}, separators=(",", ":"))


ENV = {"origin": "ins_0123", "account": "acc_1", "device": "phone-0001", "id": "msg_1",
       "sent_at": 1700000000123}
SEEDS = {
    "sealed-signed-out": {"type": "signed_out", "reason": "device_removed", "family": "fam_7"},
    "sealed-resolved": {"type": "challenge_resolved", "challenge_id": "chl_9",
                        "outcome": "verified"},
    "sealed-code": {"type": "verification_code", "challenge_id": "chl_0123", "code": "482913",
                    "expires_in": 600, "requested_at": "2023-11-14T22:13:20Z",
                    "requested_at_ms": 1700000000000,
                    "requester": {"device": {"name": "Laptop", "model": "X1", "os": "Linux",
                                             "app": "kasa", "app_version": "1.0",
                                             "id": "laptop-1"},
                                  "ip": "203.0.113.7",
                                  "location": {"city": "Prague", "region": "Prague",
                                               "country": "Czechia", "country_code": "CZ"}}},
}

if __name__ == "__main__":
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else None
    for name, body in SEEDS.items():
        payload = seal(ENV, body)
        if out:
            (out / name).write_text(payload)
        print(name, payload)
