import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { errorMessage } from '../../core/index.js';
import type { Tree } from './ast.js';
import { AM_FUNCS } from './am-funcs.js';
import { dataValue, type TemplateData } from './data.js';
import { DEFAULT_TMPL, EMAIL_TMPL, MSTEAMS_TMPL } from './default-templates.js';
import { execute, withBuiltins } from './exec.js';
import { goGlob } from './glob.js';
import { htmlEscape, stripHtmlComments } from './html-escape.js';
import { TemplateError } from './lexer.js';
import { isEmpty, parseTemplate } from './parser.js';
import type { GoValue } from './values.js';

const FUNCS = withBuiltins(AM_FUNCS);
const FUNC_NAMES = new Set(Object.keys(FUNCS));

/** Go's AddParseTree across parses: a later definition replaces, unless it is empty. */
function merge(into: Map<string, Tree>, from: Map<string, Tree>): void {
  for (const [name, t] of from) {
    const old = into.get(name);
    if (old && isEmpty(t.root) && !isEmpty(old.root)) continue;
    into.set(name, t);
  }
}

/**
 * Alertmanager's Template (template/template.go, 0.25): the default templates (default.tmpl,
 * email.tmpl, and 0.26's msteams definitions), then the files of the `templates:` globs, then the text of a field, evaluated with
 * Go's text/template semantics (missingkey=zero) and Alertmanager's functions.
 */
export class Templates {
  readonly #text = new Map<string, Tree>();
  readonly #html = new Map<string, Tree>();
  /** The set with a field's text parsed in, per text: receiver fields are few and sent often. */
  readonly #cache = new Map<string, Map<string, Tree>>();

  private constructor() {}

  /** Parses the default templates, then every file the globs match (template.FromGlobs). */
  static fromGlobs(globs: readonly string[], cwd?: string): Templates {
    const t = new Templates();
    t.add('', DEFAULT_TMPL);
    t.add('', EMAIL_TMPL);
    t.add('', MSTEAMS_TMPL);
    for (const g of globs) {
      for (const file of goGlob(g, cwd)) {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (err) {
          throw new TemplateError(`template: cannot read ${file}: ${errorMessage(err)}`);
        }
        t.add(basename(file), text);
      }
    }
    return t;
  }

  /** Adds one parsed text (a file's content) under its name. */
  add(name: string, text: string): void {
    merge(this.#text, parseTemplate(name, text, FUNC_NAMES));
    merge(this.#html, parseTemplate(name, stripHtmlComments(text), FUNC_NAMES));
    this.#cache.clear();
  }

  /** ExecuteTextString: `text` is parsed as the template "" in a copy of the set and executed. */
  executeText(text: string, data: TemplateData | GoValue): string {
    return this.#run(text, data, false);
  }

  /** ExecuteHTMLString: as executeText, with html/template's escaping of printed values. */
  executeHtml(text: string, data: TemplateData | GoValue): string {
    return this.#run(text, data, true);
  }

  /** Parses a text without executing it (config check of a template field). */
  check(text: string): void {
    parseTemplate('', text, FUNC_NAMES);
  }

  #setFor(text: string, html: boolean): Map<string, Tree> {
    const key = `${html ? 'h' : 't'}${text}`;
    let trees = this.#cache.get(key);
    if (!trees) {
      trees = new Map(html ? this.#html : this.#text);
      merge(trees, parseTemplate('', html ? stripHtmlComments(text) : text, FUNC_NAMES));
      if (this.#cache.size >= CACHE_MAX) this.#cache.delete(this.#cache.keys().next().value!);
      this.#cache.set(key, trees);
    }
    return trees;
  }

  #run(text: string, data: TemplateData | GoValue, html: boolean): string {
    if (text === '') return '';
    const trees = this.#setFor(text, html);
    const dot = isTemplateData(data) ? dataValue(data) : data;
    return execute({ trees, funcs: FUNCS, escape: html ? htmlEscape : undefined }, '', dot);
  }
}

const CACHE_MAX = 512;

function isTemplateData(d: TemplateData | GoValue): d is TemplateData {
  return typeof d === 'object' && d !== null && d.constructor === Object;
}
