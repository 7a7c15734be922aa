import type { Arg, Command, ControlNode, Node, Pipe, Tree } from './ast.js';
import { BUILTINS } from './builtins.js';
import { methodOf } from './data.js';
import { GoCallError, type GoFunc, type MaybeValue, type Param } from './func.js';
import { TemplateError } from './lexer.js';
import { formatV, GoKV, GoSlice, GoStruct, isTrue, typeName, type GoValue } from './values.js';

// Executes a parsed template as Go's text/template (src/text/template/exec.go, Go 1.19) with
// Alertmanager's option missingkey=zero.

/** `final` when a command is first in its pipeline (Go's missingVal). */
const MISSING = Symbol('missing');
type Final = MaybeValue | typeof MISSING;

class BreakSignal {}
class ContinueSignal {}

/** How printed values are escaped: identity for text, html/template's escapers for HTML. */
export type Escaper = (printed: string, value: MaybeValue, pipe: Pipe, out: string) => string;

export interface ExecOptions {
  trees: ReadonlyMap<string, Tree>;
  funcs: Readonly<Record<string, GoFunc>>;
  escape?: Escaper | undefined;
}

// Go allows 100000 nested template calls; a JavaScript stack holds fewer, so the limit is lower.
const MAX_DEPTH = 1500;

/** Executes template `name` with `dot`; returns the output or throws a TemplateError. */
export function execute(opts: ExecOptions, name: string, dot: GoValue): string {
  const tree = opts.trees.get(name);
  if (!tree) throw new TemplateError(`template: no template "${name}" associated with template ""`);
  const st = new State(opts, tree.name);
  st.vars = [{ name: '$', value: dot }];
  st.walkList(dot, tree.root);
  return st.out.join('');
}

interface Variable {
  name: string;
  value: MaybeValue;
}

class State {
  out: string[] = [];
  vars: Variable[] = [];
  depth = 0;
  at = '';
  line = 0;

  constructor(
    readonly o: ExecOptions,
    public name: string,
  ) {}

  fail(msg: string): never {
    const where = this.at ? ` at <${this.at}>` : '';
    throw new TemplateError(`template: ${this.name}:${this.line}: executing "${this.name}"${where}: ${msg}`);
  }

  walkList(dot: MaybeValue, list: Node[]): void {
    for (const n of list) this.walk(dot, n);
  }

  walk(dot: MaybeValue, n: Node): void {
    switch (n.t) {
      case 'text':
        this.out.push(n.text);
        return;
      case 'action': {
        this.line = n.line;
        this.at = n.src;
        const v = this.evalPipeline(dot, n.pipe);
        if (n.pipe.decl.length === 0) this.print(v, n.pipe);
        return;
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        this.line = n.line;
        const v = this.evalPipeline(dot, n.pipe);
        if (isTrue(v ?? null) && v !== undefined) this.walkList(n.t === 'with' ? v : dot, n.list);
        else if (n.elseList) this.walkList(dot, n.elseList);
        this.vars.length = mark;
        return;
      }
      case 'range':
        return this.walkRange(dot, n);
      case 'template':
        return this.walkTemplate(dot, n);
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
    }
  }

  print(v: MaybeValue, pipe: Pipe): void {
    const s = v === undefined ? '<no value>' : formatV(v);
    this.out.push(this.o.escape ? this.o.escape(s, v, pipe, this.out.join('')) : s);
  }

  walkRange(dot: MaybeValue, n: ControlNode): void {
    this.line = n.line;
    const mark = this.vars.length;
    const val = this.evalPipeline(dot, n.pipe);
    const mark2 = this.vars.length;
    const one = (index: GoValue, elem: GoValue): boolean => {
      if (n.pipe.decl.length > 0) {
        if (n.pipe.isAssign) {
          this.setVar(n.pipe.decl.length > 1 ? n.pipe.decl[1]! : n.pipe.decl[0]!, elem);
          if (n.pipe.decl.length > 1) this.setVar(n.pipe.decl[0]!, index);
        } else {
          this.vars[this.vars.length - 1]!.value = elem;
          if (n.pipe.decl.length > 1) this.vars[this.vars.length - 2]!.value = index;
        }
      }
      try {
        this.walkList(elem, n.list);
      } catch (e) {
        if (e instanceof BreakSignal) return false;
        if (!(e instanceof ContinueSignal)) throw e;
      } finally {
        this.vars.length = mark2;
      }
      return true;
    };
    let ran = false;
    if (val instanceof GoSlice) {
      for (let i = 0; i < val.items.length; i++) {
        ran = true;
        if (!one(BigInt(i), val.items[i]!)) break;
      }
    } else if (val instanceof GoKV) {
      for (const k of val.keys()) {
        ran = true;
        if (!one(k, val.m.get(k)!)) break;
      }
    } else if (val !== undefined && val !== null) {
      this.fail(`range can't iterate over ${formatV(val)}`);
    }
    if (!ran && n.elseList) this.walkList(dot, n.elseList);
    this.vars.length = mark;
  }

