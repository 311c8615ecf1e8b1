#!/usr/bin/env bash
# The course's two set-up commands (see README.md):
#   bash course.sh book   install everything, build the HTML book into _build/html (English) and
#                         _build/html/zh (Chinese, the same pages translated)
#   bash course.sh test   install everything, run every test (unit tests, notebooks, book build,
#                         and, where Node.js and Chromium are installed, the browser page's tests)
# Everything is installed into .venv/ beside this file. PYTHON picks the interpreter (3.10-3.12).
set -euo pipefail
cd "$(dirname "$0")"

install() {
    local python=${PYTHON:-python3}
    if [ ! -x .venv/bin/python ]; then
        "$python" -c 'import sys; v = sys.version_info[:2]
if not (3, 10) <= v <= (3, 12):
    sys.exit(f"Python {v[0]}.{v[1]} found; the course needs 3.10-3.12 (TensorFlow). Set PYTHON=python3.12 for example.")'
        "$python" -m venv .venv
    fi
    echo "Installing requirements into .venv (the first time takes a few minutes) ..."
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -e .
    export PATH="$PWD/.venv/bin:$PATH"
}

case "${1:-}" in
    book)
        install
        python scripts/export_page_model.py   # the weights of the "Draw a digit" page
        python scripts/build_book.py   # both editions, warnings as errors
        ;;
    test)
        install
        if command -v npm >/dev/null; then  # Playwright's driver for the browser test (no browser download)
            (cd tests/js && npm ci --no-audit --no-fund --silent)
        fi
        python -m pytest tests --nbval chapters
        ;;
    *)
        echo "usage: bash course.sh book|test" >&2
        exit 2
        ;;
esac
