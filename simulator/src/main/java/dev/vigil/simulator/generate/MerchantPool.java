package dev.vigil.simulator.generate;

/** Merchants to choose from, each as likely as its popularity. */
final class MerchantPool {
    private final int[] merchants;
    private final double[] cumulative;

    MerchantPool(int[] merchants, double[] popularity) {
        this.merchants = merchants;
        this.cumulative = new double[merchants.length];
        double sum = 0;
        for (int i = 0; i < merchants.length; i++) {
            sum += popularity[i];
            cumulative[i] = sum;
        }
    }

    /** The merchant at {@code u} in [0, 1) of the popularity-weighted pool. */
    int pick(double u) {
        return merchants[Draw.index(cumulative, u * cumulative[cumulative.length - 1])];
    }

    int size() {
        return merchants.length;
    }

    int get(int i) {
        return merchants[i];
    }
}
