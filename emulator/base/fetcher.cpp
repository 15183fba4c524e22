#include "base/fetcher.h"

namespace authemu {

const char* fetch_failure_name(FetchFailure failure) {
  switch (failure) {
  case FetchFailure::bad_url:
    return "bad_url";
  case FetchFailure::bad_request:
    return "bad_request";
  case FetchFailure::unsupported_scheme:
    return "unsupported_scheme";
  case FetchFailure::unreachable:
    return "unreachable";
  case FetchFailure::tls:
    return "tls";
  case FetchFailure::timeout:
    return "timeout";
  case FetchFailure::too_large:
    return "too_large";
  case FetchFailure::too_many_redirects:
    return "too_many_redirects";
  }
  return "unknown";
}

std::optional<std::string> FetchResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return v;
  }
  return std::nullopt;
}

} // namespace authemu
