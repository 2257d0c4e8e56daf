/*
 * When Espruino's REPL runs what was typed: on Enter, once the brackets of the input balance
 * (jsiCountBracketsInInput, Espruino 2v29 jsinteractive.c). It counts ( [ { against ) ] } with its
 * own lexer, so brackets in strings, template literals, comments and regular expressions do not
 * count. An unfinished string runs at once (so that it errors); an unfinished comment or template
 * literal waits for more.
 */

/** Tokens after which a `/` starts a regular expression rather than a division. */
const REGEX_AFTER_WORDS = new Set(["return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await"]);

const UNFINISHED_WAITS = 1000;

export function countBrackets(input: string): number {
  let brackets = 0;
  let i = 0;
  // What came last: a word, a value (number, string, closing bracket), or punctuation (a regex may follow).
  let last: "start" | "word" | "value" | "punct" = "start";
  let lastWord = "";
  const n = input.length;
  while (i < n) {
    const c = input[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (c === "/" && input[i + 1] === "/") {
      while (i < n && input[i] !== "\n") i++;
    } else if (c === "/" && input[i + 1] === "*") {
      const end = input.indexOf("*/", i + 2);
      if (end < 0) return UNFINISHED_WAITS;
      i = end + 2;
    } else if (c === '"' || c === "'") {
      i = skipString(input, i + 1, c);
      if (i < 0) return 0;
      last = "value";
    } else if (c === "`") {
      i = skipTemplate(input, i + 1);
      if (i < 0) return UNFINISHED_WAITS;
      last = "value";
    } else if (c === "/" && (last === "start" || last === "punct" || (last === "word" && REGEX_AFTER_WORDS.has(lastWord)))) {
      i = skipRegex(input, i + 1);
      last = "value";
    } else if (/[A-Za-z_$\d.]/.test(c)) {
      const start = i;
      while (i < n && /[\w$.]/.test(input[i])) i++;
      lastWord = input.slice(start, i);
      last = /^[A-Za-z_$]/.test(lastWord) ? "word" : "value";
    } else {
      if (c === "(" || c === "[" || c === "{") brackets++;
      if (c === ")" || c === "]" || c === "}") brackets--;
      if (brackets < 0) break;
      last = c === ")" || c === "]" || c === "}" ? "value" : "punct";
      i++;
    }
  }
  return brackets;
}

/** The index after the closing quote, or -1 when the string never ends. */
function skipString(s: string, i: number, quote: string): number {
  for (; i < s.length; i++) {
    if (s[i] === "\\") i++;
    else if (s[i] === quote) return i + 1;
  }
  return -1;
}

/** The index after the closing backtick (with ${...} inside, to any depth), or -1. */
function skipTemplate(s: string, i: number): number {
  for (; i < s.length; i++) {
    if (s[i] === "\\") {
      i++;
    } else if (s[i] === "`") {
      return i + 1;
    } else if (s[i] === "$" && s[i + 1] === "{") {
      let depth = 1;
      i += 2;
      for (; i < s.length && depth > 0; i++) {
        if (s[i] === "{") depth++;
        else if (s[i] === "}") depth--;
        else if (s[i] === "`") {
          i = skipTemplate(s, i + 1);
          if (i < 0) return -1;
          i--;
        } else if (s[i] === '"' || s[i] === "'") {
          i = skipString(s, i + 1, s[i]);
          if (i < 0) return -1;
          i--;
        }
      }
      if (depth > 0) return -1;
      i--;
    }
  }
  return -1;
}

/** The index after a regular expression's flags; a regex runs to the end of its line at most. */
function skipRegex(s: string, i: number): number {
  let inClass = false;
  for (; i < s.length && s[i] !== "\n"; i++) {
    if (s[i] === "\\") i++;
    else if (s[i] === "[") inClass = true;
    else if (s[i] === "]") inClass = false;
    else if (s[i] === "/" && !inClass) {
      i++;
      while (i < s.length && /[a-z]/.test(s[i])) i++;
      return i;
    }
  }
  return i;
}
