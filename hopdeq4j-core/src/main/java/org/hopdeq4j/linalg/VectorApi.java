package org.hopdeq4j.linalg;

import java.util.function.IntSupplier;

/**
 * Whether the JDK's incubating Vector API ({@code jdk.incubator.vector}) may be used: the
 * module is in the boot layer (the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, as the {@code hopdeq4j} launcher, the tests and
 * the benchmarks do) and the system property {@code hopdeq4j.vector} is not {@code false}.
 * Each kernel that has a Vector API form also checks that its own class links.
 */
public final class VectorApi {

    private VectorApi() {
    }

    /** Whether the module is present and not switched off. */
    public static boolean enabled() {
        if ("false".equals(System.getProperty("hopdeq4j.vector"))) {
            return false;
        }
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * Whether a kernel class built on the Vector API can be used: the module is
     * {@linkplain #enabled() enabled} and {@code lanes}, which must touch that class (a lambda,
     * not a method reference, so that the class is loaded inside this check), returns at least
     * one lane without a linkage error.
     */
    public static boolean links(IntSupplier lanes) {
        if (!enabled()) {
            return false;
        }
        try {
            return lanes.getAsInt() >= 1;
        } catch (LinkageError e) {
            return false;
        }
    }
}
