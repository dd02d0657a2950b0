// The argv builder pinned on fixtures (test/fixtures/argv/*.xml, parsed by the real domain
// layer), and its refusals. Every expected line here was checked against QEMU 7.2's option
// syntax; command-line-qemu.test.ts proves the fixtures' argv starts a real QEMU.
import { describe, expect, it } from 'vitest';
import { isKvmtuiError } from '../../src/driver/errors.js';
import { buildQemuArgv, UnsupportedConfigError, type QemuRuntime } from '../../src/driver/qemu/command-line.js';
import { configOf, fixtureConfig, RT } from '../fixtures/argv/load.js';

/** ['-m', 'size=1M', '-nodefaults'] -> ['-m size=1M', '-nodefaults']: one line per option. */
function lines(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (args[i].startsWith('-') && next !== undefined && !next.startsWith('-')) out.push(`${args[i]} ${args[++i]}`);
    else out.push(args[i]);
  }
  return out;
}

function refusal(xml: string, rt: QemuRuntime = RT): UnsupportedConfigError {
  try {
    buildQemuArgv(configOf(xml), rt);
  } catch (e) {
    if (e instanceof UnsupportedConfigError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

const TAIL = ['-qmp unix:/run/kt/qmp.sock,server=on,wait=off', '-qmp unix:/run/kt/mon1.sock,server=on,wait=off', '-daemonize', '-pidfile /run/kt/qemu.pid'];
const HEAD = ['-no-user-config', '-nodefaults', '-msg timestamp=on'];

/** A minimal domain with extra XML inside <devices> and around it. */
function domain(opts: { type?: string; machine?: string; arch?: string; devices?: string; top?: string; os?: string; features?: string } = {}): string {
  return `<domain type='${opts.type ?? 'qemu'}'><name>t</name><uuid>11111111-2222-3333-4444-555555555555</uuid>
  <memory unit='KiB'>${100 * 1024 + 1}</memory><vcpu>1</vcpu>
  <os><type arch='${opts.arch ?? 'x86_64'}' machine='${opts.machine ?? 'pc'}'>hvm</type>${opts.os ?? ''}</os>
  <features>${opts.features ?? '<acpi/>'}</features>${opts.top ?? ''}
  <devices>${opts.devices ?? ''}</devices></domain>`;
}

describe('buildQemuArgv on fixtures', () => {
  it('tiny direct-kernel domain', () => {
    const r = buildQemuArgv(fixtureConfig('tiny-direct-kernel'), RT);
    expect(r.file).toBe('qemu-system-x86_64');
    expect(lines(r.args)).toEqual([
      '-name guest=tiny,debug-threads=on',
      '-uuid 6f1b7c2e-3a4d-4e5f-8a9b-0c1d2e3f4a5b',
      '-machine pc',
      '-accel tcg',
      '-m size=128M',
      ...HEAD,
      '-smp 1',
      '-rtc base=utc',
      '-action panic=shutdown',
      '-kernel /guest/vmlinuz',
      '-initrd /guest/initrd.gz',
      '-append console=ttyS0 quiet',
      '-chardev socket,id=charserial0,path=/run/kt/serial.sock,server=on,wait=off,logfile=/run/kt/console.log,logappend=on',
      '-display none',
      '-device isa-serial,chardev=charserial0,id=serial0,index=0',
      '-device virtio-balloon-pci,id=balloon0',
      ...TAIL,
    ]);
    expect(r.serial).toBe(true);
    expect(r.balloon).toBe(true);
    expect(r.postStart).toEqual([]);
    expect(r.machine).toEqual({ family: 'pc', type: 'pc' });
  });

  it('q35 disk boot: virtio/SATA/SCSI disks, CD-ROMs, boot order, root ports, guest agent', () => {
    const r = buildQemuArgv(fixtureConfig('q35-disk-boot'), RT);
    expect(r.file).toBe('/usr/bin/qemu-system-x86_64');
    const cache = (direct: boolean) => `"cache":{"direct":${direct},"no-flush":false}`;
    expect(lines(r.args)).toEqual([
      '-name guest=q35vm,debug-threads=on',
      '-uuid 2b7e8f10-5c6d-4e7f-9a0b-1c2d3e4f5a6b',
      '-machine pc-q35-7.2,vmport=off,hpet=off',
      '-accel kvm',
      '-cpu host',
      '-m size=256M',
      ...HEAD,
      '-smp 2',
      '-global kvm-pit.lost_tick_policy=delay',
      '-rtc base=utc,driftfix=slew',
      '-global ICH9-LPC.disable_s3=1',
      '-global ICH9-LPC.disable_s4=1',
      '-action panic=shutdown',
      `-blockdev {"driver":"file","filename":"/images/root.qcow2","node-name":"file-vda","auto-read-only":true,"discard":"unmap",${cache(true)}}`,
      `-blockdev {"node-name":"drive-vda","read-only":false,"discard":"unmap",${cache(true)},"driver":"qcow2","file":"file-vda"}`,
      `-blockdev {"driver":"file","filename":"/images/install.iso","node-name":"file-sda","auto-read-only":true,"discard":"ignore",${cache(false)}}`,
      `-blockdev {"node-name":"drive-sda","read-only":true,"discard":"ignore",${cache(false)},"driver":"raw","file":"file-sda"}`,
      `-blockdev {"driver":"file","filename":"/images/data.raw","node-name":"file-sdb","auto-read-only":true,"discard":"ignore",${cache(false)}}`,
      `-blockdev {"node-name":"drive-sdb","read-only":false,"discard":"ignore",${cache(false)},"driver":"raw","file":"file-sdb"}`,
      `-blockdev {"driver":"file","filename":"/images/scsi.qcow2","node-name":"file-sdd","auto-read-only":true,"discard":"ignore",${cache(false)}}`,
      `-blockdev {"node-name":"drive-sdd","read-only":true,"discard":"ignore",${cache(false)},"driver":"qcow2","file":"file-sdd"}`,
      '-chardev socket,id=charserial0,path=/run/kt/serial.sock,server=on,wait=off,logfile=/run/kt/console.log,logappend=on',
      '-chardev socket,id=charchannel0,path=/run/kt/chan0.sock,server=on,wait=off',
      '-object rng-random,id=objrng0,filename=/dev/urandom',
      '-display none',
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => `-device pcie-root-port,id=pci.${n},port=0x${(0x10 + n - 1).toString(16)},chassis=${n}`),
      '-device qemu-xhci,id=usb,bus=pci.1,p2=15,p3=15',
      '-device virtio-scsi-pci,id=scsi0,bus=pci.2',
      '-device virtio-serial-pci,id=virtio-serial0,bus=pci.4',
      '-device isa-serial,chardev=charserial0,id=serial0,index=0',
      '-device virtio-blk-pci,id=disk-vda,bus=pci.3,drive=drive-vda,bootindex=2,serial=root-disk',
      '-device ide-cd,id=disk-sda,bus=ide.0,drive=drive-sda,bootindex=1',
      '-device ide-hd,id=disk-sdb,bus=ide.1,drive=drive-sdb,share-rw=on,write-cache=off',
      '-device ide-cd,id=disk-sdc,bus=ide.2',
      '-device scsi-hd,id=disk-sdd,bus=scsi0.0,channel=0,scsi-id=0,lun=3,drive=drive-sdd',
      '-device virtserialport,bus=virtio-serial0.0,chardev=charchannel0,id=channel0,name=org.qemu.guest_agent.0',
      '-device usb-tablet,id=input0,bus=usb.0',
      '-device virtio-balloon-pci,id=balloon0,bus=pci.5',
      '-device virtio-rng-pci,id=rng0,bus=pci.6,rng=objrng0',
      ...TAIL,
    ]);
    // <currentMemory> below <memory>: the balloon is set right after start
    expect(r.postStart).toEqual([{ execute: 'balloon', arguments: { value: 196608 * 1024 } }]);
    expect(r.disks).toEqual([
      { target: 'vda', deviceId: 'disk-vda', nodeName: 'drive-vda', fileNodeName: 'file-vda' },
      { target: 'sda', deviceId: 'disk-sda', nodeName: 'drive-sda', fileNodeName: 'file-sda' },
      { target: 'sdb', deviceId: 'disk-sdb', nodeName: 'drive-sdb', fileNodeName: 'file-sdb' },
      { target: 'sdc', deviceId: 'disk-sdc', nodeName: undefined, fileNodeName: undefined },
      { target: 'sdd', deviceId: 'disk-sdd', nodeName: 'drive-sdd', fileNodeName: 'file-sdd' },
    ]);
    expect(r.channels).toEqual([{ name: 'org.qemu.guest_agent.0', path: '/run/kt/chan0.sock' }]);
    expect(r.hotplugPorts).toEqual(['pci.7', 'pci.8']);
  });

  it('user networking: port forwards, MACs, link down after start, boot from network then disk', () => {
    const r = buildQemuArgv(fixtureConfig('user-net'), RT);
    expect(lines(r.args)).toEqual([
      '-name guest=netvm,debug-threads=on',
      '-uuid 9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
      '-machine pc-i440fx-7.2',
      '-accel tcg',
      '-cpu qemu64,sse4.2=on,svm=off',
      '-m size=192M',
      ...HEAD,
      '-smp 1,maxcpus=2,sockets=1,cores=2,threads=1',
      '-rtc base=utc',
      '-no-reboot',
      '-action panic=shutdown',
      '-blockdev {"driver":"file","filename":"/images/ide.raw","node-name":"file-hda","auto-read-only":true,"discard":"ignore","cache":{"direct":false,"no-flush":false}}',
      '-blockdev {"node-name":"drive-hda","read-only":false,"discard":"ignore","cache":{"direct":false,"no-flush":false},"driver":"raw","file":"file-hda"}',
      '-netdev user,id=hostnet-525400123456,hostfwd=tcp::2222-:22,hostfwd=udp:127.0.0.1:5353-:53',
      '-netdev user,id=hostnet-525400abcdef',
      `-netdev user,id=hostnet-${r.nics[2].mac.replace(/:/g, '')}`,
      '-chardev socket,id=charserial0,path=/run/kt/serial.sock,server=on,wait=off,logfile=/run/kt/console.log,logappend=on',
      '-display none',
      '-vnc unix:/run/kt/vnc.sock',
      '-device isa-serial,chardev=charserial0,id=serial0,index=0',
      '-device ide-hd,id=disk-hda,bus=ide.0,unit=0,drive=drive-hda,bootindex=2',
      '-device virtio-net-pci,id=net-525400123456,netdev=hostnet-525400123456,mac=52:54:00:12:34:56,bootindex=1',
      '-device e1000,id=net-525400abcdef,netdev=hostnet-525400abcdef,mac=52:54:00:ab:cd:ef',
      `-device rtl8139,id=net-${r.nics[2].mac.replace(/:/g, '')},netdev=hostnet-${r.nics[2].mac.replace(/:/g, '')},mac=${r.nics[2].mac}`,
      '-device VGA,id=video0',
      ...TAIL,
    ]);
    expect(r.postStart).toEqual([{ execute: 'set_link', arguments: { name: 'net-525400abcdef', up: false } }]);
    expect(r.balloon).toBe(false);
    expect(r.vncSocket).toBe('/run/kt/vnc.sock');
    // a NIC without a MAC gets a stable one derived from the uuid
    expect(r.nics[2].mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
    expect(r.nics[2].generatedMac).toBe(true);
    expect(buildQemuArgv(fixtureConfig('user-net'), RT).nics[2].mac).toBe(r.nics[2].mac);
  });

  it('refuses desktop defaults, naming every element and why', () => {
    let err: unknown;
    try {
      buildQemuArgv(fixtureConfig('refused'), RT);
    } catch (e) {
      err = e;
    }
    expect(isKvmtuiError(err, 'UNSUPPORTED')).toBe(true);
    const e = err as UnsupportedConfigError;
    // the SPICE display, agent channel and USB redirection beside them are no reason to refuse
    expect(e.problems).toEqual([
      "<interface type='network' model='virtio'>: libvirt network 'default' needs libvirtd; use <interface type='user'> or type='bridge'",
      "<tpm model='tpm-crb'>: a TPM needs swtpm or a host TPM, which the local driver does not run; remove it",
    ]);
    expect(e.message.split('\n')).toHaveLength(1);
    expect(e.message).toMatch(/^cannot start 'desktop': <interface type='network'.*\(and 1 more: <tpm model='tpm-crb'>\)$/);
  });
});

describe('buildQemuArgv with SPICE', () => {
  const spice = (graphics: string, devices = '') => domain({ machine: 'q35', devices: graphics + devices });

  it('virt-install desktop: private unix socket, agent channel, USB redirection on usb.0, qxl sizes, spice audio', () => {
    const r = buildQemuArgv(fixtureConfig('spice-desktop'), RT);
    const l = lines(r.args);
    expect(l).toContain('-spice unix=on,addr=/run/kt/spice.sock,disable-ticketing=on,image-compression=off');
    expect(r.spiceSocket).toBe('/run/kt/spice.sock');
    expect(l).toContain('-chardev spicevmc,id=charchannel1,name=vdagent');
    expect(l).toContain('-device virtserialport,bus=virtio-serial0.0,chardev=charchannel1,id=channel1,name=com.redhat.spice.0');
    // the guest agent keeps its socket; the SPICE agent has none
    expect(r.channels).toEqual([{ name: 'org.qemu.guest_agent.0', path: '/run/kt/chan0.sock' }]);
    for (const n of [0, 1]) {
      expect(l).toContain(`-chardev spicevmc,id=charredir${n},name=usbredir`);
      expect(l).toContain(`-device usb-redir,chardev=charredir${n},id=redir${n},bus=usb.0`);
    }
    expect(l).toContain('-device qxl-vga,id=video0,ram_size=67108864,vram_size=67108864,vgamem_mb=16,max_outputs=1');
    expect(l).toContain('-audiodev spice,id=audio1');
    expect(l).toContain('-device hda-duplex,id=sound0-codec0,bus=sound0.0,cad=0,audiodev=audio1');
    expect(r.postStart).toEqual([]);
    // nothing listens on the network
    expect(r.args.join(' ')).not.toContain('0.0.0.0');
    expect(l.find((x) => x.startsWith('-spice '))).not.toMatch(/port=/);
  });

  it('honours a fixed port on loopback only; autoport, other addresses and networks get the unix socket', () => {
    const spiceArg = (g: string) => lines(buildQemuArgv(configOf(spice(g)), RT).args).find((x) => x.startsWith('-spice '));
    expect(spiceArg("<graphics type='spice' port='5930' autoport='no' listen='127.0.0.1'/>")).toBe('-spice addr=127.0.0.1,port=5930,disable-ticketing=on');
    expect(spiceArg("<graphics type='spice' port='5931'><listen type='address' address='::1'/></graphics>")).toBe('-spice addr=::1,port=5931,disable-ticketing=on');
    const sock = '-spice unix=on,addr=/run/kt/spice.sock,disable-ticketing=on';
    expect(spiceArg("<graphics type='spice' port='5930' listen='1.2.3.4'/>")).toBe(sock);
    expect(spiceArg("<graphics type='spice' port='-1' autoport='yes' listen='127.0.0.1'/>")).toBe(sock);
    expect(spiceArg("<graphics type='spice' autoport='yes'><listen type='network' network='default'/></graphics>")).toBe(sock);
    expect(spiceArg("<graphics type='spice'><listen type='socket' socket='/tmp/foobar'/></graphics>")).toBe('-spice unix=on,addr=/tmp/foobar,disable-ticketing=on');
    expect(spiceArg("<graphics type='spice'><listen type='none'/></graphics>")).toBe('-spice port=0,disable-ticketing=on');
    // tlsPort opens nothing: no certificates
    expect(spiceArg("<graphics type='spice' port='5930' tlsPort='5931' listen='127.0.0.1'/>")).toBe('-spice addr=127.0.0.1,port=5930,disable-ticketing=on');
  });

  it('maps the client options and sets a password after start, never on the command line', () => {
    const r = buildQemuArgv(configOf(spice(
      "<graphics type='spice' autoport='yes' passwd='s3,cret' passwdValidTo='2010-04-09T15:51:01'><image compression='glz'/><jpeg compression='never'/>" +
        "<zlib compression='always'/><playback compression='off'/><streaming mode='filter'/><clipboard copypaste='no'/><filetransfer enable='no'/>" +
        "<mouse mode='client'/><channel name='main' mode='insecure'/><gl enable='no'/></graphics>",
    )), RT);
    expect(lines(r.args)).toContain('-spice unix=on,addr=/run/kt/spice.sock,image-compression=glz,jpeg-wan-compression=never,zlib-glz-wan-compression=always,' +
      'playback-compression=off,streaming-video=filter,disable-copy-paste=on,disable-agent-file-xfer=on,agent-mouse=on,plaintext-channel=main');
    expect(r.args.join(' ')).not.toContain('s3,cret');
    expect(r.postStart).toEqual([
      { execute: 'set_password', arguments: { protocol: 'spice', password: 's3,cret' } },
      { execute: 'expire_password', arguments: { protocol: 'spice', time: '1270828261' } },
    ]);
  });

  it('sound with SPICE and no <audio> plays through the client; <audio type=\'spice\'> is that audiodev', () => {
    expect(buildQemuArgv(configOf(spice("<graphics type='spice'/>", "<sound model='ich6'/>")), RT).args).toContain('spice,id=audio1');
    const r = buildQemuArgv(configOf(spice("<graphics type='spice'/>", "<audio type='spice' id='1'/><sound model='ac97'/>")), RT);
    expect(lines(r.args)).toContain('-audiodev spice,id=audio1');
    expect(lines(r.args)).toContain('-device AC97,id=sound0,audiodev=audio1');
  });

  it('refuses what cannot run here, naming the element', () => {
    const e = refusal(spice(
      "<graphics type='spice' defaultMode='secure'/><graphics type='spice'><gl enable='yes' rendernode='/dev/dri/renderD128'/></graphics>",
      "<redirdev bus='usb' type='tcp'><source mode='connect' host='h' service='4000'/></redirdev><video><model type='qxl' vgamem='512'/></video>",
    ));
    expect(e.problems).toEqual([
      "<redirdev type='tcp' bus='usb'>: USB redirection over 'tcp' is not supported by the local driver; use type 'spicevmc' with SPICE graphics, or remove it",
      "<graphics type='spice'>: defaultMode 'secure' needs TLS certificates, which the local driver does not manage; use 'any' or remove it",
      "<graphics type='spice'>: only one SPICE display is supported",
      "<video model='qxl'>: qxl vgamem must be at least 1024 KiB (1 MiB), not 512",
    ]);
    expect(refusal(spice("<graphics type='spice'><gl enable='yes'/></graphics>")).problems).toEqual([
      "<gl>: OpenGL needs a GPU render node and an EGL display, which the local driver does not set up; use <gl enable='no'/> or remove it",
    ]);
  });

  it('spicevmc devices and spice audio without a SPICE display are refused, not left to fail in QEMU', () => {
    const e = refusal(domain({
      machine: 'q35',
      devices: "<graphics type='vnc' autoport='yes'/><channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>" +
        "<redirdev bus='usb' type='spicevmc'/><audio type='spice' id='1'/>",
    }));
    expect(e.problems).toEqual([
      "<channel type='spicevmc'>: needs <graphics type='spice'> in the same domain",
      "<audio type='spice'>: needs <graphics type='spice'> in the same domain",
      "<redirdev type='spicevmc' bus='usb'>: needs <graphics type='spice'> in the same domain",
    ]);
  });
});

describe('buildQemuArgv on libvirt dumpxml output', () => {
  it('honours every <address>: root ports in slot 2, devices behind the ports they name', () => {
    const r = buildQemuArgv(fixtureConfig('dumpxml-q35'), RT);
    const devices = lines(r.args).filter((l) => l.startsWith('-device '));
    expect(devices).toEqual([
      '-device pcie-root-port,id=pci.1,bus=pcie.0,addr=0x2.0x0,multifunction=on,port=0x10,chassis=1',
      '-device pcie-root-port,id=pci.2,bus=pcie.0,addr=0x2.0x1,port=0x11,chassis=2',
      '-device pcie-root-port,id=pci.3,bus=pcie.0,addr=0x2.0x2,port=0x12,chassis=3',
      '-device pcie-root-port,id=pci.4,bus=pcie.0,addr=0x2.0x3,port=0x13,chassis=4',
      '-device pcie-root-port,id=pci.5,bus=pcie.0,addr=0x2.0x4,port=0x14,chassis=5',
      '-device qemu-xhci,id=usb,bus=pci.2,addr=0x0.0x0,p2=15,p3=15',
      '-device isa-serial,chardev=charserial0,id=serial0,index=0',
      '-device virtio-blk-pci,id=disk-vda,bus=pci.3,addr=0x0.0x0,drive=drive-vda,bootindex=1',
      // <address type='drive' unit='2'> on the built-in AHCI
      '-device ide-cd,id=disk-sda,bus=ide.2',
      '-device virtio-net-pci,id=net-5254006b3c58,bus=pci.1,addr=0x0.0x0,netdev=hostnet-5254006b3c58,mac=52:54:00:6b:3c:58',
      '-device usb-tablet,id=input0,bus=usb.0',
      '-device virtio-balloon-pci,id=balloon0,bus=pci.4,addr=0x0.0x0',
    ]);
    expect(r.args).toContain('none,id=audio1');
    // the one port no device names stays free for hotplug
    expect(r.hotplugPorts).toEqual(['pci.5']);
  });

  it('a device without an address never takes a port another device names', () => {
    const xml = `<domain type='qemu'><name>p</name><memory>65536</memory><vcpu>1</vcpu><os><type machine='q35'>hvm</type></os><features><acpi/></features><devices>
      <controller type='pci' index='1' model='pcie-root-port'/><controller type='pci' index='2' model='pcie-root-port'/>
      <disk type='file' device='disk'><source file='/i/a'/><target dev='vda' bus='virtio'/></disk>
      <disk type='file' device='disk'><source file='/i/b'/><target dev='vdb' bus='virtio'/><address type='pci' bus='0x01' slot='0x00' function='0x0'/></disk>
      <memballoon model='none'/></devices></domain>`;
    const devices = lines(buildQemuArgv(configOf(xml), RT).args).filter((l) => l.includes('virtio-blk'));
    expect(devices).toEqual(['-device virtio-blk-pci,id=disk-vda,bus=pci.2,drive=drive-vda', '-device virtio-blk-pci,id=disk-vdb,bus=pci.1,addr=0x0.0x0,drive=drive-vdb']);
  });
});

describe('buildQemuArgv rules', () => {
  it('maps the domain type to the accelerator, and accelOverride wins', () => {
    expect(buildQemuArgv(configOf(domain({ type: 'kvm' })), RT).args).toContain('kvm');
    const tcg = buildQemuArgv(configOf(domain({ type: 'qemu' })), RT);
    expect(tcg.args[tcg.args.indexOf('-accel') + 1]).toBe('tcg');
    const over = buildQemuArgv(configOf(domain({ type: 'kvm' })), { ...RT, accelOverride: 'tcg' });
    expect(over.args[over.args.indexOf('-accel') + 1]).toBe('tcg');
    expect(refusal(domain({ type: 'xen' })).message).toContain("<domain type='xen'>: the local driver runs type 'kvm' or 'qemu'");
    expect(refusal(domain({ type: 'xen' }), { ...RT, accelOverride: 'tcg' }).problems).toHaveLength(1);
  });

  it('refuses non-x86 guests clearly', () => {
    expect(refusal(domain({ arch: 'aarch64', machine: 'virt' })).message).toBe("cannot start 't': <type arch='aarch64'>: only x86_64 guests are supported by the local driver");
    expect(buildQemuArgv(configOf(domain({ arch: 'i686' })), RT).file).toBe('qemu-system-x86_64');
  });

  it('keeps versioned machine names and refuses unknown ones', () => {
    const args = buildQemuArgv(configOf(domain({ machine: 'pc-i440fx-6.1' })), RT).args;
    expect(args[args.indexOf('-machine') + 1]).toBe('pc-i440fx-6.1');
    expect(refusal(domain({ machine: 'pc-q35-foobar' })).message).toContain("<type machine='pc-q35-foobar'>");
    expect(refusal(domain({ machine: 'microvm' })).message).toContain('pc (i440fx) and q35');
  });

  it('rounds memory up to whole MiB', () => {
    const args = buildQemuArgv(configOf(domain()), RT).args;
    expect(args[args.indexOf('-m') + 1]).toBe('size=101M');
  });

  it('turns ACPI off when <features> has no <acpi/>, and maps vmport', () => {
    const args = buildQemuArgv(configOf(domain({ features: "<vmport state='on'/>" })), RT).args;
    expect(args[args.indexOf('-machine') + 1]).toBe('pc,acpi=off,vmport=on');
  });

  it('maps CPU modes: host under KVM, max under TCG', () => {
    const cpu = (type: string, mode: string) => {
      const a = buildQemuArgv(configOf(domain({ type, top: `<cpu mode='${mode}'/>` })), RT).args;
      return a[a.indexOf('-cpu') + 1];
    };
    expect(cpu('kvm', 'host-passthrough')).toBe('host');
    expect(cpu('kvm', 'host-model')).toBe('host');
    expect(cpu('qemu', 'host-passthrough')).toBe('max');
  });

  it('a bare <console type=pty/> is serial port 0; a domain without either has no serial', () => {
    const withConsole = buildQemuArgv(configOf(domain({ devices: "<console type='pty'/>" })), RT);
    expect(withConsole.serial).toBe(true);
    expect(withConsole.args).toContain('isa-serial,chardev=charserial0,id=serial0,index=0');
    const none = buildQemuArgv(configOf(domain()), RT);
    expect(none.serial).toBe(false);
    expect(none.args.join(' ')).not.toContain('chardev');
  });

  it('doubles commas inside option values', () => {
    const r = buildQemuArgv(configOf(domain({ devices: "<serial type='pty'/>" })), { ...RT, serialSocket: '/run/a,b/serial.sock' });
    expect(r.args).toContain('socket,id=charserial0,path=/run/a,,b/serial.sock,server=on,wait=off,logfile=/run/kt/console.log,logappend=on');
  });

  it('SATA on pc adds an AHCI controller; IDE on q35 is refused', () => {
    const disk = (bus: string, dev: string) => `<disk type='file' device='disk'><source file='/i/x.raw'/><target dev='${dev}' bus='${bus}'/></disk>`;
    const pc = buildQemuArgv(configOf(domain({ devices: disk('sata', 'sdb') })), RT).args;
    expect(pc).toContain('ahci,id=sata0');
    expect(pc).toContain('ide-hd,id=disk-sdb,bus=sata0.1,drive=drive-sdb');
    expect(refusal(domain({ machine: 'q35', devices: disk('ide', 'hda') })).problems[0]).toBe("<disk type='file' device='disk'>: disk hda: q35 has no IDE controller; use bus='sata'");
  });

  it('refuses mixing per-device boot order with <os><boot dev>', () => {
    const e = refusal(domain({ os: "<boot dev='hd'/>", devices: "<disk type='file' device='disk'><source file='/i/x'/><target dev='vda' bus='virtio'/><boot order='1'/></disk>" }));
    expect(e.problems[0]).toContain("<boot dev='hd'>: per-device");
  });

  it('bridge and ethernet interfaces use qemu-bridge-helper and a tap device', () => {
    const r = buildQemuArgv(configOf(domain({
      devices: "<interface type='bridge'><mac address='52:54:00:00:00:01'/><source bridge='br0'/><model type='virtio'/></interface>" +
        "<interface type='ethernet'><mac address='52:54:00:00:00:02'/><target dev='tap7'/><model type='e1000e'/></interface>",
    })), RT);
    expect(r.args).toContain('bridge,id=hostnet-525400000001,br=br0');
    expect(r.args).toContain('tap,id=hostnet-525400000002,ifname=tap7,script=no,downscript=no');
    expect(r.nics[1].hostDev).toBe('tap7');
  });

  it('VNC with autoport listens on localhost from display :0 up', () => {
    const r = buildQemuArgv(configOf(domain({ devices: "<graphics type='vnc' port='-1' autoport='yes' passwd='s3cret'/><video><model type='virtio'/></video>" })), RT);
    expect(r.args).toContain('127.0.0.1:0,to=99,password=on');
    expect(r.args).toContain('virtio-vga,id=video0');
    expect(r.postStart).toEqual([{ execute: 'set_password', arguments: { protocol: 'vnc', password: 's3cret' } }]);
    // without graphics, a video device is left out
    expect(buildQemuArgv(configOf(domain({ devices: "<video><model type='qxl'/></video>" })), RT).args.join(' ')).not.toContain('qxl');
  });

  it('maps watchdog, panic, sound, and refuses devices it cannot run', () => {
    const r = buildQemuArgv(configOf(domain({ devices: "<watchdog model='i6300esb' action='poweroff'/><panic model='isa'/><sound model='ich9'/>" })), RT);
    expect(r.args).toContain('i6300esb,id=watchdog0');
    expect(r.args).toContain('watchdog=poweroff');
    expect(r.args).toContain('pvpanic,id=panic0');
    expect(r.args).toContain('none,id=audio1');
    expect(r.args).toContain('hda-duplex,id=sound0-codec0,bus=sound0.0,cad=0,audiodev=audio1');
    const e = refusal(domain({ devices: "<hostdev mode='subsystem' type='pci'/><filesystem type='mount'/><smartcard mode='passthrough' type='tcp'/>" }));
    expect(e.problems.map((p) => p.split(':')[0])).toEqual(["<hostdev type='pci' mode='subsystem'>", "<filesystem type='mount'>", "<smartcard type='tcp' mode='passthrough'>"]);
  });

  it('on_poweroff other than destroy is refused; on_reboot destroy is -no-reboot', () => {
    expect(refusal(domain({ top: '<on_poweroff>restart</on_poweroff>' })).problems[0]).toMatch(/^<on_poweroff>: 'restart' needs a supervising daemon/);
    expect(buildQemuArgv(configOf(domain({ top: '<on_reboot>destroy</on_reboot>' })), RT).args).toContain('-no-reboot');
  });

  it('emulator: rt.emulator, else the XML, else the default when the XML one is absent here', () => {
    const xml = domain({ devices: '<emulator>/usr/libexec/qemu-kvm</emulator>' });
    expect(buildQemuArgv(configOf(xml), RT).file).toBe('/usr/libexec/qemu-kvm');
    expect(buildQemuArgv(configOf(xml), { ...RT, emulatorExists: () => false }).file).toBe('qemu-system-x86_64');
    expect(buildQemuArgv(configOf(xml), { ...RT, emulator: '/opt/q' }).file).toBe('/opt/q');
  });

  it('daemonize: false and startPaused change the tail only', () => {
    const a = buildQemuArgv(configOf(domain()), { ...RT, daemonize: false, startPaused: true }).args;
    expect(a).not.toContain('-daemonize');
    expect(a.at(-1)).toBe('-S');
  });

  it('names prefixed elements whole in the one-line summary', () => {
    const xml = domain().replace("<domain type='qemu'>", "<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>")
      .replace('</devices>', '</devices><qemu:commandline><qemu:bogus/><qemu:other/></qemu:commandline>');
    expect(refusal(xml).message).toBe("cannot start 't': <qemu:bogus>: unknown element in <qemu:commandline> (and 1 more: <qemu:other>)");
  });

  it('passes <qemu:commandline> through, as libvirt does', () => {
    const xml = domain().replace("<domain type='qemu'>", "<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>")
      .replace('</devices>', "</devices><qemu:commandline><qemu:arg value='-boot'/><qemu:arg value='strict=on'/><qemu:env name='X' value='1'/></qemu:commandline>");
    const r = buildQemuArgv(configOf(xml), RT);
    expect(r.args.slice(-2)).toEqual(['-boot', 'strict=on']);
    expect(r.env).toEqual({ X: '1' });
  });
});
