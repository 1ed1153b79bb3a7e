#include "ws_codes.h"

#include <atomic>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include "http_load.h"

namespace bench {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace json = boost::json;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// Challenge id -> when the 202 arrived (and for which device's account),
// and when its code reached the device.
struct Deliveries {
  std::mutex mutex;
  struct Answer {
    SteadyTime sent, arrived;
    size_t device;  // index into WsCodesSpec::devices
    bool repeat;    // the account's second (or later) sign-in of the run
  };
  std::unordered_map<std::string, Answer> answered;
  std::unordered_map<std::string, SteadyTime> delivered;
  // Answers other than 202, per status and second of the run: a shed that
  // clusters in one second points at a stall, a spread one at capacity.
  std::map<int, std::map<long, uint64_t>> refused;
};

std::string TypeOf(const json::value& v) {
  if (!v.is_object()) return "";
  auto* t = v.as_object().if_contains("type");
  return t && t->is_string() ? std::string(t->as_string()) : "";
}

class Device : public std::enable_shared_from_this<Device> {
 public:
  Device(net::any_io_executor ex, tcp::endpoint server, net::ip::address source, std::string token,
         Deliveries& deliveries, std::function<void(bool)> on_ready)
      : ws_(ex), server_(server), source_(source), token_(std::move(token)),
        deliveries_(deliveries), on_ready_(std::move(on_ready)) {}

  void Start() {
    auto& sock = beast::get_lowest_layer(ws_).socket();
    beast::error_code ec;
    sock.open(tcp::v4(), ec);
    if (!ec) sock.bind(tcp::endpoint(source_, 0), ec);
    if (ec) return Ready(false);
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(20));
    beast::get_lowest_layer(ws_).async_connect(server_, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->Ready(false);
      self->Handshake();
    });
  }

  // Set once the connection ends (on the io thread): why, and when. A
  // missing code is only a server fault if its device was still connected.
  bool connected = false;
  bool lost = false;
  std::string end_reason;
  SteadyTime ended_at{};

 private:
  void Handshake() {
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    ws_.async_handshake("127.0.0.1", "/v1/notifications", [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->Ready(false);
      self->text_ = json::serialize(json::object{{"type", "auth"}, {"token", self->token_}});
      self->ws_.text(true);
      self->ws_.async_write(net::buffer(self->text_), [self](beast::error_code ec, size_t) {
        if (ec) return self->Ready(false);
        self->ws_.async_read(self->buffer_, [self](beast::error_code ec, size_t) {
          if (ec) return self->Ready(false);
          auto v = json::parse(beast::buffers_to_string(self->buffer_.data()), ec);
          self->buffer_.consume(self->buffer_.size());
          if (ec || TypeOf(v) != "ready") return self->Ready(false);
          self->connected = true;
          self->Ready(true);
          self->Read();
        });
      });
    });
  }

  void Read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->Ended(ec);
      auto now = Clock::now();
      auto v = json::parse(beast::buffers_to_string(self->buffer_.data()), ec);
      self->buffer_.consume(self->buffer_.size());
      const std::string type = ec ? "" : TypeOf(v);
      if (type == "verification_code") {
        auto* id = v.as_object().if_contains("challenge_id");
        if (id && id->is_string()) {
          std::lock_guard lock(self->deliveries_.mutex);
          self->deliveries_.delivered.emplace(std::string(id->as_string()), now);
        }
      } else if (type == "signed_out" || type == "error") {
        // The server says why before it closes: kept as the end's reason.
        auto* why = v.as_object().if_contains(type == "error" ? "code" : "reason");
        self->last_word_ = type + ":" + (why && why->is_string() ? std::string(why->as_string()) : "?");
      }
      self->Read();
    });
  }

  void Ended(beast::error_code ec) {
    lost = true;
    ended_at = Clock::now();
    if (!last_word_.empty()) end_reason = last_word_;
    else if (ec == websocket::error::closed) end_reason = "close:" + std::to_string(ws_.reason().code);
    else end_reason = "transport:" + ec.message();
  }

  void Ready(bool ok) {
    if (auto cb = std::exchange(on_ready_, nullptr)) cb(ok);
  }

  websocket::stream<beast::tcp_stream> ws_;
  tcp::endpoint server_;
  net::ip::address source_;
  std::string token_;
  std::string text_;
  std::string last_word_;  // the server's last signed_out/error message
  beast::flat_buffer buffer_;
  Deliveries& deliveries_;
  std::function<void(bool)> on_ready_;
};

// Opens every device's connection, at most `in_flight` handshakes at once
// (the server authenticates each on its work pool; a burst of 10,000 would
// only measure its queue limit).
class Launcher {
 public:
  Launcher(net::io_context& ioc, const WsCodesSpec& spec, Deliveries& d)
      : ioc_(ioc), spec_(spec), deliveries_(d) {}

  // Runs on the io_context thread. Launches up to `pause_at` devices (0:
  // all of them); Resume launches the rest.
  void Begin(int in_flight, size_t pause_at = 0) {
    pause_at_ = pause_at;
    in_flight_ = in_flight;
    for (int i = 0; i < in_flight; ++i) LaunchNext();
  }
  void Resume() {
    pause_at_ = 0;
    for (int i = 0; i < in_flight_; ++i) LaunchNext();
  }
  std::future<void> Finished() { return done_.get_future(); }
  // Set when the first `pause_at` devices are connected (or failed).
  std::future<void> Paused() { return paused_.get_future(); }
  int ready = 0, failed = 0;
  std::vector<std::shared_ptr<Device>> devices;

 private:
  void LaunchNext() {
    if (next_ >= spec_.devices.size() || (pause_at_ > 0 && next_ >= pause_at_)) return;
    size_t i = next_++;
    auto source = net::ip::make_address_v4(0x7f000001 + static_cast<uint32_t>(i % spec_.source_addresses));
    auto d = std::make_shared<Device>(ioc_.get_executor(), spec_.server, source,
                                      spec_.devices[i].access_token, deliveries_, [this](bool ok) {
                                        (ok ? ready : failed) += 1;
                                        if (pause_at_ > 0 && ready + failed == static_cast<int>(pause_at_))
                                          paused_.set_value();
                                        if (ready + failed == static_cast<int>(spec_.devices.size()))
                                          done_.set_value();
                                        else  // posted: a socket that fails at once (EMFILE) must not recurse
                                          net::post(ioc_, [this] { LaunchNext(); });
                                      });
    devices.push_back(d);
    d->Start();
  }

  net::io_context& ioc_;
  const WsCodesSpec& spec_;
  Deliveries& deliveries_;
  size_t next_ = 0;
  size_t pause_at_ = 0;
  int in_flight_ = 0;
  std::promise<void> done_, paused_;
};

json::object Counts(const std::map<std::string, uint64_t>& counts) {
  json::object o;
  for (const auto& [k, n] : counts) o[k] = n;
  return o;
}

// A gauge of the server's /metrics (Prometheus text), or -1 when there
// is no management port or no such line.
double ReadGauge(unsigned short port, std::string_view name) {
  if (port == 0) return -1;
  try {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(5));
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    beast::http::request<beast::http::empty_body> req(beast::http::verb::get, "/metrics", 11);
    req.set(beast::http::field::host, "127.0.0.1");
    beast::http::write(stream, req);
    beast::flat_buffer buffer;
    beast::http::response<beast::http::string_body> res;
    beast::http::read(stream, buffer, res);
    std::string_view text = res.body();
    for (size_t at = 0; at < text.size();) {
      size_t end = text.find('\n', at);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(at, end - at);
      if (line.size() > name.size() && line.substr(0, name.size()) == name &&
          line[name.size()] == ' ')
        return std::stod(std::string(line.substr(name.size() + 1)));
      at = end + 1;
    }
  } catch (const std::exception&) {
  }
  return -1;
}

void Sleep(double seconds) {
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

}  // namespace

