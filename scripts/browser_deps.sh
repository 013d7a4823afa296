#!/usr/bin/env bash
# The console's browser test (tests/e2e/test_console_browser.py) needs a headless Chromium/Chrome and its driver;
# the docs check (tests/docs) runs the README's curl lines, so curl too.
# Shared by `make test` and .ci/run. On success prints two lines for `env`:
#   MEDSCRIBE_CHROME=<browser binary>  MEDSCRIBE_CHROMEDRIVER=<driver binary>
# Debian/Ubuntu: installs chromium + chromium-driver with apt-get when root or passwordless sudo can; otherwise
# stops at once (exit 1) with the one command to run. macOS: finds Chrome or Chromium and chromedriver.
set -euo pipefail

found() {
  echo "MEDSCRIBE_CHROME=$1"
  echo "MEDSCRIBE_CHROMEDRIVER=$2"
  exit 0
}

stop() {
  echo "browser test prerequisites missing: $1" >&2
  echo "run once:  $2" >&2
  exit 1
}

if [ "$(uname -s)" = "Darwin" ]; then
  driver=$(command -v chromedriver || true)
  for app in "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" \
             "/Applications/Chromium.app/Contents/MacOS/Chromium" \
             "$HOME/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" \
             "$HOME/Applications/Chromium.app/Contents/MacOS/Chromium"; do
    if [ -x "$app" ] && [ -n "$driver" ]; then found "$app" "$driver"; fi
  done
  stop "Chrome or Chromium, and chromedriver" "brew install --cask chromium chromedriver"
fi

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
driver=$(command -v chromedriver || true)
if [ -n "$browser" ] && [ -n "$driver" ] && command -v curl >/dev/null 2>&1; then found "$browser" "$driver"; fi

if ! command -v apt-get >/dev/null 2>&1; then
  stop "chromium and chromedriver (no apt-get here)" "install Chromium and its chromedriver with your package manager"
fi
if [ "$(id -u)" = 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  stop "chromium, chromium-driver and curl" "sudo apt-get install -y --no-install-recommends chromium chromium-driver curl"
fi
echo "installing chromium + chromium-driver (the console's browser test) and curl (the docs check) (apt-get)..." >&2
"${SUDO[@]}" apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium chromium-driver curl >&2
browser=$(command -v chromium || command -v chromium-browser || true)
driver=$(command -v chromedriver || true)
if [ -n "$browser" ] && [ -n "$driver" ] && command -v curl >/dev/null 2>&1; then found "$browser" "$driver"; fi
stop "chromium, chromium-driver and curl (apt-get ran, binaries not found)" "apt-get install -y chromium chromium-driver curl"
