// TempDir: a fresh directory under $TMPDIR, removed with its contents.
#pragma once

#include <string>

namespace twostep::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace twostep::testing
