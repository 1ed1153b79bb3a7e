// twostep_bench_seed: fills a store with accounts, trusted devices, tokens
// and open sign-in challenges for the load generator, straight through the
// Store interface in big transactions. Registering a million accounts over
// HTTP would cost a million Argon2id hashes; here one hash, computed once,
// is reused for every account (the benchmark measures the server, not the
// seeding).
//
// Writes to --out:
//   trusted.txt     email password device_id device_secret access_token
//                   (the first --trusted accounts: one trusted device each)
//   challenges.txt  challenge_id code   (open sign-in challenges, app channel)
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "adapters/sodium/argon2_hasher.h"
#include "adapters/postgres/pg_store.h"
#include "adapters/sodium/server_keys_file.h"
#include "adapters/sodium/sodium_random.h"
#include "adapters/sqlite/sqlite_store.h"
#include "domain/code_seal.h"
#include "domain/digests.h"
#include "domain/random_values.h"

using namespace twostep;

namespace {

struct Options {
  std::string data_dir;
  std::string out_dir;
  std::string database_url;  // default: sqlite:<data_dir>/twostep.db, as twostepd
  long accounts = 10000;
  long trusted = 10000;     // accounts whose secrets are written out
  long challenges = 20000;  // open sign-in challenges with known codes
  int argon2_t = 2;
  int argon2_m_kib = 19456;
  long batch = 50000;  // rows of accounts per transaction
};

constexpr const char* kPassword = "correct-horse-battery-staple";

bool ParseArgs(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--data-dir") o.data_dir = v;
    else if (k == "--out") o.out_dir = v;
    else if (k == "--database-url") o.database_url = v;
    else if (k == "--accounts") o.accounts = std::stol(v);
    else if (k == "--trusted") o.trusted = std::stol(v);
    else if (k == "--challenges") o.challenges = std::stol(v);
    else if (k == "--argon2-t") o.argon2_t = std::stoi(v);
    else if (k == "--argon2-m-kib") o.argon2_m_kib = std::stoi(v);
    else return false;
  }
  return !o.data_dir.empty() && !o.out_dir.empty() && o.trusted <= o.accounts;
}

std::string AccountId(long i) { return fmt::format("acc_{:032x}", i); }
std::string Email(long i) { return fmt::format("user{}@bench.example", i); }
std::string DeviceId(long i) { return fmt::format("bench-phone-{:08d}", i); }

domain::DeviceDescription Phone(long i) {
  return {DeviceId(i), "Bench phone", "BP1", "Android 15", "kasa", "3.4.1"};
}

