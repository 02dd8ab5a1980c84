#!/usr/bin/env bash
# Print the path of a working Python 3.10 (Rasa 3.6 needs exactly 3.10), or explain what to install.
set -euo pipefail
candidates=()
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
for dir in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin /usr/local/bin /usr/bin; do
  [ -x "$dir/python3.10" ] && candidates+=("$dir/python3.10")
done
for py in "${candidates[@]}"; do
  # A pyenv shim exists but refuses when 3.10 is not selected; only accept one that runs.
  if "$py" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
    echo "$py"
    exit 0
  fi
done
cat >&2 <<'MSG'
Python 3.10 was not found. Rasa 3.6 needs it. Install it, for example:
  pyenv install 3.10.13          (pyenv)
  apt-get install python3.10     (Debian/Ubuntu with a 3.10 package)
and run the command again.
MSG
exit 1
