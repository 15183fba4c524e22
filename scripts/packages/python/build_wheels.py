#!/usr/bin/python3
"""Builds the Python wheels of authemu with the standard library (a wheel is a zip archive, PEP 427,
with core metadata, WHEEL and RECORD): one per architecture, each carrying the stripped static
binary of `make dist` as authemu/bin/authemu beside the stdlib-only module of authemu/, the
`authemu` console script and the pytest11 plugin. The binary needs no libc of the machine, so each
wheel carries both manylinux (glibc) and musllinux tags. Reproducible: fixed times, sorted entries.

Usage: build_wheels.py [DIST_DIR [OUT_DIR]]   (default build/dist, build/python); prints each path.
"""
import base64
import hashlib
import os
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ARCHES = {"x86_64": "authemu-linux-amd64", "aarch64": "authemu-linux-arm64"}
PLATFORMS = ("manylinux_2_17_{0}", "manylinux2014_{0}", "musllinux_1_1_{0}")
EPOCH = (1980, 1, 1, 0, 0, 0)
SUMMARY = ("An in-memory OAuth 2.0 / OpenID Connect server for tests, wire-compatible with the Formance "
           "auth service: the static authemu binary with a context-manager API and pytest fixtures")
ENTRY_POINTS = """[console_scripts]
authemu = authemu.__main__:main

[pytest11]
authemu = authemu.pytest_plugin
"""


def metadata(version):
    with open(os.path.join(HERE, "README.md")) as f:
        readme = f.read()
    return "\n".join([
        "Metadata-Version: 2.1",
        "Name: authemu",
        "Version: " + version,
        "Summary: " + SUMMARY,
        "Keywords: oauth2,openid-connect,oidc,jwt,mock,testing,pytest,formance",
        "Classifier: Framework :: Pytest",
        "Classifier: Operating System :: POSIX :: Linux",
        "Classifier: Programming Language :: Python :: 3",
        "Classifier: Topic :: Software Development :: Testing",
        "Requires-Python: >=3.8",
        "Description-Content-Type: text/markdown",
        "",
        readme,
    ])


def digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build(arch, binary, version, out_dir):
    platform = ".".join(p.format(arch) for p in PLATFORMS)
    name = "authemu-%s-py3-none-%s.whl" % (version, platform)
    info = "authemu-%s.dist-info" % version
    files = []  # (path in the wheel, bytes, executable)
    package = os.path.join(HERE, "authemu")
    for fname in sorted(os.listdir(package)):
        if fname.endswith(".py") or fname == "py.typed":
            with open(os.path.join(package, fname), "rb") as f:
                files.append(("authemu/" + fname, f.read(), False))
    with open(binary, "rb") as f:
        files.append(("authemu/bin/authemu", f.read(), True))
    wheel = "Wheel-Version: 1.0\nGenerator: authemu scripts/packages/python/build_wheels.py\nRoot-Is-Purelib: false\n"
    wheel += "".join("Tag: py3-none-%s\n" % p.format(arch) for p in PLATFORMS)
    files += [(info + "/METADATA", metadata(version).encode(), False),
              (info + "/WHEEL", wheel.encode(), False),
              (info + "/entry_points.txt", ENTRY_POINTS.encode(), False)]
    record = "".join("%s,%s,%d\n" % (path, digest(data), len(data)) for path, data, _ in files)
    files.append((info + "/RECORD", (record + info + "/RECORD,,\n").encode(), False))
    path = os.path.join(out_dir, name)
    with zipfile.ZipFile(path + ".tmp", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for entry, data, executable in files:
            zi = zipfile.ZipInfo(entry, EPOCH)
            zi.external_attr = (0o100755 if executable else 0o100644) << 16
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)
    os.replace(path + ".tmp", path)
    return path


def main():
    dist = sys.argv[1] if len(sys.argv) > 1 else "build/dist"
    out_dir = sys.argv[2] if len(sys.argv) > 2 else "build/python"
    binaries = {arch: os.path.join(dist, f) for arch, f in ARCHES.items()}
    for b in binaries.values():
        if not os.path.isfile(b):
            sys.exit("build_wheels: %s is missing (make dist)" % b)
    version = subprocess.run([binaries["x86_64"], "--version"], check=True, capture_output=True,
                             text=True).stdout.split()[1]
    os.makedirs(out_dir, exist_ok=True)
    for old in os.listdir(out_dir):
        if old.endswith(".whl"):
            os.remove(os.path.join(out_dir, old))
    for arch, binary in binaries.items():
        print(build(arch, binary, version, out_dir))


main()
