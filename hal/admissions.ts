/**
 * Where a gate's admissions come from: a credential someone else has accepted (a reader, the back
 * office). The serial build takes them from the console (docs/gate.md, "Admissions"); the MQTT
 * build will take signed tokens.
 */
export interface Admissions {
  /** Calls onAdmit for each admission: the lane's index (from 0), the credential as it came, and the clock time it arrived. */
  watch(onAdmit: (lane: number, token: string, tMs: number) => void): void;
}
