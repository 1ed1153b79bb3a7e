// The wire format of the messages between instances (SPEC §4), pure.
//
// The PostgreSQL channel is not a trusted path: any role that may NOTIFY on
// the database can put a payload on it (security issue #23). So every
// message, of every type, is one AEAD box (XChaCha20-Poly1305, libsodium)
// under a key derived from the service's seal key, and what an instance
// needs to route it travels beside the box as associated data:
//
//   {"v":2, "origin":"ins_…", "account":"acc_…", "device":"…",
//    "type":"verification_code"|"challenge_resolved"|"signed_out",
//    "id":"msg_…", "sent_at":<unix ms>, "box":"<base64(nonce || ciphertext)>"}
//
// The associated data binds all those members (length-prefixed, behind a
// version label), so a box lifted from one message opens under no other
// account, device, type, origin, id or time. The box holds the
// notification as the one encoder writes it for another instance
// (wire::EncodeNotification, Audience::kRelay: the code of a code request,
// the challenge, outcome or reason, the session a signed_out is limited to,
// the requester and its address and location), so neither codes nor the
// requester's IP ever sit in the database's notification queue in clear;
// the kind sealed must be the one the envelope names. A fresh random nonce
// per message (24 bytes: random nonces are safe).
//
// Version 2 (this one) seals the relay JSON; version 1 sealed a code-length
// byte, the code and a body of its own. Instances of the two versions do
// not open each other's messages (docs/POSTGRES.md: devices of the other
// version's instance fetch their codes from /v1/notifications/pending).
// fuzz/tools/seal_fanout_message.py seals the same format independently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ports/notifier.h"
#include "base/random.h"

namespace twostep::pg {

struct FanoutEnvelope {
  std::string origin;      // the sending instance's id
  std::string account_id;
  std::string device_id;
  std::string message_id;  // random, one per message: replays are recognised by it
  int64_t sent_at_ms = 0;  // the sender's wall clock, unix milliseconds
};

struct FanoutMessage {
  FanoutEnvelope envelope;
  Notification notification;
};

// The fan-out key: BLAKE2b key derivation (crypto_kdf) from the 32-byte
// seal key with a context of its own, so the key that seals codes in the
// challenge rows never seals a fan-out message and the two boxes cannot be
// swapped for each other.
std::string FanoutKey(std::string_view seal_key);

std::string SealFanoutMessage(std::string_view key, const FanoutEnvelope& envelope,
                              const Notification& notification, Random& random);

// nullopt unless the payload is a well-formed message whose box opens under
// `key` with exactly these envelope members.
std::optional<FanoutMessage> OpenFanoutMessage(std::string_view key, std::string_view payload);

}  // namespace twostep::pg
