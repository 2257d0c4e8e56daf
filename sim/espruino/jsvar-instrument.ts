import ts from "typescript";
import { classInfo, type ClassInfo, fnInfo, type FnInfo, isFunctionLike, objectMethods } from "./jsvar-source.ts";

/** The global the instrumented code reports to (see JsVarTracker). */
export const HOOK = "__jv";

/**
 * A scope Espruino keeps as an object of names: a function call's own (parameters, var, and
 * let/const/function/class at its top level), or a block's, made at its first let or const
 * (src/jsparse.c: jspeStatementVar, jspeBlockStart).
 */
export interface ScopeLevel {
  id: number;
  kind: "function" | "block";
  names: string[];
}

/** A place in the source that makes a function, a class, or an object with methods. */
export interface Site {
  id: number;
  fn?: FnInfo;
  cls?: ClassInfo;
  methods?: { name: string; fn: FnInfo }[];
  /** The scopes, outermost first, that Espruino records in what is made here (\xFFsco). */
  chain: number[];
}

export interface Instrumented {
  code: string;
  sites: Site[];
  levels: Map<number, ScopeLevel>;
  /** Names declared at the top level: they live in Espruino's root scope. */
  rootNames: string[];
}

interface Open {
  level: ScopeLevel;
  /** Where let/const declarations start directly in this block: the block's scope exists after the first. */
  lets: number[];
  hasSite: boolean;
}

interface Edit {
  pos: number;
  close: boolean;
  depth: number;
  text: string;
}

const tokenVar = (o: Open | undefined) => (o ? `$jv${o.level.id}` : "void 0");

function reader(names: string[]): string {
  return `k=>{switch(k){${names.map((n, i) => `case ${i}:return ${n};`).join("")}}}`;
}

/**
 * Instruments a script so that, at run time, every function, class and method it makes can be
 * traced to the source that made it and to the scope objects Espruino would keep with it. V8
 * keeps only the variables a closure uses; Espruino keeps the whole scope, so each scope that
 * can outlive its call gets a reader of all its names.
 */
