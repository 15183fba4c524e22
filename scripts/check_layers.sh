#!/usr/bin/env bash
# The layering of emulator/ (CONTRIBUTING.md): one level of folders, each including only the
# folders below it in this order, so the include graph has no upward edge and no cycle; only
# http/ and cli/ include httplib.h, and only jose/ (crypto) and tls/ (X.509 and TLS) include mbedTLS.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

layers=(base jose tls store oauth stack testkit http cli)   # bottom to top
rank() { local i; for i in "${!layers[@]}"; do [ "${layers[$i]}" = "$1" ] && { echo "$i"; return; }; done; echo -1; }

# check_none NAME FINDINGS: ok when FINDINGS is empty, else not ok with each finding indented below.
check_none() {
  if [ -z "$2" ]; then ok "$1"; else not_ok "$1"; printf '%s\n' "$2" | sed 's/^/    /'; fi
}

stray=$(find emulator -mindepth 1 -maxdepth 1 -type f; find emulator -mindepth 2 -type d)
for d in emulator/*/; do d=${d%/}; [ "$(rank "${d#emulator/}")" -ge 0 ] || stray+=$'\n'"$d"; done
check_none "emulator/ holds only the layer folders, one level deep" "$(printf '%s' "$stray" | sed '/^$/d')"

upward=""
for f in emulator/*/*.h emulator/*/*.cpp; do
  from=$(basename "$(dirname "$f")"); rf=$(rank "$from")
  while IFS= read -r inc; do
    to=${inc%%/*}
    if [ "$to" = "$inc" ]; then upward+="$f: #include \"$inc\" does not name its folder"$'\n'; continue; fi
    rt=$(rank "$to")
    if [ "$rt" -lt 0 ]; then upward+="$f: #include \"$inc\": no such layer"$'\n';
    elif [ "$rt" -gt "$rf" ]; then upward+="$f ($from) includes $inc ($to, a higher layer)"$'\n'; fi
  done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done
check_none "every include names its folder and goes to the same layer or one below" "$(printf '%s' "$upward" | sed '/^$/d')"

# Headers included by headers: tsort finds any loop.
edges=$(for f in emulator/*/*.h; do
  sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f" | while read -r inc; do echo "${f#emulator/} $inc"; done
done)
loops=$(printf '%s\n' "$edges" | tsort 2>&1 >/dev/null)
check_none "the include graph has no cycle" "$loops"

httplib=$(grep -l '#include <httplib.h>' emulator/*/*.h emulator/*/*.cpp | grep -v -e '^emulator/http/' -e '^emulator/cli/')
check_none "only http/ and cli/ include httplib.h" "$httplib"
mbed=$(grep -l '#include [<"]mbedtls/\|#include [<"]psa/' emulator/*/*.h emulator/*/*.cpp | grep -v -e '^emulator/jose/' -e '^emulator/tls/')
check_none "only jose/ and tls/ include mbedTLS" "$mbed"
mbed_types=$(grep -l 'mbedtls_' emulator/*/*.h | grep -v -e '^emulator/jose/' -e '^emulator/tls/')
check_none "no mbedtls_ type in a header outside jose/ and tls/" "$mbed_types"
# A header of jose/ or tls/ that brings mbedTLS in (their internal ones) is theirs alone.
leaky=$(for f in emulator/*/*.h emulator/*/*.cpp; do
  case $f in emulator/jose/* | emulator/tls/*) continue ;; esac
  sed -n 's/^#include "\(\(jose\|tls\)\/[^"]*\)".*/\1/p' "$f" | while read -r inc; do
    grep -q '#include [<"]mbedtls/\|#include [<"]psa/\|mbedtls_' "emulator/$inc" && echo "$f includes $inc, which brings in mbedTLS"
  done
done)
check_none "outside jose/ and tls/, no header of theirs that brings in mbedTLS" "$leaky"
long=$(wc -l emulator/*/*.h emulator/*/*.cpp main.cpp | awk '$2 != "total" && $1 > 450 {print $2 ": " $1 " lines"}')
check_none "no source file over 450 lines" "$long"
finish
