/*
 * The calibration record in two Store slots, written in turn. A save goes to the slot that does
 * not hold the newest valid record, with the next seq, and is read back; a power cut during it
 * can only spoil that slot, so the reader still finds the previous record whole in the other.
 *
 * No object here carries an undefined property: on Espruino, reading one straight off a call's
 * result, as f().record, throws a ReferenceError.
 */
import type { Store } from "../../hal/store";
import { decodeCalibrationRecord, encodeCalibrationRecord, type CalibrationRecord, type CellCal } from "./calibration";

const SLOT_A = "cal.a";
const SLOT_B = "cal.b";

/** Whether slot A holds the record to keep: valid, and newer than B's. */
function aIsNewest(a: CalibrationRecord | undefined, b: CalibrationRecord | undefined): boolean {
  return a !== undefined && (b === undefined || a.seq > b.seq);
}

/** The newest valid record, or undefined when neither slot holds one. */
export function loadCalibration(store: Store, cellCount: number): CalibrationRecord | undefined {
  const a = decodeCalibrationRecord(store.read(SLOT_A), cellCount);
  const b = decodeCalibrationRecord(store.read(SLOT_B), cellCount);
  return aIsNewest(a, b) ? a : b;
}

/** Saves cells as the next record, over the older slot; true once it reads back and decodes (points that round together would not). */
export function saveCalibration(store: Store, cells: CellCal[]): boolean {
  const a = decodeCalibrationRecord(store.read(SLOT_A), cells.length);
  const b = decodeCalibrationRecord(store.read(SLOT_B), cells.length);
  const keepA = aIsNewest(a, b);
  const current = keepA ? a : b;
  const seq = current === undefined ? 1 : current.seq + 1;
  const slot = keepA ? SLOT_B : SLOT_A;
  const text = encodeCalibrationRecord({ seq: seq, cells: cells });
  return store.write(slot, text) && store.read(slot) === text && decodeCalibrationRecord(text, cells.length) !== undefined;
}

/** The older of the two valid records (the one the last save replaced), or undefined. */
export function previousCalibration(store: Store, cellCount: number): CalibrationRecord | undefined {
  const a = decodeCalibrationRecord(store.read(SLOT_A), cellCount);
  const b = decodeCalibrationRecord(store.read(SLOT_B), cellCount);
  if (a === undefined || b === undefined) {
    return undefined;
  }
  return aIsNewest(a, b) ? b : a;
}
