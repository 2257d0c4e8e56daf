import { Decoder } from "cbor-x";

/* Device payloads are CBOR maps (docs/mqtt.md); the device's integers come back as numbers, its maps as objects. */
const decoder = new Decoder({ int64AsNumber: true, useRecords: false, mapsAsObjects: true } as ConstructorParameters<typeof Decoder>[0]);

/** A device's message as an object, or undefined when it is not a CBOR map: someone else's payload on our topics. */
export function decodeDevicePayload(payload: Uint8Array): Record<string, unknown> | undefined {
  let m: unknown;
  try {
    m = decoder.decode(payload);
  } catch {
    return undefined;
  }
  return typeof m === "object" && m !== null && !Array.isArray(m) && !(m instanceof Uint8Array) ? (m as Record<string, unknown>) : undefined;
}
