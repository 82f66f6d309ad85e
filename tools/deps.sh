#!/usr/bin/env bash
# Install what a fresh Debian machine needs for one or more groups of tasks.
#
#   tools/deps.sh test     # cargo test --all-targets; ogrinfo (gdal-bin) for tests/ogc.rs
#   tools/deps.sh lint     # cargo fmt, cargo clippy
#   tools/deps.sh bench    # benches/run.sh: wrk, nginx-light, curl
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

need_cargo() {
    command -v cargo >/dev/null 2>&1 ||
        die "cargo not found: this project needs the machine's rustup toolchain (edition 2024; Debian's cargo is too old)"
}

for group in "$@"; do
    case $group in
    test)
        need_cargo
        # Browser tests will add: need_cmd chromium chromium; need_cmd chromedriver chromium-driver
        # A real OGC API – Features client for tests/ogc.rs: GDAL's ogrinfo (OAPIF driver).
        need_cmd ogrinfo gdal-bin
        ;;
    lint)
        need_cargo
        cargo fmt --version >/dev/null 2>&1 || die "rustfmt missing: rustup component add rustfmt"
        cargo clippy --version >/dev/null 2>&1 || die "clippy missing: rustup component add clippy"
        ;;
    bench)
        need_cargo
        need_cmd curl curl
        need_cmd taskset util-linux
        need_cmd nginx nginx-light
        need_cmd wrk wrk
        ;;
    *) die "unknown group '$group' (test, lint, bench)" ;;
    esac
done

((${#PKG_FOR_CMD[@]} == 0)) && exit 0

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
