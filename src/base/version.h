// The version (the VERSION file, read by CMake) and the git commit the
// binaries were built from ("unknown" outside a git checkout). Generated at
// build time (cmake/version.cmake), so a new commit needs no reconfigure.
#pragma once

#include <string_view>

namespace twostep {

std::string_view Version();
std::string_view Commit();

}  // namespace twostep
