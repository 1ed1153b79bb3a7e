// The Login Security summary's store reads on SQLite (issue #18 part 4), the
// two ways in one run: Arg 0 as before, a read transaction (BEGIN, the
// token, the account, the trusted devices, ROLLBACK); Arg 1 as now, one
// statement (Store::ReadSecurityFacts, one round trip on PostgreSQL). Here
// in-process, so it shows what the single statement costs SQLite.
#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "adapters/sqlite/sqlite_store.h"
#include "domain/digests.h"

using namespace twostep;

namespace {

void BM_SecurityRead(benchmark::State& state) {
  char dir_template[] = "/tmp/twostep-microbench-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const Timestamp now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  constexpr int kAccounts = 10000;
  std::vector<std::string> hashes;
  {
    sqlite::SqliteStore store(dir + "/t.db");
    auto tx = store.Begin();
    for (int i = 0; i < kAccounts; ++i) {
      const std::string n = std::to_string(i);
      domain::Account a;
      a.id = "acc_" + n;
      a.email = "user" + n + "@example.com";
      a.password_hash = "x";
      a.registered_app = "kasa";
      a.created_at = a.password_changed_at = now;
      a.two_step_enabled = true;
      tx->InsertAccount(a);
      tx->TrustDevice(a.id, {"phone-" + n, "Phone", "P", "OS", "kasa", "1"}, "127.0.0.1", now, "s");
      tx->InsertTokenFamily({"fam_" + n, a.id, "phone-" + n, now, "s"});
      hashes.push_back(domain::HashToken("token-" + n));
      tx->InsertAccessToken(hashes.back(), "fam_" + n, now + std::chrono::hours(1));
    }
    tx->Commit();
  }
  {
    sqlite::SqliteStore store(dir + "/t.db");
    size_t i = 0;
    for (auto _ : state) {
      const std::string& hash = hashes[i++ % hashes.size()];
      size_t trusted = 0;
      if (state.range(0) == 0) {
        auto tx = store.BeginRead();
        auto grant = tx->FindValidAccess(hash, now);
        auto account = tx->FindAccountById(grant->account_id);
        trusted = tx->ListTrustedDevices(account->id).size();
      } else {
        trusted = store.ReadSecurityFacts(hash, now, "two_step")->trusted_devices.size();
      }
      if (trusted != 1) state.SkipWithError("wrong trusted count");
    }
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SecurityRead)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace
