#include "ws_codes.h"

#include <atomic>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
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

// Challenge id -> when the 202 arrived, and when its code reached the device.
struct Deliveries {
  std::mutex mutex;
  struct Answer {
    SteadyTime sent, arrived;
  };
  std::unordered_map<std::string, Answer> answered;
  std::unordered_map<std::string, SteadyTime> delivered;
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

  bool lost = false;

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
          self->Ready(true);
          self->Read();
        });
      });
    });
  }

  void Read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) {
        self->lost = true;
        return;
      }
      auto now = Clock::now();
      auto v = json::parse(beast::buffers_to_string(self->buffer_.data()), ec);
      self->buffer_.consume(self->buffer_.size());
      if (!ec && TypeOf(v) == "verification_code") {
        auto* id = v.as_object().if_contains("challenge_id");
        if (id && id->is_string()) {
          std::lock_guard lock(self->deliveries_.mutex);
          self->deliveries_.delivered.emplace(std::string(id->as_string()), now);
        }
      }
      self->Read();
    });
  }

  void Ready(bool ok) {
    if (auto cb = std::exchange(on_ready_, nullptr)) cb(ok);
  }

  websocket::stream<beast::tcp_stream> ws_;
  tcp::endpoint server_;
  net::ip::address source_;
  std::string token_;
  std::string text_;
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

  // Runs on the io_context thread.
  void Begin(int in_flight) {
    for (int i = 0; i < in_flight; ++i) LaunchNext();
  }
  std::future<void> Finished() { return done_.get_future(); }
  int ready = 0, failed = 0;
  std::vector<std::shared_ptr<Device>> devices;

 private:
  void LaunchNext() {
    if (next_ >= spec_.devices.size()) return;
    size_t i = next_++;
    auto source = net::ip::make_address_v4(0x7f000001 + static_cast<uint32_t>(i % spec_.source_addresses));
    auto d = std::make_shared<Device>(ioc_.get_executor(), spec_.server, source,
                                      spec_.devices[i].access_token, deliveries_, [this](bool ok) {
                                        (ok ? ready : failed) += 1;
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
  std::promise<void> done_;
};

void Sleep(double seconds) {
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

}  // namespace

json::object RunWsCodes(const WsCodesSpec& spec) {
  Deliveries deliveries;
  net::io_context ioc(1);
  auto guard = net::make_work_guard(ioc);
  std::thread io([&ioc] { ioc.run(); });

  const long rss_before = ResidentKib(spec.server_pid);
  const auto connect_start = Clock::now();
  Launcher launcher(ioc, spec, deliveries);
  auto finished = launcher.Finished();
  net::post(ioc, [&launcher] { launcher.Begin(256); });
  finished.wait_for(std::chrono::seconds(180));
  const double connect_s = std::chrono::duration<double>(Clock::now() - connect_start).count();
  Sleep(spec.idle_seconds);
  const long rss_connected = ResidentKib(spec.server_pid);

  // New devices sign in to the accounts of the connected trusted devices,
  // each account at most once per pass.
  std::atomic<size_t> next{0};
  std::atomic<long> run_tag{Clock::now().time_since_epoch().count() % 100000000};
  LoadSpec load;
  load.server = spec.server;
  load.connections = spec.signin_connections;
  load.rate = spec.rate;
  load.seconds = spec.seconds;
  load.make = [&](size_t, Request& req) {
    size_t k = next++;
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
  load.on_response = [&](const Response& res, SteadyTime sent, SteadyTime at) {
    if (res.result_int() != 202) return;
    boost::system::error_code ec;
    auto v = json::parse(res.body(), ec);
    if (ec || !v.is_object()) return;
    auto* id = v.as_object().if_contains("challenge_id");
    if (!id || !id->is_string()) return;
    std::lock_guard lock(deliveries.mutex);
    deliveries.answered.emplace(std::string(id->as_string()), Deliveries::Answer{sent, at});
  };
  LoadResult signins = RunHttpLoad(load);
  Sleep(1.0);  // codes still on their way
  const long rss_after = ResidentKib(spec.server_pid);

  Samples delivery, since_sent;
  uint64_t missing = 0, before_answer = 0;
  {
    std::lock_guard lock(deliveries.mutex);
    for (const auto& [id, answered] : deliveries.answered) {
      auto it = deliveries.delivered.find(id);
      if (it == deliveries.delivered.end()) {
        ++missing;
        continue;
      }
      // The server sends the code right after its commit, before the 202
      // is written, so a code may arrive first: that counts as 0.
      if (it->second < answered.arrived) ++before_answer;
      delivery.Add(std::chrono::duration<double, std::micro>(it->second - answered.arrived).count());
      since_sent.Add(std::chrono::duration<double, std::micro>(it->second - answered.sent).count());
    }
  }
  int lost = 0;
  net::post(ioc, [&] {
    for (auto& d : launcher.devices) lost += d->lost ? 1 : 0;
  });
  guard.reset();
  Sleep(0.2);
  ioc.stop();
  io.join();

  const int ready = launcher.ready;
  return {{"devices_connected", ready},
          {"connect_failures", launcher.failed},
          {"connections_lost", lost},
          {"connect_seconds", connect_s},
          {"rss_before_kib", rss_before},
          {"rss_connected_kib", rss_connected},
          {"bytes_per_connection",
           ready > 0 ? static_cast<double>(rss_connected - rss_before) * 1024.0 / ready : 0.0},
          {"rss_after_signins_kib", rss_after},
          {"signins", [&] {
             auto o = signins.ToJson();
             o["offered_rate"] = spec.rate;
             return o;
           }()},
          {"delivery", json::object{{"answered_202", deliveries.answered.size()},
                                    {"delivered", delivery.us.size()},
                                    {"missing", missing},
                                    {"arrived_before_202", before_answer},
                                    {"latency", delivery.Summary()},
                                    {"since_request_sent", since_sent.Summary()}}}};
}

}  // namespace bench
