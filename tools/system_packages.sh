#!/usr/bin/env bash
# The Debian packages Yiwang needs on the machine: Pango and HarfBuzz's subsetter for the
# e-licence PDFs, gettext for the translations, and (for `make test`) Chromium for the browser
# tests. Run as root, it installs what is missing; otherwise it prints the command and fails,
# so that nothing starts half-working (a licence printed without its glyphs, a skipped test).
# Usage: tools/system_packages.sh [run|test]
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext)
if [ "${1:-run}" = test ]; then packages+=(chromium); fi

if ! command -v dpkg >/dev/null 2>&1; then
  echo "Not a Debian machine: install Pango, HarfBuzz (with libharfbuzz-subset), gettext" \
       "and Chromium with your package manager." >&2
  exit 0
fi
need=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || need+=("$package")
done
[ ${#need[@]} -eq 0 ] && exit 0

command="apt-get update && apt-get install -y ${need[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${need[*]} (Debian packages Yiwang needs)…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "Yiwang needs the Debian packages ${need[*]}. As root, run:" >&2
  echo "  $command" >&2
  exit 1
fi
