// `virsh domstats --raw` output: one "Domain: 'NAME'" line per domain, then "  key=value" lines.
// Also the plain `virsh list --name` / `list --uuid --name` outputs that go with it.

export interface DomStatsRecord {
  name: string;
  fields: Map<string, string>;
}

/** Parses `virsh domstats --raw`; lines it does not understand are skipped. */
export function parseDomstats(text: string): DomStatsRecord[] {
  const out: DomStatsRecord[] = [];
  let cur: DomStatsRecord | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('Domain: ')) {
      // the name is everything between the first and the last quote: names may contain quotes
      const first = line.indexOf("'");
      const last = line.lastIndexOf("'");
      cur = first >= 0 && last > first ? { name: line.slice(first + 1, last), fields: new Map() } : undefined;
      if (cur) out.push(cur);
      continue;
    }
    if (!cur) continue;
    const t = line.trim();
    const eq = t.indexOf('=');
    if (eq > 0) cur.fields.set(t.slice(0, eq), t.slice(eq + 1));
  }
  return out;
}

/** A numeric field, or undefined when absent or not a finite number. */
export function numField(fields: Map<string, string>, key: string): number | undefined {
  const v = fields.get(key);
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** `virsh list --name`: one name per line (names may contain spaces; blank lines are padding). */
export function parseNameList(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '');
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

/** `virsh list --uuid --name`: "UUID NAME" per line. */
export function parseUuidNameList(text: string): { uuid: string; name: string }[] {
  const out: { uuid: string; name: string }[] = [];
  for (const line of parseNameList(text)) {
    const sp = line.indexOf(' ');
    if (sp < 0) continue;
    const uuid = line.slice(0, sp);
    if (!isUuid(uuid)) continue;
    out.push({ uuid: uuid.toLowerCase(), name: line.slice(sp + 1) });
  }
  return out;
}

/** `virsh dominfo`: "Key:   value" lines. */
export function parseKeyValueLines(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    out.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return out;
}
