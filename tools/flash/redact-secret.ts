/*
 * Keeps a secret (the device record: broker login, device key) out of anything a flash prints:
 * its bytes, its base64 (how the upload carries it, whole and in 384-byte chunks, as EspruinoTools
 * cuts files) and its hex are replaced wherever they appear.
 */

const HIDDEN = "<device record>";
const UPLOAD_CHUNK = 384;

export function secretRedactor(secret: Buffer | undefined): (text: string) => string {
  if (secret === undefined || secret.length === 0) return (text) => text;
  const forms = new Set<string>([secret.toString("latin1"), secret.toString("base64"), secret.toString("hex")]);
  for (let at = 0; at < secret.length; at += UPLOAD_CHUNK) forms.add(secret.subarray(at, at + UPLOAD_CHUNK).toString("base64"));
  const sorted = [...forms].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const f of sorted) out = out.split(f).join(HIDDEN);
    return out;
  };
}
