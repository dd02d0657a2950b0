// The one key-binding table. The input handler, the help overlay, the footer hints and the key
// table in README.md (scripts/gen-readme-keys.mjs) all come from BINDINGS.
import type { AppState } from '../store/app-store.js';
import type { LifecycleAction } from '../store/lifecycle.js';
import { isActive } from '../store/domain-reducers.js';
import { actionDisabledReason, selectTargets, displayState } from '../store/selectors.js';
import { NO_EDITOR_REASON } from '../store/xml-edit.js';
import type { Screen } from '../store/types.js';
import { snapshotsUnsupported } from './components/forms/snapshot-actions.js';

export type CommandId =
  | 'down'
  | 'up'
  | 'page-down'
  | 'page-up'
  | 'first'
  | 'last'
  | 'open'
  | 'back'
  | 'start'
  | 'shutdown'
  | 'destroy'
  | 'reboot'
  | 'reset'
  | 'pause-resume'
  | 'mark'
  | 'mark-all'
  | 'filter'
  | 'command'
  | 'graphs'
  | 'disks'
  | 'nics'
  | 'snapshots'
  | 'xml'
  | 'edit'
  | 'console'
  | 'console-focus'
  | 'console-full'
  | 'console-close'
  | 'help'
  | 'quit';

export interface Binding {
  id: CommandId;
  /** key names as keyName() produces them: 'j', 'S', 'down', 'enter', 'space', 'ctrl+c' */
  keys: string[];
  description: string;
  /** asks for confirmation before acting */
  destructive: boolean;
  /** screens where the key acts */
  screens: Screen[];
  /** short label for the footer; no hint when absent */
  hint?: string;
  /** why the key cannot act now; undefined when it can */
  disabled?(s: AppState): string | undefined;
  run(s: AppState): void;
}

const LIST_DETAIL: Screen[] = ['list', 'detail'];
/** screens whose keys come from this table (device editors and the console take their own) */
const ALL: Screen[] = ['list', 'detail', 'help', 'graphs', 'xml'];
/** screens that scroll line by line (they clamp the scroll to their length) */
const SCROLLING: Screen[] = ['detail', 'help', 'xml'];
/** every screen: Esc and quit also work while a tool is still loading */
const EVERY: Screen[] = [...ALL, 'disks', 'nics', 'snapshots', 'console'];
const noDomain = (what: string) => (s: AppState) => (s.domains.size === 0 ? `${what}: no domain selected` : undefined);

function lifecycle(id: CommandId, action: LifecycleAction, keys: string[], description: string, hint: string, destructive = false): Binding {
  return {
    id,
    keys,
    description,
    destructive,
    screens: [...LIST_DETAIL, 'graphs'],
    hint,
    disabled: (s) => actionDisabledReason(s, action),
    run: (s) => s.actions.request(action),
  };
}

function move(s: AppState, delta: number): void {
  if (s.screen === 'list') s.actions.moveSelection(delta);
  else s.actions.scrollBy(delta);
}

/**
 * p: pause when any target runs, else resume when any is paused. Targets that can do neither
 * (a marked domain that is shut off) do not decide; the confirmation lists them as skipped.
 */
export function pauseOrResume(s: AppState): LifecycleAction {
  const states = selectTargets(s).map(displayState);
  return !states.includes('running') && states.includes('paused') ? 'resume' : 'suspend';
}

