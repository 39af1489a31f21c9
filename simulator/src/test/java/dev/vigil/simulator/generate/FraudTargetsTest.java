package dev.vigil.simulator.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FraudTargetsTest {

    private static final Category[] ONLINE = {Category.ELECTRONICS, Category.DIGITAL_GOODS};
    private static final Category[] CARD_PRESENT = {Category.CLOTHING};

    @Test
    void aTargetIsOnlineAboutAsOftenAsTheShareAndInTheListsCategoriesAndChannel() {
        SimulationConfig config = SimulationConfig.of(1, 2_000, 400, 42);
        World world = World.build(config);
        Spending spending = new Spending(world, config.seed());
        FraudTargets targets = new FraudTargets(0.7, ONLINE, CARD_PRESENT);
        SplittableRandom rng = new SplittableRandom(9);
        int online = 0;
        for (int i = 0; i < 2_000; i++) {
            FraudTargets.Target target = targets.draw(world.cards.get(i % world.cards.size()), spending, rng);
            Merchant merchant = world.merchants.get(target.merchant());
            assertThat(merchant.channel()).isEqualTo(target.channel());
            assertThat(merchant.category()).isEqualTo(target.category());
            if (target.online()) {
                online++;
                assertThat(target.category()).isIn((Object[]) ONLINE);
            } else {
                assertThat(target.category()).isIn((Object[]) CARD_PRESENT);
            }
        }
        assertThat(online / 2_000.0).isBetween(0.65, 0.75);
    }

    @Test
    void theSameSeedDrawsTheSameTargets() {
        SimulationConfig config = SimulationConfig.of(1, 2_000, 400, 3);
        World world = World.build(config);
        Spending spending = new Spending(world, config.seed());
        FraudTargets targets = new FraudTargets(0.5, ONLINE, CARD_PRESENT);
        SplittableRandom a = new SplittableRandom(1);
        SplittableRandom b = new SplittableRandom(1);
        for (Card card : world.cards) {
            assertThat(targets.draw(card, spending, a)).isEqualTo(targets.draw(card, spending, b));
        }
    }
}
