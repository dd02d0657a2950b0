// The local QEMU/KVM driver: libvirt-format XML under KVMTUI_HOME, QEMU run daemonized with QMP and
// serial sockets in a private runtime directory. No daemon: every kvmtui process (TUI or CLI)
// finds running domains from their runtime state and re-attaches; quitting never stops a domain.
import { rm } from 'node:fs/promises';
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
  ImageInfo,
  InterfaceAttachSpec,
  PortForward,
  SnapshotInfo,
  StatsSample,
  UndefineOptions,
} from '../driver.js';
import { KvmtuiError } from '../errors.js';
import { parseDomainXml, validateDomain, validateDomainName, type DomainDocument } from '../../domain/index.js';
import type { DomainConfig } from '../../domain/model.js';
import { DomainFiles } from './domain-files.js';
import { snapshotMetaPath } from './snapshot-meta.js';
import { launchQemu } from './launcher.js';
import { MonitorPool } from './monitor-pool.js';
import { homePaths, runPaths, type HomePaths, type RunPaths } from './paths.js';
import { capConsoleLog, markEnded, processStatus, waitForExit, writeRuntimeState, type ProcessStatus } from './runtime.js';
import { mapQmpStatus, type MappedState } from './status.js';
import type { QmpClient, QmpEvent } from './qmp-types.js';
import { DomainStats } from './domain-stats.js';
import { sampleHostStats } from '../host-stats.js';
import { DeviceEditor } from './device-editor.js';
import { SnapshotManager } from './snapshots.js';

export interface LocalDriverOptions {
  home: string;
  /** hold a QMP monitor per running domain for events (the TUI); the CLI uses short-lived ones */
  persistentMonitors?: boolean;
  /** per-domain QMP status timeout while listing, ms */
  statusTimeoutMs?: number;
  /** grace period between quit and SIGKILL in destroy, ms */
  destroyGraceMs?: number;
  /** the console log of a running domain is cut back past this size (default 64 MiB) */
  consoleLogMaxBytes?: number;
  /** how long reboot waits for the guest to go down after the ACPI request, ms */
  rebootTimeoutMs?: number;
}

export function createLocalDriver(opts: LocalDriverOptions): LocalDriver {
  return new LocalDriver(opts);
}

const QMP_EVENTS_TO_STATE: Record<string, MappedState | undefined> = {
  STOP: { state: 'paused', reason: 'user' },
  RESUME: { state: 'running', reason: 'unpaused' },
  SUSPEND: { state: 'pmsuspended', reason: 'guest' },
  WAKEUP: { state: 'running', reason: 'wakeup' },
  SHUTDOWN: { state: 'shutting down', reason: 'shutdown' },
  GUEST_PANICKED: { state: 'crashed', reason: 'panicked', message: 'the guest kernel panicked' },
};

export class LocalDriver implements Driver {
  readonly uri: string;
  readonly hp: HomePaths;
  private readonly files: DomainFiles;
  private readonly monitors: MonitorPool;
  private readonly listeners = new Set<(e: DriverEvent) => void>();
  /** transient states set by this process while an action is under way */
  private readonly transient = new Map<string, DomainState>();
  private readonly statsSampler: DomainStats;
  private readonly devices: DeviceEditor;
  private readonly snapshots: SnapshotManager;

  constructor(private readonly opts: LocalDriverOptions) {
    this.hp = homePaths(opts.home);
    this.uri = `qemu+local://${this.hp.home}`;
    this.files = new DomainFiles(this.hp);
    this.monitors = new MonitorPool({
      persistent: !!opts.persistentMonitors,
      onEvent: (name, ev) => this.onQmpEvent(name, ev),
      onClose: (name) => void this.onMonitorClosed(name),
    });
    this.statsSampler = new DomainStats();
    this.devices = new DeviceEditor({
      files: this.files,
      hp: this.hp,
      qmp: (name, fn) => this.withQmp(name, fn),
      isRunning: async (name) => (await this.status(name)).kind === 'alive',
      domainNames: () => this.files.names(),
    });
    this.snapshots = new SnapshotManager({
      files: this.files,
      hp: this.hp,
      qmp: (name, fn) => this.withQmp(name, fn),
      isRunning: async (name) => (await this.status(name)).kind === 'alive',
    });
  }

