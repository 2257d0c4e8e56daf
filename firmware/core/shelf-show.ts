/*
 * The reply to `show`: what a technician needs before touching a scale. Its fields, after v, id,
 * ok, boot, t_ms and ctr: cells ([{offset, counts, grams}] committed), staged (cell numbers),
 * lanes ([{id, unit_g, sku, cells}]), health_period_s, rejected, outbox, outbox_dropped.
 */
import type { CellCal } from "./calibration";
import type { CborWriter } from "./cbor-writer";
import type { ShelfDevice } from "./shelf-commands";

export const SHOW_FIELDS = 7;

function numbers(w: CborWriter, xs: number[]): void {
  w.array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    w.num(xs[i]);
  }
}

export function showReply(d: ShelfDevice, w: CborWriter): string {
  const cells: CellCal[] = d.cal;
  w.text("cells").array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    w.map(3).text("offset").num(cells[i].offset).text("counts");
    numbers(w, cells[i].counts);
    w.text("grams");
    numbers(w, cells[i].grams);
  }
  w.text("staged");
  numbers(w, d.session === undefined ? [] : d.session.stagedCells());
  w.text("lanes").array(d.lanes.length);
  for (let i = 0; i < d.lanes.length; i++) {
    const l = d.lanes[i];
    w.map(4).text("id").text(l.id).text("unit_g").num(l.unitG).text("sku").text(l.sku).text("cells");
    numbers(w, l.cells);
  }
  return w.text("health_period_s").int(d.healthPeriodS).text("rejected").int(d.rejected)
    .text("outbox").int(d.telemetry.queued()).text("outbox_dropped").int(d.telemetry.dropped()).done();
}
