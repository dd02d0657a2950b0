// The domain tools inside the app: each route reads its domain from the store and hands the
// tool screen (written by its own feature) what it needs. Graphs take keys from the binding
// table; the device editors own the keyboard while they are open (their forms need it).
import { Box } from 'ink';
import { useEffect, useMemo } from 'react';
import { deviceActionsFor } from '../components/forms/device-actions.js';
import { TextLine } from '../components/line.js';
import { useApp, useAppStore } from '../store-context.js';
import { COLORS } from '../theme.js';
import { DisksScreen } from './disks-screen.js';
import { GraphsScreen, graphsPageCount } from './graphs-screen.js';
import { NicsScreen } from './nics-screen.js';
import { snapshotActionsFor, snapshotsUnsupported } from '../components/forms/snapshot-actions.js';
import { SnapshotsScreen } from './snapshots-screen.js';

function Message({ width, height, text, error }: { width: number; height: number; text: string; error?: boolean }) {
  return (
    <Box flexDirection="column" height={height}>
      <TextLine width={width} text={text} color={error ? COLORS.error : undefined} dim={!error} />
    </Box>
  );
}

export function GraphsRoute({ width, height }: { width: number; height: number }) {
  const store = useAppStore();
  const key = useApp((s) => s.detailKey);
  const entry = useApp((s) => (key === undefined ? undefined : s.domains.get(key)));
  const page = useApp((s) => s.scroll);
  // the poll interval gives the time axis from the first sample, before two give a measured one
  const interval = useApp((s) => s.interval);
  const props = entry?.history ? { name: entry.name, history: entry.history, rates: entry.rates, interval, width, height } : undefined;
  // j/k and PgDn/PgUp move the page (the store's scroll), kept within the pages there are
  const pages = props ? graphsPageCount(props) : 1;
  useEffect(() => {
    if (page > pages - 1) store.getState().actions.scrollBy(0, pages - 1);
  }, [page, pages, store]);
  if (!entry) return <Message width={width} height={height} text="This domain is gone. Esc goes back." error />;
  if (!props) {
    return <Message width={width} height={height} text={`${entry.name}: no figures yet; graphs fill while the domain runs. Esc goes back.`} />;
  }
  return <GraphsScreen {...props} page={Math.min(page, pages - 1)} />;
}

/** True while a device editor is on screen and takes every key itself. */
export function useEditorOwnsKeys(): boolean {
  return useApp((s) => {
    // the snapshots screen reads its own list: it has the keys as soon as its domain is known
    if (s.screen === 'snapshots') return s.detailKey !== undefined && s.domains.has(s.detailKey) && !snapshotsUnsupported(s.actions.driverFor(s.domains.get(s.detailKey)!.connection));
    if (s.screen !== 'disks' && s.screen !== 'nics') return false;
    return s.detailKey !== undefined && s.domains.has(s.detailKey) && !!s.details.get(s.detailKey)?.details;
  });
}

/** The disk (d) or NIC (n) editor of the current domain. */
export function DeviceRoute({ kind, width, height }: { kind: 'disks' | 'nics'; width: number; height: number }) {
  const store = useAppStore();
  const key = useApp((s) => s.detailKey);
  const entry = useApp((s) => (key === undefined ? undefined : s.domains.get(key)));
  const details = useApp((s) => (key === undefined ? undefined : s.details.get(key)));
  const connection = entry?.connection;
  const name = entry?.name;
  const actions = useMemo(() => {
    const driver = connection ? store.getState().actions.driverFor(connection) : undefined;
    if (!driver || !name || key === undefined) return undefined;
    // after a change: fresh details for the table, a fresh list for the state
    return deviceActionsFor(driver, name, () => {
      void store.getState().actions.loadDetails(key);
      store.getState().actions.refresh(connection);
    });
  }, [store, connection, name, key]);
  const back = () => store.getState().actions.back();
  if (!entry || !actions) return <Message width={width} height={height} text="This domain is gone. Esc goes back." error />;
  if (!details?.details) {
    const text = details?.error ? `${kind === 'disks' ? 'disks' : 'interfaces'}: ${details.error}` : 'loading…';
    return <Message width={width} height={height} text={text} error={!!details?.error} />;
  }
  return kind === 'disks' ? (
    <DisksScreen details={details.details} state={entry.summary.state} io={entry.rates?.disks} width={width} height={height} actions={actions} onBack={back} />
  ) : (
    <NicsScreen details={details.details} state={entry.summary.state} rates={entry.rates?.nics} width={width} height={height} actions={actions} onBack={back} />
  );
}

/** The snapshots (t) of the current domain. */
export function SnapshotsRoute({ width, height }: { width: number; height: number }) {
  const store = useAppStore();
  const key = useApp((s) => s.detailKey);
  const entry = useApp((s) => (key === undefined ? undefined : s.domains.get(key)));
  const connection = entry?.connection;
  const name = entry?.name;
  const driver = connection ? store.getState().actions.driverFor(connection) : undefined;
  const actions = useMemo(() => {
    if (!driver || !name) return undefined;
    // a revert changes the domain's state: a fresh list
    return snapshotActionsFor(driver, name, () => store.getState().actions.refresh(connection));
  }, [store, driver, name, connection]);
  if (!entry) return <Message width={width} height={height} text="This domain is gone. Esc goes back." error />;
  if (!actions) return <Message width={width} height={height} text={`${snapshotsUnsupported(driver)}. Esc goes back.`} error />;
  return (
    <SnapshotsScreen
      name={entry.name}
      state={entry.summary.state}
      width={width}
      height={height}
      actions={actions}
      onMessage={(m) => store.getState().actions.setStatus(m.kind === 'error' ? 'error' : 'info', m.text)}
      onBack={() => store.getState().actions.back()}
    />
  );
}
