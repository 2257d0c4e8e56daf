import { round } from "./math";
/*
 * Attribution of one episode: the lanes that moved at overlapping times. Leakage through the
 * shelf frame only moves apparent weight between plates, so the sum of the lanes' changes is
 * exact even when each lane's own change is not. The episode is resolved by choosing each lane's
 * whole number of items so that, together, they explain that sum; a lane's measured change may
 * differ from its items by at most what its neighbours could have leaked onto it. Each lane then
 * reports its items' weight plus its share of what remains of the sum.
 *
 * Leakage goes to the plates beside the one that moved, and lanes are listed in their order
 * along the shelf (as trace metadata and planograms list them): a lane given no items whose
 * change is within what a moving neighbour could have leaked costs little, while the same change
 * on a lane with no moving neighbour costs in full. That tells a heavy put that leaked 166 g onto
 * the gum beside it from five gums put there, when one crisps packet weighs as much as five gums.
 */

/** At most this share of a lane's change shows up on the other lanes (design.md: 8–18 g of 352 g). */
const LEAK_SHARE = 0.07;
/** And this much on top: plate noise and settling. */
const LEAK_FLOOR_G = 6;
/** Occam: each lane given items costs this, plus a fifth of its unit, so that ties go to fewer movers. */
const PER_MOVER_G = 10;
/** A lane's candidate counts are searched this far either side of its leak bounds. */
const MAX_CANDIDATES = 40;

export interface EpisodeLane {
  unitG: number;
  /** The lane's net change over the episode, as measured on its own plates. */
  grams: number;
  /** Its place along the shelf: lanes are listed in their order along it. */
  place: number;
}


export interface Attribution {
  /** Whole items per lane (signed; 0 for a lane whose change was leakage); 0 where unitG is 0. */
  counts: number[];
  /** Corrected grams per lane. */
  grams: number[];
  /** How well the counts explain the episode's sum: 1 exactly, 0 half an item off. */
  confidence: number;
}

/**
 * The most grams an episode that moved `movedG` in all could have leaked onto (or off) one lane.
 * Exported below, not here: an exported function called in its own module is reached through the
 * module's export table, which the callers' closures then keep in NodeMCU's heap.
 */
function leakBound(movedG: number): number {
  return LEAK_FLOOR_G + LEAK_SHARE * movedG;
}

/** Leak that a neighbour could explain still costs this share: among explanations, less leak wins. */
const EXPLAINED_LEAK_COST = 0.1;


/** Depth-first over every lane but the lightest, which takes what is left of the target. */
function search(lanes: EpisodeLane[], lo: number[], hi: number[], lightest: number, i: number, left: number, counts: number[], best: number[], state: { cost: number; residual: number }): void {
  if (i === lanes.length) {
    const u = lanes[lightest].unitG;
    let n = round(left / u);
    n = Math.max(lo[lightest], Math.min(hi[lightest], n));
    counts[lightest] = n;
    const residual = left - n * u;
    let leak = 0;
    for (let k = 0; k < lanes.length; k++) {
      const d = Math.abs(lanes[k].grams - counts[k] * lanes[k].unitG);
      if (lanes[k].unitG > 0 && counts[k] !== 0) {
        leak = leak + d + PER_MOVER_G + 0.2 * lanes[k].unitG;
      } else if (lanes[k].unitG > 0) {
        // Given no items: in full, unless a lane beside it moved enough to have leaked it.
        let allowed = 0;
        for (let j = 0; j < lanes.length; j++) {
          if (counts[j] !== 0 && Math.abs(lanes[j].place - lanes[k].place) === 1) {
            allowed = Math.max(allowed, leakBound(Math.abs(counts[j] * lanes[j].unitG)));
          }
        }
        leak = leak + (d <= allowed ? EXPLAINED_LEAK_COST * d : d);
      }
    }
    // The sum must be explained first; among equal fits, the least leakage and the fewest movers win.
    const cost = Math.abs(residual) * 4 + leak;
    if (state.cost < 0 || cost < state.cost) {
      state.cost = cost;
      state.residual = residual;
      for (let k = 0; k < lanes.length; k++) {
        best[k] = counts[k];
      }
    }
    return;
  }
  if (i === lightest || lanes[i].unitG <= 0) {
    search(lanes, lo, hi, lightest, i + 1, left, counts, best, state);
    return;
  }
  const first = Math.max(lo[i], hi[i] - MAX_CANDIDATES);
  for (let n = first; n <= hi[i]; n++) {
    counts[i] = n;
    search(lanes, lo, hi, lightest, i + 1, left - n * lanes[i].unitG, counts, best, state);
  }
}

/**
 * Grams per lane: its whole items, or its measured change where it has no unit weight, plus a
 * share (by size) of what remains of the episode's sum. A lane with no unit weight whose change
 * is no bigger than the others could have leaked onto it counts as leakage: its change goes back
 * to the lanes that moved.
 */
function gramsOf(lanes: EpisodeLane[], counts: number[], total: number, moved: number): number[] {
  const own: number[] = [];
  let explained = 0;
  let weight = 0;
  for (let i = 0; i < lanes.length; i++) {
    const g = lanes[i].grams;
    let o = counts[i] * lanes[i].unitG;
    if (lanes[i].unitG <= 0) {
      o = Math.abs(g) <= leakBound(moved - Math.abs(g)) ? 0 : g;
    }
    own.push(o);
    explained = explained + o;
    weight = weight + Math.abs(o);
  }
  const rest = total - explained;
  const out: number[] = [];
  for (let i = 0; i < lanes.length; i++) {
    out.push(weight > 0 ? own[i] + (rest * Math.abs(own[i])) / weight : own[i]);
  }
  return out;
}

/**
 * Chooses counts for lanes with a unit weight. Lanes without one keep their measured change.
 * The search is over each lane's plausible counts; the lane with the lightest unit is solved
 * from the remainder, so the work stays small even for a gum lane beside a crate of water.
 */
export function attribute(lanes: EpisodeLane[]): Attribution {
  let total = 0;
  let moved = 0;
  for (let i = 0; i < lanes.length; i++) {
    total = total + lanes[i].grams;
    moved = moved + Math.abs(lanes[i].grams);
  }
  const counts: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  let target = total;
  let lightest = -1;
  for (let i = 0; i < lanes.length; i++) {
    counts.push(0);
    const u = lanes[i].unitG;
    if (u <= 0) {
      target = target - lanes[i].grams;
      lo.push(0);
      hi.push(0);
      continue;
    }
    const slack = leakBound(moved);
    lo.push(Math.ceil((lanes[i].grams - slack) / u - 0.5));
    hi.push(Math.floor((lanes[i].grams + slack) / u + 0.5));
    if (lightest < 0 || u < lanes[lightest].unitG) {
      lightest = i;
    }
  }
  if (lightest < 0) {
    return { counts: counts, grams: gramsOf(lanes, counts, total, moved), confidence: 1 };
  }
  const best: number[] = [];
  for (let i = 0; i < lanes.length; i++) {
    best.push(0);
  }
  const state = { cost: -1, residual: 0 };
  search(lanes, lo, hi, lightest, 0, target, counts, best, state);
  const unit = lanes[lightest].unitG;
  return { counts: best, grams: gramsOf(lanes, best, total, moved), confidence: Math.max(0, 1 - (2 * Math.abs(state.residual)) / unit) };
}

export { leakBound };
