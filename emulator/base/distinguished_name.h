// X.500 distinguished names as RFC 4514 writes them: parsing a registered name ("CN=svc,O=Acme"),
// writing a certificate's subject for messages, and comparing two names as RFC 4517's
// distinguishedNameMatch does. Plain values: tls/ fills them from certificates, oauth/ compares.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace authemu {

// One attribute of a relative distinguished name: its type as a dotted OID ("2.5.4.3" for CN) and
// its value as UTF-8 text (a BMPString converted; other string types as their bytes).
struct DnAttribute {
  std::string type;
  std::string value;
};
// One RDN: one attribute, or several joined by "+" (a multi-valued RDN, RFC 4514 §2.2).
using Rdn = std::vector<DnAttribute>;
// The RDN sequence in the certificate's (ASN.1) order: the most significant first (C before CN).
// RFC 4514 §2.1 writes it the other way round: "CN=svc,O=Acme,C=FR".
using DistinguishedName = std::vector<Rdn>;

// RFC 4514 §3 text to a name. Types: the short names of §3 (CN, L, ST, O, OU, C, STREET, DC, UID)
// and emailAddress / E, case-insensitive, or a dotted OID; values with §3's escapes ("\,", "\2C")
// or "#" followed by the hex of a BER value. Nothing on a syntax error, with *error saying what.
std::optional<DistinguishedName> parse_dn(std::string_view text, std::string* error = nullptr);

// RFC 4514 §2 text of a name (short names where §3 has one, dotted OIDs else, §2.4's escapes).
std::string format_dn(const DistinguishedName& dn);

// RFC 4517 §4.2.15 distinguishedNameMatch: the same RDNs in the same order, each RDN the same set
// of attributes, values compared as caseIgnoreMatch does (§4.2.11, with §4's insignificant-space
// handling: leading and trailing spaces dropped, inner runs of spaces as one, letters of ASCII
// compared without case).
bool dn_equal(const DistinguishedName& a, const DistinguishedName& b);

} // namespace authemu