export const BINDINGS: readonly Binding[] = [
  { id: 'down', keys: ['down', 'j'], description: 'move down (scroll in detail, XML and help)', destructive: false, screens: ALL, run: (s) => move(s, 1) },
  { id: 'up', keys: ['up', 'k'], description: 'move up (scroll in detail, XML and help)', destructive: false, screens: ALL, run: (s) => move(s, -1) },
  { id: 'page-down', keys: ['pagedown'], description: 'page down (next page of graphs)', destructive: false, screens: ALL, run: (s) => move(s, 10) },
  { id: 'page-up', keys: ['pageup'], description: 'page up (previous page of graphs)', destructive: false, screens: ALL, run: (s) => move(s, -10) },
  {
    id: 'first',
    keys: ['home'],
    description: 'first domain (top of detail, XML and help)',
    destructive: false,
    screens: ['list', ...SCROLLING],
    run: (s) => (s.screen === 'list' ? s.actions.moveSelection('first') : s.actions.scrollBy(-Number.MAX_SAFE_INTEGER)),
  },
  {
    id: 'last',
    keys: ['end'],
    description: 'last domain (bottom of detail, XML and help)',
    destructive: false,
    screens: ['list', ...SCROLLING],
    // the screen clamps the scroll to its last page
    run: (s) => (s.screen === 'list' ? s.actions.moveSelection('last') : s.actions.scrollBy(Number.MAX_SAFE_INTEGER)),
  },
  {
    id: 'open',
    keys: ['enter'],
    description: 'open the domain: details, disks, NICs, serial, recent events',
    destructive: false,
    screens: ['list'],
    hint: 'open',
    disabled: (s) => (s.domains.size === 0 ? 'open: no domain selected' : undefined),
    run: (s) => s.actions.openDetail(),
  },
  { id: 'back', keys: ['escape'], description: 'back; clear marks, filter or message', destructive: false, screens: EVERY, hint: 'back', run: (s) => s.actions.back() },
  lifecycle('start', 'start', ['s'], 'start', 'start'),
  lifecycle('shutdown', 'shutdown', ['S'], 'shut down (ACPI power button)', 'shutdown'),
  lifecycle('destroy', 'destroy', ['F'], 'force off (pull the plug)', 'force off', true),
  lifecycle('reboot', 'reboot', ['r'], 'reboot (ACPI)', 'reboot'),
  lifecycle('reset', 'reset', ['R'], 'reset (hard, like the reset button)', 'reset', true),
  {
    id: 'pause-resume',
    keys: ['p'],
    description: 'pause / resume',
    destructive: false,
    screens: [...LIST_DETAIL, 'graphs'],
    hint: 'pause',
    disabled: (s) => actionDisabledReason(s, pauseOrResume(s)),
    run: (s) => s.actions.request(pauseOrResume(s)),
  },
  {
    id: 'graphs',
    keys: ['g'],
    description: 'graphs: CPU, memory, disk and NIC history',
    destructive: false,
    screens: LIST_DETAIL,
    hint: 'graphs',
    disabled: noDomain('graphs'),
    run: (s) => s.actions.openTool('graphs'),
  },
  {
    id: 'disks',
    keys: ['d'],
    description: 'disks: add, remove, resize, insert and eject media',
    destructive: false,
    screens: LIST_DETAIL,
    hint: 'disks',
    disabled: noDomain('disks'),
    run: (s) => s.actions.openTool('disks'),
  },
  {
    id: 'nics',
    keys: ['n'],
    description: 'network interfaces: add, remove, link up/down, port forwards',
    destructive: false,
    screens: LIST_DETAIL,
    hint: 'NICs',
    disabled: noDomain('NICs'),
    run: (s) => s.actions.openTool('nics'),
  },
  {
    id: 'snapshots',
    keys: ['t'],
    description: 'snapshots (time travel): take, revert to, delete internal qcow2 snapshots',
    destructive: false,
    screens: LIST_DETAIL,
    hint: 'snapshots',
    disabled: (s) => {
      const t = selectTargets({ ...s, marks: new Set() })[0];
      return t ? snapshotsUnsupported(s.actions.driverFor(t.connection)) : 'snapshots: no domain selected';
    },
    run: (s) => s.actions.openTool('snapshots'),
  },
  {
    id: 'xml',
    keys: ['v'],
    description: "view the domain's XML, read-only (virsh dumpxml)",
    destructive: false,
    screens: LIST_DETAIL,
    hint: 'XML',
    disabled: noDomain('XML'),
    run: (s) => s.actions.openTool('xml'),
  },
  {
    id: 'edit',
    keys: ['e'],
    description: "edit the domain's XML in $VISUAL/$EDITOR and define it again (virsh edit)",
    destructive: false,
    screens: [...LIST_DETAIL, 'xml'],
    hint: 'edit',
    disabled: (s) => {
      if (s.domains.size === 0) return 'edit: no domain selected';
      if (!s.xmlEditor) return NO_EDITOR_REASON;
      return s.editing !== undefined ? 'edit: the editor is still open' : undefined;
    },
    run: (s) => void s.actions.editXml(),
  },
  {
    id: 'console',
    keys: ['c'],
    description: 'serial console in a pane below the list; keys go to the guest, Ctrl-] comes back',
    destructive: false,
    screens: LIST_DETAIL,
    hint: 'console',
    disabled: (s) => {
      const t = selectTargets({ ...s, marks: new Set() })[0];
      if (!t) return 'console: no domain selected';
      return isActive(displayState(t)) ? undefined : `console: ${t.name} is not running`;
    },
    run: (s) => s.actions.openConsole(),
  },
  {
    id: 'console-focus',
    keys: ['tab'],
    description: 'keys to the open console pane again',
    destructive: false,
    screens: LIST_DETAIL,
    disabled: (s) => (s.consolePane ? undefined : 'no console open (c opens one)'),
    run: (s) => s.actions.openConsole(s.consolePane?.key),
  },
  {
    id: 'console-full',
    keys: ['z'],
    description: 'console pane full size, keys to it (z in its scrollback: back to half size)',
    destructive: false,
    screens: LIST_DETAIL,
    disabled: (s) => (s.consolePane ? undefined : 'full size: no console open (c opens one)'),
    run: (s) => s.actions.toggleConsoleFull(),
  },
  {
    id: 'console-close',
    keys: ['x'],
    description: 'close the console pane (the guest is not touched)',
    destructive: false,
    screens: LIST_DETAIL,
    disabled: (s) => (s.consolePane ? undefined : 'close console: no console open'),
    run: (s) => s.actions.closeConsole(),
  },
  {
    id: 'mark',
    keys: ['space'],
    description: 'mark / unmark; lifecycle keys act on all marked domains',
    destructive: false,
    screens: ['list'],
    hint: 'mark',
    run: (s) => {
      s.actions.toggleMark();
      s.actions.moveSelection(1);
    },
  },
  { id: 'mark-all', keys: ['*'], description: 'mark all shown domains', destructive: false, screens: ['list'], run: (s) => s.actions.markAllVisible() },
  { id: 'filter', keys: ['/'], description: 'filter by name or state', destructive: false, screens: ['list'], hint: 'filter', run: (s) => s.actions.openInput('filter') },
  { id: 'command', keys: [':'], description: 'command line (:sort cpu, :start NAME, :q ...)', destructive: false, screens: ['list', 'detail'], hint: 'cmd', run: (s) => s.actions.openInput('command') },
  { id: 'help', keys: ['?'], description: 'help: every key, and why a key cannot act now', destructive: false, screens: ALL, hint: 'help', run: (s) => s.actions.toggleHelp() },
  { id: 'quit', keys: ['q', 'ctrl+c'], description: 'quit (domains keep running)', destructive: false, screens: EVERY, hint: 'quit', run: (s) => s.actions.quit() },
];

