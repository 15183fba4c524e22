#include "testkit/admin_guard.h"

#include <algorithm>

#include "base/origin.h"
#include "jose/crypto.h"

namespace authemu {

AdminGuard::AdminGuard(const std::vector<Environment*>& environments, AdminPolicy policy) : policy_(std::move(policy)) {
  auto add = [this](const std::string& issuer) {
    auto origin = origin_of_url(issuer);
    if (!origin) return;
    if (std::find(configured_origins_.begin(), configured_origins_.end(), *origin) == configured_origins_.end()) {
      configured_origins_.push_back(*origin);
    }
    std::string host = host_of_authority(authority_of_url(*origin));
    if (std::find(configured_hosts_.begin(), configured_hosts_.end(), host) == configured_hosts_.end()) {
      configured_hosts_.push_back(host);
    }
  };
  for (const Environment* e : environments) {
    add(e->settings().issuer);
    for (const auto& i : e->settings().extra_issuers)
      add(i);
  }
}

namespace {

// What a dev server answers without a token (against DNS rebinding): names no public DNS gives an
// attacker, and the hosts of the configured issuers.
bool is_local_host(const std::string& host, const std::vector<std::string>& configured) {
  auto ends_with = [&](const std::string& suffix) {
    return host.size() > suffix.size() && host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return host == "localhost" || ends_with(".localhost") || is_ip_literal(host) || host.find('.') == std::string::npos ||
         host == "host.docker.internal" || std::find(configured.begin(), configured.end(), host) != configured.end();
}

bool is_write(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

std::string shown(const std::string& s) {
  return s.size() > 100 ? s.substr(0, 100) + "…" : s;
}

} // namespace

std::optional<HttpResponse> AdminGuard::authorize(const HttpRequest& req) const {
  if (policy_.token.empty()) {
    // Requests without Host (HTTP/1.0, in-process) come from no browser.
    if (auto host_header = req.header("Host")) {
      auto authority = normalize_authority(*host_header, "http");
      if (!authority || !is_local_host(host_of_authority(*authority), configured_hosts_)) {
        std::string configured;
        for (const auto& h : configured_hosts_)
          configured += (configured.empty() ? "" : ", ") + h;
        return admin_error_response(admin_api::forbidden(
            "Host " + shown(*host_header) +
            " is not served by the admin API without an admin token (DNS rebinding protection): use localhost, "
            "*.localhost, an IP address, a single-label name such as authemu, host.docker.internal or a "
            "configured issuer's host (" +
            configured + "), or set ADMIN_TOKEN"));
      }
    }
  } else {
    auto h = req.header("Authorization").value_or("");
    bool ok = h.size() > 7 && iequals(std::string_view(h).substr(0, 7), "Bearer ") &&
              constant_time_equal(std::string_view(h).substr(7), policy_.token);
    if (!ok && !req.header("Authorization")) {
      auto cookie = req.cookie(kAdminCookie);
      ok = cookie && constant_time_equal(*cookie, policy_.token);
    }
    if (!ok) {
      HttpResponse res =
          admin_error_response(admin_api::unauthorized("the admin API needs Authorization: Bearer <admin token>"));
      res.set_header("WWW-Authenticate", "Bearer realm=\"authemu-admin\"");
      return res;
    }
  }
  return refuse_cross_site(req);
}

bool AdminGuard::is_admin_token(std::string_view candidate) const {
  return !policy_.token.empty() && constant_time_equal(candidate, policy_.token);
}

std::optional<HttpResponse> AdminGuard::refuse_cross_site(const HttpRequest& req) const {
  if (!is_write(req.method)) return std::nullopt;
  // A browser names the page that sent a request: writes from another site's page are refused.
  if (auto site = req.header("Sec-Fetch-Site"); site && iequals(*site, "cross-site")) {
    return admin_error_response(admin_api::forbidden(
        "cross-site request refused: Sec-Fetch-Site is cross-site (the admin API takes writes from "
        "its own origin and from clients that are not browsers)"));
  }
  if (auto origin_header = req.header("Origin")) {
    auto origin = parse_origin(*origin_header);
    bool own = false;
    if (origin) {
      std::string scheme = origin->substr(0, origin->find("://"));
      std::string authority = authority_of_url(*origin);
      for (const char* name : {"Host", "X-Forwarded-Host"}) {
        auto h = req.header(name);
        if (h && normalize_authority(h->substr(0, h->find(',')), scheme) == authority) own = true;
      }
      own = own ||
            std::find(configured_origins_.begin(), configured_origins_.end(), *origin) != configured_origins_.end();
    }
    if (!own) {
      return admin_error_response(admin_api::forbidden(
          "cross-site request refused: Origin " + shown(*origin_header) +
          " is not this server's origin (the admin API takes writes from its own origin and from clients that are "
          "not browsers)"));
    }
  }
  return std::nullopt;
}

bool AdminGuard::signing_locked() const {
  return policy_.token.empty() && policy_.secret_keys && policy_.beyond_loopback;
}

void AdminGuard::check_signing(const std::string& what) const {
  if (!signing_locked()) return;
  throw admin_api::forbidden(what +
                             " needs ADMIN_TOKEN: this server signs with a key that is not an embedded test key "
                             "and listens beyond loopback; set --admin-token (ADMIN_TOKEN) and send it as a bearer "
                             "token");
}

} // namespace authemu
