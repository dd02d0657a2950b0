// A streaming filter for guest output that goes to the operator's own terminal (the CLI's
// `console` verb). Only text and a known-harmless set of escape sequences pass: cursor movement,
// erase, colours, scroll regions. Titles, clipboard writes (OSC 52), device-control strings,
// terminal queries (which would make the operator's terminal type an answer), mouse modes and
// 8-bit C1 controls are dropped.
import { StringDecoder } from 'node:string_decoder';

const ALLOWED_CSI_FINALS = new Set('mABCDEFGHfdJKLMP@XrST'.split(''));
/** DEC private modes safe to toggle: cursor keys, autowrap, cursor visibility, alternate screen */
const ALLOWED_PRIVATE_MODES = new Set(['1', '7', '25', '47', '1047', '1048', '1049']);
const MAX_CSI_LENGTH = 64;

type State = 'ground' | 'esc' | 'csi' | 'string' | 'string-esc' | 'charset';

export class PassthroughFilter {
  private state: State = 'ground';
  private csi = '';
  private decoder = new StringDecoder('utf8');

  /** Feed raw guest bytes; returns the text that may be written to the operator's terminal. */
  push(chunk: Buffer): string {
    const text = this.decoder.write(chunk);
    let out = '';
    for (const ch of text) {
      const c = ch.codePointAt(0)!;
      switch (this.state) {
        case 'ground':
          if (c === 0x1b) this.state = 'esc';
          else if (c === 0x9b) this.startCsi();
          else if (c === 0x90 || c === 0x9d || c === 0x98 || c === 0x9e || c === 0x9f) this.state = 'string';
          else if (c === 0x0a || c === 0x0d || c === 0x09 || c === 0x08) out += ch;
          else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f)) {
            /* other control characters are dropped */
          } else out += ch;
          break;
        case 'esc':
          if (ch === '[') this.startCsi();
          else if (ch === ']' || ch === 'P' || ch === 'X' || ch === '^' || ch === '_') this.state = 'string';
          else if (ch === '(' || ch === ')' || ch === '*' || ch === '+') this.state = 'charset';
          else {
            if (ch === '7' || ch === '8' || ch === 'M' || ch === 'D' || ch === 'E') out += '\x1b' + ch;
            this.state = c === 0x1b ? 'esc' : 'ground';
          }
          break;
        case 'charset':
          this.state = 'ground'; // designations are dropped: the operator's charset stays as it is
          break;
        case 'csi':
          if (c >= 0x40 && c <= 0x7e) {
            out += this.finishCsi(ch);
            this.state = 'ground';
          } else if (c >= 0x20 && c <= 0x3f && this.csi.length < MAX_CSI_LENGTH) {
            this.csi += ch;
          } else if (c === 0x1b) {
            this.state = 'esc';
          } else if (this.csi.length >= MAX_CSI_LENGTH || c < 0x20 || c > 0x7e) {
            this.state = 'ground'; // malformed or hostile: drop the whole sequence
          }
          break;
        case 'string':
          // skip until BEL or ST (ESC \ or 0x9c)
          if (c === 0x07 || c === 0x9c) this.state = 'ground';
          else if (c === 0x1b) this.state = 'string-esc';
          break;
        case 'string-esc':
          this.state = ch === '\\' ? 'ground' : 'string';
          break;
      }
    }
    return out;
  }

  private startCsi(): void {
    this.state = 'csi';
    this.csi = '';
  }

  private finishCsi(final: string): string {
    const params = this.csi;
    if (/[^0-9;?]/.test(params)) return ''; // intermediates ($, >, space...) mark queries and reports
    if (final === 'h' || final === 'l') {
      if (!params.startsWith('?')) return '';
      const modes = params.slice(1).split(';');
      return modes.every((m) => ALLOWED_PRIVATE_MODES.has(m)) ? `\x1b[${params}${final}` : '';
    }
    if (params.startsWith('?')) return '';
    return ALLOWED_CSI_FINALS.has(final) ? `\x1b[${params}${final}` : '';
  }
}
