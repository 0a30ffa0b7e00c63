#!/usr/bin/env bash
# A private Python environment with aiosmtpd for the SMTP tests: .build/test-venv.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.build/test-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import aiosmtpd" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==1.4.6"
fi
