#include "http_load.h"

#include <memory>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace bench {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

namespace {

class Conn : public std::enable_shared_from_this<Conn> {
 public:
  Conn(net::any_io_executor ex, const LoadSpec& spec, size_t index, SteadyTime start,
       SteadyTime deadline)
      : spec_(spec), index_(index), stream_(ex), timer_(ex), deadline_(deadline) {
    if (spec_.rate > 0) {
      interval_ = std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(spec_.connections / spec_.rate));
      // Spread the connections' schedules over one interval.
      due_ = start + interval_ * static_cast<long>(index) / spec_.connections;
    }
  }

  // Open loop: connect just before the first scheduled request, or the
  // server's header timeout would close a connection that waited its turn.
  void Start() {
    if (spec_.rate <= 0 || due_ <= Clock::now()) return Connect();
    timer_.expires_at(due_);
    timer_.async_wait([self = shared_from_this()](beast::error_code) { self->Connect(); });
  }

  LoadResult result;

 private:
  void Connect() {
    if (Clock::now() >= deadline_) return;
    stream_.expires_after(std::chrono::seconds(10));
    stream_.async_connect(spec_.server, [self = shared_from_this()](beast::error_code ec) {
      if (ec) {
        ++self->result.transport_errors;
        return self->RetryLater();
      }
      self->stream_.socket().set_option(net::ip::tcp::no_delay(true));
      self->Next();
    });
  }

  void RetryLater() {
    beast::error_code ignored;
    stream_.socket().close(ignored);
    timer_.expires_after(std::chrono::milliseconds(100));
    timer_.async_wait([self = shared_from_this()](beast::error_code) { self->Connect(); });
  }

  void Next() {
    auto now = Clock::now();
    if (now >= deadline_) return Finish();
    if (spec_.rate > 0 && now < due_) {
      timer_.expires_at(due_);
      return timer_.async_wait([self = shared_from_this()](beast::error_code) { self->Send(); });
    }
    Send();
  }

  void Send() {
    if (Clock::now() >= deadline_) return Finish();
    req_ = {};
    req_.version(11);
    req_.set(http::field::host, "127.0.0.1");
    req_.keep_alive(true);
    if (!spec_.make(index_, req_)) return Finish();
    req_.prepare_payload();
    if (spec_.rate > 0) {
      started_ = due_;  // open loop: latency from the scheduled moment
      due_ += interval_;
    } else {
      started_ = Clock::now();
    }
    stream_.expires_after(std::chrono::seconds(30));
    http::async_write(stream_, req_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->Failed();
      self->res_ = {};
      http::async_read(self->stream_, self->buffer_, self->res_,
                       [self](beast::error_code ec, size_t) { self->OnAnswer(ec); });
    });
  }

  void OnAnswer(beast::error_code ec) {
    if (ec) return Failed();
    auto now = Clock::now();
    // Answers after the window do not count: the rate is answers completed
    // within it.
    if (now > deadline_) return Finish();
    double us = std::chrono::duration<double, std::micro>(now - started_).count();
    int status = res_.result_int();
    ++result.answers;
    ++result.statuses[status];
    result.latency.Add(us);
    if (status / 100 == 2) result.latency_2xx.Add(us);
    if (status == 503 && res_[http::field::retry_after].empty()) ++result.missing_retry_after;
    if (spec_.on_response) spec_.on_response(index_, res_, started_, now);
    if (!res_.keep_alive()) {
      beast::error_code ignored;
      stream_.socket().close(ignored);
      buffer_.clear();
      return Connect();
    }
    Next();
  }

  void Failed() {
    ++result.transport_errors;
    buffer_.clear();
    RetryLater();
  }

  void Finish() {
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  const LoadSpec& spec_;
  size_t index_;
  beast::tcp_stream stream_;
  net::steady_timer timer_;
  beast::flat_buffer buffer_;
  Request req_;
  Response res_;
  SteadyTime deadline_;
  SteadyTime due_;
  SteadyTime started_;
  Clock::duration interval_{};
};

}  // namespace

uint64_t LoadResult::Count2xx() const {
  uint64_t n = 0;
  for (auto [s, c] : statuses)
    if (s / 100 == 2) n += c;
  return n;
}

boost::json::object LoadResult::ToJson() {
  boost::json::object st;
  for (auto [s, c] : statuses) st[std::to_string(s)] = c;
  return {{"elapsed_s", elapsed_s},
          {"answers", answers},
          {"per_s", elapsed_s > 0 ? static_cast<double>(answers) / elapsed_s : 0.0},
          {"ok_per_s", elapsed_s > 0 ? static_cast<double>(Count2xx()) / elapsed_s : 0.0},
          {"transport_errors", transport_errors},
          {"missing_retry_after", missing_retry_after},
          {"statuses", st},
          {"latency", latency.Summary()},
          {"latency_2xx", latency_2xx.Summary()}};
}

LoadResult RunHttpLoad(const LoadSpec& spec) {
  net::io_context ioc(spec.threads);
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(spec.seconds));
  std::vector<std::shared_ptr<Conn>> conns;
  for (int i = 0; i < spec.connections; ++i) {
    conns.push_back(std::make_shared<Conn>(net::make_strand(ioc), spec, i, start, deadline));
    conns.back()->Start();
  }
  std::vector<std::thread> threads;
  for (int i = 1; i < spec.threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  LoadResult total;
  total.elapsed_s = std::chrono::duration<double>(deadline - start).count();
  for (auto& c : conns) {
    total.answers += c->result.answers;
    total.transport_errors += c->result.transport_errors;
    total.missing_retry_after += c->result.missing_retry_after;
    for (auto [s, n] : c->result.statuses) total.statuses[s] += n;
    total.latency.Merge(c->result.latency);
    total.latency_2xx.Merge(c->result.latency_2xx);
  }
  return total;
}

}  // namespace bench
