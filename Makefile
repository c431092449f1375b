# Dunwell: `make run` and `make test` work on a fresh machine (cargo, node/npm, apt).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ROOT := $(CURDIR)
# npm binaryen's wasm-opt first: Debian's binaryen breaks hydration (TOOLCHAIN.md).
export PATH := $(ROOT)/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

E2E_PORT ?= 3005
E2E_URL := http://127.0.0.1:$(E2E_PORT)
E2E_DIR := $(ROOT)/target/e2e
MAILDEV_SMTP ?= 1025
MAILDEV_WEB ?= 1080

.PHONY: help setup build run dev lint test test-rust test-e2e bench

help:
	@echo "make run    install what is missing, build, serve the demo at http://127.0.0.1:3000"
	@echo "make test   install what is missing, run every test (Rust on SQLite/PostgreSQL, Playwright)"
	@echo "make dev    rebuild and reload on change (cargo leptos watch)"
	@echo "make lint   vendored patch check, rustfmt, leptosfmt, unused dependencies, clippy -D warnings"
	@echo "make build  release build of the server and the wasm bundle"
	@echo "make bench  benchmarks (see README)"

setup:
	@scripts/setup.sh

# The server and the default bundle, then the portal's and the console's own bundles
# (each hydrates only its section; see app/src/bundles.rs), then precompressed assets.
build: setup
	cargo leptos build --release --project dunwell
	cargo leptos build --release --frontend-only --project portal
	cargo leptos build --release --frontend-only --project console
	node scripts/bundles.mjs
	node scripts/precompress.mjs target/site/pkg

run: build
	DUNWELL_DEMO=$${DUNWELL_DEMO:-1} ./target/release/dunwell serve

dev: setup
	DUNWELL_DEMO=$${DUNWELL_DEMO:-1} cargo leptos watch --project dunwell

# The vendored tachys patch still applies and is used; rustfmt and leptosfmt (view! blocks);
# the inlined JavaScript parses;
# no unused dependency; clippy with -D warnings on the server side and on the wasm crate.
lint: setup
	scripts/vendor.sh --check
	cargo fmt --all -- --check
	leptosfmt --check app/src frontend/src
	for f in app/src/js/*.js; do node --check "$$f"; done
	@# leptos_meta reads a <Title>'s text after a yield, outside the request's reactive arena:
	@# a closure over a signal there can panic under load, so titles are plain strings (and a
	@# formatter, named, captures plain values).
	@if grep -rnE '<Title[^>]*(text|formatter)=\{?[[:space:]]*(move|\|)' app/src; then echo 'lint: a <Title> text must be a String (tu_string!), not a closure'; exit 1; fi
	cargo machete
	cargo clippy --workspace --exclude frontend --all-targets --features dunwell/testing -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

test: setup test-rust test-e2e

# Unit, service and HTTP tests; on PostgreSQL too when TEST_POSTGRES_URL is set.
# The frontend crate is the wasm entry point and is built by cargo-leptos instead.
test-rust:
	@if [ -n "$${TEST_POSTGRES_URL:-}" ]; then echo "Rust tests on SQLite and PostgreSQL"; else echo "Rust tests on SQLite (set TEST_POSTGRES_URL for PostgreSQL too)"; fi
	cargo test --workspace --exclude frontend

# Playwright in Debian's Chromium against the release build (`make build`: the server and
# every bundle) with a fresh demo database, and maildev as the SMTP sink (its web API gives
# the tests the decoded emails). The server runs as `make run` runs it, from Leptos.toml.
test-e2e: build
	rm -rf "$(E2E_DIR)" && mkdir -p "$(E2E_DIR)"
	end2end/node_modules/.bin/maildev --smtp $(MAILDEV_SMTP) --web $(MAILDEV_WEB) --ip 127.0.0.1 --silent > "$(E2E_DIR)/maildev.log" 2>&1 & \
	echo $$! > "$(E2E_DIR)/maildev.pid"; \
	export DATABASE_URL="sqlite://$(E2E_DIR)/dunwell.db" DUNWELL_DEMO=1 \
	  DUNWELL_LISTEN=127.0.0.1:$(E2E_PORT) PUBLIC_URL=$(E2E_URL) BASE_URL=$(E2E_URL) \
	  SMTP_URL=smtp://127.0.0.1:$(MAILDEV_SMTP) MAILDEV_URL=http://127.0.0.1:$(MAILDEV_WEB) \
	  DUNWELL_ADMIN_PASSWORD=e2e-owner-password DUNWELL_VIEWER_PASSWORD=e2e-viewer-password \
	  DUNWELL_SECRET_KEY_FILE="$(E2E_DIR)/secret.key" DUNWELL_WEBHOOK_ALLOW_INSECURE=1; \
	./target/release/dunwell serve > "$(E2E_DIR)/server.log" 2>&1 & \
	echo $$! > "$(E2E_DIR)/server.pid"; \
	status=0; \
	(cd end2end && node_modules/.bin/playwright test $(E2E_ONLY)) 2>&1 | tee "$(E2E_DIR)/playwright.log" || status=$$?; \
	kill $$(cat "$(E2E_DIR)/server.pid") $$(cat "$(E2E_DIR)/maildev.pid") 2>/dev/null || true; \
	if [ $$status -ne 0 ]; then \
	  echo "--- last lines of the server log ($(E2E_DIR)/server.log)"; tail -n 40 "$(E2E_DIR)/server.log"; \
	  echo "--- what failed (whole output: $(E2E_DIR)/playwright.log)"; \
	  grep -E '^ +[0-9]+\) |Error:|expect\(|Expected|Received|timed out|^ +at .*spec\.ts' "$(E2E_DIR)/playwright.log" | head -n 60; \
	  tail -n 12 "$(E2E_DIR)/playwright.log"; \
	fi; \
	exit $$status

bench: build
	scripts/bench.sh
