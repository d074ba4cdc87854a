package org.hopdeq4j.eval;

/**
 * The paper's iteration budgets: 40 forward and 8 backward iterations per two layers of depth,
 * stretched by the inverse step for a damped map. With {@code n} layers counting the input and
 * damping h, the factor is {@code floor(floor(n / 2) / h)}: 40 / 80 / 120 forward and
 * 8 / 16 / 24 backward for 3 / 5 / 7 layers at h = 1.
 */
public final class Budgets {

    private Budgets() {
    }

    /** The depth factor for layer sizes n_0..n_L and damping h. */
    public static int factor(int[] sizes, double damping) {
        int f = (int) Math.floor((sizes.length / 2) / damping + 1e-9);
        return Math.max(f, 1);
    }

    /** The paper's forward budget. */
    public static int forward(int[] sizes, double damping) {
        return 40 * factor(sizes, damping);
    }

    /** The paper's backward budget for recurrent backpropagation. */
    public static int backward(int[] sizes, double damping) {
        return 8 * factor(sizes, damping);
    }
}
