// The catalog of every language, read once from the files compiled in
// (catalog_files.h). Internal to src/i18n: the rest of the code uses
// messages.h.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "i18n/catalog_files.h"

namespace twostep::i18n {

// key -> ICU MessageFormat pattern, the union of a language's area files.
using Messages = std::map<std::string, std::string, std::less<>>;

class Catalog {
 public:
  // Parses `files`; throws std::logic_error on a malformed file or a key
  // defined twice in one language (a build that cannot speak).
  explicit Catalog(std::span<const CatalogFile> files);
  // The catalog compiled in (catalog_files.h), parsed once.
  static const Catalog& BuiltIn();

  // The pattern of `key` in `lang`; else, with `lang` set to "en", the
  // English one. std::logic_error when English has none (a programming
  // error). An unknown `lang` is English.
  const std::string& Resolve(std::string_view& lang, std::string_view key) const;

  // The pattern of `key` in `lang`, or nullptr.
  const std::string* Find(std::string_view lang, std::string_view key) const;
  // The messages of `lang` (empty for a language without files).
  const Messages& Of(std::string_view lang) const;
  const std::map<std::string, Messages, std::less<>>& languages() const { return languages_; }

 private:
  std::map<std::string, Messages, std::less<>> languages_;
};

}  // namespace twostep::i18n
