/*
 * Constants into the code that uses them, in a NodeMCU bundle. typescript-to-lua turns
 * `const MAX_COUNT = 8388607` into a module-level local, and each function using it into a
 * closure holding it as an upvalue: 24 bytes of Lua heap for the value's cell, 4 for each
 * closure's pointer to it, for good. Literals in code cost nothing there: NodeMCU keeps code and
 * its constants in flash (LFS). An exported constant is worse: the module's whole export table
 * stays in the heap for its functions to read it from.
 *
 * So a module-level local (or export) given a number, string or boolean literal and never
 * assigned again becomes that literal wherever it is read, in its module and in the modules that
 * import it. The declarations stay (a local nobody captures costs nothing after boot; an export
 * must still be there for whoever reads it at run time).
 */

/* luaparse's AST, as much of it as this needs. */
type Node = any;

const isLiteral = (n: Node): boolean =>
  n !== undefined && (n.type === "NumericLiteral" || n.type === "StringLiteral" || n.type === "BooleanLiteral" ||
    (n.type === "UnaryExpression" && n.operator === "-" && n.argument.type === "NumericLiteral"));

const copy = (n: Node): Node => JSON.parse(JSON.stringify(n));

const LEAF_KEYS = new Set(["type", "loc", "range", "raw", "value", "name", "isLocal", "operator", "indexer"]);

/** A binding: a local declared at some point, with the literal it is known to hold (if any). */
interface Binding {
  name: string;
  literal: Node | undefined;
  assigned: boolean;
  uses: { parent: Node; key: string | number }[];
  /** The module a `local x = require(K)` stands for. */
  module?: number;
}

class Scope {
  readonly names = new Map<string, Binding>();
  constructor(readonly parent: Scope | undefined) {}
  find(name: string): Binding | undefined {
    return this.names.get(name) ?? this.parent?.find(name);
  }
  declare(name: string): Binding {
    const b: Binding = { name, literal: undefined, assigned: false, uses: [] };
    this.names.set(name, b);
    return b;
  }
}

interface ModuleInfo {
  id: number;
  fn: Node;
  /** Exports assigned once, at the module's top level, a literal. */
  exports: Map<string, Node>;
  exportUses: Map<string, { parent: Node; key: string | number }[]>;
  spoiled: Set<string>;
  bindings: Binding[];
}

