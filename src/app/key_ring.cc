#include "app/key_ring.h"

#include <spdlog/spdlog.h>

#include "adapters/sodium/key_generations.h"

namespace twostep::app {

namespace {

std::vector<StoredKeyGeneration> ReadGenerations(Store& store) {
  auto tx = store.BeginRead();
  auto generations = tx->ListKeyGenerations();
  tx->Commit();
  return generations;
}

void WarnUnopened(const ServerKeys& files, const std::vector<StoredKeyGeneration>& generations) {
  for (const auto& g : generations)
    if (!OpenKeyGeneration(files, g))
      spdlog::warn(R"({{"event":"key_generation_unusable","id":"{}","note":"sealed under a key file this instance does not have"}})",
                   g.id);
}

}  // namespace

LiveKeyRing::LiveKeyRing(ServerKeys files, Store& store)
    : files_(std::move(files)), store_(store), ring_(files_) {
  const auto generations = ReadGenerations(store_);
  WarnUnopened(files_, generations);
  Adopt(generations);
}

std::optional<KeyPair> LiveKeyRing::Find(Transaction& tx, const std::string& key_id) const {
  if (auto pair = ring_.Get()->ForKeyId(key_id)) return pair;
  Adopt(tx.ListKeyGenerations());
  return ring_.Get()->ForKeyId(key_id);
}

void LiveKeyRing::Reload() {
  Adopt(ReadGenerations(store_));
  spdlog::info(R"({{"event":"keys_loaded","key_id":"{}"}})", ring_.Get()->key_id);
}

void LiveKeyRing::Adopt(const std::vector<StoredKeyGeneration>& generations) const {
  std::lock_guard lock(adopt_mutex_);
  const std::optional<Timestamp> newest =
      generations.empty() ? std::nullopt : std::optional(generations.back().created_at);
  if (newest_ && (!newest || *newest < *newest_)) return;
  newest_ = newest;
  ring_.Set(KeyRingOf(files_, generations));
}

}  // namespace twostep::app
