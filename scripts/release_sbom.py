#!/usr/bin/python3
"""The SPDX 2.3 SBOM of a release: the two static binaries and each third-party component linked
into them, with the exact version of what this build used, read from where it came from, never
written here: mbedTLS and cpp-httplib from the Debian source packages unpacked into
build/third_party (the version in their headers, the Debian version of their .dsc); yaml-cpp,
picojson, glibc, libstdc++ and libgcc from the Debian package (dpkg) owning the file the compiler
links (g++ -print-file-name), for arm64 from the cross toolchain's packages and the arm64 yaml-cpp
package unpacked into build/arm64.

Usage: release_sbom.py VERSION OUT.spdx.json BINARY_AMD64 BINARY_ARM64
"""
import datetime
import glob
import hashlib
import json
import os
import re
import subprocess
import sys
import uuid

THIRD = "build/third_party"
CXX = {"amd64": os.environ.get("CXX_AMD64", "g++"), "arm64": os.environ.get("CXX_ARM64", "aarch64-linux-gnu-g++")}
LICENSES = {
    "mbedtls": "Apache-2.0 OR GPL-2.0-or-later",
    "cpp-httplib": "MIT",
    "yaml-cpp": "MIT",
    "picojson": "BSD-2-Clause",
    "glibc": "LGPL-2.1-or-later",
    "libstdc++": "GPL-3.0-or-later WITH GCC-exception-3.1",
    "libgcc": "GPL-3.0-or-later WITH GCC-exception-3.1",
}


def run(*argv):
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout.strip()


def upstream(debian_version):
    """2.36-9+deb12u10 -> 2.36; 1:2.3-1 -> 2.3; 0.7.0+dfsg-8+b1 -> 0.7.0."""
    v = re.sub(r"^\d+:", "", debian_version)
    v = re.sub(r"-[^-]*$", "", v)
    return re.sub(r"[+~](dfsg|ds)\d*$", "", v)


def owner(path):
    """The Debian package that installed path, and its version."""
    # "libc6-dev:amd64: /usr/lib/x86_64-linux-gnu/libc.a", "libc6-dev-arm64-cross: /usr/aarch64-…"
    qualified = run("dpkg-query", "-S", os.path.realpath(path)).splitlines()[0].split(": ")[0].split(", ")[0]
    return qualified.split(":")[0], run("dpkg-query", "-W", "-f=${Version}", qualified)


def linked_file(arch, name):
    if name == "libgcc.a":
        return run(CXX[arch], "-print-libgcc-file-name")
    return run(CXX[arch], "-print-file-name=" + name)


def header_version(path, macro):
    with open(path, errors="replace") as f:
        m = re.search(r'#define\s+%s\s+"([^"]+)"' % macro, f.read())
    if not m:
        sys.exit("release_sbom: no %s in %s" % (macro, path))
    return m.group(1)


def dsc_version(source):
    dscs = glob.glob(os.path.join(THIRD, source + "_*.dsc"))
    if len(dscs) != 1:
        sys.exit("release_sbom: expected one %s .dsc in %s, found %s" % (source, THIRD, dscs))
    with open(dscs[0]) as f:
        return re.search(r"^Version: (\S+)", f.read(), re.M).group(1)


def components():
    """(name, upstream version, Debian package, its version, Debian arch or 'source', [binaries])."""
    out = []
    mbedtls_dir = glob.glob(os.path.join(THIRD, "mbedtls-*/include/mbedtls/build_info.h"))
    httplib = glob.glob(os.path.join(THIRD, "cpp-httplib-*/httplib.h"))
    if len(mbedtls_dir) != 1 or len(httplib) != 1:
        sys.exit("release_sbom: expected one mbedTLS and one cpp-httplib source in %s (make deps)" % THIRD)
    out.append(("mbedtls", header_version(mbedtls_dir[0], "MBEDTLS_VERSION_STRING"), "mbedtls", dsc_version("mbedtls"),
                "source", ["amd64", "arm64"]))
    out.append(("cpp-httplib", header_version(httplib[0], "CPPHTTPLIB_VERSION"), "cpp-httplib",
                dsc_version("cpp-httplib"), "source", ["amd64", "arm64"]))
    pkg, ver = owner("/usr/include/picojson.h")
    out.append(("picojson", upstream(ver), pkg, ver, "all", ["amd64", "arm64"]))
    pkg, ver = owner(linked_file("amd64", "libyaml-cpp.a"))
    out.append(("yaml-cpp", upstream(ver), pkg, ver, "amd64", ["amd64"]))
    debs = glob.glob("build/arm64/deb/libyaml-cpp-dev_*_arm64.deb")
    if len(debs) != 1:
        sys.exit("release_sbom: expected one arm64 yaml-cpp package in build/arm64/deb (scripts/deps.sh dist)")
    ver = run("dpkg-deb", "-f", debs[0], "Version")
    out.append(("yaml-cpp", upstream(ver), run("dpkg-deb", "-f", debs[0], "Package"), ver, "arm64", ["arm64"]))
    for arch in ("amd64", "arm64"):
        for name, lib in (("glibc", "libc.a"), ("libstdc++", "libstdc++.a"), ("libgcc", "libgcc.a")):
            pkg, ver = owner(linked_file(arch, lib))
            out.append((name, upstream(ver), pkg, ver, "all" if pkg.endswith("-cross") else arch, [arch]))
    return out


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def spdx_id(text):
    return "SPDXRef-" + re.sub(r"[^A-Za-z0-9.-]", "-", text)


