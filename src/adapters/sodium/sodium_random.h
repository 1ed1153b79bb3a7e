// SodiumRandom: the production Random, libsodium's CSPRNG. Thread-safe.
#pragma once

#include "base/random.h"

namespace twostep {

class SodiumRandom : public Random {
 public:
  SodiumRandom();  // calls sodium_init(); throws if libsodium cannot start
  void Fill(std::span<std::byte> out) override;
};

}  // namespace twostep
