// base/distinguished_name: RFC 4514 text, and RFC 4517 distinguishedNameMatch.
#include <catch2/catch.hpp>

#include "base/distinguished_name.h"

using namespace authemu;

namespace {

DistinguishedName dn(const std::string& text) {
  std::string error;
  auto parsed = parse_dn(text, &error);
  INFO(text << ": " << error);
  REQUIRE(parsed);
  return *parsed;
}

std::string why(const std::string& text) {
  std::string error;
  CHECK_FALSE(parse_dn(text, &error));
  return error;
}

} // namespace

TEST_CASE("distinguished_name: RFC 4514 text is read most significant last, into ASN.1 order") {
  auto name = dn("CN=svc,O=Acme Corp,C=FR");
  REQUIRE(name.size() == 3);
  CHECK(name[0][0].type == "2.5.4.6");
  CHECK(name[0][0].value == "FR");
  CHECK(name[1][0].type == "2.5.4.10");
  CHECK(name[1][0].value == "Acme Corp");
  CHECK(name[2][0].type == "2.5.4.3");
  CHECK(name[2][0].value == "svc");
  CHECK(format_dn(name) == "CN=svc,O=Acme Corp,C=FR");
}

TEST_CASE("distinguished_name: escapes, hex pairs, #BER values, multi-valued RDNs and OIDs") {
  CHECK(dn("CN=a\\,b")[0][0].value == "a,b");
  CHECK(dn("CN=Lu\\C4\\8Di\\C4\\87")[0][0].value == "Lu\xC4\x8D" "i\xC4\x87");
  CHECK(dn("CN=#0C03737663")[0][0].value == "svc"); // UTF8String "svc"
  CHECK(dn("2.5.4.3=svc")[0][0].type == "2.5.4.3");
  CHECK(dn("OID.2.5.4.3=svc")[0][0].type == "2.5.4.3");
  CHECK(dn("E=a@b.example")[0][0].type == "1.2.840.113549.1.9.1");
  auto multi = dn("OU=Eng+CN=svc,O=Acme");
  REQUIRE(multi.size() == 2);
  CHECK(multi[1].size() == 2);
  CHECK(format_dn(multi) == "OU=Eng+CN=svc,O=Acme");
  CHECK(dn(" CN = svc , O = Acme ")[1][0].value == "svc");
  CHECK(dn("CN=\\ lead")[0][0].value == " lead");
  CHECK(format_dn(dn("CN=\\ lead\\,x\\ ")) == "CN=\\ lead\\,x\\ ");
  CHECK(format_dn({{{"1.2.3.4", "v"}}}) == "1.2.3.4=v");
}

TEST_CASE("distinguished_name: syntax errors say what is wrong") {
  CHECK(why("") == "empty");
  CHECK(why("svc") == "expected TYPE=value at byte 1");
  CHECK(why("CN=svc,,O=a") == "expected TYPE=value at byte 8");
  CHECK(why("XX=svc") == "unknown attribute type XX (a short name such as CN, O, OU, C or a dotted OID)");
  CHECK(why("1.02.3=x").rfind("unknown attribute type 1.02.3", 0) == 0);
  CHECK(why("CN=a\\") == "a lone \\ at the end");
  CHECK(why("CN=a\\q") == "\\q is not an escape (RFC 4514 §2.4)");
  CHECK(why("CN=a\\4") == "\\ must be followed by two hex digits or a special character");
  CHECK(why("CN=a=b") == "unescaped = in the value of CN");
  CHECK(why("CN=#0C0373") == "the #hex value of CN is not one BER element");
  CHECK(why("CN=#0C037") == "odd number of hex digits after #");
  CHECK(why(std::string(5000, 'a')) == "longer than 4096 bytes");
}

TEST_CASE("distinguished_name: distinguishedNameMatch ignores case, spacing and order inside an RDN") {
  CHECK(dn_equal(dn("CN=svc,O=Acme"), dn("cn=SVC, o=acme")));
  CHECK(dn_equal(dn("CN=my  svc"), dn("CN= my svc ")));
  CHECK(dn_equal(dn("OU=Eng+CN=svc"), dn("CN=svc+OU=Eng")));
  CHECK(dn_equal(dn("CN=svc"), dn("2.5.4.3=svc")));
  CHECK_FALSE(dn_equal(dn("CN=svc,O=Acme"), dn("O=Acme,CN=svc"))); // order of RDNs counts
  CHECK_FALSE(dn_equal(dn("CN=svc"), dn("CN=svc,O=Acme")));
  CHECK_FALSE(dn_equal(dn("CN=svc"), dn("CN=svc2")));
  CHECK_FALSE(dn_equal(dn("CN=svc+OU=Eng"), dn("CN=svc,OU=Eng")));
  CHECK_FALSE(dn_equal(dn("CN=svc"), dn("OU=svc")));
}
