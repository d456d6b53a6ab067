#!/usr/bin/env bash
# Time per 12-megapixel photo through the app's image pipeline, the peak memory, and the time of the worst
# images the limits still accept.
#
#   bash bench/images.sh          30 photos one at a time, then 30 at once through the bounded queue;
#                                 5 rounds of each worst accepted image
#   bash bench/images.sh 100 9    100 of each, 9 rounds
#
# Builds bench/ImageBench (Release) against ChatMvc and runs it: it makes a synthetic 4000×3000 JPEG with
# libvips, puts it through ImageProcessor (header check, decode, rotate, 1280 and 320 variants, strip,
# JPEG) and prints the times and the process's peak resident memory (VmHWM). Then it times, one at a time,
# the largest flat-colour image each format may be (PNG and GIF up to the decoded limit, JPEG and WebP up to
# the pixel limit): median, min and max, and which is the worst. Installs libvips42 with apt-get when it is
# missing (needs root or sudo). No servers, no network beyond that.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

have_libvips() {
    local ldconfig
    ldconfig="$(command -v ldconfig || echo /sbin/ldconfig)"
    [ -e /usr/lib/x86_64-linux-gnu/libvips.so.42 ] || { [ -x "$ldconfig" ] && "$ldconfig" -p 2>/dev/null | grep -q 'libvips\.so\.42'; }
}

if ! have_libvips; then
    echo "images.sh: installing libvips42" >&2
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y libvips42
    else
        sudo apt-get update && sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y libvips42
    fi
fi

dotnet build bench/ImageBench -c Release --nologo -v quiet >/dev/null
dotnet bench/ImageBench/bin/Release/net10.0/ImageBench.dll "$@"
