#include "http/refusal.h"

#include <array>
#include <memory>

#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/status.hpp>

namespace twostep::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace {

// The answer and the client's request both fit in a few packets; a refused
// peer may be the flood itself, so it gets less time and bytes than a
// served one's lingering close (ServerOptions::linger_*).
constexpr std::chrono::seconds kLinger{2};
constexpr size_t kMaxDrainBytes = 64 * 1024;

class Refusal : public std::enable_shared_from_this<Refusal> {
 public:
  Refusal(tcp::socket socket, bool tls) : stream_(std::move(socket)), tls_(tls) {}
  void Start(const HttpResponse& answer) {
    if (tls_) return Close();
    auto reason = beast::http::obsolete_reason(static_cast<beast::http::status>(answer.status));
    text_ = "HTTP/1.1 " + std::to_string(answer.status) + " " + std::string(reason) +
            "\r\nServer: twostepd\r\nContent-Type: " + answer.content_type +
            "\r\nCache-Control: no-store\r\nConnection: close\r\n";
    for (const auto& [k, v] : answer.headers) text_ += k + ": " + v + "\r\n";
    text_ += "Content-Length: " + std::to_string(answer.body.size()) + "\r\n\r\n" + answer.body;
    stream_.expires_after(kLinger);
    net::async_write(stream_, net::buffer(text_),
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->Close();
                       beast::error_code ignored;
                       self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                       self->Drain();
                     });
  }

 private:
  void Drain() {
    stream_.async_read_some(net::buffer(buf_), [self = shared_from_this()](beast::error_code ec, size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ > kMaxDrainBytes) return self->Close();
      self->Drain();
    });
  }
  void Close() {
    beast::error_code ignored;
    stream_.socket().close(ignored);
  }
  beast::tcp_stream stream_;
  bool tls_;
  std::string text_;
  std::array<char, 4096> buf_{};
  size_t drained_ = 0;
};
}  // namespace

void RefuseConnection(tcp::socket socket, bool tls, const HttpResponse& answer) {
  std::make_shared<Refusal>(std::move(socket), tls)->Start(answer);
}

}  // namespace twostep::http
