import { describe, expect, it } from 'vitest';
import { formatAxis, formatValue, niceCeil } from '../../src/ui/components/charts/format.js';
import { BLOCKS, brailleRows, chartText, sparklineRow } from '../../src/ui/components/charts/render.js';
import { hostSummaryText } from '../../src/ui/components/charts/host-summary.js';

/** number of raised dots in a braille string */
function dots(s: string): number {
  let n = 0;
  for (const ch of s) {
    let b = ch.codePointAt(0)! - 0x2800;
    while (b) {
      n += b & 1;
      b >>= 1;
    }
  }
  return n;
}

describe('sparklineRow', () => {
  it('is exactly `width` cells, newest at the right, padded on the left', () => {
    const row = sparklineRow([0, 50, 100], 6, 100);
    expect([...row]).toHaveLength(6);
    expect(row).toBe(`   ${BLOCKS[0]}${BLOCKS[4]}${BLOCKS[7]}`);
  });

  it('drops the oldest values that do not fit', () => {
    expect(sparklineRow([100, 0, 0, 100], 2, 100)).toBe(`${BLOCKS[0]}${BLOCKS[7]}`);
  });

  it('scales to the largest value when no max is given, and clamps beyond max', () => {
    expect(sparklineRow([5, 10], 2)).toBe(`${BLOCKS[4]}${BLOCKS[7]}`);
    expect(sparklineRow([500, -3], 2, 100)).toBe(`${BLOCKS[7]}${BLOCKS[0]}`);
  });

  it('shows gaps as spaces and survives all-zero or empty data', () => {
    expect(sparklineRow([NaN, 0, 0], 3)).toBe(` ${BLOCKS[0]}${BLOCKS[0]}`);
    expect(sparklineRow([], 4)).toBe('    ');
    expect(sparklineRow([1], 0)).toBe('');
  });
});

describe('brailleRows', () => {
  it('draws cols x rows braille cells', () => {
    const rows = brailleRows([1, 2, 3], 5, 3, 3);
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect([...r]).toHaveLength(5);
      expect([...r].every((c) => c.codePointAt(0)! >= 0x2800 && c.codePointAt(0)! <= 0x28ff)).toBe(true);
    }
  });

  it('fills a full-scale value from bottom to top, and half-scale halfway', () => {
    // 1 cell wide, 2 rows high = 8 dots high; two values fill the two dot columns
    expect(brailleRows([8, 8], 1, 2, 8)).toEqual(['⣿', '⣿']);
    expect(brailleRows([4, 4], 1, 2, 8)).toEqual(['⠀', '⣿']);
    // left column only: dots 1,2,3,7
    expect(brailleRows([4, 0], 1, 1, 4)).toEqual(['⡇']);
  });

  it('places the newest value in the rightmost dot column', () => {
    const [row] = brailleRows([4], 2, 1, 4);
    expect(row).toBe('⠀⢸'); // right column of the last cell: dots 4,5,6,8
  });

  it('always shows at least one dot for a small positive value, none for zero or NaN', () => {
    expect(dots(brailleRows([0.001], 1, 4, 1000).join(''))).toBe(1);
    expect(dots(brailleRows([0, NaN], 1, 4, 1).join(''))).toBe(0);
  });

  it('clamps values above max to the top', () => {
    expect(brailleRows([100, 100], 1, 1, 1)).toEqual(['⣿']);
  });
});

