/*
 * What the NodeMCU flasher types at the REPL. Each line stays under NodeMCU's input limit
 * (LUA_MAXINPUT 256 with the LF: a 256th byte silently throws the line away) and each runs as a
 * chunk of its own, so nothing depends on the multi-line ">>" state.
 *
 * The helper (table _af) is the same Lua for Lua 5.1 and 5.3 and both chips: files through
 * file.open on the ESP8266 and io.open on the ESP32 (dev-esp32 has no file.open), removed, renamed
 * and listed through file. Its checksum is Adler-32 (RFC 1950) kept as its two sums, each below
 * 65521: plain arithmetic that Lua 5.1 (no bitwise operators) and dev-esp32's int32 and float32
 * Lua 5.3 compute exactly, with no crypto module in the firmware build. Every helper takes the
 * call's number first and answers on a line of its own: "##fl NUMBER WORDS..." (typed as
 * "\35#fl", so an echo of the line never looks like its answer).
 */

/** Lines kept at most this long (NodeMCU takes 255 bytes a line). */
export const MAX_LINE = 200;

/** The prefix of a temporary file: SPIFFS names are at most 31 bytes, so a name may have 27. */
export const TEMP_PREFIX = "tmp~";
export const MAX_NAME = 31 - TEMP_PREFIX.length;

/** The file that says a flash began replacing files and did not finish. */
export const UNFLASHED_MARKER = "aisle.unflashed";

/** The helper's definitions, one line each (the caller adds the answer). */
export const HELPER_LINES = [
  `_af={n=1}`,
  `function _af.say(u,...) print("\\35#fl "..u.." "..table.concat({...}," ")) end`,
  `function _af.ad(s,a,b) for i=1,#s do a=(a+s:byte(i))%65521 b=(b+a)%65521 end return a,b end`,
  `function _af.op(n,m) if file.open then return file.open(n,m) end return io.open(n,m) end`,
  `function _af.c() if _af.f then _af.f:close() _af.f=nil end end`,
  `function _af.o(u,n) _af.c() file.remove(n) _af.f=_af.op(n,"w") _af.n=1 _af.say(u,"o",_af.f and "ok" or "fail") end`,
  `function _af.w(u,k,s,a,b) if k<_af.n then return _af.say(u,"w","ok") end if k>_af.n then return _af.say(u,"w","gap") end _af.w2(u,k,s,a,b) end`,
  `function _af.w2(u,k,s,a,b) local x,y=_af.ad(s,1,0) if x~=a or y~=b then return _af.say(u,"w","bad") end _af.w3(u,k,s) end`,
  `function _af.w3(u,k,s) if not _af.f:write(s) then return _af.say(u,"w","fail") end _af.n=k+1 _af.say(u,"w","ok") end`,
  `function _af.vo(u,n) _af.c() _af.f=_af.op(n,"r") _af.l,_af.a,_af.b=0,1,0 _af.say(u,"vo",_af.f and "ok" or "fail") end`,
  `function _af.vr(u) local s for i=1,4 do s=_af.f:read(1024) if not s then break end _af.l=_af.l+#s _af.a,_af.b=_af.ad(s,_af.a,_af.b) end _af.vs(u,s) end`,
  `function _af.vs(u,s) if not s then _af.c() end _af.say(u,"v",_af.l,_af.a,_af.b,s and "more" or "end") end`,
  `function _af.mk(u,n,t) local f=_af.op(n,"w") local ok=f and f:write(t) if f then f:close() end _af.say(u,"mk",ok and "ok" or "fail") end`,
  `function _af.rm(u,n) file.remove(n) _af.say(u,"rm",file.exists(n) and "fail" or "ok") end`,
  `function _af.mv(u,t,n) if file.exists(t) then file.remove(n) file.rename(t,n) end _af.say(u,"mv",(file.exists(n) and not file.exists(t)) and "ok" or "fail") end`,
  `function _af.clean(u) _af.c() for n in pairs(file.list()) do if n:sub(1,4)=="${TEMP_PREFIX}" then file.remove(n) end end _af.say(u,"clean") end`,
];

/**
 * A line that ends whatever chunk the REPL may be waiting to complete (after a line garbled on the
 * wire left it at ">>"): "]]", "]=]" and "]==]" close long strings and comments, ")" a call, and
 * "x x" is an error after anything. At a fresh prompt it is just a syntax error.
 */
export const RESYNC_LINE = "]]]=]]==]) x x";

/** Adler-32's two sums (RFC 1950, §8.2) over bytes, carried on from a and b. */
export function adler(bytes: Buffer, a = 1, b = 0): [number, number] {
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return [a, b];
}

/** One byte in a Lua string literal: printable ASCII as itself, anything else as \ddd (the same in Lua 5.1 and 5.3). */
function escapeByte(byte: number): string {
  if (byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c) return String.fromCharCode(byte);
  return "\\" + String(byte).padStart(3, "0");
}

/** The longest run of bytes from `from` whose escaped form fits in maxChars. */
export function luaChunk(bytes: Buffer, from: number, maxChars: number): { text: string; end: number } {
  let text = "";
  let at = from;
  while (at < bytes.length) {
    const piece = escapeByte(bytes[at]);
    if (text.length + piece.length > maxChars) break;
    text += piece;
    at++;
  }
  return { text, end: at };
}

/** A whole string as a Lua literal, quotes included. */
export function luaLiteral(text: string): string {
  return `"${[...Buffer.from(text, "latin1")].map(escapeByte).join("")}"`;
}

/** The room a chunk's data has in an upload line: the line less _af.w(ID,K,"",A,B) at its widest. */
export const CHUNK_CHARS = MAX_LINE - `_af.w(9999999,999999,"",65520,65520)`.length;
