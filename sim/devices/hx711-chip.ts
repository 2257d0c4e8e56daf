/*
 * An HX711 at its pins, for the Espruino virtual board, where the port clocks it over SPI:
 * - DOUT (data-ready) falls when a conversion is ready; the 1st to 24th rising edges of PD_SCK
 *   shift out the 24-bit two's-complement result MSB first; the 25th sets DOUT high again;
 *   25, 26 or 27 pulses in all select A/128, B/32 or A/64 for the NEXT conversion
 *   (datasheet, "Serial Interface" and Table 3). The first conversion after power-up is A/128.
 * - A conversion that was never read is replaced by the next; DOUT then pulses high and falls
 *   again, so a driver waiting on the edge is not left hanging.
 * - PD_SCK held high for more than 60 µs powers the chip down: it converts nothing. When PD_SCK
 *   goes low again it resets (A/128) and makes no conversion until it has settled (50 ms at
 *   80 SPS, 400 ms at 10 SPS: datasheet, "Output settling time").
 * The NodeMCU emulation models the same chip in Lua (sim/nodemcu/hx711.lua).
 */

/** By gain pulses (25, 26, 27): the counts at A/128 over this are the counts at the gain they chose. */
const GAIN_DIVISOR = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 4, 2];
/** A nibble of data as MISO reads it when each 0xAA byte makes four pulses: every bit twice. */
const SPREAD = Uint8Array.from({ length: 16 }, (_, n) => [3, 2, 1, 0].reduce((b, k) => (b << 2) | (((n >> k) & 1) * 3), 0));
/** PD_SCK high for longer than this powers the HX711 down (datasheet, "Power down control"). */
const POWER_DOWN_US = 60;

/** Settling after a reset: 400 ms at 10 SPS, 50 ms at 80 SPS. */
export function settleUsFor(rateHz: number): number {
  return rateHz <= 10 ? 400000 : 50000;
}

export class Hx711Chip {
  private latched = 0;
  private pulses = 0;
  private converted = false;
  private gainPulses = 25;
  private sckLevel = 0;
  private sckHighSinceUs = 0;
  private settledAtUs = 0;
  /** Conversions that were overwritten before being read, and lost while powered down or settling. */
  overruns = 0;
  lost = 0;

  constructor(
    readonly dout: number,
    readonly sck: number,
    private readonly drive: (pin: number, level: number) => void,
    private readonly nowUs: () => number,
    private readonly settleUs: number,
  ) {
    drive(dout, 1);
  }

  get poweredDown(): boolean {
    return this.sckLevel === 1 && this.nowUs() - this.sckHighSinceUs > POWER_DOWN_US;
  }

  /** A conversion of `counts` (at A/128) is ready now, unless the chip is down or settling. */
  convert(counts: number): void {
    const now = this.nowUs();
    if ((this.sckLevel === 1 && now - this.sckHighSinceUs > POWER_DOWN_US) || now < this.settledAtUs) {
      this.lost++;
      return;
    }
    const scaled = Math.round(counts / GAIN_DIVISOR[this.gainPulses]);
    this.latched = scaled & 0xffffff;
    if (this.converted && this.pulses === 0) {
      this.overruns++;
      this.drive(this.dout, 1);
    }
    this.converted = true;
    this.pulses = 0;
    this.drive(this.dout, 0);
  }

  get dataPin(): number {
    return this.dout;
  }

  /**
   * A whole read as the Espruino port clocks it (six 0xAA bytes and a final 0x80/0xA0/0xA8 on
   * MOSI = PD_SCK), in one step: what MISO reads, the pulses counted, DOUT left high. Anything
   * else (a read with no data ready, another pattern) is left to clock bit by bit.
   */
  transfer(bytes: ArrayLike<number>): number[] | undefined {
    if (bytes.length !== 7 || !this.converted || this.pulses !== 0 || this.sckLevel !== 0) return undefined;
    const last = bytes[6];
    const pulses = last === 0x80 ? 25 : last === 0xa0 ? 26 : last === 0xa8 ? 27 : 0;
    if (pulses === 0) return undefined;
    for (let i = 0; i < 6; i++) if (bytes[i] !== 0xaa) return undefined;
    const l = this.latched;
    const out = [SPREAD[(l >> 20) & 15], SPREAD[(l >> 16) & 15], SPREAD[(l >> 12) & 15], SPREAD[(l >> 8) & 15], SPREAD[(l >> 4) & 15], SPREAD[l & 15], 0xff];
    this.sckHighSinceUs = this.nowUs();
    this.pulses = pulses;
    this.gainPulses = pulses;
    this.drive(this.dout, 1);
    return out;
  }

  /** The port wrote PD_SCK. */
  clock(level: number): void {
    const rising = level !== 0 && this.sckLevel === 0;
    if (level === 0 && this.poweredDown) {
      // Wake-up: a reset, so A/128 and a fresh settling.
      this.gainPulses = 25;
      this.converted = false;
      this.settledAtUs = this.nowUs() + this.settleUs;
      this.drive(this.dout, 1);
    }
    if (rising) this.sckHighSinceUs = this.nowUs();
    this.sckLevel = level !== 0 ? 1 : 0;
    if (!rising || !this.converted || this.pulses >= 27) return;
    this.pulses++;
    if (this.pulses <= 24) {
      this.drive(this.dout, (this.latched >> (24 - this.pulses)) & 1);
    } else {
      if (this.pulses === 25) this.drive(this.dout, 1);
      if (this.pulses <= 27) this.gainPulses = this.pulses;
    }
  }
}
