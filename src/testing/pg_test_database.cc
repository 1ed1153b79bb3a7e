#include "testing/pg_test_database.h"

#include <libpq-fe.h>

#include <atomic>
#include <cstdlib>
#include <random>
#include <stdexcept>

namespace twostep::testing {

void PgExec(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string m = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("test database: " + m);
  }
  PGresult* r = PQexec(c, sql.c_str());
  auto st = PQresultStatus(r);
  std::string m = PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(c);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) throw std::runtime_error("test database: " + m);
}

bool PgTestDatabase::Required() {
  const char* r = std::getenv("TEST_PG_REQUIRED");
  return r && std::string(r) == "1";
}

std::unique_ptr<PgTestDatabase> PgTestDatabase::Create(std::string& why) {
  const char* admin = std::getenv("TEST_PG_URL");
  if (!admin || !*admin) {
    why = "TEST_PG_URL is not set (scripts/pg-test-cluster.sh start)";
    return nullptr;
  }
  static std::atomic<int> counter{0};
  std::random_device rd;
  std::string name = "t_" + std::to_string(rd()) + "_" + std::to_string(counter++);
  PgExec(admin, "CREATE DATABASE " + name);
  // Replace the database part of the admin URL (…/postgres → …/<name>).
  std::string url = admin;
  auto slash = url.rfind('/');
  auto query = url.find('?', slash);
  url = url.substr(0, slash + 1) + name + (query == std::string::npos ? "" : url.substr(query));
  return std::make_unique<PgTestDatabase>(admin, name, url);
}

PgTestDatabase::PgTestDatabase(std::string admin_url, std::string name, std::string url)
    : admin_url_(std::move(admin_url)), name_(std::move(name)), url_(std::move(url)) {}

PgTestDatabase::~PgTestDatabase() {
  try {
    PgExec(admin_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (...) {
    // A leftover database in a throw-away cluster is harmless.
  }
}

}  // namespace twostep::testing
