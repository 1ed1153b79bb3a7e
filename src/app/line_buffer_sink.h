// LineBufferSink: the log sink of twostepd (issue #18). Every line is
// formatted whole into one buffer under the sink's lock, so lines never
// interleave, and the buffer reaches the file descriptor in one write(2)
// per flush instead of one per line: a request costs a memcpy, not a
// system call. The logger decides when to flush:
//   - the "requests" logger (one line per HTTP request) only buffers; the
//     buffer is written when it reaches 64 KiB, by the periodic flush
//     (at least every second, spdlog::flush_every) and at exit;
//   - every other line (start-up, reloads, warnings: rare, and read by
//     operators and tests as they happen) flushes at once, taking the
//     buffered request lines before it along, in order.
// What a crash (SIGKILL, SIGSEGV) loses is the last second of request
// lines, never an event line (docs/OPERATIONS.md).
#pragma once

#include <mutex>
#include <string>
#include <string_view>

#include <spdlog/sinks/base_sink.h>

namespace twostep::app {

class LineBufferSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  static constexpr size_t kFlushAt = 64 * 1024;
  static constexpr std::string_view kBufferedLogger = "requests";

  explicit LineBufferSink(int fd) : fd_(fd) { buffer_.reserve(2 * kFlushAt); }
  ~LineBufferSink() override;

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override;

 private:
  void WriteOut();  // with the lock held

  int fd_;
  std::string buffer_;  // GUARDED_BY(base_sink::mutex_)
};

}  // namespace twostep::app
