#include "tls/name_constraints.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "base/der.h"

namespace authemu {

namespace {

constexpr unsigned char kSequence = 0x30;
constexpr unsigned char kPermitted = 0xa0; // [0] IMPLICIT GeneralSubtrees, constructed
constexpr unsigned char kExcluded = 0xa1;  // [1]
constexpr unsigned char kDnsName = 0x82;   // GeneralName dNSName [2] IMPLICIT IA5String
constexpr unsigned char kIpAddress = 0x87; // GeneralName iPAddress [7] IMPLICIT OCTET STRING

// One DER element off the front of in: its tag and contents. X.690 §10.1: definite lengths only.
std::string_view take(std::string_view& in, unsigned char& tag) {
  if (in.size() < 2) throw std::invalid_argument("truncated element");
  tag = static_cast<unsigned char>(in[0]);
  size_t len = static_cast<unsigned char>(in[1]), at = 2;
  if (len & 0x80) {
    size_t bytes = len & 0x7f;
    if (bytes == 0 || bytes > 4 || in.size() < 2 + bytes) throw std::invalid_argument("bad length");
    len = 0;
    for (size_t i = 0; i < bytes; ++i)
      len = (len << 8) | static_cast<unsigned char>(in[2 + i]);
    at += bytes;
  }
  if (in.size() - at < len) throw std::invalid_argument("length past the end");
  std::string_view contents = in.substr(at, len);
  in.remove_prefix(at + len);
  return contents;
}

std::string subtrees(const std::vector<std::string>& dns, const std::vector<NameConstraints::IpRange>& ips) {
  std::string out;
  for (const auto& name : dns)
    out += der_tlv(kSequence, der_tlv(kDnsName, name));
  for (const auto& ip : ips)
    out += der_tlv(kSequence, der_tlv(kIpAddress, ip.address + ip.mask));
  return out;
}

// GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] DEFAULT 0, maximum [1] OPTIONAL }:
// the bases of the types that name a TLS server; minimum and maximum are unused (§4.2.1.10).
void read_subtrees(std::string_view in, std::vector<std::string>& dns, std::vector<NameConstraints::IpRange>& ips) {
  while (!in.empty()) {
    unsigned char tag;
    std::string_view subtree = take(in, tag);
    if (tag != kSequence) throw std::invalid_argument("a GeneralSubtree is not a SEQUENCE");
    std::string_view base = take(subtree, tag);
    if (tag == kDnsName) {
      std::string name(base);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      dns.push_back(name);
    } else if (tag == kIpAddress) {
      if (base.size() != 8 && base.size() != 32) throw std::invalid_argument("an iPAddress subtree is not address + mask");
      ips.push_back({std::string(base.substr(0, base.size() / 2)), std::string(base.substr(base.size() / 2))});
    }
  }
}

// §4.2.1.10: "host.example.com" is within "example.com" (one or more labels added) and ".example.com";
// a wildcard "*.example.com" is within both too.
bool dns_within(std::string_view name, std::string_view tree) {
  if (tree.empty()) return true;
  if (tree.front() == '.') return name.size() > tree.size() && name.substr(name.size() - tree.size()) == tree;
  if (name == tree) return true;
  return name.size() > tree.size() && name.substr(name.size() - tree.size()) == tree &&
         name[name.size() - tree.size() - 1] == '.';
}

bool ip_within(std::string_view address, const NameConstraints::IpRange& range) {
  if (address.size() != range.address.size()) return false;
  for (size_t i = 0; i < address.size(); ++i)
    if ((address[i] & range.mask[i]) != (range.address[i] & range.mask[i])) return false;
  return true;
}

} // namespace

NameConstraints NameConstraints::permitting(const TlsNames& names) {
  NameConstraints out;
  for (const auto& name : names.dns) {
    std::string tree = name.rfind("*.", 0) == 0 ? name.substr(2) : name;
    if (std::find(out.permitted_dns.begin(), out.permitted_dns.end(), tree) == out.permitted_dns.end())
      out.permitted_dns.push_back(tree);
  }
  for (const auto& text : names.ips) {
    std::string address = ip_bytes(text).value_or("");
    if (!address.empty()) out.permitted_ips.push_back({address, std::string(address.size(), '\xff')});
  }
  return out;
}

std::string NameConstraints::to_der() const {
  std::string body;
  std::string permitted = subtrees(permitted_dns, permitted_ips), excluded = subtrees(excluded_dns, excluded_ips);
  // §4.2.1.10: GeneralSubtrees is SIZE (1..MAX): an empty list is left out, not written empty.
  if (!permitted.empty()) body += der_tlv(kPermitted, permitted);
  if (!excluded.empty()) body += der_tlv(kExcluded, excluded);
  return der_tlv(kSequence, body);
}

NameConstraints NameConstraints::from_der(std::string_view der) {
  NameConstraints out;
  unsigned char tag;
  std::string_view body = take(der, tag);
  if (tag != kSequence || !der.empty()) throw std::invalid_argument("not one SEQUENCE");
  while (!body.empty()) {
    std::string_view trees = take(body, tag);
    if (tag == kPermitted) {
      read_subtrees(trees, out.permitted_dns, out.permitted_ips);
    } else if (tag == kExcluded) {
      read_subtrees(trees, out.excluded_dns, out.excluded_ips);
    } else {
      throw std::invalid_argument("unknown field");
    }
  }
  return out;
}

bool NameConstraints::permits_dns(std::string_view name) const {
  auto within = [&](const std::string& tree) { return dns_within(name, tree); };
  if (std::any_of(excluded_dns.begin(), excluded_dns.end(), within)) return false;
  return permitted_dns.empty() || std::any_of(permitted_dns.begin(), permitted_dns.end(), within);
}

bool NameConstraints::permits_ip(std::string_view address) const {
  auto within = [&](const IpRange& range) { return ip_within(address, range); };
  if (std::any_of(excluded_ips.begin(), excluded_ips.end(), within)) return false;
  return permitted_ips.empty() || std::any_of(permitted_ips.begin(), permitted_ips.end(), within);
}

std::vector<std::string> NameConstraints::not_permitted(const TlsNames& names) const {
  std::vector<std::string> out;
  for (const auto& name : names.dns)
    if (!permits_dns(name)) out.push_back(name);
  for (const auto& ip : names.ips)
    if (!permits_ip(ip_bytes(ip).value_or(""))) out.push_back(ip);
  return out;
}

std::vector<std::string> NameConstraints::permitted_text() const {
  std::vector<std::string> out = permitted_dns;
  for (const auto& range : permitted_ips) {
    bool host = range.mask == std::string(range.mask.size(), '\xff');
    out.push_back(ip_text(range.address) + (host ? "" : "/" + ip_text(range.mask)));
  }
  return out;
}

} // namespace authemu
