#!/usr/bin/env bash
# Installs what building and testing need, skipping whatever is already there (idempotent):
# the wasm32 target, trunk 0.21.14, wasm-bindgen-cli at exactly the version in Cargo.lock, the npm
# packages (binaryen 132 for wasm-opt, playwright-core, typescript for the package's declarations), and with --browser Debian's Chromium.
# Installs go to the usual places (~/.cargo/bin, ~/.npm cache), so repeat runs are quick.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
say() { printf '==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q " ${TRUNK_VERSION}\$"; then
  say "installing trunk ${TRUNK_VERSION} (about 10 minutes on 2 cores, once)"
  cargo install trunk --version "${TRUNK_VERSION}" --locked
fi

# trunk cannot download wasm-bindgen here: install the CLI matching the crate exactly.
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "${WBG_VERSION}" ]; then
  echo "cannot find the wasm-bindgen version in Cargo.lock" >&2
  exit 1
fi
if ! grep -q "wasm_bindgen = \"${WBG_VERSION}\"" Trunk.toml; then
  echo "Trunk.toml's [tools] wasm_bindgen does not match Cargo.lock's wasm-bindgen ${WBG_VERSION}" >&2
  exit 1
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${WBG_VERSION}\$"; then
  say "installing wasm-bindgen-cli ${WBG_VERSION}"
  # --locked fails for this version of wasm-bindgen-cli; the exact version pin is what matters.
  cargo install wasm-bindgen-cli --version "=${WBG_VERSION}"
fi

if [ ! -x tests/e2e/node_modules/.bin/wasm-opt ] || [ ! -d tests/e2e/node_modules/playwright-core ] \
  || [ ! -x tests/e2e/node_modules/.bin/tsc ]; then
  say "installing npm packages (binaryen, playwright-core, typescript)"
  (cd tests/e2e && npm ci --no-audit --no-fund)
fi

if [ "${1:-}" = "--browser" ] && ! command -v chromium >/dev/null 2>&1; then
  say "installing Debian's chromium"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium chromium-driver
fi
