import { afterEach, describe, expect, it } from 'vitest';
import { KvmtuiError } from '../../src/driver/errors.js';
import type { EditXml } from '../../src/store/xml-edit.js';
import { createTerminalHandoff } from '../../src/ui/terminal-handoff.js';
import { KEY, renderApp, type Harness } from './harness.js';
import { XmlDriver, domainXml } from './xml-driver.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

/** An editor stand-in: records what it was given, answers from a script (a function of the text). */
function fakeEditor(...answers: Array<(xml: string) => string | null | Promise<string | null>>) {
  const seen: Array<{ name: string; xml: string }> = [];
  const editXml: EditXml = async (name, xml) => {
    seen.push({ name, xml });
    const next = answers.shift();
    if (!next) throw new Error('editor opened more often than expected');
    return next(xml);
  };
  return { seen, editXml };
}

const twoVcpus = (x: string) => x.replace('<vcpu>1</vcpu>', '<vcpu>2</vcpu>');
const status = (h: Harness) => h.lines().at(-2) ?? '';

describe('editing the XML (e)', () => {
  it('is disabled, with the reason, when the TUI has no editor', async () => {
    h = await renderApp([], { driver: new XmlDriver([{ name: 'web1' }]) });
    await h.press('e');
    expect(status(h)).toContain('editing needs an editor: run kvmtui from a terminal');
  });

  it('defines exactly the edited text and says so; the view shows the new XML', async () => {
    const driver = new XmlDriver([{ name: 'web1' }]);
    const ed = fakeEditor(twoVcpus);
    h = await renderApp([], { driver, editXml: ed.editXml, width: 100 });
    await h.press('e');
    await h.settle(60);
    expect(ed.seen).toEqual([{ name: 'web1', xml: domainXml('web1', 1) }]);
    expect(driver.defined).toEqual([twoVcpus(domainXml('web1', 1))]);
    expect(status(h)).toContain('web1: XML configuration edited');
    await h.press('v');
    await h.settle(40);
    expect(h.frame()).toContain('<vcpu>2</vcpu>');
  });

  it('acts on the domain on screen from the detail view and the XML view', async () => {
    const driver = new XmlDriver([{ name: 'a1' }, { name: 'b1' }]);
    const ed = fakeEditor(twoVcpus, twoVcpus);
    h = await renderApp([], { driver, editXml: ed.editXml, width: 100 });
    await h.press('j', KEY.enter, 'e'); // detail of b1
    await h.settle(60);
    await h.press(KEY.esc, 'k', 'v'); // XML of a1
    await h.settle(40);
    await h.press('e');
    await h.settle(60);
    expect(ed.seen.map((s) => s.name)).toEqual(['b1', 'a1']);
    expect(driver.defined.map((x) => /<name>(\w+)/.exec(x)?.[1])).toEqual(['b1', 'a1']);
    expect(h.frame()).toContain('<vcpu>2</vcpu>'); // the view follows the define
  });

  it('an unchanged file defines nothing and says "not changed"', async () => {
    const driver = new XmlDriver([{ name: 'web1' }]);
    const ed = fakeEditor(() => null);
    h = await renderApp([], { driver, editXml: ed.editXml, width: 100 });
    await h.press('e');
    await h.settle(60);
    expect(driver.defined).toEqual([]);
    expect(status(h)).toContain('web1: XML configuration not changed');
  });

  it('refuses a rename, and the next e opens the renamed text again', async () => {
    const driver = new XmlDriver([{ name: 'web1' }]);
    const renamed = (x: string) => x.replace('<name>web1</name>', '<name>web2</name>');
    const ed = fakeEditor(renamed, (x) => twoVcpus(x.replace('<name>web2</name>', '<name>web1</name>')));
    h = await renderApp([], { driver, editXml: ed.editXml, width: 120 });
    await h.press('e');
    await h.settle(60);
    expect(driver.defined).toEqual([]);
    expect(status(h)).toContain("the name changed to 'web2'; edit cannot rename a domain (e edits again, your text is kept)");
    await h.press('e');
    await h.settle(60);
    expect(ed.seen[1].xml).toBe(renamed(domainXml('web1')));
    expect(driver.defined).toEqual([twoVcpus(domainXml('web1'))]); // named back: that text defines
  });

  it("shows the driver's error, keeps the edited text, and the next e starts from it", async () => {
    const driver = new XmlDriver([{ name: 'web1' }]);
    driver.defineError = new KvmtuiError('INVALID_CONFIG', 'memory: 256 MiB is too small for 2 vCPUs');
    const three = (x: string) => x.replace('<vcpu>2</vcpu>', '<vcpu>3</vcpu>');
    const ed = fakeEditor(twoVcpus, three);
    h = await renderApp([], { driver, editXml: ed.editXml, width: 120 });
    await h.press('e');
    await h.settle(60);
    expect(driver.defined).toEqual([twoVcpus(domainXml('web1'))]);
    expect(status(h)).toContain('edit web1: memory: 256 MiB is too small for 2 vCPUs (e edits again, your text is kept)');
    expect(h.store.getState().xmlDrafts.size).toBe(1);
    // the XML view still shows the stored XML, and says the edit is kept
    await h.press('v');
    await h.settle(40);
    expect(h.frame()).toContain('<vcpu>1</vcpu>');
    expect(h.frame()).toContain('Your edit that did not define is kept');
    driver.defineError = undefined;
    await h.press('e');
    await h.settle(60);
    expect(ed.seen[1].xml).toBe(twoVcpus(domainXml('web1')));
    expect(driver.defined.at(-1)).toBe(three(twoVcpus(domainXml('web1'))));
    expect(status(h)).toContain('web1: XML configuration edited');
    expect(h.store.getState().xmlDrafts.size).toBe(0);
    expect(h.frame()).toContain('<vcpu>3</vcpu>');
    expect(h.frame()).not.toContain('Your edit that did not define is kept');
  });

  it('XML that does not parse is not defined, and is kept', async () => {
    const driver = new XmlDriver([{ name: 'web1' }]);
    const broken = (x: string) => x.replace('</domain>', '');
    const ed = fakeEditor(broken, (x) => x);
    h = await renderApp([], { driver, editXml: ed.editXml, width: 120 });
    await h.press('e');
    await h.settle(60);
    expect(driver.defined).toEqual([]);
    expect(status(h)).toMatch(/✖ edit web1: .+ \(e edits again, your text is kept\)/);
    await h.press('e');
    await h.settle(60);
    expect(ed.seen[1].xml).toBe(broken(domainXml('web1')));
  });

  it('a kept draft saved unchanged is defined again; an emptied one is dropped', async () => {
    const driver = new XmlDriver([{ name: 'web1' }]);
    driver.defineError = new KvmtuiError('INVALID_STATE', 'busy, try later');
    const ed = fakeEditor(twoVcpus, () => null, () => '');
    h = await renderApp([], { driver, editXml: ed.editXml, width: 120 });
    await h.press('e');
    await h.settle(60);
    await h.press('e'); // saved unchanged: the draft is tried again, and fails again
    await h.settle(60);
    expect(driver.defined).toEqual([twoVcpus(domainXml('web1')), twoVcpus(domainXml('web1'))]);
    expect(status(h)).toContain('busy, try later (e edits again');
    await h.press('e'); // emptied: dropped
    await h.settle(60);
    expect(driver.defined).toHaveLength(2);
    expect(status(h)).toContain('empty file, edit cancelled');
    expect(h.store.getState().xmlDrafts.size).toBe(0);
  });

  it("an editor that fails changes nothing and says why", async () => {
    const driver = new XmlDriver([{ name: 'web1' }]);
    const ed = fakeEditor(() => Promise.reject(new KvmtuiError('EXEC_FAILED', "vi exited with 1; domain 'web1' not changed")));
    h = await renderApp([], { driver, editXml: ed.editXml, width: 120 });
    await h.press('e');
    await h.settle(60);
    expect(driver.defined).toEqual([]);
    expect(status(h)).toContain("edit web1: vi exited with 1; domain 'web1' not changed");
    expect(h.store.getState().editing).toBeUndefined();
  });
});

