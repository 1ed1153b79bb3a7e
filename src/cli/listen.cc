// `twostep listen`: act as a trusted device. Stays connected to
// /v1/notifications and shows each code request on a ListenScreen (who asks,
// where, when; the code after "a" = Allow; "d" = This wasn't me), takes
// requests off the screen when the server says they are over, reconnects
// after a close or a drop (cli/reconnect.h: jittered back-off, then the
// open requests that arrived meanwhile), and exits when this device is
// signed out. Messages are handled in OnMessage, one place to extend.
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <thread>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json.hpp>

#include "cli/commands.h"
#include "cli/listen_screen.h"
#include "cli/reconnect.h"
#include "cli/prompts.h"
#include "cli/terminal.h"

namespace twostep::cli {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace json = boost::json;
using tcp = net::ip::tcp;

namespace {

struct ListenState {
  explicit ListenState(ListenScreen& s) : screen(s) {}
  ListenScreen& screen;
  std::mutex mutex;
  bool was_ready = false;  // the last connection got "ready": reset the back-off
  ShownRequests shown;     // connection thread only
};

enum class Ended { kDropped, kSignedOut, kReplaced, kRejected };

// What one message from the server does; nullopt: the connection goes on.
std::optional<Ended> OnMessage(const json::value& msg, ClientApp& app, ListenState& state) {
  const std::string type = Str(msg, "type");
  // A request seen before a reconnect comes again from the pending list.
  if (type == "verification_code" && !state.shown.FirstTime(msg)) return std::nullopt;
  const bool text = !app.options().json;
  if (!text) std::cout << json::serialize(msg) << std::endl;
  if (type == "ready") {
    {
      std::lock_guard lock(state.mutex);
      state.was_ready = true;
    }
    state.screen.Ready();
  } else if (type == "verification_code") {
    state.screen.Request(msg);
  } else if (type == "challenge_resolved") {
    state.screen.Resolved(Str(msg, "challenge_id"), Str(msg, "outcome"));
  } else if (type == "signed_out") {
    if (text)
      std::cout << app.Text("cli.listen.signed_out", {{"reason", Str(msg, "reason")}}) << std::endl;
    return Ended::kSignedOut;
  } else if (type == "replaced") {
    return Ended::kReplaced;
  } else if (type == "error") {
    return Str(msg, "code") == "unauthorized" ? Ended::kRejected : Ended::kDropped;
  }
  return std::nullopt;
}

// The keys of the screen, read on their own thread: "a" shows the newest
// request's code (Allow), "d" denies it ("This wasn't me").
void ReadKeys(ClientApp& app, ListenState& state) {
  while (auto line = ReadLine("")) {
    const bool allow = *line == "a" || *line == "allow";
    const bool deny = *line == "d" || *line == "deny";
    if (!allow && !deny) continue;
    if (allow) {
      if (!state.screen.AllowNewest()) state.screen.Note(app.Text("cli.listen.none_waiting"));
      continue;
    }
    auto id = state.screen.Newest();
    if (!id) {
      state.screen.Note(app.Text("cli.listen.none_waiting"));
      continue;
    }
    try {
      auto r = app.Authed("POST", "/v1/challenges/" + *id + "/deny");
      app.Expect(r, {200});
      if (app.options().json) app.Print("", r.body);
      state.screen.Denied(*id);
    } catch (const CliError& e) {
      state.screen.Note(app.Text("cli.error", {{"message", e.what()}}));
    }
  }
}

// Runs handlers until `done`: the stream's ping timer stays armed between
// operations, so io_context::run() would not return.
void RunUntil(net::io_context& ioc, const bool& done) {
  ioc.restart();
  while (!done && ioc.run_one()) {
  }
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
  std::string auth = json::serialize(json::object{{"type", "auth"}, {"token", app.AccessToken()}});
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
    if (auto ended = OnMessage(msg, app, state)) return *ended;
    if (Str(msg, "type") != "ready") continue;
    // Back after a restart or a dropped connection: what arrived meanwhile.
    for (const auto& request : PendingRequests(app)) OnMessage(request, app, state);
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
  if (app.profile().device_secret.empty()) std::cerr << app.Text("cli.listen.not_trusted") << "\n";
  using Mode = ListenScreen::Mode;
  // The account's language and zone: a listen started before they were
  // kept in the profile learns them here, before the first screen.
  try {
    auto account = app.Authed("GET", "/v1/account");
    if (account.status == 200) app.LearnAccount(account.body);
  } catch (const CliError&) {
    // Told by the loop below, which makes the same call.
  }
  ListenScreen screen(app.profile().email,
                      app.options().json               ? Mode::kSilent
                      : ::isatty(STDOUT_FILENO) == 1 ? Mode::kRedraw
                                                       : Mode::kAppend,
                      app.texts());
  ListenState state(screen);
  // The connection thread owns the socket; the keys are read on another.
  std::thread([&app, &state] { ReadKeys(app, state); }).detach();
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
        throw CliError(app.Text("cli.error.signed_out"), 4);
      case Ended::kReplaced:
        throw CliError(app.Text("cli.listen.replaced"), 5);
      case Ended::kRejected:
        // The token died meanwhile: the probe refreshes it; give up if it keeps failing.
        if (++rejected >= 3) throw CliError(app.Text("cli.listen.rejected"), 3);
        continue;
      case Ended::kDropped: {
        if (once) throw CliError(app.Text("cli.listen.dropped"), 6);
        {
          std::lock_guard lock(state.mutex);
          if (state.was_ready) reconnect.ConnectionWasReady();
          state.was_ready = false;
        }
        std::cerr << app.Text("cli.listen.reconnecting") << std::endl;
        reconnect.Wait();  // jittered back-off (cli/reconnect.h)
        break;
      }
    }
  }
}

}  // namespace twostep::cli
