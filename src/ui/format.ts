// Text formatting for the UI: sizes, durations, percentages and fixed-width cells.
// Durations are coarse on purpose: a value that changed every second would rewrite its line
// on every tick.

export function formatMemoryKiB(kib: number): string {
  if (!Number.isFinite(kib) || kib < 0) return '-';
  const mib = kib / 1024;
  if (mib < 1024) return `${Math.round(mib)} MiB`;
  const gib = mib / 1024;
  return `${gib < 10 ? gib.toFixed(1).replace(/\.0$/, '') : Math.round(gib)} GiB`;
}

/** Uptime to the minute: "<1m", "42m", "3h07m", "2d04h". */
export function formatUptime(startedAt: number | undefined, now: number): string {
  if (startedAt === undefined) return '-';
  const min = Math.floor(Math.max(0, now - startedAt) / 60_000);
  if (min < 1) return '<1m';
  if (min < 60) return `${min}m`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h}h${String(min % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

export function formatPercent(pct: number | undefined): string {
  if (pct === undefined || !Number.isFinite(pct)) return '-';
  return pct < 100 ? `${pct.toFixed(1)}%` : `${Math.round(pct)}%`;
}

export function formatTime(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Cut to `width` columns with an ellipsis, then pad to exactly `width`. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const chars = [...text];
  const cut = chars.length > width ? chars.slice(0, Math.max(0, width - 1)).join('') + '…' : text;
  const pad = ' '.repeat(Math.max(0, width - [...cut].length));
  return align === 'left' ? cut + pad : pad + cut;
}
