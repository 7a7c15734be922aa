// The parse tree of a Go text/template (src/text/template/parse/node.go, Go 1.19), reduced to
// the node kinds execution needs.

export type Node =
  | { t: 'text'; text: string }
  | { t: 'action'; pipe: Pipe; line: number; src: string }
  | ControlNode
  | { t: 'template'; name: string; pipe: Pipe | null; line: number; src: string }
  | { t: 'break' | 'continue' };

export interface Pipe {
  decl: string[];
  isAssign: boolean;
  cmds: Command[];
}

export interface Command {
  args: Arg[];
  src: string;
}

export type Arg =
  | { t: 'field'; idents: string[] }
  | { t: 'variable'; idents: string[] }
  | { t: 'chain'; node: Arg; fields: string[] }
  | { t: 'identifier'; name: string }
  | { t: 'dot' }
  | { t: 'nil' }
  | { t: 'bool'; value: boolean }
  | { t: 'number'; text: string; int?: bigint; float?: number; isFloat: boolean }
  | { t: 'string'; value: string }
  | { t: 'pipe'; pipe: Pipe };

/** A named template's body. */
export interface Tree {
  name: string;
  root: Node[];
}

/** `if`, `with` and `range`, each with an optional `else` list. */
export interface ControlNode {
  t: 'if' | 'with' | 'range';
  pipe: Pipe;
  list: Node[];
  elseList: Node[] | null;
  line: number;
}
