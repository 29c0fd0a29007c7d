#!/usr/bin/env bash
# Builds the npm package into pkg/ (`make package`): the core compiled to WebAssembly (the worker's
# profile: small, the reading and segmenting crates built for speed), its JavaScript bindings
# (wasm-bindgen --target web: an ES module that bundlers and browsers load as it is), wasm-opt -O3,
# and the package's own JavaScript, declarations, README and licences.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet -p loyalty-lens-js --target wasm32-unknown-unknown --profile web-worker
rm -rf pkg
mkdir -p pkg/wasm
wasm-bindgen --target web --out-dir pkg/wasm --out-name loyalty_lens --no-typescript \
  target/wasm32-unknown-unknown/web-worker/loyalty_lens_js.wasm
wasm-opt -O3 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  --enable-reference-types --enable-multivalue pkg/wasm/loyalty_lens_bg.wasm -o pkg/wasm/loyalty_lens_bg.wasm
cp package/js/*.js package/js/index.d.ts package/js/package.json pkg/
cp package/README.md LICENSE-MIT LICENSE-APACHE pkg/
echo "built pkg/: $(du -sh pkg | cut -f1), wasm $(gzip -9c pkg/wasm/loyalty_lens_bg.wasm | wc -c) bytes gzipped"
