// The store contract tests' fixture: each test runs on a fresh SQLite file
// and on a fresh PostgreSQL database (skipped when TEST_PG_URL is not set,
// failed when TEST_PG_REQUIRED is), so both backends answer the same.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "adapters/postgres/pg_store.h"
#include "adapters/sqlite/sqlite_store.h"
#include "testing/pg_test_database.h"
#include "testing/store_samples.h"
#include "testing/temp_dir.h"

namespace twostep::testing {

class StoreBackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  static constexpr const char* kFingerprint = "00112233445566778899aabbccddeeff";

  void SetUp() override {
    if (GetParam() != "postgresql") return;
    std::string why;
    pg_ = PgTestDatabase::Create(why);
    if (!pg_) {
      if (PgTestDatabase::Required()) FAIL() << why;
      GTEST_SKIP() << why;
    }
  }

  // A new store on this test's database (a second call: another process).
  std::unique_ptr<Store> Open() {
    if (GetParam() == "sqlite") return std::make_unique<sqlite::SqliteStore>(dir_.path() + "/t.db");
    return std::make_unique<pg::PgStore>(pg::PgSettings{pg_->url(), 4, std::chrono::seconds(10)},
                                         kFingerprint);
  }

  // One account (acc_1) with one open sign-in challenge (chl_1).
  void Seed(Store& store) {
    auto tx = store.Begin();
    ASSERT_TRUE(tx->InsertAccount(SampleAccount("acc_1", "a@example.com")));
    tx->InsertChallenge(SampleChallenge("chl_1", "acc_1"));
    tx->Commit();
  }

  TempDir dir_;
  std::unique_ptr<PgTestDatabase> pg_;
};

// Names the instances "sqlite" and "postgresql".
#define TWOSTEP_ON_BOTH_STORES(Suite)                                                   \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::Values("sqlite", "postgresql"), \
                           [](const auto& info) { return info.param; })

}  // namespace twostep::testing
