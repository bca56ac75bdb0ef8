package org.rnn4j.nn;

import java.util.Arrays;

/**
 * A batch's N packed rows grouped by token id, so that a first layer can project each distinct
 * embedding row once and sum its gate gradients per id before the input-side products: those
 * then cost U rows instead of N. Natural text repeats most of its tokens, and even uniform ids
 * over a large vocabulary repeat some (BENCHMARKS.md, "Figures behind the code's choices").
 *
 * <pre>
 *   ids     (U)    the distinct ids, in order of first appearance
 *   slot    (N)    which of them packed row q holds
 *   start   (U+1)  members[start[s] .. start[s+1]) are the packed rows of slot s, increasing
 *   members (N)
 * </pre>
 * One instance is reused across batches; {@link #reversed} keeps a second view for the reverse
 * direction, whose packed rows run in mirrored time.
 */
public final class TokenGroups {
  private int rows;
  private int count;
  private int[] ids = new int[0];
  private int[] slot = new int[0];
  private int[] start = new int[1];
  private int[] members = new int[0];
  private int[] slotOfId = new int[0];
  private TokenGroups reversed;

  /** Groups the packed rows' ids (N), each in [0, vocabulary). */
  public void group(int[] packedIds, int n, int vocabulary) {
    if (slotOfId.length < vocabulary) {
      slotOfId = new int[vocabulary];
      Arrays.fill(slotOfId, -1);
    }
    ids = ensure(ids, n);
    slot = ensure(slot, n);
    members = ensure(members, n);
    int u = 0;
    for (int q = 0; q < n; q++) {
      int id = packedIds[q];
      int s = slotOfId[id];
      if (s < 0) {
        s = slotOfId[id] = u;
        ids[u++] = id;
      }
      slot[q] = s;
    }
    for (int s = 0; s < u; s++) {
      slotOfId[ids[s]] = -1;
    }
    rows = n;
    count = u;
    fillMembers();
  }

  /** Counting sort of the rows by slot: each slot's members in increasing row order. */
  private void fillMembers() {
    start = ensure(start, count + 1);
    Arrays.fill(start, 0, count + 1, 0);
    for (int q = 0; q < rows; q++) {
      start[slot[q] + 1]++;
    }
    for (int s = 0; s < count; s++) {
      start[s + 1] += start[s];
    }
    for (int q = 0; q < rows; q++) {
      members[start[slot[q]]++] = q;
    }
    for (int s = count; s > 0; s--) {
      start[s] = start[s - 1];
    }
    start[0] = 0;
  }

  /**
   * The same groups over the reverse direction's packed rows: its row q is forward row
   * {@code layout.reverseToForward(q)}. The slots and ids are this instance's.
   */
  TokenGroups reversed(SequenceLayout layout) {
    TokenGroups r = reversed != null ? reversed : (reversed = new TokenGroups());
    int[] rev = layout.reverseMap();
    r.rows = rows;
    r.count = count;
    r.ids = ids;
    r.slot = ensure(r.slot, rows);
    r.members = ensure(r.members, rows);
    for (int q = 0; q < rows; q++) {
      r.slot[q] = slot[rev[q]];
    }
    r.fillMembers();
    return r;
  }

  /** N: the packed rows grouped. */
  public int rows() {
    return rows;
  }

  /** U: the distinct ids. */
  public int count() {
    return count;
  }

  /**
   * U rounded up to a multiple of 4, the rows the grouped products run over. The GEMM kernels take
   * rows by fours and a remainder one at a time, in kernels so rarely called here that C2 compiles
   * them late, and until then they box their vectors (BENCHMARKS.md, "Figures behind the code's
   * choices"). The rows past U are zeros on the input side and carry zero gradient.
   */
  public int paddedCount() {
    return (count + 3) & ~3;
  }

  /** The distinct ids, valid up to {@link #count()}. */
  public int[] ids() {
    return ids;
  }

  /** The slot of every packed row, valid up to {@link #rows()}. */
  public int[] slots() {
    return slot;
  }

  int[] start() {
    return start;
  }

  int[] members() {
    return members;
  }

  private static int[] ensure(int[] a, int n) {
    return a.length >= n ? a : new int[n];
  }
}
