// base/origin: origins and Host values as comparable strings.
#include <catch2/catch.hpp>

#include "base/origin.h"

using namespace authemu;

TEST_CASE("origin: of a URL, lower-cased, default port dropped") {
  CHECK(origin_of_url("HTTPS://App.Example:443/cb?x=1#f") == "https://app.example");
  CHECK(origin_of_url("http://localhost:3000/callback") == "http://localhost:3000");
  CHECK(origin_of_url("http://localhost:80") == "http://localhost");
  CHECK(origin_of_url("https://u:p@host.example:8443/") == "https://host.example:8443");
  CHECK(origin_of_url("http://[::1]:8080/x") == "http://[::1]:8080");
  CHECK(origin_of_url("myapp://callback/x") == "myapp://callback");
  for (const char* bad : {"null", "", "com.example.app:/cb", "http://", "http://a b/", "http://a:0", "http://a:65536",
                          "http://[::1/", "1http://a"}) {
    INFO(bad);
    CHECK_FALSE(origin_of_url(bad));
  }
}

TEST_CASE("origin: an Origin value is an origin and nothing more") {
  CHECK(parse_origin("https://app.example") == "https://app.example");
  CHECK(parse_origin("https://app.example/") == "https://app.example");
  CHECK_FALSE(parse_origin("https://app.example/cb"));
  CHECK_FALSE(parse_origin("https://app.example?x"));
  CHECK_FALSE(parse_origin("https://u@app.example"));
  CHECK_FALSE(parse_origin("null"));
}

TEST_CASE("origin: Host values and IP literals") {
  CHECK(normalize_authority("Example.COM:443", "https") == "example.com");
  CHECK(normalize_authority("example.com:443", "http") == "example.com:443");
  CHECK(normalize_authority("[::1]:80", "http") == "[::1]");
  CHECK_FALSE(normalize_authority("a:b:c", "http"));
  CHECK_FALSE(normalize_authority("evil.example/x", "http"));
  CHECK(host_of_authority("Example.com:8080") == "example.com");
  CHECK(host_of_authority("[::1]:8080") == "[::1]");
  CHECK(authority_of_url("https://a.example:8443/api/auth") == "a.example:8443");
  for (const char* ip : {"127.0.0.1", "10.0.0.255", "[::1]", "[fe80::1]", "[::ffff:127.0.0.1]"}) {
    INFO(ip);
    CHECK(is_ip_literal(ip));
  }
  for (const char* name : {"localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4a", "::1", "[localhost]", "[]"}) {
    INFO(name);
    CHECK_FALSE(is_ip_literal(name));
  }
}

TEST_CASE("origin: listen hosts: loopback, where a client on this machine connects, localhost, URL form") {
  for (const char* host : {"localhost", "LocalHost", "127.0.0.1", "127.0.0.2", "127.255.255.254", "::1", "[::1]",
                           "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"}) {
    INFO(host);
    CHECK(is_loopback_host(host));
  }
  for (const char* host : {"0.0.0.0", "::", "[::]", "", "10.1.2.3", "128.0.0.1", "fd00::1", "::2", "127.example.com",
                           "127.1", "localhost.example", "authemu"}) {
    INFO(host);
    CHECK_FALSE(is_loopback_host(host));
  }

  // A wildcard on 127.0.0.1, whichever family it names; any other host as it is.
  CHECK(local_connect_host("0.0.0.0") == "127.0.0.1");
  CHECK(local_connect_host("") == "127.0.0.1");
  CHECK(local_connect_host("::") == "127.0.0.1");
  CHECK(local_connect_host("[::]") == "127.0.0.1");
  CHECK(local_connect_host("0:0:0:0:0:0:0:0") == "127.0.0.1");
  CHECK(local_connect_host("::1") == "::1");
  CHECK(local_connect_host("[::1]") == "::1");
  CHECK(local_connect_host("127.0.0.2") == "127.0.0.2");
  CHECK(local_connect_host("10.1.2.3") == "10.1.2.3");
  CHECK(local_connect_host("localhost") == "localhost");

  for (const char* host : {"localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0", "::", "[::]", ""}) {
    INFO(host);
    CHECK(is_reached_as_localhost(host));
  }
  for (const char* host : {"127.0.0.2", "10.1.2.3", "fd00::1", "authemu"}) { // localhost is 127.0.0.1 and ::1 only
    INFO(host);
    CHECK_FALSE(is_reached_as_localhost(host));
  }

  CHECK(url_host("127.0.0.1") == "127.0.0.1");
  CHECK(url_host("::1") == "[::1]");
  CHECK(url_host("[::1]") == "[::1]");
  CHECK(url_host("fd00::1") == "[fd00::1]");
  CHECK(url_host("authemu") == "authemu");
}
