#include "domain/device_text.h"

#include <gtest/gtest.h>

namespace twostep::domain {
namespace {

TEST(DeviceTextTest, PlainNamesPassUnchanged) {
  for (const char* s : {"Pixel 8", "GKWS6", "Android 15", "kasa", "3.4.1", "Ann’s iPhone",
                        "Телефон Анны", "小米 14", "📱 phone"}) {
    auto r = NormalizeDeviceText("name", s);
    ASSERT_TRUE(r.ok()) << s;
    EXPECT_EQ(*r, s);
  }
}

TEST(DeviceTextTest, TheNfcFormIsKept) {
  // "é" as e + COMBINING ACUTE ACCENT becomes the one precomposed code point.
  auto r = NormalizeDeviceText("name", "Rene\xCC\x81's phone");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "Ren\xC3\xA9's phone");
}

TEST(DeviceTextTest, LengthIsCountedInCharactersAfterNfc) {
  EXPECT_FALSE(NormalizeDeviceText("name", "").ok());
  EXPECT_TRUE(NormalizeDeviceText("name", "x").ok());
  EXPECT_TRUE(NormalizeDeviceText("name", std::string(64, 'a')).ok());
  EXPECT_FALSE(NormalizeDeviceText("name", std::string(65, 'a')).ok());
  // 64 two-byte characters (128 bytes) are fine: the limit is characters.
  std::string cyrillic;
  for (int i = 0; i < 64; ++i) cyrillic += "\xD0\x96";  // Ж
  EXPECT_TRUE(NormalizeDeviceText("name", cyrillic).ok());
  // 64 decomposed "é" are 128 code points before NFC and 64 after.
  std::string decomposed;
  for (int i = 0; i < 64; ++i) decomposed += "e\xCC\x81";
  EXPECT_TRUE(NormalizeDeviceText("name", decomposed).ok());
}

TEST(DeviceTextTest, ControlAndFormatCharactersAreRefusedNamingTheField) {
  const char* bad[] = {
      "bell\x07",              // C0 control (Cc)
      "tab\there",             // Cc
      "del\x7f",               // Cc
      "c1\xC2\x85",            // U+0085 NEL, C1 control (Cc)
      "evil\xE2\x80\xAEgpj.exe",  // U+202E RIGHT-TO-LEFT OVERRIDE (Cf)
      "\xE2\x81\xA6iso",       // U+2066 LEFT-TO-RIGHT ISOLATE (Cf)
      "zero\xE2\x80\x8Bwidth",  // U+200B ZERO WIDTH SPACE (Cf)
      "\xEF\xBB\xBF" "bom",    // U+FEFF BYTE ORDER MARK (Cf)
      "soft\xC2\xADhyphen",    // U+00AD SOFT HYPHEN (Cf)
      "lrm\xE2\x80\x8E",       // U+200E LEFT-TO-RIGHT MARK (Cf)
  };
  for (const char* s : bad) {
    auto r = NormalizeDeviceText("device.model", s);
    ASSERT_FALSE(r.ok()) << s;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidRequest);
    EXPECT_NE(r.error().detail.find("device.model"), std::string::npos) << r.error().detail;
  }
}

TEST(DeviceTextTest, InvalidUtf8IsRefused) {
  for (const char* s : {"\xFF", "abc\xC3", "\xED\xA0\x80"}) {  // bad byte, cut, surrogate
    auto r = NormalizeDeviceText("device.os", s);
    ASSERT_FALSE(r.ok()) << s;
    EXPECT_NE(r.error().detail.find("device.os"), std::string::npos);
  }
}

}  // namespace
}  // namespace twostep::domain
