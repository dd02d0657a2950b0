// domstats and console.
import type { StatsSample } from '../driver/driver.js';
import { KvmtuiError } from '../driver/errors.js';
import { computeRates, type DomainRates } from '../store/rates.js';
import { validateDomainName } from '../domain/index.js';
import { attachRawConsole } from '../console/raw-attach.js';
import type { CliCommand } from './command.js';

/** virsh domstats style: one key=value per line */
export function formatDomstats(s: StatsSample): string {
  const lines = [`Domain: '${s.name}'`, `  state.state=${s.state}`];
  if (s.cpu) {
    lines.push(`  cpu.time=${s.cpu.processNs}`, `  vcpu.current=${s.cpu.vcpus}`);
    s.cpu.perVcpuNs.forEach((ns, i) => lines.push(`  vcpu.${i}.time=${ns}`));
  }
  if (s.memory) {
    lines.push(`  balloon.maximum=${s.memory.maxKiB}`);
    if (s.memory.balloonKiB !== undefined) lines.push(`  balloon.current=${s.memory.balloonKiB}`);
    if (s.memory.guestAvailableKiB !== undefined) lines.push(`  balloon.available=${s.memory.guestAvailableKiB}`);
    if (s.memory.guestFreeKiB !== undefined) lines.push(`  balloon.unused=${s.memory.guestFreeKiB}`);
    if (s.memory.rssKiB !== undefined) lines.push(`  balloon.rss=${s.memory.rssKiB}`);
    if (s.memory.note) lines.push(`  balloon.note=${s.memory.note}`);
  }
  lines.push(`  block.count=${s.disks.length}`);
  s.disks.forEach((d, i) => {
    lines.push(
      `  block.${i}.name=${d.target}`,
      `  block.${i}.rd.reqs=${d.rdOps}`,
      `  block.${i}.rd.bytes=${d.rdBytes}`,
      `  block.${i}.wr.reqs=${d.wrOps}`,
      `  block.${i}.wr.bytes=${d.wrBytes}`,
    );
  });
  lines.push(`  net.count=${s.nics.length}`);
  s.nics.forEach((n, i) => {
    lines.push(`  net.${i}.mac=${n.mac}`);
    if (n.hostDev) lines.push(`  net.${i}.name=${n.hostDev}`);
    if (n.rxBytes !== undefined) lines.push(`  net.${i}.rx.bytes=${n.rxBytes}`);
    if (n.txBytes !== undefined) lines.push(`  net.${i}.tx.bytes=${n.txBytes}`);
    if (n.note) lines.push(`  net.${i}.note=${n.note}`);
  });
  for (const [k, v] of Object.entries(s.kvm ?? {})) lines.push(`  kvm.${k}=${v}`);
  return lines.join('\n') + '\n';
}

function formatRates(r: DomainRates): string {
  const lines: string[] = [`  rates.interval_ms=${r.intervalMs}`];
  const put = (k: string, v: number | undefined) => {
    if (v !== undefined) lines.push(`  rates.${k}=${Number.isInteger(v) ? v : v.toFixed(2)}`);
  };
  for (const [k, v] of Object.entries(r.cpu ?? {})) if (typeof v === 'number') put(`cpu.${k}`, v);
  r.disks.forEach((d, i) => {
    for (const [k, v] of Object.entries(d)) if (typeof v === 'number') put(`block.${i}.${k}`, v);
  });
  r.nics.forEach((n, i) => {
    for (const [k, v] of Object.entries(n)) if (typeof v === 'number') put(`net.${i}.${k}`, v);
  });
  return lines.join('\n') + '\n';
}

export const statsCommands: CliCommand[] = [
  {
    verb: 'domstats',
    usage: 'domstats NAME [--json] [--interval SECONDS]',
    summary: 'counters (CPU time, balloon, block, net) and the rates the TUI shows over --interval (default 1 s)',
    flags: { boolean: ['json'], valued: ['interval'] },
    args: 1,
    async run(ctx, a) {
      const name = a.positionals[0];
      validateDomainName(name);
      const seconds = a.flags.interval === undefined ? 1 : Number(a.flags.interval);
      if (!Number.isFinite(seconds) || seconds < 0 || seconds > 60) {
        throw new KvmtuiError('INVALID_CONFIG', `--interval must be between 0 and 60 seconds, not '${a.flags.interval}'`);
      }
      // two samples, as the TUI's poller takes them, so the rates are the ones it would show
      const first = await ctx.driver().stats(name);
      let s = first;
      let rates: DomainRates | undefined;
      if (seconds > 0 && (first.state === 'running' || first.state === 'paused')) {
        await new Promise((r) => setTimeout(r, seconds * 1000));
        s = await ctx.driver().stats(name);
        rates = computeRates(first, s);
      }
      ctx.out(a.flags.json ? JSON.stringify({ ...s, rates }, null, 2) + '\n' : formatDomstats(s) + (rates ? formatRates(rates) : ''));
    },
  },
  {
    verb: 'console',
    usage: 'console NAME [--force]',
    summary: "attach this terminal to the domain's serial console (Ctrl-] leaves; --force takes it from another session)",
    args: 1,
    flags: { boolean: ['force'] },
    async run(ctx, a) {
      const name = a.positionals[0];
      validateDomainName(name);
      const ep = await ctx.driver().consoleEndpoint(name);
      await attachRawConsole(ep, process.stdin, process.stdout, {
        force: a.flags.force === true,
        // after the busy check; a console program (virsh) prints its own
        onAttach: () => process.stderr.write(`Connected to domain '${name}'\r\nEscape character is ^] (Ctrl + ])\r\n`),
      });
      process.stderr.write('\r\n');
    },
  },
];
