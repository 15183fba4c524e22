#include "base/http_types.h"

#include <cctype>

namespace authemu {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

namespace {

std::optional<std::string> find_header(const Headers& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return v;
  }
  return std::nullopt;
}

} // namespace

std::optional<std::string> HttpRequest::header(std::string_view name) const {
  return find_header(headers, name);
}
std::optional<std::string> HttpResponse::header(std::string_view name) const {
  return find_header(headers, name);
}

namespace {

// The media type of Content-Type, without parameters and surrounding spaces; empty when absent.
std::string media_type(const HttpRequest& req) {
  auto type = req.header("Content-Type");
  if (!type) return "";
  std::string_view media(*type);
  media = media.substr(0, media.find(';'));
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t'))
    media.remove_prefix(1);
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t'))
    media.remove_suffix(1);
  return std::string(media);
}

} // namespace

bool HttpRequest::is_form_urlencoded() const {
  return iequals(media_type(*this), "application/x-www-form-urlencoded");
}

bool HttpRequest::is_json() const {
  std::string media = media_type(*this);
  if (iequals(media, "application/json")) return true;
  size_t slash = media.find('/');
  return slash != std::string::npos && iequals(std::string_view(media).substr(0, slash), "application") &&
         media.size() > slash + 6 && iequals(std::string_view(media).substr(media.size() - 5), "+json");
}

void HttpResponse::add_header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> HttpRequest::cookie(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (!iequals(k, "Cookie")) continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      size_t end = rest.find(';');
      std::string_view pair = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      while (!pair.empty() && pair.front() == ' ')
        pair.remove_prefix(1);
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
      std::string_view value = pair.substr(eq + 1);
      while (!value.empty() && value.back() == ' ')
        value.remove_suffix(1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      return std::string(value);
    }
  }
  return std::nullopt;
}

void HttpResponse::set_header(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (iequals(k, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

void HttpResponse::json(int status_code, std::string json_body) {
  status = status_code;
  body = std::move(json_body);
  set_header("Content-Type", "application/json");
}

void HttpResponse::text(int status_code, std::string text_body) {
  status = status_code;
  body = std::move(text_body);
  set_header("Content-Type", "text/plain; charset=utf-8");
}

void HttpResponse::empty(int status_code) {
  status = status_code;
  body.clear();
  set_header("Content-Type", "application/json");
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

} // namespace authemu
