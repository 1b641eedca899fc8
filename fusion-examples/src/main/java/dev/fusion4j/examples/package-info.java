/**
 * Runnable examples and the demo program (README command one). Nothing depends on this module.
 */
package dev.fusion4j.examples;
