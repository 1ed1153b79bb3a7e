// PgTestDatabase: a fresh, empty PostgreSQL database for one test, created
// in the cluster that TEST_PG_URL names (scripts/pg-test-cluster.sh
// starts one on loopback) and dropped afterwards. Without the variable the
// PostgreSQL tests are skipped, unless TEST_PG_REQUIRED=1 (as in CI),
// where a missing cluster is a failure, not a silent skip.
#pragma once

#include <memory>
#include <string>

namespace twostep::testing {

class PgTestDatabase {
 public:
  // nullptr (with the reason in `why`) when no cluster is configured.
  static std::unique_ptr<PgTestDatabase> Create(std::string& why);
  PgTestDatabase(std::string admin_url, std::string name, std::string url);
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;
  ~PgTestDatabase();

  // postgresql://.../<fresh database>
  const std::string& url() const { return url_; }
  static bool Required();

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

// Runs one SQL command on `url` (test set-up: terminate backends, ...).
void PgExec(const std::string& url, const std::string& sql);

}  // namespace twostep::testing
