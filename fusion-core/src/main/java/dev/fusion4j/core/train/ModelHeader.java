package dev.fusion4j.core.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModelLoadException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a saved {@link FusionModel}: everything needed to rebuild the network before its
 * parameters are read, and what it was trained on.
 *
 * <pre>{@code
 * {"format": "fusion4j-model", "formatVersion": 2, "libraryVersion": "0.1.0",
 *  "strategy": {"kind": "bilinear.lowRank", "settings": {"rank": "512", "factor": "2", ...}},
 *  "modalities": [{"name": "text", "dimension": 384, "encoder": "bert:all-minilm-l6-v2:mean:norm"},
 *                 {"name": "image", "dimension": 1280}],
 *  "labels": ["animal", "food", ...],
 *  "network": {"hiddenLayers": [256], "activation": "RELU", "unimodalHeads": true, "inputSkip": true,
 *              "trustWeights": true},
 *  "training": {"dropout": "0.3", "learningRate": "0.001", ...},
 *  "summary": {"epochsRun": 23, "bestEpoch": 15, "trainLoss": 0.41, ..., "seconds": 6.2}}
 * }</pre>
 *
 * <p>Format versions: 1 had jointly trained auxiliary MLP paths ({@code network.auxiliaryHeads},
 * {@code aux.<modality>.*} parameters); 2 replaced them with fitted unimodal linear heads
 * ({@code network.unimodalHeads}, {@code unimodal.<modality>.*}). Version 1 files are refused with a message
 * saying to retrain: their unimodal answers came from paths this library no longer has.
 *
 * <p>Settings are strings (seeds are longs, which JSON numbers do not keep exactly); {@code NaN} figures are
 * written as {@code null}.
 */
