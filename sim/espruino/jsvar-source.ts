import ts from "typescript";

/** What Espruino keeps for one function it has parsed (src/jsparse.c, jspeFunctionDefinitionInternal). */
export interface FnInfo {
  /** Parameter names, each kept as a NAME "\xFF" + name. */
  params: string[];
  /** The code text it keeps (from the body's first token to its last, after a leading `return`), or undefined for an empty body. */
  code: string | undefined;
  /** An arrow function whose body mentions `this` keeps the `this` it was made with (\xFFths). */
  keepsThis: boolean;
  /** `function name(){}` used as an expression keeps its own name (\xFFnam). */
  innerName?: string;
}

/** A class: one function holding the constructor's parameters and code, a prototype with the methods, statics on the function. */
export interface ClassInfo {
  ctor: FnInfo | undefined;
  /** `extends X` without a constructor: Espruino writes "X.apply(this,arguments)" as the code. */
  extendsName?: string;
  methods: { name: string; isStatic: boolean; fn: FnInfo }[];
  innerName?: string;
}

export type FunctionLike = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration | ts.ConstructorDeclaration;

export function isFunctionLike(n: ts.Node): n is FunctionLike {
  return ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n);
}

export function propertyName(name: ts.PropertyName | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

function mentionsThis(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (n.kind === ts.SyntaxKind.ThisKeyword) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** Where the next token starts: past whitespace and comments, as Espruino's lexer skips them. */
function skipTrivia(text: string, pos: number): number {
  for (;;) {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
    if (text.startsWith("//", pos)) pos = text.indexOf("\n", pos) < 0 ? text.length : text.indexOf("\n", pos);
    else if (text.startsWith("/*", pos)) pos = text.indexOf("*/", pos) < 0 ? text.length : text.indexOf("*/", pos) + 2;
    else return pos;
  }
}

/** The code text Espruino stores for a function body, exactly as it slices it from the source. */
function codeOf(body: ts.ConciseBody | undefined, text: string, sf: ts.SourceFile): string | undefined {
  if (body === undefined) return undefined;
  if (!ts.isBlock(body)) {
    // An expression body runs up to where the next token starts (jsparse.c: lastTokenEnd = tokenStart).
    return text.slice(body.getStart(sf), skipTrivia(text, body.end));
  }
  const stmts = body.statements;
  if (stmts.length === 0) return undefined;
  let start = stmts[0].getStart(sf);
  // A body starting with `return` is stored without it (JSV_FUNCTION_RETURN).
  if (ts.isReturnStatement(stmts[0])) start = skipTrivia(text, start + "return".length);
  const code = text.slice(start, stmts[stmts.length - 1].end);
  return code.length > 0 ? code : undefined;
}

export function fnInfo(fn: FunctionLike, text: string, sf: ts.SourceFile): FnInfo {
  const params = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : "?"));
  const info: FnInfo = { params, code: codeOf(fn.body, text, sf), keepsThis: ts.isArrowFunction(fn) && mentionsThis(fn.body) };
  if (ts.isFunctionExpression(fn) && fn.name) info.innerName = fn.name.text;
  return info;
}

export function classInfo(cls: ts.ClassLikeDeclaration, text: string, sf: ts.SourceFile): ClassInfo {
  const info: ClassInfo = { ctor: undefined, methods: [] };
  if (ts.isClassExpression(cls) && cls.name) info.innerName = cls.name.text;
  const ext = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  for (const m of cls.members) {
    if (ts.isConstructorDeclaration(m) && m.body) info.ctor = fnInfo(m, text, sf);
    else if (ts.isMethodDeclaration(m)) {
      const name = propertyName(m.name);
      if (name !== undefined) info.methods.push({ name, isStatic: m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword) ?? false, fn: fnInfo(m, text, sf) });
    }
  }
  if (ext && ts.isIdentifier(ext) && info.ctor === undefined) info.extendsName = ext.text;
  return info;
}

/** Object literal methods (`{ f() {} }`), which are functions made with the object. */
export function objectMethods(obj: ts.ObjectLiteralExpression, text: string, sf: ts.SourceFile): { name: string; fn: FnInfo }[] {
  const out: { name: string; fn: FnInfo }[] = [];
  for (const p of obj.properties) {
    const name = ts.isMethodDeclaration(p) ? propertyName(p.name) : undefined;
    if (ts.isMethodDeclaration(p) && name !== undefined) out.push({ name, fn: fnInfo(p, text, sf) });
  }
  return out;
}
