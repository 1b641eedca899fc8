// 04 - Retrieval and clustering on fused embeddings; a text-only query against fused records.
// Run: fusion-examples/notebooks/run.sh 04
import dev.fusion4j.core.search.*;
import dev.fusion4j.core.cluster.*;
import dev.fusion4j.core.classify.*;
import dev.fusion4j.examples.emoji.*;

TextEncoder text = BundledModels.miniLmText();
ImageEncoder image = BundledModels.mobileNetV2Image();
List<EmojiRecord> records = EmojiDataset.loadSample();
MultimodalEmbedder embedder = Fusion.builder().text(text).image(image).strategy(Fusions.concat()).build();
List<Embedding> fused = embedder.embedAll(records.stream().map(r -> MultimodalInput.of(r.name(), r.image())).toList());

// Exact and approximate (HNSW) indexes over the fused records, ids = emoji names.
ExactIndex<String> exact = ExactIndex.create(embedder.dimension());
HnswIndex<String> hnsw = HnswIndex.create(embedder.dimension());
for (int i = 0; i < records.size(); i++) {
    exact.add(records.get(i).name(), fused.get(i));
    hnsw.add(records.get(i).name(), fused.get(i));
}
// A text-only query against records that have both modalities.
List<SearchHit<String>> hits = exact.search(embedder.embed(MultimodalInput.textOnly("a cute puppy")), 5);
System.out.println("text-only 'a cute puppy' -> " + hits);
Set<String> animals = records.stream().filter(r -> r.category().equals("Animals & Nature")).map(EmojiRecord::name).collect(Collectors.toSet());
check(animals.contains(hits.get(0).id()), "the best hit for 'a cute puppy' is an animal");
check(hnsw.search(fused.get(10), 1).get(0).id().equals(records.get(10).name()), "HNSW finds a record itself");
int agree = 0;
for (int i = 0; i < 50; i++) {
    if (hnsw.search(fused.get(i), 5).equals(exact.search(fused.get(i), 5))) agree++;
}
System.out.println("HNSW top-5 equal to exact for " + agree + "/50 queries");
check(agree >= 45, "HNSW agrees with exact search on a small index");

// Save and load the index.
Path file = Files.createTempFile("fusion4j-nb", ".idx");
exact.save(file, IdCodec.strings());
check(EmbeddingIndex.load(file, IdCodec.strings()).search(fused.get(3), 3).equals(exact.search(fused.get(3), 3)), "a loaded index answers the same");
Files.delete(file);

// k-means++ into 9 groups and the silhouette of the true categories vs the clusters.
Clustering clusters = KMeans.builder().k(9).seed(7).build().fit(fused);
Map<String, Integer> ids = new HashMap<>();
int[] truth = records.stream().mapToInt(r -> ids.computeIfAbsent(r.category(), k -> ids.size())).toArray();
double sTruth = Silhouette.score(fused, truth, Distance.COSINE);
double sClusters = Silhouette.score(fused, clusters.assignments(), Distance.COSINE);
System.out.printf("silhouette: true categories %.3f, k-means clusters %.3f; cluster sizes %s%n", sTruth, sClusters, Arrays.toString(clusters.sizes()));
check(sClusters > sTruth, "k-means finds tighter groups than the category labels");
check(Arrays.stream(clusters.sizes()).allMatch(n -> n > 0), "no empty cluster");

// kNN classification with a grouped split.
GroupedSplit.Split split = GroupedSplit.split(records, 0.7, 7);
Map<EmojiRecord, Embedding> byRecord = new HashMap<>();
for (int i = 0; i < records.size(); i++) byRecord.put(records.get(i), fused.get(i));
KnnClassifier knn = KnnClassifier.fit(split.train().stream().map(byRecord::get).toList(), split.train().stream().map(EmojiRecord::category).toList());
List<String> predicted = knn.predictAll(split.test().stream().map(byRecord::get).toList());
List<String> actual = split.test().stream().map(EmojiRecord::category).toList();
System.out.printf("kNN@1 accuracy %.3f, macro-F1 %.3f%n", Metrics.accuracy(actual, predicted), Metrics.macroF1(actual, predicted));
check(Metrics.accuracy(actual, predicted) > 0.4, "kNN@1 on fused embeddings is far above chance (0.11)");

embedder.close();
text.close();
image.close();
/exit failures
