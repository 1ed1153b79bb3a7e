#include "app/keys_command.h"

#include <algorithm>

#include "adapters/sodium/key_generations.h"
#include "adapters/sodium/server_keys_file.h"
#include "adapters/sodium/sodium_random.h"
#include "adapters/system/system_clock.h"
#include "app/open_store.h"

namespace twostep::app {

int RotateKeys(const Config& config, std::ostream& out) {
  const ServerKeys files =
      LoadServerKeys(config.security.keys_file, config.security.extra_keys_files);
  SystemClock clock;
  SodiumRandom random;
  auto store = OpenStore(config, files, clock, StoreUser::kTool);
  auto tx = store->Begin();
  auto generations = tx->ListKeyGenerations();
  // Strictly after the newest, so that the order of the list is the order
  // of the rotations even within one millisecond (or a clock set back).
  Timestamp now = clock.Now();
  if (!generations.empty())
    now = std::max(now, generations.back().created_at + std::chrono::milliseconds(1));
  const StoredKeyGeneration next = NewKeyGeneration(files, random, now);
  generations.push_back(next);
  const auto retired = RetiredGenerations(generations, now);
  for (const auto& id : retired) tx->DeleteKeyGeneration(id);
  tx->InsertKeyGeneration(next);
  tx->Commit();
  out << "new key generation " << next.id << " (" << retired.size()
      << " retired); reload every instance to make codes with it: systemctl reload twostepd\n";
  return 0;
}

}  // namespace twostep::app
