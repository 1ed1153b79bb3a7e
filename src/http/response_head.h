// ResponseHead: the status line and header fields of an answer, written
// straight into a string. The bytes are those Beast's response serializer
// wrote for the same calls (response_head_test.cc holds the two side by
// side), without Beast's cost on the request path: a field node allocated
// per header and a buffer sequence walked per write step were 8 % of a
// /healthz's CPU (issue #18's profile). Internal to http/.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <boost/container/small_vector.hpp>

namespace twostep::http {

class ResponseHead {
 public:
  explicit ResponseHead(int status) : status_(status) {}

  // As Beast's fields::set: a field of the same name (in any case) set
  // before is dropped, and this one goes last. Name and value are not
  // copied: they must live until Write.
  // A field with CR or LF in its name or value (or an empty name, or a
  // colon in it) is left out: it could split the answer.
  void Set(std::string_view name, std::string_view value);

  // Replaces `out` with the head: the status line ("HTTP/1.1 200 OK"), the
  // fields in order, Content-Length, "Connection: close" unless
  // `keep_alive`, and the blank line.
  void Write(std::string& out, size_t content_length, bool keep_alive) const;

 private:
  struct Field {
    std::string_view name;
    std::string_view value;
  };
  int status_;
  boost::container::small_vector<Field, 12> fields_;
};

}  // namespace twostep::http
