/**
 * The real image+text data set of the evaluation: the emoji of npm {@code emoji-datasource-google@16.0.0}
 * (64x64 Noto PNGs with their Unicode names, categories and subcategories). {@link
 * dev.fusion4j.examples.emoji.EmojiDataset} loads the full set (fetched by {@code tools/emoji-data/fetch.sh}) or the
 * committed sample, {@link dev.fusion4j.examples.emoji.GroupedSplit} splits it without leaking gender or skin
 * variants of one emoji across train and test, and {@link dev.fusion4j.examples.emoji.EmbeddingCache} embeds every
 * record once and keeps the vectors on disk ({@link dev.fusion4j.examples.emoji.SequenceCache} likewise the token
 * states and image regions). The evaluations: {@link dev.fusion4j.examples.emoji.FusionEvaluation} (pooled strategies),
 * {@link dev.fusion4j.examples.emoji.PairEvaluation} (label-free), {@link
 * dev.fusion4j.examples.emoji.CrossAttentionEvaluation} (token- and region-level fusion, with
 * {@code AttentionPicture} drawing its attention).
 */
package dev.fusion4j.examples.emoji;
