/**
 * Implementation of fusion-spark, not API: the per-partition embedding function, the configuration that keys the
 * executor cache, what an executor loads for it, how image cells and model names are read, and the thread rule.
 */
package dev.fusion4j.spark.internal;
