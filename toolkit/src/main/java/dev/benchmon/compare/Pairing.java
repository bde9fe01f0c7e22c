package dev.benchmon.compare;

import java.util.Arrays;

/**
 * The items two results share, found by merging their ascending interned ids: {@code ids[k]} was scored
 * {@code a[k]} under A and {@code b[k]} under B. Items only one result has are counted, not compared.
 *
 * @param ids    shared interned item ids, ascending
 * @param a      A's scores of them
 * @param b      B's scores of them
 * @param onlyA  items only A has
 * @param onlyB  items only B has
 */
public record Pairing(int[] ids, double[] a, double[] b, int onlyA, int onlyB) {
    /** Pairs A's and B's outcomes on their shared items. */
    public static Pairing of(ExampleStore.Outcomes oa, ExampleStore.Outcomes ob) {
        int[] ia = oa.itemIds();
        int[] ib = ob.itemIds();
        int n = Math.min(ia.length, ib.length);
        int[] ids = new int[n];
        double[] a = new double[n];
        double[] b = new double[n];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < ia.length && j < ib.length) {
            if (ia[i] == ib[j]) {
                ids[k] = ia[i];
                a[k] = oa.scores()[i++];
                b[k++] = ob.scores()[j++];
            } else if (ia[i] < ib[j]) {
                i++;
            } else {
                j++;
            }
        }
        return new Pairing(Arrays.copyOf(ids, k), Arrays.copyOf(a, k), Arrays.copyOf(b, k), ia.length - k, ib.length - k);
    }

    /** Number of shared items. */
    public int size() {
        return ids.length;
    }
}
