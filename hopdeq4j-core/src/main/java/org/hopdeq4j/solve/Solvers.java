package org.hopdeq4j.solve;

import java.util.Locale;

/** Names and construction of the fixed-point solvers: the factory the command line uses. */
public enum Solvers {
    /** Plain (damped) fixed-point iteration. */
    PICARD("picard"),
    /** Anderson acceleration with the paper's window 4 and a per-sample safeguard. */
    ANDERSON("anderson");

    private final String label;

    Solvers(String label) {
        this.label = label;
    }

    /** The name on the command line and in files. */
    public String label() {
        return label;
    }

    /** A solver of this kind with default settings. */
    public FixedPointSolver create(int width, int maxBatch) {
        return this == PICARD ? new PicardSolver(width, maxBatch)
            : new AndersonSolver(width, maxBatch, AndersonSolver.DEFAULT_WINDOW,
                AndersonSolver.DEFAULT_RIDGE);
    }

    /** Parses {@code picard} or {@code anderson}. */
    public static Solvers parse(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "picard":
                return PICARD;
            case "anderson":
                return ANDERSON;
            default:
                throw new IllegalArgumentException(
                    "solver must be picard or anderson but was '" + text + "'");
        }
    }

    static void check(FixedPointMap f, int width, int batch, int maxBatch) {
        if (f.width() != width) {
            throw new IllegalArgumentException("the solver was made for states of width " + width
                + " but the map's width is " + f.width());
        }
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException(
                "batch must be in 1.." + maxBatch + " but was " + batch);
        }
    }
}
