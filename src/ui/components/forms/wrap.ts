// Word wrap for the editors' longer lines (warnings, help, results).

/** Splits text into lines of at most `width` columns at spaces (a long word is cut). */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(8, width);
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if ([...candidate].length <= w) {
      line = candidate;
      continue;
    }
    if (line) out.push(line);
    line = word;
    while ([...line].length > w) {
      out.push([...line].slice(0, w).join(''));
      line = [...line].slice(w).join('');
    }
  }
  if (line || out.length === 0) out.push(line);
  return out;
}

