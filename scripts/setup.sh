#!/usr/bin/env bash
# Shared set-up for scripts/start and scripts/test: installs what is missing, and only that.
# Safe to run again: each step is skipped when its inputs have not changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "Need root to run: $*" >&2; return 1; fi
}

APT_UPDATED=0
apt_install() {
  # apt_install PACKAGE... : install the Debian packages that are not installed yet.
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "Installing Debian packages: ${missing[*]}"
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

setup_system() {
  # WeasyPrint needs pango; python-magic needs libmagic; npm builds the stylesheet;
  # the PDF record's tests read PDFs back with poppler-utils (pdftotext, pdfinfo).
  apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libmagic1 fonts-dejavu-core poppler-utils
  command -v npm >/dev/null || apt_install nodejs npm
}

setup_python() {
  local locks=("requirements.lock" "$@")
  local want
  want="$(cat "${locks[@]}" pyproject.toml | sha256sum | cut -d' ' -f1)"
  if [ ! -x "$VENV/bin/python" ]; then
    log "Creating $VENV"
    "$PY" -m venv "$VENV"
  fi
  if ! stamp_ok "$VENV/.installed" "$want"; then
    log "Installing Python packages from ${locks[*]}"
    local args=()
    for l in "${locks[@]}"; do args+=(-r "$l"); done
    "$VENV/bin/pip" install -q --require-hashes "${args[@]}"
    "$VENV/bin/pip" install -q --no-deps -e .
    echo "$want" > "$VENV/.installed"
  fi
}

setup_assets() {
  local want
  want="$(cat package.json package-lock.json waymark/static_src/* | sha256sum | cut -d' ' -f1)"
  if ! stamp_ok "node_modules/.installed" "$want" || [ ! -f build/static/waymark/waymark.css ]; then
    log "Installing front-end assets (npm) and building the stylesheet"
    npm ci --no-audit --no-fund --loglevel=error
    npm run --silent build
    echo "$want" > node_modules/.installed
  fi
  "$VENV/bin/waymark" collectstatic --noinput -v0
}

setup_database() {
  log "Preparing the database (${DATABASE_URL:-SQLite in var/})"
  mkdir -p "$ROOT/var"
  "$VENV/bin/waymark" migrate --noinput -v0
  "$VENV/bin/waymark" createcachetable
}
