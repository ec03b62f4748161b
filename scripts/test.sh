#!/usr/bin/env bash
# The project's test command: installs the real clients the tests run (quick when they are
# already there), then runs every test. Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-clients.sh
cargo test --locked "$@"
