import type { Arg, Command, Node, Pipe, Tree } from './ast.js';
import { lex, TemplateError, type Token } from './lexer.js';
import { unquoteChar, unquoteString } from './literals.js';

/**
 * Parses a template text into its main tree and the trees it defines (`define`, `block`), as Go's
 * text/template/parse (Go 1.19). `funcs` are the names callable as functions: an unknown name is
 * a parse error, as in Go.
 */
export function parseTemplate(name: string, text: string, funcs: ReadonlySet<string>): Map<string, Tree> {
  return new Parser(name, lex(name, text), funcs).parseAll();
}

class Parser {
  #i = 0;
  #vars: string[][] = [['$']];
  #rangeDepth = 0;
  readonly #trees = new Map<string, Tree>();

  constructor(
    readonly name: string,
    readonly toks: Token[],
    readonly funcs: ReadonlySet<string>,
  ) {}

  fail(msg: string, tok: Token = this.peek()): never {
    throw new TemplateError(`template: ${this.name}:${tok.line}: ${msg}`);
  }
  peek(): Token {
    return this.toks[this.#i]!;
  }
  next(): Token {
    return this.toks[this.#i++]!;
  }
  /** The next token that is not a space. */
  nextNonSpace(): Token {
    let t = this.next();
    while (t.kind === 'space') t = this.next();
    return t;
  }
  peekNonSpace(): Token {
    const save = this.#i;
    const t = this.nextNonSpace();
    this.#i = save;
    return t;
  }

  parseAll(): Map<string, Tree> {
    const root: Node[] = [];
    while (this.peek().kind !== 'eof') {
      if (this.peek().kind === 'left') {
        const save = this.#i;
        this.next();
        const t = this.nextNonSpace();
        if (t.kind === 'keyword' && t.text === 'define') {
          this.parseDefine();
          continue;
        }
        this.#i = save;
      }
      const n = this.textOrAction();
      if (n.kind !== 'node') this.fail(`unexpected ${n.tok.text === '' ? 'EOF' : `{{${n.kind}}}`}`, n.tok);
      root.push(n.node);
    }
    this.addTree({ name: this.name, root });
    return this.#trees;
  }

  /** Go's Tree.add: within one text, a name may be defined non-empty only once. */
  addTree(t: Tree): void {
    const old = this.#trees.get(t.name);
    if (old && !isEmpty(old.root)) {
      if (!isEmpty(t.root)) this.fail(`template: multiple definition of template "${t.name}"`);
      return;
    }
    this.#trees.set(t.name, t);
  }

  parseDefine(): void {
    const nameTok = this.nextNonSpace();
    const name = this.stringConst(nameTok, 'define clause');
    this.expect('right', 'define clause');
    const saved = this.#vars;
    this.#vars = [['$']];
    const [list, end] = this.itemList();
    this.#vars = saved;
    if (end !== 'end') this.fail(`unexpected {{${end}}} in define clause`);
    this.addTree({ name, root: list });
  }

  stringConst(t: Token, ctx: string): string {
    if (t.kind === 'string') return unquoteString(t.text, (m) => this.fail(m, t));
    if (t.kind === 'raw') return t.text.slice(1, -1);
    return this.fail(`unexpected "${t.text}" in ${ctx}`, t);
  }

  expect(kind: Token['kind'], ctx: string): Token {
    const t = this.nextNonSpace();
    if (t.kind !== kind) this.fail(`unexpected "${t.text}" in ${ctx}`, t);
    return t;
  }

  /** Nodes up to an `{{end}}` or `{{else}}`; returns which one ended the list. */
  itemList(): [Node[], 'end' | 'else'] {
    const list: Node[] = [];
    for (;;) {
      if (this.peek().kind === 'eof') this.fail('unexpected EOF');
      const n = this.textOrAction();
      if (n.kind === 'node') list.push(n.node);
      else return [list, n.kind];
    }
  }

  textOrAction(): { kind: 'node'; node: Node } | { kind: 'end' | 'else'; tok: Token } {
    const t = this.next();
    if (t.kind === 'text') return { kind: 'node', node: { t: 'text', text: t.text } };
    if (t.kind === 'eof') return { kind: 'end', tok: t };
    if (t.kind !== 'left') this.fail(`unexpected ${t.text}`, t);
    return this.action();
  }

  action(): { kind: 'node'; node: Node } | { kind: 'end' | 'else'; tok: Token } {
    const t = this.peekNonSpace();
    const node = (n: Node) => ({ kind: 'node' as const, node: n });
    if (t.kind === 'keyword') {
      this.nextNonSpace();
      switch (t.text) {
        case 'end':
          this.expect('right', 'end');
          return { kind: 'end', tok: t };
        case 'else':
          return { kind: 'else', tok: t };
        case 'if':
        case 'with':
        case 'range':
          return node(this.control(t.text, t));
        case 'template':
        case 'block':
          return node(this.templateCall(t.text, t));
        case 'break':
        case 'continue':
          if (this.#rangeDepth === 0) this.fail(`{{${t.text}}} outside {{range}}`, t);
          this.expect('right', t.text);
          return node({ t: t.text });
        case 'define':
          return this.fail('unexpected <define> in command', t);
      }
    }
    const start = this.#i;
    const pipe = this.pipeline('command', 'right');
    return node({ t: 'action', pipe, line: t.line, src: this.source(start) });
  }

  source(from: number): string {
    return this.toks
      .slice(from, this.#i - 1)
      .map((x) => x.text)
      .join('')
      .trim();
  }

  control(kind: 'if' | 'with' | 'range', tok: Token): Node {
    this.#vars.push([]);
    const pipe = this.pipeline(kind, 'right');
    if (kind === 'range') this.#rangeDepth++;
    const [list, first] = this.itemList();
    let end = first;
    if (kind === 'range') this.#rangeDepth--;
    let elseList: Node[] | null = null;
    if (end === 'else') {
      const nt = this.peekNonSpace();
      // `{{else if ...}}` is an `if` nested in the else branch that shares this `{{end}}`.
      if (kind === 'if' && nt.kind === 'keyword' && nt.text === 'if') {
        this.nextNonSpace();
        elseList = [this.control('if', nt)];
        this.#vars.pop();
        return { t: kind, pipe, list, elseList, line: tok.line };
      }
      this.expect('right', 'else');
      [elseList, end] = this.itemList();
      if (end !== 'end') this.fail('expected end; found {{else}}');
    }
    this.#vars.pop();
    return { t: kind, pipe, list, elseList, line: tok.line };
  }

  templateCall(kind: 'template' | 'block', tok: Token): Node {
    const start = this.#i - 1;
    const name = this.stringConst(this.nextNonSpace(), `${kind} clause`);
    let pipe: Pipe | null = null;
    if (this.peekNonSpace().kind !== 'right') pipe = this.pipeline(`${kind} clause`, 'right');
    else this.nextNonSpace();
    if (kind === 'block') {
      const saved = this.#vars;
      this.#vars = [['$']];
      const [list, end] = this.itemList();
      this.#vars = saved;
      if (end !== 'end') this.fail('unexpected {{else}} in block clause');
      this.addTree({ name, root: list });
    }
    return { t: 'template', name, pipe, line: tok.line, src: `{{${this.srcOf(start)}}}` };
  }

  srcOf(from: number): string {
    return this.toks
      .slice(from, this.#i)
      .filter((x) => x.kind !== 'right')
      .map((x) => x.text)
      .join('')
      .trim();
  }

  pipeline(ctx: string, end: 'right' | 'rparen'): Pipe {
    const pipe: Pipe = { decl: [], isAssign: false, cmds: [] };
    // Declarations: `$x :=`, `$x =`, and in range `$i, $e :=`.
    const save = this.#i;
    const v = this.nextNonSpace();
    if (v.kind === 'variable') {
      const op = this.nextNonSpace();
      if (op.kind === 'declare' || op.kind === 'assign') {
        pipe.decl.push(v.text);
        pipe.isAssign = op.kind === 'assign';
        if (op.kind === 'declare') this.#vars.at(-1)!.push(v.text);
        else this.lookupVar(v);
      } else if (op.kind === 'comma' && ctx === 'range') {
        const v2 = this.nextNonSpace();
        const op2 = this.nextNonSpace();
        if (v2.kind !== 'variable' || (op2.kind !== 'declare' && op2.kind !== 'assign'))
          this.fail('range can only initialize variables', v2);
        pipe.decl.push(v.text, v2.text);
        pipe.isAssign = op2.kind === 'assign';
        if (op2.kind === 'declare') this.#vars.at(-1)!.push(v.text, v2.text);
      } else if (op.kind === 'comma') this.fail(`too many declarations in ${ctx}`, op);
      else this.#i = save;
    } else this.#i = save;
    for (;;) {
      const t = this.peekNonSpace();
      if (t.kind === end) {
        this.nextNonSpace();
        if (pipe.cmds.length === 0) this.fail(`missing value for ${ctx}`, t);
        for (const c of pipe.cmds.slice(1)) {
          const a = c.args[0]!;
          if (['bool', 'dot', 'nil', 'number', 'string'].includes(a.t))
            this.fail(`non executable command in pipeline stage ${pipe.cmds.indexOf(c) + 1}`, t);
        }
        return pipe;
      }
      pipe.cmds.push(this.command(end));
    }
  }

  command(end: 'right' | 'rparen'): Command {
    const args: Arg[] = [];
    const start = this.#i;
    for (;;) {
      const t = this.peekNonSpace();
      if (t.kind === end || t.kind === 'pipe') {
        if (args.length === 0) this.fail('empty command', t);
        const src = this.toks
          .slice(start, this.#i)
          .map((x) => x.text)
          .join('')
          .trim();
        if (t.kind === 'pipe') this.nextNonSpace();
        return { args, src };
      }
      if (t.kind === 'right' || t.kind === 'rparen' || t.kind === 'eof')
        this.fail(`unexpected ${t.kind === 'eof' ? 'EOF' : `"${t.text}"`} in operand`, t);
      const op = this.operand();
      args.push(op);
      // Operands are separated by spaces; a term right after another is an error (`.A"b"`).
      const n = this.peek();
      if (
        n.kind !== 'space' &&
        n.kind !== end &&
        n.kind !== 'pipe' &&
        n.kind !== 'right' &&
        n.kind !== 'rparen'
      )
        this.fail(`missing space?`, n);
    }
  }

  operand(): Arg {
    const term = this.term();
    if (this.peek().kind !== 'field') return term;
    const fields: string[] = [];
    while (this.peek().kind === 'field') fields.push(this.next().text.slice(1));
    if (term.t === 'field') return { t: 'field', idents: [...term.idents, ...fields] };
    if (term.t === 'variable') return { t: 'variable', idents: [...term.idents, ...fields] };
    if (['bool', 'string', 'number', 'nil', 'dot'].includes(term.t))
      this.fail(`unexpected . after term "${fields[0]}"`);
    return { t: 'chain', node: term, fields };
  }

  term(): Arg {
    const t = this.nextNonSpace();
    switch (t.kind) {
      case 'identifier':
        if (!this.funcs.has(t.text)) this.fail(`function "${t.text}" not defined`, t);
        return { t: 'identifier', name: t.text };
      case 'dot':
        return { t: 'dot' };
      case 'nil':
        return { t: 'nil' };
      case 'variable':
        this.lookupVar(t);
        return { t: 'variable', idents: [t.text] };
      case 'field':
        return { t: 'field', idents: [t.text.slice(1)] };
      case 'bool':
        return { t: 'bool', value: t.text === 'true' };
      case 'char':
      case 'number':
        return this.number(t);
      case 'lparen':
        return { t: 'pipe', pipe: this.pipeline('parenthesized pipeline', 'rparen') };
      case 'string':
      case 'raw':
        return { t: 'string', value: this.stringConst(t, 'operand') };
      default:
        return this.fail(`unexpected "${t.text}" in operand`, t);
    }
  }

  lookupVar(t: Token): void {
    if (!this.#vars.some((scope) => scope.includes(t.text))) this.fail(`undefined variable "${t.text}"`, t);
  }

  number(t: Token): Arg {
    if (t.kind === 'char') {
      const cp = unquoteChar(t.text, (m) => this.fail(m, t));
      return { t: 'number', text: t.text, int: BigInt(cp), isFloat: false };
    }
    const text = t.text.replaceAll('_', '');
    const hexLike = /^[+-]?0[xX]/.test(text);
    const isFloat = /[.eEpP]/.test(text) && !(hexLike && !/[.pP]/.test(text));
    if (!isFloat) {
      try {
        const neg = text.startsWith('-');
        const body = text.replace(/^[+-]/, '').replace(/^0(?=[0-7]+$)/, '0o');
        const v = BigInt(body);
        return { t: 'number', text: t.text, int: neg ? -v : v, isFloat: false };
      } catch {
        this.fail(`illegal number syntax: "${t.text}"`, t);
      }
    }
    const f = Number(text);
    if (Number.isNaN(f)) this.fail(`illegal number syntax: "${t.text}"`, t);
    return { t: 'number', text: t.text, float: f, isFloat: true };
  }
}

/** Go's parse.IsEmptyTree: only whitespace text. */
export function isEmpty(list: Node[]): boolean {
  return list.every((n) => n.t === 'text' && n.text.trim() === '');
}