json::object RunWsCodes(const WsCodesSpec& spec) {
  Deliveries deliveries;
  net::io_context ioc(1);
  auto guard = net::make_work_guard(ioc);
  std::thread io([&ioc] { ioc.run(); });

  // Memory is read three times: before, with the first half connected and
  // with all (each after the connects settled). The second half's growth
  // per device is what one more idle device costs; the first half's also
  // holds what a fresh process grows once (allocator arenas, the SQLite
  // caches of the sign-ins: those are read from /metrics and left out).
  const long rss_before = ResidentKib(spec.server_pid);
  const double cache_before = ReadGauge(spec.metrics_port, "twostep_sqlite_memory_bytes");
  const auto connect_start = Clock::now();
  Launcher launcher(ioc, spec, deliveries);
  auto finished = launcher.Finished();
  auto paused = launcher.Paused();
  const size_t half = spec.devices.size() / 2;
  net::post(ioc, [&launcher, half] { launcher.Begin(256, half); });
  double pause_s = 0;
  long rss_half = -1;
  double cache_half = -1;
  int ready_half = 0;
  if (half > 0 && paused.wait_for(std::chrono::seconds(180)) == std::future_status::ready) {
    const auto pause_start = Clock::now();
    Sleep(spec.idle_seconds);
    rss_half = ResidentKib(spec.server_pid);
    cache_half = ReadGauge(spec.metrics_port, "twostep_sqlite_memory_bytes");
    std::promise<int> counted;
    auto count = counted.get_future();
    net::post(ioc, [&launcher, &counted] {
      counted.set_value(launcher.ready);
      launcher.Resume();
    });
    ready_half = count.get();
    pause_s = std::chrono::duration<double>(Clock::now() - pause_start).count();
  }
  finished.wait_for(std::chrono::seconds(180));
  const double connect_s = std::chrono::duration<double>(Clock::now() - connect_start).count() - pause_s;
  Sleep(spec.idle_seconds);
  const long rss_connected = ResidentKib(spec.server_pid);
  const double cache_connected = ReadGauge(spec.metrics_port, "twostep_sqlite_memory_bytes");
  const bool cache_known = cache_before >= 0 && cache_connected >= 0;
  const double cache_growth = cache_known ? cache_connected - cache_before : 0;
  const bool half_known = rss_half >= 0 && cache_half >= 0 && cache_known;

  // New devices sign in to the accounts of the connected trusted devices,
  // each account at most once per pass; a run longer than a pass signs in
  // again to accounts whose first challenge is still open (marked repeat).
  std::atomic<size_t> next{0};
  std::atomic<long> run_tag{Clock::now().time_since_epoch().count() % 100000000};
  std::vector<size_t> conn_request(static_cast<size_t>(spec.signin_connections));  // per conn: its k
  LoadSpec load;
  load.server = spec.server;
  load.connections = spec.signin_connections;
  load.rate = spec.rate;
  load.seconds = spec.seconds;
  load.make = [&](size_t conn, Request& req) {
    size_t k = next++;
    conn_request[conn] = k;  // a connection's make and on_response alternate on its strand
    const auto& d = spec.devices[k % spec.devices.size()];
    req.method(boost::beast::http::verb::post);
    req.target("/v1/sessions");
    req.set(boost::beast::http::field::content_type, "application/json");
    req.body() = json::serialize(json::object{
        {"email", d.email},
        {"password", d.password},
        {"device", json::object{{"id", "bench-new-" + std::to_string(run_tag.load()) + "-" + std::to_string(k)},
                                {"name", "Bench laptop"}, {"model", "BL1"}, {"os", "Debian 12"},
                                {"app", "kasa"}, {"app_version", "1.0"}}}});
    return true;
  };
  const auto signin_start = Clock::now();
  auto second_of_run = [&](SteadyTime t) {
    return static_cast<long>(std::chrono::duration<double>(t - signin_start).count());
  };
  load.on_response = [&](size_t conn, const Response& res, SteadyTime sent, SteadyTime at) {
    const size_t k = conn_request[conn];
    if (res.result_int() != 202) {
      std::lock_guard lock(deliveries.mutex);
      ++deliveries.refused[res.result_int()][second_of_run(at)];
      return;
    }
    boost::system::error_code ec;
    auto v = json::parse(res.body(), ec);
    if (ec || !v.is_object()) return;
    auto* id = v.as_object().if_contains("challenge_id");
    if (!id || !id->is_string()) return;
    std::lock_guard lock(deliveries.mutex);
    deliveries.answered.emplace(std::string(id->as_string()),
                                Deliveries::Answer{sent, at, k % spec.devices.size(), k >= spec.devices.size()});
  };
  // CPU spent per answered sign-in, by the server and by this generator
  // (which shares the cores): what the hashing ceiling does not include.
  const double server_cpu_before = CpuSeconds(spec.server_pid), own_cpu_before = OwnCpuSeconds();
  LoadResult signins = RunHttpLoad(load);
  const double server_cpu = CpuSeconds(spec.server_pid) - server_cpu_before;
  const double own_cpu = OwnCpuSeconds() - own_cpu_before;
  Sleep(1.0);  // codes still on their way
  const long rss_after = ResidentKib(spec.server_pid);

  // The devices' state, read on the io thread that writes it.
  struct DeviceEnd {
    bool connected_once, lost;
    std::string reason;
    SteadyTime at;
  };
  std::vector<DeviceEnd> ends(spec.devices.size(), DeviceEnd{false, false, "", {}});
  std::promise<void> read;
  net::post(ioc, [&] {
    for (size_t i = 0; i < launcher.devices.size(); ++i) {
      const auto& d = *launcher.devices[i];
      ends[i] = {d.connected, d.lost, d.end_reason, d.ended_at};
    }
    read.set_value();
  });
  read.get_future().wait();
  guard.reset();
  ioc.stop();
  io.join();

  std::map<std::string, uint64_t> lost_by_reason;
  int lost = 0;
  std::optional<double> first_lost_s, last_lost_s;
  for (const auto& e : ends) {
    if (!e.lost) continue;
    ++lost;
    ++lost_by_reason[e.reason];
    const double at = std::chrono::duration<double>(e.at - signin_start).count();
    first_lost_s = std::min(first_lost_s.value_or(at), at);
    last_lost_s = std::max(last_lost_s.value_or(at), at);
  }

  // Each missing code with the state of its device when the 202 came: only
  // "device_connected" would be the server failing a live trusted device.
  Samples delivery, since_sent;
  uint64_t missing = 0, before_answer = 0, missing_repeat = 0;
  std::map<std::string, uint64_t> missing_by_reason;
  {
    std::lock_guard lock(deliveries.mutex);
    for (const auto& [id, answered] : deliveries.answered) {
      auto it = deliveries.delivered.find(id);
      if (it == deliveries.delivered.end()) {
        ++missing;
        missing_repeat += answered.repeat ? 1 : 0;
        const auto& e = ends[answered.device];
        if (!e.connected_once) ++missing_by_reason["device_never_connected"];
        else if (!e.lost) ++missing_by_reason["device_connected"];
        else if (e.at <= answered.arrived) ++missing_by_reason["device_gone_before_202 " + e.reason];
        else ++missing_by_reason["device_gone_after_202 " + e.reason];
        continue;
      }
      // The server sends the code right after its commit, before the 202
      // is written, so a code may arrive first: that counts as 0.
      if (it->second < answered.arrived) ++before_answer;
      delivery.Add(std::chrono::duration<double, std::micro>(it->second - answered.arrived).count());
      since_sent.Add(std::chrono::duration<double, std::micro>(it->second - answered.sent).count());
    }
  }
  json::object refused;
  for (const auto& [status, seconds] : deliveries.refused) {
    json::object per_second;
    for (const auto& [sec, n] : seconds) per_second[std::to_string(sec)] = n;
    refused[std::to_string(status)] = std::move(per_second);
  }

  const int ready = launcher.ready;
  return {{"devices_connected", ready},
          {"connect_failures", launcher.failed},
          {"connections_lost", lost},
          {"connections_lost_by_reason", Counts(lost_by_reason)},
          {"first_connection_lost_s", first_lost_s ? json::value(*first_lost_s) : json::value(nullptr)},
          {"last_connection_lost_s", last_lost_s ? json::value(*last_lost_s) : json::value(nullptr)},
          {"connect_seconds", connect_s},
          {"rss_before_kib", rss_before},
          {"rss_connected_kib", rss_connected},
          {"bytes_per_connection",
           ready > 0 ? static_cast<double>(rss_connected - rss_before) * 1024.0 / ready : 0.0},
          {"sqlite_cache_growth_bytes", cache_known ? json::value(cache_growth) : json::value(nullptr)},
          {"bytes_per_connection_without_sqlite_cache",
           cache_known && ready > 0
               ? json::value(((rss_connected - rss_before) * 1024.0 - cache_growth) / ready)
               : json::value(nullptr)},
          {"devices_connected_at_half", ready_half},
          {"rss_half_kib", rss_half},
          {"bytes_per_connection_second_half_without_sqlite_cache",
           half_known && ready > ready_half
               ? json::value(((rss_connected - rss_half) * 1024.0 - (cache_connected - cache_half)) /
                             (ready - ready_half))
               : json::value(nullptr)},
          {"rss_after_signins_kib", rss_after},
          {"signins", [&] {
             auto o = signins.ToJson();
             o["offered_rate"] = spec.rate;
             o["refused_by_second"] = refused;
             o["server_cpu_s"] = server_cpu;
             o["generator_cpu_s"] = own_cpu;
             return o;
           }()},
          {"delivery", json::object{{"answered_202", deliveries.answered.size()},
                                    {"delivered", delivery.us.size()},
                                    {"missing", missing},
                                    {"missing_by_reason", Counts(missing_by_reason)},
                                    {"missing_of_repeat_signins", missing_repeat},
                                    {"repeat_signins", [&] {
                                       uint64_t n = 0;
                                       for (const auto& [id, a] : deliveries.answered) n += a.repeat ? 1 : 0;
                                       return n;
                                     }()},
                                    {"arrived_before_202", before_answer},
                                    {"latency", delivery.Summary()},
                                    {"since_request_sent", since_sent.Summary()}}}};
}

}  // namespace bench
