#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu 22.04).
# It installs Python {{python}}, a C compiler and bubblewrap, then the grader (the sdist in tools/) in
# /autograder/venv, and finally proves that the sandbox works here: the bundle holds the reference
# solutions, so the autograder grades nothing without it (better to fail now than in students' results).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export DEBIAN_FRONTEND=noninteractive
python_packages=(python{{python}} python{{python}}-venv python{{python}}-dev)
apt-get update -qq
apt-get install -y -qq --no-install-recommends build-essential bubblewrap ca-certificates software-properties-common >/dev/null
if ! apt-get install -y -qq --no-install-recommends "${python_packages[@]}" >/dev/null; then
  add-apt-repository -y ppa:deadsnakes/ppa >/dev/null
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${python_packages[@]}" >/dev/null
fi
python{{python}} -m venv /autograder/venv
/autograder/venv/bin/pip install -q --upgrade pip
/autograder/venv/bin/pip install -q "$here/tools/{{sdist}}"
# Not a protection by itself (graded code may run as root): the sandbox is, since it never shows reference/.
chmod -R go-rwx "$here/reference"
/autograder/venv/bin/python -I -c '
from grader.isolation.policy import choose
print("grader sandbox:", choose("strict").describe())
' || { echo "setup.sh: no sandbox can be built in this image (see the message above); grading would be refused" >&2; exit 1; }
