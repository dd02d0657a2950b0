#!/usr/bin/env bash
# npm run demo: a demo KVMTUI_HOME with the tiny test guest defined twice (one running, one off),
# then the TUI on it. Domains keep running after you quit; `npm run demo` again re-attaches.
set -euo pipefail
cd "$(dirname "$0")/.."
export KVMTUI_HOME="${KVMTUI_HOME:-$HOME/.local/share/kvmtui-demo}"
GUEST="${KVMTUI_GUEST_DIR:-$HOME/.cache/kvmtui/guest}"
kvmtui() { node dist/cli.js "$@"; }

mkdir -p "$KVMTUI_HOME/images"
chmod 700 "$KVMTUI_HOME"
for spec in demo:52:54:00:de:00:01 demo-spare:52:54:00:de:00:02; do
  name=${spec%%:*}
  mac=${spec#*:}
  img="$KVMTUI_HOME/images/$name.qcow2"
  [ -f "$img" ] || qemu-img create -q -f qcow2 "$img" 64M
  if ! kvmtui dumpxml "$name" >/dev/null 2>&1; then
    xml=$(mktemp)
    node scripts/demo-domain.mjs "$name" "$GUEST/vmlinuz" "$GUEST/initrd.gz" "$img" "$mac" >"$xml"
    kvmtui define "$xml"
    rm -f "$xml"
  fi
done
state=$(kvmtui list --all --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const d=JSON.parse(s).find(x=>x.name==="demo");process.stdout.write(d?d.state:"")})')
[ "$state" = "running" ] || kvmtui start demo
echo "demo: KVMTUI_HOME=$KVMTUI_HOME; opening the TUI (q quits, the domains keep running)"
exec node dist/cli.js
