// The libvirt driver: one libvirt connection (qemu:///system, qemu+ssh://host/system, ...) through
// virsh. Every call is a virsh process with an argument array and a timeout, so a hung host costs
// a timeout, never a hang. A list refresh is one virsh process (a batch of fixed commands); type
// and title come from a config cache kept fresh by `virsh event`, which runs while anyone
// subscribes.
//
// Where virsh semantics differ from the local driver's, virsh wins and it is said here:
// - undefine of a running domain is allowed: libvirt keeps it running as a transient domain
//   (listed with persistent: false) until it stops. --keep-nvram is passed (--nvram with
//   removeAllStorage) so UEFI domains can be undefined at all.
// - reboot resolves once libvirt has asked the guest (ACPI), not once it is back up.
// - dumpXml and getDomain().xml are the persistent config (dumpxml --inactive), as with the local
//   driver; libvirt adds the defaults it filled in.
// - shut off after the emulator died is libvirt's "shutoff (crashed)", with a message; "crashed"
//   is libvirt's crashed state (a panicked guest kept by on_crash=preserve).
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
  StatsSample,
  UndefineOptions,
} from '../driver.js';
import { KvmtuiError, isKvmtuiError } from '../errors.js';
import { parseDomainXml } from '../../domain/index.js';
import type { DomainConfig } from '../../domain/model.js';
import { sampleHostStats } from '../host-stats.js';
import { createImage, imageInfo, resizeImage } from '../qemu/images.js';
import { ConfigCache } from './config-cache.js';
import { isUuid, numField, parseDomstats, parseKeyValueLines, parseNameList, parseUuidNameList, type DomStatsRecord } from './domstats.js';
import { parseEventLine } from './event-parse.js';
import { LineStream } from './event-stream.js';
import * as devices from './libvirt-devices.js';
import { parseNodeCpuStats, parseNodeInfoCpus, parseNodeMemStats, toHostStats } from './node-stats.js';
import { INTERNAL_ERROR_MESSAGE, mapLibvirtState, type MappedState } from './states.js';
import { toStatsSample, type LiveDevices } from './stats-map.js';
import { withTempFile } from './temp-file.js';
import { isLocalUri, parseLibvirtUri } from './uri.js';
import { Virsh, type Runner } from './virsh.js';

export interface LibvirtDriverOptions {
  /** a libvirt URI: qemu:///system, qemu:///session, qemu+ssh://host/system, test:///default */
  uri: string;
  /** reads (list, stats, dumpxml), default 15 s */
  queryTimeoutMs?: number;
  /** actions (start, destroy, define, device changes), default 60 s */
  actionTimeoutMs?: number;
  /** how long a cached domain config is trusted without the event stream, default 30 s */
  configTtlMs?: number;
  /** how long 'shutting down' is shown after an ACPI request the guest has not acted on, default 120 s */
  shutdownGraceMs?: number;
  /** tests: the virsh program and a replacement for exec.run */
  virshFile?: string;
  runner?: Runner;
}

export function createLibvirtDriver(opts: LibvirtDriverOptions): LibvirtDriver {
  return new LibvirtDriver(opts);
}

/** The config cache TTL while the event stream runs (events keep it fresh; this is a backstop). */
const STREAM_CONFIG_TTL_MS = 300_000;
const LIVE_DEVICES_TTL_MS = 15_000;
const XML_BATCH = 20;
const PROBE_TTL_MS = 30_000;

export class LibvirtDriver implements Driver {
  readonly uri: string;
  readonly local: boolean;
  /** Optional Driver method: present only for connections to this machine (qemu-img runs here). */
  readonly imageInfo?: (path: string) => Promise<ImageInfo>;
  private readonly virsh: Virsh;
  private readonly qemu: boolean;
  private readonly configs: ConfigCache;
  private readonly liveDevices = new Map<string, { devs: LiveDevices; at: number }>();
  private readonly transient = new Map<string, { state: DomainState; since: number }>();
  /** what QEMU said about paused domains with no libvirt reason (refine) */
  private readonly probed = new Map<string, { state: MappedState | undefined; at: number }>();
  private readonly listeners = new Set<(e: DriverEvent) => void>();
  private stream: LineStream | undefined;
  private streamUp = false;
  private readonly deviceDeps: devices.DeviceDeps;

