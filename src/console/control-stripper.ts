// Streaming filter for console logs written as text: drops escape sequences (CSI, OSC, DCS,
// SOS/PM/APC, 8-bit C1 forms) and control characters, keeps newlines and tabs. Stateful, so a
// sequence split across two chunks is still removed. A log written this way can be `cat`ed
// safely: it cannot retitle, query or write the clipboard of the terminal that shows it.
import { safeText } from './safe-text.js';

type State = 'ground' | 'esc' | 'escInter' | 'csi' | 'str' | 'strEsc';

const ESC = 0x1b;
const BEL = 0x07;
const CAN = 0x18;
const SUB = 0x1a;

export class ControlStripper {
  private state: State = 'ground';
  private decoder = new TextDecoder('utf-8', { fatal: false });

  /** Feed raw bytes; returns the printable text they add. */
  push(bytes: Uint8Array): string {
    return this.filter(this.decoder.decode(bytes, { stream: true }));
  }

  private filter(text: string): string {
    let out = '';
    for (const ch of text) {
      const c = ch.codePointAt(0)!;
      if (c === CAN || c === SUB) {
        this.state = 'ground';
        continue;
      }
      switch (this.state) {
        case 'ground':
          if (c === ESC) this.state = 'esc';
          else if (c === 0x9b) this.state = 'csi';
          else if (c === 0x90 || c === 0x9d || c === 0x98 || c === 0x9e || c === 0x9f) this.state = 'str';
          else if (c === 0x0a || c === 0x09) out += ch;
          else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            // other controls (CR, BS, BEL, C1...) carry no text
          } else out += ch;
          break;
        case 'esc':
          if (c === 0x5b) this.state = 'csi'; // [
          else if (c === 0x5d || c === 0x50 || c === 0x58 || c === 0x5e || c === 0x5f) this.state = 'str'; // ] P X ^ _
          else if (c === ESC) this.state = 'esc';
          else if (c >= 0x20 && c <= 0x2f) this.state = 'escInter';
          else this.state = 'ground';
          break;
        case 'escInter':
          if (c >= 0x30 && c <= 0x7e) this.state = 'ground';
          else if (c === ESC) this.state = 'esc';
          break;
        case 'csi':
          if (c >= 0x40 && c <= 0x7e) this.state = 'ground';
          else if (c === ESC) this.state = 'esc';
          break;
        case 'str':
          if (c === BEL || c === 0x9c) this.state = 'ground';
          else if (c === ESC) this.state = 'strEsc';
          break;
        case 'strEsc':
          // ESC \ ends the string; any other ESC x starts a new sequence
          if (c === 0x5c) this.state = 'ground';
          else if (c === 0x5b) this.state = 'csi';
          else if (c === 0x5d || c === 0x50 || c === 0x58 || c === 0x5e || c === 0x5f) this.state = 'str';
          else this.state = 'ground';
          break;
      }
    }
    return keepNewlines(out);
  }
}

/** safeText() drops \n and \t too; a log keeps them. */
function keepNewlines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.split('\t').map(safeText).join('\t'))
    .join('\n');
}
