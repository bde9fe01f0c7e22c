/**
 * Demo data: a seeded generator of realistic benchmark history (several models, datasets, prompt
 * versions and environments over about 90 days, with noise, improvements and real regressions),
 * used by {@code serve --demo}, the notebooks, the samples and the tests.
 */
package dev.benchmon.demo;
