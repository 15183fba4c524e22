#include "oauth/end_session.h"

#include <algorithm>

namespace authemu {

namespace {

// What the request names: the hint's user and session, and the client.
struct Named {
  std::string sub, sid;
  ClientStore::Ptr client;
};

Named named(SignInContext& ctx, const Params& params) {
  Named n;
  // The hint identifies the user, client and session; an expired one still does (§2).
  std::vector<std::string> aud;
  if (auto hint = params.get("id_token_hint")) {
    std::string why;
    auto claims = ctx.grants.verifier.verify_hint(*hint, &why);
    if (!claims) throw oauth::invalid_request("id_token_hint is not an ID token of this issuer: " + why);
    n.sub = find_string(*claims, "sub").value_or("");
    n.sid = find_string(*claims, "sid").value_or("");
    aud = audience_of(*claims);
  }
  std::string client_id = params.get("client_id").value_or(aud.empty() ? "" : aud.front());
  if (!aud.empty() && std::find(aud.begin(), aud.end(), client_id) == aud.end()) {
    throw oauth::invalid_request("client_id is not the audience of id_token_hint");
  }
  if (!client_id.empty()) {
    n.client = ctx.grants.clients.find(client_id);
    if (n.client == nullptr) throw oauth::invalid_request("unknown client " + client_id);
  }
  return n;
}

// §3: post_logout_redirect_uri must be registered, matched as redirect URIs are: exactly, or on any
// port for http loopback IPs (RFC 8252 §7.3), so a native app on an ephemeral port can come back too.
void check_target(const Named& n, const std::string& target) {
  if (n.client == nullptr) {
    throw oauth::invalid_request("post_logout_redirect_uri needs client_id or id_token_hint to name the client");
  }
  const auto& uris = n.client->post_logout_redirect_uris;
  if (std::none_of(uris.begin(), uris.end(), [&](const std::string& u) { return redirect_uri_matches(u, target); })) {
    throw oauth::invalid_request("post_logout_redirect_uri invalid"); // Formance's words
  }
}

} // namespace

EndSessionOutcome end_session(SignInContext& ctx, const Params& params,
                              const std::optional<std::string>& session_cookie) {
  Named n = named(ctx, params);
  auto target = params.get("post_logout_redirect_uri");
  if (target) check_target(n, *target);

  // The browser's session, and the hint's when it is the same user's.
  std::vector<BrowserSession> ended;
  if (session_cookie) {
    if (auto s = ctx.sessions.find_by_cookie(*session_cookie)) ended.push_back(*s);
  }
  if (!n.sid.empty()) {
    if (auto s = ctx.sessions.find(n.sid); s && (n.sub.empty() || s->user_id == n.sub)) ended.push_back(*s);
  }
  std::string user_id = !n.sub.empty() ? n.sub : (ended.empty() ? "" : ended.front().user_id);
  // As Formance: the user's access tokens for the client (refresh tokens stay).
  std::vector<std::string> clients;
  if (n.client != nullptr) {
    clients.push_back(n.client->id);
  } else {
    for (const auto& s : ended)
      clients.insert(clients.end(), s.clients.begin(), s.clients.end());
  }
  if (!user_id.empty()) {
    for (const auto& c : clients)
      ctx.grants.store.revoke_user_access(c, user_id, ctx.now());
  }
  for (const auto& s : ended)
    ctx.sessions.end(s.sid);

  EndSessionOutcome out;
  if (target) {
    std::string location = *target;
    if (auto state = params.get("state")) {
      location += (location.find('?') == std::string::npos ? "?" : "&") + form_encode({{"state", *state}});
    }
    out.location = location;
  }
  return out;
}

} // namespace authemu
