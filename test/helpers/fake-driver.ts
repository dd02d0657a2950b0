// An in-memory Driver for store, poller and component tests. Every call is recorded; latency,
// hangs and failures can be set per method (and per domain); timers go through setTimeout so
// vitest's fake timers drive it.
import type {
  ChangeScope,
  ConsoleEndpoint,
  DiskAttachSpec,
  DomainDetails,
  DomainState,
  DomainSummary,
  Driver,
  DriverEvent,
  HostStats,
  InterfaceAttachSpec,
  PortForward,
  SnapshotInfo,
  StatsSample,
} from '../../src/driver/driver.js';
import type { DiskConfig, DomainConfig, InterfaceConfig } from '../../src/domain/model.js';
import { KvmtuiError } from '../../src/driver/errors.js';

export interface FakeDomainInit {
  name: string;
  state?: DomainState;
  vcpus?: number;
  memoryKiB?: number;
  /** share of one host CPU the emulator burns while running, 0..vcpus */
  load?: number;
  disks?: DiskConfig[];
  interfaces?: InterfaceConfig[];
  startedAt?: number;
  reason?: string;
  message?: string;
}

interface FakeDomain {
  init: FakeDomainInit;
  uuid: string;
  state: DomainState;
  reason?: string;
  message?: string;
  startedAt?: number;
  /** cumulative CPU ns at the last state change; while running, load accrues since runningSince */
  cpuBaseNs: number;
  runningSince?: number;
}

export interface FakeCall {
  method: string;
  name?: string;
  time: number;
}

type Method = keyof Driver & string;

let uuidCounter = 0;

export class FakeDriver implements Driver {
  readonly uri: string;
  readonly calls: FakeCall[] = [];
  private readonly domains = new Map<string, FakeDomain>();
  private readonly listeners = new Set<(e: DriverEvent) => void>();
  private readonly latency = new Map<string, number>();
  private readonly hangs = new Map<string, Array<() => void>>();
  private readonly hangKeys = new Set<string>();
  private readonly failures = new Map<string, Error>();
  private readonly failOnce = new Map<string, Error>();
  closed = false;
  /** when true, start() leaves the domain 'running' immediately; shutdown() powers off after shutdownDelayMs */
  shutdownDelayMs = 0;

  constructor(domains: FakeDomainInit[] = [], uri = 'fake:///test') {
    this.uri = uri;
    for (const d of domains) this.add(d);
  }

  add(init: FakeDomainInit): void {
    const state = init.state ?? 'shutoff';
    this.domains.set(init.name, {
      init,
      uuid: `00000000-0000-4000-8000-${String(++uuidCounter).padStart(12, '0')}`,
      state,
      reason: init.reason,
      message: init.message,
      startedAt: state === 'running' || state === 'paused' ? (init.startedAt ?? Date.now()) : undefined,
      cpuBaseNs: 0,
      runningSince: state === 'running' ? (init.startedAt ?? Date.now()) : undefined,
    });
  }

  remove(name: string): void {
    this.domains.delete(name);
  }

  // ---- controls ---------------------------------------------------------------------------

  /** Delay every call of `method` (optionally for one domain) by ms. */
  setLatency(method: Method, ms: number, name?: string): void {
    this.latency.set(key(method, name), ms);
  }

  /** Calls of `method` (optionally for one domain) never settle until release() is called. */
  hang(method: Method, name?: string): () => void {
    const k = key(method, name);
    this.hangKeys.add(k);
    return () => this.release(method, name);
  }

  release(method: Method, name?: string): void {
    const k = key(method, name);
    this.hangKeys.delete(k);
    for (const resume of this.hangs.get(k) ?? []) resume();
    this.hangs.delete(k);
  }

  /** Every call of `method` fails until clearFailure(); `once` fails only the next call. */
  fail(method: Method, error: Error = new KvmtuiError('QMP_ERROR', `${method} failed`), opts: { name?: string; once?: boolean } = {}): void {
    (opts.once ? this.failOnce : this.failures).set(key(method, opts.name), error);
  }

  clearFailure(method: Method, name?: string): void {
    this.failures.delete(key(method, name));
    this.failOnce.delete(key(method, name));
  }

  emit(event: DriverEvent): void {
    for (const l of [...this.listeners]) l(event);
  }

  /** Change a domain's state behind the store's back (as a guest powering itself off would). */
  setState(name: string, state: DomainState, reason?: string): void {
    const d = this.must(name);
    this.transition(d, state, reason);
  }