record ModelHeader(int formatVersion, String libraryVersion, String strategyKind, Map<String, String> strategySettings,
        Map<Modality, Integer> modalities, Map<Modality, String> encoderIds, List<String> labels, HeadShape shape,
        Map<String, String> training, TrainingSummary summary) {
    /** The format version this library writes and the newest it reads. */
    static final int FORMAT_VERSION = 2;
    /** The oldest format version this library reads. */
    static final int OLDEST_READABLE_VERSION = 2;
    static final String FORMAT = "fusion4j-model";

    ModelHeader {
        strategySettings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(strategySettings));
        modalities = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(modalities));
        encoderIds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(encoderIds));
        labels = List.copyOf(labels);
        training = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(training));
    }

    /** The fusion4j version from the jar manifest, or {@code "development"} when run from classes. */
    static String currentLibraryVersion() {
        String v = ModelHeader.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    String toJson() {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("formatVersion", formatVersion);
        root.addProperty("libraryVersion", libraryVersion);
        JsonObject strategy = new JsonObject();
        strategy.addProperty("kind", strategyKind);
        strategy.add("settings", stringMap(strategySettings));
        root.add("strategy", strategy);
        root.add("modalities", modalitiesJson(modalities, encoderIds));
        JsonArray ls = new JsonArray();
        labels.forEach(ls::add);
        root.add("labels", ls);
        JsonObject network = new JsonObject();
        JsonArray hidden = new JsonArray();
        shape.hiddenLayers().forEach(hidden::add);
        network.add("hiddenLayers", hidden);
        network.addProperty("activation", shape.activation().name());
        network.addProperty("unimodalHeads", shape.auxiliaryHeads());
        network.addProperty("inputSkip", shape.inputSkip());
        network.addProperty("trustWeights", shape.trustWeights());
        root.add("network", network);
        root.add("training", stringMap(training));
        JsonObject s = new JsonObject();
        s.addProperty("epochsRun", summary.epochsRun());
        s.addProperty("bestEpoch", summary.bestEpoch());
        number(s, "trainLoss", summary.trainLoss());
        number(s, "trainAccuracy", summary.trainAccuracy());
        number(s, "trainMacroF1", summary.trainMacroF1());
        number(s, "valLoss", summary.valLoss());
        number(s, "valAccuracy", summary.valAccuracy());
        number(s, "valMacroF1", summary.valMacroF1());
        s.addProperty("trainExamples", summary.trainExamples());
        s.addProperty("validationExamples", summary.validationExamples());
        number(s, "seconds", summary.seconds());
        root.add("summary", s);
        return root.toString();
    }

    /** Only the format version, read before anything else is trusted. */
    static int formatVersion(JsonObject root) {
        if (root.has("format") && PairHeader.FORMAT.equals(root.get("format").getAsString())) {
            throw new ModelLoadException("This is a label-free pair model (format '" + PairHeader.FORMAT + "'), not a"
                    + " FusionModel: load it with PairModel.load");
        }
        if (!root.has("format") || !FORMAT.equals(root.get("format").getAsString())) {
            throw new ModelLoadException("Not a fusion4j model header (format is not '" + FORMAT + "')");
        }
        return root.get("formatVersion").getAsInt();
    }

    static JsonObject parse(String json) {
        try {
            return JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new ModelLoadException("The model header is not valid JSON: the file is damaged (" + e.getMessage()
                    + ")", e);
        }
    }

    static ModelHeader fromJson(JsonObject root) {
        try {
            JsonObject strategy = root.getAsJsonObject("strategy");
            Map<Modality, Integer> modalities = new LinkedHashMap<>();
            Map<Modality, String> ids = new LinkedHashMap<>();
            readModalities(root.getAsJsonArray("modalities"), modalities, ids);
            List<String> labels = new ArrayList<>();
            root.getAsJsonArray("labels").forEach(e -> labels.add(e.getAsString()));
            JsonObject network = root.getAsJsonObject("network");
            List<Integer> hidden = new ArrayList<>();
            network.getAsJsonArray("hiddenLayers").forEach(e -> hidden.add(e.getAsInt()));
            if (hidden.isEmpty() || hidden.stream().anyMatch(h -> h < 1)) {
                throw new ModelLoadException("The model header has invalid hidden layers " + hidden);
            }
            HeadShape shape = new HeadShape(hidden, Activation.valueOf(network.get("activation").getAsString()),
                    network.get("unimodalHeads").getAsBoolean(),
                    network.has("inputSkip") && network.get("inputSkip").getAsBoolean(),
                    network.has("trustWeights") && network.get("trustWeights").getAsBoolean());
            JsonObject s = root.getAsJsonObject("summary");
            TrainingSummary summary = new TrainingSummary(s.get("epochsRun").getAsInt(), s.get("bestEpoch").getAsInt(),
                    number(s, "trainLoss"), number(s, "trainAccuracy"), number(s, "trainMacroF1"), number(s, "valLoss"),
                    number(s, "valAccuracy"), number(s, "valMacroF1"), s.get("trainExamples").getAsInt(),
                    s.get("validationExamples").getAsInt(), number(s, "seconds"));
            return new ModelHeader(root.get("formatVersion").getAsInt(), root.get("libraryVersion").getAsString(),
                    strategy.get("kind").getAsString(), strings(strategy.getAsJsonObject("settings")), modalities, ids,
                    labels, shape, strings(root.getAsJsonObject("training")), summary);
        } catch (ModelLoadException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelLoadException("The model header lacks a field or has one of the wrong type ("
                    + e.getMessage() + "): the file is damaged or was altered", e);
        }
    }

    /** {@code [{"name": .., "dimension": .., "encoder": ..}, ..]} (the encoder only where one is known). */
    static JsonArray modalitiesJson(Map<Modality, Integer> modalities, Map<Modality, String> encoderIds) {
        JsonArray mods = new JsonArray();
        modalities.forEach((m, d) -> {
            JsonObject o = new JsonObject();
            o.addProperty("name", m.name());
            o.addProperty("dimension", d);
            if (encoderIds.containsKey(m)) {
                o.addProperty("encoder", encoderIds.get(m));
            }
            mods.add(o);
        });
        return mods;
    }

    /** The inverse of {@link #modalitiesJson}, into {@code modalities} and {@code ids}. */
    static void readModalities(JsonArray array, Map<Modality, Integer> modalities, Map<Modality, String> ids) {
        for (JsonElement e : array) {
            JsonObject o = e.getAsJsonObject();
            Modality m = Modality.named(o.get("name").getAsString());
            modalities.put(m, o.get("dimension").getAsInt());
            if (o.has("encoder")) {
                ids.put(m, o.get("encoder").getAsString());
            }
        }
    }

    static JsonObject stringMap(Map<String, String> map) {
        JsonObject o = new JsonObject();
        map.forEach(o::addProperty);
        return o;
    }

    static Map<String, String> strings(JsonObject o) {
        Map<String, String> map = new LinkedHashMap<>();
        o.entrySet().forEach(e -> map.put(e.getKey(), e.getValue().getAsString()));
        return map;
    }

    static void number(JsonObject o, String key, double value) {
        if (Double.isFinite(value)) {
            o.addProperty(key, value);
        } else {
            o.add(key, JsonNull.INSTANCE);
        }
    }

    static double number(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }
}
