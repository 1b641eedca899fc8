// 01 - Quick start: encode text and images with the bundled models, fuse them, compare.
// Run: fusion-examples/notebooks/run.sh 01

TextEncoder text = BundledModels.miniLmText();
ImageEncoder image = BundledModels.mobileNetV2Image();
System.out.println("text " + text.dimension() + "-d, image " + image.dimension() + "-d");
check(text.dimension() == 384 && image.dimension() == 1280, "bundled encoders are 384-d and 1280-d");

// Text: close sentences score higher than unrelated ones.
Embedding dog = text.encode("a dog playing on the grass");
Embedding puppy = text.encode("a puppy running in a park");
Embedding market = text.encode("the stock market fell today");
System.out.printf("dog~puppy %.3f   dog~market %.3f%n", dog.cosine(puppy), dog.cosine(market));
check(dog.cosine(puppy) > dog.cosine(market) + 0.25, "related sentences are clearly closer");

// Fuse text and image into one embedding; either may be absent.
MultimodalEmbedder embedder = Fusion.builder().text(text).image(image).strategy(Fusions.concat()).build();
Embedding dogBoth = embedder.embed(MultimodalInput.of("a dog next to a bicycle", sample("dog.jpg")));
Embedding dogText = embedder.embed(MultimodalInput.textOnly("a dog next to a bicycle"));
Embedding coffeeBoth = embedder.embed(MultimodalInput.of("a cup of coffee", sample("coffee.png")));
System.out.printf("fused dim %d; (dog,img)~(dog,-) %.3f   (dog,img)~(coffee,img) %.3f%n",
        embedder.dimension(), dogBoth.cosine(dogText), dogBoth.cosine(coffeeBoth));
check(embedder.dimension() == 384 + 1280, "concat output is 384 + 1280");
check(dogBoth.cosine(dogText) > dogBoth.cosine(coffeeBoth), "a record stays closest to itself with the image absent");

// A record with nothing in it is refused with a typed error.
boolean refused = false;
try { MultimodalInput.builder().build(); } catch (InvalidInputException e) { refused = true; System.out.println("refused: " + e.getMessage()); }
check(refused, "an empty record is an InvalidInputException");

embedder.close();
text.close();
image.close();
/exit failures
