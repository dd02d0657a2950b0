#!/usr/bin/env bash
# Builds the tiny Linux test guest (Debian cloud kernel + busybox initramfs) used by the tests,
# the demo and the benchmarks. Everything comes from Debian packages via apt-get; nothing else
# is downloaded. Output (cached outside git, rebuilt only when missing or stale):
#   ${KVMTUI_GUEST_DIR:-$HOME/.cache/kvmtui/guest}/{vmlinuz,initrd.gz,stamp}
# Usage: scripts/build-guest.sh [--force]
# Boot: qemu-system-x86_64 -accel tcg -m 128 -kernel vmlinuz -initrd initrd.gz -append console=ttyS0
# (give it at least ~72 MB: below that the kernel hangs before printing anything). The serial
# console shows "kvmtui-test-guest ready", then a root shell; ACPI power button -> poweroff.
set -euo pipefail

# Bump when the initramfs recipe changes, so cached guests built by an older recipe are rebuilt.
RECIPE=2
OUT="${KVMTUI_GUEST_DIR:-$HOME/.cache/kvmtui/guest}"
FORCE=0

for arg in "$@"; do
  case "$arg" in
    --force|-f) FORCE=1 ;;
    -h|--help) echo "usage: $0 [--force]   (output: $OUT)"; exit 0 ;;
    *) echo "build-guest: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

die() { echo "build-guest: $*" >&2; exit 1; }

is_fresh() {
  [[ -s "$OUT/vmlinuz" && -s "$OUT/initrd.gz" && -f "$OUT/stamp" ]] && grep -qx "recipe=$RECIPE" "$OUT/stamp"
}

if [[ $FORCE == 0 ]] && is_fresh; then
  echo "build-guest: up to date in $OUT (use --force to rebuild)"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 && command -v apt-cache >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 \
  || die "needs a Debian-family host with apt-get, apt-cache and dpkg-deb (not found); build the guest on such a host and copy $OUT"
command -v gzip >/dev/null 2>&1 || die "needs gzip"

parent="$(dirname "$OUT")"
mkdir -p "$parent"
# One build at a time per output dir: a second concurrent run waits, then finds the result fresh.
exec 9>"$OUT.lock"
flock 9
if [[ $FORCE == 0 ]] && is_fresh; then
  echo "build-guest: up to date in $OUT (built by a concurrent run)"
  exit 0
fi

work="$(mktemp -d "$parent/.guest-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

apt_updated=0
apt_update_once() {
  [[ $apt_updated == 1 ]] && return 1
  apt_updated=1
  echo "build-guest: refreshing package lists (apt-get update)"
  apt-get update -qq >&2 || die "apt-get update failed (are you root / online?)"
}

# The kernel package the linux-image-cloud-amd64 meta-package's candidate version depends on.
kernel_package() {
  apt-cache depends linux-image-cloud-amd64 2>/dev/null \
    | sed -n 's/^ *Depends: \(linux-image-[^ ]*-cloud-amd64\).*/\1/p' | head -n 1
}

kpkg="$(kernel_package)"
if [[ -z "$kpkg" ]]; then
  apt_update_once || true
  kpkg="$(kernel_package)"
fi
[[ -n "$kpkg" ]] || die "no candidate for linux-image-cloud-amd64 in apt's lists (is the Debian main archive configured?)"

download() {
  # apt-get download as root warns that _apt cannot write here; the download itself is fine.
  (cd "$work/debs" && apt-get download -qq "$@" 2>&1 | grep -v 'unsandboxed as root' >&2 || true)
  local p
  for p in "$@"; do
    compgen -G "$work/debs/${p}_*.deb" >/dev/null || return 1
  done
}

mkdir -p "$work/debs" "$work/x" "$work/root"
echo "build-guest: downloading $kpkg and busybox-static"
if ! download "$kpkg" busybox-static; then
  apt_update_once || die "apt-get download of $kpkg busybox-static failed"
  download "$kpkg" busybox-static || die "apt-get download of $kpkg busybox-static failed"
fi
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/x"; done

kver="$(ls "$work/x/lib/modules" | head -n 1)"
[[ -n "$kver" && -f "$work/x/boot/vmlinuz-$kver" ]] || die "unexpected layout in $kpkg (no /boot/vmlinuz-* or /lib/modules/*)"
bb="$work/x/bin/busybox"
[[ -x "$bb" ]] || die "busybox-static has no /bin/busybox"

# --- initramfs tree ---------------------------------------------------------------------------
root="$work/root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,root,var/log,var/run,etc/acpi/PWRF,lib/modules,usr/share/udhcpc}
cp "$bb" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"

# Virtio modules in dependency order; busybox insmod reads plain .ko only, so decompress here.
MODULES=(virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk
  failover net_failover virtio_net virtio_balloon virtio_console virtio-rng button evdev)
