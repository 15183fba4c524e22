// The authorization endpoint's decision (oauth/authorize_decision) without HTTP: an environment's
// stores and a request in, a code, an error, the login page or the delegated issuer out.
#include <catch2/catch.hpp>

#include "oauth/authorize_decision.h"
#include "oauth/end_session.h"
#include "oauth/login_form.h"
#include "sign_in_support.h"
#include "stack/environment.h"

using namespace authemu;
using namespace authemu::test;

namespace {

struct Env {
  Env() : clock(kStart) {
    Fixture f = load_fixture(kBrowserFixture, "browser.yaml", [](const std::string&) { return std::nullopt; });
    EnvironmentSettings s;
    s.issuer = kIssuer;
    env = std::make_unique<Environment>(s, std::move(f.clients), std::move(f.users), test_key(), clock);
  }
  FakeClock clock;
  std::unique_ptr<Environment> env;

  AuthorizationRequest request(const std::string& client = "web") const {
    AuthorizationRequest r;
    r.client_id = client;
    r.redirect_uri = "https://app.example/cb";
    r.scope = "openid";
    r.state = "st";
    r.issuer = kIssuer;
    return r;
  }
  AuthorizeOutcome decide(const AuthorizationRequest& r, AuthorizeFacts facts = {}) {
    SignInContext ctx = env->sign_in();
    return decide_authorization(ctx, r, facts);
  }
};

std::string param(const AuthorizeOutcome& o, const std::string& name) {
  for (const auto& [k, v] : o.answer)
    if (k == name) return v;
  return "";
}

} // namespace

TEST_CASE("authorize_decision: no session shows the login page; a session signs in at once") {
  Env e;
  AuthorizeOutcome first = e.decide(e.request());
  CHECK(first.kind == AuthorizeOutcome::Kind::login_page);
  CHECK(first.answer.empty());
  CHECK(e.env->authorizations().counts().codes == 0);

  SignInContext ctx = e.env->sign_in();
  AuthorizeOutcome signed_in = complete_sign_in(ctx, e.request(), std::nullopt, "u-alice", {"pwd"});
  REQUIRE(signed_in.session_cookie);
  CHECK(param(signed_in, "state") == "st");
  CHECK(param(signed_in, "iss") == kIssuer);
  auto code = e.env->authorizations().peek_code(param(signed_in, "code"), kStart);
  REQUIRE(code);
  CHECK(code->sign_in.user_id == "u-alice");
  CHECK(code->sign_in.amr == std::vector<std::string>{"pwd"});

  AuthorizeFacts facts;
  facts.session_cookie = signed_in.session_cookie;
  AuthorizeOutcome sso = e.decide(e.request(), facts);
  CHECK(sso.kind == AuthorizeOutcome::Kind::answer);
  CHECK_FALSE(sso.session_cookie); // the same session
  auto sso_code = e.env->authorizations().peek_code(param(sso, "code"), kStart);
  REQUIRE(sso_code);
  CHECK(sso_code->sign_in.sid == code->sign_in.sid);

  SECTION("prompt=login and max_age=0 ask again") {
    AuthorizationRequest r = e.request();
    r.prompt = {"login"};
    CHECK(e.decide(r, facts).kind == AuthorizeOutcome::Kind::login_page);
    r.prompt.clear();
    r.max_age = 0;
    CHECK(e.decide(r, facts).kind == AuthorizeOutcome::Kind::login_page);
  }
  SECTION("prompt=none: login_required once the session is too old, or for another user") {
    AuthorizationRequest r = e.request();
    r.prompt = {"none"};
    r.max_age = 60;
    CHECK(param(e.decide(r, facts), "code") != "");
    e.clock.advance(61);
    AuthorizeOutcome old = e.decide(r, facts);
    CHECK(param(old, "error") == "login_required");
    CHECK(param(old, "error_description") == "the session is older than max_age");
    r.max_age.reset();
    r.login_hint = "bob";
    CHECK(param(e.decide(r, facts), "error_description") == "login_hint names another user than the session's");
    CHECK(param(e.decide(r), "error_description") == "prompt=none and no session");
  }
  SECTION("a session of a removed user is no session") {
    e.env->users().remove("u-alice");
    CHECK(e.decide(e.request(), facts).kind == AuthorizeOutcome::Kind::login_page);
  }
}

