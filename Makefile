# Tidings — see README.md. Every target installs the Debian packages it needs.
SWIFT      ?= swift
# Pango and cairo draw fax PDFs with an embedded subset of WenQuanYi Zen Hei (needed at run time too).
BUILD_DEPS := libcurl4-openssl-dev libsqlite3-dev pkg-config libpango1.0-dev libcairo2-dev fonts-wqy-zenhei
# Real peers the adapter tests talk to (started by scripts/, on loopback); poppler and
# tesseract read the fax PDFs back.
# Headless Chromium and its driver (through Debian's Selenium) for the console's browser test.
TEST_DEPS  := kannel kannel-extras python3-aiosmtpd poppler-utils poppler-data tesseract-ocr tesseract-ocr-chi-sim \
              chromium chromium-driver python3-selenium
BENCH_DEPS := sqlite3 time bc wrk nginx-light
DEMO_DIR   := demo
TIDINGS    := .build/release/tidings

.PHONY: all deps build demo console test crash-test bench clean

all: build

deps:
	@scripts/install-deps.sh $(BUILD_DEPS)

build: deps
	$(SWIFT) build -c release --product tidings

# Seeds a sample restaurant group into demo/, then runs the worker against the
# built-in simulator while orders and reservations come in, and reports.
demo: build
	@rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	cd $(DEMO_DIR) && ../$(TIDINGS) init
	cd $(DEMO_DIR) && ../$(TIDINGS) demo seed --members 2000 --show-example
	@echo; echo "== importing examples/members.csv: 10 good rows, 3 bad ones (exit status 1 is expected) =="
	cd $(DEMO_DIR) && ../$(TIDINGS) import members ../examples/members.csv || true
	@echo; echo "== importing examples/prospects.csv: enquiries, one already a member, 2 bad rows (exit status 1 is expected) =="
	cd $(DEMO_DIR) && ../$(TIDINGS) import prospects ../examples/prospects.csv || true
	@echo; echo "== the whole loop: simulator, worker, orders, confirmations, receipts =="
	DEMO_DIR=$(DEMO_DIR) TIDINGS=$(TIDINGS) scripts/demo-loop.sh

# The web console on the demo database until Ctrl-C (after make demo): prints its URL and a login token.
console: build
	DEMO_DIR=$(DEMO_DIR) TIDINGS=$(TIDINGS) scripts/demo-console.sh

test: deps
	@scripts/install-deps.sh $(TEST_DEPS)
	$(SWIFT) build --build-tests
	# One test at a time: run all at once on 2 cores, servers shutting down while peers (Kannel, the simulator's
	# callbacks) still connect made NIO trap ("Deinited NIOAsyncWriter without calling finish()") in about half
	# of the runs, and starved timing tests; serial takes ~40 s here.
	$(SWIFT) test --skip-build --no-parallel
	TIDINGS=$(CURDIR)/.build/debug/tidings scripts/crash-test.sh 20000 5
	# The web console in headless Chromium: log in, launch from the editor, figures against the CLI's (screenshots in
	# test-artifacts/browser/).
	TIDINGS=$(CURDIR)/.build/debug/tidings scripts/browser-test.sh

# kill -9 during 20,000 sends, 5 times: 0 lost, 0 sent twice (also part of make test).
crash-test: build
	scripts/crash-test.sh 20000 5

bench: build
	@scripts/install-deps.sh $(BENCH_DEPS)
	scripts/bench-seed.sh 1000000
	$(TIDINGS) bench dispatch --messages 100000
	$(TIDINGS) bench http --messages 100000
	$(TIDINGS) bench dlr --messages 300000 --seconds 10
	$(TIDINGS) bench latency --backlog 100000
	$(TIDINGS) bench dashboard --messages 100000
	scripts/bench-campaigns.sh 1000000
	$(TIDINGS) bench segments --members 1000000
	$(TIDINGS) bench report --messages 10000000

clean:
	rm -rf .build $(DEMO_DIR)