/** Walks a function body, resolving each identifier read to its binding. */
function walkModule(m: ModuleInfo): void {
  const top = new Scope(undefined);
  let exportsBinding: Binding | undefined;
  const expr = (parent: Node, key: string | number, scope: Scope): void => {
    const n = parent[key];
    if (n === null || typeof n !== "object") return;
    if (n.type === "Identifier") {
      scope.find(n.name)?.uses.push({ parent, key });
    } else if (n.type === "FunctionDeclaration") {
      fn(n, scope);
    } else if (n.type === "MemberExpression") {
      if (n.base.type === "Identifier" && exportsBinding && scope.find(n.base.name) === exportsBinding) {
        const list = m.exportUses.get(n.identifier.name) ?? [];
        list.push({ parent, key });
        m.exportUses.set(n.identifier.name, list);
      } else {
        expr(n, "base", scope);
      }
    } else if (n.type === "TableKeyString" || n.type === "TableValue" || n.type === "TableKey") {
      if (n.type === "TableKey") expr(n, "key", scope);
      expr(n, "value", scope);
    } else {
      // Any other expression: its subexpressions (a field name or an operator is no variable).
      for (const k of Object.keys(n)) {
        if (LEAF_KEYS.has(k)) continue;
        const c = n[k];
        if (Array.isArray(c)) c.forEach((_: Node, i: number) => expr(c, i, scope));
        else expr(n, k, scope);
      }
    }
  };
  const fn = (n: Node, scope: Scope): void => {
    const inner = new Scope(scope);
    for (const p of n.parameters) if (p.type === "Identifier") inner.declare(p.name);
    block(n.body, inner);
  };
  const assign = (target: Node, holder: Node, key: string | number, scope: Scope, atTop: boolean, value: Node): void => {
    if (target.type === "Identifier") {
      const b = scope.find(target.name);
      if (b) b.assigned = true;
    } else if (target.type === "MemberExpression" && target.base.type === "Identifier" && exportsBinding && scope.find(target.base.name) === exportsBinding) {
      const name = target.identifier.name;
      if (atTop && isLiteral(value) && !m.exports.has(name) && !m.spoiled.has(name)) m.exports.set(name, value);
      else m.spoiled.add(name);
    } else {
      expr(holder, key, scope);
    }
  };
  const block = (body: Node[], scope: Scope, atTop = false): void => {
    for (const s of body) {
      switch (s.type) {
        case "LocalStatement": {
          s.init.forEach((_: Node, i: number) => expr(s.init, i, scope));
          s.variables.forEach((v: Node, i: number) => {
            const b = scope.declare(v.name);
            if (atTop) m.bindings.push(b);
            const init = s.variables.length === s.init.length ? s.init[i] : undefined;
            if (isLiteral(init)) b.literal = init;
            if (init?.type === "CallExpression" && init.base.type === "Identifier" && init.base.name === "require" && init.arguments[0]?.type === "NumericLiteral") b.module = init.arguments[0].value;
            if (init?.type === "TableConstructorExpression" && init.fields.length === 0 && v.name === "____exports" && atTop) exportsBinding = b;
            if (init?.type === "MemberExpression" && init.base.type === "Identifier") {
              const from = scope.find(init.base.name);
              if (from?.module !== undefined) b.literal = { importFrom: from.module, name: init.identifier.name };
            }
          });
          break;
        }
        case "AssignmentStatement":
          s.variables.forEach((v: Node, i: number) => assign(v, s.variables, i, scope, atTop, s.init[i]));
          s.init.forEach((_: Node, i: number) => expr(s.init, i, scope));
          break;
        case "FunctionDeclaration":
          if (s.isLocal && s.identifier) scope.declare(s.identifier.name);
          else if (s.identifier) assign(s.identifier, s, "identifier", scope, false, undefined);
          fn(s, scope);
          break;
        case "CallStatement":
          expr(s, "expression", scope);
          break;
        case "ReturnStatement":
          s.arguments.forEach((_: Node, i: number) => expr(s.arguments, i, scope));
          break;
        case "IfStatement":
          for (const c of s.clauses) {
            if (c.condition) expr(c, "condition", scope);
            block(c.body, new Scope(scope));
          }
          break;
        case "WhileStatement":
          expr(s, "condition", scope);
          block(s.body, new Scope(scope));
          break;
        case "RepeatStatement": {
          const inner = new Scope(scope);
          block(s.body, inner);
          expr(s, "condition", inner);
          break;
        }
        case "DoStatement":
          block(s.body, new Scope(scope));
          break;
        case "ForNumericStatement": {
          expr(s, "start", scope);
          expr(s, "end", scope);
          expr(s, "step", scope);
          const inner = new Scope(scope);
          inner.declare(s.variable.name);
          block(s.body, inner);
          break;
        }
        case "ForGenericStatement": {
          s.iterators.forEach((_: Node, i: number) => expr(s.iterators, i, scope));
          const inner = new Scope(scope);
          for (const v of s.variables) inner.declare(v.name);
          block(s.body, inner);
          break;
        }
        default:
          break;
      }
    }
  };
  const scope = new Scope(top);
  for (const p of m.fn.parameters) if (p.type === "Identifier") scope.declare(p.name);
  block(m.fn.body, scope, true);
}

/** The bundle's module factories: `[K] = function(...) ... end` fields, wherever their table is. */
function factories(node: Node, out: ModuleInfo[]): void {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const x of node) factories(x, out);
    return;
  }
  if (node.type === "TableKey" && node.key.type === "NumericLiteral" && node.value.type === "FunctionDeclaration" && node.value.parameters.some((p: Node) => p.type === "VarargLiteral")) {
    out.push({ id: node.key.value, fn: node.value, exports: new Map(), exportUses: new Map(), spoiled: new Set(), bindings: [] });
    return;
  }
  for (const k of Object.keys(node)) if (k !== "loc" && k !== "range") factories(node[k], out);
}

/** Inlines the bundle's constant locals and exports into their readers; returns how many reads it replaced. */
export function inlineLuaConstants(chunk: Node): number {
  const mods: ModuleInfo[] = [];
  factories(chunk.body, mods);
  for (const m of mods) walkModule(m);
  const byId = new Map(mods.map((m) => [m.id, m]));
  const exported = (id: number, name: string): Node | undefined => {
    const m = byId.get(id);
    return m && !m.spoiled.has(name) ? m.exports.get(name) : undefined;
  };
  let replaced = 0;
  const put = (use: { parent: Node; key: string | number }, literal: Node) => {
    use.parent[use.key] = copy(literal);
    replaced++;
  };
  for (const m of mods) {
    for (const [name, uses] of m.exportUses) {
      const lit = exported(m.id, name);
      if (lit) for (const u of uses) put(u, lit);
    }
    for (const b of m.bindings) {
      if (b.assigned || b.literal === undefined) continue;
      const lit = b.literal.importFrom !== undefined ? exported(b.literal.importFrom, b.literal.name) : b.literal;
      if (lit) for (const u of b.uses) put(u, lit);
    }
  }
  return replaced;
}