export function instrument(code: string, filename: string): Instrumented {
  const sf = ts.createSourceFile(filename, code, ts.ScriptTarget.ES2015, true, ts.ScriptKind.JS);
  const edits: Edit[] = [];
  const sites: Site[] = [];
  const levels = new Map<number, ScopeLevel>();
  const rootNames = new Set<string>();
  const stack: Open[] = [];
  let nextId = 1;

  const fnLevel = (): Open | undefined => [...stack].reverse().find((o) => o.level.kind === "function");
  const declare = (o: Open | undefined, name: string) => {
    if (o === undefined) rootNames.add(name);
    else if (!o.level.names.includes(name)) o.level.names.push(name);
  };
  const open = (kind: ScopeLevel["kind"], names: string[]): Open => {
    const o: Open = { level: { id: nextId++, kind, names: [...new Set(names)] }, lets: [], hasSite: false };
    levels.set(o.level.id, o.level);
    stack.push(o);
    return o;
  };
  /** Closes a level; if anything is made inside it, it gets a token, placed by `place`. */
  const close = (o: Open, depth: number, place: (token: string) => void) => {
    stack.pop();
    if (o.hasSite) place(`const ${tokenVar(o)}=${HOOK}.t(${o.level.id},${tokenVar(stack[stack.length - 1])},${reader(o.level.names)});`);
  };
  const site = (node: ts.Node, depth: number, s: Omit<Site, "id" | "chain">, declaredName?: string) => {
    const start = node.getStart(sf);
    const chain = stack.filter((o) => o.level.kind === "function" || o.lets.some((p) => p < start)).map((o) => o.level.id);
    const id = nextId++;
    sites.push({ id, chain, ...s });
    for (const o of stack) o.hasSite = true;
    const tail = `,${id},${tokenVar(stack[stack.length - 1])}${s.fn?.keepsThis ? ",()=>this" : ""})`;
    if (declaredName !== undefined) edits.push({ pos: node.end, close: true, depth, text: `;${HOOK}.f(${declaredName}${tail};` });
    else edits.push({ pos: start, close: false, depth, text: `${HOOK}.f(` }, { pos: node.end, close: true, depth, text: tail });
  };

  const visitFunctionBody = (fn: ts.FunctionLikeDeclaration, depth: number, params: string[]) => {
    const o = open("function", params);
    const body = fn.body;
    if (body === undefined) return void stack.pop();
    if (ts.isBlock(body)) {
      body.statements.forEach((s) => visit(s, depth + 2));
      close(o, depth, (t) => edits.push({ pos: body.getStart(sf) + 1, close: false, depth: depth + 0.5, text: t }));
    } else {
      visit(body, depth + 1);
      close(o, depth, (t) => edits.push({ pos: body.getStart(sf), close: false, depth: depth + 0.5, text: `{${t}return(` }, { pos: body.end, close: true, depth: depth + 0.5, text: ")}" }));
    }
  };

  /**
   * A block's token goes at its start. A for statement's scope (its let) is one object for the
   * whole loop in Espruino, so its token is made once per run of the loop, in the first pass of
   * the body (where V8 can read the loop variable), and kept in a variable around the loop.
   */
  const visitBlockLike = (node: ts.Node, depth: number, inner: ts.Statement) => {
    const o = open("block", []);
    ts.forEachChild(node, (c) => visit(c, depth + 1));
    close(o, depth, (t) => {
      let token = t;
      if (node !== inner) {
        const v = `$jvL${o.level.id}`;
        token = t.replace(/^const (\$jv\d+)=(.*);$/, `const $1=${v}||(${v}=$2);`);
        edits.push({ pos: node.getStart(sf), close: false, depth: depth - 0.25, text: `{let ${v};` }, { pos: node.end, close: true, depth: depth - 0.25, text: "}" });
      }
      if (ts.isBlock(inner)) edits.push({ pos: inner.getStart(sf) + 1, close: false, depth: depth + 0.5, text: token });
      else edits.push({ pos: inner.getStart(sf), close: false, depth: depth + 0.5, text: `{${token}` }, { pos: inner.end, close: true, depth: depth + 0.5, text: "}" });
    });
  };

  function visit(node: ts.Node, depth: number): void {
    if (isFunctionLike(node)) {
      const params = node.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : "")).filter((n) => n !== "");
      if (ts.isFunctionDeclaration(node) && node.name) {
        declare(fnLevel(), node.name.text);
        site(node, depth, { fn: fnInfo(node, code, sf) }, node.name.text);
      } else if (ts.isFunctionExpression(node) || ts.isArrowFunction(node)) {
        site(node, depth, { fn: fnInfo(node, code, sf) });
      }
      visitFunctionBody(node, depth, params);
      return;
    }
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      const cls = classInfo(node, code, sf);
      if (ts.isClassDeclaration(node) && node.name) {
        declare(fnLevel(), node.name.text);
        site(node, depth, { cls }, node.name.text);
      } else site(node, depth, { cls });
      ts.forEachChild(node, (c) => visit(c, depth + 1));
      return;
    }
    if (ts.isObjectLiteralExpression(node)) {
      const methods = objectMethods(node, code, sf);
      if (methods.length > 0) site(node, depth, { methods });
    } else if (ts.isBlock(node)) {
      return visitBlockLike(node, depth, node);
    } else if (ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node)) {
      return visitBlockLike(node, depth, node.statement);
    } else if (ts.isPropertyAccessExpression(node) && readsThrough(node)) {
      // Espruino looks a property of an array, string, number or typed array up in its class's
      // prototype, which puts the class in the root: the hook learns the receiver's type.
      const recv = node.expression;
      edits.push({ pos: recv.getStart(sf), close: false, depth, text: `${HOOK}.p(` }, { pos: recv.end, close: true, depth, text: `,${JSON.stringify(node.name.text)})` });
    } else if (ts.isNewExpression(node)) {
      // `new F` gives F a prototype in Espruino (a built-in class, in the root): the hook learns F from what it made.
      edits.push({ pos: node.getStart(sf), close: false, depth, text: `${HOOK}.n(` }, { pos: node.end, close: true, depth, text: ")" });
    } else if (ts.isVariableDeclarationList(node)) {
      const blockScoped = (node.flags & ts.NodeFlags.BlockScoped) !== 0;
      const target = blockScoped ? stack[stack.length - 1] : fnLevel();
      if (blockScoped && target?.level.kind === "block") target.lets.push(node.getStart(sf));
      for (const d of node.declarations) if (ts.isIdentifier(d.name)) declare(target, d.name.text);
    }
    ts.forEachChild(node, (c) => visit(c, depth + 1));
  }

  sf.statements.forEach((s) => visit(s, 0));
  edits.push({ pos: 0, close: false, depth: -1, text: `${HOOK}.root(${reader([...rootNames])});` });
  return { code: applyEdits(code, edits), sites, levels, rootNames: [...rootNames] };
}

/** A property read whose receiver may be a basic value: not `this.x`, not something assigned, deleted or incremented. */
function readsThrough(node: ts.PropertyAccessExpression): boolean {
  const recv = node.expression;
  if (recv.kind === ts.SyntaxKind.ThisKeyword || recv.kind === ts.SyntaxKind.SuperKeyword) return false;
  const parent = node.parent;
  if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return false;
  if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) return false;
  return !ts.isDeleteExpression(parent);
}

function applyEdits(code: string, edits: Edit[]): string {
  // At one position: what closes comes before what opens; inner closes first, outer opens first.
  edits.sort((a, b) => a.pos - b.pos || (a.close === b.close ? (a.close ? b.depth - a.depth : a.depth - b.depth) : a.close ? -1 : 1));
  let out = "";
  let at = 0;
  const word = /[A-Za-z0-9_$]/;
  for (const e of edits) {
    out += code.slice(at, e.pos);
    // Never glue an insertion to a word beside it ("return" + "__jv.f(").
    const gap = word.test(out[out.length - 1] ?? "") && word.test(e.text[0]) ? " " : "";
    out += gap + e.text + (word.test(e.text[e.text.length - 1]) && word.test(code[e.pos] ?? "") ? " " : "");
    at = e.pos;
  }
  return out + code.slice(at);
}
