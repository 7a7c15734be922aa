import { describe, expect, it } from 'vitest';
import { html, raw } from '../../dashboards/index.js';
import { pickLang } from '../../dashboards/index.js';

describe('html tagged template', () => {
  it('escapes every interpolated value, in text and in attributes, and nests fragments unescaped', () => {
    const evil = `"><script>alert('x')</script>&`;
    const link = html`<a title="${evil}">${evil}</a>`;
    const out = html`${link}${[html`<b>${1}</b>`, evil]}${raw('<svg/>')}${null}${false}`.value;
    expect(out).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</a>' +
        '<b>1</b>&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;<svg/>',
    );
  });
});

describe('page language', () => {
  it('takes ?lang, then the cookie, then Accept-Language by q-value, else English', () => {
    expect(pickLang('nl', 'en', 'en')).toBe('nl');
    expect(pickLang(undefined, 'nl', 'en')).toBe('nl');
    expect(pickLang('fr', undefined, 'de-DE, nl-NL;q=0.8, en;q=0.5')).toBe('nl');
    expect(pickLang(undefined, undefined, 'en;q=0.4, nl-BE;q=0.9')).toBe('nl');
    expect(pickLang(undefined, undefined, 'nl;q=0, en')).toBe('en');
    expect(pickLang(undefined, undefined, 'de')).toBe('en');
    expect(pickLang(undefined, undefined, undefined)).toBe('en');
  });
});
