#!/usr/bin/env bash
# A private libvirtd for tests and demos: its own sockets, config, state, logs and domains, all
# under one directory, so it never meets a system libvirtd or another test run.
#
#   scripts/libvirtd-test.sh start [DIR]   start it (idempotent); prints its URI on stdout
#   scripts/libvirtd-test.sh uri [DIR]     print the URI of a running one
#   scripts/libvirtd-test.sh stop [DIR]    destroy its running domains, stop the daemons, kill any
#                                          QEMU it left behind (DIR itself is kept)
#   scripts/libvirtd-test.sh check         say what is missing (packages, the libvirt-qemu user)
#
# DIR defaults to $KVMTUI_LIBVIRTD_DIR or /tmp/kvmtui-libvirtd; keep it short: the sockets live
# in DIR/sock and a unix socket path must stay under 108 bytes.
# libvirt probes QEMU's capabilities once per cache (about 8 s on 2 busy cores); the probe result
# is kept in $KVMTUI_LIBVIRT_CAPS_CACHE (default ~/.cache/kvmtui/libvirt-qemu-caps) and copied
# into each new DIR. libvirt itself checks that a cached probe still matches the QEMU binary.
#
# How: libvirt 9.0 run as root is the privileged ("system") daemon, whose QEMU driver keeps its
# files in fixed places (/etc/libvirt, /run/libvirt, /var/lib/libvirt, /var/log/libvirt,
# /var/cache/libvirt). The daemons run in a private mount namespace (unshare -m) in which those
# five directories are bind mounts of DIR/etc, DIR/run, DIR/lib, DIR/log, DIR/cache. Everything
# they start (QEMU included) lives in that namespace; nothing outside sees the mounts. No systemd:
# virtlogd, then libvirtd, each daemonized with its own config and a log file in DIR.
# Needs: root, util-linux unshare, and the Debian packages
#   libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients (apt-get --no-install-recommends)
# and a `libvirt-qemu` system user (the QEMU driver looks it up before reading qemu.conf; `start`
# creates it when it is missing). qemu.conf runs QEMU as root with dynamic_ownership=0 and
# security_driver "none", so the test guest's files need no relabelling or chown.
set -euo pipefail

say() { printf 'libvirtd-test: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

cmd=${1:-}
DIR=${2:-${KVMTUI_LIBVIRTD_DIR:-/tmp/kvmtui-libvirtd}}
PACKAGES="libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients"
CAPS_CACHE=${KVMTUI_LIBVIRT_CAPS_CACHE:-${HOME:-/root}/.cache/kvmtui/libvirt-qemu-caps}
MOUNTS="etc:/etc/libvirt run:/run/libvirt lib:/var/lib/libvirt log:/var/log/libvirt cache:/var/cache/libvirt"

uri() { printf 'qemu:///system?socket=%s/sock/libvirt-sock\n' "$DIR"; }

alive() { # alive PIDFILE COMM: the pid in the file runs a program whose name starts with COMM
  [ -s "$1" ] || return 1
  local pid comm
  pid=$(tr -dc '0-9' <"$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
  case "$comm" in "$2"*) return 0 ;; *) return 1 ;; esac
}

# `version` asks the QEMU driver, so the daemon is ready for domains when it answers
answers() { timeout 30 virsh -q -c "$(uri)" version >/dev/null 2>&1; }

missing() {
  local out=()
  for b in libvirtd virtlogd virsh unshare qemu-system-x86_64; do
    command -v "$b" >/dev/null || out+=("$b")
  done
  printf '%s\n' "${out[@]}"
}

check() {
  local m
  m=$(missing)
  [ "$(id -u)" -eq 0 ] || die "needs root: the privileged libvirtd and its mount namespace need it"
  if [ -n "$m" ]; then
    die "missing: $(echo $m) - install with: apt-get install -y --no-install-recommends $PACKAGES qemu-system-x86 util-linux"
  fi
  getent passwd libvirt-qemu >/dev/null || say "no libvirt-qemu user yet (start creates it)"
  return 0
}

ensure_user() {
  getent passwd libvirt-qemu >/dev/null && return 0
  say "creating the libvirt-qemu system user (libvirt's QEMU driver refuses to start without it)"
  useradd --system --no-create-home --home-dir /var/lib/libvirt --shell /usr/sbin/nologin --user-group libvirt-qemu
}

