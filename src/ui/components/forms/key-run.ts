// A terminal hands over keys typed faster than a render (or pasted) as one chunk: "\x7f\x7f\x7f",
// "64M\r". Ink reports such a chunk as plain input with no key flags, so a form would drop it
// whole. Split it into what each key would have been on its own: printable runs stay together
// (a pasted path is one edit), control characters become their keys.

export interface RunKey {
  input: string;
  key: { return?: boolean; tab?: boolean; backspace?: boolean; ctrl?: boolean };
}

/** The keys of a chunk; a single key, or anything with an escape sequence, comes back as it was. */
export function splitKeyRun(input: string): RunKey[] | null {
  if ([...input].length <= 1 || input.includes('\x1b')) return null;
  if (!/[\u0000-\u001f\u007f]/.test(input)) return null; // plain text: one edit already
  const out: RunKey[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ input: text, key: {} });
    text = '';
  };
  for (const ch of input) {
    const code = ch.charCodeAt(0);
    if (code >= 0x20 && code !== 0x7f) {
      text += ch;
      continue;
    }
    flush();
    if (ch === '\r' || ch === '\n') out.push({ input: '', key: { return: true } });
    else if (ch === '\t') out.push({ input: '', key: { tab: true } });
    else if (ch === '\x7f' || ch === '\b') out.push({ input: '', key: { backspace: true } });
    else if (code >= 1 && code <= 26) out.push({ input: String.fromCharCode(code + 96), key: { ctrl: true } });
  }
  flush();
  return out;
}
