// 02 - The four fusion families side by side, with a modality absent.
// Run: fusion-examples/notebooks/run.sh 02

TextEncoder text = BundledModels.miniLmText();
ImageEncoder image = BundledModels.mobileNetV2Image();

Map<String, FusionSpec> specs = new LinkedHashMap<>();
specs.put("concat", Fusions.concat());
specs.put("weighted sum", Fusions.weightedSum());
specs.put("attention", Fusions.attention().dimension(256).heads(4));
specs.put("bilinear full", Fusions.bilinear().full());
specs.put("bilinear compact", Fusions.bilinear().compact(8192));
specs.put("bilinear low-rank", Fusions.bilinear().lowRank(1200));

List<MultimodalInput> records = List.of(
        MultimodalInput.of("a cat lying down", sample("chelsea.png")),
        MultimodalInput.textOnly("a cat lying down"),
        MultimodalInput.imageOnly(sample("chelsea.png")),
        MultimodalInput.of("a rocket launching into space", sample("rocket.png")));

System.out.printf("%-18s %8s %14s %14s %16s%n", "strategy", "dim", "both~textOnly", "both~imageOnly", "both~unrelated");
for (var e : specs.entrySet()) {
    try (MultimodalEmbedder embedder = Fusion.builder().text(text).image(image).strategy(e.getValue()).build()) {
        List<Embedding> v = embedder.embedAll(records);
        System.out.printf("%-18s %8d %14.3f %14.3f %16.3f%n", e.getKey(), embedder.dimension(),
                v.get(0).cosine(v.get(1)), v.get(0).cosine(v.get(2)), v.get(0).cosine(v.get(3)));
        check(v.get(0).cosine(v.get(1)) > v.get(0).cosine(v.get(3)), e.getKey() + ": (cat, img) is closer to (cat, -) than to the rocket record");
    }
}

// Attention tells which modality it looked at.
var attention = (dev.fusion4j.core.attention.AttentionFusion) Fusions.attention().bind(Map.of(Modality.TEXT, 384, Modality.IMAGE, 1280));
var attended = attention.fuseWithAttention(ModalityEmbeddings.builder()
        .put(Modality.TEXT, text.encode("a cat lying down")).build());
System.out.println("attention weights with the image absent: " + attended.weights());
check(attended.weights().getOrDefault(Modality.IMAGE, 0.0) == 0.0, "an absent modality gets no attention");
attention.close();

text.close();
image.close();
/exit failures
