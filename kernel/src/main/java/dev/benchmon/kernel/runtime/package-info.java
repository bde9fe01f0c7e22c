/**
 * What notebook code calls: {@code display(...)}, {@code render(...)} and {@code updateDisplay(...)}
 * with IJava's signatures, so a notebook written for IJava or JJava runs unchanged here.
 */
package dev.benchmon.kernel.runtime;
