// TlsNames parsing and the name-constraints extension: DER round trip, the bytes RFC 5280 §4.2.1.10
// prescribes, and which names a set of constraints permits.
#include <catch2/catch.hpp>

#include "base/config_error.h"
#include "tls/name_constraints.h"

using namespace authemu;

TEST_CASE("name_constraints: names split into DNS names and IP addresses") {
  TlsNames names = TlsNames::parse({"LocalHost", "*.localhost", "127.0.0.1", "[::1]", "localhost", "auth.example."}, "--tls-names");
  CHECK(names.dns == std::vector<std::string>{"localhost", "*.localhost", "auth.example"});
  CHECK(names.ips == std::vector<std::string>{"127.0.0.1", "::1"});
  CHECK(names.all().size() == 5);
  SECTION("anything else is refused, named") {
    CHECK_THROWS_WITH(TlsNames::parse({"a b"}, "--tls-names"), "--tls-names: \"a b\" is not a host name or IP address");
    CHECK_THROWS_WITH(TlsNames::parse({"-a.example"}, "x"), "x: \"-a.example\" is not a host name or IP address");
    CHECK_THROWS_WITH(TlsNames::parse({"a.*.example"}, "x"), "x: \"a.*.example\" is not a host name or IP address");
    CHECK_THROWS_WITH(TlsNames::parse({""}, "x"), "x: \"\" is not a host name or IP address");
  }
}

TEST_CASE("name_constraints: the DER of permitted subtrees (RFC 5280 §4.2.1.10)") {
  TlsNames names = TlsNames::parse({"a.example", "10.0.0.1"}, "t");
  std::string der = NameConstraints::permitting(names).to_der();
  // SEQUENCE { [0] { SEQUENCE { [2] "a.example" } SEQUENCE { [7] 10.0.0.1 255.255.255.255 } } }
  std::string expected = std::string("\x30\x1b\xa0\x19\x30\x0b\x82\x09", 8) + "a.example" +
                         std::string("\x30\x0a\x87\x08\x0a\x00\x00\x01\xff\xff\xff\xff", 12);
  CHECK(der == expected);
}

TEST_CASE("name_constraints: round trip and coverage") {
  TlsNames names = TlsNames::parse({"localhost", "*.localhost", "auth.example", "127.0.0.1", "::1"}, "t");
  NameConstraints back = NameConstraints::from_der(NameConstraints::permitting(names).to_der());
  CHECK(back.permitted_text() == std::vector<std::string>{"localhost", "auth.example", "127.0.0.1", "::1"});
  CHECK(back.permits_dns("localhost"));
  CHECK(back.permits_dns("a.b.localhost")); // §4.2.1.10: labels added on the left
  CHECK(back.permits_dns("*.localhost"));
  CHECK_FALSE(back.permits_dns("xlocalhost"));
  CHECK_FALSE(back.permits_dns("example"));
  CHECK(back.not_permitted(TlsNames::parse({"a.example", "api.auth.example", "10.0.0.1", "::1"}, "t")) ==
        std::vector<std::string>{"a.example", "10.0.0.1"});
  SECTION("a type without permitted subtrees is open; excluded subtrees win") {
    NameConstraints c;
    c.permitted_dns = {"example.com"};
    c.excluded_dns = {"bad.example.com"};
    c.excluded_ips = {{std::string("\x0a\x00\x00\x00", 4), std::string("\xff\x00\x00\x00", 4)}};
    NameConstraints r = NameConstraints::from_der(c.to_der());
    CHECK(r.permits_dns("ok.example.com"));
    CHECK_FALSE(r.permits_dns("x.bad.example.com"));
    CHECK(r.permits_ip(*ip_bytes("192.168.1.1")));
    CHECK_FALSE(r.permits_ip(*ip_bytes("10.9.9.9")));
  }
  SECTION("a leading dot permits only names below") {
    NameConstraints c;
    c.permitted_dns = {".example.com"};
    CHECK(c.permits_dns("a.example.com"));
    CHECK_FALSE(c.permits_dns("example.com"));
  }
}

TEST_CASE("name_constraints: malformed DER is refused") {
  CHECK_THROWS_WITH(NameConstraints::from_der(""), "truncated element");
  CHECK_THROWS_WITH(NameConstraints::from_der(std::string("\x30\x05\xa0\x03", 4)), "length past the end");
  CHECK_THROWS_WITH(NameConstraints::from_der(std::string("\x30\x02\xa2\x00", 4)), "unknown field");
  CHECK_THROWS_WITH(NameConstraints::from_der(std::string("\x30\x06\xa0\x04\x30\x02\x87\x00", 8)),
                    "an iPAddress subtree is not address + mask");
}
