package dev.vigil.simulator;

import dev.vigil.schemas.cli.SettingGroup;
import dev.vigil.simulator.replay.CardholderReports;
import dev.vigil.simulator.replay.ReplayOptions;
import java.util.List;

/** {@code ./vigil replay}'s settings that {@link ReplayOptions} also holds and checks. */
public final class ReplaySettings extends SettingGroup {

    public ReplaySettings() {
        super(List.of(ReplayOptions.LABEL_DELAY, CardholderReports.SHARE, CardholderReports.MEDIAN,
                CardholderReports.SIGMA));
    }
}
