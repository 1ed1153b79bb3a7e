// twostep_bench_load: the load generator of bench/run.sh. One subcommand per
// kind of traffic; each prints one JSON object on stdout (the runner
// collects them into bench/results/latest.json). Traffic goes to 127.0.0.1
// only, and every loop stops by itself after --seconds.
//
//   argon2   --threads N --seconds S [--t 2 --m-kib 19456]   raw Argon2id rate
//   http     --port P --path PATH [--creds FILE] --conns C [--rate R]   GETs
//   signin   --port P --creds FILE --conns C [--rate R] [--server-pid PID]
//            trusted-device sign-ins (password + device secret, no code)
//   verify   --port P --challenges FILE --conns C     POST .../verify, right codes
//   ws-codes --port P --creds FILE --devices N --rate R --server-pid PID [--sources 4]
//            [--metrics-port M]
//            N idle WebSockets from 127.0.0.1..127.0.0.S, then new-device sign-ins
#include <sodium.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include <boost/asio/ip/address.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "http_load.h"
#include "stats.h"
#include "ws_codes.h"

namespace json = boost::json;
namespace http = boost::beast::http;
using namespace bench;

namespace {

struct Args {
  std::map<std::string, std::string> kv;
  std::string Get(const std::string& k, const std::string& def = "") const {
    auto it = kv.find(k);
    return it == kv.end() ? def : it->second;
  }
  double Num(const std::string& k, double def) const {
    auto v = Get(k);
    return v.empty() ? def : std::stod(v);
  }
};

std::vector<std::vector<std::string>> ReadWords(const std::string& path, size_t limit) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string line;
  while (rows.size() < limit && std::getline(in, line)) {
    std::istringstream words(line);
    std::vector<std::string> row;
    for (std::string w; words >> w;) row.push_back(w);
    if (!row.empty()) rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<TrustedDevice> ReadDevices(const std::string& path, size_t limit) {
  std::vector<TrustedDevice> out;
  for (auto& r : ReadWords(path, limit))
    if (r.size() == 5) out.push_back({r[0], r[1], r[2], r[3], r[4]});
  if (out.empty()) throw std::runtime_error("no devices in " + path);
  return out;
}

LoadSpec BaseSpec(const Args& a) {
  LoadSpec s;
  s.server = {boost::asio::ip::make_address("127.0.0.1"),
              static_cast<unsigned short>(a.Num("--port", 8080))};
  s.connections = static_cast<int>(a.Num("--conns", 64));
  s.threads = static_cast<int>(a.Num("--threads", 1));
  s.seconds = a.Num("--seconds", 10);
  s.rate = a.Num("--rate", 0);
  return s;
}

json::object Argon2Rate(const Args& a) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium");
  const int threads = static_cast<int>(a.Num("--threads", 2));
  const double seconds = a.Num("--seconds", 10);
  const auto t = static_cast<unsigned long long>(a.Num("--t", 2));
  const auto m = static_cast<size_t>(a.Num("--m-kib", 19456)) * 1024;
  std::atomic<long> hashes{0};
  const double cpu_before = OwnCpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                    std::chrono::duration<double>(seconds));
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i)
    pool.emplace_back([&] {
      unsigned char out[32], salt[crypto_pwhash_SALTBYTES];
      randombytes_buf(salt, sizeof salt);
      const char pw[] = "correct-horse-battery-staple";
      while (std::chrono::steady_clock::now() < deadline) {
        if (crypto_pwhash(out, sizeof out, pw, sizeof pw - 1, salt, t, m,
                          crypto_pwhash_ALG_ARGON2ID13) != 0)
          return;
        ++hashes;
      }
    });
  for (auto& th : pool) th.join();
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // CPU per hash: with the cores shared, the rate alone says how busy the
  // machine was as much as what a hash costs.
  const double cpu = OwnCpuSeconds() - cpu_before;
  return {{"threads", threads}, {"hashes", hashes.load()}, {"elapsed_s", elapsed},
          {"per_s", static_cast<double>(hashes.load()) / elapsed}, {"cpu_s", cpu},
          {"cpu_ms_per_hash", hashes.load() > 0 ? cpu * 1000 / static_cast<double>(hashes.load()) : 0.0}};
}

