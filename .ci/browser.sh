#!/usr/bin/env bash
# Installs Debian's chromium and chromedriver for the demo UI's browser tests
# (mock-idp/tests/test_demo_ui_browser.rs), which CI requires. Idempotent; ~1 min the first time.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  echo "chromium and chromedriver present: $(chromium --version 2>/dev/null | head -n 1)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium chromium-driver >/dev/null
echo "installed: $(chromium --version 2>/dev/null | head -n 1)"