describe('format', () => {
  it('uses binary prefixes for bytes and SI for the rest', () => {
    expect(formatValue(1536, 'B/s')).toBe('1.5 KiB/s');
    expect(formatValue(512 * 1024 * 1024, 'B')).toBe('512 MiB');
    expect(formatValue(999, 'B')).toBe('999 B');
    expect(formatValue(1200, 'ops/s')).toBe('1.2k ops/s');
    expect(formatValue(45.67, '%')).toBe('46%');
    expect(formatValue(4.56, '%')).toBe('4.6%');
    expect(formatValue(undefined, '%')).toBe('-');
    expect(formatValue(NaN, 'B')).toBe('-');
  });

  it('keeps axis labels short', () => {
    expect(formatAxis(2 * 1024 * 1024, 'B/s')).toBe('2MiB');
    expect(formatAxis(100, '%')).toBe('100%');
    expect(formatAxis(0, 'B/s')).toBe('0B');
  });

  it('rounds an axis top up to 1, 2 or 5 times a power of ten within the prefix', () => {
    expect(niceCeil(37, '%')).toBe(50);
    expect(niceCeil(3.4 * 1024 * 1024, 'B/s')).toBe(5 * 1024 * 1024);
    expect(niceCeil(900 * 1024, 'B/s')).toBe(1024 * 1024); // 1 MiB, not "1000 KiB"
    expect(niceCeil(0, 'B/s')).toBe(1024);
    expect(niceCeil(0, 'ops/s')).toBe(1);
  });
});

describe('chartText', () => {
  const data = [0, 10, 20, 40, 20];

  it('fills exactly width x height with a title, axis labels and the plot', () => {
    const rows = chartText({ data, width: 30, height: 6, unit: '%', label: 'CPU', max: 100 });
    expect(rows).toHaveLength(6);
    for (const r of rows) expect([...r]).toHaveLength(30);
    expect(rows[0]).toMatch(/^CPU {2}now 20% {2}peak 40%/);
    expect(rows[1]).toMatch(/^100%┤/);
    expect(rows[5]).toMatch(/^ {3}0┤/);
    expect(rows[3]).toMatch(/^ {4}│/);
  });

  it('plots the data: more dots for a larger series', () => {
    const small = chartText({ data: [10, 10, 10], width: 20, height: 5, unit: '%', label: 'x', max: 100 });
    const big = chartText({ data: [90, 90, 90], width: 20, height: 5, unit: '%', label: 'x', max: 100 });
    const count = (rows: string[]) => dots(rows.slice(1).join('').replace(/[^\u2800-\u28ff]/g, ''));
    expect(count(big)).toBeGreaterThan(count(small) * 5);
  });

  it('picks a tidy scale top from the peak when no max is given', () => {
    const rows = chartText({ data: [3 * 1024 * 1024, 1024], width: 30, height: 4, unit: 'B/s', label: 'vda write' });
    expect(rows[0]!.trimEnd()).toBe('vda write 1 KiB/s ▲3 MiB/s');
    expect(rows[1]).toMatch(/^5MiB┤/);
  });

  it('tightens the title to keep both figures when narrow', () => {
    const title = (width: number) => chartText({ data: [2048, 1024], width, height: 1, unit: 'B/s', label: 'vda write' })[0]!.trimEnd();
    expect(title(40)).toBe('vda write  now 1 KiB/s  peak 2 KiB/s');
    expect(title(34)).toBe('vda write now 1 KiB/s peak 2 KiB/s');
    expect(title(28)).toBe('vda write 1 KiB/s ▲2 KiB/s');
  });

  it('truncates a long title instead of wrapping, and copes with no data', () => {
    const rows = chartText({ data: [], width: 12, height: 2, unit: 'B/s', label: 'a very long label here' });
    expect(rows.map((r) => [...r].length)).toEqual([12, 12]);
    expect(chartText({ data: [], width: 40, height: 3, unit: '%', label: 'CPU' })[0]).toContain('now -  peak -');
  });
});

describe('hostSummaryText', () => {
  it('says host CPU%, memory used of total and the load averages', () => {
    const text = hostSummaryText({ time: 0, cpuPct: 23.4, cpus: 2, memTotalKiB: 24 * 1024 * 1024, memUsedKiB: 1536 * 1024, load: [0.52, 0.4, 0.3] });
    expect(text).toBe('host  CPU 23% of 2 CPUs  ·  mem 1.5 GiB / 24 GiB  ·  load 0.52 0.40 0.30');
  });
  it('shows a dash before the first CPU figure', () => {
    expect(hostSummaryText({ time: 0, cpus: 1, memTotalKiB: 1024, memUsedKiB: 0, load: [0, 0, 0] })).toContain('CPU - of 1 CPU ');
  });
});
