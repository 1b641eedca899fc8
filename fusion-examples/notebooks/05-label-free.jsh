// 05 - Label-free fusion: learn a joint embedding from (name, picture) pairs alone, then search across modalities.
// Run: fusion-examples/notebooks/run.sh 05
import dev.fusion4j.core.train.*;
import dev.fusion4j.core.search.*;
import dev.fusion4j.examples.emoji.*;

TextEncoder text = BundledModels.miniLmText();
ImageEncoder image = BundledModels.mobileNetV2Image();
List<EmojiRecord> records = EmojiDataset.loadSample();
GroupedSplit.Split split = GroupedSplit.split(records, 0.7, 7);
System.out.println(records.size() + " records: " + split.train().size() + " train, " + split.test().size() + " held out");

// Pairs only, no labels: the trainer encodes each name and picture once (the encoders stay frozen).
List<MultimodalInput> pairs = split.train().stream().map(r -> MultimodalInput.of(r.name(), r.image())).toList();
// BOTH (the default): reconstruction with modality masking + symmetric InfoNCE with a learned temperature.
PairModel model = PairTrainer.builder().text(text).image(image).objective(PairObjective.BOTH).seed(7).listener(PairListener.none()).build().fitInputs(pairs);
System.out.println("trained: " + model.trainingSummary());

// The model is a fusion strategy: text-only and image-only records land in one space.
MultimodalEmbedder embedder = Fusion.builder().text(text).image(image).strategy(model).build();
List<EmojiRecord> held = split.test();
List<Embedding> pictures = embedder.embedAll(held.stream().map(r -> MultimodalInput.imageOnly(r.image())).toList());
List<Embedding> names = embedder.embedAll(held.stream().map(r -> MultimodalInput.textOnly(r.name())).toList());
ExactIndex<String> pictureIndex = ExactIndex.create(model.outputDimension());
ExactIndex<String> nameIndex = ExactIndex.create(model.outputDimension());
for (int i = 0; i < held.size(); i++) {
    pictureIndex.add(held.get(i).name(), pictures.get(i));
    nameIndex.add(held.get(i).name(), names.get(i));
}

// A name finds its picture among emoji the model never saw: recall@10 against chance 10 / n.
int found = 0;
for (int i = 0; i < held.size(); i++) {
    String self = held.get(i).name();
    if (pictureIndex.search(names.get(i), 10).stream().anyMatch(h -> h.id().equals(self))) found++;
}
double recall = found / (double) held.size();
double chance = 10.0 / held.size();
System.out.printf("held-out text->image recall@10 %.3f (chance %.3f)%n", recall, chance);
check(recall > 2 * chance, "a name finds its own picture among unseen emoji well above chance");

// Text query -> pictures, picture query -> names.
String query = held.stream().filter(r -> r.category().equals("Animals & Nature")).findFirst().orElseThrow().name();
List<SearchHit<String>> hits = pictureIndex.search(embedder.embed(MultimodalInput.textOnly(query)), 5);
System.out.println("text '" + query + "' -> pictures of " + hits.stream().map(SearchHit::id).toList());
EmojiRecord picture = held.get(0);
List<SearchHit<String>> named = nameIndex.search(embedder.embed(MultimodalInput.imageOnly(picture.image())), 5);
System.out.println("picture of '" + picture.name() + "' -> names " + named.stream().map(SearchHit::id).toList());
check(named.stream().anyMatch(h -> h.id().equals(picture.name())), "a picture finds its own name among the 5 best");
Map<String, String> category = new HashMap<>();
held.forEach(r -> category.put(r.name(), r.category()));
long sameCategory = hits.stream().filter(h -> category.get(h.id()).equals("Animals & Nature")).count();
long animalsHeld = held.stream().filter(r -> r.category().equals("Animals & Nature")).count();
check(sameCategory >= 2, "pictures found for an animal's name are animals above their share (" + sameCategory + " of 5; " + animalsHeld + " of " + held.size() + " held out)");

// An absent modality contributes nothing: text-only = the text's projection into the joint space.
ModalityEmbeddings t = ModalityEmbeddings.builder().put(Modality.TEXT, text.encode(query)).build();
check(model.embed(t).equals(model.project(Modality.TEXT, text.encode(query))), "embed(text only) is project(TEXT, ..)");

// Save and load: one file, bit-identical embeddings.
Path file = Files.createTempDirectory("fusion4j-nb").resolve("pairs.f4jm");
model.save(file);
PairModel again = PairModel.load(file);
check(again.embed(t).equals(model.embed(t)), "a loaded model gives bit-identical embeddings");
System.out.println("saved " + Files.size(file) + " bytes, " + model.parameterCount() + " parameters");

again.close();
Files.delete(file);
Files.delete(file.getParent());
embedder.close();
model.close();
text.close();
image.close();
/exit failures
