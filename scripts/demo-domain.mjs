#!/usr/bin/env node
// Prints a libvirt domain XML for the tiny test guest: node scripts/demo-domain.mjs NAME KERNEL INITRD [DISK]
// Used by the demo, the screenshots and the benchmarks; type='qemu' (TCG) so it boots on any host.
const [name, kernel, initrd, disk, mac] = process.argv.slice(2);
if (!name || !kernel || !initrd) {
  process.stderr.write('usage: demo-domain.mjs NAME KERNEL INITRD [DISK] [MAC]\n');
  process.exit(2);
}
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&apos;');
const diskXml = disk && disk.length
  ? `
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='${esc(disk)}'/>
      <target dev='vda' bus='virtio'/>
    </disk>`
  : '';
process.stdout.write(`<domain type='qemu'>
  <name>${esc(name)}</name>
  <title>kvmtui demo guest</title>
  <memory unit='MiB'>128</memory>
  <currentMemory unit='MiB'>128</currentMemory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>${esc(kernel)}</kernel>
    <initrd>${esc(initrd)}</initrd>
    <cmdline>console=ttyS0 quiet</cmdline>
  </os>
  <features><acpi/><apic/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>${diskXml}
    <interface type='user'>
      <mac address='${mac ?? '52:54:00:12:34:56'}'/>
      <model type='virtio'/>
    </interface>
    <serial type='pty'>
      <target port='0'/>
    </serial>
    <console type='pty'/>
    <memballoon model='virtio'/>
  </devices>
</domain>
`);
