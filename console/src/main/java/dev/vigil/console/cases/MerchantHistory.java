package dev.vigil.console.cases;

/** A merchant's labeled cases in the index. */
public record MerchantHistory(String merchantId, long frauds, long genuine) {
    /** frauds / (frauds + genuine); 0 with no labels. */
    public double fraudRate() {
        long labeled = frauds + genuine;
        return labeled == 0 ? 0.0 : (double) frauds / labeled;
    }
}
