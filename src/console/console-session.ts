// One serial console: guest output -> a headless terminal emulator -> snapshots of safe, styled
// text for the pane; operator keys -> the guest.
//
// Where output comes from: at attach, QEMU's chardev log is replayed up to its size at that
// moment (what the guest printed before anyone attached, or while we were away), then the live
// link (the serial socket, or `virsh console` on a pseudo-terminal) is the source. The log is
// not followed while attached: QEMU writes a byte to it again when a socket write is retried, so
// it holds stray duplicates the socket does not. While another console holds the socket (see
// console-owner.ts), the log is followed read-only instead, so output still shows.
import type { ConsoleEndpoint } from '../driver/driver.js';
import { KvmtuiError, errorMessage } from '../driver/errors.js';
import { connectUnixLink, spawnCommandLink, type ConsoleLink } from './console-link.js';
import { claimOwner, describeOwner, otherOwner, releaseOwner, type ConsoleOwner } from './console-owner.js';
import { findInBuffer, type BufferMatch, type SearchDirection } from './buffer-search.js';
import { ConsoleFileLog, type ConsoleLogFormat } from './file-log.js';
import { keyToBytes, type InkKeyLike } from './key-bytes.js';
import { LogTail } from './log-tail.js';
import { renderViewport, type ConsoleLine } from './screen-lines.js';
import { createEmulator, isCursorHidden, type Terminal } from './xterm.js';
import type { IMarker } from '@xterm/headless';

export type ConsoleStatus = 'connecting' | 'connected' | 'disconnected' | 'closed';

export interface ConsoleSessionOptions {
  /** domain name, for titles and status lines */
  name: string;
  /** asked at open and at every reattach (the endpoint can change when the domain restarts) */
  getEndpoint: () => Promise<ConsoleEndpoint>;
  cols?: number;
  rows?: number;
  /** scrollback lines kept by the emulator (memory is bounded by this), default 10,000 */
  scrollback?: number;
  /** how much of the log to replay at attach, default 2 MiB (more than the scrollback holds) */
  replayBytes?: number;
  /** at most one update notification per this many ms (default 50: 20 frames/s) */
  frameMs?: number;
  /** bytes handed to the emulator at once, default 16 KiB; the event loop turns between chunks */
  chunkBytes?: number;
  /** when the log runs this far ahead of the emulator, skip to near its end, default 8 MiB */
  maxBacklogBytes?: number;
  /** retry attaching every this many ms while disconnected; 0 = only on reattach(), default 1000 */
  reconnectMs?: number;
  /** this process's pid in the socket's owner file (tests pretend to be another process) */
  pid?: number;
  /** for the time in status lines (tests pin it) */
  now?: () => Date;
}

export interface ConsoleSnapshot {
  name: string;
  /** increases with every published change */
  version: number;
  cols: number;
  rows: number;
  /** exactly `rows` lines of printable text with style attributes */
  lines: ConsoleLine[];
  status: ConsoleStatus;
  /** one line for the status (why disconnected, errors from logging...) */
  message?: string;
  /** lines the view is scrolled back from the live bottom (0: following the output) */
  scrollOffset: number;
  /** lines of history above the screen */
  scrollbackLines: number;
  /** file the console is being logged to */
  loggingTo?: string;
  /**
   * found: a match is highlighted; end: the last repeat (n/N) found no more in that direction
   * and the match before it stays highlighted
   */
  search?: { query: string; found: boolean; end?: SearchDirection };
  /** guest bytes fed to the emulator so far */
  bytesIn: number;
  /** guest bytes skipped because they came faster than the emulator could take them */
  bytesSkipped: number;
  /** the guest switched to the alternate screen (full-screen program) */
  alternateScreen: boolean;
}

type Listener = () => void;

const DEFAULTS = {
  cols: 80,
  rows: 24,
  scrollback: 10_000,
  replayBytes: 2 * 1024 * 1024,
  frameMs: 50,
  chunkBytes: 16 * 1024,
  maxBacklogBytes: 8 * 1024 * 1024,
  reconnectMs: 1000,
};

/** a command console (virsh) that ends this soon after it started failed to attach: back off */
const QUICK_EXIT_MS = 3000;
/** the longest wait between attempts to run a failing console command */
const MAX_COMMAND_RETRY_MS = 30_000;
/** after connecting: how long the guest's bytes around the attach take to arrive */
const ATTACH_SETTLE_MS = 20;

