#!/usr/bin/env bash
# Installs, only when missing and at the pinned versions, every tool the build and the
# tests need (see ../shared/TOOLCHAIN.md). Safe to run again: each step is guarded, so a
# second run takes seconds. Only crates.io, npm and apt are reachable on these machines.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/tools"
CARGO_LEPTOS_VERSION=0.3.11
LEPTOSFMT_VERSION=0.1.33
CARGO_MACHETE_VERSION=0.9.2
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132.0.0
mkdir -p "$TOOLS"

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# Builds a crate from its registry source after pinning one dependency, because the
# published lockfile of that version no longer builds here (see TOOLCHAIN.md).
install_patched() {
  local crate=$1 version=$2 dep=$3 dep_version=$4
  shift 4
  log "installing $crate $version (pinning $dep to $dep_version)"
  cargo info "$crate@$version" >/dev/null
  local src
  src=$(ls -d "$HOME"/.cargo/registry/src/*/"$crate-$version" | head -n 1)
  local work
  work=$(mktemp -d)
  cp -r "$src/." "$work/"
  (cd "$work" && cargo update -p "$dep" --precise "$dep_version" && cargo install --path . --locked "$@")
  rm -rf "$work"
}

# The patched tachys that [patch.crates-io] points at: every cargo command needs it.
"$ROOT/scripts/vendor.sh"

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  # --debug: same output, a third of the build time (the release LTO link is ~11 min).
  install_patched cargo-leptos "$CARGO_LEPTOS_VERSION" cargo-util-schemas 0.14.1 --debug
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  install_patched wasm-bindgen-cli "$WASM_BINDGEN_VERSION" webpki-roots 1.0.10
fi

# `make lint`: leptosfmt (view! blocks) and cargo-machete (unused dependencies).
if ! leptosfmt --version 2>/dev/null | grep -q "$LEPTOSFMT_VERSION"; then
  log "installing leptosfmt $LEPTOSFMT_VERSION"
  cargo install --locked --quiet leptosfmt --version "$LEPTOSFMT_VERSION"
fi

if ! cargo machete --version 2>/dev/null | grep -q "$CARGO_MACHETE_VERSION"; then
  log "installing cargo-machete $CARGO_MACHETE_VERSION"
  cargo install --locked --quiet cargo-machete --version "$CARGO_MACHETE_VERSION"
fi

if ! "$TOOLS/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  log "installing npm binaryen $BINARYEN_VERSION (wasm-opt); never Debian's binaryen"
  (cd "$TOOLS" && { [ -f package.json ] || echo '{"private":true}' > package.json; } \
    && npm install --no-audit --no-fund --save-exact "binaryen@$BINARYEN_VERSION")
fi

if [ ! -x /usr/bin/chromium ]; then
  log "installing Debian chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi

if ! command -v pdftotext >/dev/null 2>&1; then
  log "installing poppler-utils (pdftotext, used by the invoice PDF tests)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq poppler-utils >/dev/null
fi

if [ -f "$ROOT/end2end/package-lock.json" ]; then
  if [ ! -d "$ROOT/end2end/node_modules" ] || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.stamp" ]; then
    log "installing end2end npm packages"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund && touch node_modules/.stamp)
  fi
fi

# Python test tools (TOOLCHAIN.md), each an independent implementation the tests check
# Dunwell against: the Standard Webhooks package the tests' webhook receiver verifies
# signatures with, and the validator `/v1/openapi.json` must pass.
STANDARDWEBHOOKS_VERSION=1.1.0
OPENAPI_SPEC_VALIDATOR_VERSION=0.9.0
pip_version() { "$TOOLS/venv/bin/pip" show "$1" 2>/dev/null | sed -n 's/^Version: //p'; }
if [ "$(pip_version standardwebhooks)" != "$STANDARDWEBHOOKS_VERSION" ] \
  || [ "$(pip_version openapi-spec-validator)" != "$OPENAPI_SPEC_VALIDATOR_VERSION" ]; then
  log "installing the Python test tools (standardwebhooks $STANDARDWEBHOOKS_VERSION, openapi-spec-validator $OPENAPI_SPEC_VALIDATOR_VERSION) in tools/venv"
  [ -x "$TOOLS/venv/bin/pip" ] || python3 -m venv "$TOOLS/venv"
  "$TOOLS/venv/bin/pip" install -q --disable-pip-version-check \
    "standardwebhooks==$STANDARDWEBHOOKS_VERSION" \
    "openapi-spec-validator==$OPENAPI_SPEC_VALIDATOR_VERSION"
fi

log "tools ready"
