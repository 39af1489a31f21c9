package dev.vigil.simulator;

import dev.vigil.schemas.cli.SettingGroup;
import dev.vigil.simulator.analysts.ReviewPolicy;
import java.util.List;

/** {@code ./vigil analysts}' settings that shape the team: the definitions {@link ReviewPolicy} checks with. */
public final class AnalystsSettings extends SettingGroup {

    public AnalystsSettings() {
        super(List.of(ReviewPolicy.CARDS_PER_DAY, ReviewPolicy.REVIEW_DELAY, ReviewPolicy.GRACE, ReviewPolicy.CLOCK,
                ReviewPolicy.ANALYSTS));
    }
}
