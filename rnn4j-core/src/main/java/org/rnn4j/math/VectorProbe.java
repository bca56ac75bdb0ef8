package org.rnn4j.math;

import jdk.incubator.vector.FloatVector;

/** Kept apart so that loading {@link Vectorization} never touches the incubator module. */
final class VectorProbe {
  private VectorProbe() {}

  static int lanes() {
    return FloatVector.SPECIES_PREFERRED.length();
  }

  static String describe() {
    return FloatVector.SPECIES_PREFERRED.toString();
  }
}
