// The virsh verbs for domains: list, define, undefine, dumpxml and the lifecycle actions.
import { readFile, stat } from 'node:fs/promises';
import { KvmtuiError } from '../driver/errors.js';
import type { Driver } from '../driver/driver.js';
import { validateDomainName } from '../domain/index.js';
import type { CliCommand } from './command.js';
import { table } from './format.js';

/** refuse '../x', NUL and friends before anything touches the disk */
function nameArg(raw: string): string {
  validateDomainName(raw);
  return raw;
}

const MAX_DEFINE_BYTES = 10 * 1024 * 1024;

function lifecycle(
  verb: string,
  summary: string,
  act: (d: Driver, name: string) => Promise<void>,
  done: (name: string) => string,
): CliCommand {
  return {
    verb,
    usage: `${verb} NAME`,
    summary,
    args: 1,
    async run(ctx, a) {
      const name = nameArg(a.positionals[0]);
      await act(ctx.driver(), name);
      ctx.out(done(name) + '\n');
    },
  };
}

export const domainCommands: CliCommand[] = [
  {
    verb: 'list',
    usage: 'list [--all] [--json]',
    summary: 'list running domains (--all: every defined domain)',
    flags: { boolean: ['all', 'json', 'inactive'] },
    args: 0,
    async run(ctx, a) {
      let doms = await ctx.driver().listDomains();
      if (a.flags.inactive) doms = doms.filter((d) => d.state === 'shutoff' || d.state === 'crashed');
      else if (!a.flags.all) doms = doms.filter((d) => d.state !== 'shutoff' && d.state !== 'crashed');
      if (a.flags.json) {
        ctx.out(JSON.stringify(doms, null, 2) + '\n');
        return;
      }
      const rows = doms.map((d) => [
        d.pid ? String(d.pid) : '-',
        d.name,
        d.state + (d.reason && d.state !== 'running' ? ` (${d.reason})` : ''),
        d.message ?? '',
      ]);
      ctx.out(table(['Pid', 'Name', 'State', 'Note'], rows));
    },
  },
  {
    verb: 'define',
    usage: 'define FILE',
    summary: 'define (or update) a domain from libvirt XML',
    args: 1,
    async run(ctx, a) {
      const file = a.positionals[0];
      let st;
      try {
        st = await stat(file);
      } catch {
        throw new KvmtuiError('FILE_MISSING', `${file}: no such file`);
      }
      if (!st.isFile()) throw new KvmtuiError('FILE_MISSING', `${file}: not a regular file`);
      if (st.size > MAX_DEFINE_BYTES) {
        throw new KvmtuiError('INVALID_XML', `${file}: ${st.size} bytes is too large for a domain XML document (limit ${MAX_DEFINE_BYTES})`);
      }
      const dom = await ctx.driver().defineXml(await readFile(file, 'utf8'));
      ctx.out(`Domain '${dom.name}' defined from ${file}\n`);
    },
  },
  {
    verb: 'undefine',
    usage: 'undefine NAME [--remove-all-storage]',
    summary: 'remove a domain definition (optionally its disk images)',
    flags: { boolean: ['remove-all-storage'] },
    args: 1,
    async run(ctx, a) {
      const name = nameArg(a.positionals[0]);
      await ctx.driver().undefine(name, { removeAllStorage: !!a.flags['remove-all-storage'] });
      ctx.out(`Domain '${name}' has been undefined\n`);
    },
  },
  {
    verb: 'dumpxml',
    usage: 'dumpxml NAME',
    summary: "print a domain's XML",
    args: 1,
    async run(ctx, a) {
      const xml = await ctx.driver().dumpXml(nameArg(a.positionals[0]));
      ctx.out(xml.endsWith('\n') ? xml : xml + '\n');
    },
  },
  lifecycle('start', 'start a domain', (d, n) => d.start(n), (n) => `Domain '${n}' started`),
  lifecycle('shutdown', 'ask the guest to power off (ACPI)', (d, n) => d.shutdown(n), (n) => `Domain '${n}' is being shutdown`),
  lifecycle('destroy', 'force a domain off at once', (d, n) => d.destroy(n), (n) => `Domain '${n}' destroyed`),
  lifecycle('reboot', 'ACPI reboot: the guest goes down and boots again', (d, n) => d.reboot(n), (n) => `Domain '${n}' is being rebooted`),
  lifecycle('reset', 'hard reset, like the reset button', (d, n) => d.reset(n), (n) => `Domain '${n}' was reset`),
  lifecycle('suspend', 'pause a domain', (d, n) => d.suspend(n), (n) => `Domain '${n}' suspended`),
  lifecycle('resume', 'resume a paused domain', (d, n) => d.resume(n), (n) => `Domain '${n}' resumed`),
];
