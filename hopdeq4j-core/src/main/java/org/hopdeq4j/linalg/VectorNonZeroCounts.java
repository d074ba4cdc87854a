package org.hopdeq4j.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NonZeroCounts#addColumnCounts} with the Vector API: each vector of a row compared
 * with zero, the mask added onto the counts as ones (floats and ints of one width, so both
 * species have the same lanes), scalars for the tail. Loaded only when the incubator module
 * is in the boot layer.
 */
final class VectorNonZeroCounts {

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;

    private VectorNonZeroCounts() {
    }

    /** Lanes of the vectors used; 0 (so unusable) if the two species differ in lanes. */
    static int lanes() {
        return FLOATS.length() == INTS.length() ? FLOATS.length() : 0;
    }

    static void addColumnCounts(int m, int n, float[] x, int off, int ld, int[] count) {
        int lanes = FLOATS.length();
        int wide = n - n % lanes;
        for (int i = 0; i < m; i++) {
            int row = off + i * ld;
            int j = 0;
            for (; j < wide; j += lanes) {
                VectorMask<Float> used = FloatVector.fromArray(FLOATS, x, row + j)
                    .compare(VectorOperators.NE, 0f);
                IntVector.fromArray(INTS, count, j).add(1, used.cast(INTS)).intoArray(count, j);
            }
            for (; j < n; j++) {
                if (x[row + j] != 0f) {
                    count[j]++;
                }
            }
        }
    }
}
