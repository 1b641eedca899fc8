package dev.fusion4j.core.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.fusion4j.api.IncompatibleModelException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModelLoadException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a saved {@link PairModel}, in the {@link ModelFile} layout:
 *
 * <pre>{@code
 * {"format": "fusion4j-pair-model", "formatVersion": 1, "libraryVersion": "0.1.0", "kind": "pairs.BOTH",
 *  "modalities": [{"name": "text", "dimension": 384, "encoder": "bert:..."}, {"name": "image", "dimension": 1280}],
 *  "network": {"dimension": 256, "hiddenLayers": [512], "activation": "RELU"},
 *  "training": {"epochs": "50", "modalityMasking": "0.333", ...},
 *  "summary": {"epochsRun": 50, "bestEpoch": 44, "trainLoss": 1.2, "valLoss": 1.4, ..., "seconds": 21.0}}
 * }</pre>
 */
record PairHeader(int formatVersion, String libraryVersion, PairObjective objective, Map<Modality, Integer> modalities,
        Map<Modality, String> encoderIds, int dimension, List<Integer> hiddenLayers, Activation activation,
        Map<String, String> training, PairSummary summary) {
    static final String FORMAT = "fusion4j-pair-model";
    static final int FORMAT_VERSION = 1;
    private static final String KIND = "pairs.";

    PairHeader {
        modalities = Collections.unmodifiableMap(new LinkedHashMap<>(modalities));
        encoderIds = Collections.unmodifiableMap(new LinkedHashMap<>(encoderIds));
        hiddenLayers = List.copyOf(hiddenLayers);
        training = Collections.unmodifiableMap(new LinkedHashMap<>(training));
    }

    String toJson() {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("formatVersion", formatVersion);
        root.addProperty("libraryVersion", libraryVersion);
        root.addProperty("kind", KIND + objective.name());
        root.add("modalities", ModelHeader.modalitiesJson(modalities, encoderIds));
        JsonObject network = new JsonObject();
        network.addProperty("dimension", dimension);
        JsonArray hidden = new JsonArray();
        hiddenLayers.forEach(hidden::add);
        network.add("hiddenLayers", hidden);
        network.addProperty("activation", activation.name());
        root.add("network", network);
        root.add("training", ModelHeader.stringMap(training));
        JsonObject s = new JsonObject();
        s.addProperty("epochsRun", summary.epochsRun());
        s.addProperty("bestEpoch", summary.bestEpoch());
        number(s, "trainLoss", summary.trainLoss());
        number(s, "valLoss", summary.valLoss());
        number(s, "valRecallAt1", summary.valRecallAt1());
        number(s, "logitScale", summary.logitScale());
        s.addProperty("trainRecords", summary.trainRecords());
        s.addProperty("validationRecords", summary.validationRecords());
        number(s, "seconds", summary.seconds());
        root.add("summary", s);
        return root.toString();
    }

    /** Refuses anything but a pair-model header of a version this library reads (before the SHA-256 is checked). */
    static void checkVersion(JsonObject root, String where) {
        String format = root.has("format") ? root.get("format").getAsString() : "";
        if (format.equals(ModelHeader.FORMAT)) {
            throw new ModelLoadException(where + " is a supervised FusionModel, not a label-free pair model: load it"
                    + " with FusionModel.load");
        }
        if (!format.equals(FORMAT)) {
            throw new ModelLoadException(where + " is not a fusion4j pair model (format is not '" + FORMAT + "')");
        }
        int version = root.get("formatVersion").getAsInt();
        if (version > FORMAT_VERSION) {
            throw new IncompatibleModelException(where + " was written in pair-model format version " + version
                    + " but this fusion4j reads versions up to " + FORMAT_VERSION + ": upgrade fusion4j to load it");
        }
        if (version < 1) {
            throw new ModelLoadException(where + " has an invalid pair-model format version " + version);
        }
    }

    static PairHeader fromJson(JsonObject root) {
        try {
            String kind = root.get("kind").getAsString();
            if (!kind.startsWith(KIND)) {
                throw new ModelLoadException("The pair-model header has an unknown kind '" + kind + "'");
            }
            Map<Modality, Integer> modalities = new LinkedHashMap<>();
            Map<Modality, String> ids = new LinkedHashMap<>();
            ModelHeader.readModalities(root.getAsJsonArray("modalities"), modalities, ids);
            if (modalities.values().stream().anyMatch(d -> d < 1)) {
                throw new ModelLoadException("The pair-model header has a modality of dimension < 1: " + modalities);
            }
            if (modalities.size() < 2) {
                throw new ModelLoadException("The pair-model header lists fewer than two modalities");
            }
            JsonObject network = root.getAsJsonObject("network");
            List<Integer> hidden = new ArrayList<>();
            network.getAsJsonArray("hiddenLayers").forEach(e -> hidden.add(e.getAsInt()));
            int dimension = network.get("dimension").getAsInt();
            if (dimension < 1 || hidden.stream().anyMatch(h -> h < 1)) {
                throw new ModelLoadException("The pair-model header has an invalid network " + network);
            }
            Map<String, String> training = ModelHeader.strings(root.getAsJsonObject("training"));
            JsonObject s = root.getAsJsonObject("summary");
            PairSummary summary = new PairSummary(s.get("epochsRun").getAsInt(), s.get("bestEpoch").getAsInt(),
                    number(s, "trainLoss"), number(s, "valLoss"), number(s, "valRecallAt1"), number(s, "logitScale"),
                    s.get("trainRecords").getAsInt(), s.get("validationRecords").getAsInt(), number(s, "seconds"));
            return new PairHeader(root.get("formatVersion").getAsInt(), root.get("libraryVersion").getAsString(),
                    PairObjective.valueOf(kind.substring(KIND.length())), modalities, ids, dimension, hidden,
                    Activation.valueOf(network.get("activation").getAsString()), training, summary);
        } catch (ModelLoadException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelLoadException("The pair-model header lacks a field or has one of the wrong type ("
                    + e.getMessage() + "): the file is damaged or was altered", e);
        }
    }

    private static void number(JsonObject o, String key, double value) {
        ModelHeader.number(o, key, value);
    }

    private static double number(JsonObject o, String key) {
        return ModelHeader.number(o, key);
    }
}
