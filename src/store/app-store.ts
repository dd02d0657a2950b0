// The app store factory: a zustand vanilla store holding what the drivers report and the view
// state, with the actions the UI calls. Every test (and every TUI run) gets a fresh one.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { LIVE_CONSOLE_INPUT, type ConsoleInputState } from '../console/console-keys.js';
import type { Driver } from '../driver/driver.js';
import { errorMessage } from '../driver/errors.js';
import { setPending } from './domain-reducers.js';
import { DEFAULT_HISTORY_CAPACITY } from './history.js';
import { LIFECYCLE, cliCommand, type LifecycleAction } from './lifecycle.js';
import { DEFAULT_TIMEOUTS, createPoller, type PollerTimeouts } from './poller.js';
import { planAction, selectSelectedKey, selectVisible } from './selectors.js';
import { DOMAIN_TOOLS, type AppData, type DomainKey, type InputLine, type Screen, type SortKey, type StatusMessage, type ViewState } from './types.js';
import { withTimeout } from './with-timeout.js';
import { NO_EDITOR_REASON, runXmlEdit, type EditXml } from './xml-edit.js';

export interface AppStoreDeps {
  drivers: Driver[];
  /** poll interval, ms (default 1000) */
  interval?: number;
  timeouts?: Partial<PollerTimeouts>;
  /** a lifecycle call that takes longer fails with a timeout (default 120 s) */
  actionTimeoutMs?: number;
  /** samples kept per history series (default 300) */
  historyCapacity?: number;
  /** how long an info message stays in the status line (default 5 s) */
  infoMs?: number;
  /** opens a domain's XML in the operator's editor (run-tui wraps it in a terminal handover); without it `e` is disabled */
  editXml?: EditXml;
  now?: () => number;
}

export interface AppActions {
  /** start polling and listening to driver events */
  start(): void;
  /** stop polling; never closes drivers, never stops domains */
  stop(): void;
  refresh(uri?: string): void;
  loadDetails(key: DomainKey): Promise<void>;

  /** a lifecycle key: act on the targets, ask first when destructive or bulk, or say why not */
  request(action: LifecycleAction, opts?: { names?: string[] }): void;
  /** run an action now, without asking (the confirmation's yes) */
  execute(action: LifecycleAction, keys: DomainKey[]): Promise<void>;
  answerConfirm(yes: boolean): void;

  moveSelection(delta: number | 'first' | 'last'): void;
  select(key: DomainKey | undefined): void;
  toggleMark(key?: DomainKey): void;
  markAllVisible(): void;
  clearMarks(): void;
  setFilter(filter: string): void;
  setSort(sort: SortKey): void;
  openInput(mode: InputLine['mode']): void;
  setInputText(text: string): void;
  closeInput(): void;
  openDetail(key?: DomainKey): void;
  /** open a domain tool (graphs, disks, NICs, console) for a domain (default: the selected one) */
  openTool(screen: Screen, key?: DomainKey): void;
  /** show a domain's serial console in the pane (default: the selected one) and give it the keys */
  openConsole(key?: DomainKey): void;
  /** keys back to the app (Ctrl-]); the pane stays */
  leaveConsole(): void;
  toggleConsoleFull(): void;
  closeConsole(): void;
  setConsoleInput(state: ConsoleInputState): void;
  /** `e`: the domain's XML in the editor (default: the current domain), defined again when changed */
  editXml(key?: DomainKey): Promise<void>;
  /** the terminal was handed over (true) or taken back (false) */
  setTerminalSuspended(suspended: boolean): void;
  /** the driver of a connection, for the screens that talk to it directly (device editors, console) */
  driverFor(uri: string): Driver | undefined;
  setScreen(screen: Screen): void;
  /** scroll the detail or help screen; `max` clamps (the screen knows its length) */
  scrollBy(delta: number, max?: number): void;
  /** Esc: close whatever is on top */
  back(): void;
  toggleHelp(): void;
  setStatus(kind: StatusMessage['kind'], text: string): void;
  clearStatus(): void;
  quit(): void;
}

export type AppState = AppData & ViewState & { actions: AppActions };
export type AppStore = StoreApi<AppState>;

