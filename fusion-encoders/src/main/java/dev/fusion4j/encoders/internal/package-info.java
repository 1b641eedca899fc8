/**
 * Internals shared by the encoders, not API: loading a DJL model from a
 * {@link dev.fusion4j.encoders.ModelSource} with the engine its file needs, running it thread-safely with
 * per-call native memory scopes, guarding use after close, preparing image batches on a bounded daemon pool
 * while the model runs ({@code PreparedBatch}, {@code PreparationPool}), and removing the native libraries ONNX
 * Runtime extracts to the temporary directory once they are loaded ({@code OrtTempFiles}).
 */
package dev.fusion4j.encoders.internal;
