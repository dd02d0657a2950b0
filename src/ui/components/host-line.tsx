// The host summary row under the header (CPU%, memory used, load), from the stats engineer's
// text renderer. Blank until the first two host samples give a CPU figure.
import { hostSummaryText } from './charts/host-summary.js';
import { useApp } from '../store-context.js';
import { TextLine } from './line.js';

export function HostLine({ width }: { width: number }) {
  // one host today; with several connections the first one stands for "this host"
  const text = useApp((s) => {
    const r = [...s.hosts.values()][0]?.rates;
    return r ? hostSummaryText(r) : '';
  });
  return <TextLine width={width} text={text ? ` ${text}` : ''} dim />;
}
