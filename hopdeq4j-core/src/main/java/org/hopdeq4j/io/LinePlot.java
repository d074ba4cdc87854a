package org.hopdeq4j.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * A PNG line chart of named series against their index, for residual, energy and loss traces.
 *
 * <p>Each series is a {@code double[] y} drawn at {@code x = 0, 1, ..., y.length - 1} (the
 * iteration or epoch index), in its own colour from a palette of 10; series 11 and on reuse the
 * palette with dashed lines. A value that cannot be drawn (NaN, infinite, or {@code <= 0} on a
 * log axis) is skipped and breaks the line, and a point with no drawable neighbour is drawn as a
 * dot. With {@link #logY(boolean)} the y axis is log10, with ticks at powers of ten and minor
 * ticks at 2..9 times them. The chart has a title, axis labels, tick labels, grid lines and a
 * legend, placed in the corner of the plot that hides the fewest data points (the upper right
 * on a tie).
 *
 * <pre>{@code
 * new LinePlot("Residual per iteration").xLabel("iteration").yLabel("relative residual")
 *         .logY(true).series("Picard", picard).series("Anderson", anderson)
 *         .write(runFolder.resolve("residuals.png"));
 * }</pre>
 *
 * <p>Rendering needs no display: the class sets {@code java.awt.headless=true} when the
 * property is unset. Text uses the logical font {@code SansSerif}, so the machine needs a font
 * installed (any fontconfig font). The default size is 800 x 500 pixels. Not thread-safe while
 * being configured; {@link #render()} and {@link #write(Path)} do not change the plot.
 */
public final class LinePlot {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final Color[] PALETTE = {
        new Color(0x1F5FAD), new Color(0xE8730C), new Color(0x2E9B3E), new Color(0xC8282D),
        new Color(0x8157B8), new Color(0x8C5A3C), new Color(0xD85FB0), new Color(0x6E6E6E),
        new Color(0xA5A91F), new Color(0x1AA5B8),
    };
    private static final Color GRID = new Color(0xE3E3E3);
    private static final Color TEXT = new Color(0x202020);

    private static final int MIN_WIDTH = 240;
    private static final int MIN_HEIGHT = 160;
    private static final int LEFT = 78;
    private static final int RIGHT = 24;
    private static final int TOP = 44;
    private static final int BOTTOM = 56;
    private static final int TICK = 5;

    private final String title;
    private final Map<String, double[]> series = new LinkedHashMap<>();
    private String xLabel = "";
    private String yLabel = "";
    private boolean logY;
    private int width = 800;
    private int height = 500;

    /**
     * Starts an empty plot.
     *
     * @param title the title drawn above the chart; may be empty
     * @throws NullPointerException if {@code title} is null
     */
    public LinePlot(String title) {
        this.title = Objects.requireNonNull(title, "title");
    }

    /**
     * Sets the label under the x axis.
     *
     * @param label the label; may be empty
     * @return this plot
     */
    public LinePlot xLabel(String label) {
        this.xLabel = Objects.requireNonNull(label, "label");
        return this;
    }

    /**
     * Sets the label beside the y axis.
     *
     * @param label the label; may be empty
     * @return this plot
     */
    public LinePlot yLabel(String label) {
        this.yLabel = Objects.requireNonNull(label, "label");
        return this;
    }

    /**
     * Chooses a log10 y axis; values {@code <= 0} are then skipped.
     *
     * @param log true for a log10 axis, false (the default) for a linear one
     * @return this plot
     */
    public LinePlot logY(boolean log) {
        this.logY = log;
        return this;
    }

    /**
     * Sets the image size in pixels.
     *
     * @param widthPixels at least 240
     * @param heightPixels at least 160
     * @return this plot
     * @throws IllegalArgumentException if a size is below its minimum
     */
    public LinePlot size(int widthPixels, int heightPixels) {
        if (widthPixels < MIN_WIDTH || heightPixels < MIN_HEIGHT) {
            throw new IllegalArgumentException("plot size must be at least " + MIN_WIDTH + " x "
                    + MIN_HEIGHT + " pixels but was " + widthPixels + " x " + heightPixels);
        }
        this.width = widthPixels;
        this.height = heightPixels;
        return this;
    }

    /**
     * Adds a series; its values are copied, so later changes to {@code y} do not show.
     *
     * @param name the name shown in the legend; distinct from the other series' names
     * @param y the values at x = 0, 1, ...; may be empty and may hold NaN
     * @return this plot
     * @throws IllegalArgumentException if a series of that name was already added
     */
    public LinePlot series(String name, double[] y) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(y, "y");
        if (series.containsKey(name)) {
            throw new IllegalArgumentException("plot '" + title + "' already has a series named '"
                    + name + "'");
        }
        series.put(name, y.clone());
        return this;
    }

    /**
     * Draws the chart. With no series, or no drawable value, the axes are drawn with the note
     * "no data".
     *
     * @return a new RGB image of the configured size
     */
    public BufferedImage render() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            new Painter(g).paint();
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * Renders the chart and writes it as a PNG file, atomically.
     *
     * @param file the file to create or replace
     * @throws IOException if the file cannot be written; an existing file is then unchanged
     */
    public void write(Path file) throws IOException {
        BufferedImage image = render();
        AtomicFiles.write(file, out -> writePng(image, out));
    }

    private static void writePng(BufferedImage image, OutputStream out)
            throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException("this Java runtime has no PNG image writer");
        }
        ImageWriter writer = writers.next();
        // An in-memory cache avoids ImageIO's temporary files and its global cache setting.
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(image);
        } finally {
            writer.dispose();
        }
    }

    /** Maps a value to its axis coordinate: log10 on a log axis, else the value itself. */
    private double transform(double v) {
        return logY ? Math.log10(v) : v;
    }

    private boolean drawable(double v) {
        return Double.isFinite(v) && (!logY || v > 0);
    }

    /** One rendering pass: the layout computed from the data, then the drawing steps. */
    private final class Painter {

        private final Graphics2D g;
        private final Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        private final Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 15);
        private final int left = LEFT;
        private final int top = TOP;
        private final int plotWidth = width - LEFT - RIGHT;
        private final int plotHeight = height - TOP - BOTTOM;
        private final Axis xAxis;
        private final Axis yAxis;
        private final boolean hasData;

        Painter(Graphics2D g) {
            this.g = g;
            int longest = 0;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double[] y : series.values()) {
                longest = Math.max(longest, y.length);
                for (double v : y) {
                    if (drawable(v)) {
                        lo = Math.min(lo, transform(v));
                        hi = Math.max(hi, transform(v));
                    }
                }
            }
            hasData = lo <= hi;
            xAxis = Axis.index(Math.max(1, longest - 1));
            if (!hasData) {
                yAxis = logY ? Axis.decades(0, 1) : Axis.linear(0, 1);
            } else {
                yAxis = logY ? Axis.decades(lo, hi) : Axis.linear(lo, hi);
            }
        }

        void paint() {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                    RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL,
                    RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);

            grid();
            lines();
            frameAndTicks();
            labels();
            if (hasData) {
                legend();
            } else {
                centered("no data", left + plotWidth / 2.0, top + plotHeight / 2.0);
            }
        }

        private double px(double x) {
            return left + (x - xAxis.lo) / (xAxis.hi - xAxis.lo) * plotWidth;
        }

        private double py(double axisValue) {
            return top + plotHeight - (axisValue - yAxis.lo) / (yAxis.hi - yAxis.lo) * plotHeight;
        }

        private void grid() {
            g.setStroke(new BasicStroke(1f));
            g.setColor(GRID);
            for (double t : xAxis.ticks) {
                line(px(t), top, px(t), top + plotHeight);
            }
            for (double t : yAxis.ticks) {
                line(left, py(t), left + plotWidth, py(t));
            }
        }

        private void lines() {
            Shape oldClip = g.getClip();
            g.clipRect(left, top, plotWidth + 1, plotHeight + 1);
            int index = 0;
            for (double[] y : series.values()) {
                g.setColor(PALETTE[index % PALETTE.length]);
                g.setStroke(stroke(index));
                drawSeries(y);
                index++;
            }
            g.setClip(oldClip);
        }

        private Stroke stroke(int index) {
            if (index < PALETTE.length) {
                return new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
            }
            return new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                    new float[] {7f, 4f}, 0f);
        }

        private void drawSeries(double[] y) {
            Path2D.Double path = new Path2D.Double();
            boolean penDown = false;
            for (int i = 0; i < y.length; i++) {
                if (!drawable(y[i])) {
                    penDown = false;
                    continue;
                }
                double sx = px(i);
                double sy = py(transform(y[i]));
                boolean isolated = (i == 0 || !drawable(y[i - 1]))
                        && (i == y.length - 1 || !drawable(y[i + 1]));
                if (isolated) {
                    g.fill(new Ellipse2D.Double(sx - 2.5, sy - 2.5, 5, 5));
                }
                if (penDown) {
                    path.lineTo(sx, sy);
                } else {
                    path.moveTo(sx, sy);
                    penDown = true;
                }
            }
            g.draw(path);
        }

        private void frameAndTicks() {
            g.setStroke(new BasicStroke(1f));
            g.setColor(TEXT);
            g.drawRect(left, top, plotWidth, plotHeight);
            g.setFont(font);
            FontMetrics fm = g.getFontMetrics();
            int bottom = top + plotHeight;

            for (int i = 0; i < xAxis.ticks.size(); i++) {
                double x = px(xAxis.ticks.get(i));
                line(x, bottom, x, bottom + TICK);
                String label = xAxis.labels.get(i);
                g.drawString(label, (float) (x - fm.stringWidth(label) / 2.0),
                        bottom + TICK + fm.getAscent() + 2);
            }
            for (int i = 0; i < yAxis.ticks.size(); i++) {
                double y = py(yAxis.ticks.get(i));
                line(left - TICK, y, left, y);
                String label = yAxis.labels.get(i);
                g.drawString(label, (float) (left - TICK - 4 - fm.stringWidth(label)),
                        (float) (y + fm.getAscent() / 2.0 - 2));
            }
            for (double minor : yAxis.minorTicks) {
                double y = py(minor);
                line(left - TICK / 2.0 - 1, y, left, y);
            }
        }

        private void labels() {
            g.setColor(TEXT);
            g.setFont(titleFont);
            centered(title, left + plotWidth / 2.0, TOP / 2.0);

            g.setFont(font);
            FontMetrics fm = g.getFontMetrics();
            centered(xLabel, left + plotWidth / 2.0, height - 14);

            // The y label reads bottom to top, centred on the plot's height.
            AffineTransform saved = g.getTransform();
            g.translate(16, top + plotHeight / 2.0);
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, -fm.stringWidth(yLabel) / 2f, fm.getAscent() / 2f);
            g.setTransform(saved);
        }

        private void legend() {
            g.setFont(font);
            FontMetrics fm = g.getFontMetrics();
            int rowHeight = fm.getHeight() + 2;
            int swatch = 24;
            int textWidth = 0;
            for (String name : series.keySet()) {
                textWidth = Math.max(textWidth, fm.stringWidth(name));
            }
            int boxWidth = 8 + swatch + 6 + textWidth + 8;
            int boxHeight = 6 + rowHeight * series.size() + 2;
            int[] corner = emptiestCorner(boxWidth, boxHeight);
            int x0 = corner[0];
            int y0 = corner[1];

            g.setColor(new Color(255, 255, 255, 225));
            g.fillRect(x0, y0, boxWidth, boxHeight);
            g.setColor(new Color(0xB0B0B0));
            g.setStroke(new BasicStroke(1f));
            g.drawRect(x0, y0, boxWidth, boxHeight);

            int index = 0;
            for (String name : series.keySet()) {
                int baseline = y0 + 6 + rowHeight * index + fm.getAscent();
                double mid = baseline - fm.getAscent() / 2.0 + 1;
                g.setColor(PALETTE[index % PALETTE.length]);
                g.setStroke(stroke(index));
                line(x0 + 8, mid, x0 + 8 + swatch, mid);
                g.setColor(TEXT);
                g.drawString(name, x0 + 8 + swatch + 6, baseline);
                index++;
            }
        }

        /**
         * The upper-left pixel of the legend box: the corner of the plot, tried in the order
         * upper right, upper left, lower right, lower left, whose box covers the fewest points.
         */
        private int[] emptiestCorner(int boxWidth, int boxHeight) {
            int margin = 8;
            int xRight = left + plotWidth - boxWidth - margin;
            int xLeft = left + margin;
            int yTop = top + margin;
            int yBottom = top + plotHeight - boxHeight - margin;
            int[][] corners = {{xRight, yTop}, {xLeft, yTop}, {xRight, yBottom}, {xLeft, yBottom}};

            int[] best = corners[0];
            long bestCount = Long.MAX_VALUE;
            for (int[] c : corners) {
                long count = pointsInside(c[0], c[1], boxWidth, boxHeight);
                if (count < bestCount) {
                    best = c;
                    bestCount = count;
                }
            }
            return best;
        }

        private long pointsInside(int x0, int y0, int boxWidth, int boxHeight) {
            long count = 0;
            for (double[] y : series.values()) {
                for (int i = 0; i < y.length; i++) {
                    if (!drawable(y[i])) {
                        continue;
                    }
                    double sx = px(i);
                    double sy = py(transform(y[i]));
                    if (sx >= x0 && sx <= x0 + boxWidth && sy >= y0 && sy <= y0 + boxHeight) {
                        count++;
                    }
                }
            }
            return count;
        }

        private void centered(String text, double cx, double cy) {
            FontMetrics fm = g.getFontMetrics();
            g.drawString(text, (float) (cx - fm.stringWidth(text) / 2.0),
                    (float) (cy + fm.getAscent() / 2.0 - 2));
        }

        private void line(double x1, double y1, double x2, double y2) {
            g.draw(new Line2D.Double(x1, y1, x2, y2));
        }
    }

    /** An axis range in axis coordinates, with its labelled ticks and unlabelled minor ticks. */
    static final class Axis {

        final double lo;
        final double hi;
        final List<Double> ticks = new ArrayList<>();
        final List<String> labels = new ArrayList<>();
        final List<Double> minorTicks = new ArrayList<>();

        private Axis(double lo, double hi) {
            this.lo = lo;
            this.hi = hi;
        }

        /** The x axis from 0 to {@code last}, with integer ticks at a 1-2-5 step. */
        static Axis index(int last) {
            Axis axis = new Axis(0, last);
            long step = Math.max(1, Math.round(niceStep(last / 8.0)));
            for (long t = 0; t <= last; t += step) {
                axis.ticks.add((double) t);
                axis.labels.add(Long.toString(t));
            }
            return axis;
        }

        /**
         * A linear axis covering [lo, hi], widened to whole 1-2-5 steps; a zero-width range is
         * widened by 10 % of its value (or 1 around zero) each way.
         */
        static Axis linear(double lo, double hi) {
            if (lo == hi) {
                double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
                lo -= pad;
                hi += pad;
            }
            double step = niceStep((hi - lo) / 6);
            double first = Math.floor(lo / step) * step;
            double last = Math.ceil(hi / step) * step;
            Axis axis = new Axis(first, last);
            long count = Math.round((last - first) / step);
            int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
            double magnitude = Math.max(Math.abs(first), Math.abs(last));
            boolean scientific = decimals > 6 || magnitude >= 1e7;
            for (long i = 0; i <= count; i++) {
                double t = first + i * step;
                if (Math.abs(t) < step * 1e-9) {
                    // Rounding leaves -1e-17 where 0 is meant; it would print as "-0.00".
                    t = 0;
                }
                axis.ticks.add(t);
                axis.labels.add(scientific
                        ? String.format(Locale.ROOT, "%.3g", t)
                        : String.format(Locale.ROOT, "%." + decimals + "f", t));
            }
            return axis;
        }

        /**
         * A log10 axis: [lo, hi] are exponents, widened to whole decades (at least one).
         * Decades are labelled, thinned to about 8 labels; minor ticks mark 2..9 times each
         * decade when the axis spans at most 6 decades.
         */
        static Axis decades(double lo, double hi) {
            int first = (int) Math.floor(lo);
            int last = (int) Math.ceil(hi);
            if (last == first) {
                last = first + 1;
            }
            Axis axis = new Axis(first, last);
            int stride = (last - first + 7) / 8;
            for (int k = first; k <= last; k++) {
                if ((k - first) % stride == 0) {
                    axis.ticks.add((double) k);
                    axis.labels.add(powerOfTen(k));
                }
                if (last - first <= 6 && k < last) {
                    for (int m = 2; m <= 9; m++) {
                        axis.minorTicks.add(k + Math.log10(m));
                    }
                }
            }
            return axis;
        }

        private static String powerOfTen(int k) {
            if (k >= 0 && k <= 3) {
                return Long.toString((long) Math.pow(10, k));
            }
            if (k < 0 && k >= -2) {
                return k == -1 ? "0.1" : "0.01";
            }
            return "1e" + k;
        }

        /** The 1, 2 or 5 times a power of ten nearest above {@code rough}. */
        static double niceStep(double rough) {
            double power = Math.pow(10, Math.floor(Math.log10(rough)));
            double fraction = rough / power;
            double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
            return nice * power;
        }
    }
}
