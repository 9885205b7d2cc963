#!/bin/sh
# Install the Debian packages qmslift needs (and, for "test", what the tests need).
# As root it runs apt-get; otherwise it prints the exact command to run.
# Usage: scripts/deps.sh run|test
set -eu
what=${1:-run}

RUN_PKGS="build-essential pkg-config libmicrohttpd-dev libsqlite3-dev libjansson-dev libsodium-dev
libinih-dev libpq-dev fonts-noto-cjk fonts-liberation sqlite3 libcairo2-dev libpango1.0-dev libxlsxwriter-dev
libqrencode-dev libcurl4-openssl-dev"
TEST_PKGS="libcmocka-dev chromium poppler-utils wrk curl postgresql nginx-light openssl unzip zbar-tools"

pkgs=$RUN_PKGS
[ "$what" = test ] && pkgs="$RUN_PKGS $TEST_PKGS"
# Node.js and npm: the browser tests, and the browser libraries qmslift serves (ECharts,
# copied from node_modules to web/vendor/ by make).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  pkgs="$pkgs nodejs npm"
fi

missing=""
for p in $pkgs; do
  st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$st" = installed ] || missing="$missing $p"
done

if [ -n "$missing" ]; then
  echo "需要安装的 Debian 软件包：$missing"
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    # Refresh the package lists when they are missing or older than a day.
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
      apt-get update -qq
    fi
    apt-get install -y -qq --no-install-recommends $missing
  else
    echo "请以 root 身份运行：" >&2
    echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
  fi
fi

# The npm packages of package-lock.json, for `run` and `test` alike; only when
# node_modules is missing or older than the lock file.
if [ -f package-lock.json ]; then
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
