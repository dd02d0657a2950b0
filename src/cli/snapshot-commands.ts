// virsh's internal-snapshot verbs: snapshot-create-as, snapshot-list, snapshot-revert, snapshot-delete.
import type { Driver, SnapshotInfo } from '../driver/driver.js';
import { KvmtuiError } from '../driver/errors.js';
import { validateDomainName } from '../domain/index.js';
import type { CliCommand } from './command.js';
import { table } from './format.js';

type SnapshotDriver = Driver & Required<Pick<Driver, 'snapshotCreate' | 'snapshotList' | 'snapshotRevert' | 'snapshotDelete'>>;

function snapshotDriver(d: Driver): SnapshotDriver {
  if (!d.snapshotCreate || !d.snapshotList || !d.snapshotRevert || !d.snapshotDelete) {
    throw new KvmtuiError('NOT_SUPPORTED_BY_DRIVER', `snapshots are not supported on ${d.uri}`);
  }
  return d as SnapshotDriver;
}

function nameArg(raw: string): string {
  validateDomainName(raw);
  return raw;
}

/** virsh's creation-time format: 2024-05-01 12:34:56 +0000 (local time with its offset) */
export function formatSnapshotTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${sign}${p(Math.floor(abs / 60))}${p(abs % 60)}`;
}

const createAs: CliCommand = {
  verb: 'snapshot-create-as',
  usage: 'snapshot-create-as NAME SNAPNAME [--description TEXT]',
  summary: 'take an internal snapshot (running: disks and RAM; shut off: disks); every writable disk must be qcow2',
  flags: { valued: ['description', 'name'] },
  args: [1, 2],
  async run(ctx, a) {
    const name = nameArg(a.positionals[0]);
    const flagName = typeof a.flags.name === 'string' ? a.flags.name : undefined;
    if (flagName !== undefined && a.positionals[1] !== undefined) throw new KvmtuiError('INVALID_CONFIG', 'give SNAPNAME or --name, not both');
    const snap = flagName ?? a.positionals[1];
    if (snap === undefined) throw new KvmtuiError('INVALID_CONFIG', 'usage: kvmtui snapshot-create-as NAME SNAPNAME [--description TEXT]');
    const description = typeof a.flags.description === 'string' ? a.flags.description : undefined;
    const info = await snapshotDriver(ctx.driver()).snapshotCreate(name, snap, { description });
    ctx.out(`Domain snapshot ${info.name} created\n`);
  },
};

const list: CliCommand = {
  verb: 'snapshot-list',
  usage: 'snapshot-list NAME [--json]',
  summary: "list a domain's snapshots (name, creation time, the domain's state when taken)",
  flags: { boolean: ['json'] },
  args: 1,
  async run(ctx, a) {
    const snaps: SnapshotInfo[] = await snapshotDriver(ctx.driver()).snapshotList(nameArg(a.positionals[0]));
    if (a.flags.json) {
      ctx.out(JSON.stringify(snaps, null, 2) + '\n');
      return;
    }
    const rows = snaps.map((s) => [s.name, formatSnapshotTime(s.createdAt), s.state, s.description ?? '']);
    ctx.out(table(['Name', 'Creation Time', 'State', 'Description'], rows));
  },
};

const revert: CliCommand = {
  verb: 'snapshot-revert',
  usage: 'snapshot-revert NAME SNAPNAME',
  summary: 'go back to a snapshot (a running one needs the domain running, a shut-off one needs it shut off)',
  args: 2,
  async run(ctx, a) {
    const name = nameArg(a.positionals[0]);
    await snapshotDriver(ctx.driver()).snapshotRevert(name, a.positionals[1]);
    ctx.out(`Domain '${name}' reverted to snapshot ${a.positionals[1]}\n`);
  },
};

const del: CliCommand = {
  verb: 'snapshot-delete',
  usage: 'snapshot-delete NAME SNAPNAME',
  summary: 'delete a snapshot from every disk',
  args: 2,
  async run(ctx, a) {
    const name = nameArg(a.positionals[0]);
    await snapshotDriver(ctx.driver()).snapshotDelete(name, a.positionals[1]);
    ctx.out(`Domain snapshot ${a.positionals[1]} deleted\n`);
  },
};

export const snapshotCommands: CliCommand[] = [createAs, list, revert, del];
