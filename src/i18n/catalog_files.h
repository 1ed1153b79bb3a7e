// The catalog files as they were at build time (cmake/embed_catalog.cmake
// writes the definition from locales/<lang>/<area>.json).
#pragma once

#include <span>
#include <string_view>

namespace twostep::i18n {

struct CatalogFile {
  std::string_view lang;  // "zh-Hant"
  std::string_view area;  // "mail": the file's keys start with "mail."
  std::string_view json;  // the file's text, one flat object of strings
};

std::span<const CatalogFile> EmbeddedCatalogFiles();

}  // namespace twostep::i18n
