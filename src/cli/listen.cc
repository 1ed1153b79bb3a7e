// `twostep listen`: act as a trusted device. Stays connected to
// /v1/notifications, prints each code request (code, who asks, where, when),
// lets the user deny the newest one by typing "d", reconnects after a close
// or a drop (cli/reconnect.h: jittered back-off, then the open requests that
// arrived meanwhile), and exits when this device is signed out.
#include <atomic>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json.hpp>

#include "cli/commands.h"
#include "cli/reconnect.h"
#include "cli/terminal.h"

namespace twostep::cli {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace json = boost::json;
using tcp = net::ip::tcp;

namespace {

std::string S(const json::value& v, const char* k) {
  auto* x = v.is_object() ? v.as_object().if_contains(k) : nullptr;
  if (!x) return "";
  if (x->is_string()) return std::string(x->as_string());
  if (x->is_int64()) return std::to_string(x->as_int64());
  return "";
}

struct ListenState {
  std::mutex mutex;
  std::string last_open;  // newest code request still open
  bool was_ready = false;  // the last connection got "ready": reset the back-off
  ShownRequests shown;     // connection thread only
};

enum class Ended { kDropped, kSignedOut, kReplaced, kRejected };

// Runs handlers until `done`: the stream's ping timer stays armed between
// operations, so io_context::run() would not return.
void RunUntil(net::io_context& ioc, const bool& done) {
  ioc.restart();
  while (!done && ioc.run_one()) {
  }
}

std::string Describe(const json::value& m) {
  const auto& req = m.as_object().at("requester");
  const auto& dev = req.as_object().at("device");
  std::string where = "Unknown location";
  if (auto& loc = req.as_object().at("location"); loc.is_object()) {
    where.clear();
    for (const char* k : {"city", "region", "country"})
      if (auto p = S(loc, k); !p.empty()) where += (where.empty() ? "" : ", ") + p;
  }
  return "Sign-in request - code " + S(m, "code") + "\n" +
         "  Device:   " + S(dev, "name") + " (" + S(dev, "model") + ", " + S(dev, "os") + ")\n" +
         "  App:      " + S(dev, "app") + " " + S(dev, "app_version") + "\n" +
         "  From:     " + S(req, "ip") + " - " + where + " (approximate)\n" +
         "  At:       " + S(m, "requested_at") + " (expires in " + S(m, "expires_in") + " s)\n" +
         "  Not you? Type d and Enter to deny (\"This wasn't me\").";
}

// Shows one server message (a live one, or an open request read from
// /v1/notifications/pending); returns how the connection ends, if it does.
std::optional<Ended> Show(const json::value& msg, ClientApp& app, ListenState& state) {
  std::string type = S(msg, "type");
  // A request seen before a reconnect comes again from the pending list.
  if (type == "verification_code" && !state.shown.FirstTime(msg)) return std::nullopt;
  if (app.options().json) {
    if (auto* o = msg.if_object(); o && type != "verification_code") std::cout << json::serialize(*o) << std::endl;
    else std::cout << json::serialize(msg) << std::endl;
  }
  if (type == "ready") {
    {
      std::lock_guard lock(state.mutex);
      state.was_ready = true;
    }
    if (!app.options().json) std::cout << "Listening for sign-in requests as a trusted device. Ctrl-C to stop." << std::endl;
  } else if (type == "verification_code") {
    {
      std::lock_guard lock(state.mutex);
      state.last_open = S(msg, "challenge_id");
    }
    if (!app.options().json) std::cout << Describe(msg) << std::endl;
  } else if (type == "challenge_resolved") {
    {
      std::lock_guard lock(state.mutex);
      if (state.last_open == S(msg, "challenge_id")) state.last_open.clear();
    }
    if (!app.options().json) std::cout << "Request " << S(msg, "challenge_id") << ": " << S(msg, "outcome") << std::endl;
  } else if (type == "signed_out") {
    if (!app.options().json) std::cout << "This device was signed out (" << S(msg, "reason") << ")." << std::endl;
    return Ended::kSignedOut;
  } else if (type == "replaced") {
    return Ended::kReplaced;
  } else if (type == "error") {
    return S(msg, "code") == "unauthorized" ? Ended::kRejected : Ended::kDropped;
  }
  return std::nullopt;
}

// One connection: handshake, auth, then messages until it ends.
template <typename Ws>
Ended Session(Ws& ws, net::io_context& ioc, ClientApp& app, ListenState& state,
              const std::string& host) {
  ws.set_option(websocket::stream_base::timeout{std::chrono::seconds(10), std::chrono::seconds(75), true});
  beast::error_code ec;
  bool done = false;
  ws.async_handshake(host, "/v1/notifications", [&](beast::error_code e) {
    ec = e;
    done = true;
  });
  RunUntil(ioc, done);
  if (ec || !done) return Ended::kDropped;
  ws.text(true);
  std::string auth = json::serialize(json::object{{"type", "auth"}, {"token", app.profile().access_token}});
  done = false;
  ws.async_write(net::buffer(auth), [&](beast::error_code e, size_t) {
    ec = e;
    done = true;
  });
  RunUntil(ioc, done);
  if (ec || !done) return Ended::kDropped;
  while (true) {
    beast::flat_buffer buffer;
    done = false;
    ws.async_read(buffer, [&](beast::error_code e, size_t) {
      ec = e;
      done = true;
    });
    RunUntil(ioc, done);
    if (ec || !done) return Ended::kDropped;
    std::error_code parse_error;
    auto msg = json::parse(beast::buffers_to_string(buffer.data()), parse_error);
    if (parse_error) continue;
    if (auto ended = Show(msg, app, state)) return *ended;
    if (S(msg, "type") != "ready") continue;
    // Back after a restart or a dropped connection: what arrived meanwhile.
    for (const auto& request : PendingRequests(app)) Show(request, app, state);
  }
}

Ended ConnectOnce(ClientApp& app, ListenState& state) {
  const auto& url = app.api().url();
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  auto endpoints = resolver.resolve(url.host, url.port, ec);
  if (ec) return Ended::kDropped;
  if (!url.tls) {
    websocket::stream<beast::tcp_stream> ws(ioc);
    beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(10));
    beast::get_lowest_layer(ws).connect(endpoints, ec);
    if (ec) return Ended::kDropped;
    beast::get_lowest_layer(ws).expires_never();
    return Session(ws, ioc, app, state, url.host + ":" + url.port);
  }
  net::ssl::context ctx(net::ssl::context::tls_client);
  ctx.set_default_verify_paths();
  ctx.set_verify_mode(net::ssl::verify_peer);
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(ioc, ctx);
  SSL_set_tlsext_host_name(ws.next_layer().native_handle(), url.host.c_str());
  ws.next_layer().set_verify_callback(net::ssl::host_name_verification(url.host));
  beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(10));
  beast::get_lowest_layer(ws).connect(endpoints, ec);
  if (!ec) ws.next_layer().handshake(net::ssl::stream_base::client, ec);
  if (ec) return Ended::kDropped;
  beast::get_lowest_layer(ws).expires_never();
  return Session(ws, ioc, app, state, url.host);
}

}  // namespace