/** pause the live link (back-pressure to the guest) above this much queued */
const LINK_QUEUE_HIGH = 1024 * 1024;
/** the pump busy this long without a pause counts as a flood */
const FLOOD_AFTER_MS = 500;
/** look at the socket's owner file (taken over?) and, while following it, the log this often */
const POLL_MS = 250;

export class ConsoleSession {
  readonly name: string;
  private readonly opts: Required<Omit<ConsoleSessionOptions, 'name' | 'getEndpoint'>>;
  private readonly getEndpoint: () => Promise<ConsoleEndpoint>;
  private readonly term: Terminal;

  private status: ConsoleStatus = 'connecting';
  private message: string | undefined;
  /** the live connection, once attached */
  private link: ConsoleLink | null = null;
  /** live bytes are held back until the attach has removed what the log replay already showed */
  private liveReady = false;
  /** the socket path this session claimed in its owner file */
  private ownedSocket: string | null = null;
  /** another console holds the socket: who */
  private blockedBy: ConsoleOwner | null = null;
  private log: LogTail | null = null;
  /** the log to read once the current one is read to its end (the domain restarted) */
  private nextLog: LogTail | null | undefined = undefined;
  /** live output received, not yet fed */
  private queue: Buffer[] = [];
  private queued = 0;
  /** command consoles: when the program started, and how many ended at once in a row */
  private linkStarted = 0;
  private quickExits = 0;
  private notices: string[] = [];

  private pumping = false;
  private pumpAgain = false;
  /** whether the chunk being parsed is live output (answers go back) or replay */
  private answering = false;
  private bytesIn = 0;
  private bytesSkipped = 0;
  /** consecutive full chunks read from the log */
  private fullChunks = 0;

  private attaching: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private frameTimer: NodeJS.Timeout | null = null;
  private lastFrame = 0;
  /** when the pump last started a busy stretch (0: idle) */
  private busySince = 0;
  private idleWaiters: Array<() => void> = [];

  private anchor: IMarker | null = null;
  private searchState: { query: string; match: BufferMatch | null; end?: SearchDirection } | null = null;
  private fileLog: ConsoleFileLog | null = null;

  private listeners = new Set<Listener>();
  private version = 0;
  private cached: ConsoleSnapshot | null = null;
  private everAttached = false;

