// Google Benchmark micro-suite for the hot domain paths: what every sign-in,
// code check and authenticated request pays besides the network and the
// password hash. `build/twostep_microbench` (bench/run.sh runs it briefly).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "adapters/sodium/sodium_random.h"
#include "adapters/sqlite/sqlite_store.h"
#include "domain/digests.h"
#include "domain/random_values.h"
#include "http/json_response.h"
#include "service/results.h"

using namespace twostep;

namespace {

SodiumRandom& Rng() {
  static SodiumRandom r;
  return r;
}

const std::string kKey(32, 'k');

void BM_GenerateCode(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(domain::GenerateCode(Rng()));
}
BENCHMARK(BM_GenerateCode);

void BM_HashCode(benchmark::State& state) {
  Secret code("123456");
  for (auto _ : state)
    benchmark::DoNotOptimize(domain::HashCode(kKey, "chl_0123456789abcdef0123456789abcdef", code));
}
BENCHMARK(BM_HashCode);

// The check of a submitted code against the stored HMAC (constant time).
void BM_CodeCheck(benchmark::State& state) {
  const std::string id = "chl_0123456789abcdef0123456789abcdef";
  const std::string stored = domain::HashCode(kKey, id, Secret("123456"));
  Secret wrong("654321");
  for (auto _ : state) benchmark::DoNotOptimize(domain::CodeMatches(kKey, id, wrong, stored));
}
BENCHMARK(BM_CodeCheck);

void BM_GenerateToken(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(domain::GenerateToken(Rng()));
}
BENCHMARK(BM_GenerateToken);

void BM_HashToken(benchmark::State& state) {
  Secret token = domain::GenerateToken(Rng());
  for (auto _ : state) benchmark::DoNotOptimize(domain::HashToken(token.Reveal()));
}
BENCHMARK(BM_HashToken);

// What authenticating a request costs in the store: hash the bearer token
// and look it up (one transaction), with state.range(0) tokens stored.
void BM_TokenLookup(benchmark::State& state) {
  char dir_template[] = "/tmp/twostep-microbench-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  std::vector<std::string> tokens;
  {
    sqlite::SqliteStore store(dir + "/t.db");
    const Timestamp now = std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
    auto tx = store.Begin();
    domain::Account a;
    a.id = "acc_bench";
    a.email = "bench@example.com";
    a.password_hash = "x";
    a.registered_app = "kasa";
    a.created_at = a.password_changed_at = now;
    tx->InsertAccount(a);
    for (long i = 0; i < state.range(0); ++i) {
      std::string family = "fam_" + std::to_string(i);
      tx->InsertTokenFamily({family, a.id, "device-000001", now});
      tokens.push_back(std::string(domain::GenerateToken(Rng()).Reveal()));
      tx->InsertAccessToken(domain::HashToken(tokens.back()), family, now + std::chrono::hours(1));
    }
    tx->Commit();
  }
  {
    sqlite::SqliteStore store(dir + "/t.db");
    size_t i = 0;
    for (auto _ : state) {
      const Timestamp now = std::chrono::time_point_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now());
      auto tx = store.Begin();
      auto grant = tx->FindValidAccess(domain::HashToken(tokens[i++ % tokens.size()]), now);
      tx->Commit();
      if (!grant) state.SkipWithError("token not found");
    }
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_TokenLookup)->Arg(10000)->Unit(benchmark::kMicrosecond);

void BM_EncodeSession(benchmark::State& state) {
  service::IssuedSession s;
  s.access_token = domain::GenerateToken(Rng());
  s.refresh_token = domain::GenerateToken(Rng());
  s.device_secret = domain::GenerateToken(Rng());
  s.expires_in = std::chrono::seconds(900);
  s.account_id = "acc_0123456789abcdef0123456789abcdef";
  s.email = "ann@example.com";
  for (auto _ : state) benchmark::DoNotOptimize(boost::json::serialize(http::EncodeSession(s)));
}
BENCHMARK(BM_EncodeSession);

}  // namespace

BENCHMARK_MAIN();
