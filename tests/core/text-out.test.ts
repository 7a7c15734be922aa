import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, printable } from '../../core/index.js';

describe('csvCell: OWASP CSV injection rule', () => {
  it.each([
    ['=HYPERLINK("http://x.example","click")', `"'=HYPERLINK(""http://x.example"",""click"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['upgrade', 'upgrade'],
    ['a,b', '"a,b"'],
    ['', ''],
  ])('%j → %s', (input, want) => {
    expect(csvCell(input)).toBe(want);
  });

  it('leaves numbers numbers (a negative budget is data)', () => {
    expect(csvRow([-120, 0.999, null, true])).toBe('-120,0.999,,true');
  });
});

describe('printable: file names from others, safe for a terminal', () => {
  it.each([
    ['plain.txt', 'plain.txt'],
    ['evil\x1b[2J\x1b[1;1Hclean.txt', 'evil\\x1b[2J\\x1b[1;1Hclean.txt'],
    ['two\nlines: OK', 'two\\x0alines: OK'],
    ['bell\x07\x7f\x9b', 'bell\\x07\\x7f\\x9b'],
    ['gpj.\u202eexe', 'gpj.\\u{202e}exe'],
    ['back\\slash', 'back\\\\slash'],
    ['café ünïcode', 'café ünïcode'],
  ])('%j → %s', (input, want) => {
    expect(printable(input)).toBe(want);
  });
});