  constructor(private readonly opts: LibvirtDriverOptions) {
    const u = parseLibvirtUri(opts.uri);
    this.uri = opts.uri;
    this.local = isLocalUri(opts.uri);
    this.qemu = u.driver === 'qemu';
    this.virsh = new Virsh({
      uri: opts.uri,
      queryTimeoutMs: opts.queryTimeoutMs,
      actionTimeoutMs: opts.actionTimeoutMs,
      file: opts.virshFile,
      runner: opts.runner,
    });
    this.configs = new ConfigCache(opts.configTtlMs ?? 30_000);
    if (this.local) this.imageInfo = (path) => imageInfo(path);
    this.deviceDeps = {
      virsh: this.virsh,
      local: this.local,
      persistentConfig: async (name) => (await this.persistent(name)).config,
      liveConfig: (name) => this.liveConfig(name),
      isRunning: async (name) => (await this.state(name)).state !== 'shutoff',
      otherConfigs: (name) => this.otherConfigs(name),
      changed: (name) => this.changed(name),
      images: { info: imageInfo, create: createImage, resize: resizeImage },
    };
  }

  // ---- events -------------------------------------------------------------------------------

  subscribe(listener: (event: DriverEvent) => void): () => void {
    this.listeners.add(listener);
    this.startStream();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) void this.stopStream();
    };
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

  /** Events the driver makes up itself are only needed when libvirt's own are not coming. */
  private emitUnlessStreamed(e: DriverEvent): void {
    if (!this.streamUp) this.emit(e);
  }

  private startStream(): void {
    if (this.stream) return;
    this.stream = new LineStream({
      file: this.opts.virshFile ?? 'virsh',
      args: this.virsh.argv(['event', '--all', '--loop', '--timestamp']),
      env: { LC_ALL: 'C', LANG: 'C' },
      onLine: (line) => {
        for (const ev of parseEventLine(line)) this.onEvent(ev);
      },
      onStart: ({ restarted }) => {
        this.streamUp = true;
        this.configs.setTtl(STREAM_CONFIG_TTL_MS);
        // events may have been missed while it was down
        if (restarted) this.forgetCaches();
      },
      onExit: () => {
        this.streamUp = false;
        this.configs.setTtl(this.opts.configTtlMs ?? 30_000);
      },
    });
    this.stream.start();
  }

  private async stopStream(): Promise<void> {
    const s = this.stream;
    this.stream = undefined;
    this.streamUp = false;
    this.configs.setTtl(this.opts.configTtlMs ?? 30_000);
    await s?.stop();
  }

  private onEvent(ev: DriverEvent): void {
    if (ev.kind === 'defined' || ev.kind === 'undefined') {
      this.configs.dropName(ev.name);
      this.liveDevices.delete(ev.name);
    } else if (ev.kind === 'state') {
      this.liveDevices.delete(ev.name);
      this.probed.delete(ev.name);
      if (ev.state === 'shutoff' || ev.state === 'running') this.transient.delete(ev.name);
    } else if (ev.event === 'DEVICE_DELETED' || ev.event === 'DEVICE_ADDED') {
      this.liveDevices.delete(ev.name);
    }
    this.emit(ev);
  }

  private forgetCaches(): void {
    this.configs.clear();
    this.liveDevices.clear();
  }

  private changed(name: string): void {
    this.configs.dropName(name);
    this.liveDevices.delete(name);
    this.probed.delete(name);
  }

  // ---- state helpers ------------------------------------------------------------------------

  /** libvirt's state plus what this process knows is under way (starting, shutting down). */
  private overlay(name: string, m: MappedState): MappedState {
    const t = this.transient.get(name);
    if (!t) return m;
    if (t.state === 'shutting down') {
      const grace = this.opts.shutdownGraceMs ?? 120_000;
      if (m.state !== 'running' || Date.now() - t.since > grace) {
        this.transient.delete(name);
        return m;
      }
    }
    return { ...m, state: t.state };
  }

  /**
   * A paused domain with no reason may be QEMU's internal-error stop, which libvirt does not name:
   * ask QEMU (qemu:// only). The answer is kept a while: a poller must not query every second.
   */
  private async refine(name: string, m: MappedState): Promise<MappedState> {
    if (!this.qemu || m.state !== 'paused' || m.reason !== 'unknown') return m;
    const hit = this.probed.get(name);
    if (hit && Date.now() - hit.at < PROBE_TTL_MS) return hit.state ?? m;
    let state: MappedState | undefined;
    try {
      const out = await this.virsh.call(['qemu-monitor-command', '--domain', name, '{"execute":"query-status"}'], { timeout: 5000 });
      const status = (JSON.parse(out) as { return?: { status?: string } }).return?.status;
      if (status === 'internal-error') state = { state: 'crashed', reason: 'internal-error', message: INTERNAL_ERROR_MESSAGE };
      if (status === 'guest-panicked') state = { state: 'crashed', reason: 'panicked', message: 'the guest kernel panicked (QMP status guest-panicked)' };
    } catch {
      /* no answer: keep what libvirt said */
    }
    this.probed.set(name, { state, at: Date.now() });
    return state ?? m;
  }

  private mapRecord(rec: DomStatsRecord | undefined): MappedState {
    if (!rec) return { state: 'shutoff' };
    return mapLibvirtState(numField(rec.fields, 'state.state') ?? 0, numField(rec.fields, 'state.reason') ?? 0);
  }

  /** One domain's state (NO_DOMAIN when it does not exist). */
  private async state(name: string): Promise<MappedState> {
    const out = await this.virsh.call(['domstats', '--raw', '--state', '--domain', name]);
    return this.refine(name, this.mapRecord(parseDomstats(out)[0]));
  }

  private summary(
    name: string,
    uuid: string,
    cfg: DomainConfig | undefined,
    rec: DomStatsRecord | undefined,
    st: MappedState,
    persistent: boolean,
    autostart: boolean,
  ): DomainSummary {
    const f = rec?.fields ?? new Map<string, string>();
    const s: DomainSummary = {
      connection: this.uri,
      name,
      uuid,
      state: st.state,
      type: cfg?.type ?? 'unknown',
      vcpus: numField(f, 'vcpu.current') ?? cfg?.vcpus ?? 0,
      memoryKiB: numField(f, 'balloon.maximum') ?? cfg?.memoryKiB ?? 0,
      currentMemoryKiB: numField(f, 'balloon.current') ?? cfg?.currentMemoryKiB ?? 0,
      persistent,
      autostart,
    };
    if (cfg?.title !== undefined) s.title = cfg.title;
    if (st.reason !== undefined && st.reason !== 'unknown') s.reason = st.reason;
    if (st.message !== undefined) s.message = st.message;
    return s;
  }

  // ---- configs ------------------------------------------------------------------------------

  private parseConfig(xml: string): DomainConfig | undefined {
    try {
      return parseDomainXml(xml).config;
    } catch {
      return undefined;
    }
  }

  /** Fills the config cache for these UUIDs, a batch of dumpxml calls per virsh process. */
  private async fetchConfigs(uuids: string[]): Promise<void> {
    for (let i = 0; i < uuids.length; i += XML_BATCH) {
      const chunk = uuids.slice(i, i + XML_BATCH).filter(isUuid);
      if (!chunk.length) continue;
      const { parts } = await this.virsh.batch(chunk.map((u) => `dumpxml --inactive --domain ${u}`));
      chunk.forEach((u, j) => {
        const xml = parts[j]?.trim();
        if (xml) this.configs.set(u, this.parseConfig(xml));
      });
    }
  }

  private async persistent(name: string): Promise<{ xml: string; config: DomainConfig }> {
    const xml = await this.virsh.call(['dumpxml', '--inactive', '--domain', name]);
    const config = parseDomainXml(xml).config;
    if (config.uuid) this.configs.set(config.uuid, config);
    return { xml, config };
  }

  private async liveConfig(name: string): Promise<DomainConfig> {
    return parseDomainXml(await this.virsh.call(['dumpxml', '--domain', name])).config;
  }

  private async devicesOf(name: string): Promise<LiveDevices> {
    const hit = this.liveDevices.get(name);
    if (hit && Date.now() - hit.at < LIVE_DEVICES_TTL_MS) return hit.devs;
    const cfg = await this.liveConfig(name);
    const devs: LiveDevices = {
      nics: cfg.interfaces.map((n) => ({ mac: n.mac ?? '', type: n.type, targetDev: n.targetDev })),
      balloon: cfg.memballoonModel !== undefined && cfg.memballoonModel !== 'none',
    };
    this.liveDevices.set(name, { devs, at: Date.now() });
    return devs;
  }

  private async otherConfigs(name: string): Promise<DomainConfig[]> {
    await this.listDomains();
    return this.configs.configs().filter((c) => c.name !== name);
  }

  // ---- Driver: domains ----------------------------------------------------------------------

  async listDomains(): Promise<DomainSummary[]> {
    const commands = [
      'list --all --uuid --name',
      'list --all --name --persistent',
      'list --all --name --autostart',
      'domstats --raw --nowait --state --vcpu --balloon',
    ];
    const { parts, stderr } = await this.virsh.batch(commands);
    const listed = parseUuidNameList(parts[0]!);
    if (listed.length === 0 && /error:/i.test(stderr)) throw this.batchError(stderr);
    let records = parseDomstats(parts[3]!);
    if (listed.length > 0 && records.length === 0 && /error:/i.test(stderr)) {
      // an older libvirt without --nowait: ask again without it
      records = parseDomstats(await this.virsh.call(['domstats', '--raw', '--state', '--vcpu', '--balloon']));
    }
    const persistent = new Set(parseNameList(parts[1]!));
    const autostart = new Set(parseNameList(parts[2]!));
    const byName = new Map(records.map((r) => [r.name, r]));

    const missing = listed.filter((d) => !this.configs.get(d.uuid)).map((d) => d.uuid);
    if (missing.length) await this.fetchConfigs(missing).catch(() => {});
    this.configs.retain(new Set(listed.map((d) => d.uuid)));

    return Promise.all(
      listed.map(async ({ uuid, name }) => {
        const rec = byName.get(name);
        const st = this.overlay(name, await this.refine(name, this.mapRecord(rec)));
        return this.summary(name, uuid, this.configs.get(uuid)?.config, rec, st, persistent.has(name), autostart.has(name));
      }),
    );
  }

  private batchError(stderr: string): KvmtuiError {
    const line = stderr
      .split('\n')
      .filter((l) => /^error:/i.test(l.trim()))
      .map((l) => l.trim().slice(6).trim());
    return new KvmtuiError('EXEC_FAILED', `cannot list domains on ${this.uri}: ${line.join(': ') || 'virsh failed'}`);
  }

  async getDomain(name: string): Promise<DomainDetails> {
    const [p, stats, info] = await Promise.all([
      this.persistent(name),
      this.virsh.call(['domstats', '--raw', '--state', '--vcpu', '--balloon', '--domain', name]),
      this.virsh.call(['dominfo', '--domain', name]),
    ]);
    const rec = parseDomstats(stats)[0];
    const kv = parseKeyValueLines(info);
    const st = this.overlay(name, await this.refine(name, this.mapRecord(rec)));
    const uuid = (kv.get('UUID') ?? p.config.uuid ?? '').toLowerCase();
    const s = this.summary(name, uuid, p.config, rec, st, kv.get('Persistent') === 'yes', kv.get('Autostart') === 'enable');
    return { ...s, xml: p.xml, config: p.config };
  }

  async dumpXml(name: string): Promise<string> {
    return this.virsh.call(['dumpxml', '--inactive', '--domain', name]);
  }

  async defineXml(xml: string): Promise<DomainSummary> {
    const doc = parseDomainXml(xml);
    const name = doc.config.name;
    if (!name) throw new KvmtuiError('INVALID_CONFIG', 'the domain XML has no <name>');
    let finalXml = xml;
    if (!doc.config.uuid) {
      // define replaces a domain of the same name: keep its UUID, as the local driver does
      // (libvirt would refuse a second UUID for the name)
      const r = await this.virsh.raw(['domuuid', '--domain', name]);
      const uuid = r.exitCode === 0 ? r.stdout.trim() : '';
      if (isUuid(uuid)) finalXml = doc.withUuid(uuid).toXml();
    }
    try {
      await withTempFile('domain.xml', finalXml, (file) => this.virsh.call(['define', '--file', file], { timeout: 'action' }));
    } catch (e) {
      // "Failed to define domain from /tmp/...: reason" -> name the domain, not the temp file
      if (isKvmtuiError(e)) {
        throw new KvmtuiError(e.code, e.message.replace(/^Failed to define domain from \S+?(: |$)/, `cannot define domain '${name}'$1`), { cause: e });
      }
      throw e;
    }
    this.changed(name);
    this.emitUnlessStreamed({ kind: 'defined', name });
    const d = await this.getDomain(name);
    const { xml: _xml, config: _config, ...summary } = d;
    return summary;
  }

  async undefine(name: string, opts: UndefineOptions = {}): Promise<void> {
    const cfg = opts.removeAllStorage && this.local ? (await this.persistent(name)).config : undefined;
    const args = ['undefine', '--domain', name, opts.removeAllStorage ? '--nvram' : '--keep-nvram'];
    if (opts.removeAllStorage) args.push('--remove-all-storage');
    await this.virsh.call(args, { timeout: 'action' });
    if (cfg) {
      // images outside any storage pool are left by libvirt ("not managed by libvirt"): on this
      // machine, remove them as the local driver does
      for (const d of cfg.disks) {
        if (d.device === 'disk' && d.type === 'file' && d.source) await rm(d.source, { force: true }).catch(() => {});
      }
    }
    this.changed(name);
    this.transient.delete(name);
    this.emitUnlessStreamed({ kind: 'undefined', name });
  }

  // ---- Driver: lifecycle --------------------------------------------------------------------

  async start(name: string): Promise<void> {
    const before = await this.state(name);
    if (before.state !== 'shutoff') {
      const what = before.state === 'running' ? 'running' : `active (${before.state})`;
      throw new KvmtuiError('INVALID_STATE', `domain '${name}' is already ${what}`);
    }
    this.transient.set(name, { state: 'starting', since: Date.now() });
    this.emit({ kind: 'state', name, state: 'starting' });
    try {
      await this.virsh.call(['start', '--domain', name], { timeout: 'action', fallbackCode: 'START_FAILED' });
    } catch (e) {
      this.transient.delete(name);
      const now = await this.state(name).catch(() => ({ state: 'shutoff' as const, reason: 'failed' }));
      this.emit({ kind: 'state', name, state: now.state, reason: now.reason });
      throw e;
    }
    this.transient.delete(name);
    this.liveDevices.delete(name);
    this.emitUnlessStreamed({ kind: 'state', name, state: 'running', reason: 'booted' });
  }

  async shutdown(name: string): Promise<void> {
    await this.virsh.call(['shutdown', '--domain', name], { timeout: 'action' });
    this.transient.set(name, { state: 'shutting down', since: Date.now() });
    this.emit({ kind: 'state', name, state: 'shutting down', reason: 'user' });
  }

  async destroy(name: string): Promise<void> {
    await this.virsh.call(['destroy', '--domain', name], { timeout: 'action' });
    this.transient.delete(name);
    this.emitUnlessStreamed({ kind: 'state', name, state: 'shutoff', reason: 'destroyed' });
  }

  async reboot(name: string): Promise<void> {
    await this.virsh.call(['reboot', '--domain', name], { timeout: 'action' });
  }

  async reset(name: string): Promise<void> {
    await this.virsh.call(['reset', '--domain', name], { timeout: 'action' });
  }

  async suspend(name: string): Promise<void> {
    // libvirt takes suspend of a paused domain as done; kvmtui says so, as the local driver does
    const st = await this.state(name);
    if (st.state === 'paused') throw new KvmtuiError('INVALID_STATE', `domain '${name}' is already paused`);
    if (st.state === 'shutoff') throw new KvmtuiError('INVALID_STATE', `domain '${name}' is not running`);
    await this.virsh.call(['suspend', '--domain', name], { timeout: 'action' });
    this.emitUnlessStreamed({ kind: 'state', name, state: 'paused', reason: 'user' });
  }

  async resume(name: string): Promise<void> {
    const st = await this.state(name);
    if (st.state === 'shutoff') throw new KvmtuiError('INVALID_STATE', `domain '${name}' is not running`);
    if (st.reason === 'internal-error') {
      throw new KvmtuiError('INVALID_STATE', `domain '${name}' stopped with an internal error and cannot resume: destroy it`);
    }
    if (st.state === 'running') throw new KvmtuiError('INVALID_STATE', `domain '${name}' is not paused`);
    await this.virsh.call(['resume', '--domain', name], { timeout: 'action' });
    this.emitUnlessStreamed({ kind: 'state', name, state: 'running', reason: 'unpaused' });
  }

  // ---- Driver: stats and console ------------------------------------------------------------

  async stats(name: string): Promise<StatsSample> {
    const time = Date.now();
    const [out, devs] = await Promise.all([
      this.virsh.call(['domstats', '--raw', '--domain', name]),
      this.devicesOf(name).catch(() => ({ nics: [], balloon: true }) as LiveDevices),
    ]);
    const rec = parseDomstats(out)[0];
    if (!rec) throw new KvmtuiError('EXEC_FAILED', `virsh domstats ${name}: no statistics in its output`);
    const sample = toStatsSample(name, rec.fields, devs, time);
    const st = await this.refine(name, this.mapRecord(rec));
    sample.state = this.overlay(name, st).state;
    return sample;
  }

  async hostStats(): Promise<HostStats> {
    if (this.local) return sampleHostStats();
    const { parts, stderr } = await this.virsh.batch(['nodecpustats', 'nodememstats', 'nodeinfo']);
    if (!parts[0]!.trim() && /error:/i.test(stderr)) throw this.batchError(stderr);
    return toHostStats(parseNodeCpuStats(parts[0]!), parseNodeMemStats(parts[1]!), parseNodeInfoCpus(parts[2]!) ?? 1);
  }

  async consoleEndpoint(name: string): Promise<ConsoleEndpoint> {
    const st = await this.state(name);
    if (st.state === 'shutoff') throw new KvmtuiError('INVALID_STATE', `domain '${name}' is not running`);
    // interactive: the operator's own URI (an ssh host may ask for a password in the console)
    return { kind: 'command', file: this.opts.virshFile ?? 'virsh', args: this.virsh.argv(['console', '--force', '--domain', name], this.uri) };
  }

  // ---- Driver: devices (libvirt-devices.ts) -------------------------------------------------

  attachDisk(name: string, spec: DiskAttachSpec, scope: ChangeScope): Promise<void> {
    return devices.attachDisk(this.deviceDeps, name, spec, scope);
  }
  detachDisk(name: string, target: string, scope: ChangeScope, opts?: { deleteImage?: boolean }): Promise<void> {
    return devices.detachDisk(this.deviceDeps, name, target, scope, opts);
  }
  blockResize(name: string, target: string, sizeBytes: number, opts?: { allowShrink?: boolean }): Promise<void> {
    return devices.blockResize(this.deviceDeps, name, target, sizeBytes, opts);
  }
  changeMedia(name: string, target: string, source: string | null, scope: ChangeScope): Promise<void> {
    return devices.changeMedia(this.deviceDeps, name, target, source, scope);
  }
  attachInterface(name: string, spec: InterfaceAttachSpec, scope: ChangeScope): Promise<{ mac: string }> {
    return devices.attachInterface(this.deviceDeps, name, spec, scope);
  }
  detachInterface(name: string, mac: string, scope: ChangeScope): Promise<void> {
    return devices.detachInterface(this.deviceDeps, name, mac, scope);
  }
  setLink(name: string, mac: string, state: 'up' | 'down', scope: ChangeScope): Promise<void> {
    return devices.setLink(this.deviceDeps, name, mac, state, scope);
  }
  async addPortForward(_name: string, _mac: string, _fwd: PortForward, _scope: ChangeScope): Promise<void> {
    throw devices.portForwardsUnsupported(this.deviceDeps);
  }
  async removePortForward(_name: string, _mac: string, _fwd: PortForward, _scope: ChangeScope): Promise<void> {
    throw devices.portForwardsUnsupported(this.deviceDeps);
  }

  /** Stops the event stream; never stops a domain. */
  async close(): Promise<void> {
    this.listeners.clear();
    await this.stopStream();
  }
}
