#!/usr/bin/env bash
# Install what a fresh Debian machine needs for one or more groups of tasks.
#
#   tools/deps.sh test     # cargo test --all-targets (browser tests: node, npm, chromium,
#                          #   ogrinfo (gdal-bin) for tests/ogc.rs, pdftotext/pdftoppm
#                          #   (poppler-utils) for the print tests,
#                          #   tests/browser/node_modules from its package-lock.json,
#                          #   tests/oidc/node_modules: the OpenID provider of tests/auth.rs,
#                          #   aiosmtpd in a venv (target/test-venv; PyPI): the SMTP sink of
#                          #   tests/stale.rs; rdflib in the same venv: the DCAT-AP-SE check of
#                          #   tests/dcat.rs; soffice (libreoffice-calc-nogui): the spreadsheet
#                          #   client of tests/export.rs)
#   tools/deps.sh web      # web/node_modules (Leaflet) for `make run` and the pages
#   tools/deps.sh lint     # cargo fmt, cargo clippy
#   tools/deps.sh bench    # benches/load.rs: wrk, nginx-light, taskset, and pygeoapi with
#                          #   gunicorn in a venv (SKK_BENCH_VENV, default target/bench-venv; PyPI)
#
# Only installs what is missing; runs `apt-get update` at most once, and only
# when something has to be installed. Safe to run again and again (CI does).
set -euo pipefail

die() { echo "deps.sh: $*" >&2; exit 1; }

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "not root and no sudo: install $* by hand"
    SUDO=(sudo)
fi

# Debian packages to install, keyed by the command that shows they are there.
declare -A PKG_FOR_CMD=()

need_cmd() { # need_cmd COMMAND DEBIAN_PACKAGE
    command -v "$1" >/dev/null 2>&1 || PKG_FOR_CMD[$1]=$2
}

# Node packages to install after the Debian packages (npm comes from them): directories.
NPM_DIRS=()
# The Python venv with pygeoapi and gunicorn (the bench's OGC peer), when asked for.
VENV=
# The Python venv with aiosmtpd (the tests' SMTP sink) and rdflib (the DCAT check), when asked for.
TEST_VENV=

# pygeoapi and gunicorn from PyPI into VENV, when either is missing.
pip_venv() {
    [[ -x $VENV/bin/gunicorn && -x $VENV/bin/pygeoapi ]] && return 0
    echo "deps.sh: installing pygeoapi and gunicorn into $VENV (PyPI)" >&2
    python3 -m venv "$VENV" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
    "$VENV/bin/pip" install -q pygeoapi gunicorn || die "pip install pygeoapi gunicorn failed"
}

# aiosmtpd and rdflib from PyPI into TEST_VENV, when either is missing.
test_venv() {
    [[ -x $TEST_VENV/bin/python && -d $TEST_VENV/lib ]] && "$TEST_VENV/bin/python" -c 'import aiosmtpd, rdflib' 2>/dev/null && return 0
    echo "deps.sh: installing aiosmtpd and rdflib into $TEST_VENV (PyPI)" >&2
    python3 -m venv "$TEST_VENV" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
    "$TEST_VENV/bin/python" -m pip install -q aiosmtpd rdflib || die "pip install aiosmtpd rdflib failed"
}

# npm ci DIR, when DIR/node_modules is missing or older than DIR/package-lock.json.
# puppeteer-core downloads no browser; the tests use Debian's chromium.
npm_ci() {
    local dir=$1
    [[ -d $dir/node_modules && ! $dir/package-lock.json -nt $dir/node_modules ]] && return 0
    echo "deps.sh: npm ci in $dir" >&2
    (cd "$dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefer-offline --no-audit --no-fund --loglevel=error)
    touch "$dir/node_modules"
}

need_cargo() {
    command -v cargo >/dev/null 2>&1 ||
        die "cargo not found: this project needs the machine's rustup toolchain (edition 2024; Debian's cargo is too old)"
}

for group in "$@"; do
    case $group in
    test)
        need_cargo
        # Browser tests (tests/browser.rs): node's test runner, puppeteer-core, axe-core.
        need_cmd node nodejs
        need_cmd npm npm
        [[ -n ${CHROMIUM:-} && -x ${CHROMIUM:-} ]] || need_cmd chromium chromium
        NPM_DIRS+=("$(dirname "$0")/../tests/browser")
        # A real OpenID provider for tests/auth.rs (oidc-provider, run with node).
        NPM_DIRS+=("$(dirname "$0")/../tests/oidc")
        # A real OGC API – Features client for tests/ogc.rs: GDAL's ogrinfo (OAPIF driver).
        need_cmd ogrinfo gdal-bin
        # Printed reports (tests/browser/utskrift.test.mjs): PDF to text and to PNG.
        need_cmd pdftotext poppler-utils
        need_cmd pdftoppm poppler-utils
        # A real spreadsheet client for the CSV and XLSX exports (tests/export.rs):
        # LibreOffice Calc without a GUI, run as `soffice --headless --convert-to`.
        need_cmd soffice libreoffice-calc-nogui
        # A real SMTP server for the e-mail reminders (tests/stale.rs): aiosmtpd in a venv; an
        # RDF parser for the DCAT-AP-SE catalogue (tests/dcat.rs): rdflib in the same venv.
        need_cmd python3 python3
        TEST_VENV=${SKK_TEST_VENV:-$(dirname "$0")/../target/test-venv}
        ;;
    web)
        # The front end's Leaflet (web/node_modules), served by the service itself: no CDN.
        need_cmd node nodejs
        need_cmd npm npm
        NPM_DIRS+=("$(dirname "$0")/../web")
        ;;
    lint)
        need_cargo
        cargo fmt --version >/dev/null 2>&1 || die "rustfmt missing: rustup component add rustfmt"
        cargo clippy --version >/dev/null 2>&1 || die "clippy missing: rustup component add clippy"
        ;;
    bench)
        need_cargo
        need_cmd taskset util-linux
        need_cmd nginx nginx-light
        need_cmd wrk wrk
        need_cmd python3 python3
        VENV=${SKK_BENCH_VENV:-$(dirname "$0")/../target/bench-venv}
        ;;
    *) die "unknown group '$group' (web, test, lint, bench)" ;;
    esac
done

after() {
    local dir
    for dir in "${NPM_DIRS[@]}"; do npm_ci "$dir"; done
    [[ -z $VENV ]] || pip_venv
    [[ -z $TEST_VENV ]] || test_venv
}

if ((${#PKG_FOR_CMD[@]} == 0)); then
    after
    exit 0
fi

pkgs=$(printf '%s\n' "${PKG_FOR_CMD[@]}" | sort -u | tr '\n' ' ')
echo "deps.sh: installing $pkgs" >&2
export DEBIAN_FRONTEND=noninteractive

# Keep apt from starting services it installs (nginx would grab port 80):
# a temporary policy-rc.d, removed again only if we created it.
policy=/usr/sbin/policy-rc.d
created_policy=
if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
    "${SUDO[@]}" chmod 755 "$policy"
    created_policy=1
fi
cleanup() { [[ -z $created_policy ]] || "${SUDO[@]}" rm -f "$policy"; }
trap cleanup EXIT

"${SUDO[@]}" apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is intended
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends $pkgs </dev/null

for cmd in "${!PKG_FOR_CMD[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 || die "$cmd still missing after installing ${PKG_FOR_CMD[$cmd]}"
done

after
