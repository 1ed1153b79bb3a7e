#include "app/line_buffer_sink.h"

#include <unistd.h>

#include <cerrno>

namespace twostep::app {

LineBufferSink::~LineBufferSink() {
  std::lock_guard lock(mutex_);
  WriteOut();
}

void LineBufferSink::sink_it_(const spdlog::details::log_msg& msg) {
  spdlog::memory_buf_t line;
  formatter_->format(msg, line);
  buffer_.append(line.data(), line.size());
  const bool buffered = std::string_view(msg.logger_name.data(), msg.logger_name.size()) == kBufferedLogger;
  if (!buffered || buffer_.size() >= kFlushAt) WriteOut();
}

void LineBufferSink::flush_() { WriteOut(); }

void LineBufferSink::WriteOut() {
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // a closed or full descriptor: the lines are dropped, the server goes on
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
}

}  // namespace twostep::app
