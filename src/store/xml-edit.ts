// `e`, as `virsh edit`: a domain's persistent XML in the operator's editor, defined again when it
// changed. The store never starts an editor: it calls the `editXml` it was given (run-tui hands
// the terminal over around it). Edits that do not define are kept as a draft, so the next `e`
// opens the operator's own text again instead of losing it.
import { parseDomainXml } from '../domain/index.js';
import type { Driver } from '../driver/driver.js';
import { errorMessage } from '../driver/errors.js';
import type { DomainKey, DomainEntry, DetailsEntry, StatusMessage } from './types.js';
import { withTimeout } from './with-timeout.js';

/** Opens `xml` in an editor; the edited text, or null when it was saved unchanged. */
export type EditXml = (name: string, xml: string) => Promise<string | null>;

export const NO_EDITOR_REASON = 'editing needs an editor: run kvmtui from a terminal';
export const EDIT_AGAIN = 'e edits again, your text is kept';

export interface XmlEditContext {
  key: DomainKey;
  entry: DomainEntry;
  driver: Driver;
  editXml: EditXml;
  /** the stored XML (loaded first when missing) */
  details(): Promise<DetailsEntry | undefined>;
  draft: string | undefined;
  setDraft(text: string | undefined): void;
  setStatus(kind: StatusMessage['kind'], text: string): void;
  /** after a define: fresh details and list */
  refreshed(): void;
  timeoutMs: number;
}

export type XmlEditOutcome = 'edited' | 'unchanged' | 'failed' | 'cancelled';

export async function runXmlEdit(c: XmlEditContext): Promise<XmlEditOutcome> {
  const name = c.entry.name;
  const d = await c.details();
  const stored = d?.details?.xml;
  if (stored === undefined) {
    c.setStatus('error', `edit ${name}: ${d?.error ?? 'its XML could not be read'}`);
    return 'failed';
  }
  let edited: string | null;
  try {
    edited = await c.editXml(name, c.draft ?? stored);
  } catch (e) {
    // the editor failed or was aborted: a kept draft stays kept
    c.setStatus('error', `edit ${name}: ${errorMessage(e)}${c.draft !== undefined ? ` (${EDIT_AGAIN})` : ''}`);
    return 'failed';
  }
  // saved unchanged: the draft as it was (define it again), or the stored XML (nothing to do)
  const text = edited ?? c.draft ?? stored;
  if (text === stored) {
    c.setDraft(undefined);
    c.setStatus('info', `${name}: XML configuration not changed`);
    return 'unchanged';
  }
  if (text.trim() === '') {
    // an emptied file is the way to throw a kept draft away
    c.setDraft(undefined);
    c.setStatus('info', `${name}: empty file, edit cancelled; XML configuration not changed`);
    return 'cancelled';
  }
  c.setDraft(text);
  let newName: string;
  try {
    newName = parseDomainXml(text).config.name;
  } catch (e) {
    c.setStatus('error', `edit ${name}: ${errorMessage(e)} (${EDIT_AGAIN})`);
    return 'failed';
  }
  if (newName !== name) {
    c.setStatus('error', `edit ${name}: the name changed to '${newName}'; edit cannot rename a domain (${EDIT_AGAIN})`);
    return 'failed';
  }
  try {
    await withTimeout(c.driver.defineXml(text), c.timeoutMs, `define ${name}`);
  } catch (e) {
    c.setStatus('error', `edit ${name}: ${errorMessage(e)} (${EDIT_AGAIN})`);
    return 'failed';
  }
  c.setDraft(undefined);
  const later = c.entry.summary.state === 'shutoff' ? '' : ' (a running domain uses it from its next start)';
  c.setStatus('info', `${name}: XML configuration edited${later}`);
  c.refreshed();
  return 'edited';
}
