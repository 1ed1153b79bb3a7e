// Generations of server keys kept in the store (issue #22): `twostepd keys
// rotate` makes a fresh pair, seals it under the key file's pair
// (security.keys_file, the same file on every instance) and inserts it; a
// reload (SIGHUP) or an instance that meets a code of an id it does not
// know reads the generations back and opens them. The newest generation
// makes new codes; every older one, the key file's pair and the extra key
// files still check and open the codes they made, so no open challenge
// breaks whichever instance it reaches.
//
// The key file stays the root: a generation is only as secret as the file
// (and the database alone reveals no key). Replacing the file itself is the
// file rotation of docs/OPERATIONS.md "Server keys".
#pragma once

#include <optional>
#include <vector>

#include "base/random.h"
#include "ports/server_keys.h"
#include "ports/store.h"

namespace twostep {

// How long a generation is kept after a newer one replaced it: longer than
// the longest code lifetime (security.code_ttl_s is at most one day), so
// every code it made has expired before it goes.
inline constexpr auto kKeepSupersededGeneration = std::chrono::hours(48);

// A fresh random pair sealed under `root`'s current pair, made at `now`.
StoredKeyGeneration NewKeyGeneration(const ServerKeys& root, Random& random, Timestamp now);

// The pair of `generation`, opened with `root`'s current pair or one of its
// others (a generation made before the key file itself was replaced);
// nullopt when none opens it or the pair does not match its id.
std::optional<KeyPair> OpenKeyGeneration(const ServerKeys& root,
                                         const StoredKeyGeneration& generation);

// The keys in force: the newest generation that opens makes new codes (or
// the key file's pair when there is none); the key file's pairs and every
// other generation are kept in `others`. Generations that do not open are
// left out (logged by the caller).
ServerKeys KeyRingOf(const ServerKeys& root, const std::vector<StoredKeyGeneration>& generations);

// The generations `twostepd keys rotate` may delete at `now`: those that a
// newer one replaced more than kKeepSupersededGeneration ago.
std::vector<std::string> RetiredGenerations(const std::vector<StoredKeyGeneration>& generations,
                                            Timestamp now);

}  // namespace twostep
