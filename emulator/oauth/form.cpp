#include "oauth/form.h"

#include <cctype>

#include "base/number.h"
#include "oauth/oauth_error.h"

namespace authemu {

std::optional<std::string> form_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      int hi = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
      int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) return std::nullopt;
      out += char(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

Params Params::parse(std::string_view text, const char* where) {
  Params p;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('&', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view pair = text.substr(pos, end - pos);
    pos = end + 1;
    if (pair.empty()) continue;
    if (p.items_.size() >= kMaxFormParams) {
      throw oauth::invalid_request(std::string("more than ") + std::to_string(kMaxFormParams) + " parameters in the " +
                                   where);
    }
    size_t eq = pair.find('=');
    auto name = form_decode(pair.substr(0, eq));
    auto value = form_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!name || !value) throw oauth::invalid_request(std::string("malformed percent-encoding in the ") + where);
    p.items_.emplace_back(std::move(*name), std::move(*value));
  }
  return p;
}

Params Params::merge(Params a, const Params& b) {
  if (a.items_.size() + b.items_.size() > kMaxFormParams) {
    throw oauth::invalid_request("more than " + std::to_string(kMaxFormParams) + " parameters");
  }
  a.items_.insert(a.items_.end(), b.items_.begin(), b.items_.end());
  return a;
}

std::vector<std::string> Params::all(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [n, v] : items_)
    if (n == name && !v.empty()) out.push_back(v);
  return out;
}

std::optional<std::string> Params::get(const std::string& name) const {
  const std::string* found = nullptr;
  for (const auto& [k, v] : items_) {
    if (k != name) continue;
    if (found != nullptr) throw oauth::invalid_request("parameter " + name + " is repeated");
    found = &v;
  }
  if (found == nullptr || found->empty()) return std::nullopt;
  return *found;
}

template <typename Parse> const Params& RequestForm::once(Part& part, Parse parse) const {
  if (part.error) throw *part.error;
  if (!part.params) {
    try {
      part.params = parse();
    } catch (const OAuthError& e) {
      part.error = e;
      throw;
    }
  }
  return *part.params;
}

const Params& RequestForm::query() const {
  return once(query_, [&] { return Params::parse(req_.query, "query string"); });
}

const Params& RequestForm::body() const {
  return once(body_, [&] { return Params::parse(req_.body, "body"); });
}

const Params& RequestForm::merged() const {
  return once(merged_, [&] {
    const Params& body_params = body(); // the body's error first, as the endpoints always answered
    return Params::merge(query(), body_params);
  });
}

std::string form_encode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [name, value] : params)
    out += (out.empty() ? "" : "&") + form_encode(name) + "=" + form_encode(value);
  return out;
}

} // namespace authemu
