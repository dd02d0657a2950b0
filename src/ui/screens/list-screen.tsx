// The list screen: the host summary, the domain table, with the confirmation dialog below it when one is open.
import { Box } from 'ink';
import { ConfirmDialog, confirmHeight } from '../components/confirm-dialog.js';
import { DomainTable } from '../components/domain-table.js';
import { HostLine } from '../components/host-line.js';
import { useApp } from '../store-context.js';

export function ListScreen({ width, height }: { width: number; height: number }) {
  const confirm = useApp((s) => s.confirm);
  // the dialog comes first; the table keeps its header and a row or two when it can
  const dialog = confirm ? confirmHeight(confirm, Math.max(Math.min(height, 5), height - 4)) : 0;
  const hostRows = height - dialog >= 4 ? 1 : 0;
  const table = Math.max(0, height - dialog - hostRows);
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      {hostRows ? <HostLine width={width} /> : null}
      {table > 0 ? <DomainTable width={width} height={table} /> : null}
      {confirm ? <ConfirmDialog width={width} height={dialog} /> : null}
    </Box>
  );
}
