/*
 * One gate lane seen from above, as a line along the direction of travel: x in metres, growing
 * into the store. The outer beam faces the street, the inner beam the store, and the door sits
 * half-way between them, its leaf swinging clear of both beams. A body breaks a beam while any
 * part of it is over the beam's x.
 */

export const OUTER_X_M = 0;
/** Close enough that an adult (0.30–0.45 m deep) breaks both beams at once as it crosses. */
export const BEAM_SPACING_M = 0.3;
export const INNER_X_M = OUTER_X_M + BEAM_SPACING_M;
export const DOOR_X_M = OUTER_X_M + BEAM_SPACING_M / 2;
/** Half the depth of the doorway: a body overlapping [DOOR_X − this, DOOR_X + this] is in it and keeps the door open. */
export const DOORWAY_HALF_M = 0.02;
/** The least room a walker leaves to the body ahead: 200 ms at 1.5 m/s, the fastest walk modelled. */
export const FOLLOW_GAP_M = 0.3;
/** The single-file stretch of the lane (the beams and 10 cm beyond), where two bodies can never overlap; past it people step round each other. */
export const CORRIDOR_MARGIN_M = 0.1;

/**
 * Positions along a body's own walk: u is how far its leading end (the end that goes first when
 * it walks on) is past the beam on its side. u = 0: it reaches its near beam; the doorway spans
 * u in [DOOR_CONTACT_U, DOOR_CONTACT_U + 2 × DOORWAY_HALF_M]; it has crossed once u − length
 * passes BEAM_SPACING_M, its back leaving the far beam.
 */
export const DOOR_CONTACT_U = BEAM_SPACING_M / 2 - DOORWAY_HALF_M;
export const DOOR_FAR_U = BEAM_SPACING_M / 2 + DOORWAY_HALF_M;

/** The ideal controller's settings the truth is made with (docs/gate-scenarios.md). */
export const ADMIT_WINDOW_MS = 10_000;
export const HELD_OPEN_LIMIT_MS = 15_000;
