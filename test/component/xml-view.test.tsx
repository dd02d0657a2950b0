import chalk from 'chalk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { highlightXml } from '../../src/ui/xml-highlight.js';
import { KEY, renderApp, type Harness } from './harness.js';
import { XmlDriver, domainXml } from './xml-driver.js';

let h: Harness | undefined;
let level: typeof chalk.level;
beforeEach(() => {
  level = chalk.level;
  chalk.level = 3; // as on a colour terminal
});
afterEach(() => {
  h?.unmount();
  h = undefined;
  chalk.level = level;
});

const COLOUR = /\x1b\[(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]/;
// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

/** an XML of `n` numbered lines between the root's tags */
function longXml(n: number): string {
  const body = Array.from({ length: n }, (_, i) => `  <description>line ${i + 1}</description>`);
  return ["<domain type='qemu'>", '  <name>big</name>', ...body, '</domain>'].join('\n');
}

describe('XML view (v)', () => {
  it('shows the stored XML from the list and the detail view; Esc goes back where it came from', async () => {
    const driver = new XmlDriver([{ name: 'web1', vcpus: 3 }]);
    h = await renderApp([], { driver, width: 100, height: 30 });
    await h.press('v');
    await h.settle(40);
    const f = plain(h.frame());
    expect(f).toContain('web1 — XML, read-only (virsh dumpxml)');
    expect(f).toContain("<domain type='qemu'>");
    expect(f).toContain('<vcpu>3</vcpu>');
    expect(f).toContain('<target type="isa-serial" port=\'0\'/>');
    expect(f).toMatch(/lines 1-11 of 11/);
    await h.press(KEY.esc);
    expect(plain(h.frame())).toMatch(/NAME\s+STATE/);
    await h.press(KEY.enter, 'v');
    await h.settle(30);
    expect(plain(h.frame())).toContain('<vcpu>3</vcpu>');
    await h.press(KEY.esc);
    expect(plain(h.frame())).toMatch(/vCPUs\s+3/); // back on the detail view
  });

  it('colours tags, attribute names and values, and comments are dim', async () => {
    const driver = new XmlDriver([{ name: 'web1' }]);
    h = await renderApp([], { driver, width: 100, height: 30, theme: { color: true } });
    await h.press('v');
    await h.settle(40);
    const f = h.frame();
    expect(f).toContain('\x1b[36m<domain'); // tag: accent (cyan)
    expect(f).toContain('\x1b[33mtype'); // attribute name: yellow
    expect(f).toContain("\x1b[32m'qemu'"); // value: green
    expect(f).toMatch(/\x1b\[2m<!-- kept by kvmtui -->/); // comment: dim
  });

  it('under NO_COLOR draws no colour, and the XML reads the same', async () => {
    const driver = new XmlDriver([{ name: 'web1' }]);
    h = await renderApp([], { driver, width: 100, height: 30, theme: { color: false } });
    await h.press('v');
    await h.settle(40);
    const f = h.frame();
    expect(f).not.toMatch(COLOUR);
    expect(plain(f)).toContain("<domain type='qemu'>");
    expect(plain(f)).toContain('<!-- kept by kvmtui -->');
  });

  it('prints guest-controlled text without control characters or bidi overrides', async () => {
    const evil = '  <title>evil\x1b]0;owned\x07 \x9b31m\u202eright\ttab</title>';
    const driver = new XmlDriver([{ name: 'web1' }], { web1: domainXml('web1', 1, evil) });
    h = await renderApp([], { driver, width: 100, height: 30, theme: { color: false } });
    await h.press('v');
    await h.settle(40);
    const f = h.frame();
    expect(f).toContain('<title>evil]0;owned 31mright  tab</title>');
    for (const bad of ['\x07', '\x9b', '\u202e', '\t', '\x1b]']) expect(f).not.toContain(bad);
  });

  it('scrolls with j/k, PgDn/PgUp, End/Home, within the document', async () => {
    const driver = new XmlDriver([{ name: 'big' }], { big: longXml(60) });
    h = await renderApp([], { driver, width: 80, height: 24 });
    await h.press('v');
    await h.settle(40);
    // 24 rows: header bar, status and footer leave 21; the view's title takes one
    const rows = () => plain(h!.frame()).split('\n');
    const firstShown = () => rows().find((l) => l.startsWith('<') || l.startsWith('  <'));
    expect(firstShown()).toBe("<domain type='qemu'>");
    expect(plain(h.frame())).toContain('lines 1-20 of 63');
    await h.press('j', 'j');
    expect(firstShown()).toBe('  <description>line 1</description>');
    await h.press('k');
    expect(firstShown()).toBe('  <name>big</name>');
    await h.press('\x1b[6~'); // PgDn
    expect(firstShown()).toBe('  <description>line 10</description>');
    await h.press('\x1b[5~'); // PgUp
    expect(firstShown()).toBe('  <name>big</name>');
    await h.press('\x1b[F'); // End
    expect(plain(h.frame())).toContain('lines 44-63 of 63');
    expect(rows().some((l) => l.startsWith('</domain>'))).toBe(true);
    await h.press('j', 'j'); // past the end: stays
    expect(plain(h.frame())).toContain('lines 44-63 of 63');
    await h.press('\x1b[H'); // Home
    expect(plain(h.frame())).toContain('lines 1-20 of 63');
  });

  it('says why when the XML cannot be read', async () => {
    const driver = new XmlDriver([{ name: 'web1' }]);
    driver.fail('getDomain');
    h = await renderApp([], { driver });
    await h.press('v');
    await h.settle(40);
    expect(h.frame()).toContain('XML: getDomain failed');
  });
});

describe('highlightXml', () => {
  it('keeps a tag, a value or a comment that spans lines coloured on every line', () => {
    const rows = highlightXml("<a\n  b='1\n2'>\n<!-- x\ny -->\n");
    expect(rows).toHaveLength(5);
    expect(rows[1]).toContainEqual(expect.objectContaining({ text: 'b', color: 'yellow' }));
    expect(rows[2][0]).toMatchObject({ text: "2'", color: 'green' });
    expect(rows[2][1]).toMatchObject({ text: '>', color: 'cyan' });
    expect(rows[4][0]).toMatchObject({ text: 'y -->', dim: true });
  });
});
