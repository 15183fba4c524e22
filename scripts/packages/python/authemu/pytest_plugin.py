"""pytest plugin (entry point pytest11): a session-scoped `authemu` fixture, one server for the
run, and a function-scoped `authemu_clean` that resets it after the test. --authemu-config FILE
gives its fixture, --authemu-arg=--FLAG (repeatable) its flags."""
import shlex

import pytest

from . import Authemu


def pytest_addoption(parser):
    group = parser.getgroup("authemu")
    group.addoption("--authemu-config", metavar="FILE", default=None,
                    help="fixture file of the authemu server (its --config)")
    group.addoption("--authemu-arg", metavar="ARG", action="append", default=[],
                    help="flag(s) for the authemu server, e.g. --authemu-arg=--signing-algorithm=ES256 (repeatable, split on spaces)")


@pytest.fixture(scope="session")
def authemu(request):
    """One authemu for the test session (Authemu: url, issuer, token, mint, clock, faults, journal, …)."""
    args = [a for arg in request.config.getoption("authemu_arg") for a in shlex.split(arg)]
    with Authemu(config=request.config.getoption("authemu_config"), args=args) as emu:
        yield emu


@pytest.fixture
def authemu_clean(authemu):
    """The session's authemu, reset after the test (clock, faults, journal, dynamic clients, …)."""
    yield authemu
    authemu.reset()
