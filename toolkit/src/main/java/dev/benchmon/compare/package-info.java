/**
 * Is B really better than A? Paired statistics on evaluation items, with fallbacks when a result
 * carries no items.
 *
 * <ul>
 *   <li>{@link dev.benchmon.compare.PairedStatistics}: on the items two results share, the mean
 *       difference with a seeded paired bootstrap percentile interval (Efron and Tibshirani 1993,
 *       ch. 13; the "paired bootstrap" of Koehn 2004 for MT evaluation), McNemar's exact test for
 *       0/1 scores (McNemar 1947; the exact form is a two-sided binomial test of the discordant
 *       pairs, Fagerland et al. 2013) and a paired t-test otherwise.</li>
 *   <li>{@link dev.benchmon.compare.UnpairedStatistics}: without items, a two-proportion z-test
 *       from the results' {@code n}, a Welch test from their {@code stderr}, else a Welch test over
 *       run-to-run variation in the window.</li>
 *   <li>{@link dev.benchmon.compare.RunComparison} compares two results (summary, slices, flipped
 *       items); {@link dev.benchmon.compare.ExampleStore} reads the stored outcomes.</li>
 * </ul>
 * Distributions, tests and quantiles come from Apache Commons Statistics 1.1.
 */
package dev.benchmon.compare;
