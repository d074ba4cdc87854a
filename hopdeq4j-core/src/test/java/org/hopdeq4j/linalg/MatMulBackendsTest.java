package org.hopdeq4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The backend factory: names, the automatic choice and clear errors for bad requests. */
class MatMulBackendsTest {

    @Test
    void listsTheFourNamesAutoFirst() {
        assertEquals(List.of("auto", "openblas", "java", "plain"), MatMulBackends.names());
    }

    @Test
    void createsEachNamedBackendWithItsThreadCount() {
        try (MatMul java = MatMulBackends.create("java", 2);
             MatMul plain = MatMulBackends.create("plain", 3)) {
            assertEquals("java", java.name());
            assertEquals(2, java.threads());
            assertEquals("plain", plain.name());
            assertEquals(1, plain.threads());
        }
        if (OpenBlasMatMul.isAvailable()) {
            try (MatMul blas = MatMulBackends.create("openblas", 2)) {
                assertEquals("openblas", blas.name());
                assertEquals(2, blas.threads());
            }
        }
    }

    @Test
    void autoPicksOpenBlasWhenItLoadsElseJava() {
        String expected = OpenBlasMatMul.isAvailable() ? "openblas" : "java";
        assertEquals(expected, MatMulBackends.autoChoice());
        try (MatMul auto = MatMulBackends.create("auto", 1)) {
            assertEquals(expected, auto.name());
        }
    }

    @Test
    void rejectsUnknownNameListingTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> MatMulBackends.create("cuda", 1));
        assertEquals("unknown matrix backend 'cuda' (expected auto, openblas, java or plain)",
            e.getMessage());
    }

    @Test
    void rejectsThreadCountBelowOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> MatMulBackends.create("java", 0));
        assertEquals("threads must be >= 1 but was 0", e.getMessage());
    }

    @Test
    void unavailableReasonIsNullExactlyWhenAvailable() {
        String reason = OpenBlasMatMul.unavailableReason();
        assertEquals(reason == null, OpenBlasMatMul.isAvailable());
        if (reason != null) {
            assertTrue(!reason.isEmpty() && !reason.contains("\n"), reason);
        }
    }

    @Test
    void closedOpenBlasBackendRefusesWork() {
        if (!OpenBlasMatMul.isAvailable()) {
            return;
        }
        OpenBlasMatMul mm = new OpenBlasMatMul(1);
        mm.close();
        float[] a = {1f};
        float[] b = {2f};
        float[] c = {0f};
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> mm.gemm(false, false, 1, 1, 1, 1f, a, 0, 1, b, 0, 1, 0f, c, 0, 1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