TEST_CASE("authorize_decision: queued entries win; auto mode; delegation") {
  Env e;
  AuthorizeFacts facts;
  facts.queued = QueuedSignIn{"q1", "bob", "", {}, "", ""};
  AuthorizeOutcome queued = e.decide(e.request(), facts);
  auto code = e.env->authorizations().peek_code(param(queued, "code"), kStart);
  REQUIRE(code);
  CHECK(code->sign_in.user_id == "u-bob");
  CHECK(code->sign_in.amr == std::vector<std::string>{"test"});
  CHECK(queued.session_cookie);

  facts.queued = QueuedSignIn{"q2", "", "", {}, "temporarily_unavailable", ""};
  AuthorizeOutcome error = e.decide(e.request(), facts);
  CHECK(param(error, "error") == "temporarily_unavailable");
  CHECK(param(error, "error_description") == "queued by the admin API (q2)");

  facts.queued = QueuedSignIn{"q3", "nobody", "", {}, "", ""};
  CHECK(param(e.decide(e.request(), facts), "error_description") == "the queued user nobody does not exist");

  facts.queued = QueuedSignIn{"q4", "", "u-alice", {}, "", ""};
  CHECK(param(e.decide(e.request(), facts), "error_description") ==
        "subject u-alice is the id of user alice: use its button instead");

  facts.queued = QueuedSignIn{"q5", "", "sub-9", JsonObject{{"email", json_string("n@example.com")}}, "", ""};
  e.decide(e.request(), facts);
  REQUIRE(e.env->users().find("sub-9"));
  CHECK(e.env->users().find("sub-9")->email == "n@example.com");

  AuthorizationRequest automatic = e.request("auto");
  automatic.redirect_uri = "https://auto.example/cb";
  automatic.login_hint = "bob@example.com";
  auto signed_in = e.env->authorizations().peek_code(param(e.decide(automatic), "code"), kStart);
  REQUIRE(signed_in);
  CHECK(signed_in->sign_in.user_id == "u-bob");
  automatic.login_hint = "nobody";
  CHECK(param(e.decide(automatic), "error_description") == "login_hint matches no user");

  AuthorizeFacts delegated;
  delegated.delegated = true;
  CHECK(e.decide(e.request(), delegated).kind == AuthorizeOutcome::Kind::delegate);
}

TEST_CASE("authorize_decision: the login form's actions") {
  Env e;
  SignInContext ctx = e.env->sign_in();
  PendingLogin p{e.request(), "csrf", "browser", "", ""};
  std::string id = e.env->authorizations().park(p, kStart + kLoginPageLifetime, kStart);
  auto form = [](const std::string& body) { return Params::parse(body, "body"); };

  LoginOutcome wrong = submit_login(ctx, id, p, form("action=password&username=alice&password=bob"), std::nullopt);
  CHECK(wrong.kind == LoginOutcome::Kind::retry);
  CHECK(wrong.status == 401);
  CHECK(e.env->authorizations().find_pending(id, kStart)->error == "Wrong username or password.");
  CHECK(submit_login(ctx, id, p, form("action=password&username=nobody&password=x"), std::nullopt).status == 401);
  CHECK(submit_login(ctx, id, p, form("action=anyone&subject=s&claims=[1]"), std::nullopt).message ==
        "The claims must be a JSON object: got another JSON value");
  CHECK(submit_login(ctx, id, p, form("action=dance"), std::nullopt).message ==
        "Choose a user, enter a password, or deny.");

  LoginOutcome ok = submit_login(ctx, id, p, form("action=password&username=alice&password=alice"), std::nullopt);
  REQUIRE(ok.kind == LoginOutcome::Kind::answer);
  CHECK(ok.answer.session_cookie);
  CHECK(submit_login(ctx, id, p, form("action=user&user=u-bob"), std::nullopt).kind == LoginOutcome::Kind::used);

  std::string denied = e.env->authorizations().park(p, kStart + kLoginPageLifetime, kStart);
  LoginOutcome deny = submit_login(ctx, denied, p, form("action=deny"), std::nullopt);
  CHECK(param(deny.answer, "error") == "access_denied");
  CHECK_FALSE(e.env->authorizations().find_pending(denied, kStart));
}

TEST_CASE("authorize_decision: end_session ends the sessions and checks the return URI") {
  Env e;
  SignInContext ctx = e.env->sign_in();
  AuthorizeOutcome signed_in = complete_sign_in(ctx, e.request(), std::nullopt, "u-alice", {"pwd"});
  REQUIRE(e.env->sessions().list().size() == 1);
  auto params = [](const std::string& q) { return Params::parse(q, "query string"); };
  CHECK_THROWS_WITH(end_session(ctx, params("client_id=nobody"), signed_in.session_cookie), "unknown client nobody");
  CHECK_THROWS_WITH(end_session(ctx, params("client_id=web&post_logout_redirect_uri=https%3A%2F%2Fevil.example"),
                                signed_in.session_cookie),
                    "post_logout_redirect_uri invalid");
  CHECK_THROWS_WITH(end_session(ctx, params("post_logout_redirect_uri=https%3A%2F%2Fapp.example%2Fbye"), std::nullopt),
                    "post_logout_redirect_uri needs client_id or id_token_hint to name the client");
  CHECK(e.env->sessions().list().size() == 1); // refused: nothing ended

  EndSessionOutcome out =
      end_session(ctx, params("client_id=web&post_logout_redirect_uri=https%3A%2F%2Fapp.example%2Fbye&state=s1"),
                  signed_in.session_cookie);
  CHECK(out.location == std::optional<std::string>("https://app.example/bye?state=s1"));
  CHECK(e.env->sessions().list().empty());
  CHECK_FALSE(end_session(ctx, params(""), std::nullopt).location);
}
