// Random: the one source of randomness for codes, tokens, ids and secrets.
// Production is libsodium's CSPRNG (randombytes_buf); tests script the bytes.
// An interface like the ports, but in base: the pure domain functions that
// draw codes and tokens take it, and the domain may not include the ports
// (which include the domain).
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
