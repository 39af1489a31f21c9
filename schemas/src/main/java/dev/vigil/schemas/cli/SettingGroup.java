package dev.vigil.schemas.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ListResourceBundle;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A command's settings, handed to picocli: as its default value provider (an option's default is its setting's) and
 * as its resource bundle (an option's description is its setting's doc, then its default). A command names its
 * group in {@code @Command(defaultValueProvider = G.class, resourceBundle = "G's class name")}; its options then
 * carry only their names and labels, so a default or a doc lives in one place. Picocli looks an option up by its
 * longest name without the dashes, which is the setting's name.
 */
public abstract class SettingGroup extends ListResourceBundle implements IDefaultValueProvider {

    private final Map<String, Setting<?>> byName = new LinkedHashMap<>();

    protected SettingGroup(List<Setting<?>> settings) {
        for (Setting<?> s : settings) {
            if (byName.put(s.name(), s) != null) {
                throw new IllegalArgumentException("setting defined twice: " + s.flag());
            }
        }
    }

    public List<Setting<?>> settings() {
        return List.copyOf(byName.values());
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        Setting<?> setting = byName.get(option.longestName().replaceFirst("^-+", ""));
        return setting == null ? null : setting.defaultText();
    }

    @Override
    protected Object[][] getContents() {
        return byName.values().stream()
                .map(s -> new Object[] {s.name(),
                        s.doc() + (s.defaultValue() == null ? "" : " Default: ${DEFAULT-VALUE}.")})
                .toArray(Object[][]::new);
    }
}