  // ---- events -------------------------------------------------------------------------------

  subscribe(listener: (event: DriverEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: DriverEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        /* a listener's bug must not break the driver */
      }
    }
  }

  private emitState(name: string, s: MappedState): void {
    this.emit({ kind: 'state', name, state: s.state, reason: s.reason, message: s.message });
  }

  private onQmpEvent(name: string, ev: QmpEvent): void {
    this.emit({ kind: 'qmp', name, event: ev.event, data: ev.data, time: ev.time });
    const mapped = QMP_EVENTS_TO_STATE[ev.event];
    if (mapped) this.emitState(name, mapped);
  }

  private async onMonitorClosed(name: string): Promise<void> {
    // the held monitor closes when QEMU exits; look at what is left to tell shutdown from crash
    const st = await this.status(name).catch(() => undefined);
    if (!st || st.kind === 'alive') return;
    this.transient.delete(name);
    this.emitState(name, this.endedState(st));
  }

  // ---- paths and status ---------------------------------------------------------------------

  private rp(name: string): RunPaths {
    return runPaths(this.hp, name);
  }

  private status(name: string): Promise<ProcessStatus> {
    return processStatus(this.rp(name));
  }

  private endedState(st: ProcessStatus): MappedState {
    if (st.kind === 'ended' && st.ended.reason === 'crashed') {
      return { state: 'crashed', reason: 'crashed', message: st.ended.message };
    }
    if (st.kind === 'ended') return { state: 'shutoff', reason: st.ended.reason };
    return { state: 'shutoff' };
  }

  private async withQmp<T>(name: string, fn: (c: QmpClient) => Promise<T>): Promise<T> {
    const st = await this.status(name);
    if (st.kind !== 'alive') throw new KvmtuiError('INVALID_STATE', `domain '${name}' is not running`);
    return this.monitors.run(name, this.rp(name), fn);
  }

  /**
   * The run state from QMP, bounded as a whole (connect, greeting, reply): a hung or stopped
   * QEMU must not hold up the list of every other domain.
   */
  private async liveState(name: string): Promise<MappedState> {
    const timeout = this.opts.statusTimeoutMs ?? 2000;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new KvmtuiError('QMP_TIMEOUT', `no answer within ${timeout} ms`)), timeout);
    });
    try {
      const s = await Promise.race([
        this.monitors.run(name, this.rp(name), (c) =>
          c.execute<{ status: string; running: boolean }>('query-status', undefined, { timeoutMs: timeout }),
        ),
        expired,
      ]);
      return mapQmpStatus(s.status, s.running);
    } finally {
      clearTimeout(timer);
    }
  }

  private async summarize(name: string, cfg: DomainConfig): Promise<DomainSummary> {
    const st = await this.status(name);
    let mapped: MappedState;
    let pid: number | undefined;
    let startedAt: number | undefined;
    if (st.kind === 'alive') {
      pid = st.state.pid;
      startedAt = st.state.startedAt;
      if (this.opts.persistentMonitors) void this.monitors.attach(name, this.rp(name));
      await capConsoleLog(this.rp(name), this.opts.consoleLogMaxBytes ?? 64 * 1024 * 1024).catch(() => false);
      try {
        mapped = await this.liveState(name);
      } catch (e) {
        mapped = { state: 'running', reason: 'unknown', message: `monitor not answering: ${(e as Error).message}` };
      }
    } else {
      mapped = this.endedState(st);
      if (this.transient.get(name) === 'shutting down') this.transient.delete(name);
    }
    const transient = this.transient.get(name);
    if (transient && !(transient === 'starting' && mapped.state === 'running')) {
      mapped = { state: transient, reason: mapped.reason };
    }
    return {
      connection: this.uri,
      name,
      uuid: cfg.uuid ?? '',
      title: cfg.title,
      state: mapped.state,
      reason: mapped.reason,
      message: mapped.message,
      type: cfg.type,
      vcpus: cfg.vcpus,
      memoryKiB: cfg.memoryKiB,
      currentMemoryKiB: cfg.currentMemoryKiB,
      pid,
      startedAt,
      persistent: true,
      autostart: false,
    };
  }

  // ---- Driver: domains ----------------------------------------------------------------------

  async listDomains(): Promise<DomainSummary[]> {
    const names = await this.files.names();
    const out = await Promise.all(
      names.map(async (n) => {
        try {
          const { doc } = await this.files.load(n);
          return await this.summarize(n, doc.config);
        } catch {
          return undefined; // a file that vanished or cannot be read right now: skip it this round
        }
      }),
    );
    return out.filter((d): d is DomainSummary => !!d);
  }

  async getDomain(name: string): Promise<DomainDetails> {
    const { xml, doc } = await this.files.load(name);
    return { ...(await this.summarize(name, doc.config)), xml, config: doc.config };
  }

  async dumpXml(name: string): Promise<string> {
    return (await this.files.load(name)).xml;
  }

  async defineXml(xml: string): Promise<DomainSummary> {
    const doc: DomainDocument = parseDomainXml(xml);
    const cfg = doc.config;
    validateDomainName(cfg.name);
    let finalXml = xml;
    if (await this.files.has(cfg.name)) {
      const old = (await this.files.load(cfg.name)).doc.config;
      if (cfg.uuid && old.uuid && cfg.uuid.toLowerCase() !== old.uuid.toLowerCase()) {
        throw new KvmtuiError('DOMAIN_EXISTS', `domain '${cfg.name}' already exists with uuid ${old.uuid}`);
      }
      if (!cfg.uuid && old.uuid) finalXml = doc.withUuid(old.uuid).toXml();
    } else {
      const others = await Promise.all(
        (await this.files.names()).map(async (n) => (await this.files.load(n).catch(() => undefined))?.doc.config),
      );
      if (cfg.uuid && others.some((o) => o?.uuid && o.uuid.toLowerCase() === cfg.uuid!.toLowerCase())) {
        throw new KvmtuiError('DOMAIN_EXISTS', `another domain already has uuid ${cfg.uuid}`);
      }
      if (!cfg.uuid) finalXml = doc.withUuid().toXml();
    }
    const problems = validateDomain(parseDomainXml(finalXml).config);
    if (problems.length) throw new KvmtuiError('INVALID_CONFIG', problems.join('; '));
    await this.files.save(cfg.name, finalXml);
    this.emit({ kind: 'defined', name: cfg.name });
    const { doc: saved } = await this.files.load(cfg.name);
    return this.summarize(cfg.name, saved.config);
  }

  async undefine(name: string, opts: UndefineOptions = {}): Promise<void> {
    const { doc } = await this.files.load(name);
    const st = await this.status(name);
    if (st.kind === 'alive') {
      throw new KvmtuiError('INVALID_STATE', `domain '${name}' is running: destroy or shut it down first`);
    }
    if (opts.removeAllStorage) {
      for (const d of doc.config.disks) {
        if (d.device === 'disk' && d.type === 'file' && d.source) await rm(d.source, { force: true });
      }
    }
    await this.files.remove(name);
    await rm(this.rp(name).dir, { recursive: true, force: true });
    // snapshot metadata goes with the domain (the snapshots themselves live inside its images)
    await rm(snapshotMetaPath(this.hp, name), { force: true });
    this.emit({ kind: 'undefined', name });
  }

  // ---- Driver: lifecycle --------------------------------------------------------------------

  async start(name: string): Promise<void> {
    const { doc } = await this.files.load(name);
    const st = await this.status(name);
    if (st.kind === 'alive') throw new KvmtuiError('INVALID_STATE', `domain '${name}' is already running`);
    const rp = this.rp(name);
    this.transient.set(name, 'starting');
    this.emitState(name, { state: 'starting' });
    try {
      const launched = await launchQemu(doc.config, this.hp, rp);
      await writeRuntimeState(rp, { name, uuid: doc.config.uuid ?? '', pid: launched.pid, startedAt: Date.now() });
      await this.monitors.run(name, rp, async (c) => {
        for (const cmd of launched.postStart) await c.execute(cmd.execute, cmd.arguments);
        await this.statsSampler.prepare(c);
        await c.execute('cont');
      });
      if (this.opts.persistentMonitors) await this.monitors.attach(name, rp);
    } catch (e) {
      // a QEMU that got as far as running but failed a post-start step must not linger half-set-up
      const now = await this.status(name).catch(() => undefined);
      if (now?.kind === 'alive') await this.kill(name, now).catch(() => {});
      this.transient.delete(name);
      this.emitState(name, { state: 'shutoff', reason: 'failed' });
      throw e;
    }
    this.transient.delete(name);
    this.emitState(name, { state: 'running', reason: 'booted' });
  }

  async shutdown(name: string): Promise<void> {
    await this.withQmp(name, (c) => c.execute('system_powerdown'));
    this.transient.set(name, 'shutting down');
    this.emitState(name, { state: 'shutting down', reason: 'user' });
  }

  async destroy(name: string): Promise<void> {
    await this.files.load(name);
    const st = await this.status(name);
    if (st.kind === 'ended' && st.ended.reason === 'crashed') {
      // forget the crash: the operator has seen it
      await markEnded(this.rp(name), st.state, { at: Date.now(), reason: 'destroyed' });
      this.emitState(name, { state: 'shutoff', reason: 'destroyed' });
      return;
    }
    if (st.kind !== 'alive') throw new KvmtuiError('INVALID_STATE', `domain '${name}' is not running`);
    await this.kill(name, st);
    this.transient.delete(name);
    this.emitState(name, { state: 'shutoff', reason: 'destroyed' });
  }

  /** quit through QMP, then SIGKILL after the grace period */
  private async kill(name: string, st: Extract<ProcessStatus, { kind: 'alive' }>): Promise<void> {
    const rp = this.rp(name);
    const grace = this.opts.destroyGraceMs ?? 3000;
    // record the intent first: a TUI whose monitor sees QEMU go must not call it a shutdown or a crash
    await writeRuntimeState(rp, { ...st.state, intent: 'destroy' });
    await this.monitors
      .run(name, rp, (c) => c.execute('quit', undefined, { timeoutMs: Math.min(grace, 2000) }))
      .catch(() => {});
    if (!(await waitForExit(st.state.pid, rp, grace))) {
      try {
        process.kill(st.state.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await waitForExit(st.state.pid, rp, 5000);
    }
    await this.monitors.detach(name);
    await markEnded(rp, st.state, { at: Date.now(), reason: 'destroyed' });
  }

  /**
   * Reboot the way libvirt's ACPI reboot does for QEMU: ask the guest to power off, but have QEMU
   * pause instead of exiting when it does, then reset and continue. Resolves once the guest has gone
   * down and is booting again; a guest that ignores ACPI gets a TIMEOUT error (use reset to force).
   */
  async reboot(name: string): Promise<void> {
    const limit = this.opts.rebootTimeoutMs ?? 60_000;
    // each step on its own short connection: the shared monitor is never held while we wait
    await this.withQmp(name, async (c) => {
      await c.execute('set-action', { shutdown: 'pause' });
      await c.execute('system_powerdown');
    });
    try {
      const deadline = Date.now() + limit;
      for (;;) {
        const s = await this.withQmp(name, (c) => c.execute<{ status: string }>('query-status'));
        if (s.status === 'shutdown') break;
        if (Date.now() > deadline) {
          throw new KvmtuiError('TIMEOUT', `guest '${name}' did not go down within ${Math.round(limit / 1000)} s of the ACPI reboot request; use reset to force`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      await this.withQmp(name, async (c) => {
        await c.execute('system_reset');
        await c.execute('cont');
      });
    } finally {
      await this.withQmp(name, (c) => c.execute('set-action', { shutdown: 'poweroff' })).catch(() => {});
    }
  }

  async reset(name: string): Promise<void> {
    await this.withQmp(name, (c) => c.execute('system_reset'));
  }

  async suspend(name: string): Promise<void> {
    await this.withQmp(name, async (c) => {
      const s = await c.execute<{ status: string }>('query-status');
      if (s.status === 'paused') throw new KvmtuiError('INVALID_STATE', `domain '${name}' is already paused`);
      await c.execute('stop');
    });
  }

  async resume(name: string): Promise<void> {
    await this.withQmp(name, async (c) => {
      const s = await c.execute<{ status: string; running: boolean }>('query-status');
      if (s.running) throw new KvmtuiError('INVALID_STATE', `domain '${name}' is not paused`);
      if (s.status === 'internal-error') {
        throw new KvmtuiError('INVALID_STATE', `domain '${name}' stopped with an internal error and cannot resume: destroy it`);
      }
      await c.execute('cont');
    });
  }

  // ---- Driver: stats and console ------------------------------------------------------------

  async stats(name: string): Promise<StatsSample> {
    const { doc } = await this.files.load(name);
    const st = await this.status(name);
    if (st.kind !== 'alive') {
      return { name, time: Date.now(), state: this.endedState(st).state, disks: [], nics: [] };
    }
    return this.monitors.run(name, this.rp(name), async (c) => {
      const s = await c.execute<{ status: string; running: boolean }>('query-status');
      const state = mapQmpStatus(s.status, s.running).state;
      return this.statsSampler.sample(c, name, st.state.pid, doc.config, state);
    });
  }

  hostStats(): Promise<HostStats> {
    return sampleHostStats();
  }

  async consoleEndpoint(name: string): Promise<ConsoleEndpoint> {
    await this.files.load(name);
    const st = await this.status(name);
    if (st.kind !== 'alive') throw new KvmtuiError('INVALID_STATE', `domain '${name}' is not running`);
    const rp = this.rp(name);
    return { kind: 'unix', socketPath: rp.serialSocket, logPath: rp.consoleLog };
  }

  // ---- Driver: devices (see device-editor.ts) -----------------------------------------------

  attachDisk(name: string, spec: DiskAttachSpec, scope: ChangeScope): Promise<void> {
    return this.devices.attachDisk(name, spec, scope);
  }
  detachDisk(name: string, target: string, scope: ChangeScope, opts?: { deleteImage?: boolean }): Promise<void> {
    return this.devices.detachDisk(name, target, scope, opts);
  }
  blockResize(name: string, target: string, sizeBytes: number, opts?: { allowShrink?: boolean }): Promise<void> {
    return this.devices.blockResize(name, target, sizeBytes, opts);
  }
  changeMedia(name: string, target: string, source: string | null, scope: ChangeScope): Promise<void> {
    return this.devices.changeMedia(name, target, source, scope);
  }
  attachInterface(name: string, spec: InterfaceAttachSpec, scope: ChangeScope): Promise<{ mac: string }> {
    return this.devices.attachInterface(name, spec, scope);
  }
  detachInterface(name: string, mac: string, scope: ChangeScope): Promise<void> {
    return this.devices.detachInterface(name, mac, scope);
  }
  setLink(name: string, mac: string, state: 'up' | 'down', scope: ChangeScope): Promise<void> {
    return this.devices.setLink(name, mac, state, scope);
  }
  addPortForward(name: string, mac: string, fwd: PortForward, scope: ChangeScope): Promise<void> {
    return this.devices.addPortForward(name, mac, fwd, scope);
  }
  removePortForward(name: string, mac: string, fwd: PortForward, scope: ChangeScope): Promise<void> {
    return this.devices.removePortForward(name, mac, fwd, scope);
  }
  /** qemu-img info for the disks table (the UI never runs processes itself) */
  imageInfo(path: string): Promise<ImageInfo> {
    return this.devices.imageInfo(path);
  }

  // ---- Driver: internal snapshots (see snapshots.ts) ----------------------------------------

  snapshotCreate(name: string, snapshot: string, opts?: { description?: string }): Promise<SnapshotInfo> {
    return this.snapshots.create(name, snapshot, opts);
  }
  snapshotList(name: string): Promise<SnapshotInfo[]> {
    return this.snapshots.list(name);
  }
  snapshotRevert(name: string, snapshot: string): Promise<void> {
    return this.snapshots.revert(name, snapshot);
  }
  snapshotDelete(name: string, snapshot: string): Promise<void> {
    return this.snapshots.delete(name, snapshot);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.monitors.closeAll();
  }
}
