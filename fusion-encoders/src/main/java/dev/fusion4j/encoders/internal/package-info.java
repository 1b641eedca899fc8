/**
 * Internals shared by the encoders, not API: loading a DJL model from a
 * {@link dev.fusion4j.encoders.ModelSource} with the engine its file needs, running it thread-safely with
 * per-call native memory scopes, and guarding use after close.
 */
package dev.fusion4j.encoders.internal;
