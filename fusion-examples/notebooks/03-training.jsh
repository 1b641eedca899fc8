// 03 - Train a fusion head on real emoji (name + picture), save it, load it, use it as a strategy.
// Run: fusion-examples/notebooks/run.sh 03
import dev.fusion4j.core.train.*;
import dev.fusion4j.examples.emoji.*;

TextEncoder text = BundledModels.miniLmText();
ImageEncoder image = BundledModels.mobileNetV2Image();
List<EmojiRecord> records = EmojiDataset.loadSample();
GroupedSplit.Split split = GroupedSplit.split(records, 0.7, 7);
System.out.println(records.size() + " records: " + split.train().size() + " train, " + split.test().size() + " test");

// Raw records as training examples: the trainer encodes each once (encoders stay frozen).
List<TrainingExample> train = split.train().stream().map(r -> TrainingExample.of(MultimodalInput.of(r.name(), r.image()), r.category())).toList();
FusionModel model = FusionTrainer.builder().text(text).image(image).strategy(Fusions.concat()).modalityDropout(0.3).seed(7).build().fit(train);
System.out.println("trained: " + model.trainingSummary());

// Evaluate on the held-out records through an embedder that uses the model as its strategy.
MultimodalEmbedder embedder = Fusion.builder().text(text).image(image).strategy(model).build();
List<ModalityEmbeddings> test = new ArrayList<>();
for (EmojiRecord r : split.test()) {
    test.add(ModalityEmbeddings.builder().put(Modality.TEXT, text.encode(r.name())).put(Modality.IMAGE, image.encode(r.image())).build());
}
long correct = IntStream.range(0, test.size()).filter(i -> model.predict(test.get(i)).label().equals(split.test().get(i).category())).count();
double accuracy = correct / (double) test.size();
System.out.printf("held-out category accuracy %.3f (9 classes, chance 0.11)%n", accuracy);
check(accuracy > 0.5, "the trained head classifies held-out emoji far above chance");
check(embedder.dimension() == model.outputDimension(), "the embedder returns the penultimate layer");

// Which experts answered: with both present, the network and the two unimodal heads, trust-weighted per record.
Prediction both = model.predict(test.get(0));
System.out.println("'" + split.test().get(0).name() + "' -> " + both.label() + ", weights " + both.weights());
check(Math.abs(both.weights().values().stream().mapToDouble(Double::doubleValue).sum() - 1) < 1e-9, "the weights of a prediction sum to 1");

// The image may be missing: the model still answers, from the text head alone.
Prediction p = model.predict(ModalityEmbeddings.builder().put(Modality.TEXT, text.encode("dog face")).build());
System.out.println("text only 'dog face' -> " + p.label() + " " + p.probabilities() + ", weights " + p.weights());
check(p.weight("text") == 1.0, "a text-only record is answered by the text head alone");
long textCorrect = IntStream.range(0, test.size()).filter(i -> model.predict(ModalityEmbeddings.builder()
        .put(Modality.TEXT, test.get(i).get(Modality.TEXT).orElseThrow()).build()).label()
        .equals(split.test().get(i).category())).count();
System.out.printf("held-out category accuracy from the names alone %.3f%n", textCorrect / (double) test.size());
check(textCorrect / (double) test.size() > 0.5, "names alone are classified far above chance (0.11)");

// Save and load: one file, bit-identical outputs.
Path file = Files.createTempDirectory("fusion4j-nb").resolve("head.f4jm");
model.save(file);
FusionModel again = FusionModel.load(file);
check(again.embed(test.get(0)).equals(model.embed(test.get(0))), "a loaded model gives bit-identical embeddings");
System.out.println("saved " + Files.size(file) + " bytes to " + file);

again.close();
Files.delete(file);
Files.delete(file.getParent());
embedder.close();
model.close();
text.close();
image.close();
/exit failures