/** A stable name for a key press, as used in Binding.keys. */
export function keyName(input: string, key: {
  upArrow?: boolean; downArrow?: boolean; leftArrow?: boolean; rightArrow?: boolean;
  pageUp?: boolean; pageDown?: boolean; home?: boolean; end?: boolean;
  return?: boolean; escape?: boolean; tab?: boolean; backspace?: boolean; delete?: boolean; ctrl?: boolean;
}): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.tab) return 'tab';
  if (key.backspace) return 'backspace';
  if (key.delete) return 'delete';
  if (key.ctrl && input) return `ctrl+${input}`;
  if (input === ' ') return 'space';
  return input;
}

const KEY_LABEL: Record<string, string> = {
  down: '↓',
  up: '↑',
  left: '←',
  right: '→',
  pagedown: 'PgDn',
  pageup: 'PgUp',
  home: 'Home',
  end: 'End',
  enter: 'Enter',
  escape: 'Esc',
  space: 'Space',
  tab: 'Tab',
  'ctrl+c': 'Ctrl-C',
};

export function keyLabel(name: string): string {
  return KEY_LABEL[name] ?? name;
}

export function bindingFor(screen: Screen, name: string): Binding | undefined {
  return BINDINGS.find((b) => b.screens.includes(screen) && b.keys.includes(name));
}

/** Run the binding for a key, or report why it cannot act. Returns false when no binding matched. */
export function dispatchKey(s: AppState, name: string): boolean {
  const b = bindingFor(s.screen, name);
  if (!b) return false;
  const reason = b.disabled?.(s);
  // lifecycle keys report their own reasons (with the domain name) through request()
  if (reason && !b.destructive && !isLifecycle(b.id)) {
    s.actions.setStatus('error', reason);
    return true;
  }
  b.run(s);
  return true;
}

function isLifecycle(id: CommandId): boolean {
  return ['start', 'shutdown', 'destroy', 'reboot', 'reset', 'pause-resume'].includes(id);
}
