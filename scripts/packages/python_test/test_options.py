"""Run with --authemu-config (a fixture with the client svc) and --authemu-arg=--signing-algorithm=ES256."""
import jwt


def test_the_options_reach_the_server(authemu):
    t = authemu.token(client="svc", secret="svc-secret")
    assert jwt.get_unverified_header(t["access_token"])["alg"] == "ES256"
