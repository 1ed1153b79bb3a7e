// Random: the one source of randomness for codes, tokens, ids and secrets.
// Production is libsodium's CSPRNG (randombytes_buf); tests script the bytes.
#pragma once

#include <cstddef>
#include <span>

namespace twostep {

class Random {
 public:
  virtual ~Random() = default;
  virtual void Fill(std::span<std::byte> out) = 0;  // thread-safe
};

}  // namespace twostep