modlist=()
for m in "${MODULES[@]}"; do
  alt="${m//-/_}"
  f="$(find "$work/x/lib/modules/$kver" \( -name "$m.ko" -o -name "$m.ko.*" -o -name "$alt.ko" -o -name "$alt.ko.*" \) | head -n 1)"
  if [[ -z "$f" ]]; then
    echo "build-guest: note: module $m not shipped (built in or absent), skipping"
    continue
  fi
  dst="$root/lib/modules/$m.ko"
  case "$f" in
    *.ko) cp "$f" "$dst" ;;
    *.ko.xz) xz -dc "$f" >"$dst" 2>/dev/null || "$bb" xzcat "$f" >"$dst" ;;
    *.ko.zst) command -v zstd >/dev/null || die "module $f is zstd-compressed and zstd is not installed"; zstd -qdc "$f" >"$dst" ;;
    *.ko.gz) gzip -dc "$f" >"$dst" ;;
    *) die "unknown module compression: $f" ;;
  esac
  modlist+=("$m")
done

cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
EOF
cat >"$root/etc/profile" <<'EOF'
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root
PS1='\u@\h:\w\$ '
cd /root
EOF

# ACPI power button -> immediate poweroff, so QMP system_powerdown ends QEMU quickly.
cat >"$root/etc/acpi/PWRF/00000080" <<'EOF'
#!/bin/sh
poweroff -f
EOF
chmod 755 "$root/etc/acpi/PWRF/00000080"

cat >"$root/usr/share/udhcpc/default.script" <<'EOF'
#!/bin/sh
# Minimal udhcpc hook: apply address, default route and DNS.
case "$1" in
  deconfig) ip -4 addr flush dev "$interface"; ip link set dev "$interface" up ;;
  bound|renew)
    ip -4 addr flush dev "$interface"
    ip addr add "$ip/${mask:-24}" dev "$interface"
    for r in $router; do ip route replace default via "$r" dev "$interface"; break; done
    : >/etc/resolv.conf
    for d in $dns; do echo "nameserver $d" >>/etc/resolv.conf; done
    ;;
esac
exit 0
EOF
chmod 755 "$root/usr/share/udhcpc/default.script"

cat >"$root/init" <<EOF
#!/bin/sh
# kvmtui test guest init (recipe $RECIPE, kernel $kver)
/bin/busybox mkdir -p /proc /sys /dev /tmp /run
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox mkdir -p /dev/pts
/bin/busybox mount -t devpts devpts /dev/pts
/bin/busybox mount -t tmpfs tmpfs /tmp
/bin/busybox mount -t tmpfs tmpfs /run
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root
# The initramfs has no /dev/console node, so stdio only works after devtmpfs is mounted.
exec </dev/console >/dev/console 2>&1
hostname kvmtui-guest
for m in ${modlist[*]}; do
  # modules that are built in or already loaded just fail here; that is fine
  insmod /lib/modules/\$m.ko 2>/dev/null
done
# keep kernel chatter off the serial shell (panics still print)
echo 1 >/proc/sys/kernel/printk
ip link set lo up
if [ -e /sys/class/net/eth0 ]; then
  udhcpc -i eth0 -q -n -t 3 -T 1 -s /usr/share/udhcpc/default.script >/dev/null 2>&1 \\
    || echo "kvmtui-test-guest: no DHCP answer on eth0"
fi
# busybox acpid logs to /var/log/acpid.log when daemonized: that directory must exist
acpid -c /etc/acpi
echo "kvmtui-test-guest ready"
# A login shell on the serial console with job control; respawned whenever it exits.
while true; do
  setsid cttyhack sh -l
  sleep 0.2
done
EOF
chmod 755 "$root/init"

# --- pack ---------------------------------------------------------------------------------------
stage="$work/out"
mkdir -p "$stage"
cp "$work/x/boot/vmlinuz-$kver" "$stage/vmlinuz"
# newc archive via busybox's cpio applet (the host may have no cpio); sorted for stable output
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | "$bb" cpio -o -H newc 2>/dev/null) | gzip -9n >"$stage/initrd.gz"
[[ -s "$stage/initrd.gz" ]] || die "building the initramfs failed"
kdebver="$(dpkg-deb -f "$work"/debs/"${kpkg}"_*.deb Version)"
bbver="$(dpkg-deb -f "$work"/debs/busybox-static_*.deb Version)"
cat >"$stage/stamp" <<EOF
recipe=$RECIPE
kernel=$kpkg $kdebver
kernel_release=$kver
busybox=busybox-static $bbver
modules=${modlist[*]}
built=$(date -u +%Y-%m-%dT%H:%M:%SZ)
EOF

# Swap the finished directory in: readers see the old guest or the new one, never half of one.
if [[ -e "$OUT" ]]; then
  mv "$OUT" "$work/previous"
fi
mv "$stage" "$OUT"
echo "build-guest: built $OUT (kernel $kver, busybox $bbver)"