  walkTemplate(dot: MaybeValue, n: Extract<Node, { t: 'template' }>): void {
    this.line = n.line;
    this.at = n.src;
    const tree = this.o.trees.get(n.name);
    if (!tree) this.fail(`template "${n.name}" not defined`);
    if (this.depth >= MAX_DEPTH) this.fail(`exceeded maximum template depth (${MAX_DEPTH})`);
    const value = n.pipe ? this.evalPipeline(dot, n.pipe) : undefined;
    const sub = new State(this.o, tree.name);
    sub.out = this.out;
    sub.depth = this.depth + 1;
    sub.vars = [{ name: '$', value }];
    sub.walkList(value, tree.root);
  }

  setVar(name: string, value: MaybeValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }

  varValue(name: string): MaybeValue {
    for (let i = this.vars.length - 1; i >= 0; i--)
      if (this.vars[i]!.name === name) return this.vars[i]!.value;
    return this.fail(`undefined variable: ${name}`);
  }

  evalPipeline(dot: MaybeValue, pipe: Pipe): MaybeValue {
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    const v = value === MISSING ? undefined : value;
    for (const d of pipe.decl) {
      if (pipe.isAssign) this.setVar(d, v);
      else this.vars.push({ name: d, value: v });
    }
    return v;
  }

  notAFunction(args: Arg[], final: Final, what: string): void {
    if (args.length > 1 || final !== MISSING) this.fail(`can't give argument to non-function ${what}`);
  }

  evalCommand(dot: MaybeValue, cmd: Command, final: Final): MaybeValue {
    const first = cmd.args[0]!;
    switch (first.t) {
      case 'field':
        return this.evalFieldChain(dot, dot, first.idents, cmd.args, final);
      case 'chain': {
        const recv = this.evalArg(dot, 'any', first.node);
        return this.evalFieldChain(dot, recv, first.fields, cmd.args, final);
      }
      case 'identifier':
        return this.evalFunction(dot, first.name, cmd.args, final);
      case 'variable': {
        const v = this.varValue(first.idents[0]!);
        if (first.idents.length === 1) {
          this.notAFunction(cmd.args, final, first.idents[0]!);
          return v;
        }
        return this.evalFieldChain(dot, v, first.idents.slice(1), cmd.args, final);
      }
      case 'pipe':
        this.notAFunction(cmd.args, final, '(pipeline)');
        return this.evalPipeline(dot, first.pipe);
      case 'dot':
        this.notAFunction(cmd.args, final, '.');
        return dot;
      default:
        this.notAFunction(cmd.args, final, cmd.src);
        return this.constant(first);
    }
  }

  constant(a: Arg): MaybeValue {
    switch (a.t) {
      case 'bool':
        return a.value;
      case 'string':
        return a.value;
      case 'number':
        return a.isFloat ? a.float! : a.int!;
      case 'nil':
        return this.fail('nil is not a command');
      case 'dot':
        return this.fail('internal: dot is not a constant');
      default:
        return this.fail(`can't handle ${a.t}`);
    }
  }

  evalFieldChain(dot: MaybeValue, recv: MaybeValue, idents: string[], args: Arg[], final: Final): MaybeValue {
    let r = recv;
    for (let i = 0; i < idents.length - 1; i++) r = this.evalField(dot, idents[i]!, [], MISSING, r);
    return this.evalField(dot, idents.at(-1)!, args, final, r);
  }

