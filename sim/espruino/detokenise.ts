/*
 * Espruino's lexer reads pretokenised code: bytes from 138 up stand for an operator or a
 * reserved word, and a few more carry raw strings and integers (EspruinoTools' "pretokenise"
 * option, which the build uses for the code it flashes: it is smaller, and Espruino skips
 * lexing those words at run time). The virtual board runs code in V8, so it turns the tokens
 * back into text first, as Espruino's lexer would read them (integers are signed).
 */

const FIRST_TOKEN = 138;
/** Espruino's token order (jslex.h, LEX_EQUAL onwards), 2v29. */
const TOKENS = [
  "==", "===", "!=", "!==", "<=", "<<", "<<=", ">=", ">>", ">>>", ">>=", ">>>=", "+=", "-=", "++", "--", "*=", "/=", "%=", "&=", "&&", "|=", "||", "^=", "=>",
  "if", "else", "do", "while", "for", "break", "continue", "function", "return", "var", "let", "const", "this", "throw", "try", "catch", "finally",
  "true", "false", "null", "undefined", "new", "in", "instanceof", "switch", "case", "default", "delete", "typeof", "void", "debugger",
  "class", "extends", "super", "static", "of",
];
const RAW_STRING8 = 0xd1;
const RAW_STRING16 = 0xd2;
const RAW_INT0 = 0xd3;
const RAW_INT8 = 0xd4;
const RAW_INT16 = 0xd5;

const WORD = /[A-Za-z0-9_$]/;

/** Whether code holds pretokenised bytes (plain source is ASCII here: the build emits no other). */
export function isPretokenised(code: string): boolean {
  for (let i = 0; i < code.length; i++) if (code.charCodeAt(i) >= FIRST_TOKEN) return true;
  return false;
}

export function detokenise(code: string): string {
  const out: string[] = [];
  let last = "";
  let lastWasToken = false;
  const emit = (text: string, token: boolean) => {
    // A token and a word beside it must not run together: "return" + "a" needs a space.
    if ((token || lastWasToken) && last !== "" && WORD.test(last[last.length - 1]) && WORD.test(text[0])) out.push(" ");
    out.push(text);
    last = text;
    lastWasToken = token;
  };
  for (let i = 0; i < code.length; i++) {
    const ch = code.charCodeAt(i);
    if (ch < FIRST_TOKEN) {
      emit(code[i], false);
    } else if (ch === RAW_STRING8 || ch === RAW_STRING16) {
      const len = ch === RAW_STRING8 ? code.charCodeAt(i + 1) : code.charCodeAt(i + 1) | (code.charCodeAt(i + 2) << 8);
      const start = i + (ch === RAW_STRING8 ? 2 : 3);
      emit(JSON.stringify(code.slice(start, start + len)), true);
      i = start + len - 1;
    } else if (ch === RAW_INT0) {
      emit("0", true);
    } else if (ch === RAW_INT8) {
      emit(String((code.charCodeAt(i + 1) << 24) >> 24), true);
      i += 1;
    } else if (ch === RAW_INT16) {
      emit(String(((code.charCodeAt(i + 1) | (code.charCodeAt(i + 2) << 8)) << 16) >> 16), true);
      i += 2;
    } else if (ch - FIRST_TOKEN < TOKENS.length) {
      emit(TOKENS[ch - FIRST_TOKEN], true);
    } else {
      throw new SyntaxError(`pretokenised code: unknown token ${ch} at byte ${i}`);
    }
  }
  return out.join("");
}
