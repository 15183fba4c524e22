"""The wheel's API and pytest fixtures as a Python test suite uses them (scripts/python_package.sh
runs it in a fresh venv): Debian's PyJWT stands for the service under test."""
import base64
import json
import os
import urllib.parse
import urllib.request

import jwt
import pytest

from authemu import Authemu, AuthemuError


def post(url, form, auth=None):
    req = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode())
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    try:
        with urllib.request.urlopen(req) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        return json.load(e)


def introspect(emu, token):
    return post(emu.issuer + "/oauth/introspect", {"token": token}, "testing:testing")["active"]


def verify(emu, token):
    """The service under test: signature by the JWKS of discovery, issuer, audience, expiry."""
    with urllib.request.urlopen(emu.issuer + "/.well-known/openid-configuration") as r:
        jwks_uri = json.load(r)["jwks_uri"]
    key = jwt.PyJWKClient(jwks_uri).get_signing_key_from_jwt(token).key
    return jwt.decode(token, key, algorithms=["RS256"], issuer=emu.issuer, audience="testing")


def test_client_credentials(authemu_clean):
    t = authemu_clean.token()
    assert (t["token_type"], t["expires_in"]) == ("Bearer", 3600)
    assert verify(authemu_clean, t["access_token"])["client_id"] == "testing"


def test_password_grant_and_its_refusal(authemu_clean):
    t = authemu_clean.token(user="alice", password="alice", scope="openid email")
    assert jwt.decode(t["access_token"], options={"verify_signature": False})["email"] == "alice@example.com"
    with pytest.raises(AuthemuError) as e:
        authemu_clean.token(user="alice", password="wrong")
    assert (e.value.status, e.value.body["error"]) == (400, "invalid_grant")


def test_minted_expired_token_is_refused(authemu_clean):
    expired = authemu_clean.mint(case="expired")
    with pytest.raises(jwt.ExpiredSignatureError):
        verify(authemu_clean, expired["access_token"])
    wrong = authemu_clean.mint({"case": "wrong_audience"})
    with pytest.raises(jwt.InvalidAudienceError):
        verify(authemu_clean, wrong["access_token"])


def test_clock_travel(authemu_clean):
    authemu_clean.clock.freeze()
    token = authemu_clean.token()["access_token"]
    authemu_clean.clock.advance("59m59s")
    assert introspect(authemu_clean, token) is True
    authemu_clean.clock.advance(1)
    assert introspect(authemu_clean, token) is False
    assert all(c["frozen"] and c["offset"] == 3600 for c in authemu_clean.clock.get()["environments"])


def test_fault_then_tokens_again(authemu_clean):
    authemu_clean.faults.add("token", error="temporarily_unavailable")
    assert len(authemu_clean.faults.list()) == 1
    with pytest.raises(AuthemuError) as e:
        authemu_clean.token()
    assert (e.value.status, e.value.body["error"]) == (503, "temporarily_unavailable")
    assert authemu_clean.token()["token_type"] == "Bearer"
    assert authemu_clean.faults.list() == []


def test_journal(authemu_clean):
    authemu_clean.faults.add("token", error="server_error")
    with pytest.raises(AuthemuError):
        authemu_clean.token()
    authemu_clean.token()
    entries = authemu_clean.journal(endpoint="token")
    assert [(e["grant_type"], e["client_id"], e["status"], e["outcome"]) for e in entries] == [
        ("client_credentials", "testing", 500, "server_error"), ("client_credentials", "testing", 200, "ok")]
    assert "fault" in entries[0] and "fault" not in entries[1]


def test_state_left_behind(authemu_clean):
    authemu_clean.faults.add("token", error="server_error", count=5)
    authemu_clean.clock.freeze()


def test_is_gone_after_authemu_clean(authemu):
    assert authemu.faults.list() == []
    assert authemu.clock.get()["environments"][0]["frozen"] is False


def test_one_server_for_the_session(authemu, authemu_clean):
    assert authemu is authemu_clean
    assert authemu.issuer.startswith("http://localhost:") and authemu.url.startswith("http://127.0.0.1:")


def test_environment_and_device_approval(authemu_clean):
    sandbox = authemu_clean.environment("sandbox")
    t = sandbox.token()
    assert jwt.decode(t["access_token"], options={"verify_signature": False})["iss"] == sandbox.issuer
    assert sandbox.mint(case="expired")["claims"]["iss"] == sandbox.issuer
    da = post(authemu_clean.issuer + "/device_authorization", {"client_id": "spa", "scope": "openid"})
    authemu_clean.devices.approve(da["user_code"], "alice")
    polled = post(authemu_clean.issuer + "/oauth/token", {
        "grant_type": "urn:ietf:params:oauth:grant-type:device_code", "device_code": da["device_code"], "client_id": "spa"})
    assert "access_token" in polled
    authemu_clean.logins.queue(user="bob", client_id="web")
    assert len(authemu_clean.logins.list()) == 1
    with pytest.raises(AuthemuError) as e:
        authemu_clean.environment("nowhere")
    assert str(e.value) == "authemu: no environment 'nowhere' (there are: default, sandbox, platform)"


def test_own_server_with_a_fixture_dict_and_stop():
    with Authemu(config={"clients": [{"id": "svc", "secrets": ["s3"], "grantTypes": ["client_credentials"]}]}) as emu:
        assert emu.token(client="svc", secret="s3")["token_type"] == "Bearer"
        pid = emu.pid
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_server_that_cannot_start():
    with pytest.raises(AuthemuError) as e:
        Authemu(args=["--no-such-flag"])
    assert str(e.value).endswith(" exited (code 2) before its ready line: authemu: unknown option --no-such-flag (see --help)")


def test_connect_to_a_running_server_and_the_admin_token():
    with Authemu(args=["--admin-token", "s3cret"]) as emu:
        assert emu.reset()["reset"] == ["default", "sandbox", "platform"]
        other = Authemu.connect(url=emu.url, admin_token="s3cret")
        assert (other.issuer, other.environment("sandbox").issuer) == (emu.issuer, emu.environment("sandbox").issuer)
        with pytest.raises(AuthemuError) as e:
            Authemu.connect(url=emu.url, issuer=emu.issuer).reset()
        assert e.value.status == 401
        other.stop()
