// domstats and console.
import type { StatsSample } from '../driver/driver.js';
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

export const statsCommands: CliCommand[] = [
  {
    verb: 'domstats',
    usage: 'domstats NAME [--json]',
    summary: 'state, CPU time, balloon memory, block and network counters',
    flags: { boolean: ['json'] },
    args: 1,
    async run(ctx, a) {
      const name = a.positionals[0];
      validateDomainName(name);
      const s = await ctx.driver().stats(name);
      ctx.out(a.flags.json ? JSON.stringify(s, null, 2) + '\n' : formatDomstats(s));
    },
  },
  {
    verb: 'console',
    usage: 'console NAME',
    summary: "attach this terminal to the domain's serial console (Ctrl-] leaves)",
    args: 1,
    async run(ctx, a) {
      const name = a.positionals[0];
      validateDomainName(name);
      const ep = await ctx.driver().consoleEndpoint(name);
      process.stderr.write(`Connected to domain '${name}'\r\nEscape character is ^] (Ctrl + ])\r\n`);
      await attachRawConsole(ep, process.stdin, process.stdout);
      process.stderr.write('\r\n');
    },
  },
];
