package org.hopdeq4j.train;

import java.util.Arrays;

import org.hopdeq4j.ham.HamGradient;
import org.hopdeq4j.ham.HamMap;
import org.hopdeq4j.solve.FixedPointMap;
import org.hopdeq4j.solve.FixedPointSolver;
import org.hopdeq4j.solve.SolveOptions;
import org.hopdeq4j.solve.SolveStats;
import org.hopdeq4j.solve.Solvers;

/**
 * Implicit differentiation: solves the adjoint equation {@code u = u J_f(s*) + dL/ds*} with a
 * fixed-point solver (Picard or Anderson, to a tolerance or budget, from u = 0), then pushes u
 * through one application of the map to the parameters: {@code grad = u df/dtheta(s*)}. Exact
 * at an exact fixed point whose Jacobian has spectral radius below one; an adjoint solve that
 * does not converge leaves a truncated series, as recurrent backpropagation does.
 */
public final class AdjointBackward implements BackwardMethod {

    private final FixedPointSolver solver;
    private final SolveOptions options;
    private final float[] u;
    private final float[] scratch;
    private SolveStats lastStats;

    /**
     * @param solverKind the adjoint solver
     * @param maxIterations budget of the adjoint solve
     * @param tolerance early stop tolerance, or NaN
     */
    public AdjointBackward(Solvers solverKind, int maxIterations, double tolerance, int width,
                           int maxBatch) {
        this.solver = solverKind.create(width, maxBatch);
        this.options = new SolveOptions(maxIterations, tolerance, false);
        this.u = new float[width * maxBatch];
        this.scratch = new float[width * maxBatch];
    }

    @Override
    public String name() {
        return "adjoint";
    }

    /** Statistics of the last adjoint solve. */
    public SolveStats lastStats() {
        return lastStats;
    }

    @Override
    public void gradient(HamMap map, float[] fixedPoint, float[] lossGradient, int batch,
                         HamGradient grad) {
        FixedPointMap adjoint = new FixedPointMap() {
            @Override
            public int width() {
                return map.width();
            }

            @Override
            public void apply(float[] v, float[] out, int b) {
                map.vjp(fixedPoint, v, out, null, b);
                for (int i = 0, end = b * map.width(); i < end; i++) {
                    out[i] += lossGradient[i];
                }
            }
        };
        Arrays.fill(u, 0, batch * map.width(), 0f);
        lastStats = solver.solve(adjoint, u, batch, options, null);
        map.vjp(fixedPoint, u, scratch, grad, batch);
    }

    @Override
    public long workspaceFloats() {
        return 2L * u.length;
    }
}