json::object HttpGets(const Args& a) {
  LoadSpec s = BaseSpec(a);
  const std::string path = a.Get("--path", "/healthz");
  std::vector<TrustedDevice> devices;
  if (!a.Get("--creds").empty()) devices = ReadDevices(a.Get("--creds"), 1000000);
  std::vector<std::string> auth;
  for (auto& d : devices) auth.push_back("Bearer " + d.access_token);
  std::atomic<size_t> next{0};
  s.make = [&](size_t, Request& req) {
    req.method(http::verb::get);
    req.target(path);
    // Each request as another account: the growth scenario must not read
    // one hot row.
    if (!auth.empty()) req.set(http::field::authorization, auth[next++ % auth.size()]);
    return true;
  };
  auto r = RunHttpLoad(s);
  auto o = r.ToJson();
  o["path"] = path;
  o["connections"] = s.connections;
  return o;
}

json::object SignIns(const Args& a) {
  LoadSpec s = BaseSpec(a);
  auto devices = ReadDevices(a.Get("--creds"), 1000000);
  std::atomic<size_t> next{0};
  s.make = [&](size_t, Request& req) {
    const auto& d = devices[next++ % devices.size()];
    req.method(http::verb::post);
    req.target("/v1/sessions");
    req.set(http::field::content_type, "application/json");
    req.body() = json::serialize(json::object{
        {"email", d.email},
        {"password", d.password},
        {"device_secret", d.device_secret},
        {"device", json::object{{"id", d.device_id}, {"name", "Bench phone"}, {"model", "BP1"},
                                {"os", "Android 15"}, {"app", "kasa"}, {"app_version", "3.4.1"}}}});
    return true;
  };
  // The server's memory while it is under this load.
  const int pid = static_cast<int>(a.Num("--server-pid", 0));
  std::atomic<bool> running{true};
  long rss_start = pid ? ResidentKib(pid) : 0, rss_max = rss_start;
  std::thread sampler([&] {
    while (pid && running) {
      rss_max = std::max(rss_max, ResidentKib(pid));
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  });
  auto r = RunHttpLoad(s);
  running = false;
  sampler.join();
  auto o = r.ToJson();
  o["connections"] = s.connections;
  o["offered_rate"] = s.rate;
  o["rss_start_kib"] = rss_start;
  o["rss_max_kib"] = rss_max;
  o["server_alive"] = pid ? ResidentKib(pid) > 0 : true;
  return o;
}

json::object Verifies(const Args& a) {
  LoadSpec s = BaseSpec(a);
  auto rows = ReadWords(a.Get("--challenges"), 10000000);
  std::atomic<size_t> next{0};
  s.make = [&](size_t, Request& req) {
    size_t k = next++;
    if (k >= rows.size() || rows[k].size() != 2) return false;  // out of seeded challenges
    req.method(http::verb::post);
    req.target("/v1/challenges/" + rows[k][0] + "/verify");
    req.set(http::field::content_type, "application/json");
    req.body() = json::serialize(json::object{{"code", rows[k][1]}, {"trust_device", false}});
    return true;
  };
  auto r = RunHttpLoad(s);
  auto o = r.ToJson();
  o["connections"] = s.connections;
  o["challenges_used"] = std::min(next.load(), rows.size());
  return o;
}

json::object WsCodes(const Args& a) {
  WsCodesSpec s;
  s.server = {boost::asio::ip::make_address("127.0.0.1"),
              static_cast<unsigned short>(a.Num("--port", 8080))};
  s.devices = ReadDevices(a.Get("--creds"), static_cast<size_t>(a.Num("--devices", 10000)));
  s.server_pid = static_cast<int>(a.Num("--server-pid", 0));
  s.rate = a.Num("--rate", 200);
  s.seconds = a.Num("--seconds", 20);
  s.idle_seconds = a.Num("--idle-seconds", 3);
  s.signin_connections = static_cast<int>(a.Num("--conns", 32));
  s.source_addresses = static_cast<int>(a.Num("--sources", 4));
  s.metrics_port = static_cast<unsigned short>(a.Num("--metrics-port", 0));
  return RunWsCodes(s);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: twostep_bench_load argon2|http|signin|verify|ws-codes [--key value]...\n";
    return 2;
  }
  Args a;
  for (int i = 2; i + 1 < argc; i += 2) a.kv[argv[i]] = argv[i + 1];
  const std::string cmd = argv[1];
  try {
    json::object out;
    if (cmd == "argon2") out = Argon2Rate(a);
    else if (cmd == "http") out = HttpGets(a);
    else if (cmd == "signin") out = SignIns(a);
    else if (cmd == "verify") out = Verifies(a);
    else if (cmd == "ws-codes") out = WsCodes(a);
    else {
      std::cerr << "unknown subcommand " << cmd << "\n";
      return 2;
    }
    std::cout << json::serialize(out) << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "twostep_bench_load " << cmd << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}
