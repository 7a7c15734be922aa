import { describe, expect, it } from 'vitest';
import { parseMatcher, parseMatchers, newMatcher } from '../../alerting/index.js';

// Re-derived from the documented behaviour of Alertmanager's pkg/labels/parse.go.
describe('parseMatcher (Alertmanager syntax)', () => {
  it.each([
    ['foo=bar', 'foo', '=', 'bar'],
    ['foo="bar"', 'foo', '=', 'bar'],
    ['  foo  !=  "bar baz"  ', 'foo', '!=', 'bar baz'],
    ['foo=~"bar|baz"', 'foo', '=~', 'bar|baz'],
    ['foo!~bar.*', 'foo', '!~', 'bar.*'],
    ['foo=""', 'foo', '=', ''],
    ['foo=', 'foo', '=', ''],
    ['foo="a\\"b"', 'foo', '=', 'a"b'],
    ['foo="a\\\\b"', 'foo', '=', 'a\\b'],
    ['foo="a\\nb"', 'foo', '=', 'a\nb'],
    ['foo="a\\tb"', 'foo', '=', 'a\\tb'], // a spurious escape keeps its backslash
    ['foo=a\\', 'foo', '=', 'a\\'], // a trailing backslash is literal
    ['foo:bar_1="x"', 'foo:bar_1', '=', 'x'],
    ['foo="ünïcode"', 'foo', '=', 'ünïcode'],
  ])('%s', (text, name, type, value) => {
    const m = parseMatcher(text);
    expect([m.name, m.type, m.value]).toEqual([name, type, value]);
  });

  it.each([
    ['1foo=bar', 'bad matcher format'],
    ['foo', 'bad matcher format'],
    ['foo=="bar"', 'unescaped double quote'],
    ['foo="bar', 'unescaped double quote'],
    ['foo="a"b"', 'unescaped double quote'],
    ['foo=~"(?=x)"', 'invalid regular expression'],
  ])('rejects %s', (text, message) => {
    expect(() => parseMatcher(text)).toThrow(message);
  });
});

describe('parseMatchers', () => {
  it.each([
    [
      '{foo = "bar", dings != "bums", }',
      [
        ['foo', '=', 'bar'],
        ['dings', '!=', 'bums'],
      ],
    ],
    [
      'foo=bar,dings!=bums',
      [
        ['foo', '=', 'bar'],
        ['dings', '!=', 'bums'],
      ],
    ],
    ['{quote="She said: \\"Hi, ladies!\\""}', [['quote', '=', 'She said: "Hi, ladies!"']]],
    ['statuscode=~"5.."', [['statuscode', '=~', '5..']]],
    [
      'a=~"x,y", b="1"',
      [
        ['a', '=~', 'x,y'],
        ['b', '=', '1'],
      ],
    ],
  ])('%s', (text, want) => {
    expect(parseMatchers(text).map((m) => [m.name, m.type, m.value])).toEqual(want);
  });
});

describe('regex matchers are RE2, fully anchored', () => {
  it.each([
    ['a|b', 'a', true],
    ['a|b', 'ab', false], // anchored around the whole alternation
    ['b', 'abc', false],
    ['(?i)prod', 'PROD', true],
    ['\\pL+', 'héllo', true],
    ['[[:digit:]]+', '123', true],
    ['\\x{fc}', 'ü', true],
    ['.*', '', true],
    ['.', '\n', false], // dot does not match newline without (?s)
    ['(?s).', '\n', true],
    ['a$', 'a\n', false], // $ is end of text in RE2, not before a final newline
  ])('%s ~ %j → %s', (re, value, want) => {
    expect(newMatcher('=~', 'x', re).matches(value)).toBe(want);
    expect(newMatcher('!~', 'x', re).matches(value)).toBe(!want);
  });

  it.each(['(?=a)', '(a)\\1', '(?<!a)b', 'a++'])('rejects non-RE2 syntax %s', (re) => {
    expect(() => newMatcher('=~', 'x', re)).toThrow(/invalid regular expression/);
  });
});
