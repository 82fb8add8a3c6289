#!/usr/bin/env bash
# Set up everything the project needs on a fresh machine, then exit.
#   scripts/setup.sh        the harness (grader, compiled fast layers) in .venv, plus bubblewrap
#   scripts/setup.sh test   the same, plus the test dependencies and headless Chromium
# System packages are installed with apt-get where this user may (root, or password-less sudo);
# elsewhere the script says what is missing and goes on (grading then falls back as documented).
set -euo pipefail
cd "$(dirname "$0")/.."
want="${1:-}"

packages=()
command -v bwrap >/dev/null 2>&1 || packages+=(bubblewrap)
if [ "$want" = test ] && ! command -v chromium >/dev/null 2>&1; then packages+=(chromium); fi

if [ ${#packages[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else sudo=(none); fi
    if [ "${sudo[*]-}" != none ]; then
      "${sudo[@]}" apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
    else
      echo "setup: cannot install ${packages[*]} (needs root); grading uses Landlock or --isolation basic instead" >&2
    fi
  else
    echo "setup: please install ${packages[*]} with your system's package manager" >&2
  fi
fi

python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
if [ "$want" = test ]; then
  .venv/bin/pip install -q -e '.[test]'
else
  .venv/bin/pip install -q -e .
fi