def main():
    version, out_path, binaries = sys.argv[1], sys.argv[2], {"amd64": sys.argv[3], "arm64": sys.argv[4]}
    sums = {arch: sha256(path) for arch, path in binaries.items()}
    created = datetime.datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "0")) or
                                              datetime.datetime.now().timestamp(), datetime.timezone.utc)
    doc_uuid = uuid.uuid5(uuid.NAMESPACE_URL, "authemu-%s-%s-%s" % (version, sums["amd64"], sums["arm64"]))
    doc = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "authemu-" + version,
        "documentNamespace": "https://spdx.org/spdxdocs/authemu-%s-%s" % (version, doc_uuid),
        "creationInfo": {"created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
                         "creators": ["Tool: authemu scripts/release_sbom.py"]},
        "packages": [{
            "SPDXID": "SPDXRef-authemu", "name": "authemu", "versionInfo": version, "downloadLocation": "NOASSERTION",
            "filesAnalyzed": True, "licenseConcluded": "NOASSERTION", "licenseDeclared": "NOASSERTION",
            "copyrightText": "NOASSERTION", "primaryPackagePurpose": "APPLICATION",
            "packageVerificationCode": {"packageVerificationCodeValue": hashlib.sha1(
                "".join(sorted(hashlib.sha1(open(p, "rb").read()).hexdigest() for p in binaries.values())).encode()).hexdigest()},
            "hasFiles": [spdx_id("File-authemu-linux-" + a) for a in binaries],
        }],
        "files": [{
            "SPDXID": spdx_id("File-authemu-linux-" + arch), "fileName": "./" + os.path.basename(path),
            "checksums": [{"algorithm": "SHA1", "checksumValue": hashlib.sha1(open(path, "rb").read()).hexdigest()},
                          {"algorithm": "SHA256", "checksumValue": sums[arch]}],
            "fileTypes": ["BINARY"], "licenseConcluded": "NOASSERTION", "copyrightText": "NOASSERTION",
            "comment": "static linux/%s executable" % arch,
        } for arch, path in binaries.items()],
        "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                           "relatedSpdxElement": "SPDXRef-authemu"}],
    }
    for name, up, pkg, ver, deb_arch, archs in components():
        ident = spdx_id("Package-%s-%s" % (name, "-".join(archs)))
        purl = "pkg:deb/debian/%s@%s" % (pkg, ver.replace("+", "%2B").replace(":", "%3A"))
        purl += "?arch=source" if deb_arch == "source" else "?arch=" + deb_arch
        doc["packages"].append({
            "SPDXID": ident, "name": name, "versionInfo": up, "downloadLocation": "NOASSERTION",
            "filesAnalyzed": False, "licenseConcluded": "NOASSERTION", "licenseDeclared": LICENSES[name],
            "copyrightText": "NOASSERTION", "primaryPackagePurpose": "LIBRARY",
            "sourceInfo": "Debian %s %s %s%s" % ("source package" if deb_arch == "source" else "package", pkg, ver,
                                                 " (%s)" % deb_arch if deb_arch in ("amd64", "arm64") else ""),
            "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": purl}],
        })
        for arch in archs:
            doc["relationships"].append({"spdxElementId": spdx_id("File-authemu-linux-" + arch),
                                         "relationshipType": "STATIC_LINK", "relatedSpdxElement": ident})
    with open(out_path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


main()
