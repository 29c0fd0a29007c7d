# loyalty-lens: `make serve` runs the app on http://127.0.0.1:8080, `make test` runs every test.
# Both install what they need first (see .ci/tools.sh).

SHELL := /bin/bash
export PATH := $(CURDIR)/tests/e2e/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
WASM := --target wasm32-unknown-unknown

.PHONY: serve build test tools tools-browser fmt-check lint core-pure unit e2e package package-test clean crosscheck bench wasm-timing screenshots spark-check

serve: tools
	trunk serve --release --no-autoreload --address 127.0.0.1 --port 8080

build: tools
	trunk build --release

test: tools-browser fmt-check core-pure lint unit build package package-test e2e
	@echo "all tests passed"

tools:
	@bash .ci/tools.sh

tools-browser:
	@bash .ci/tools.sh --browser

fmt-check:
	cargo fmt --check

# The core must stay pure: no web crates (../shared/HOUSE_STYLE.md).
core-pure:
	@if grep -rnE '\b(yew|web_sys|js_sys|gloo[a-z_]*|wasm_bindgen)\b' src/core; then \
		echo "src/core imports a web crate: keep the core pure" >&2; exit 1; \
	else echo "src/core is pure"; fi

lint:
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --workspace --all-targets $(WASM) -- -D warnings

unit:
	cargo test

# Every page at 1440 and 360 px in both languages, on the sample data, into docs/screenshots/.
screenshots: build
	cd tests/e2e && node screenshots.mjs

e2e:
	cargo build --bin loyalty-lens
	cd tests/e2e && node --test --test-concurrency=1 app.test.mjs package.test.mjs

# The npm package `loyalty-lens` (package/) built into pkg/: see package/README.md.
package: tools
	bash package/build.sh

# The package in Node against the CLI on every fixture, its declarations type-checked, its README's
# API reference generated from them (tests/package/).
package-test:
	cargo build --bin loyalty-lens
	tsc -p tests/package/tsconfig.json
	node --test tests/package/api.test.mjs

clean:
	cargo clean
	rm -rf dist pkg tests/e2e/node_modules

# Per-customer CLV predictions against the Python package lifetimes (needs PyPI; not part of `test`).
crosscheck:
	test -x .venv-lifetimes/bin/python || (python3 -m venv .venv-lifetimes && .venv-lifetimes/bin/pip install -q lifetimes pandas scipy)
	cargo build --release
	.venv-lifetimes/bin/python tests/crosscheck/lifetimes_crosscheck.py

# The customer facts job (`loyalty-lens facts-sql`, jobs/facts_job.py) on Apache Spark in local[2]
# and on DuckDB, against the CLI's own facts and analyses, on the fixtures and a generated million
# rows (tests/spark/check.py). Needs PyPI and Java 17 (Debian's openjdk-17-jre-headless, installed
# when missing); not part of `test`. SPARK_CHECK_ROWS=0 skips the million rows.
SPARK_CHECK_ROWS ?= 1000000
spark-check:
	command -v java >/dev/null || (sudo -n apt-get install -y -q openjdk-17-jre-headless || apt-get install -y -q openjdk-17-jre-headless)
	test -x .venv-spark/bin/python || (python3 -m venv .venv-spark && .venv-spark/bin/pip install -q 'pyspark>=4,<5' 'duckdb>=1.1' 'pandas<3')
	cargo build --release --bin loyalty-lens
	.venv-spark/bin/python tests/spark/check.py --rows $(SPARK_CHECK_ROWS)

# Side-by-side benchmarks (app in headless Chromium, lifetimes, native micro-benchmarks) written
# to BENCHMARKS.md. Needs PyPI for its venv; not part of `test`.
bench:
	bash tests/bench/run.sh

# The core compiled to WebAssembly and timed in Node's V8 (WASI), outside the browser: each stage of
# reading and segmenting FILE (default the benchmark's million rows; `make bench` makes it), RUNS
# times, MODE read, split (two parts joined, as the two workers do) or segment. Not part of `test`.
wasm-timing: tools-browser
	rustup target add wasm32-wasip1
	cd tests/bench/wasm && CARGO_TARGET_DIR=$(CURDIR)/target/wasm-timing cargo build --release --target wasm32-wasip1
	wasm-opt -O3 target/wasm-timing/wasm32-wasip1/release/loyalty-lens-wasm-timing.wasm -o target/wasm-timing/timing.wasm
	node --no-warnings --no-incremental-marking tests/bench/wasm/run.mjs target/wasm-timing/timing.wasm \
		$(or $(FILE),target/bench/orders_1m.csv) $(or $(RUNS),5) $(or $(MODE),split)