// The store twostepd will open for the same URL.
std::unique_ptr<Store> OpenStore(const Options& o, const ServerKeys& keys) {
  std::string url = o.database_url.empty() ? "sqlite:" + o.data_dir + "/twostep.db" : o.database_url;
  if (url.rfind("sqlite:", 0) == 0) return std::make_unique<sqlite::SqliteStore>(url.substr(7));
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0)
    return std::make_unique<pg::PgStore>(pg::PgSettings{url, 4, std::chrono::seconds(30)},
                                         KeyFingerprint(keys));
  throw std::runtime_error("the seeder knows sqlite: and postgresql:// database URLs");
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!ParseArgs(argc, argv, o)) {
    std::cerr << "usage: twostep_bench_seed --data-dir DIR --out DIR [--database-url URL]"
                 " [--accounts N] [--trusted N]"
                 " [--challenges N] [--argon2-t T] [--argon2-m-kib M]\n";
    return 2;
  }
  const auto started = std::chrono::steady_clock::now();
  SodiumRandom random;
  // The same key file the server will load from its data_dir, so the seeded
  // code hashes verify.
  const ServerKeys keys = LoadOrCreateServerKeys(o.data_dir + "/server.key");
  std::unique_ptr<Store> store_ptr;
  try {
    store_ptr = OpenStore(o, keys);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 3;
  }
  Store& store = *store_ptr;
  Argon2Hasher hasher(static_cast<uint64_t>(o.argon2_t), static_cast<size_t>(o.argon2_m_kib));
  const std::string password_hash = hasher.Hash(Secret(kPassword));

  const Timestamp now = std::chrono::time_point_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now());
  // Long-lived tokens: the whole benchmark run must not outlive them.
  const Timestamp token_expiry = now + std::chrono::hours(6);

  std::ofstream trusted_out(o.out_dir + "/trusted.txt");
  std::string a_family;  // one seeded session, checked below
  for (long start = 0; start < o.accounts; start += o.batch) {
    auto tx = store.Begin();
    for (long i = start; i < std::min(o.accounts, start + o.batch); ++i) {
      domain::Account a;
      a.id = AccountId(i);
      a.email = Email(i);
      a.password_hash = password_hash;
      a.email_verified = true;
      a.created_at = a.password_changed_at = now;
      a.registered_app = "kasa";
      a.two_step_enabled = true;
      a.two_step_email_verified = true;
      tx->InsertAccount(a);

      // Every account has one trusted phone and one signed-in session, so
      // the device and token tables grow with the accounts.
      Secret device_secret = domain::GenerateToken(random);
      Secret access = domain::GenerateToken(random);
      const domain::DeviceDescription phone = Phone(i);
      const std::string secret_hash = domain::HashToken(device_secret.Reveal());
      tx->TrustDevice(a.id, phone, "127.0.0.1", now, secret_hash);
      const std::string family = domain::GenerateId(random, "fam");
      a_family = family;
      tx->InsertTokenFamily({family, a.id, phone.id, now, secret_hash});
      tx->InsertAccessToken(domain::HashToken(access.Reveal()), family, token_expiry);
      // A session as the server issues it, with its unused refresh token (not
      // written out: the load never refreshes). Without one the family counts
      // as ended, and the server's session sweep (every 60 s) closed every
      // seeded device's WebSocket with signed_out mid-run (issue #18).
      tx->InsertRefreshToken(domain::HashToken(domain::GenerateToken(random).Reveal()), family,
                             token_expiry);
      if (i < o.trusted)
        trusted_out << a.email << ' ' << kPassword << ' ' << phone.id << ' '
                    << device_secret.Reveal() << ' ' << access.Reveal() << '\n';
    }
    tx->Commit();
    std::cerr << "seeded " << std::min(o.accounts, start + o.batch) << " accounts\n";
  }
  // The seeded sessions must be live to the server, or its session sweep
  // closes their WebSockets mid-run and codes go missing for nothing.
  if (!a_family.empty() && store.BeginRead()->LiveFamilies({a_family}, now).empty()) {
    std::cerr << "seeded session " << a_family << " is not live (Store::LiveFamilies)\n";
    return 4;
  }

  // Open sign-in challenges spread over all accounts, each with a known code,
  // for POST /v1/challenges/{id}/verify.
  std::ofstream challenges_out(o.out_dir + "/challenges.txt");
  {
    auto tx = store.Begin();
    for (long j = 0; j < o.challenges; ++j) {
      long owner = static_cast<long>(domain::UniformBelow(random, static_cast<uint32_t>(o.accounts)));
      domain::Challenge c;
      c.id = domain::GenerateId(random, "chl");
      c.account_id = AccountId(owner);
      c.purpose = domain::ChallengePurpose::kSignIn;
      c.method = domain::ChallengeMethod::kApp;
      Secret code = domain::GenerateCode(random);
      c.code_hash = domain::HashCode(keys.code_hmac_key, c.id, code);
      c.sealed_code = domain::SealCode(keys.seal_key, c.id, code, random);
      c.created_at = c.last_sent_at = now;
      c.expires_at = token_expiry;
      c.requester = {fmt::format("bench-laptop-{:08d}", j), "Bench laptop", "BL1", "Debian 12",
                     "kasa", "1.0"};
      c.requester_ip = "127.0.0.1";
      tx->InsertChallenge(c);
      challenges_out << c.id << ' ' << code.Reveal() << '\n';
    }
    tx->Commit();
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << boost::json::serialize(boost::json::object{
                   {"accounts", o.accounts}, {"trusted", o.trusted},
                   {"challenges", o.challenges}, {"seconds", secs}})
            << std::endl;
  return 0;
}
