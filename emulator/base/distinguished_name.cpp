#include "base/distinguished_name.h"

#include <algorithm>
#include <cctype>

#include "base/number.h"

namespace authemu {

namespace {

struct ShortName {
  const char* name;
  const char* oid;
};

// RFC 4514 §3's table, plus emailAddress (PKCS #9), which certificates still carry.
const ShortName kShortNames[] = {
    {"CN", "2.5.4.3"},      {"L", "2.5.4.7"},   {"ST", "2.5.4.8"},
    {"O", "2.5.4.10"},      {"OU", "2.5.4.11"}, {"C", "2.5.4.6"},
    {"STREET", "2.5.4.9"},  {"DC", "0.9.2342.19200300.100.1.25"},
    {"UID", "0.9.2342.19200300.100.1.1"},
    {"emailAddress", "1.2.840.113549.1.9.1"},
};
// Names other writers use for the same types (OpenSSL's "E", "serialNumber", …).
const ShortName kAliases[] = {
    {"E", "1.2.840.113549.1.9.1"},  {"serialNumber", "2.5.4.5"}, {"SN", "2.5.4.4"},
    {"GN", "2.5.4.42"},            {"givenName", "2.5.4.42"},   {"title", "2.5.4.12"},
    {"organizationIdentifier", "2.5.4.97"},
};

bool ieq(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<std::string> type_oid(std::string_view type) {
  for (const auto& s : kShortNames)
    if (ieq(type, s.name)) return std::string(s.oid);
  for (const auto& s : kAliases)
    if (ieq(type, s.name)) return std::string(s.oid);
  if (type.size() > 4 && ieq(type.substr(0, 4), "OID.")) type.remove_prefix(4);
  // RFC 4512 §1.4 numericoid: number 1*( DOT number ), no leading zeros.
  if (type.empty() || !std::isdigit(static_cast<unsigned char>(type.front()))) return std::nullopt;
  size_t dots = 0;
  for (size_t i = 0; i < type.size(); ++i) {
    char c = type[i];
    if (c == '.') {
      if (i + 1 == type.size() || type[i + 1] == '.') return std::nullopt;
      ++dots;
    } else if (!std::isdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    } else if (c == '0' && (i == 0 || type[i - 1] == '.') && i + 1 < type.size() && type[i + 1] != '.') {
      return std::nullopt;
    }
  }
  if (dots == 0) return std::nullopt;
  return std::string(type);
}

const char* short_name(const std::string& oid) {
  for (const auto& s : kShortNames)
    if (oid == s.oid) return s.name;
  return nullptr;
}

// The contents of one BER/DER TLV with a definite length (RFC 4514 §2.4's "#" form), or nothing.
std::optional<std::string> ber_contents(const std::string& ber) {
  if (ber.size() < 2) return std::nullopt;
  size_t pos = 1;
  size_t len = static_cast<unsigned char>(ber[pos++]);
  if (len & 0x80) {
    size_t n = len & 0x7f;
    if (n == 0 || n > 4 || pos + n > ber.size()) return std::nullopt;
    len = 0;
    for (size_t i = 0; i < n; ++i)
      len = (len << 8) | static_cast<unsigned char>(ber[pos++]);
  }
  if (pos + len != ber.size()) return std::nullopt;
  return ber.substr(pos);
}

// RFC 4517 §4.2.11 caseIgnoreMatch with RFC 4518's insignificant-space handling (ASCII letters).
std::string comparable(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool attribute_less(const DnAttribute& a, const DnAttribute& b) {
  return a.type != b.type ? a.type < b.type : comparable(a.value) < comparable(b.value);
}

} // namespace

std::optional<DistinguishedName> parse_dn(std::string_view text, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<DistinguishedName> {
    if (error) *error = why;
    return std::nullopt;
  };
  if (text.size() > 4096) return fail("longer than 4096 bytes");
  DistinguishedName written; // in RFC 4514's order: reversed at the end
  Rdn rdn;
  size_t i = 0;
  auto skip_spaces = [&] {
    while (i < text.size() && text[i] == ' ')
      ++i;
  };
  while (true) {
    skip_spaces();
    size_t start = i;
    while (i < text.size() && text[i] != '=' && text[i] != ',' && text[i] != '+' && text[i] != ' ')
      ++i;
    std::string_view type = text.substr(start, i - start);
    skip_spaces();
    if (type.empty() || i >= text.size() || text[i] != '=') {
      if (type.empty() && text.substr(start).find_first_not_of(' ') == std::string_view::npos && written.empty() &&
          rdn.empty()) {
        return fail("empty");
      }
      return fail("expected TYPE=value at byte " + std::to_string(start + 1));
    }
    auto oid = type_oid(type);
    if (!oid) return fail("unknown attribute type " + std::string(type) + " (a short name such as CN, O, OU, C or a dotted OID)");
    ++i; // '='
    skip_spaces();
    std::string value;
    if (i < text.size() && text[i] == '#') { // RFC 4514 §2.4: the hex of a BER encoding
      ++i;
      std::string ber;
      while (i < text.size() && hex_value(text[i]) >= 0) {
        if (i + 1 >= text.size() || hex_value(text[i + 1]) < 0) return fail("odd number of hex digits after #");
        ber += static_cast<char>(hex_value(text[i]) * 16 + hex_value(text[i + 1]));
        i += 2;
      }
      auto contents = ber_contents(ber);
      if (!contents) return fail("the #hex value of " + std::string(type) + " is not one BER element");
      value = *contents;
    } else {
      size_t trailing = 0; // unescaped spaces at the end are not part of the value (RFC 4514 §3)
      while (i < text.size() && text[i] != ',' && text[i] != '+' && text[i] != ';') {
        char c = text[i];
        if (c == '\\') {
          if (i + 1 >= text.size()) return fail("a lone \\ at the end");
          char n = text[i + 1];
          if (hex_value(n) >= 0) {
            if (i + 2 >= text.size() || hex_value(text[i + 2]) < 0) return fail("\\ must be followed by two hex digits or a special character");
            value += static_cast<char>(hex_value(n) * 16 + hex_value(text[i + 2]));
            i += 3;
          } else if (std::string_view(" \"#+,;<=>\\").find(n) != std::string_view::npos) {
            value += n;
            i += 2;
          } else {
            return fail(std::string("\\") + n + " is not an escape (RFC 4514 §2.4)");
          }
          trailing = 0;
          continue;
        }
        if (c == '"' || c == '<' || c == '>' || c == '=') {
          return fail(std::string("unescaped ") + c + " in the value of " + std::string(type));
        }
        value += c;
        trailing = c == ' ' ? trailing + 1 : 0;
        ++i;
      }
      value.resize(value.size() - trailing);
    }
    rdn.push_back(DnAttribute{*oid, value});
    skip_spaces();
    if (i >= text.size()) break;
    char sep = text[i++];
    if (sep != '+') {
      written.push_back(std::move(rdn));
      rdn.clear();
    }
  }
  written.push_back(std::move(rdn));
  if (written.size() > 64) return fail("more than 64 RDNs");
  std::reverse(written.begin(), written.end());
  return written;
}

std::string format_dn(const DistinguishedName& dn) {
  std::string out;
  for (auto rdn = dn.rbegin(); rdn != dn.rend(); ++rdn) {
    if (!out.empty()) out += ',';
    for (size_t a = 0; a < rdn->size(); ++a) {
      const DnAttribute& attr = (*rdn)[a];
      if (a > 0) out += '+';
      const char* name = short_name(attr.type);
      out += name ? name : attr.type;
      out += '=';
      const std::string& v = attr.value;
      for (size_t i = 0; i < v.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(v[i]);
        bool special = std::string_view("\"+,;<>\\").find(char(c)) != std::string_view::npos;
        if (special || (i == 0 && (c == '#' || c == ' ')) || (i + 1 == v.size() && c == ' ')) {
          out += '\\';
          out += char(c);
        } else if (c < 0x20 || c == 0x7f) {
          static const char kHex[] = "0123456789ABCDEF";
          out += '\\';
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += char(c);
        }
      }
    }
  }
  return out;
}

bool dn_equal(const DistinguishedName& a, const DistinguishedName& b) {
  if (a.size() != b.size()) return false;
  for (size_t r = 0; r < a.size(); ++r) {
    if (a[r].size() != b[r].size()) return false;
    Rdn x = a[r], y = b[r];
    std::sort(x.begin(), x.end(), attribute_less);
    std::sort(y.begin(), y.end(), attribute_less);
    for (size_t i = 0; i < x.size(); ++i) {
      if (x[i].type != y[i].type || comparable(x[i].value) != comparable(y[i].value)) return false;
    }
  }
  return true;
}

} // namespace authemu