  evalField(dot: MaybeValue, name: string, args: Arg[], final: Final, recv: MaybeValue): MaybeValue {
    if (recv === undefined) return undefined; // missingkey=zero on no value: no value
    if (recv === null) this.fail(`nil pointer evaluating interface {}.${name}`);
    const m = methodOf(recv, name);
    if (m) return this.evalCall(dot, m, name, args, final);
    const hasArgs = args.length > 1 || final !== MISSING;
    if (recv instanceof GoStruct && recv.fields.has(name)) {
      if (hasArgs) this.fail(`${name} has arguments but cannot be invoked as function`);
      return recv.fields.get(name);
    }
    if (recv instanceof GoKV) {
      if (hasArgs) this.fail(`${name} is not a method but has arguments`);
      return recv.m.get(name) ?? '';
    }
    return this.fail(`can't evaluate field ${name} in type ${typeName(recv)}`);
  }

  evalFunction(dot: MaybeValue, name: string, args: Arg[], final: Final): MaybeValue {
    const fn = this.o.funcs[name];
    if (!fn) this.fail(`"${name}" is not a defined function`);
    if (name === 'and' || name === 'or') {
      if (args.length < 2 && final === MISSING)
        this.fail(`wrong number of args for ${name}: want at least 1 got 0`);
      let v: MaybeValue = undefined;
      for (const a of args.slice(1)) {
        v = this.evalArg(dot, 'any', a);
        if (isTrue(v ?? null) === (name === 'or')) return v;
      }
      return final !== MISSING ? (final ?? null) : v;
    }
    return this.evalCall(dot, fn, name, args, final);
  }

  evalCall(dot: MaybeValue, fn: GoFunc, name: string, args: Arg[], final: Final): MaybeValue {
    // Go strips the zeroth argument (the name itself) only when there are arguments at all.
    const real = args.slice(1);
    const given = real.length + (final !== MISSING ? 1 : 0);
    const want = fn.params.length;
    if (fn.variadic ? given < want : given !== want)
      this.fail(
        `wrong number of args for ${name}: want ${fn.variadic ? 'at least ' : ''}${want} got ${given}`,
      );
    const argv: GoValue[] = [];
    const typeAt = (i: number): Param => fn.params[i] ?? fn.variadic ?? 'any';
    real.forEach((a, i) => argv.push(this.evalArg(dot, typeAt(i), a)));
    if (final !== MISSING) argv.push(this.validate(final, typeAt(argv.length)));
    try {
      return fn.call(argv);
    } catch (err) {
      if (err instanceof GoCallError) this.fail(`error calling ${name}: ${err.message}`);
      throw err;
    }
  }

  validate(v: MaybeValue, p: Param): GoValue {
    if (v === undefined) {
      if (p === 'any' || p === '[]string') return null;
      return this.fail(`invalid value; expected ${p}`);
    }
    const ok =
      p === 'any' ||
      (p === 'string' && typeof v === 'string') ||
      (p === 'int' && typeof v === 'bigint') ||
      (p === 'bool' && typeof v === 'boolean') ||
      (p === '[]string' && v instanceof GoSlice && v.type === '[]string');
    if (!ok) this.fail(`wrong type for value; expected ${p}; got ${typeName(v)}`);
    return v;
  }

  evalArg(dot: MaybeValue, p: Param, a: Arg): GoValue {
    switch (a.t) {
      case 'dot':
        return this.validate(dot, p);
      case 'nil':
        if (p === 'any' || p === '[]string') return null;
        return this.fail(`cannot assign nil to ${p}`);
      case 'field':
        return this.validate(this.evalFieldChain(dot, dot, a.idents, [a], MISSING), p);
      case 'variable':
        return this.validate(this.evalCommand(dot, { args: [a], src: '' }, MISSING), p);
      case 'chain':
        return this.validate(this.evalCommand(dot, { args: [a], src: '' }, MISSING), p);
      case 'pipe':
        return this.validate(this.evalPipeline(dot, a.pipe), p);
      case 'identifier':
        return this.validate(this.evalFunction(dot, a.name, [a], MISSING), p);
    }
    const c = this.constant(a) as GoValue;
    if (p === 'any') return c;
    const ok =
      (p === 'string' && a.t === 'string') ||
      (p === 'bool' && a.t === 'bool') ||
      (p === 'int' && a.t === 'number' && !a.isFloat);
    if (!ok) this.fail(`expected ${p}; found ${a.t === 'string' ? JSON.stringify(c) : formatV(c)}`);
    return c;
  }
}

/** Every function name a template may call: Go's builtins plus the given ones. */
export function withBuiltins(funcs: Record<string, GoFunc>): Record<string, GoFunc> {
  return { ...BUILTINS, ...funcs };
}
