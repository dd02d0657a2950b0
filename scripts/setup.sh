#!/usr/bin/env bash
# Sets up everything kvmtui needs on a Debian machine, idempotently: QEMU and tools from apt,
# npm packages, the compiled program, and the tiny test guest. Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "setup: kvmtui needs Node.js >= 20 (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# apt packages: QEMU, qemu-img, tmux (screenshots and manual testing), and what the guest build uses
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v qemu-img >/dev/null || need+=(qemu-utils)
command -v tmux >/dev/null || need+=(tmux)
command -v dpkg-deb >/dev/null || need+=(dpkg)
# libvirt, for the libvirt driver's end-to-end tests against a private libvirtd (no systemd needed)
command -v virsh >/dev/null || need+=(libvirt-clients)
[ -x /usr/sbin/libvirtd ] || need+=(libvirt-daemon)
[ -e /usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so ] || need+=(libvirt-daemon-driver-qemu)
command -v unshare >/dev/null || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "setup: missing ${need[*]} and there is no apt-get here: install them with your package manager" >&2
    exit 1
  fi
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  say "installing ${need[*]} with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# libvirt's QEMU driver runs its emulators as this user unless told otherwise; the package that
# creates it (libvirt-daemon-system) pulls in systemd units we do not want
if [ "$(id -u)" -eq 0 ] && ! getent passwd libvirt-qemu >/dev/null; then
  useradd --system --no-create-home --home-dir /var/lib/libvirt --shell /usr/sbin/nologin --user-group libvirt-qemu
fi

# npm packages: reinstall when package-lock.json changed since the last install
stamp=node_modules/.kvmtui-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  # npm ci first; npm 11 can write a lock file its own ci calls out of sync (optional platform
  # packages of rollup/esbuild missing), and then npm install with the same lock does the job
  say "npm ci"
  if ! npm ci --no-audit --no-fund --loglevel=error 2>/tmp/kvmtui-npm-ci.$$; then
    if grep -q EUSAGE /tmp/kvmtui-npm-ci.$$; then
      say "npm ci refused the lock file; npm install with it instead"
      npm install --no-audit --no-fund --loglevel=error
    else
      cat /tmp/kvmtui-npm-ci.$$ >&2
      rm -f /tmp/kvmtui-npm-ci.$$
      exit 1
    fi
  fi
  rm -f /tmp/kvmtui-npm-ci.$$
  cp package-lock.json "$stamp"
fi

say "building dist/"
npm run --silent build

say "test guest"
bash scripts/build-guest.sh
