// The list screen: the host summary, the domain table, with the confirmation dialog below it when one is open.
import { Box } from 'ink';
import { ConfirmDialog, confirmHeight } from '../components/confirm-dialog.js';
import { DomainTable } from '../components/domain-table.js';
import { HostLine } from '../components/host-line.js';
import { useApp } from '../store-context.js';

export function ListScreen({ width, height }: { width: number; height: number }) {
  const confirm = useApp((s) => s.confirm);
  const dialog = confirm ? confirmHeight(confirm.lines.length, confirm.cli.length, Math.max(7, height - 4)) : 0;
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <HostLine width={width} />
      <DomainTable width={width} height={height - dialog - 1} />
      {confirm ? <ConfirmDialog width={width} height={dialog} /> : null}
    </Box>
  );
}
