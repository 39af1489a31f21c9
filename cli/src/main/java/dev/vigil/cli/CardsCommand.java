package dev.vigil.cli;

import dev.vigil.schemas.cards.CardTokens;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./vigil cards keygen}: the key card ids are tokenized with (see {@link CardTokens}). */
@Command(name = "cards", mixinStandardHelpOptions = true,
        description = "The card key: card ids become HMAC-SHA-256 tokens at the door.",
        subcommands = CardsCommand.Keygen.class)
public final class CardsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Writes a new card key file (owner-only; never overwrites one). The secret is never printed.")
    static final class Keygen implements Callable<Integer> {

        @Option(names = "--out", paramLabel = "FILE", description = "Default: ${DEFAULT-VALUE}.",
                defaultValue = ".vigil/keys/card.key")
        Path out;

        @Option(names = "--key-id", paramLabel = "ID",
                description = "1 to 32 letters, digits or '-'. Default: today's date, e.g. 2026-12-03.")
        String keyId;

        @Override
        public Integer call() throws Exception {
            String id = keyId != null ? keyId : LocalDate.now(ZoneOffset.UTC).toString();
            CardTokens.generate(out, id);
            System.out.println("card key " + id + " written to " + out + " (owner-only). The scorer uses it with "
                    + "--card-key " + out + "; keep it as secret as the card ids themselves.");
            return 0;
        }
    }
}
