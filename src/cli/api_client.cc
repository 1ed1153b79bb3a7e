#include "cli/api_client.h"

#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>

#include "cli/texts.h"

namespace twostep::cli {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;

ServerUrl ServerUrl::Parse(const std::string& url) {
  ServerUrl u;
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    u.tls = true;
    rest = url.substr(8);
  } else {
    throw TextError("cli.server_url.scheme", {{"url", url}});
  }
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find('/') != std::string::npos) throw TextError("cli.server_url.path", {{"url", url}});
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    if (close == std::string::npos) throw TextError("cli.server_url.ipv6", {{"url", url}});
    u.host = rest.substr(1, close - 1);
    u.port = close + 1 < rest.size() && rest[close + 1] == ':' ? rest.substr(close + 2) : "";
  } else {
    auto colon = rest.rfind(':');
    u.host = rest.substr(0, colon);
    u.port = colon == std::string::npos ? "" : rest.substr(colon + 1);
  }
  if (u.port.empty()) u.port = u.tls ? "443" : "80";
  if (u.host.empty()) throw TextError("cli.server_url.host", {{"url", url}});
  return u;
}

namespace {

template <typename Stream>
ApiResponse Exchange(Stream& stream, net::io_context& ioc, http::request<http::string_body>& req,
                     std::chrono::seconds timeout) {
  beast::error_code result;
  http::response<http::string_body> res;
  beast::flat_buffer buffer;
  beast::get_lowest_layer(stream).expires_after(timeout);
  http::async_write(stream, req, [&](beast::error_code ec, size_t) {
    if (ec) {
      result = ec;
      return;
    }
    http::async_read(stream, buffer, res, [&](beast::error_code ec2, size_t) { result = ec2; });
  });
  ioc.run();
  if (result) throw TextError("cli.net.exchange", {{"reason", result.message()}});
  ApiResponse out;
  out.status = static_cast<int>(res.result_int());
  out.retry_after = std::string(res[http::field::retry_after]);
  if (!res.body().empty()) {
    std::error_code ec;
    out.body = json::parse(res.body(), ec);
    if (ec) out.body = nullptr;
  }
  return out;
}

}  // namespace

ApiResponse ApiClient::Send(const std::string& method, const std::string& target,
                            const std::optional<json::value>& body, const std::string& bearer,
                            const std::string& language) {
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  auto endpoints = resolver.resolve(url_.host, url_.port, ec);
  if (ec) throw TextError("cli.net.resolve", {{"host", url_.host}, {"reason", ec.message()}});

  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, url_.host);
  req.set(http::field::user_agent, "twostep-cli");
  req.set(http::field::accept, "application/json");
  if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
  if (!language.empty()) req.set(http::field::accept_language, language);
  if (body) {
    req.set(http::field::content_type, "application/json");
    req.body() = json::serialize(*body);
  }
  req.prepare_payload();

  if (!url_.tls) {
    beast::tcp_stream stream(ioc);
    stream.expires_after(timeout_);
    stream.connect(endpoints, ec);
    if (ec) throw TextError("cli.net.connect",
                      {{"host", url_.host + ":" + url_.port}, {"reason", ec.message()}});
    return Exchange(stream, ioc, req, timeout_);
  }
  net::ssl::context ctx(net::ssl::context::tls_client);
  ctx.set_default_verify_paths();
  ctx.set_verify_mode(net::ssl::verify_peer);
  ctx.set_options(net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), url_.host.c_str()))
    throw TextError("cli.net.sni");
  stream.set_verify_callback(net::ssl::host_name_verification(url_.host));
  beast::get_lowest_layer(stream).expires_after(timeout_);
  beast::get_lowest_layer(stream).connect(endpoints, ec);
  if (ec) throw TextError("cli.net.connect", {{"host", url_.host}, {"reason", ec.message()}});
  stream.handshake(net::ssl::stream_base::client, ec);
  if (ec) throw TextError("cli.net.tls", {{"reason", ec.message()}});
  return Exchange(stream, ioc, req, timeout_);
}

}  // namespace twostep::cli
