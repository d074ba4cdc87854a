package org.hopdeq4j.ham;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.hopdeq4j.linalg.Activation;
import org.hopdeq4j.linalg.MatMul;
import org.hopdeq4j.linalg.MatMulBackends;
import org.hopdeq4j.linalg.OpenBlasMatMul;
import org.hopdeq4j.linalg.PanelMatrix;
import org.hopdeq4j.linalg.SparseRows;
import org.hopdeq4j.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InputDriveTest {

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (String backend : new String[] {"plain", "java", "openblas"}) {
            for (double zeros : new double[] {0.0, 0.5, 0.9, 1.0}) {
                for (int batch : new int[] {1, 7, 33}) {
                    b.add(Arguments.of(backend, zeros, batch));
                }
            }
        }
        return b.build();
    }

    /** Inputs in [0, 1] with each entry 0 with probability {@code zeros}. */
    static float[] sparseInputs(int length, double zeros, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = random.nextDouble() < zeros ? 0f : (float) random.nextDouble();
        }
        return x;
    }

    /** {@code rho(x) W_0 + b_1} from the definition, in double precision. */
    static double[] driveByDefinition(HamNetwork net, float[] x, int xOff, int batch) {
        Activation act = net.activation();
        int n0 = net.size(0);
        int n1 = net.size(1);
        double[] d = new double[batch * n1];
        for (int i = 0; i < batch; i++) {
            for (int p = 0; p < n0; p++) {
                double r = act.valueExact(x[xOff + i * n0 + p]);
                for (int j = 0; j < n1; j++) {
                    d[i * n1 + j] += r * net.weight(0)[p * n1 + j];
                }
            }
            for (int j = 0; j < n1; j++) {
                d[i * n1 + j] += net.bias(1)[j];
            }
        }
        return d;
    }

    static MatMul backend(String name) {
        if (name.equals("openblas")) {
            assumeTrue(OpenBlasMatMul.isAvailable(), "OpenBLAS is not available here");
        }
        return name.equals("plain") ? TestNetworks.plain() : MatMulBackends.create(name, 1);
    }

    static float[] compute(InputDrive drive, HamNetwork net, float[] x, int xOff, int batch) {
        int n0 = net.size(0);
        float[] rhoX = new float[batch * n0];
        net.activation().apply(x, xOff, rhoX, 0, batch * n0);
        float[] out = new float[batch * net.size(1)];
        drive.compute(x, xOff, rhoX, batch, out);
        return out;
    }

    static void assertDrive(double[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * (1 + Math.abs(expected[i])),
                what + ": entry " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void equalsTheDenseProductByDefinition(String backendName, double zeros, int batch) {
        HamNetwork net = TestNetworks.network(new int[] {37, 23, 5}, 3, 1.0);
        int n0 = net.size(0);
        try (MatMul mm = backend(backendName)) {
            InputDrive drive = new InputDrive(net, mm, 40);
            int xOff = 2 * n0;
            float[] x = sparseInputs((batch + 3) * n0, zeros, 17 + batch);
            float[] got = compute(drive, net, x, xOff, batch);
            assertDrive(driveByDefinition(net, x, xOff, batch), got, backendName);

            int used = 0;
            for (int p = 0; p < n0; p++) {
                boolean any = false;
                for (int i = 0; i < batch; i++) {
                    any |= x[xOff + i * n0 + p] != 0f;
                }
                used += any ? 1 : 0;
            }
            assertEquals(used, drive.lastSupport(), "inputs in use");
            if (SparseRows.VECTOR && zeros == 0.9 && batch == 7) {
                assertTrue(drive.lastRare() > 0, "some inputs are rare");
            }
        }
    }

    /** With shared panels (and the Vector API) the drive is the panel product, and exact. */
    @ParameterizedTest
    @MethodSource("cases")
    void withPanelsEqualsTheDenseProductByDefinition(String backendName, double zeros,
                                                     int batch) {
        HamNetwork net = TestNetworks.network(new int[] {37, 45, 5}, 3, 1.0);
        int n0 = net.size(0);
        try (MatMul mm = backend(backendName)) {
            InputDrive drive = new InputDrive(net, mm, 40);
            drive.usePanels(new PackedInputWeights(net));
            assertEquals(PanelMatrix.VECTOR, drive.usesPanels());
            int xOff = 3 * n0;
            float[] x = sparseInputs((batch + 4) * n0, zeros, 29 + batch);
            float[] got = compute(drive, net, x, xOff, batch);
            assertDrive(driveByDefinition(net, x, xOff, batch), got, backendName + " panels");
            // the same inputs with the gathered product: equal up to rounding
            drive.usePanels(null);
            assertDrive(driveByDefinition(net, x, xOff, batch), compute(drive, net, x, xOff,
                batch), backendName + " gathered");
        }
    }

    @Test
    void panelsFollowTheWeightsAfterParametersChanged() {
        HamNetwork net = TestNetworks.network(new int[] {50, 40, 3}, 7, 1.0);
        PackedInputWeights shared = new PackedInputWeights(net);
        InputDrive first = new InputDrive(net, TestNetworks.plain(), 9);
        InputDrive second = new InputDrive(net, TestNetworks.plain(), 9);
        first.usePanels(shared);
        second.usePanels(shared);
        float[] x = sparseInputs(9 * 50, 0.7, 4);
        assertDrive(driveByDefinition(net, x, 0, 9), compute(first, net, x, 0, 9), "before");
        float[] w0 = net.weight(0);
        for (int i = 0; i < w0.length; i++) {
            w0[i] = w0[i] * -0.5f + 0.01f;
        }
        net.bias(1)[2] += 0.25f;
        net.parametersChanged();
        // the second drive repacks the shared copy, the first then reads the new one
        assertDrive(driveByDefinition(net, x, 0, 9), compute(second, net, x, 0, 9), "second");
        assertDrive(driveByDefinition(net, x, 0, 9), compute(first, net, x, 0, 9), "first");
    }

    @Test
    void panelsOfAnotherNetworkAreRejected() {
        HamNetwork net = TestNetworks.network(new int[] {20, 10, 3}, 7, 1.0);
        HamNetwork other = TestNetworks.network(new int[] {20, 10, 3}, 7, 1.0);
        InputDrive drive = new InputDrive(net, TestNetworks.plain(), 4);
        assertThrows(IllegalArgumentException.class,
            () -> drive.usePanels(new PackedInputWeights(other)));
    }

    @Test
    void sparseBatchesTakeTheGatheredProduct() {
        // 90 % zeros over 33 rows leaves well under three quarters of the inputs in use
        HamNetwork net = TestNetworks.network(new int[] {200, 30, 4}, 5, 1.0);
        InputDrive drive = new InputDrive(net, TestNetworks.plain(), 8);
        float[] x = sparseInputs(8 * 200, 0.9, 1);
        compute(drive, net, x, 0, 8);
        assertTrue(drive.lastSupport() <= 200 * InputDrive.MAX_SUPPORT_PERCENT / 100,
            "support " + drive.lastSupport());
    }

    @Test
    void rareInputsAreAddedRowByRowWhenTheVectorKernelIsThere() {
        assumeTrue(SparseRows.VECTOR, "the Vector API kernel is not in use");
        // 20 rows, each input non-zero in at most one of them: every input in use is rare,
        // so the gathered product has no rows at all
        HamNetwork net = TestNetworks.network(new int[] {120, 70, 4}, 9, 1.0);
        int n0 = net.size(0);
        int batch = 20;
        float[] x = new float[batch * n0];
        for (int p = 0; p < 90; p++) {
            x[(p % batch) * n0 + p] = 0.1f + 0.01f * p;
        }
        InputDrive drive = new InputDrive(net, TestNetworks.plain(), batch);
        assertDrive(driveByDefinition(net, x, 0, batch), compute(drive, net, x, 0, batch),
            "all rare");
        assertEquals(90, drive.lastSupport());
        assertEquals(90, drive.lastRare());

        // a mix: inputs 0..29 in every row, 30..89 in one row each
        for (int i = 0; i < batch; i++) {
            for (int p = 0; p < 30; p++) {
                x[i * n0 + p] = 0.5f + 0.001f * (i + p);
            }
        }
        assertDrive(driveByDefinition(net, x, 0, batch), compute(drive, net, x, 0, batch),
            "common and rare");
        assertEquals(90, drive.lastSupport());
        assertEquals(60, drive.lastRare());
    }

    @Test
    void followsTheWeightsAfterParametersChanged() {
        HamNetwork net = TestNetworks.network(new int[] {50, 20, 3}, 7, 1.0);
        InputDrive drive = new InputDrive(net, TestNetworks.plain(), 4);
        float[] x = sparseInputs(4 * 50, 0.8, 2);
        compute(drive, net, x, 0, 4);
        float[] w0 = net.weight(0);
        for (int i = 0; i < w0.length; i++) {
            w0[i] = w0[i] * -0.5f + 0.01f;
        }
        net.bias(1)[2] += 0.25f;
        net.parametersChanged();
        assertDrive(driveByDefinition(net, x, 0, 4), compute(drive, net, x, 0, 4), "after");
    }

    @Test
    void aChangeNotReportedIsCaughtWithAssertions() {
        assumeTrue(InputDrive.class.desiredAssertionStatus(), "assertions are disabled");
        HamNetwork net = TestNetworks.network(new int[] {50, 20, 3}, 7, 1.0);
        InputDrive drive = new InputDrive(net, TestNetworks.plain(), 4);
        float[] x = sparseInputs(4 * 50, 0.8, 2);
        compute(drive, net, x, 0, 4);
        net.weight(0)[3] += 1f;
        assertThrows(AssertionError.class, () -> compute(drive, net, x, 0, 4));
        net.parametersChanged();
        compute(drive, net, x, 0, 4);
        net.bias(1)[0] -= 1f;
        assertThrows(AssertionError.class, () -> compute(drive, net, x, 0, 4));
    }
}
