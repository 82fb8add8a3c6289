#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
# It installs Python {{python}}, a C compiler and bubblewrap, then the grader (the sdist in tools/) in /autograder/venv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends software-properties-common build-essential bubblewrap ca-certificates >/dev/null
if ! command -v python{{python}} >/dev/null 2>&1; then
  apt-get install -y -qq --no-install-recommends python{{python}} python{{python}}-venv python{{python}}-dev >/dev/null || {
    add-apt-repository -y ppa:deadsnakes/ppa >/dev/null
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends python{{python}} python{{python}}-venv python{{python}}-dev >/dev/null
  }
fi
python{{python}} -m venv /autograder/venv
/autograder/venv/bin/pip install -q --upgrade pip
/autograder/venv/bin/pip install -q "$here/tools/{{sdist}}"
# The reference and the hidden checks: readable by the grader (root) only.
chmod -R go-rwx "$here/reference"
