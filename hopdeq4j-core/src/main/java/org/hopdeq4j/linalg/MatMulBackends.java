package org.hopdeq4j.linalg;

import java.util.List;

/**
 * Creates a {@link MatMul} backend by name: {@code auto}, {@code openblas}, {@code java} or
 * {@code plain}.
 *
 * <p>{@code auto} takes OpenBLAS when its native library loads and pure Java otherwise. The
 * choice follows the measurements in docs/design-notes.md: on the target machines OpenBLAS
 * on off-heap buffers runs the HAM's products two to four times faster than the best
 * pure-Java kernel at one thread, and the copies of unpinned operands cost a few percent.
 */
public final class MatMulBackends {

    /** Name of the backend chosen by measurement: OpenBLAS when available, else Java. */
    public static final String AUTO = "auto";

    private static final List<String> NAMES =
        List.of(AUTO, OpenBlasMatMul.NAME, JavaMatMul.NAME, PlainMatMul.NAME);

    private MatMulBackends() {
    }

    /** The accepted backend names, {@code auto} first, for help texts. */
    public static List<String> names() {
        return NAMES;
    }

    /** The concrete backend {@code auto} resolves to on this machine. */
    public static String autoChoice() {
        return OpenBlasMatMul.isAvailable() ? OpenBlasMatMul.NAME : JavaMatMul.NAME;
    }

    /**
     * Creates the backend {@code name} using {@code threads} threads per product (the plain
     * backend always uses one). The caller closes it.
     *
     * @throws NullPointerException when {@code name} is null
     * @throws IllegalArgumentException when {@code threads < 1} or the name is unknown
     * @throws IllegalStateException when {@code openblas} is requested and its native
     *     library cannot be loaded; the message says why
     */
    public static MatMul create(String name, int threads) {
        if (name == null) {
            throw new NullPointerException("matrix backend name is null (expected "
                + expected() + ")");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1 but was " + threads);
        }
        String resolved = name.equals(AUTO) ? autoChoice() : name;
        switch (resolved) {
            case OpenBlasMatMul.NAME:
                return new OpenBlasMatMul(threads);
            case JavaMatMul.NAME:
                return new JavaMatMul(threads);
            case PlainMatMul.NAME:
                return new PlainMatMul();
            default:
                throw new IllegalArgumentException("unknown matrix backend '" + name
                    + "' (expected " + expected() + ")");
        }
    }

    private static String expected() {
        return "auto, openblas, java or plain";
    }
}
