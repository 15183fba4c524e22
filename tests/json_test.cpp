// base/json: what parse_json refuses (and says why) and what dump_json writes.
#include <catch2/catch.hpp>

#include "base/json.h"

using namespace authemu;

namespace {

// The reason parse_json gives, or "ok".
std::string refusal(const std::string& text) {
  std::string error;
  auto v = parse_json(text, &error);
  return v ? "ok" : error;
}

} // namespace

TEST_CASE("json: a number beyond a double is refused, never an exception (RFC 8259 §6)") {
  for (const char* text : {"1e999", "-1e999", "1e309", "-1e309", "10e308", "1.8e308", "123456789e308", "[1,1e999]",
                           R"({"exp":1e999})", R"({"a":{"b":[-1e400]}})"}) {
    INFO(text);
    std::string error;
    std::optional<Json> v;
    REQUIRE_NOTHROW(v = parse_json(text, &error));
    CHECK_FALSE(v);
    CHECK(error == "number out of range");
  }
  SECTION("the largest doubles and integers are numbers; an integer beyond int64 is a double, not an int") {
    CHECK(refusal("1.7976931348623157e308") == "ok");
    CHECK(refusal("-1.7976931348623157e308") == "ok");
    std::string error;
    JsonObject o =
        parse_json(R"({"max":9223372036854775807,"min":-9223372036854775808,"huge":99999999999999999999999})", &error)
            ->get<JsonObject>();
    CHECK(find_int(o, "max") == INT64_MAX);
    CHECK(find_int(o, "min") == INT64_MIN);
    CHECK_FALSE(find_int(o, "huge"));
    CHECK(o.at("huge").is<double>());
  }
}

TEST_CASE("json: strings must be well-formed UTF-8 (RFC 8259 §8.1, RFC 3629 §4)") {
  SECTION("refused: stray, overlong, surrogate, beyond U+10FFFF, cut short; in values and in names") {
    for (const std::string& bad :
         {std::string("\x80"), std::string("\xBF"), std::string("\xC0\xAF"), std::string("\xC1\xBF"),
          std::string("\xE0\x80\xAF"), std::string("\xE0\x9F\xBF"), std::string("\xF0\x80\x80\xAF"),
          std::string("\xF0\x8F\xBF\xBF"), std::string("\xED\xA0\x80"), std::string("\xED\xBF\xBF"),
          std::string("\xF4\x90\x80\x80"), std::string("\xF5\x80\x80\x80"), std::string("\xFF"), std::string("\xFE"),
          std::string("\xC3"), std::string("\xE2\x82"), std::string("a\xC3(b"), std::string("\xF0\x9D\x84")}) {
      INFO(Catch::Detail::stringify(bad));
      CHECK(refusal("\"" + bad + "\"") == "invalid UTF-8 in a string");
      CHECK(refusal(R"({"name":")" + bad + "\"}") == "invalid UTF-8 in a string");
      CHECK(refusal(R"({"metadata":{")" + bad + R"(":"v"}})") == "invalid UTF-8 in a string");
      CHECK(refusal(R"([["x",")" + bad + "\"]]") == "invalid UTF-8 in a string");
    }
  }
  SECTION("accepted: every length, the edges of the ranges") {
    for (const std::string& good :
         {std::string("caf\xC3\xA9"), std::string("\xC2\x80"), std::string("\xE0\xA0\x80"), std::string("\xE2\x82\xAC"),
          std::string("\xED\x9F\xBF"), std::string("\xEE\x80\x80"), std::string("\xEF\xBF\xBF"),
          std::string("\xF0\x90\x80\x80"), std::string("\xF0\x9D\x84\x9E"), std::string("\xF4\x8F\xBF\xBF")}) {
      INFO(Catch::Detail::stringify(good));
      std::string error;
      auto v = parse_json("\"" + good + "\"", &error);
      REQUIRE(v);
      CHECK(v->get<std::string>() == good);
    }
  }
  SECTION("escapes: a surrogate pair is one character; an unpaired surrogate is refused (RFC 8259 §8.2)") {
    std::string error;
    auto pair = parse_json(R"("\ud834\udd1e")", &error);
    REQUIRE(pair);
    CHECK(pair->get<std::string>() == "\xF0\x9D\x84\x9E");
    for (const char* text : {R"("\ud800")", R"("\uDBFF")", R"("\udc00")", R"("\uDFFF x")", R"("\ud800\u0041")",
                             R"("\ud800\ud800")", R"("a\ud834")", R"({"k\ud800":1})", R"(["\udd1e\ud834"])"}) {
      INFO(text);
      CHECK(refusal(text) == "unpaired surrogate escape in a string");
    }
    CHECK(refusal(R"("\\ud800")") == "ok"); // an escaped backslash, then text
    CHECK(refusal(R"("\u00e9\u20ac")") == "ok");
  }
}

TEST_CASE("json: picojson's syntax errors quote printable ASCII only, at most 64 bytes") {
  CHECK(refusal("{") == "syntax error at line 1 near: ");
  CHECK(refusal("{\"a\":x}") == "syntax error at line 1 near: x}");
  CHECK(refusal("{\"a\":x\xFF\xFE}") == "syntax error at line 1 near: x");
  CHECK(refusal("[" + std::string(100, 'z') + "]") == "syntax error at line 1 near: " + std::string(64, 'z'));
}

TEST_CASE("json: dump_json always writes UTF-8: bytes that are not become U+FFFD") {
  JsonObject o;
  o["ok"] = json_string("caf\xC3\xA9 \xF0\x9D\x84\x9E");
  o["bad"] = json_string("a\xFF"
                         "b\xC3"
                         "c\xED\xA0\x80");
  std::string text = dump_json(Json(o));
  CHECK(text == "{\"bad\":\"a\xEF\xBF\xBD"
                "b\xEF\xBF\xBD"
                "c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\",\"ok\":\"caf\xC3\xA9 \xF0\x9D\x84\x9E\"}");
  std::string error;
  CHECK(parse_json(text, &error));
  CHECK(dump_json(Json(json_string("a/b \"q\""))) == R"("a/b \"q\"")");
}