const DONE: Record<LifecycleAction, string> = {
  start: 'started',
  shutdown: 'shutdown requested (ACPI) for',
  destroy: 'forced off',
  reboot: 'reboot requested for',
  reset: 'reset',
  suspend: 'paused',
  resume: 'resumed',
};

/** The domain a key acts on: the one on screen (detail, tools), else the selected one. */
function currentKey(s: AppState): DomainKey | undefined {
  return (s.screen === 'list' ? undefined : s.detailKey) ?? selectSelectedKey(s);
}

export function createAppStore(deps: AppStoreDeps): AppStore {
  const now = deps.now ?? Date.now;
  const drivers = new Map(deps.drivers.map((d) => [d.uri, d]));
  const timeouts = { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
  const actionTimeoutMs = deps.actionTimeoutMs ?? 120_000;
  const infoMs = deps.infoMs ?? 5000;
  const detailsInFlight = new Set<DomainKey>();
  let statusTimer: ReturnType<typeof setTimeout> | undefined;

  const store = createStore<AppState>()((set, get) => {
    const poller = createPoller(
      deps.drivers,
      {
        get: () => get(),
        set: (patch) => set(patch),
        onDetailsChanged: (key) => {
          if (get().details.has(key)) void get().actions.loadDetails(key);
        },
      },
      timeouts,
      now,
    );

    const actions: AppActions = {
      start: () => poller.start(),
      stop: () => {
        poller.stop();
        if (statusTimer) clearTimeout(statusTimer);
      },
      refresh: (uri) => poller.refresh(uri),

      async loadDetails(key) {
        const e = get().domains.get(key);
        const d = e && drivers.get(e.connection);
        if (!e || !d || detailsInFlight.has(key)) return;
        detailsInFlight.add(key);
        const old = get().details.get(key);
        const next = new Map(get().details);
        next.set(key, { ...old, loading: true });
        set({ details: next });
        try {
          const details = await withTimeout(d.getDomain(e.name), timeouts.detailsMs, `details of ${e.name}`);
          const m = new Map(get().details);
          m.set(key, { details, loading: false });
          set({ details: m });
        } catch (err) {
          const m = new Map(get().details);
          m.set(key, { details: old?.details, error: errorMessage(err), loading: false });
          set({ details: m });
        } finally {
          detailsInFlight.delete(key);
        }
      },

      request(action, opts = {}) {
        const info = LIFECYCLE[action];
        let s = get();
        if (opts.names) {
          // from the command line: act on the named domains instead of marks/selection
          const keys: DomainKey[] = [];
          for (const name of opts.names) {
            const found = [...s.domains.values()].filter((e) => e.name === name);
            if (found.length === 0) return get().actions.setStatus('error', `${info.label}: no domain named ${name}`);
            keys.push(...found.map((e) => e.key));
          }
          s = { ...s, screen: 'list', marks: new Set(keys) };
        }
        const plan = planAction(s, action);
        if (plan.ok.length === 0) {
          const r = plan.refused[0];
          get().actions.setStatus('error', r ? `${info.label}: ${r.entry.name} ${r.reason}` : `${info.label}: no domain selected`);
          return;
        }
        const keys = plan.ok.map((e) => e.key);
        if (info.destructive || plan.ok.length > 1 || plan.refused.length > 0) {
          const lines = plan.ok.map((e) => `${e.name}: ${info.effect}`);
          for (const r of plan.refused) lines.push(`${r.entry.name}: skipped, ${r.reason}`);
          const n = plan.ok.length;
          set({
            confirm: {
              title: `${info.label[0].toUpperCase()}${info.label.slice(1)} ${n === 1 ? plan.ok[0].name : `${n} domains`}?`,
              lines,
              cli: plan.ok.map((e) => cliCommand(action, e.name)),
              action,
              keys,
            },
          });
          return;
        }
        void get().actions.execute(action, keys);
      },

      async execute(action, keys) {
        const info = LIFECYCLE[action];
        const done: string[] = [];
        const errors: string[] = [];
        const uris = new Set<string>();
        await Promise.all(
          keys.map(async (key) => {
            const e = get().domains.get(key);
            const d = e && drivers.get(e.connection);
            if (!e || !d) return;
            uris.add(e.connection);
            const since = now();
            set({ domains: setPending(get().domains, key, { action, state: info.transient, since }, `${info.label} requested`, since) });
            try {
              await withTimeout(d[info.method](e.name), actionTimeoutMs, `${info.label} ${e.name}`);
              const cur = get().domains.get(key)?.pending;
              if (cur && cur.action === action && cur.since === since) {
                set({ domains: setPending(get().domains, key, { ...cur, settledAt: now() }) });
              }
              done.push(e.name);
            } catch (err) {
              const msg = errorMessage(err);
              const cur = get().domains.get(key)?.pending;
              const still = cur && cur.action === action && cur.since === since;
              set({ domains: setPending(get().domains, key, still ? undefined : cur, `${info.label} failed: ${msg}`) });
              errors.push(`${info.label} ${e.name}: ${msg}`);
            }
          }),
        );
        for (const uri of uris) poller.refresh(uri);
        if (errors.length > 0) {
          get().actions.setStatus('error', errors.length === 1 ? errors[0] : `${errors[0]} (and ${errors.length - 1} more failures)`);
        } else if (done.length > 0) {
          get().actions.setStatus('info', `${DONE[action]} ${done.join(', ')}`);
        }
      },

      answerConfirm(yes) {
        const c = get().confirm;
        if (!c) return;
        set({ confirm: null });
        if (!yes) return get().actions.setStatus('info', `${LIFECYCLE[c.action].label}: cancelled`);
        // bulk actions clear the marks once they ran: the next key acts on the selection again
        if (c.keys.length > 1) set({ marks: new Set() });
        void get().actions.execute(c.action, c.keys);
      },

      moveSelection(delta) {
        const visible = selectVisible(get());
        if (visible.length === 0) return;
        const cur = selectSelectedKey(get());
        const i = Math.max(0, visible.findIndex((e) => e.key === cur));
        const j =
          delta === 'first' ? 0 : delta === 'last' ? visible.length - 1 : Math.min(visible.length - 1, Math.max(0, i + delta));
        set({ selectedKey: visible[j].key });
      },
      select: (key) => set({ selectedKey: key }),
      toggleMark(key) {
        const k = key ?? selectSelectedKey(get());
        if (k === undefined) return;
        const marks = new Set(get().marks);
        if (marks.has(k)) marks.delete(k);
        else marks.add(k);
        set({ marks });
      },
      markAllVisible: () => set({ marks: new Set(selectVisible(get()).map((e) => e.key)) }),
      clearMarks: () => set({ marks: new Set() }),
      setFilter: (filter) => set({ filter }),
      setSort: (sort) => set({ sort }),
      openInput: (mode) => set({ input: { mode, text: mode === 'filter' ? get().filter : '' } }),
      setInputText(text) {
        const input = get().input;
        if (!input) return;
        // the filter applies while typing
        set(input.mode === 'filter' ? { input: { ...input, text }, filter: text } : { input: { ...input, text } });
      },
      closeInput: () => set({ input: null }),
      openDetail(key) {
        const k = key ?? selectSelectedKey(get());
        if (k === undefined) return;
        set({ screen: 'detail', detailKey: k, selectedKey: k, scroll: 0 });
        void get().actions.loadDetails(k);
      },
      openTool(screen, key) {
        const s = get();
        const k = key ?? currentKey(s);
        if (k === undefined) return;
        const from = s.screen === 'help' ? s.previousScreen : s.screen;
        set({ screen, detailKey: k, selectedKey: k, scroll: 0, returnTo: DOMAIN_TOOLS.includes(from) ? s.returnTo : from });
        // the tools show the domain's configuration: have it at hand
        void get().actions.loadDetails(k);
      },
      openConsole(key) {
        const s = get();
        const k = key ?? (s.screen === 'detail' ? s.detailKey : undefined) ?? selectSelectedKey(s);
        if (k === undefined) return;
        const same = s.consolePane?.key === k;
        set({
          consolePane: { key: k, full: same ? s.consolePane!.full : false },
          focus: 'console',
          consoleInput: same ? s.consoleInput : LIVE_CONSOLE_INPUT,
          screen: s.screen === 'detail' ? 'detail' : 'list',
        });
      },
      leaveConsole: () => set({ focus: 'app' }),
      toggleConsoleFull() {
        const s = get();
        const p = s.consolePane;
        if (!p) return;
        // the pane is full size only while it has the keys: from the list, z means "full, keys in"
        if (s.focus !== 'console') set({ consolePane: { ...p, full: true }, focus: 'console' });
        else set({ consolePane: { ...p, full: !p.full } });
      },
      closeConsole: () => set({ consolePane: null, focus: 'app', consoleInput: LIVE_CONSOLE_INPUT }),
      setConsoleInput: (consoleInput) => set({ consoleInput }),
      async editXml(key) {
        const s = get();
        const k = key ?? currentKey(s);
        const entry = k === undefined ? undefined : s.domains.get(k);
        const driver = entry && drivers.get(entry.connection);
        if (k === undefined || !entry || !driver) return s.actions.setStatus('error', 'edit: no domain selected');
        if (!deps.editXml) return s.actions.setStatus('error', NO_EDITOR_REASON);
        if (s.editing !== undefined) return;
        set({ editing: k });
        try {
          await runXmlEdit({
            key: k,
            entry,
            driver,
            editXml: deps.editXml,
            async details() {
              if (!get().details.get(k)?.details) await get().actions.loadDetails(k);
              return get().details.get(k);
            },
            draft: get().xmlDrafts.get(k),
            setDraft(text) {
              const m = new Map(get().xmlDrafts);
              if (text === undefined) m.delete(k);
              else m.set(k, text);
              set({ xmlDrafts: m });
            },
            setStatus: (kind, text) => get().actions.setStatus(kind, text),
            refreshed() {
              void get().actions.loadDetails(k);
              poller.refresh(entry.connection);
            },
            timeoutMs: actionTimeoutMs,
          });
        } finally {
          set({ editing: undefined });
        }
      },
      setTerminalSuspended: (terminalSuspended) => set({ terminalSuspended }),
      driverFor: (uri) => drivers.get(uri),
      setScreen: (screen) => set({ screen, scroll: 0 }),
      scrollBy(delta, max) {
        const top = max ?? Number.MAX_SAFE_INTEGER;
        set({ scroll: Math.max(0, Math.min(top, get().scroll + delta)) });
      },
      back() {
        const s = get();
        if (s.confirm) return s.actions.answerConfirm(false);
        if (s.input) return set({ input: null });
        if (s.screen === 'help') return set({ screen: s.previousScreen, scroll: 0 });
        if (DOMAIN_TOOLS.includes(s.screen)) return set({ screen: s.returnTo, scroll: 0 });
        if (s.screen !== 'list') return set({ screen: 'list', scroll: 0 });
        if (s.status) return s.actions.clearStatus();
        if (s.marks.size > 0) return set({ marks: new Set() });
        if (s.filter) return set({ filter: '' });
      },
      toggleHelp() {
        const s = get();
        if (s.screen === 'help') set({ screen: s.previousScreen, scroll: 0 });
        else set({ previousScreen: s.screen, screen: 'help', scroll: 0 });
      },
      setStatus(kind, text) {
        if (statusTimer) clearTimeout(statusTimer);
        statusTimer = undefined;
        const status = { kind, text, time: now() };
        set({ status });
        if (kind === 'info') {
          statusTimer = setTimeout(() => {
            if (get().status === status) set({ status: null });
          }, infoMs);
        }
      },
      clearStatus: () => set({ status: null }),
      quit: () => set({ quitRequested: true }),
    };

    return {
      connections: new Map(),
      domains: new Map(),
      details: new Map(),
      hosts: new Map(),
      historyCapacity: deps.historyCapacity ?? DEFAULT_HISTORY_CAPACITY,
      poller: { ticks: 0, skipped: 0, running: false },
      interval: deps.interval ?? 1000,
      screen: 'list',
      previousScreen: 'list',
      returnTo: 'list',
      marks: new Set(),
      scroll: 0,
      filter: '',
      sort: 'name',
      input: null,
      confirm: null,
      status: null,
      consolePane: null,
      focus: 'app',
      consoleInput: LIVE_CONSOLE_INPUT,
      quitRequested: false,
      xmlEditor: deps.editXml !== undefined,
      xmlDrafts: new Map(),
      terminalSuspended: false,
      actions,
    };
  });
  return store;
}
