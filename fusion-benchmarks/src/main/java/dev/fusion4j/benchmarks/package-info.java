/**
 * fusion4j's benchmarks, each beside its raw baseline: JMH benchmarks ({@code *Benchmark}, run through
 * {@link dev.fusion4j.benchmarks.BenchMain} for a pairing table), the paired in-process runner the ratio
 * targets are judged on ({@link dev.fusion4j.benchmarks.PairedRun}), the hand-written baselines on the raw
 * ONNX Runtime and DJL APIs ({@code Raw*}), the thread-CPU cross-check of the cross-attention benchmark
 * ({@link dev.fusion4j.benchmarks.CrossAttentionCpuTime}) and the deterministic inputs ({@code BenchData}). Never a
 * dependency of anything; see docs/performance.md.
 */
package dev.fusion4j.benchmarks;
