package dev.fusion4j.examples;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.core.train.EpochMetrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import javax.imageio.ImageIO;

/** The demo's pictures, drawn with XChart and written as PNG. */
final class Plots {
    private static final int PANEL_WIDTH = 780;
    private static final int PANEL_HEIGHT = 560;

    private Plots() {
    }

    /**
     * One PCA scatter panel per named embedding set, side by side in one PNG, points coloured by label.
     */
    static void pcaPanels(Map<String, List<Embedding>> sets, List<String> labels, Path file) throws IOException {
        List<BufferedImage> panels = new ArrayList<>();
        List<String> classes = new ArrayList<>(new TreeSet<>(labels));
        for (Map.Entry<String, List<Embedding>> set : sets.entrySet()) {
            double[][] xy = Pca.project2d(set.getValue());
            XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
                    .title(set.getKey() + " embeddings, PCA").xAxisTitle("principal component 1")
                    .yAxisTitle("principal component 2").build();
            chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            chart.getStyler().setMarkerSize(6);
            chart.getStyler().setChartBackgroundColor(Color.WHITE);
            for (String c : classes) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (int i = 0; i < labels.size(); i++) {
                    if (labels.get(i).equals(c)) {
                        xs.add(xy[i][0]);
                        ys.add(xy[i][1]);
                    }
                }
                chart.addSeries(c, xs, ys).setMarker(SeriesMarkers.CIRCLE);
            }
            panels.add(BitmapEncoder.getBufferedImage(chart));
        }
        int width = 0;
        int height = 0;
        for (BufferedImage p : panels) {
            width += p.getWidth();
            height = Math.max(height, p.getHeight());
        }
        BufferedImage all = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int x = 0;
        for (BufferedImage p : panels) {
            g.drawImage(p, x, 0, null);
            x += p.getWidth();
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(all, "png", file.toFile());
    }

    /** Loss (left) and accuracy (right) per epoch, train and validation, side by side in one PNG. */
    static void trainingCurve(List<EpochMetrics> epochs, String title, Path file) throws IOException {
        List<Double> x = new ArrayList<>();
        Map<String, List<Double>> loss = new LinkedHashMap<>();
        Map<String, List<Double>> accuracy = new LinkedHashMap<>();
        for (EpochMetrics m : epochs) {
            x.add((double) m.epoch());
            loss.computeIfAbsent("train", k -> new ArrayList<>()).add(m.trainLoss());
            accuracy.computeIfAbsent("train", k -> new ArrayList<>()).add(m.trainAccuracy());
            if (m.hasValidation()) {
                loss.computeIfAbsent("validation", k -> new ArrayList<>()).add(m.valLoss());
                accuracy.computeIfAbsent("validation", k -> new ArrayList<>()).add(m.valAccuracy());
            }
        }
        BufferedImage left = BitmapEncoder.getBufferedImage(lineChart(title + ": loss", "cross-entropy loss", x, loss));
        BufferedImage right = BitmapEncoder.getBufferedImage(lineChart(title + ": accuracy", "accuracy", x, accuracy));
        BufferedImage all = new BufferedImage(left.getWidth() + right.getWidth(), left.getHeight(),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.drawImage(left, 0, 0, null);
        g.drawImage(right, left.getWidth(), 0, null);
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(all, "png", file.toFile());
    }

    private static XYChart lineChart(String title, String yTitle, List<Double> x, Map<String, List<Double>> series) {
        XYChart chart = new XYChartBuilder().width(640).height(480).title(title).xAxisTitle("epoch")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        for (Map.Entry<String, List<Double>> s : series.entrySet()) {
            chart.addSeries(s.getKey(), x.subList(0, s.getValue().size()), s.getValue()).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }
}
