package org.hopdeq4j.train;

import java.util.Locale;

/**
 * A loss on the raw output-layer state {@code y_hat} of a batch, with its gradient.
 *
 * <ul>
 *   <li>{@code mse}, the paper's: {@code 0.5 * sum (y_hat - onehot)^2 / B}.</li>
 *   <li>{@code cross-entropy}: {@code -sum log softmax(y_hat)[label] / B}.</li>
 * </ul>
 */
public enum Loss {
    /** The paper's squared error. */
    MSE("mse"),
    /** Softmax cross-entropy on the output state. */
    CROSS_ENTROPY("cross-entropy");

    private final String label;

    Loss(String label) {
        this.label = label;
    }

    /** The name on the command line. */
    public String label() {
        return label;
    }

    /** Parses {@code mse} or {@code cross-entropy}. */
    public static Loss parse(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "mse":
                return MSE;
            case "cross-entropy":
            case "ce":
                return CROSS_ENTROPY;
            default:
                throw new IllegalArgumentException(
                    "loss must be mse or cross-entropy but was '" + text + "'");
        }
    }

    /**
     * The loss of a batch and its gradient with respect to the state.
     *
     * @param s states, batch rows of {@code width}; the output layer at {@code outOff}; not
     *     modified
     * @param labels class indices from {@code labelOff}
     * @param grad receives dLoss/ds in the state's layout (zero outside the output block);
     *     must not alias s
     * @return the batch loss (already divided by the batch size)
     */
    public double evaluate(float[] s, int width, int outOff, int classes, int[] labels,
                           int labelOff, int batch, float[] grad) {
        return evaluate(s, width, outOff, classes, labels, labelOff, batch, batch, grad);
    }

    /**
     * The summed loss of {@code batch} rows divided by {@code divisor}, and its gradient: the
     * share of a larger batch of {@code divisor} samples whose rows are split among workers.
     * Arguments as in {@link #evaluate(float[], int, int, int, int[], int, int, float[])}.
     */
    public double evaluate(float[] s, int width, int outOff, int classes, int[] labels,
                           int labelOff, int batch, int divisor, float[] grad) {
        java.util.Arrays.fill(grad, 0, batch * width, 0f);
        double total = 0;
        for (int i = 0; i < batch; i++) {
            int row = i * width + outOff;
            int y = labels[labelOff + i];
            if (this == MSE) {
                for (int c = 0; c < classes; c++) {
                    double d = s[row + c] - (c == y ? 1.0 : 0.0);
                    total += 0.5 * d * d;
                    grad[row + c] = (float) (d / divisor);
                }
            } else {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    max = Math.max(max, s[row + c]);
                }
                double z = 0;
                for (int c = 0; c < classes; c++) {
                    z += Math.exp(s[row + c] - max);
                }
                total += Math.log(z) + max - s[row + y];
                for (int c = 0; c < classes; c++) {
                    double p = Math.exp(s[row + c] - max) / z;
                    grad[row + c] = (float) ((p - (c == y ? 1.0 : 0.0)) / divisor);
                }
            }
        }
        return total / divisor;
    }
}
