// The HTML pages a browser sees: the login page, error pages, the form_post answer and the signed
// out page. Server-rendered, no JavaScript needed (form_post auto-submits with a one-line script
// and has a button without it), inline CSS, every value HTML-escaped. Pure: strings in, HTML out.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/http_types.h"

namespace authemu {

std::string html_escape(std::string_view text);

struct LoginPageUser {
  std::string id, username, name, email;
};

struct LoginPage {
  std::string action;                        // where the forms post
  std::string request_id;                    // the parked authorization request
  std::string csrf;                          // its anti-CSRF value
  std::string environment;                   // "default", "sandbox", …
  std::string client;                        // the client's name (or id)
  std::string scope;                         // granted scope, shown to the user
  std::string return_to;                     // the redirect_uri, shown to the user
  std::string login_hint;                    // pre-fills the username
  std::string error;                         // a failed attempt's message
  std::string anyone_subject, anyone_claims; // what the any-subject form held on a failed attempt
  bool sign_in_as_anyone = true;
  std::vector<LoginPageUser> users; // one button each
  std::string deny_label = "Deny";  // the device page says "Deny" too; kept for its wording
  std::string heading;              // empty: "Sign in to <client>"
};

std::string login_page_html(const LoginPage& p);

// The device verification page (RFC 8628 §3.3): enter the user code, then approve or deny.
struct DevicePage {
  std::string action;      // where the forms post
  std::string csrf;        // the page's anti-CSRF value
  std::string environment; // "default", "sandbox", …
  std::string user_code;   // as typed or shown (XXXX-XXXX)
  std::string error;       // a wrong code's message
  // The consent step, once the code is known and someone is signed in:
  std::string client, scope, user; // who asks, for what, and who is signed in
};
std::string device_entry_html(const DevicePage& p);
std::string device_consent_html(const DevicePage& p);

// A page that explains why the request stops here (no redirect can be trusted, or none is due);
// details_html, already escaped, follows the message.
std::string message_page_html(const std::string& title, const std::string& message,
                              const std::string& details_html = "");

// What a page refusing a redirect_uri tells beyond its message: the client's registered redirect
// URIs and how to add one.
struct RedirectUriHelp {
  struct Uri {
    std::string uri;
    bool any_port = false; // an http loopback IP literal: any port matches (RFC 8252 §7.3)
  };
  std::string client_id;
  std::vector<Uri> registered;
  std::string how_to_add; // one sentence of plain text
};
constexpr size_t kListedRedirectUris = 10; // then "and N more"
// The details_html of that page: every value escaped.
std::string redirect_uri_help_html(const RedirectUriHelp& help);

// OAuth 2.0 Form Post Response Mode: an auto-submitting form that POSTs params to action.
std::string form_post_html(const std::string& action, const std::vector<std::pair<std::string, std::string>>& params);

// An HTML response: Content-Type, no caching, no framing, a Content-Security-Policy that allows
// inline CSS (and, with script, inline script).
HttpResponse html_response(int status, std::string body, bool script = false);

} // namespace authemu