  callCount(method: string, name?: string): number {
    return this.calls.filter((c) => c.method === method && (name === undefined || c.name === name)).length;
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  // ---- Driver -----------------------------------------------------------------------------

  async listDomains(): Promise<DomainSummary[]> {
    await this.enter('listDomains');
    return [...this.domains.values()].map((d) => this.summary(d));
  }

  async getDomain(name: string): Promise<DomainDetails> {
    await this.enter('getDomain', name);
    const d = this.must(name);
    const summary = this.summary(d);
    const config = this.config(d);
    return { ...summary, xml: `<domain type='qemu'><name>${name}</name></domain>`, config };
  }

  async defineXml(xml: string): Promise<DomainSummary> {
    await this.enter('defineXml');
    const m = /<name>([^<]+)<\/name>/.exec(xml);
    if (!m) throw new KvmtuiError('INVALID_XML', 'no <name>');
    this.add({ name: m[1] });
    this.emit({ kind: 'defined', name: m[1] });
    return this.summary(this.must(m[1]));
  }

  async undefine(name: string): Promise<void> {
    await this.enter('undefine', name);
    const d = this.must(name);
    if (d.state !== 'shutoff') throw new KvmtuiError('INVALID_STATE', `domain ${name} is not shut off`);
    this.domains.delete(name);
    this.emit({ kind: 'undefined', name });
  }

  async dumpXml(name: string): Promise<string> {
    await this.enter('dumpXml', name);
    this.must(name);
    return `<domain type='qemu'><name>${name}</name></domain>`;
  }

  async start(name: string): Promise<void> {
    await this.enter('start', name);
    const d = this.must(name);
    if (d.state === 'running' || d.state === 'paused') throw new KvmtuiError('INVALID_STATE', `domain ${name} is already active`);
    this.transition(d, 'running', 'booted');
  }

  async shutdown(name: string): Promise<void> {
    await this.enter('shutdown', name);
    const d = this.must(name);
    if (d.state !== 'running' && d.state !== 'paused') throw new KvmtuiError('INVALID_STATE', `domain ${name} is not running`);
    this.emit({ kind: 'qmp', name, event: 'POWERDOWN', time: Date.now() });
    const off = () => {
      if (this.domains.get(name) === d && d.state !== 'shutoff') {
        this.emit({ kind: 'qmp', name, event: 'SHUTDOWN', data: { guest: true, reason: 'guest-shutdown' }, time: Date.now() });
        this.transition(d, 'shutoff', 'shutdown');
      }
    };
    if (this.shutdownDelayMs > 0) setTimeout(off, this.shutdownDelayMs);
    else off();
  }

  async destroy(name: string): Promise<void> {
    await this.enter('destroy', name);
    const d = this.must(name);
    if (d.state === 'shutoff') throw new KvmtuiError('INVALID_STATE', `domain ${name} is not running`);
    this.transition(d, 'shutoff', 'destroyed');
  }

  async reboot(name: string): Promise<void> {
    await this.enter('reboot', name);
    this.mustBeActive(name);
  }

  async reset(name: string): Promise<void> {
    await this.enter('reset', name);
    this.mustBeActive(name);
    this.emit({ kind: 'qmp', name, event: 'RESET', time: Date.now() });
  }

  async suspend(name: string): Promise<void> {
    await this.enter('suspend', name);
    const d = this.must(name);
    if (d.state !== 'running') throw new KvmtuiError('INVALID_STATE', `domain ${name} is not running`);
    this.emit({ kind: 'qmp', name, event: 'STOP', time: Date.now() });
    this.transition(d, 'paused', 'user');
  }

  async resume(name: string): Promise<void> {
    await this.enter('resume', name);
    const d = this.must(name);
    if (d.state !== 'paused') throw new KvmtuiError('INVALID_STATE', `domain ${name} is not paused`);
    this.emit({ kind: 'qmp', name, event: 'RESUME', time: Date.now() });
    this.transition(d, 'running', 'unpaused');
  }

  async stats(name: string): Promise<StatsSample> {
    await this.enter('stats', name);
    const d = this.must(name);
    const now = Date.now();
    const ns = this.cpuNs(d, now);
    const vcpus = d.init.vcpus ?? 1;
    return {
      name,
      time: now,
      state: d.state,
      cpu: d.state === 'shutoff' ? undefined : { processNs: ns, vcpuNs: ns, perVcpuNs: Array.from({ length: vcpus }, () => ns / vcpus), vcpus },
      memory: { maxKiB: d.init.memoryKiB ?? 524288, rssKiB: 65536 },
      disks: [],
      nics: [],
    };
  }

  async hostStats(): Promise<HostStats> {
    await this.enter('hostStats');
    return { time: Date.now(), cpuBusy: 0, cpuTotal: 0, cpus: 2, memTotalKiB: 4_000_000, memAvailableKiB: 3_000_000, load: [0, 0, 0] };
  }

  async consoleEndpoint(name: string): Promise<ConsoleEndpoint> {
    await this.enter('consoleEndpoint', name);
    this.mustBeActive(name);
    return { kind: 'unix', socketPath: `/tmp/fake-${name}.sock` };
  }

  async attachDisk(name: string, _spec: DiskAttachSpec, _scope: ChangeScope): Promise<void> {
    await this.enter('attachDisk', name);
  }
  async detachDisk(name: string, _target: string, _scope: ChangeScope): Promise<void> {
    await this.enter('detachDisk', name);
  }
  async blockResize(name: string, _target: string, _sizeBytes: number): Promise<void> {
    await this.enter('blockResize', name);
  }
  async changeMedia(name: string, _target: string, _source: string | null, _scope: ChangeScope): Promise<void> {
    await this.enter('changeMedia', name);
  }
  async attachInterface(name: string, _spec: InterfaceAttachSpec, _scope: ChangeScope): Promise<{ mac: string }> {
    await this.enter('attachInterface', name);
    return { mac: '52:54:00:00:00:99' };
  }
  async detachInterface(name: string, _mac: string, _scope: ChangeScope): Promise<void> {
    await this.enter('detachInterface', name);
  }
  async setLink(name: string, _mac: string, _state: 'up' | 'down', _scope: ChangeScope): Promise<void> {
    await this.enter('setLink', name);
  }
  async addPortForward(name: string, _mac: string, _fwd: PortForward, _scope: ChangeScope): Promise<void> {
    await this.enter('addPortForward', name);
  }
  async removePortForward(name: string, _mac: string, _fwd: PortForward, _scope: ChangeScope): Promise<void> {
    await this.enter('removePortForward', name);
  }

  // internal snapshots, kept in memory with the driver's rules (a snapshot with RAM reverts only
  // while the domain runs, a disks-only one only while it is shut off); arrow properties, so
  // withoutSnapshots() can take them away like a driver without snapshot support
  private readonly snaps = new Map<string, SnapshotInfo[]>();

  snapshotCreate?: Driver['snapshotCreate'] = async (name, snapshot, opts) => {
    await this.enter('snapshotCreate', name);
    const d = this.must(name);
    const list = this.snaps.get(name) ?? [];
    if (list.some((s) => s.name === snapshot)) throw new KvmtuiError('INVALID_CONFIG', `domain '${name}' already has a snapshot '${snapshot}'`);
    const info: SnapshotInfo = { name: snapshot, createdAt: Date.now(), state: d.state === 'paused' ? 'paused' : d.state === 'running' ? 'running' : 'shutoff' };
    if (opts?.description) info.description = opts.description;
    this.snaps.set(name, [...list, info]);
    return info;
  };

  snapshotList?: Driver['snapshotList'] = async (name) => {
    await this.enter('snapshotList', name);
    this.must(name);
    return [...(this.snaps.get(name) ?? [])];
  };

  snapshotRevert?: Driver['snapshotRevert'] = async (name, snapshot) => {
    await this.enter('snapshotRevert', name);
    const d = this.must(name);
    const snap = this.findSnapshot(name, snapshot);
    const ram = snap.state !== 'shutoff' && snap.state !== 'crashed';
    const active = d.state === 'running' || d.state === 'paused';
    if (ram && !active) throw new KvmtuiError('INVALID_STATE', `snapshot '${snapshot}' holds the running state of '${name}': start the domain, then revert`);
    if (!ram && active) throw new KvmtuiError('INVALID_STATE', `snapshot '${snapshot}' was taken while '${name}' was shut off (disks only): shut the domain down, then revert`);
  };

  snapshotDelete?: Driver['snapshotDelete'] = async (name, snapshot) => {
    await this.enter('snapshotDelete', name);
    this.findSnapshot(name, snapshot);
    this.snaps.set(name, (this.snaps.get(name) ?? []).filter((s) => s.name !== snapshot));
  };

  /** Add a snapshot as if taken at `createdAt` (no call recorded). */
  seedSnapshot(name: string, info: SnapshotInfo): void {
    this.snaps.set(name, [...(this.snaps.get(name) ?? []), info]);
  }

  /** Act like a driver without snapshot support (the optional methods absent). */
  withoutSnapshots(): this {
    this.snapshotCreate = undefined;
    this.snapshotList = undefined;
    this.snapshotRevert = undefined;
    this.snapshotDelete = undefined;
    return this;
  }

  private findSnapshot(name: string, snapshot: string): SnapshotInfo {
    this.must(name);
    const snap = (this.snaps.get(name) ?? []).find((s) => s.name === snapshot);
    if (!snap) throw new KvmtuiError('INVALID_CONFIG', `domain '${name}' has no snapshot '${snapshot}'`);
    return snap;
  }

  subscribe(listener: (event: DriverEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.calls.push({ method: 'close', time: Date.now() });
    this.closed = true;
    this.listeners.clear();
  }

  // ---- internals --------------------------------------------------------------------------

  private async enter(method: string, name?: string): Promise<void> {
    this.calls.push({ method, name, time: Date.now() });
    const ms = this.latency.get(key(method, name)) ?? this.latency.get(key(method)) ?? 0;
    if (ms > 0) await new Promise<void>((r) => setTimeout(r, ms));
    for (const k of [key(method, name), key(method)]) {
      if (this.hangKeys.has(k)) {
        await new Promise<void>((r) => {
          const list = this.hangs.get(k) ?? [];
          list.push(r);
          this.hangs.set(k, list);
        });
      }
      const once = this.failOnce.get(k);
      if (once) {
        this.failOnce.delete(k);
        throw once;
      }
      const err = this.failures.get(k);
      if (err) throw err;
    }
  }

  private must(name: string): FakeDomain {
    const d = this.domains.get(name);
    if (!d) throw new KvmtuiError('NO_DOMAIN', `no domain named ${name}`);
    return d;
  }

  private mustBeActive(name: string): FakeDomain {
    const d = this.must(name);
    if (d.state !== 'running' && d.state !== 'paused') throw new KvmtuiError('INVALID_STATE', `domain ${name} is not running`);
    return d;
  }

  private cpuNs(d: FakeDomain, now: number): number {
    if (d.state !== 'running' || d.runningSince === undefined) return d.cpuBaseNs;
    return d.cpuBaseNs + (now - d.runningSince) * 1e6 * (d.init.load ?? 0.1);
  }

  private transition(d: FakeDomain, state: DomainState, reason?: string): void {
    const now = Date.now();
    d.cpuBaseNs = this.cpuNs(d, now);
    const wasActive = d.state === 'running' || d.state === 'paused';
    const isActive = state === 'running' || state === 'paused';
    if (!wasActive && isActive) {
      d.startedAt = now;
      d.cpuBaseNs = 0;
    } else if (!isActive) d.startedAt = undefined;
    d.runningSince = state === 'running' ? now : undefined;
    d.state = state;
    d.reason = reason;
    this.emit({ kind: 'state', name: d.init.name, state, reason });
  }

  private summary(d: FakeDomain): DomainSummary {
    const active = d.state === 'running' || d.state === 'paused';
    return {
      connection: this.uri,
      name: d.init.name,
      uuid: d.uuid,
      state: d.state,
      reason: d.reason,
      message: d.message,
      type: 'qemu',
      vcpus: d.init.vcpus ?? 1,
      memoryKiB: d.init.memoryKiB ?? 524288,
      currentMemoryKiB: d.init.memoryKiB ?? 524288,
      pid: active ? 4000 + uuidCounter : undefined,
      startedAt: active ? d.startedAt : undefined,
      persistent: true,
      autostart: false,
    };
  }

  private config(d: FakeDomain): DomainConfig {
    const mem = d.init.memoryKiB ?? 524288;
    return {
      type: 'qemu',
      name: d.init.name,
      uuid: d.uuid,
      memoryKiB: mem,
      currentMemoryKiB: mem,
      vcpus: d.init.vcpus ?? 1,
      os: { type: 'hvm', arch: 'x86_64', machine: 'q35', kernel: '/var/lib/guest/vmlinuz', bootDevs: [] },
      features: ['acpi'],
      disks: d.init.disks ?? [
        { type: 'file', device: 'disk', format: 'qcow2', source: `/var/lib/kvmtui/${d.init.name}.qcow2`, target: 'vda', bus: 'virtio', readonly: false, shareable: false },
      ],
      interfaces: d.init.interfaces ?? [{ type: 'user', mac: '52:54:00:12:34:56', model: 'virtio', portForwards: [] }],
      serials: [{ type: 'pty', targetType: 'isa-serial', targetPort: 0 }],
      consoles: [{ type: 'pty', targetType: 'serial', targetPort: 0 }],
      memballoonModel: 'virtio',
      root: { name: 'domain', attrs: { type: 'qemu' }, children: [], text: '' },
    };
  }
}

function key(method: string, name?: string): string {
  return name === undefined ? method : `${method}:${name}`;
}
