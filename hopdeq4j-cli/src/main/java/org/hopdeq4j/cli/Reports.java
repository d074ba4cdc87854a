package org.hopdeq4j.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.hopdeq4j.linalg.Compute;

/** Helpers shared by the commands' reports: environment facts and number formatting. */
final class Reports {

    private Reports() {
    }

    /** Machine, JVM and backend facts written next to every result. */
    static Map<String, Object> environment(Compute compute) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("matrix_backend", compute.backendName());
        env.put("threads", compute.workers());
        env.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("available_processors", Runtime.getRuntime().availableProcessors());
        return env;
    }

    static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