  constructor(opts: ConsoleSessionOptions) {
    this.name = opts.name;
    this.getEndpoint = opts.getEndpoint;
    this.opts = {
      cols: opts.cols ?? DEFAULTS.cols,
      rows: opts.rows ?? DEFAULTS.rows,
      scrollback: opts.scrollback ?? DEFAULTS.scrollback,
      replayBytes: opts.replayBytes ?? DEFAULTS.replayBytes,
      frameMs: opts.frameMs ?? DEFAULTS.frameMs,
      chunkBytes: opts.chunkBytes ?? DEFAULTS.chunkBytes,
      maxBacklogBytes: opts.maxBacklogBytes ?? DEFAULTS.maxBacklogBytes,
      reconnectMs: opts.reconnectMs ?? DEFAULTS.reconnectMs,
      pid: opts.pid ?? process.pid,
      now: opts.now ?? (() => new Date()),
    };
    this.term = createEmulator(this.opts);
    // answers to the guest's terminal queries (cursor position, device attributes...) go back to
    // the guest, as from a real terminal, but only for output it sent while we are attached
    this.term.onData((data) => this.answer(Buffer.from(data, 'utf8')));
    this.term.onBinary((data) => this.answer(Buffer.from(data, 'latin1')));
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  /** Attach: replay the log, then follow live output. Resolves once the first attempt is over. */
  async open(): Promise<void> {
    if (this.status === 'closed') throw new KvmtuiError('INVALID_STATE', `console ${this.name} is closed`);
    await this.attach();
  }

  /** Try to attach again now (e.g. after the domain was started). */
  async reattach(): Promise<void> {
    if (this.status === 'closed' || this.status === 'connected') return;
    await this.attach();
  }

  /** Detach for good: the socket, timers, the log file. Never affects the domain. */
  async close(): Promise<void> {
    if (this.status === 'closed') return;
    this.setStatus('closed', undefined);
    this.clearTimers();
    this.dropLink();
    await this.stopLogging();
    await this.log?.close();
    await this.nextLog?.close();
    this.log = null;
    this.nextLog = undefined;
    this.anchor?.dispose();
    this.term.dispose();
    this.listeners.clear();
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private clearTimers(): void {
    for (const t of [this.reconnectTimer, this.pollTimer, this.frameTimer]) if (t) clearTimeout(t);
    this.reconnectTimer = this.pollTimer = this.frameTimer = null;
  }

  /** Close the live link from our side and give up the socket's owner file. */
  private dropLink(): void {
    this.link?.close();
    this.link = null;
    this.liveReady = false;
    if (this.ownedSocket) releaseOwner(this.ownedSocket, this.opts.pid);
    this.ownedSocket = null;
  }

  private attach(): Promise<void> {
    if (!this.attaching) {
      this.attaching = this.doAttach().finally(() => {
        this.attaching = null;
      });
    }
    return this.attaching;
  }

  private async doAttach(): Promise<void> {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    let ep: ConsoleEndpoint;
    try {
      ep = await this.getEndpoint();
    } catch (e) {
      this.detached(errorMessage(e));
      return;
    }
    if (this.isClosed()) return;
    if (!this.everAttached) this.setStatus('connecting', undefined);
    if (ep.kind === 'command') return this.attachCommand(ep.file, ep.args);
    const log = await this.chooseLog(ep.logPath);
    if (this.isClosed()) return;
    this.startPolling();
    const owner = otherOwner(ep.socketPath, this.opts.pid);
    if (owner) {
      // someone else types into this console: show its output from the log, wait for it to leave
      this.blockedBy = owner;
      this.followLogs();
      this.detached(`${this.name}: console in use by ${describeOwner(owner)}; showing its output, keys are not sent`);
      return;
    }
    this.blockedBy = null;
    // hold the replay where it is until the attach knows where the live bytes begin
    if (log) log.limit = log.offset;
    claimOwner(ep.socketPath, 'tui', this.opts.pid);
    this.ownedSocket = ep.socketPath;
    const before = log ? await log.size() : 0;
    let link: ConsoleLink;
    try {
      link = await connectUnixLink(ep.socketPath, {
        onData: (chunk) => this.onLinkData(link, chunk),
        onClose: () => this.onLinkClose(link),
      });
    } catch (e) {
      this.dropLink();
      this.detached(`${this.name}: console not reachable (${errorMessage(e)})`);
      return;
    }
    if (this.isClosed()) {
      link.close();
      return;
    }
    this.link = link;
    this.liveReady = false;
    this.everAttached = true;
    // replay the log up to now; bytes printed between `before` and now reached both the log and
    // the socket: drop them from the socket's side once they have arrived
    const replayEnd = log ? await log.size() : 0;
    if (log) log.limit = replayEnd;
    this.setStatus('connected', undefined);
    this.kick();
    if (log && replayEnd > before) {
      await new Promise((r) => setTimeout(r, ATTACH_SETTLE_MS));
      if (this.link !== link) return;
      const from = Math.max(before, replayEnd - 64 * 1024);
      const tail = await log.readAt(from, replayEnd - from);
      this.dropQueued(overlap(tail, Buffer.concat(this.queue)));
    }
    this.liveReady = true;
    this.kick();
  }

  private async attachCommand(file: string, args: string[]): Promise<void> {
    // no log: what the program shows is all there is
    this.followLogs();
    let link: ConsoleLink;
    try {
      link = await spawnCommandLink(file, args, { cols: this.term.cols, rows: this.term.rows }, {
        onData: (chunk) => this.onLinkData(link, chunk),
        onClose: (why) => this.onLinkClose(link, why),
      });
    } catch (e) {
      this.quickExits++;
      this.detached(errorMessage(e));
      return;
    }
    if (this.isClosed()) {
      link.close();
      return;
    }
    this.link = link;
    this.liveReady = true;
    this.everAttached = true;
    this.linkStarted = Date.now();
    this.setStatus('connected', undefined);
    this.kick();
  }

  /** Drop the first `n` queued live bytes. */
  private dropQueued(n: number): void {
    while (n > 0 && this.queue.length) {
      const head = this.queue[0];
      if (head.length <= n) {
        this.queue.shift();
        this.queued -= head.length;
        n -= head.length;
      } else {
        this.queue[0] = head.subarray(n);
        this.queued -= n;
        n = 0;
      }
    }
  }

  /** Without a live link: read every log to its end, as it grows. */
  private followLogs(): void {
    if (this.log) this.log.limit = Number.POSITIVE_INFINITY;
    if (this.nextLog) this.nextLog.limit = Number.POSITIVE_INFINITY;
  }

  /** One timer while open: notice a takeover of the socket, and read a followed log as it grows. */
  private startPolling(): void {
    if (this.pollTimer || this.isClosed()) return;
    this.pollTimer = setInterval(() => this.poll(), POLL_MS);
    this.pollTimer.unref?.();
  }

  private poll(): void {
    if (this.isClosed()) return;
    const sock = this.ownedSocket;
    if (sock && this.link?.kind === 'unix') {
      const other = otherOwner(sock, this.opts.pid);
      if (other) this.takenOver(other);
    }
    if (!this.link) this.kick();
  }

  /** `kvmtui console --force` took the socket: let go of it and follow the log meanwhile. */
  private takenOver(by: ConsoleOwner): void {
    const log = this.log;
    this.link?.close();
    this.link = null;
    this.liveReady = false;
    this.ownedSocket = null; // the owner file is the other console's now
    this.blockedBy = by;
    const at = this.opts.now().toTimeString().slice(0, 8);
    this.notices.push(`${this.name}: console taken over by ${describeOwner(by)} at ${at}`);
    void this.skipLogToEnd(log).then(() => {
      this.followLogs();
      this.detached(`${this.name}: console in use by ${describeOwner(by)}; showing its output, keys are not sent`);
      this.kick();
    });
  }

  /** What the log holds now came through the link already: continue the log after it. */
  private async skipLogToEnd(log: LogTail | null): Promise<void> {
    if (!log) return;
    const size = await log.size();
    if (size > log.offset) log.offset = size;
  }

  /**
   * The log to follow for this attach. The same file continues at our offset (what the guest
   * printed while we were away is shown); a new file (the domain restarted and the driver
   * rotated the log) is followed once the old one is read to its end.
   */
  private async chooseLog(logPath: string | undefined): Promise<LogTail | null> {
    const current = this.nextLog !== undefined ? this.nextLog : this.log;
    if (current && current.path === logPath && !(await current.replaced())) return current;
    let next: LogTail | null = null;
    if (logPath) {
      const tail = new LogTail(logPath);
      if (await tail.open(this.opts.replayBytes)) next = tail;
    }
    if (this.nextLog) await this.nextLog.close();
    if (this.log) this.nextLog = next;
    else this.log = next;
    return next;
  }

  private detached(message: string): void {
    if (this.status === 'closed') return;
    this.setStatus('disconnected', message);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.status === 'closed' || this.opts.reconnectMs <= 0 || this.reconnectTimer) return;
    // a console program that keeps failing (no TTY, refused, busy) is retried less and less often
    const wait = Math.min(MAX_COMMAND_RETRY_MS, this.opts.reconnectMs * 2 ** Math.min(this.quickExits, 10));
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.attach().catch(() => {});
    }, Math.max(this.opts.reconnectMs, wait));
    this.reconnectTimer.unref?.();
  }

  private onLinkData(link: ConsoleLink, chunk: Buffer): void {
    if (this.link !== link) return;
    this.queue.push(chunk);
    this.queued += chunk.length;
    // back-pressure: a flooding guest waits for the emulator instead of filling memory
    if (this.queued > LINK_QUEUE_HIGH) link.pause();
    this.kick();
  }

  private onLinkClose(link: ConsoleLink, why?: string): void {
    if (this.link !== link) return;
    const log = this.log;
    this.link = null;
    if (this.ownedSocket) releaseOwner(this.ownedSocket, this.opts.pid);
    this.ownedSocket = null;
    if (this.status === 'closed') return;
    const at = this.opts.now().toTimeString().slice(0, 8);
    const command = link.kind === 'command';
    if (command) this.quickExits = Date.now() - this.linkStarted < QUICK_EXIT_MS ? this.quickExits + 1 : 0;
    const reason = command ? (why ?? 'the console program ended') : 'the domain stopped';
    // fed after the last output (the pump drains the queue first)
    this.notices.push(`${this.name}: console closed at ${at} (${reason})`);
    void this.skipLogToEnd(log).then(() => {
      // from now on the log shows what is printed while we are away (a new run appends to it)
      this.followLogs();
      this.detached(command ? `${reason}: attaching again` : 'stopped: reattaches when it runs again');
      this.kick();
    });
  }

  // ---- guest output -> emulator ----------------------------------------------------------------

  /** Start the pump unless it runs; if it runs, make it look again when done. */
  private kick(): void {
    if (this.status === 'closed') return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    void this.pump().finally(() => {
      this.pumping = false;
      if (this.pumpAgain && this.status !== 'closed') {
        this.pumpAgain = false;
        this.kick();
      } else {
        this.busySince = 0;
        for (const w of this.idleWaiters.splice(0)) w();
      }
    });
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        if (this.status === 'closed') return;
        this.pumpAgain = false;
        // the log first: it holds what was printed before the live bytes
        const log = this.log;
        let exhausted = true;
        if (log && log.offset < log.limit) {
          // following a log that may be far ahead (a flood while another console holds the
          // socket): look at its size now and then (fstat on every chunk costs in a flood)
          if (log.limit === Number.POSITIVE_INFINITY && this.fullChunks % 8 === 0) await this.skipIfFarBehind(log);
          const chunk = await log.read(Math.min(this.opts.chunkBytes, log.limit - log.offset));
          if (chunk) {
            this.fullChunks = chunk.bytes.length === this.opts.chunkBytes ? this.fullChunks + 1 : 0;
            await this.feed(chunk.bytes, false);
            continue;
          }
          this.fullChunks = 0;
        } else if (log) {
          exhausted = log.limit !== Number.POSITIVE_INFINITY;
        }
        if (this.nextLog !== undefined && exhausted) {
          // the old log is read to its end: switch to the new one
          await log?.close();
          this.log = this.nextLog;
          this.nextLog = undefined;
          continue;
        }
        if (this.queue.length && this.liveReady) {
          const chunk = this.queue.shift()!;
          this.queued -= chunk.length;
          if (this.queued < LINK_QUEUE_HIGH / 4) this.link?.resume();
          await this.feed(chunk, this.link !== null);
          continue;
        }
        const notice = this.notices.shift();
        if (notice !== undefined) {
          await this.feedNotice(notice);
          continue;
        }
        if (!this.pumpAgain) return;
      }
    } catch (e) {
      if (this.status !== 'closed') this.message = `${this.name}: console read failed: ${errorMessage(e)}`;
    }
  }

  private async skipIfFarBehind(log: LogTail): Promise<void> {
    const size = await log.size();
    if (size - log.offset <= this.opts.maxBacklogBytes) return;
    const skipped = await log.skipTo(size, this.opts.chunkBytes * 2);
    this.bytesSkipped += skipped;
    if (skipped > 0) await this.feedNotice(`${this.name}: output too fast, skipped ${skipped} bytes`);
  }

  private feed(bytes: Uint8Array, live: boolean): Promise<void> {
    this.bytesIn += bytes.length;
    this.fileLog?.write(bytes);
    return this.writeToEmulator(bytes, live);
  }

  private writeToEmulator(data: Uint8Array | string, live: boolean): Promise<void> {
    return new Promise((resolve) => {
      if (this.status === 'closed') return resolve();
      this.answering = live;
      this.term.write(data, () => {
        this.answering = false;
        this.changed();
        resolve();
      });
    });
  }

  /** A line of our own in the scrollback, in reverse video, starting on a fresh line. */
  private feedNotice(text: string): Promise<void> {
    const fresh = this.term.buffer.active.cursorX > 0 ? '\r\n' : '';
    // CAN abandons any escape sequence the guest left open; SGR 0 drops its colours
    return this.writeToEmulator(`\x18\x1b[0m${fresh}\x1b[7m ${text.replace(/[\x00-\x1f\x7f-\x9f]/g, '')} \x1b[0m\r\n`, false);
  }

  private answer(bytes: Buffer): void {
    if (!this.answering || !this.link) return;
    this.link.write(bytes);
  }

  /** Resolves when everything read so far has been fed. */
  waitIdle(): Promise<void> {
    if (!this.pumping || this.status === 'closed') return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Read what the log holds now, feed it, publish, and return the snapshot (tests, benchmarks). */
  async settle(): Promise<ConsoleSnapshot> {
    this.kick();
    await this.waitIdle();
    if (this.status !== 'closed') this.publish();
    return this.snapshot();
  }

  // ---- operator input --------------------------------------------------------------------------

  /** Send bytes to the guest as typed. False when not attached. Snaps the view to the bottom. */
  write(data: string | Uint8Array): boolean {
    if (!this.link || this.status !== 'connected') return false;
    this.link.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data));
    if (this.anchor) this.scrollToBottom();
    return true;
  }

  /** Send one Ink key event (see key-bytes.ts); false when it maps to nothing or not attached. */
  sendKey(input: string, key: InkKeyLike): boolean {
    const bytes = keyToBytes(input, key, { applicationCursorKeys: this.term.modes.applicationCursorKeysMode });
    if (!bytes) return false;
    return this.write(bytes);
  }

  // ---- size, scrolling, search -----------------------------------------------------------------

  resize(cols: number, rows: number): void {
    cols = Math.max(2, Math.floor(cols));
    rows = Math.max(1, Math.floor(rows));
    if (this.status === 'closed' || (cols === this.term.cols && rows === this.term.rows)) return;
    this.term.resize(cols, rows);
    // a program on a pseudo-terminal (virsh console) learns the new size too
    this.link?.resize(cols, rows);
    this.publishNow();
  }

  private viewTop(): number {
    const buf = this.term.buffer.active;
    if (!this.anchor) return buf.baseY;
    if (this.anchor.isDisposed) return 0; // the anchored line scrolled out of the scrollback
    return Math.min(Math.max(0, this.anchor.line), buf.baseY);
  }

  private setViewTop(top: number): void {
    const buf = this.term.buffer.active;
    top = Math.min(Math.max(0, Math.floor(top)), buf.baseY);
    this.anchor?.dispose();
    this.anchor = null;
    if (top < buf.baseY) {
      this.anchor = this.term.registerMarker(top - (buf.baseY + buf.cursorY)) ?? null;
    }
    this.publishNow();
  }

  /** Scroll by lines: negative = back into history. */
  scrollLines(delta: number): void {
    this.setViewTop(this.viewTop() + delta);
  }

  /** Scroll by pages (a page is the screen height minus one line of context). */
  scrollPages(pages: number): void {
    this.scrollLines(pages * Math.max(1, this.term.rows - 1));
  }

  scrollToTop(): void {
    this.setViewTop(0);
  }

  scrollToBottom(): void {
    this.setViewTop(Number.MAX_SAFE_INTEGER);
  }

  /**
   * Find `query` in the scrollback and move the view there. 'prev' searches towards older
   * output, 'next' towards newer, continuing from the current match. False when not found.
   */
  find(query: string, direction: SearchDirection = 'prev'): boolean {
    const prev = this.searchState;
    let from: { line: number; index: number };
    if (prev?.match && prev.query === query) {
      from = { line: prev.match.line, index: prev.match.index };
    } else if (direction === 'prev') {
      from = { line: this.viewTop() + this.term.rows - 1, index: Number.MAX_SAFE_INTEGER };
    } else {
      from = { line: this.viewTop(), index: -1 };
    }
    const match = findInBuffer(this.term, query, direction, from);
    // no further match: the one before stays highlighted (and the title says it was the last)
    const kept = !match && prev?.query === query ? prev.match : null;
    this.searchState = { query, match: match ?? kept };
    if (kept) this.searchState.end = direction;
    if (match) {
      const top = this.viewTop();
      if (match.line < top || match.line >= top + this.term.rows) {
        this.setViewTop(match.line - Math.floor(this.term.rows / 3));
        return true;
      }
    }
    this.publishNow();
    return match !== null;
  }

  clearSearch(): void {
    if (!this.searchState) return;
    this.searchState = null;
    this.publishNow();
  }

  // ---- logging to a file -----------------------------------------------------------------------

  /** Start writing guest output to `path` (mode 0600, appended). */
  async startLogging(path: string, format: ConsoleLogFormat = 'text'): Promise<void> {
    await this.stopLogging();
    this.fileLog = await ConsoleFileLog.open(path, format);
    this.publishNow();
  }

  async stopLogging(): Promise<void> {
    const log = this.fileLog;
    if (!log) return;
    this.fileLog = null;
    await log.close();
    if (log.error) this.message = `logging to ${log.path} failed: ${log.error}`;
    this.publishNow();
  }

  /** The logging key: start logging to `path` or stop; resolves to the path when now logging. */
  async toggleLogging(path: string, format: ConsoleLogFormat = 'text'): Promise<string | null> {
    if (this.fileLog) {
      await this.stopLogging();
      return null;
    }
    await this.startLogging(path, format);
    return path;
  }

  /** lines the view is scrolled back from the bottom (0: following the output) */
  get scrollOffset(): number {
    if (this.status === 'closed') return 0;
    return this.term.buffer.active.baseY - this.viewTop();
  }

  /** whether the guest shows a full-screen program on the alternate screen */
  get alternateScreen(): boolean {
    return this.status !== 'closed' && this.term.buffer.active.type === 'alternate';
  }

  get loggingTo(): string | null {
    return this.fileLog?.path ?? null;
  }

  // ---- snapshots and notifications -------------------------------------------------------------

  /** Called on changes at most every frameMs; returns an unsubscribe function. */
  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** The current view. The same object until something changes (useSyncExternalStore-safe). */
  snapshot = (): ConsoleSnapshot => {
    if (this.cached && this.cached.version === this.version) return this.cached;
    this.cached = this.buildSnapshot();
    return this.cached;
  };

  private buildSnapshot(): ConsoleSnapshot {
    const term = this.term;
    const closed = this.status === 'closed';
    const buf = closed ? null : term.buffer.active;
    const top = closed ? 0 : this.viewTop();
    const rows = term.rows;
    const following = !this.anchor;
    const m = this.searchState?.match;
    const lines = buf
      ? renderViewport(term, {
          top,
          rows,
          cursor:
            following && this.status === 'connected' && !isCursorHidden(term)
              ? { line: buf.baseY + buf.cursorY, col: Math.min(buf.cursorX, term.cols - 1) }
              : null,
          highlight: m ? { line: m.line, col: m.col, length: m.length } : null,
        })
      : Array.from({ length: rows }, () => []);
    const snap: ConsoleSnapshot = {
      name: this.name,
      version: this.version,
      cols: term.cols,
      rows,
      lines,
      status: this.status,
      scrollOffset: buf ? buf.baseY - top : 0,
      scrollbackLines: buf ? buf.baseY : 0,
      bytesIn: this.bytesIn,
      bytesSkipped: this.bytesSkipped,
      alternateScreen: buf?.type === 'alternate',
    };
    if (this.message) snap.message = this.message;
    if (this.fileLog) snap.loggingTo = this.fileLog.path;
    if (this.searchState) {
      const { query, match, end } = this.searchState;
      snap.search = { query, found: match !== null };
      if (end) snap.search.end = end;
    }
    return snap;
  }

  /** Plain text of the whole buffer, scrollback included (tests, search by callers). */
  bufferText(): string {
    if (this.status === 'closed') return '';
    const buf = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < buf.length; y++) out.push(buf.getLine(y)?.translateToString(true) ?? '');
    return out.join('\n');
  }

  /** a method, so TypeScript does not narrow the status across awaits */
  private isClosed(): boolean {
    return this.status === 'closed';
  }

  get currentStatus(): ConsoleStatus {
    return this.status;
  }

  private setStatus(status: ConsoleStatus, message: string | undefined): void {
    this.status = status;
    this.message = message;
    this.publishNow();
  }

  /** Output changed: publish at the next frame. */
  private changed(): void {
    if (this.frameTimer || this.status === 'closed') return;
    const now = Date.now();
    if (!this.busySince) this.busySince = now;
    // in a flood (the pump has not been idle for a while) half the frame rate leaves more time
    // for the emulator and for keys
    const flooding = this.busySince > 0 && now - this.busySince > FLOOD_AFTER_MS;
    const frame = flooding ? this.opts.frameMs * 2 : this.opts.frameMs;
    const wait = Math.max(0, this.lastFrame + frame - now);
    this.frameTimer = setTimeout(() => {
      this.frameTimer = null;
      this.publish();
    }, wait);
  }

  /** The operator did something: show it now (still at most one frame per frameMs). */
  private publishNow(): void {
    if (Date.now() - this.lastFrame >= this.opts.frameMs && !this.frameTimer) this.publish();
    else this.changed();
  }

  private publish(): void {
    this.version++;
    this.lastFrame = Date.now();
    for (const l of [...this.listeners]) l();
  }
}

/** The longest run of bytes that ends `tail` and starts `head` (printed once, received twice). */
export function overlap(tail: Buffer, head: Buffer): number {
  for (let k = Math.min(tail.length, head.length); k > 0; k--) {
    if (tail.subarray(tail.length - k).equals(head.subarray(0, k))) return k;
  }
  return 0;
}

/** The factory the app's deps expose: the UI never opens sockets itself. */
export function createConsoleSession(opts: ConsoleSessionOptions): ConsoleSession {
  return new ConsoleSession(opts);
}
