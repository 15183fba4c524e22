// The X.509 name-constraints extension (RFC 5280 §4.2.1.10) of a CA: encoded for the CA this
// server generates, decoded from any CA it reads, and the check of which names it lets the CA
// sign for. DER only: no mbedTLS (it neither writes nor enforces this extension).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "tls/tls_names.h"

namespace authemu {

struct NameConstraints {
  struct IpRange {
    std::string address; // 4 or 16 bytes
    std::string mask;    // as many bytes as address
  };
  // dNSName subtrees: "example.com" covers it and every name below it; ".example.com" only below.
  std::vector<std::string> permitted_dns, excluded_dns;
  std::vector<IpRange> permitted_ips, excluded_ips;

  // Permits exactly names: each DNS name (a wildcard "*.x" as "x") and each address as a /32 or /128.
  static NameConstraints permitting(const TlsNames& names);
  // The extension's value (extnValue contents): NameConstraints ::= SEQUENCE { permittedSubtrees [0], … }.
  std::string to_der() const;
  // Reads an extension value; subtrees of other name types (e-mail, URI, directory name) are skipped.
  // Throws std::invalid_argument naming what is malformed.
  static NameConstraints from_der(std::string_view der);

  // RFC 5280 §4.2.1.10: a name of a type with no permitted subtree is permitted unless excluded.
  bool permits_dns(std::string_view name) const;
  bool permits_ip(std::string_view address_bytes) const;
  // The names of `names` these constraints do not permit, in order.
  std::vector<std::string> not_permitted(const TlsNames& names) const;
  // The permitted subtrees as text: "localhost", "127.0.0.1", "10.0.0.0/255.0.0.0".
  std::vector<std::string> permitted_text() const;
};

} // namespace authemu
