package org.hopdeq4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {

    @TempDir
    Path dir;

    private static final Color FIRST = new Color(0x1F5FAD);
    private static final Color SECOND = new Color(0xE8730C);

    private static double[] geometric(double ratio, int n) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.pow(ratio, i);
        }
        return y;
    }

    /** Pixels within a small distance of {@code c}: the cores of anti-aliased lines. */
    private static int pixelsNear(BufferedImage image, Color c) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                Color p = new Color(image.getRGB(x, y));
                int d = Math.abs(p.getRed() - c.getRed()) + Math.abs(p.getGreen() - c.getGreen())
                        + Math.abs(p.getBlue() - c.getBlue());
                if (d < 40) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void writesAPngOfTheRequestedSize() throws IOException {
        Path file = dir.resolve("residual.png");
        new LinePlot("Residual").xLabel("iteration").yLabel("residual").logY(true)
                .series("Picard", geometric(0.8, 60)).series("Anderson", geometric(0.5, 25))
                .write(file);
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image);
        assertEquals(800, image.getWidth());
        assertEquals(500, image.getHeight());

        Path small = dir.resolve("small.png");
        new LinePlot("Loss").size(333, 211).series("train", new double[] {3, 2, 1.5}).write(small);
        BufferedImage smallImage = ImageIO.read(small.toFile());
        assertEquals(333, smallImage.getWidth());
        assertEquals(211, smallImage.getHeight());
    }

    @Test
    void drawsEachSeriesInItsOwnColour() {
        BufferedImage image = new LinePlot("two").series("a", geometric(0.9, 40))
                .series("b", geometric(1.05, 40)).render();
        assertTrue(pixelsNear(image, FIRST) > 200, "first series drawn");
        assertTrue(pixelsNear(image, SECOND) > 200, "second series drawn");
    }

    @Test
    void skipsValuesThatTheLogAxisCannotShow() {
        BufferedImage none = new LinePlot("nothing drawable").logY(true)
                .series("a", new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}).render();
        assertEquals(0, pixelsNear(none, FIRST));

        BufferedImage linear = new LinePlot("same values, linear axis")
                .series("a", new double[] {0, -1, Double.NaN, 2}).render();
        assertTrue(pixelsNear(linear, FIRST) > 100);
    }

    @Test
    void linearTicksFollowOneTwoFiveSteps() {
        LinePlot.Axis axis = LinePlot.Axis.linear(0.9712, 0.979);
        assertEquals(List.of("0.970", "0.972", "0.974", "0.976", "0.978", "0.980"), axis.labels);
        assertEquals(0.97, axis.lo, 1e-12);
        assertEquals(0.98, axis.hi, 1e-12);

        assertEquals(List.of("-1.0", "-0.5", "0.0", "0.5", "1.0"),
                LinePlot.Axis.linear(-1, 1).labels.subList(0, 5));
        // A constant series is widened by 10 % each way, then to whole steps of 2.
        assertEquals(List.of("44", "46", "48", "50", "52", "54", "56"),
                LinePlot.Axis.linear(50, 50).labels);
        assertEquals(5.0, LinePlot.Axis.niceStep(3.2));
        assertEquals(0.02, LinePlot.Axis.niceStep(0.0151), 1e-15);
        assertEquals(10.0, LinePlot.Axis.niceStep(7));
    }

    @Test
    void logTicksMarkPowersOfTen() {
        LinePlot.Axis axis = LinePlot.Axis.decades(-5.3, -0.2);
        assertEquals(List.of("1e-6", "1e-5", "1e-4", "1e-3", "0.01", "0.1", "1"), axis.labels);
        assertEquals(6 * 8, axis.minorTicks.size());

        LinePlot.Axis wide = LinePlot.Axis.decades(-30, 0);
        assertTrue(wide.labels.size() <= 9, wide.labels.toString());
        assertTrue(wide.minorTicks.isEmpty());

        List<String> indexLabels = LinePlot.Axis.index(119).labels;
        assertEquals(List.of("0", "20", "40", "60", "80", "100"), indexLabels);
    }

    @Test
    void rejectsDuplicateNamesAndTinySizes() {
        LinePlot plot = new LinePlot("p").series("a", new double[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plot.series("a", new double[] {2}));
        assertEquals("plot 'p' already has a series named 'a'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> plot.size(100, 500));
        assertEquals("plot size must be at least 240 x 160 pixels but was 100 x 500",
                e.getMessage());
    }
}
