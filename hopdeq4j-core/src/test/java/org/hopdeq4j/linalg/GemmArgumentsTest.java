package org.hopdeq4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Supplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every backend rejects bad arguments before touching memory, with the same message. */
class GemmArgumentsTest {

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> backends() {
        return MatMulAgreementTest.backends();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void rejectsNegativeSize(String label, Supplier<MatMul> factory) {
        float[] x = new float[16];
        float[] c = new float[16];
        try (MatMul mm = factory.get()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mm.gemm(false, false, -1, 2, 2, 1f, x, 0, 2, x, 0, 2, 0f, c, 0, 2));
            assertEquals("gemm: m, n and k must be >= 0 but were m=-1, n=2, k=2",
                e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void rejectsLeadingDimensionBelowStoredWidth(String label, Supplier<MatMul> factory) {
        float[] a = new float[64];
        float[] b = new float[64];
        float[] c = new float[64];
        try (MatMul mm = factory.get()) {
            // A^T stored k x m = 3 x 4 needs lda >= 4.
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mm.gemm(true, false, 4, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2));
            assertEquals("gemm: leading dimension of A must be >= max(1, 4) (its stored width)"
                + " but was 3", e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void rejectsOperandRunningPastItsArray(String label, Supplier<MatMul> factory) {
        float[] a = new float[12];
        float[] b = new float[11];
        float[] c = new float[16];
        try (MatMul mm = factory.get()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mm.gemm(false, false, 4, 4, 3, 1f, a, 0, 3, b, 0, 4, 0f, c, 0, 4));
            assertEquals("gemm: B is stored as 3 x 4 at offset 0 with leading dimension 4,"
                + " which needs 12 elements, but its array has 11", e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void rejectsResultAliasingAnOperand(String label, Supplier<MatMul> factory) {
        float[] a = new float[16];
        float[] b = new float[16];
        try (MatMul mm = factory.get()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mm.gemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, a, 8, 2));
            assertEquals("gemm: C must not be the same array as A (the product would read"
                + " what it overwrites)", e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void rejectsNullArrayAndNegativeOffset(String label, Supplier<MatMul> factory) {
        float[] x = new float[16];
        float[] c = new float[16];
        try (MatMul mm = factory.get()) {
            NullPointerException npe = assertThrows(NullPointerException.class,
                () -> mm.gemm(false, false, 2, 2, 2, 1f, null, 0, 2, x, 0, 2, 0f, c, 0, 2));
            assertEquals("gemm: array A is null", npe.getMessage());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mm.gemm(false, false, 2, 2, 2, 1f, x, 0, 2, x, 0, 2, 0f, c, -1, 2));
            assertEquals("gemm: offset of C must be >= 0 but was -1", e.getMessage());
        }
    }
}
