#!/usr/bin/env bash
# The Python wheels as a pytest user meets them: built with the standard library
# (scripts/packages/python/build_wheels.py, from the stripped binaries of make dist), each at most
# 6 MB with the right architecture's binary; pip picks the machine's from both with --no-index into a
# fresh venv (Debian's python3-venv; the system site for Debian's pytest and PyJWT); `authemu` and
# `python -m authemu` run the binary, AUTHEMU_BIN wins, the module imports the standard library only,
# and a pytest suite uses the plugin's fixtures and options (scripts/packages/python_test/).
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

if ! wheels=$(/usr/bin/python3 scripts/packages/python/build_wheels.py); then
  not_ok "build_wheels.py builds the wheels"
  finish
fi
version=$(build/dist/authemu-linux-amd64 --version | awk '{print $2}')
tags() { echo "manylinux_2_17_$1.manylinux2014_$1.musllinux_1_1_$1"; }
check_eq "two wheels, manylinux and musllinux tags for x86_64 and aarch64" \
  "build/python/authemu-$version-py3-none-$(tags x86_64).whl build/python/authemu-$version-py3-none-$(tags aarch64).whl" \
  "$(echo $wheels)"
tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT
for arch in x86_64 aarch64; do
  whl=build/python/authemu-$version-py3-none-$(tags $arch).whl
  size=$(stat -c %s "$whl")
  check "the $arch wheel is at most 6 MB ($size bytes)" test "$size" -le 6000000
  /usr/bin/python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("authemu/bin/authemu", sys.argv[2])' \
    "$whl" "$tmp/$arch"
  machine=$(readelf -h "$tmp/$arch/authemu/bin/authemu" | sed -n 's/ *Machine: *//p')
  check_eq "the $arch wheel's binary" "$([ $arch = x86_64 ] && echo 'Advanced Micro Devices X86-64' || echo AArch64)" "$machine"
done
check_eq "the wheel's RECORD hashes every file" "ok" "$(/usr/bin/python3 - build/python/*x86_64.whl <<'PY'
import base64, csv, hashlib, io, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
rows = list(csv.reader(io.TextIOWrapper(z.open([n for n in z.namelist() if n.endswith("/RECORD")][0]))))
bad = [p for p, h, n in rows if h and (h != "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(z.read(p)).digest()).rstrip(b"=").decode() or int(n) != len(z.read(p)))]
print("ok" if not bad and {r[0] for r in rows} == set(z.namelist()) else "bad: %s" % bad)
PY
)"

/usr/bin/python3 -m venv --system-site-packages "$tmp/venv"
py=$tmp/venv/bin/python
check "pip installs authemu from the two wheels with --no-index" \
  "$py" -m pip install -q --no-index --find-links build/python authemu
check_eq "it chose the x86_64 wheel" "Advanced Micro Devices X86-64" \
  "$(readelf -h "$("$py" -c 'import authemu; print(authemu.binary_path())')" | sed -n 's/ *Machine: *//p')"
for platform in manylinux2014_aarch64 musllinux_1_1_aarch64 musllinux_1_1_x86_64; do
  check "pip finds a wheel for $platform" "$py" -m pip download -q --no-index --find-links build/python \
    --only-binary=:all: --platform "$platform" --python-version 3.11 -d "$tmp/dl-$platform" authemu
done
check_eq "python -m authemu --version" "authemu $version" "$("$py" -m authemu --version)"
check_eq "the authemu console script" "authemu $version" "$("$tmp/venv/bin/authemu" --version)"
check_eq "AUTHEMU_BIN wins when set" "from AUTHEMU_BIN" "$(AUTHEMU_BIN=/bin/echo "$py" -m authemu from AUTHEMU_BIN)"
check_eq "without a binary, an error naming AUTHEMU_BIN" \
  "authemu: this installation carries no binary (the wheels are for Linux x86_64 and aarch64); set AUTHEMU_BIN to an authemu executable" \
  "$(AUTHEMU_BIN= PYTHONPATH=scripts/packages/python /usr/bin/python3 -m authemu --version 2>&1)"
check_eq "the module imports the standard library only" "" "$("$py" - <<'PY'
import ast, os, sys, authemu
d = os.path.dirname(authemu.__file__)
for f in ("__init__.py", "__main__.py"):
    for node in ast.walk(ast.parse(open(os.path.join(d, f)).read())):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module] if isinstance(node, ast.ImportFrom) and not node.level else []
        for n in names:
            if n.split(".")[0] not in sys.stdlib_module_names:
                print(f, n)
PY
)"
pid=$("$py" -c 'from authemu import Authemu; print(Authemu().pid)')
check "a server not stopped ends when the interpreter exits" bash -c "[ -n '$pid' ] && ! kill -0 '$pid' 2>/dev/null"

cp scripts/packages/python_test/*.py "$tmp/"
readme_test=$(readme_snippet pytest "$tmp")
printf 'clients:\n  - id: svc\n    secrets: [svc-secret]\n    grantTypes: [client_credentials]\n' >"$tmp/fixture.yaml"
cd "$tmp" || exit 1
summary() { tail -n1 "$1" | sed 's/ in [0-9.]*s.*//'; } # pytest -q's last line: "12 passed in 0.19s"
"$py" -m pytest -q -p no:cacheprovider test_fixtures.py >fixtures.log 2>&1
check_eq "pytest with the authemu and authemu_clean fixtures" "13 passed" "$(summary fixtures.log)" ||
  tail -n 30 fixtures.log
"$py" -m pytest -q -p no:cacheprovider test_options.py --authemu-config fixture.yaml \
  --authemu-arg=--signing-algorithm=ES256 >options.log 2>&1
check_eq "pytest --authemu-config and --authemu-arg reach the server" "1 passed" "$(summary options.log)" ||
  tail -n 30 options.log
"$py" -m pytest -q -p no:cacheprovider "$readme_test" >readme.log 2>&1
check_eq "the pytest snippet of docs/testing.md passes" "3 passed" "$(summary readme.log)" || tail -n 30 readme.log
check "pytest --help lists the plugin's options" bash -c "'$py' -m pytest --help -p no:cacheprovider | grep -q -- '--authemu-arg=ARG'"
finish
