// The list screen: the host summary (a line per connection when there is room), the domain table, with the confirmation dialog below it when one is open.
import { Box } from 'ink';
import { ConfirmDialog, confirmHeight } from '../components/confirm-dialog.js';
import { DomainTable } from '../components/domain-table.js';
import { HostLines, hostSummaryRows } from '../components/host-line.js';
import { useApp } from '../store-context.js';

export function ListScreen({ width, height }: { width: number; height: number }) {
  const confirm = useApp((s) => s.confirm);
  // the dialog comes first; the table keeps its header and a row or two when it can
  const dialog = confirm ? confirmHeight(confirm, Math.max(Math.min(height, 5), height - 4)) : 0;
  const connections = useApp((s) => s.connections.size);
  const hostRows = hostSummaryRows(connections, height - dialog);
  const table = Math.max(0, height - dialog - hostRows);
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      {hostRows ? <HostLines width={width} rows={hostRows} /> : null}
      {table > 0 ? <DomainTable width={width} height={table} /> : null}
      {confirm ? <ConfirmDialog width={width} height={dialog} /> : null}
    </Box>
  );
}
