#!/usr/bin/env bash
# Runs every test against real servers: installs what is missing (apt-get), starts throwaway
# MariaDB and Redis on 127.0.0.1, runs `dotnet test`, stops the servers and prints
#   Tests: N passed, N failed, N skipped
# Extra arguments go to `dotnet test` (for example: bash scripts/test.sh --filter Health).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "test.sh: '$*' needs root; run as root or install sudo." >&2
        return 1
    fi
}

have_libvips() {
    [ -e /usr/lib/x86_64-linux-gnu/libvips.so.42 ] && return 0
    [ -e /lib/x86_64-linux-gnu/libvips.so.42 ] && return 0
    local ldconfig
    ldconfig="$(command -v ldconfig || echo /sbin/ldconfig)"
    [ -x "$ldconfig" ] && "$ldconfig" -p 2>/dev/null | grep -q 'libvips\.so\.42'
}

install_missing() {
    local packages=()
    if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ] ||
        ! command -v redis-server >/dev/null 2>&1 ||
        [ ! -x /usr/bin/chromium ] ||
        ! have_libvips; then
        packages+=(mariadb-server redis-server chromium libvips42)
    fi
    command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
    command -v python3 >/dev/null 2>&1 || packages+=(python3)
    command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)
    # The terminal client's interactive session is driven through a real terminal.
    command -v tmux >/dev/null 2>&1 || packages+=(tmux)
    # Videos sent in messages are read (and test videos made) by ffprobe and ffmpeg.
    command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || packages+=(ffmpeg)
    if [ "${#packages[@]}" -gt 0 ]; then
        echo "test.sh: installing ${packages[*]}" >&2
        as_root apt-get update
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}"
    fi
}

install_missing
# The Nu HTML Checker and ESLint, at the versions pinned in ChatMvc.Tests/package-lock.json.
[ -f ChatMvc.Tests/node_modules/vnu-jar/build/dist/vnu.jar ] && [ -f ChatMvc.Tests/node_modules/eslint/bin/eslint.js ] \
    || npm ci --prefix ChatMvc.Tests --ignore-scripts --no-audit --no-fund

# shellcheck source=scripts/servers.sh
source "$ROOT/scripts/servers.sh"
trap servers_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
servers_start

RESULTS="$ROOT/TestResults/run-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$RESULTS"

status=0
dotnet test ChatMvc.sln --logger "trx" --results-directory "$RESULTS" "$@" || status=$?

# Sum the counters of every .trx file; list failed tests; print the one summary line last.
summary=0
python3 - "$RESULTS" <<'EOF' || summary=$?
import glob, os, sys
import xml.etree.ElementTree as ET

def local(tag):
    return tag.rsplit("}", 1)[-1]

passed = failed = skipped = 0
failed_names = []
reports = []  # lines a suite prints about itself, such as "Accessibility suite: 27 pages, 23 flows"
for path in sorted(glob.glob(os.path.join(sys.argv[1], "**", "*.trx"), recursive=True)):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        print(f"test.sh: cannot read {path}: {e}", file=sys.stderr)
        failed += 1
        continue
    for el in root.iter():
        name = local(el.tag)
        if name == "Counters":
            passed += int(el.get("passed", 0))
            failed += int(el.get("failed", 0))
            skipped += int(el.get("notExecuted", 0))
        elif name == "UnitTestResult" and el.get("outcome") == "Failed":
            failed_names.append(el.get("testName", "?"))
        elif name == "StdOut" and el.text:
            reports += [line.strip() for line in el.text.splitlines() if line.strip().startswith("Accessibility suite:")]

if failed_names:
    print("Failed tests:")
    for n in failed_names:
        print(f"  {n}")
for line in dict.fromkeys(reports):  # a line may be in the run's output as well as the test's
    print(line)
print(f"Tests: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed > 0 or passed + failed == 0 else 0)
EOF

if [ "$status" -ne 0 ]; then
    exit "$status"
fi
exit "$summary"
