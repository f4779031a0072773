#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing:
#   chromium + fonts-noto-cjk  (browser tests; never a browser download)
#   gettext                    (the translation-catalogue test)
# As root (CI, our dev machines) it installs them; elsewhere it says what to install, and the
# tests that need them are skipped with a message (CI=true turns such a skip into a failure).
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] && ls /usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1 \
  || missing+=(fonts-noto-cjk)
command -v xgettext >/dev/null 2>&1 && command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing ${missing[*]} from Debian's packages..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "Installing ${missing[*]} from Debian's packages (sudo)..."
  sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages: ${missing[*]}. Install them with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  echo "Until then the tests that need them are skipped." >&2
fi
