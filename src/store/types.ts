// The shape of the app store: what the poller learned from the drivers, plus the view state the
// UI reads (selection, marks, filter, sort, dialogs). Maps and Sets are replaced, never mutated.
import type { ConsoleInputState } from '../console/console-keys.js';
import type { DomainDetails, DomainState, DomainSummary, HostStats, StatsSample } from '../driver/driver.js';
import type { DomainHistory } from './history.js';
import type { LifecycleAction } from './lifecycle.js';
import type { DomainRates, HostRates } from './rates.js';

/** `${connection}\n${name}`: a domain's identity across several connections. */
export type DomainKey = string;

export interface ConnectionState {
  uri: string;
  /** the last listDomains succeeded */
  ok: boolean;
  /** one line, from the driver */
  error?: string;
  /** consecutive failed refreshes */
  failures: number;
  /** the back-off delay in force after the last failure, ms */
  retryInMs?: number;
  /** ms since epoch of the last successful refresh */
  refreshedAt?: number;
}

export interface DomainEventRecord {
  time: number;
  /** e.g. "SHUTDOWN", "state: shutoff (shutdown)", "start requested" */
  text: string;
}

/** An action the UI started that has not been confirmed by the driver yet. */
export interface PendingAction {
  action: LifecycleAction;
  /** the transient state shown meanwhile (starting, shutting down), if the action has one */
  state?: DomainState;
  since: number;
  /** set when the driver call resolved */
  settledAt?: number;
}

export interface DomainEntry {
  key: DomainKey;
  connection: string;
  name: string;
  summary: DomainSummary;
  pending?: PendingAction;
  /** the last stats sample while the domain runs */
  lastSample?: StatsSample;
  /** rates between the last two samples (rates.ts) */
  rates?: DomainRates;
  /** emulator CPU time as a share of one host CPU, percent (rates.cpu.processPct) */
  cpuPercent?: number;
  /** bounded series for sparklines and graphs (history.ts); kept across stops */
  history?: DomainHistory;
  /** stats could not be read: one line (e.g. "not responding") */
  statsError?: string;
  /** recent events, newest last, bounded */
  events: DomainEventRecord[];
}

export interface HostEntry {
  last?: HostStats;
  rates?: HostRates;
}

export interface DetailsEntry {
  details?: DomainDetails;
  error?: string;
  loading: boolean;
}

/** cpu, mem, disk and net sort by what the domain uses now (biggest first): the top consumer on top */
export type SortKey = 'name' | 'state' | 'cpu' | 'mem' | 'disk' | 'net' | 'vcpus' | 'uptime';
export const SORT_KEYS: readonly SortKey[] = ['name', 'state', 'cpu', 'mem', 'disk', 'net', 'vcpus', 'uptime'];

/** list, detail and help belong to the app; the others are a domain's tools, opened from list or detail */
export type Screen = 'list' | 'detail' | 'help' | 'graphs' | 'disks' | 'nics' | 'snapshots' | 'console' | 'xml';
export const DOMAIN_TOOLS: readonly Screen[] = ['graphs', 'disks', 'nics', 'snapshots', 'console', 'xml'];

export interface InputLine {
  mode: 'filter' | 'command';
  text: string;
}

/** A confirmation the user must answer before anything happens. */
export interface ConfirmRequest {
  title: string;
  /** what will happen, one short line each */
  lines: string[];
  /** the equivalent kvmtui commands */
  cli: string[];
  action: LifecycleAction;
  keys: DomainKey[];
}

export interface StatusMessage {
  kind: 'info' | 'error';
  text: string;
  time: number;
}

export interface PollerInfo {
  ticks: number;
  /** ticks (per connection) skipped because the previous refresh was still running */
  skipped: number;
  running: boolean;
}

export interface AppData {
  connections: Map<string, ConnectionState>;
  domains: Map<DomainKey, DomainEntry>;
  details: Map<DomainKey, DetailsEntry>;
  /** host figures per connection */
  hosts: Map<string, HostEntry>;
  poller: PollerInfo;
  /** samples kept per history series */
  historyCapacity: number;
  interval: number;
}

export interface ViewState {
  screen: Screen;
  /** the screen help returns to */
  previousScreen: Screen;
  /** the screen a domain tool (graphs, disks, NICs, console) returns to */
  returnTo: Screen;
  selectedKey?: DomainKey;
  detailKey?: DomainKey;
  marks: Set<DomainKey>;
  /** first line shown by the scrolling screens (detail, help); the page of the graphs */
  scroll: number;
  filter: string;
  sort: SortKey;
  input: InputLine | null;
  confirm: ConfirmRequest | null;
  status: StatusMessage | null;
  /** the serial console pane under the list (null: none shown) */
  consolePane: { key: DomainKey; full: boolean } | null;
  /** where keys go: the app's bindings, or the guest's console */
  focus: 'app' | 'console';
  /** the console pane's key mode (live, scrollback, search) */
  consoleInput: ConsoleInputState;
  /** set by :q / q; run-tui exits when it turns true */
  quitRequested: boolean;
  /** `e` can open an editor (run-tui was given one) */
  xmlEditor: boolean;
  /** the domain whose XML is in the editor right now */
  editing?: DomainKey;
  /** edited XML that did not define, per domain: the next `e` opens it instead of the stored XML */
  xmlDrafts: Map<DomainKey, string>;
  /** the terminal is handed to another program (the editor): no keys, no drawing */
  terminalSuspended: boolean;
}
