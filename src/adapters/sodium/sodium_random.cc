#include "adapters/sodium/sodium_random.h"

#include <stdexcept>

#include <sodium.h>

namespace twostep {

SodiumRandom::SodiumRandom() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

void SodiumRandom::Fill(std::span<std::byte> out) { randombytes_buf(out.data(), out.size()); }

}  // namespace twostep