describe('handing the terminal to the editor', () => {
  function parts(log: string[], released: () => boolean) {
    return {
      writer: { suspend: () => log.push('writer.suspend'), resume: () => log.push('writer.resume') },
      screen: { suspend: () => log.push('screen.suspend'), resume: () => log.push('screen.resume') },
      setInput: (on: boolean) => log.push(on ? 'input.on' : 'input.off'),
      inputReleased: () => {
        const r = released();
        if (r) log.push('input.released');
        return r;
      },
    };
  }

  it('suspends, waits for the keys to be let go, runs the editor, resumes in reverse order, also on failure', async () => {
    const log: string[] = [];
    let polls = 0;
    const handoff = createTerminalHandoff(parts(log, () => ++polls > 2));
    const out = await handoff.lend(async () => {
      log.push('edit');
      expect(handoff.lent).toBe(true);
      return 'edited';
    });
    expect(out).toBe('edited');
    expect(log).toEqual(['writer.suspend', 'input.off', 'input.released', 'screen.suspend', 'edit', 'screen.resume', 'input.on', 'writer.resume']);
    expect(handoff.lent).toBe(false);

    log.length = 0;
    await expect(handoff.lend(() => Promise.reject(new Error('editor died')))).rejects.toThrow('editor died');
    expect(log.slice(-3)).toEqual(['screen.resume', 'input.on', 'writer.resume']);
  });

  it('through the app: Ink lets go of stdin while the editor runs and takes it back after', async () => {
    const driver = new XmlDriver([{ name: 'web1' }]);
    const log: string[] = [];
    let handoff: ReturnType<typeof createTerminalHandoff>;
    const readers = () => h!.stdin.listenerCount('readable');
    const editXml: EditXml = (name, xml) =>
      handoff.lend(async () => {
        log.push(`edit ${name}: readers ${readers()}, suspended ${h!.store.getState().terminalSuspended}`);
        return twoVcpus(xml);
      });
    h = await renderApp([], { driver, editXml, width: 100 });
    handoff = createTerminalHandoff({
      ...parts(log, () => readers() === 0),
      setInput: (on) => h!.store.getState().actions.setTerminalSuspended(!on),
    });
    expect(readers()).toBeGreaterThan(0);
    await h.press('e');
    await h.settle(80);
    expect(log).toContain('edit web1: readers 0, suspended true');
    expect(log.indexOf('input.released')).toBeLessThan(log.indexOf('edit web1: readers 0, suspended true'));
    expect(h.store.getState().terminalSuspended).toBe(false);
    expect(readers()).toBeGreaterThan(0);
    expect(driver.defined).toHaveLength(1);
    // keys work again
    await h.press('v');
    await h.settle(40);
    expect(h.frame()).toContain('<vcpu>2</vcpu>');
  });
});
