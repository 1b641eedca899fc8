/**
 * fusion4j on Apache Spark: {@link dev.fusion4j.spark.FusionEmbedderTransformer}, a Spark ML stage that embeds and
 * fuses the text and image columns of a DataFrame (encoders loaded once per executor JVM, partitions embedded in
 * batches, bad rows reported in an error column); {@link dev.fusion4j.spark.FusionTraining}, which trains a
 * {@code FusionModel} on the driver from a DataFrame; {@link dev.fusion4j.spark.ModelShipping}, which gets it to the
 * executors; {@link dev.fusion4j.spark.StrategySpecs}, fusion strategies as strings; and
 * {@link dev.fusion4j.spark.ExecutorEmbedders}, the per-JVM cache's load counts and lifecycle. See docs/spark.md.
 */
package dev.fusion4j.spark;