int Listen(ClientApp& app, bool once) {
  if (app.profile().device_secret.empty())
    std::cerr << "Note: this device is not trusted yet; only trusted devices receive codes.\n";
  ListenState state;
  // Typing "d" denies the newest open request (from another thread: the
  // connection thread owns the socket).
  std::thread input([&app, &state] {
    while (auto line = ReadLine("")) {
      if (*line != "d" && *line != "deny") continue;
      std::string id;
      {
        std::lock_guard lock(state.mutex);
        id = state.last_open;
      }
      if (id.empty()) {
        std::cerr << "No open request to deny.\n";
        continue;
      }
      try {
        Deny(app, id);
      } catch (const CliError& e) {
        std::cerr << "Error: " << e.what() << "\n";
      }
    }
  });
  input.detach();
  Reconnect reconnect;
  int rejected = 0;
  while (true) {
    // A cheap authenticated call refreshes the access token when needed.
    Ended ended = Ended::kDropped;
    try {
      auto probe = app.Authed("GET", "/v1/account");
      app.Expect(probe, {200});
      ended = ConnectOnce(app, state);
    } catch (const CliError& e) {
      if (e.exit_code() != 1 || once) throw;  // signed out, or not asked to retry
    }
    switch (ended) {
      case Ended::kSignedOut:
        app.ClearSession();
        throw CliError("This device was signed out. Run: twostep login", 4);
      case Ended::kReplaced:
        throw CliError("Another connection of this device took over.", 5);
      case Ended::kRejected:
        // The token died meanwhile: the probe refreshes it; give up if it keeps failing.
        if (++rejected >= 3) throw CliError("The server refused this device's session.", 3);
        continue;
      case Ended::kDropped: {
        if (once) throw CliError("The connection dropped.", 6);
        {
          std::lock_guard lock(state.mutex);
          if (state.was_ready) reconnect.ConnectionWasReady();
          state.was_ready = false;
        }
        std::cerr << "Connection lost; reconnecting." << std::endl;
        reconnect.Wait();
        break;
      }
    }
  }
}

}  // namespace twostep::cli