write_configs() {
  mkdir -p "$DIR"/etc/qemu "$DIR"/run "$DIR"/lib "$DIR"/log "$DIR"/cache/qemu/capabilities "$DIR"/sock
  chmod 700 "$DIR" "$DIR"/sock
  cp -p "$CAPS_CACHE"/*.xml "$DIR/cache/qemu/capabilities/" 2>/dev/null || true
  cat >"$DIR/etc/qemu.conf" <<'EOF'
user = "root"
group = "root"
dynamic_ownership = 0
security_driver = "none"
EOF
  cat >"$DIR/libvirtd.conf" <<EOF
unix_sock_dir = "$DIR/sock"
unix_sock_group = "root"
unix_sock_ro_perms = "0700"
unix_sock_rw_perms = "0700"
unix_sock_admin_perms = "0700"
auth_unix_ro = "none"
auth_unix_rw = "none"
listen_tls = 0
listen_tcp = 0
log_outputs = "3:file:$DIR/libvirtd.log"
EOF
  cat >"$DIR/virtlogd.conf" <<EOF
log_outputs = "3:file:$DIR/virtlogd.log"
EOF
}

start() {
  check
  if alive "$DIR/libvirtd.pid" libvirtd && answers; then uri; return 0; fi
  # a half-started or dead instance: clear it away first
  stop >/dev/null 2>&1 || true
  ensure_user
  write_configs
  local m
  for m in $MOUNTS; do mkdir -p "${m#*:}"; done # mount points must exist; they stay empty outside
  # the inner shell only mounts and daemonizes; DIR is passed as $1, never spliced into the script
  unshare --mount --propagation private -- sh -c '
    set -e
    for m in '"$MOUNTS"'; do mount --bind "$1/${m%%:*}" "${m#*:}"; done
    virtlogd --daemon --config "$1/virtlogd.conf" --pid-file "$1/virtlogd.pid"
    libvirtd --daemon --config "$1/libvirtd.conf" --pid-file "$1/libvirtd.pid"
  ' sh "$DIR"
  local i
  for i in $(seq 1 100); do
    if [ -S "$DIR/sock/libvirt-sock" ] && answers; then
      # `version` made libvirt probe QEMU (or reuse the cached probe): keep the result for next time
      mkdir -p "$CAPS_CACHE" && cp -p "$DIR"/cache/qemu/capabilities/*.xml "$CAPS_CACHE/" 2>/dev/null || true
      uri
      return 0
    fi
    alive "$DIR/libvirtd.pid" libvirtd || [ "$i" -lt 20 ] || break
    sleep 0.2
  done
  say "libvirtd did not come up; last lines of $DIR/libvirtd.log:"
  tail -n 5 "$DIR/libvirtd.log" >&2 2>/dev/null || true
  stop >/dev/null 2>&1 || true
  exit 1
}

kill_pidfile() { # kill_pidfile FILE COMM: TERM, wait up to 10 s, then KILL (a stale pid is left alone)
  alive "$1" "$2" || { rm -f "$1"; return 0; }
  local pid i
  pid=$(tr -dc '0-9' <"$1")
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$1"; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$1"
}

stop() {
  if alive "$DIR/libvirtd.pid" libvirtd; then
    local d
    # QEMU outlives libvirtd by design: destroy what runs first, then stop the daemon
    for d in $(timeout 15 virsh -q -c "$(uri)" list --uuid 2>/dev/null || true); do
      timeout 30 virsh -q -c "$(uri)" destroy "$d" >/dev/null 2>&1 || true
    done
  fi
  kill_pidfile "$DIR/libvirtd.pid" libvirtd
  # anything QEMU libvirtd could not stop (or left when it was killed)
  local f
  for f in "$DIR"/run/qemu/*.pid; do
    [ -e "$f" ] || continue
    [ "$(basename "$f")" = driver.pid ] && continue # the QEMU driver's lock, holds libvirtd's pid
    kill_pidfile "$f" qemu
  done
  kill_pidfile "$DIR/virtlogd.pid" virtlogd
  return 0
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  uri) alive "$DIR/libvirtd.pid" libvirtd || die "no libvirtd running for $DIR"; uri ;;
  check) check; say "ok" ;;
  *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
