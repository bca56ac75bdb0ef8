package org.rnn4j.math;

/** Small helpers over row-major matrices stored in flat arrays. */
final class Matrices {
  private Matrices() {}

  /**
   * dst (cols×rows, leading dimension ldd) = srcᵀ where src is (rows×cols) with leading dimension
   * lds. Walks 32×32 tiles so that both sides stay in cache.
   */
  static void transpose(float[] src, int srcOff, int lds, int rows, int cols,
                               float[] dst, int dstOff, int ldd) {
    final int tile = 32;
    for (int i0 = 0; i0 < rows; i0 += tile) {
      int i1 = Math.min(rows, i0 + tile);
      for (int j0 = 0; j0 < cols; j0 += tile) {
        int j1 = Math.min(cols, j0 + tile);
        for (int i = i0; i < i1; i++) {
          int s = srcOff + i * lds;
          for (int j = j0; j < j1; j++) {
            dst[dstOff + j * ldd + i] = src[s + j];
          }
        }
      }
    }
  }
}
