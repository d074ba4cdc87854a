package org.hopdeq4j.cli;

import java.io.PrintStream;

import org.hopdeq4j.eval.ProgressListener;

/**
 * A progress bar on stderr, redrawn in place at most ten times a second; silent when stderr
 * is not a terminal (output redirected), so logs stay clean.
 */
final class ConsoleProgress implements ProgressListener {

    private final PrintStream err;
    private final boolean interactive;
    private String phase = "";
    private long total;
    private long started;
    private long lastDraw;

    ConsoleProgress(PrintStream err, boolean interactive) {
        this.err = err;
        this.interactive = interactive;
    }

    /** A bar on stderr if the process has a console. */
    static ConsoleProgress forConsole() {
        return new ConsoleProgress(System.err, System.console() != null);
    }

    @Override
    public void begin(String phase, long total) {
        this.phase = phase;
        this.total = total;
        this.started = System.nanoTime();
        this.lastDraw = 0;
    }

    @Override
    public void progress(long done, String note) {
        if (!interactive) {
            return;
        }
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        int width = 30;
        int filled = total <= 0 ? width : (int) Math.min(width, done * width / total);
        double seconds = (now - started) * 1e-9;
        StringBuilder bar = new StringBuilder("\r").append(phase).append(" [");
        for (int i = 0; i < width; i++) {
            bar.append(i < filled ? '#' : '.');
        }
        bar.append("] ").append(done).append('/').append(total)
            .append(String.format(" %.1fs", seconds));
        if (note != null) {
            bar.append("  ").append(note);
        }
        bar.append("   ");
        err.print(bar);
        err.flush();
    }

    @Override
    public void end() {
        if (interactive) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
