package org.rnn4j.math;

/**
 * bfloat16, the upper 16 bits of a float: rounding to it, and the test that a value is one. Weights
 * rounded to bfloat16 let a batch-1 product read them at half the bytes (two per int, {@link
 * PackedMatrix}); widening back is exact, so every kernel computes the same bits from them.
 */
public final class Bf16 {
  private Bf16() {}

  /** x rounded to the nearest bfloat16, ties to even; NaN stays NaN, infinities stay infinite. */
  public static float round(float x) {
    if (Float.isNaN(x)) {
      return Float.NaN;
    }
    int bits = Float.floatToRawIntBits(x);
    bits += 0x7FFF + ((bits >>> 16) & 1);
    return Float.intBitsToFloat(bits & 0xFFFF0000);
  }

  /** Whether x is a bfloat16 exactly (its lower 16 bits are zero). */
  static boolean exact(float x) {
    return (Float.floatToRawIntBits(x) & 0xFFFF) == 0;
  }
}
