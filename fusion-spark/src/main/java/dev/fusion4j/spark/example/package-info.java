/**
 * A runnable example job for {@code spark-submit}: {@link dev.fusion4j.spark.example.EmojiClusterJob} reads
 * records of text, image and label (the bundled emoji sample as CSV, JSONL or Parquet), embeds them, writes the
 * embeddings as Parquet, and clusters them with Spark ML's KMeans. Not API.
 */
package dev.fusion4j.spark.example;
