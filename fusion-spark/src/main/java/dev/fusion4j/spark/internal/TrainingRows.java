package dev.fusion4j.spark.internal;

import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.MultimodalInput;
import dev.fusion4j.api.TrainingExample;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;

/** Collected training rows ({@code label, [text], [image]}) as {@link TrainingExample}s. */
public final class TrainingRows {
    private TrainingRows() {
    }

    /**
     * One example per row; refuses the lot, counting them, when rows lack a label or both modalities, or hold an
     * image that cannot be read (a training set with holes is better fixed than silently shrunk).
     */
    public static List<TrainingExample> examples(List<Row> rows, boolean text, ImageCell image) {
        List<TrainingExample> out = new ArrayList<>(rows.size());
        int unlabelled = 0;
        int empty = 0;
        List<String> unreadable = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            if (row.isNullAt(0)) {
                unlabelled++;
                continue;
            }
            MultimodalInput.Builder b = MultimodalInput.builder();
            boolean any = false;
            int c = 1;
            if (text) {
                if (!row.isNullAt(c)) {
                    b.text(row.getString(c));
                    any = true;
                }
                c++;
            }
            if (image != null && !row.isNullAt(c)) {
                try {
                    b.image(image.read(row.get(c)));
                    any = true;
                } catch (InvalidInputException e) {
                    unreadable.add("row " + r + ": " + e.getMessage());
                    continue;
                }
            }
            if (!any) {
                empty++;
                continue;
            }
            out.add(TrainingExample.of(b.build(), row.getString(0)));
        }
        if (unlabelled + empty + unreadable.size() > 0) {
            throw new InvalidInputException("Of " + rows.size() + " training rows, " + unlabelled + " have no label, "
                    + empty + " neither a text nor an image, and " + unreadable.size() + " an unreadable image"
                    + (unreadable.isEmpty() ? "" : " (first: " + unreadable.get(0) + ")")
                    + ": filter them out first (e.g. data.na().drop(..))");
        }
        return out;
    }
}
