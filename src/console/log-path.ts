// Where the logging key writes by default: one file per domain and start time.
import { join } from 'node:path';

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** e.g. DIR/web1-20250102-030405.log; the name is reduced to safe filename characters. */
export function consoleLogPath(dir: string, domain: string, at: Date = new Date()): string {
  const safe = domain.replace(/[^A-Za-z0-9._-]/g, '_') || 'console';
  return join(dir, `${safe}-${stamp(at)}.log`);
}
