#!/usr/bin/env bash
# Set up everything `make run` and `make test` need on a fresh Debian machine:
# python3-venv and Qt's system libraries (installed with apt when run as root,
# otherwise the exact apt line is printed), then .venv with the package.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
WANT_GUI=${WANT_GUI:-0}   # 1: also what a real window (X11/Xvfb) needs

# What PySide6 needs offscreen, what a real X11 window adds, and the tools
# the tests and screenshots use (Xvfb, pdftoppm) plus fonts for any script.
QT_LIBS="libglib2.0-0 libgl1 libxkbcommon0 libegl1 libfreetype6 libfontconfig1 libdbus-1-3"
X11_LIBS="libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0 libxkbcommon-x11-0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1"
TOOLS="xvfb xauth poppler-utils fonts-dejavu-core"
# libthai0: Thai word boundaries, where a Thai name in a report may wrap (reports/linebreak.py)
TEXT_LIBS="libthai0"
# Debian's chromium and its driver: the end-to-end phone test (tests/net).
BROWSER="chromium chromium-driver"

missing_packages() {
  local pkg missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  echo "${missing[@]:-}"
}

if command -v dpkg-query >/dev/null 2>&1; then
  wanted="$QT_LIBS $X11_LIBS $TOOLS $TEXT_LIBS $BROWSER"
  # Debian's own python3 makes venvs only with python3-venv (it carries the
  # pip wheel that ensurepip installs), whatever `import ensurepip` says.
  if [ "$("$PYTHON" -c 'import sys; print(sys.base_prefix)' 2>/dev/null)" = "/usr" ] ||
     ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
    wanted="$wanted python3-venv"
  fi
  missing=$(missing_packages $wanted)
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "Installing system packages: $missing"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
      echo "CALMS Workshop needs these system packages. Please run:" >&2
      echo "  sudo apt-get install -y $missing" >&2
      exit 1
    fi
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "Creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.installed"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "Installing CALMS Workshop and its dependencies into $VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e ".[test,dist]"
  touch "$stamp"
fi
